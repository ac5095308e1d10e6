"""Smart constructors: the only way to build terms. They check sorts and fold constants.

Folding uses `assay.core.semantics`, the same table the ground evaluator uses. Simplifications
here are local and cheap (units, absorbing elements, double negation, identical arguments); the
heavier word-level normalisation lives with the `sat` backend. Some SMT-LIB operators are
rewritten into the closed operator set (`BVUGT(a, b)` is `BVULT(b, a)`, `Implies(a, b)` is
`Or(Not(a), b)`, ...). Trusted by the kernel.

>>> x = Var("x", BVSort(8))
>>> BVAdd(x, BV(0, 8)) is x
True
>>> BVAdd(BV(200, 8), BV(100, 8)).value
44
>>> And() is TRUE, And(x_ := Var("p", BOOL)) is x_
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assay.core.errors import SortError
from assay.core.ops import Op
from assay.core.semantics import SEMANTICS, IntDivisionByZero
from assay.core.sorts import (
    BOOL,
    INT,
    STRING,
    ArraySort,
    BVSort,
    Sort,
    SortKind,
)
from assay.core.term import FunctionSymbol, Term

_mk = Term._mk

# ---------------------------------------------------------------------------------------
# checks


def _show(t: object) -> str:
    if isinstance(t, Term):
        return f"{t!r} (sort={t.sort})"
    return f"{t!r} ({type(t).__name__}, not a term)"


def _term(t: object, what: str) -> Term:
    if not isinstance(t, Term):
        raise SortError(f"{what}: expected a term but got {_show(t)}")
    return t


def _bool(t: object, what: str) -> Term:
    t = _term(t, what)
    if t.sort is not BOOL:
        raise SortError(f"{what}: expected a Bool but got {_show(t)}")
    return t


def _bv(t: object, what: str, width: int | None = None) -> Term:
    t = _term(t, what)
    if not t.sort.is_bv or (width is not None and t.sort.width != width):
        want = "a bit-vector" if width is None else f"a bit-vector of width {width}"
        raise SortError(f"{what}: expected {want} but got {_show(t)}")
    return t


def _same_bv(what: str, args: tuple[object, ...], minimum: int = 1) -> tuple[Term, ...]:
    if len(args) < minimum:
        raise SortError(f"{what} needs at least {minimum} arguments, got {len(args)}")
    first = _bv(args[0], what)
    return (first,) + tuple(_bv(a, what, first.sort.width) for a in args[1:])


def _int(t: object, what: str) -> Term:
    t = _term(t, what)
    if t.sort is not INT:
        raise SortError(f"{what}: expected an Int but got {_show(t)}")
    return t


def _of(t: object, sort: Sort, what: str) -> Term:
    t = _term(t, what)
    if t.sort is not sort:
        raise SortError(f"{what}: expected sort {sort} but got {_show(t)}")
    return t


def _nat(k: object, what: str) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise SortError(f"{what}: expected a non-negative integer index but got {k!r}")
    return k


def _fold(op: Op, args: tuple[Term, ...], payload: Any, sort: Sort) -> Term | None:
    """The constant for `op(args)` when every argument is a constant, else None."""
    for a in args:
        if a.op is not Op.CONST:
            return None
    try:
        value = SEMANTICS[op]([a.payload for a in args], payload,
                              tuple(a.sort for a in args), sort)
    except IntDivisionByZero:
        return None
    return Const(value, sort)


def _build(op: Op, args: tuple[Term, ...], payload: Any, sort: Sort) -> Term:
    folded = _fold(op, args, payload, sort)
    return folded if folded is not None else _mk(op, args, payload, sort)


# ---------------------------------------------------------------------------------------
# leaves


def Var(name: str, sort: Sort) -> Term:
    """A free symbol (SMT-LIB `declare-const`)."""
    if not isinstance(name, str) or not name:
        raise SortError(f"a variable needs a non-empty string name, got {name!r}")
    if not isinstance(sort, Sort):
        raise SortError(f"variable {name}: expected a sort but got {sort!r}")
    return _mk(Op.VAR, (), name, sort)


def Const(value: Any, sort: Sort) -> Term:
    """A constant of sort Bool, BV(n), Int or String."""
    k = sort.kind
    if k is SortKind.BOOL:
        if not isinstance(value, bool):
            raise SortError(f"a Bool constant must be True or False, got {value!r}")
    elif k is SortKind.BV:
        if (not isinstance(value, int) or isinstance(value, bool) or value < 0
                or value >> sort.width):
            raise SortError(f"a constant of sort {sort} must be an int in [0, 2^{sort.width}), "
                            f"got {value!r}")
    elif k is SortKind.INT:
        if not isinstance(value, int) or isinstance(value, bool):
            raise SortError(f"an Int constant must be a Python int, got {value!r}")
    elif k is SortKind.STRING:
        if not isinstance(value, str):
            raise SortError(f"a String constant must be a Python str, got {value!r}")
    else:
        raise SortError(f"no literal constants of sort {sort}; build its values with its "
                        "constructors (ConstArray, EmptySet/SetInsert, Cons)")
    return _mk(Op.CONST, (), value, sort)


TRUE = Const(True, BOOL)
FALSE = Const(False, BOOL)


def Bool(value: bool) -> Term:
    return TRUE if value else FALSE


def BV(value: int, width: int) -> Term:
    """A bit-vector constant; negative and oversized values wrap modulo 2^width."""
    sort = BVSort(width)
    if not isinstance(value, int) or isinstance(value, bool):
        raise SortError(f"BV: expected an int value but got {value!r}")
    return _mk(Op.CONST, (), value & ((1 << width) - 1), sort)


def Int(value: int) -> Term:
    return Const(value, INT)


def String(value: str) -> Term:
    return Const(value, STRING)


# ---------------------------------------------------------------------------------------
# Boolean structure


def Not(a: Term) -> Term:
    a = _bool(a, "not")
    if a.op is Op.CONST:
        return FALSE if a.payload else TRUE
    if a.op is Op.NOT:
        return a.args[0]
    return _mk(Op.NOT, (a,), None, BOOL)


def _junction(op: Op, unit: Term, zero: Term, args: Iterable[Term]) -> Term:
    """And/Or over the direct arguments: units dropped, the zero absorbs, duplicates and
    complementary pairs detected. Nested applications are NOT flattened: flattening one level
    per call makes step-by-step chains (path conditions) quadratic; normalisation flattens."""
    name = op.value
    seen: dict[Term, None] = {}
    for a in args:
        a = _bool(a, name)
        if a is unit:
            continue
        if a is zero:
            return zero
        seen[a] = None
    items = tuple(seen)
    if not items:
        return unit
    if len(items) == 1:
        return items[0]
    for a in items:
        if a.op is Op.NOT and a.args[0] in seen:
            return zero
    return _mk(op, items, None, BOOL)


def And(*args: Term) -> Term:
    """Conjunction without duplicates; `And()` is TRUE, `And(x)` is x."""
    if len(args) == 1 and not isinstance(args[0], Term):
        args = tuple(args[0])  # And(list_of_terms)
    return _junction(Op.AND, TRUE, FALSE, args)


def Or(*args: Term) -> Term:
    """Disjunction without duplicates; `Or()` is FALSE, `Or(x)` is x."""
    if len(args) == 1 and not isinstance(args[0], Term):
        args = tuple(args[0])
    return _junction(Op.OR, FALSE, TRUE, args)


def Implies(a: Term, b: Term) -> Term:
    return Or(Not(a), b)


def Xor(a: Term, b: Term) -> Term:
    a, b = _bool(a, "xor"), _bool(b, "xor")
    if a.op is Op.CONST:
        return Not(b) if a.payload else b
    if b.op is Op.CONST:
        return Not(a) if b.payload else a
    if a is b:
        return FALSE
    if a.uid > b.uid:
        a, b = b, a
    return _mk(Op.XOR, (a, b), None, BOOL)


def Iff(a: Term, b: Term) -> Term:
    return Eq(_bool(a, "iff"), _bool(b, "iff"))


def Ite(c: Term, a: Term, b: Term) -> Term:
    c = _bool(c, "ite condition")
    a, b = _term(a, "ite then-branch"), _term(b, "ite else-branch")
    if a.sort is not b.sort:
        raise SortError(f"ite: branches must have one sort, got {_show(a)} and {_show(b)}")
    if c.op is Op.CONST:
        return a if c.payload else b
    if a is b:
        return a
    if c.op is Op.NOT:
        c, a, b = c.args[0], b, a
    if a.sort is BOOL:
        if a.is_true() and b.is_false():
            return c
        if a.is_false() and b.is_true():
            return Not(c)
    return _mk(Op.ITE, (c, a, b), None, a.sort)


def Eq(a: Term, b: Term) -> Term:
    a, b = _term(a, "="), _term(b, "=")
    if a.sort is not b.sort:
        raise SortError(f"=: both sides must have one sort, got {_show(a)} and {_show(b)}")
    if a is b:
        return TRUE
    if a.op is Op.CONST and b.op is Op.CONST:
        return Bool(a.payload == b.payload)
    if a.sort is BOOL:
        if a.op is Op.CONST:
            return b if a.payload else Not(b)
        if b.op is Op.CONST:
            return a if b.payload else Not(a)
    if a.uid > b.uid:
        a, b = b, a
    return _mk(Op.EQ, (a, b), None, BOOL)


def Distinct(*args: Term) -> Term:
    pairs = [Not(Eq(args[i], args[j])) for i in range(len(args)) for j in range(i + 1, len(args))]
    return And(*pairs)


def AtMostOne(*args: Term) -> Term:
    return And(*[Or(Not(args[i]), Not(args[j]))
                 for i in range(len(args)) for j in range(i + 1, len(args))])


# ---------------------------------------------------------------------------------------
# uninterpreted functions and datatypes


def Function(name: str, domain: Iterable[Sort], range_: Sort) -> FunctionSymbol:
    """Declare an uninterpreted function symbol (SMT-LIB `declare-fun` with arguments)."""
    dom = tuple(domain)
    for s in (*dom, range_):
        if not isinstance(s, Sort):
            raise SortError(f"function {name}: expected sorts, got {s!r}")
    if not dom:
        raise SortError(f"function {name} has no arguments: use Var({name!r}, sort)")
    return FunctionSymbol.get(name, dom, range_)


def Apply(f: FunctionSymbol, *args: Term) -> Term:
    if len(args) != len(f.domain):
        raise SortError(f"{f.name} takes {len(f.domain)} arguments, got {len(args)}")
    checked = tuple(_of(a, s, f"argument {i + 1} of {f.name}")
                    for i, (a, s) in enumerate(zip(args, f.domain)))
    return _mk(Op.APPLY, checked, f, f.range)


def Cons(sort: Sort, constructor: str, *args: Term) -> Term:
    """Apply a datatype constructor."""
    if sort.kind is not SortKind.DATATYPE:
        raise SortError(f"Cons: {sort} is not a datatype")
    _, fields = sort.constructor(constructor)
    if len(fields) != len(args):
        raise SortError(f"{constructor} takes {len(fields)} fields, got {len(args)}")
    checked = tuple(_of(a, fs, f"field {fn} of {constructor}")
                    for a, (fn, fs) in zip(args, fields))
    return _mk(Op.DT_CONS, checked, constructor, sort)


def Field(t: Term, field: str) -> Term:
    """Select a datatype field by name."""
    t = _term(t, f"field {field}")
    if t.sort.kind is not SortKind.DATATYPE:
        raise SortError(f"field {field}: expected a datatype value but got {_show(t)}")
    cname, pos, fsort = t.sort.accessor(field)
    if t.op is Op.DT_CONS and t.payload == cname:
        return t.args[pos]
    return _mk(Op.DT_SELECT, (t,), field, fsort)


def IsCons(t: Term, constructor: str) -> Term:
    """The tester `(_ is constructor)`."""
    t = _term(t, f"is-{constructor}")
    if t.sort.kind is not SortKind.DATATYPE:
        raise SortError(f"is-{constructor}: expected a datatype value but got {_show(t)}")
    t.sort.constructor(constructor)
    if t.op is Op.DT_CONS:
        return Bool(t.payload == constructor)
    if len(t.sort.constructors) == 1:
        return TRUE
    return _mk(Op.DT_TEST, (t,), constructor, BOOL)


# ---------------------------------------------------------------------------------------
# arrays and sets


def Select(a: Term, i: Term) -> Term:
    a = _term(a, "select")
    if a.sort.kind is not SortKind.ARRAY:
        raise SortError(f"select: expected an array but got {_show(a)}")
    i = _of(i, a.sort.index, "select index")
    # read over write with constant, distinct indices
    while a.op is Op.STORE and i.op is Op.CONST and a.args[1].op is Op.CONST:
        if a.args[1] is i:
            return a.args[2]
        a = a.args[0]
    if a.op is Op.STORE and a.args[1] is i:
        return a.args[2]
    if a.op is Op.CONST_ARRAY:
        return a.args[0]
    return _mk(Op.SELECT, (a, i), None, a.sort.element)


def Store(a: Term, i: Term, v: Term) -> Term:
    a = _term(a, "store")
    if a.sort.kind is not SortKind.ARRAY:
        raise SortError(f"store: expected an array but got {_show(a)}")
    i = _of(i, a.sort.index, "store index")
    v = _of(v, a.sort.element, "store value")
    return _mk(Op.STORE, (a, i, v), None, a.sort)


def ConstArray(index: Sort, value: Term) -> Term:
    value = _term(value, "const array")
    return _mk(Op.CONST_ARRAY, (value,), None, ArraySort(index, value.sort))


def EmptySet(sort: Sort) -> Term:
    """The empty set of the set sort `sort`."""
    if sort.kind is not SortKind.SET:
        raise SortError(f"EmptySet: expected a set sort, got {sort}")
    return _mk(Op.SET_EMPTY, (), None, sort)


def _set(s: Term, what: str) -> Term:
    s = _term(s, what)
    if s.sort.kind is not SortKind.SET:
        raise SortError(f"{what}: expected a set but got {_show(s)}")
    return s


def SetInsert(e: Term, s: Term) -> Term:
    s = _set(s, "set.insert")
    e = _of(e, s.sort.element, "set.insert element")
    return _mk(Op.SET_INSERT, (e, s), None, s.sort)


def SetOf(sort: Sort, *elements: Term) -> Term:
    """The set of `elements`, of set sort `sort`."""
    s = EmptySet(sort)
    for e in elements:
        s = SetInsert(e, s)
    return s


def _set2(op: Op, a: Term, b: Term) -> Term:
    a, b = _set(a, op.value), _set(b, op.value)
    if a.sort is not b.sort:
        raise SortError(f"{op.value}: sets of different sorts {_show(a)} and {_show(b)}")
    return _mk(op, (a, b), None, a.sort)


def SetUnion(a: Term, b: Term) -> Term:
    return _set2(Op.SET_UNION, a, b)


def SetInter(a: Term, b: Term) -> Term:
    return _set2(Op.SET_INTER, a, b)


def SetMinus(a: Term, b: Term) -> Term:
    return _set2(Op.SET_MINUS, a, b)


def SetMember(e: Term, s: Term) -> Term:
    s = _set(s, "set.member")
    e = _of(e, s.sort.element, "set.member element")
    return _mk(Op.SET_MEMBER, (e, s), None, BOOL)


def SetSubset(a: Term, b: Term) -> Term:
    a, b = _set(a, "set.subset"), _set(b, "set.subset")
    if a.sort is not b.sort:
        raise SortError(f"set.subset: sets of different sorts {_show(a)} and {_show(b)}")
    return _mk(Op.SET_SUBSET, (a, b), None, BOOL)


# ---------------------------------------------------------------------------------------
# integers


def Plus(*args: Term) -> Term:
    items = tuple(_int(a, "+") for a in args)
    if not items:
        return Int(0)
    items = tuple(a for a in items if not (a.op is Op.CONST and a.payload == 0)) or (Int(0),)
    return items[0] if len(items) == 1 else _build(Op.ADD, items, None, INT)


def Minus(a: Term, b: Term) -> Term:
    a, b = _int(a, "-"), _int(b, "-")
    if b.op is Op.CONST and b.payload == 0:
        return a
    return _build(Op.SUB, (a, b), None, INT)


def Times(*args: Term) -> Term:
    items = tuple(_int(a, "*") for a in args)
    if not items:
        return Int(1)
    items = tuple(a for a in items if not (a.op is Op.CONST and a.payload == 1)) or (Int(1),)
    return items[0] if len(items) == 1 else _build(Op.MUL, items, None, INT)


def Neg(a: Term) -> Term:
    return _build(Op.NEG, (_int(a, "-"),), None, INT)


def IDiv(a: Term, b: Term) -> Term:
    return _build(Op.IDIV, (_int(a, "div"), _int(b, "div")), None, INT)


def Mod(a: Term, b: Term) -> Term:
    return _build(Op.MOD, (_int(a, "mod"), _int(b, "mod")), None, INT)


def Abs(a: Term) -> Term:
    return _build(Op.ABS, (_int(a, "abs"),), None, INT)


def LE(a: Term, b: Term) -> Term:
    return _build(Op.LE, (_int(a, "<="), _int(b, "<=")), None, BOOL)


def LT(a: Term, b: Term) -> Term:
    return _build(Op.LT, (_int(a, "<"), _int(b, "<")), None, BOOL)


def GE(a: Term, b: Term) -> Term:
    return LE(b, a)


def GT(a: Term, b: Term) -> Term:
    return LT(b, a)


def __getattr__(name: str) -> Any:
    """The bit-vector and string constructors live in `bvterms` and `strterms` (which import
    this module); they are fetched on first use so that any of the modules can load first."""
    import importlib
    for module, names in (("assay.core.bvterms", _BV_NAMES), ("assay.core.strterms", _STR_NAMES)):
        if name in names:
            value = getattr(importlib.import_module(module), name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'assay.core.terms' has no attribute {name!r}")


_STR_NAMES = frozenset({
    "StrConcat", "StrLen", "StrPrefixOf", "StrSuffixOf", "StrContains", "StrLT", "StrLE",
    "StrInRe", "StrToRe", "ReConcat", "ReUnion", "ReStar", "ReAllChar", "ReAll", "ReNone",
})


_BV_NAMES = frozenset({
    "BVNot", "BVNeg", "BVAnd", "BVOr", "BVXor", "BVNand", "BVNor", "BVXnor", "BVAdd", "BVSub",
    "BVMul", "BVUDiv", "BVURem", "BVSDiv", "BVSRem", "BVSMod", "BVShl", "BVLShr", "BVAShr",
    "Concat", "Extract", "ZeroExt", "SignExt", "RotateLeft", "RotateRight", "Repeat",
    "BVULT", "BVULE", "BVUGT", "BVUGE", "BVSLT", "BVSLE", "BVSGT", "BVSGE", "BVComp",
    "BV2Nat", "Int2BV", "BVOnes", "BVZero",
})


def mk_op(op: Op, args: Iterable[Term], payload: Any = None, sort: Sort | None = None) -> Term:
    """`assay.core.rebuild.mk_op`, imported lazily: importing rebuild here would make
    `import assay.core.walkers` (or printer, evaluate) fail when it comes first."""
    from assay.core.rebuild import mk_op as build
    return build(op, tuple(args), payload, sort)


__all__ = [
    "Term", "FunctionSymbol", "Var", "Const", "TRUE", "FALSE", "Bool", "BV", "Int", "String",
    "Not", "And", "Or", "Implies", "Xor", "Iff", "Ite", "Eq", "Distinct", "AtMostOne",
    "Function", "Apply", "Cons", "Field", "IsCons", "Select", "Store", "ConstArray",
    "EmptySet", "SetInsert", "SetOf", "SetUnion", "SetInter", "SetMinus", "SetMember",
    "SetSubset", "Plus", "Minus", "Times", "Neg", "IDiv", "Mod", "Abs", "LE", "LT", "GE", "GT",
    "mk_op", *sorted(_STR_NAMES), *sorted(_BV_NAMES),
]
