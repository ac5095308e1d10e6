"""Cedar schemas, read from both formats (human-readable `.cedarschema` and JSON) into one model.

A `Schema` holds, with every name fully qualified:
    entity_types   name -> EntityDecl(member_of, attrs: RecordType, tags, enum ids or None)
    actions        EntityUID -> ActionDecl(member_of, principals, resources, context)
    common_types   name -> CedarType (type aliases, resolved)
and the derived relations the validator needs: `ancestors(entity type)` and
`action_ancestors(uid)` (transitive), and `environments()` (the request types every action's
`appliesTo` allows).

Names resolve as Cedar 4 resolves them: an unqualified name `N` in namespace `NS` is the common
type `NS::N`, else the entity type `NS::N`, else the common type `N` of the empty namespace, else
the entity type `N`, else the builtin `__cedar::N` (Bool, Long, String, ipaddr, decimal,
datetime, duration). `Action::"a"` in namespace NS names `NS::Action::"a"`. What Cedar refuses is
refused here with a `SchemaError` (file:line:column and a caret when the text is known):
undeclared types and actions, duplicate declarations, cyclic common types or action groups, a
context that is not a record.

Every walk over type trees is iterative (a schema may nest types thousands deep).
Trusts: `schema_raw` (the two readers), `validator_types`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.models.cedar.schema_raw import (
    Raw,
    SchemaError,
    Where,
    fold,
    qualify,
    read_json_raw,
    read_text_raw,
)
from assay.models.cedar.validator_types import (
    BOOL,
    EMPTY_RECORD,
    EXTENSION_TYPES,
    LONG,
    STRING,
    Attr,
    CedarType,
    EntityType,
    ExtType,
    RecordType,
    SetType,
)
from assay.models.cedar.values import EntityUID

BUILTINS: dict[str, CedarType] = {
    "Bool": BOOL, "Long": LONG, "String": STRING, **{n: ExtType(n) for n in EXTENSION_TYPES},
}


@dataclass(frozen=True)
class EntityDecl:
    name: str
    member_of: frozenset[str] = frozenset()
    attrs: RecordType = EMPTY_RECORD
    tags: CedarType | None = None
    enum: tuple[str, ...] | None = None
    where: Where = field(default=Where(), compare=False, repr=False)


@dataclass(frozen=True)
class ActionDecl:
    uid: EntityUID
    member_of: frozenset[EntityUID] = frozenset()
    principals: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    context: RecordType = EMPTY_RECORD
    where: Where = field(default=Where(), compare=False, repr=False)


@dataclass(frozen=True)
class RequestEnv:
    """One request type: the principal and resource entity types, the action, the context."""

    principal: str
    action: EntityUID
    resource: str
    context: RecordType


@dataclass
class Schema:
    entity_types: dict[str, EntityDecl] = field(default_factory=dict)
    actions: dict[EntityUID, ActionDecl] = field(default_factory=dict)
    common_types: dict[str, CedarType] = field(default_factory=dict)
    _anc: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    _act_anc: dict[EntityUID, frozenset[EntityUID]] = field(default_factory=dict, repr=False,
                                                            compare=False)

    def ancestors(self, ety: str) -> frozenset[str]:
        """Entity types an entity of type `ety` may be a (transitive) member of."""
        if not self._anc:
            self._anc.update(_closure({n: d.member_of for n, d in self.entity_types.items()}))
        return self._anc.get(ety, frozenset())

    def action_ancestors(self, uid: EntityUID) -> frozenset[EntityUID]:
        if not self._act_anc:
            self._act_anc.update(_closure({u: d.member_of for u, d in self.actions.items()}))
        return self._act_anc.get(uid, frozenset())

    def action_types(self) -> frozenset[str]:
        return frozenset(u.type for u in self.actions)

    def is_valid_entity_uid(self, uid: EntityUID) -> bool:
        decl = self.entity_types.get(uid.type)
        if decl is not None:
            return decl.enum is None or uid.id in decl.enum
        return uid in self.actions

    def environments(self) -> list[RequestEnv]:
        return [RequestEnv(p, uid, r, a.context) for uid, a in self.actions.items()
                for p in a.principals for r in a.resources]

    def action_entities(self) -> list[Any]:
        """The declared actions as entities with their parents (Cedar adds them to the store)."""
        from assay.models.cedar.entities import Entity
        return [Entity(uid, parents=a.member_of) for uid, a in self.actions.items()]


def _closure(edges: dict[Any, frozenset[Any]]) -> dict[Any, frozenset[Any]]:
    out: dict[Any, frozenset[Any]] = {}
    for start in edges:
        seen: set[Any] = set()
        todo = list(edges[start])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo += edges.get(x, ())
        out[start] = frozenset(seen)
    return out


# -- resolution -------------------------------------------------------------------------------

class _Resolver:
    def __init__(self, raw: Raw) -> None:
        self.raw = raw
        self.entities: set[str] = set()
        for e in raw.entities:
            for n in e.names:
                if n in self.entities:
                    raise e.where.error(f"entity type {n} is declared twice")
                if n.rsplit("::", 1)[-1] == "Action":
                    raise e.where.error(f"entity type `{n}` may not be declared: `Action` "
                                        "names the action entity type")
                self.entities.add(n)
        empty_ns = {n for n in (*self.entities, *raw.common) if "::" not in n}
        for e in raw.entities:
            self.shadowing(e.names, e.ns, empty_ns, e.where)
        for n, (_, ns, where) in raw.common.items():
            self.shadowing([n], ns, empty_ns, where)
        self.common: dict[str, CedarType] = {}
        self.resolve_common()

    @staticmethod
    def shadowing(names: list[str], ns: str, empty_ns: set[str], where: Where) -> None:
        for n in names:
            bare = n.rsplit("::", 1)[-1]
            if ns and bare in empty_ns:
                raise where.error(f"definition of `{n}` illegally shadows the existing "
                                  f"definition of `{bare}`")

    def lookup(self, name: str, ns: str, where: Where, entity_only: bool = False,
               no_entities: bool = False) -> tuple[str, str]:
        """("common" | "entity" | "builtin", qualified name) for a type name (JSON's bare
        `{"type": N}` names a common or builtin type only: `no_entities`)."""
        if name.startswith("__cedar::") and not entity_only:
            bare = name[len("__cedar::"):]
            if bare in BUILTINS:
                return ("builtin", bare)
            raise where.error(f"unknown builtin type {name}")
        spaces = (ns, "") if "::" not in name and ns else ("",)
        for space in spaces:
            full = qualify(space, name)
            if not entity_only and full in self.raw.common:
                return ("common", full)
            if full in self.entities and not no_entities:
                return ("entity", full)
        if not entity_only and name in BUILTINS:
            return ("builtin", name)
        what = "entity type" if entity_only else "type"
        raise where.error(f"undeclared {what} {name}" + (f" (in namespace {ns})" if ns else ""))

    def resolve_common(self) -> None:
        deps: dict[str, list[str]] = {}
        for name, (t, ns, where) in self.raw.common.items():
            refs: list[str] = []
            todo = [t]
            while todo:
                r = todo.pop()
                if r[0] == "set":
                    todo.append(r[1])
                elif r[0] == "record":
                    todo += [a[2] for a in r[1]]
                elif r[0] in ("name", "common"):
                    kind, full = self.lookup(r[1], ns, where, no_entities=r[0] == "common")
                    if kind == "common":
                        refs.append(full)
            deps[name] = refs
        state: dict[str, int] = {}
        for start in deps:
            todo: list[tuple[str, bool]] = [(start, False)]
            while todo:
                n, done = todo.pop()
                if done:
                    state[n] = 2
                    t, ns, where = self.raw.common[n]
                    self.common[n] = self.type(t, ns, where)
                    continue
                if state.get(n) == 2:
                    continue
                if state.get(n) == 1:
                    raise self.raw.common[n][2].error(f"common type {n} is defined in terms "
                                                      "of itself")
                state[n] = 1
                todo.append((n, True))
                todo += [(d, False) for d in deps[n] if state.get(d) != 2]

    def entity(self, name: str, ns: str, where: Where) -> str:
        return self.lookup(name, ns, where, entity_only=True)[1]

    def type(self, raw: Any, ns: str, where: Where) -> CedarType:
        def kids(r: Any) -> list[Any]:
            return [r[1]] if r[0] == "set" else [a[2] for a in r[1]] if r[0] == "record" else []

        def make(r: Any, args: list[Any]) -> CedarType:
            if r[0] == "set":
                return SetType(args[0])
            if r[0] == "record":
                return RecordType((a[0], Attr(t, a[1])) for a, t in zip(r[1], args))
            if r[0] == "builtin":
                return BUILTINS[r[1]]
            if r[0] == "entity":
                return EntityType(self.entity(r[1], ns, where))
            kind, full = self.lookup(r[1], ns, where, no_entities=r[0] == "common")
            if kind == "common":
                return self.common[full]
            return EntityType(full) if kind == "entity" else BUILTINS[full]
        return fold(raw, kids, make)

    def schema(self) -> Schema:
        out = Schema(common_types=dict(self.common))
        for e in self.raw.entities:
            parents = frozenset(self.entity(p, e.ns, e.where) for p in e.member_of)
            attrs = self.type(e.attrs, e.ns, e.where) if e.attrs is not None else EMPTY_RECORD
            if not isinstance(attrs, RecordType):
                raise e.where.error("an entity's attributes are a record type")
            tags = self.type(e.tags, e.ns, e.where) if e.tags is not None else None
            for n in e.names:
                out.entity_types[n] = EntityDecl(n, parents, attrs, tags, e.enum, e.where)
        for a in self.raw.actions:
            if a.uid in out.actions:
                raise a.where.error(f"action {a.uid} is declared twice")
            ctx = self.type(a.context, a.ns, a.where) if a.context is not None else EMPTY_RECORD
            if not isinstance(ctx, RecordType):
                raise a.where.error(f"the context of {a.uid} must be a record type")
            out.actions[a.uid] = ActionDecl(
                a.uid, frozenset(a.member_of),
                tuple(dict.fromkeys(self.entity(p, a.ns, a.where) for p in a.principals or ())),
                tuple(dict.fromkeys(self.entity(r, a.ns, a.where) for r in a.resources or ())),
                ctx, a.where)
        for a in out.actions.values():
            for p in a.member_of:
                if p not in out.actions:
                    raise a.where.error(f"action {a.uid} is a member of the undeclared "
                                        f"action {p}")
        for uid in out.actions:
            if uid in out.action_ancestors(uid):
                raise out.actions[uid].where.error(f"action {uid} is its own ancestor "
                                                   "(a cycle in the action groups)")
        return out


def read_schema(text: str, source: str | None = None) -> Schema:
    """A schema in the human-readable format."""
    return _Resolver(read_text_raw(text, source)).schema()


def read_json_schema(obj: Any, source: str | None = None) -> Schema:
    """A schema in Cedar's JSON format (already decoded)."""
    return _Resolver(read_json_raw(obj, source)).schema()


def load_schema(text: str, source: str | None = None) -> Schema:
    """A schema in either format: JSON when the text starts with `{`."""
    if text.lstrip().startswith("{"):
        from assay.models.cedar.json_io import load_json
        return read_json_schema(load_json(text, source), source)
    return read_schema(text, source)


def load_schema_file(path: str | Path) -> Schema:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"cannot read schema {path}: {exc.strerror}", source=str(path)) from None
    return load_schema(text, str(path))


__all__ = ["ActionDecl", "EntityDecl", "RequestEnv", "Schema", "SchemaError", "load_schema",
           "load_schema_file", "read_json_schema", "read_schema"]
