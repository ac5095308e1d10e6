"""Requests and entities checked against a schema, as Cedar checks them when given one.

    validate_request(request, schema) -> [message]     (empty: the request conforms)
    validate_entities(entities, schema) -> [message]

A request conforms when its action is declared, its principal and resource types are among
the action's `appliesTo` types (enumerated entities: a declared id), and its context is an
instance of the action's context type. An entity conforms when its type is declared, its
attributes are an instance of the declared record (required attributes present, no others),
its parents' types are among the ancestor types the schema allows (`memberOfTypes`,
transitively), its tags have the declared tag type
(and it has none when its type declares none); an action entity must be declared, with the
declared parents. `instance_of` is Cedar's `instanceOfType` (Lean `Validation/
RequestEntityValidator.lean`), iterative over the value's depth.

Trusts: `schema`, the value classes of `values` and `extensions`.
"""

from __future__ import annotations

from typing import Any

from assay.models.cedar.entities import Entities, Entity, Request
from assay.models.cedar.extensions import EXTENSION_TYPES
from assay.models.cedar.schema import Schema
from assay.models.cedar.validator_types import (
    LONG,
    STRING,
    BoolType,
    CedarType,
    EntityType,
    ExtType,
    RecordType,
    SetType,
    display,
)
from assay.models.cedar.values import CedarSet, EntityUID, Record


def instance_of(value: Any, t: CedarType, schema: Schema) -> str | None:
    """None when `value` has type `t`, else why not (the first offending part)."""
    todo: list[tuple[Any, CedarType, str]] = [(value, t, "")]
    while todo:
        v, ty, where = todo.pop()
        cls = v.__class__
        if isinstance(ty, BoolType):
            ok = cls is bool
        elif ty is LONG:
            ok = cls is int
        elif ty is STRING:
            ok = cls is str
        elif isinstance(ty, EntityType):
            ok = cls is EntityUID and v.type == ty.name and schema.is_valid_entity_uid(v)
        elif isinstance(ty, ExtType):
            ok = isinstance(v, EXTENSION_TYPES[ty.name])
        elif isinstance(ty, SetType):
            ok = isinstance(v, CedarSet)
            if ok:
                todo += [(x, ty.element, f"{where}[]") for x in v]
        elif isinstance(ty, RecordType):
            ok = isinstance(v, Record)
            if ok:
                declared = dict(ty.attrs)
                extra = [k for k in v if k not in declared]
                if extra:
                    return f"{where or 'the record'} has the undeclared attribute `{extra[0]}`"
                for k, a in ty.attrs:
                    if k in v:
                        todo.append((v[k], a.type, f"{where}.{k}" if where else f"`{k}`"))
                    elif a.required:
                        return f"{where or 'the record'} lacks the required attribute `{k}`"
        else:
            ok = False
        if not ok:
            return f"{where or 'the value'} should have type {display(ty, 80)}, got {v!r:.60}"
    return None


def validate_request(request: Request, schema: Schema) -> list[str]:
    action = schema.actions.get(request.action)
    if action is None:
        return [f"request's action {request.action} is not declared in the schema"]
    out = []
    for role, uid, allowed in (("principal", request.principal, action.principals),
                               ("resource", request.resource, action.resources)):
        if uid.type not in allowed:
            out.append(f"{role} type `{uid.type}` is not valid for {request.action} "
                       f"(allowed: {', '.join(allowed) or 'none'})")
        elif not schema.is_valid_entity_uid(uid):
            out.append(f"{role} {uid} is not a declared member of its enumerated type")
    why = instance_of(request.context, action.context, schema)
    if why is not None:
        out.append(f"context is not valid for {request.action}: {why}")
    return out


def _validate_entity(e: Entity, schema: Schema) -> str | None:
    uid = e.uid
    decl = schema.entity_types.get(uid.type)
    if decl is None:
        action = schema.actions.get(uid)
        if action is None:
            kind = "action" if uid.type in schema.action_types() else "entity type"
            return f"{uid}: the {kind} is not declared in the schema"
        if e.parents != action.member_of or e.attrs or e.tags:
            return f"{uid}: the action's definition does not match its schema declaration"
        return None
    if decl.enum is not None and uid.id not in decl.enum:
        return f"{uid} is not a declared member of the enumerated type {uid.type}"
    why = instance_of(e.attrs, decl.attrs, schema)
    if why is not None:
        return f"{uid}: attributes do not conform to the schema: {why}"
    allowed = schema.ancestors(uid.type)
    for p in e.parents:
        if p.type not in allowed:
            return f"{uid} is not allowed to have an ancestor of type `{p.type}`"
        if not schema.is_valid_entity_uid(p) and p.type in schema.entity_types:
            return f"{uid}: parent {p} is not a declared member of its enumerated type"
    if e.tags:
        if decl.tags is None:
            return f"{uid}: has tags, but its type declares none"
        for k, v in e.tags.items():
            why = instance_of(v, decl.tags, schema)
            if why is not None:
                return f"{uid}: tag `{k}`: {why}"
    return None


def validate_entities(entities: Entities, schema: Schema) -> list[str]:
    out = []
    for uid in entities:
        why = _validate_entity(entities[uid], schema)
        if why is not None:
            out.append(why)
    return out
