"""Cedar's validation types: what the schema declares and what the typechecker infers.

The types of Cedar's Lean specification (cedar-spec, `Cedar/Validation/Types.lean`):

    BoolType("Bool" | "True" | "False")   Bool and its two singleton types (`true`, `false`)
    LONG, STRING                          Long and String
    EntityType(name)                      entities of one entity type (an action type too)
    SetType(element)                      Set<element>
    RecordType(attrs)                     attrs: sorted tuple of (name, Attr(type, required))
    ExtType(name)                         decimal, ipaddr, datetime, duration

Types are hash-consed: building the same type twice gives the same object, so equality is
identity and hashing is free — types as deep as a 10,000-deep set literal compare in O(1).
`lub` is the least upper bound of strict mode (`Subtyping.lean`): equal types, booleans of any
kind, and sets and records whose components have a least upper bound (records: same attribute
names, same required-ness). It and `display` are iterative.

`TypeErrorKind` and `TypeCheckError` are the typechecker's errors (Lean's `TypeError`).

Trusts: nothing.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from assay.core.errors import AssayError

_INTERN: dict[tuple[Any, ...], CedarType] = {}
_IDENT = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
R = TypeVar("R")


class CedarType:
    """Base of the validation types; instances are interned (build them with the functions
    below or the subclass constructors, which return the shared instance)."""

    __slots__ = ("key", "__weakref__")
    key: tuple[Any, ...]

    def __new__(cls, *args: Any) -> Any:
        key = (cls.__name__, *args)
        found = _INTERN.get(key)
        if found is None:
            found = object.__new__(cls)
            object.__setattr__(found, "key", key)
            _INTERN[key] = found
        return found

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("validation types are immutable")

    def __repr__(self) -> str:
        return display(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self.key[1:])


class BoolType(CedarType):
    __slots__ = ()

    @property
    def kind(self) -> str:
        return self.key[1]


class Prim(CedarType):
    __slots__ = ()

    @property
    def name(self) -> str:
        return self.key[1]


class EntityType(CedarType):
    __slots__ = ()

    @property
    def name(self) -> str:
        return self.key[1]


class SetType(CedarType):
    __slots__ = ()

    @property
    def element(self) -> CedarType:
        return self.key[1]


class ExtType(CedarType):
    __slots__ = ()

    @property
    def name(self) -> str:
        return self.key[1]


class Attr(CedarType):
    """A record attribute's declared type and whether it is required (`a?: T` is not)."""

    __slots__ = ()

    @property
    def type(self) -> CedarType:
        return self.key[1]

    @property
    def required(self) -> bool:
        return self.key[2]


class RecordType(CedarType):
    __slots__ = ()

    def __new__(cls, attrs: Any = ()) -> Any:
        items = tuple(sorted(dict(attrs).items()))
        return CedarType.__new__(cls, items)

    @property
    def attrs(self) -> tuple[tuple[str, Attr], ...]:
        return self.key[1]

    def get(self, name: str) -> Attr | None:
        for k, a in self.key[1]:
            if k == name:
                return a
        return None

    def __reduce__(self) -> tuple[Any, ...]:
        return (RecordType, (self.key[1],))


BOOL, TRUE, FALSE = BoolType("Bool"), BoolType("True"), BoolType("False")
LONG, STRING = Prim("Long"), Prim("String")
EXTENSION_TYPES = ("decimal", "ipaddr", "datetime", "duration")
EMPTY_RECORD = RecordType(())


def bool_not(t: BoolType) -> BoolType:
    return FALSE if t is TRUE else TRUE if t is FALSE else BOOL


def lub(a: CedarType, b: CedarType) -> CedarType | None:
    """The least upper bound of `a` and `b` in strict mode, or None when there is none."""
    if a is b:
        return a
    memo: dict[tuple[int, int], CedarType | None] = {}
    todo: list[tuple[CedarType, CedarType, bool]] = [(a, b, False)]
    while todo:
        x, y, ready = todo.pop()
        pair = (id(x), id(y))
        if pair in memo:
            continue
        if x is y:
            memo[pair] = x
        elif isinstance(x, BoolType) and isinstance(y, BoolType):
            memo[pair] = BOOL
        elif isinstance(x, SetType) and isinstance(y, SetType):
            if not ready:
                todo += [(x, y, True), (x.element, y.element, False)]
                continue
            e = memo[(id(x.element), id(y.element))]
            memo[pair] = None if e is None else SetType(e)
        elif isinstance(x, RecordType) and isinstance(y, RecordType):
            xs, ys = x.attrs, y.attrs
            if [k for k, _ in xs] != [k for k, _ in ys] or any(
                    p.required != q.required for (_, p), (_, q) in zip(xs, ys)):
                memo[pair] = None
                continue
            if not ready:
                todo.append((x, y, True))
                todo += [(p.type, q.type, False) for (_, p), (_, q) in zip(xs, ys)]
                continue
            out = []
            for (k, p), (_, q) in zip(xs, ys):
                t = memo[(id(p.type), id(q.type))]
                if t is None:
                    break
                out.append((k, Attr(t, p.required)))
            memo[pair] = RecordType(out) if len(out) == len(xs) else None
        else:
            memo[pair] = None
    return memo[(id(a), id(b))]


def is_subtype(a: CedarType, b: CedarType) -> bool:
    return lub(a, b) is b


def fold_type(t: CedarType, step: Callable[[CedarType, dict[CedarType, R]], R]) -> R:
    """Post-order fold over `t` and its components (set elements, record attribute types),
    iterative and visiting each distinct (interned) type once: `step(x, done)` computes the
    result for `x`, whose components' results are `done[component]` already."""
    done: dict[CedarType, R] = {}
    todo: list[tuple[CedarType, bool]] = [(t, False)]
    while todo:
        x, ready = todo.pop()
        if x in done:
            continue
        kids = ([x.element] if isinstance(x, SetType) else
                [a.type for _, a in x.attrs] if isinstance(x, RecordType) else [])
        if kids and not ready:
            todo.append((x, True))
            todo += [(k, False) for k in kids]
            continue
        done[x] = step(x, done)
    return done[t]


def _lift_step(x: CedarType, done: dict[CedarType, CedarType]) -> CedarType:
    if isinstance(x, BoolType):
        return BOOL
    if isinstance(x, SetType):
        return SetType(done[x.element])
    if isinstance(x, RecordType):
        return RecordType((k, Attr(done[a.type], a.required)) for k, a in x.attrs)
    return x


def lift_bools(t: CedarType) -> CedarType:
    """`t` with every singleton boolean (True, False) widened to Bool, as schemas declare."""
    if isinstance(t, BoolType):
        return BOOL
    if isinstance(t, (SetType, RecordType)):
        return fold_type(t, _lift_step)
    return t


def display(t: CedarType, limit: int = 400) -> str:
    """Cedar's spelling of a type (`Set<Long>`, `{a: String, b?: Bool}`), cut at `limit`."""
    out: list[str] = []
    todo: list[Any] = [t]
    size = 0
    while todo and size < limit:
        x = todo.pop()
        if isinstance(x, str):
            out.append(x)
            size += len(x)
        elif isinstance(x, BoolType):
            out.append({"Bool": "Bool", "True": "__cedar::internal::True",
                        "False": "__cedar::internal::False"}[x.kind])
        elif isinstance(x, (Prim, EntityType, ExtType)):
            out.append(x.name)
            size += len(x.name)
        elif isinstance(x, SetType):
            todo += [">", x.element, "Set<"]
        elif isinstance(x, RecordType):
            parts: list[Any] = ["{"]
            for i, (k, a) in enumerate(x.attrs):
                name = k if _IDENT.fullmatch(k) else json.dumps(k, ensure_ascii=False)
                parts += [(", " if i else "") + name + ("" if a.required else "?") + ": ", a.type]
            parts.append("}")
            todo += reversed(parts)
    text = "".join(out)
    return text if not todo else text + "..."


class TypeErrorKind(enum.Enum):
    LUB = "lubErr"
    UNEXPECTED_TYPE = "unexpectedType"
    ATTR_NOT_FOUND = "attrNotFound"
    TAG_NOT_FOUND = "tagNotFound"
    UNKNOWN_ENTITY = "unknownEntity"
    EXTENSION = "extensionErr"
    EMPTY_SET = "emptySetErr"
    INCOMPATIBLE_SET = "incompatibleSetTypes"


class TypeCheckError(AssayError):
    def __init__(self, kind: TypeErrorKind, message: str, node: Any) -> None:
        super().__init__(message)
        self.kind, self.message, self.node = kind, message, node
