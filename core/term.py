"""The `Term` class: hash-consed, immutable DAG nodes, and uninterpreted function symbols.

Every term is interned on (operator, arguments, payload, sort), so structural equality is
identity and `==`/`hash` are the cheap object defaults. Terms are only built through the smart
constructors in `assay.core.terms`, which check sorts and fold constants; `Term._mk` is the
single place where a node comes into being. Trusted by the kernel.
"""

from __future__ import annotations

import itertools
from typing import Any, ClassVar

from assay.core.errors import SortError
from assay.core.ops import Op
from assay.core.sorts import Sort


class Term:
    """A node of the term DAG. Read `op`, `args`, `payload` and `sort`; never mutate."""

    __slots__ = ("op", "args", "payload", "sort", "uid", "__weakref__")
    _table: ClassVar[dict[tuple, Term]] = {}
    _uids: ClassVar[itertools.count] = itertools.count()

    op: Op
    args: tuple[Term, ...]
    payload: Any
    sort: Sort
    uid: int

    def __init__(self) -> None:  # pragma: no cover - guarded
        raise TypeError("terms are built with the constructors in assay.core.terms")

    @classmethod
    def _mk(cls, op: Op, args: tuple[Term, ...], payload: Any, sort: Sort) -> Term:
        key = (op, args, payload, sort)
        t = cls._table.get(key)
        if t is None:
            t = object.__new__(cls)
            t.op, t.args, t.payload, t.sort = op, args, payload, sort
            t.uid = next(cls._uids)
            cls._table[key] = t
        return t

    # -- convenient reading ---------------------------------------------------------------
    @property
    def is_const(self) -> bool:
        return self.op is Op.CONST

    @property
    def is_var(self) -> bool:
        return self.op is Op.VAR

    @property
    def value(self) -> Any:
        """The Python value of a constant."""
        if self.op is not Op.CONST:
            raise SortError(f"{self} is not a constant")
        return self.payload

    @property
    def name(self) -> str:
        """The name of a variable."""
        if self.op is not Op.VAR:
            raise SortError(f"{self} is not a variable")
        return self.payload

    @property
    def width(self) -> int:
        if not self.sort.is_bv:
            raise SortError(f"expected a bit-vector but got {self} (sort={self.sort})")
        return self.sort.width

    def is_true(self) -> bool:
        return self.op is Op.CONST and self.payload is True

    def is_false(self) -> bool:
        return self.op is Op.CONST and self.payload is False

    def __str__(self) -> str:
        from assay.core.printer import to_smtlib
        return to_smtlib(self)

    def __repr__(self) -> str:
        text = str(self)
        return text if len(text) <= 400 else text[:380] + f" ... [{len(text)} chars]"

    def __reduce__(self):
        raise TypeError("terms are not pickled; print them as SMT-LIB and parse them back")

    def __bool__(self) -> bool:
        raise TypeError(f"a term has no truth value; use is_true()/is_false(): {self!r}")


class FunctionSymbol:
    """An uninterpreted function `name : domain -> range`, interned by its signature."""

    __slots__ = ("name", "domain", "range", "__weakref__")
    _table: ClassVar[dict[tuple, FunctionSymbol]] = {}

    name: str
    domain: tuple[Sort, ...]
    range: Sort

    @classmethod
    def get(cls, name: str, domain: tuple[Sort, ...], range_: Sort) -> FunctionSymbol:
        key = (name, domain, range_)
        f = cls._table.get(key)
        if f is None:
            f = object.__new__(cls)
            f.name, f.domain, f.range = name, domain, range_
            cls._table[key] = f
        return f

    def __call__(self, *args: Term) -> Term:
        from assay.core.terms import Apply
        return Apply(self, *args)

    def __repr__(self) -> str:
        dom = " ".join(s.smtlib() for s in self.domain)
        return f"{self.name} : ({dom}) -> {self.range.smtlib()}"
