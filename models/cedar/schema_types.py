"""Declared attribute types from a Cedar schema, in the shape the entity JSON reader uses.

Cedar's entity JSON lets an attribute whose schema type is an entity type be written
`{"type": T, "id": I}` and an extension value `{"fn": F, "arg": A}`; without the schema these
are records. `json_io` asks this module which is meant, and for the action entities Cedar adds
to the store when it has a schema. Both formats are read by `schema` (one schema reader for
the whole model; what Cedar refuses is refused with a `SchemaError`) and flattened here:

Types are tuples: ("Bool",), ("Long",), ("String",), ("ext", function), ("entity", name),
("set", T), ("record", {attr: T}).

Trusts: `schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assay.models.cedar.entities import Entity
from assay.models.cedar.schema import Schema, read_json_schema, read_schema
from assay.models.cedar.validator_types import (
    BoolType,
    CedarType,
    EntityType,
    ExtType,
    Prim,
    RecordType,
    SetType,
    fold_type,
)
from assay.models.cedar.values import EntityUID

Type = tuple[Any, ...]

_EXT_FUNCTION = {"ipaddr": "ip", "decimal": "decimal", "datetime": "datetime",
                 "duration": "duration"}


@dataclass
class SchemaTypes:
    entity_attrs: dict[str, Type] = field(default_factory=dict)
    entity_tags: dict[str, Type] = field(default_factory=dict)
    actions: dict[EntityUID, frozenset[EntityUID]] = field(default_factory=dict)

    def action_entities(self) -> list[Entity]:
        """The declared actions as entities with their declared parents (`action a in [b]`),
        which Cedar adds to the entity store when it is given a schema."""
        return [Entity(uid, parents=ps) for uid, ps in self.actions.items()]


def _flat_step(x: CedarType, done: dict[CedarType, Type]) -> Type:
    if isinstance(x, BoolType):
        return ("Bool",)
    if isinstance(x, Prim):
        return (x.name,)
    if isinstance(x, ExtType):
        return ("ext", _EXT_FUNCTION[x.name])
    if isinstance(x, EntityType):
        return ("entity", x.name)
    if isinstance(x, SetType):
        return ("set", done[x.element])
    if isinstance(x, RecordType):
        return ("record", {k: done[a.type] for k, a in x.attrs})
    raise TypeError(f"not a declarable type: {x!r}")


def flatten(t: CedarType) -> Type:
    """A validation type as a tuple type (iterative: types may nest deeply)."""
    return fold_type(t, _flat_step)


def from_schema(schema: Schema) -> SchemaTypes:
    out = SchemaTypes()
    for name, decl in schema.entity_types.items():
        if decl.enum is None:
            out.entity_attrs[name] = flatten(decl.attrs)
        if decl.tags is not None:
            out.entity_tags[name] = flatten(decl.tags)
    out.actions = {uid: a.member_of for uid, a in schema.actions.items()}
    return out


def read_json_schema_types(schema: Any, source: str | None = None) -> SchemaTypes:
    """Declared types from a schema in Cedar's JSON format (already decoded)."""
    return from_schema(read_json_schema(schema, source))


def read_schema_types(text: str, source: str | None = None) -> SchemaTypes:
    """Declared types from a schema in the human-readable format."""
    return from_schema(read_schema(text, source))
