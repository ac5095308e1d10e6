"""Concrete values that the ground evaluator gives terms, one Python shape per sort.

Bool -> bool, BV(n) -> int in [0, 2^n), Int -> int, String -> str, RegLan -> `Regex`,
Array -> `ArrayValue`, Set -> frozenset, uninterpreted sort -> `UValue`, datatype -> `DTValue`,
uninterpreted function -> `FuncValue`. All are immutable and hashable with structural equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


def _key(v: Any) -> tuple:
    """A total order on values of one sort, for canonical forms."""
    return (type(v).__name__, repr(v))


@dataclass(frozen=True)
class ArrayValue:
    """An array with finitely many entries different from `default`, kept canonical."""

    default: Any
    entries: tuple[tuple[Any, Any], ...] = ()

    @staticmethod
    def make(default: Any, mapping: dict[Any, Any] | None = None) -> ArrayValue:
        items = [(k, v) for k, v in (mapping or {}).items() if v != default]
        items.sort(key=lambda kv: _key(kv[0]))
        return ArrayValue(default, tuple(items))

    def select(self, index: Any) -> Any:
        for k, v in self.entries:
            if k == index:
                return v
        return self.default

    def store(self, index: Any, value: Any) -> ArrayValue:
        mapping = dict(self.entries)
        mapping[index] = value
        return ArrayValue.make(self.default, mapping)


@dataclass(frozen=True)
class FuncValue:
    """An interpretation of an uninterpreted function: a finite table and a default."""

    default: Any
    entries: tuple[tuple[tuple[Any, ...], Any], ...] = ()

    @staticmethod
    def make(default: Any, mapping: dict[tuple[Any, ...], Any] | None = None) -> FuncValue:
        items = sorted((mapping or {}).items(), key=lambda kv: _key(kv[0]))
        return FuncValue(default, tuple(items))

    def apply(self, args: tuple[Any, ...]) -> Any:
        for k, v in self.entries:
            if k == args:
                return v
        return self.default


@dataclass(frozen=True, order=True)
class UValue:
    """The `index`-th element of an uninterpreted sort."""

    sort_name: str
    index: int

    def __str__(self) -> str:
        return f"@{self.sort_name}!{self.index}"


@dataclass(frozen=True)
class DTValue:
    """A datatype value: a constructor name and its field values."""

    constructor: str
    fields: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Regex:
    """A regular language, held as a Python regular expression matched with fullmatch."""

    pattern: str
    compiled: re.Pattern[str] | None = field(default=None, compare=False, hash=False, repr=False)

    def matches(self, s: str) -> bool:
        return _compile(self.pattern).fullmatch(s) is not None


@lru_cache(maxsize=4096)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.DOTALL)
