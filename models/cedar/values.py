"""Cedar values as Python objects, with Cedar's equality.

    Bool    -> bool          Long   -> int (64-bit signed; the evaluator checks overflow)
    String  -> str           Entity -> EntityUID(type, id)
    Set     -> CedarSet      Record -> Record (a frozen mapping from str)
    decimal, ipaddr, datetime, duration -> the classes of `extensions` (part B's module)

Python says `True == 1`; Cedar does not. `CedarSet` and `Record` therefore compare and hash
their contents through `cedar_key`, and the evaluator compares values with `cedar_eq`.
Entities, the entity store and requests are in `entities.py`; the JSON formats in `json_io.py`.

Trusts: nothing beyond the Python standard library.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

LONG_MIN = -(2**63)
LONG_MAX = 2**63 - 1


class EntityUID(NamedTuple):
    """An entity's unique identifier: its (possibly namespaced) type and its id.

    A named tuple, so that hashing and equality (the authorizer's inner loop) run in C.
    """

    type: str
    id: str

    def __str__(self) -> str:
        return f"{self.type}::{quote_string(self.id)}"


def cedar_key(v: Any) -> Any:
    """A Python object whose equality and hash are Cedar equality of `v`."""
    if v.__class__ is bool:
        return (v, "bool")
    return v


def cedar_eq(a: Any, b: Any) -> bool:
    return cedar_key(a) == cedar_key(b)


class CedarSet:
    """An immutable, hashable Cedar set."""

    __slots__ = ("_items", "_hash")

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self._items: dict[Any, Any] = {cedar_key(v): v for v in items}
        self._hash: int | None = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, v: Any) -> bool:
        return cedar_key(v) in self._items

    def keys(self) -> frozenset[Any]:
        return frozenset(self._items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CedarSet) and self._items.keys() == other._items.keys()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._items))
        return self._hash

    def __repr__(self) -> str:
        return "CedarSet([" + ", ".join(repr(v) for v in self) + "])"


class Record(Mapping[str, Any]):
    """An immutable, hashable Cedar record."""

    __slots__ = ("_attrs", "_hash")

    def __init__(self, attrs: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> None:
        self._attrs: dict[str, Any] = dict(attrs)
        self._hash: int | None = None

    def __getitem__(self, key: str) -> Any:
        return self._attrs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._attrs)

    def __len__(self) -> int:
        return len(self._attrs)

    def __contains__(self, key: object) -> bool:
        return key in self._attrs

    def _keyed(self) -> dict[str, Any]:
        return {k: cedar_key(v) for k, v in self._attrs.items()}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and self._keyed() == other._keyed()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._keyed().items()))
        return self._hash

    def __repr__(self) -> str:
        return "Record({" + ", ".join(f"{k!r}: {v!r}" for k, v in self._attrs.items()) + "})"


Value = bool | int | str | EntityUID | CedarSet | Record | Any  # Any: extension values


def type_name(v: Any) -> str:
    """Cedar's name for the type of a value, for error messages."""
    if v.__class__ is bool:
        return "Bool"
    if isinstance(v, int):
        return "Long"
    if isinstance(v, str):
        return "String"
    if isinstance(v, EntityUID):
        return f"(entity of type `{v.type}`)"
    if isinstance(v, CedarSet):
        return "Set"
    if isinstance(v, Record):
        return "Record"
    return getattr(v, "cedar_type", type(v).__name__.lower())


def quote_string(s: str) -> str:
    """A Cedar string literal for `s`, escaped as Cedar's own printer does."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\0":
            out.append("\\0")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
