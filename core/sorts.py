"""Sorts of terms: Bool, BV(n), Int, String, RegLan, Array(I, E), Set(E), uninterpreted sorts and
non-recursive datatypes (records, options, enums).

Sorts are interned: two sorts are equal exactly when they are the same object, so comparing and
hashing them is cheap. Trusted by the kernel: a sort error here is a soundness bug.
"""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from assay.core.errors import SortError


class SortKind(Enum):
    BOOL = "Bool"
    BV = "BitVec"
    INT = "Int"
    STRING = "String"
    REGLAN = "RegLan"
    ARRAY = "Array"
    SET = "Set"
    UNINTERPRETED = "Uninterpreted"
    DATATYPE = "Datatype"


Field = tuple[str, "Sort"]
Constructor = tuple[str, tuple[Field, ...]]


class Sort:
    """An interned sort. Build sorts with the functions below, never with `Sort(...)`."""

    __slots__ = ("kind", "width", "args", "name", "constructors", "__weakref__")
    _table: ClassVar[dict[tuple, Sort]] = {}

    kind: SortKind
    width: int
    args: tuple[Sort, ...]
    name: str
    constructors: tuple[Constructor, ...]

    @classmethod
    def _intern(cls, kind: SortKind, width: int = 0, args: tuple[Sort, ...] = (),
                name: str = "", constructors: tuple[Constructor, ...] = ()) -> Sort:
        key = (kind, width, args, name, constructors)
        found = cls._table.get(key)
        if found is not None:
            return found
        sort = object.__new__(cls)
        sort.kind, sort.width, sort.args, sort.name = kind, width, args, name
        sort.constructors = constructors
        cls._table[key] = sort
        return sort

    # -- queries -------------------------------------------------------------------------
    @property
    def is_bool(self) -> bool:
        return self.kind is SortKind.BOOL

    @property
    def is_bv(self) -> bool:
        return self.kind is SortKind.BV

    @property
    def is_int(self) -> bool:
        return self.kind is SortKind.INT

    @property
    def index(self) -> Sort:
        """Index sort of an array sort."""
        return self.args[0]

    @property
    def element(self) -> Sort:
        """Element sort of an array or set sort."""
        return self.args[-1]

    def constructor(self, name: str) -> Constructor:
        for cons in self.constructors:
            if cons[0] == name:
                return cons
        raise SortError(f"datatype {self.name} has no constructor {name!r}; "
                        f"it has {[c[0] for c in self.constructors]}")

    def accessor(self, field: str) -> tuple[str, int, Sort]:
        """(constructor, position, sort) of the field named `field`."""
        for cname, fields in self.constructors:
            for i, (fname, fsort) in enumerate(fields):
                if fname == field:
                    return cname, i, fsort
        raise SortError(f"datatype {self.name} has no field {field!r}")

    def smtlib(self) -> str:
        k = self.kind
        if k is SortKind.BV:
            return f"(_ BitVec {self.width})"
        if k is SortKind.ARRAY:
            return f"(Array {self.args[0].smtlib()} {self.args[1].smtlib()})"
        if k is SortKind.SET:
            return f"(Set {self.args[0].smtlib()})"
        if k in (SortKind.UNINTERPRETED, SortKind.DATATYPE):
            return self.name
        return k.value

    def __repr__(self) -> str:
        return self.smtlib()

    def __reduce__(self):  # pickling keeps interning
        return (_unpickle_sort, (self.kind, self.width, self.args, self.name, self.constructors))


def _unpickle_sort(kind, width, args, name, constructors) -> Sort:
    return Sort._intern(kind, width, args, name, constructors)


def BoolSort() -> Sort:
    return _BOOL


def BVSort(width: int) -> Sort:
    if not isinstance(width, int) or isinstance(width, bool) or width < 1:
        raise SortError(f"a bit-vector width must be a positive integer, got {width!r}")
    return Sort._intern(SortKind.BV, width)


def IntSort() -> Sort:
    return _INT


def StringSort() -> Sort:
    return _STRING


def RegLanSort() -> Sort:
    return _REGLAN


def ArraySort(index: Sort, element: Sort) -> Sort:
    _check_sort(index, "index")
    _check_sort(element, "element")
    return Sort._intern(SortKind.ARRAY, args=(index, element))


def SetSort(element: Sort) -> Sort:
    _check_sort(element, "element")
    return Sort._intern(SortKind.SET, args=(element,))


def UninterpretedSort(name: str) -> Sort:
    if not name or not isinstance(name, str):
        raise SortError(f"an uninterpreted sort needs a name, got {name!r}")
    return Sort._intern(SortKind.UNINTERPRETED, name=name)


def DatatypeSort(name: str, constructors: list[tuple[str, list[tuple[str, Sort]]]]
                 | tuple[Constructor, ...]) -> Sort:
    """A non-recursive algebraic datatype: a list of constructors, each with named fields.

    >>> Point = DatatypeSort("Point", [("point", [("x", IntSort()), ("y", IntSort())])])
    >>> Point.accessor("y")
    ('point', 1, Int)
    """
    if not constructors:
        raise SortError(f"datatype {name} needs at least one constructor")
    conses: list[Constructor] = []
    seen: set[str] = set()
    for cname, fields in constructors:
        fs: list[Field] = []
        for fname, fsort in fields:
            _check_sort(fsort, f"field {fname}")
            if fname in seen:
                raise SortError(f"datatype {name}: field name {fname!r} used twice")
            seen.add(fname)
            fs.append((fname, fsort))
        if cname in seen:
            raise SortError(f"datatype {name}: constructor name {cname!r} used twice")
        seen.add(cname)
        conses.append((cname, tuple(fs)))
    # Two datatypes may share a name in one process (independent problems); a sort is its
    # whole structure. One query or script declaring a name twice is the printer's and the
    # SMT-LIB reader's concern.
    return Sort._intern(SortKind.DATATYPE, name=name, constructors=tuple(conses))


def RecordSort(name: str, fields: list[tuple[str, Sort]]) -> Sort:
    """A record: a datatype with one constructor named like the sort."""
    return DatatypeSort(name, [(f"mk-{name}", fields)])


def OptionSort(element: Sort) -> Sort:
    """`Option<E>`: constructors `none` and `some(value)`; field names are made unique."""
    tag = element.smtlib().replace(" ", "_").replace("(", "").replace(")", "")
    return DatatypeSort(f"Option_{tag}", [(f"none_{tag}", []),
                                          (f"some_{tag}", [(f"value_{tag}", element)])])


def EnumSort(name: str, values: list[str]) -> Sort:
    return DatatypeSort(name, [(v, []) for v in values])


def _check_sort(s: object, what: str) -> None:
    if not isinstance(s, Sort):
        raise SortError(f"expected a sort for {what}, got {s!r} ({type(s).__name__})")


_BOOL = Sort._intern(SortKind.BOOL)
_INT = Sort._intern(SortKind.INT)
_STRING = Sort._intern(SortKind.STRING)
_REGLAN = Sort._intern(SortKind.REGLAN)
BOOL = _BOOL
INT = _INT
STRING = _STRING
REGLAN = _REGLAN
