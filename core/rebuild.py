"""`mk_op`: build a term from an operator, arguments and payload through the smart constructors.

Passes that rewrite terms (substitution, simplification, parsing) rebuild nodes with `mk_op`, so
every node they produce is sort-checked and folded exactly as a hand-built one would be.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from assay.core import terms as T
from assay.core.errors import SortError
from assay.core.ops import Op
from assay.core.sorts import Sort
from assay.core.term import Term

_Builder = Callable[[Sequence[Term], Any, Sort | None], Term]


def _fixed(f: Callable[..., Term]) -> _Builder:
    return lambda args, payload, sort: f(*args)


def _indexed(f: Callable[..., Term]) -> _Builder:
    return lambda args, payload, sort: f(args[0], *payload)


def _const(args: Sequence[Term], payload: Any, sort: Sort | None) -> Term:
    if sort is None:
        raise SortError("a constant needs its sort")
    return T.Const(payload, sort)


def _var(args: Sequence[Term], payload: Any, sort: Sort | None) -> Term:
    if sort is None:
        raise SortError("a variable needs its sort")
    return T.Var(payload, sort)


def _const_array(args: Sequence[Term], payload: Any, sort: Sort | None) -> Term:
    if sort is None:
        raise SortError("a constant array needs its sort")
    return T.ConstArray(sort.index, args[0])


def _empty(args: Sequence[Term], payload: Any, sort: Sort | None) -> Term:
    if sort is None:
        raise SortError("an empty set needs its sort")
    return T.EmptySet(sort)


def _cons(args: Sequence[Term], payload: Any, sort: Sort | None) -> Term:
    if sort is None:
        raise SortError("a constructor application needs its sort")
    return T.Cons(sort, payload, *args)


BUILDERS: dict[Op, _Builder] = {
    Op.VAR: _var,
    Op.CONST: _const,
    Op.NOT: _fixed(T.Not),
    Op.AND: _fixed(T.And),
    Op.OR: _fixed(T.Or),
    Op.XOR: _fixed(T.Xor),
    Op.ITE: _fixed(T.Ite),
    Op.EQ: _fixed(T.Eq),
    Op.BVNOT: _fixed(T.BVNot),
    Op.BVNEG: _fixed(T.BVNeg),
    Op.BVAND: _fixed(T.BVAnd),
    Op.BVOR: _fixed(T.BVOr),
    Op.BVXOR: _fixed(T.BVXor),
    Op.BVADD: _fixed(T.BVAdd),
    Op.BVSUB: _fixed(T.BVSub),
    Op.BVMUL: _fixed(T.BVMul),
    Op.BVUDIV: _fixed(T.BVUDiv),
    Op.BVUREM: _fixed(T.BVURem),
    Op.BVSDIV: _fixed(T.BVSDiv),
    Op.BVSREM: _fixed(T.BVSRem),
    Op.BVSMOD: _fixed(T.BVSMod),
    Op.BVSHL: _fixed(T.BVShl),
    Op.BVLSHR: _fixed(T.BVLShr),
    Op.BVASHR: _fixed(T.BVAShr),
    Op.CONCAT: _fixed(T.Concat),
    Op.EXTRACT: _indexed(T.Extract),
    Op.ZERO_EXTEND: _indexed(T.ZeroExt),
    Op.SIGN_EXTEND: _indexed(T.SignExt),
    Op.ROTATE_LEFT: _indexed(T.RotateLeft),
    Op.ROTATE_RIGHT: _indexed(T.RotateRight),
    Op.BVULT: _fixed(T.BVULT),
    Op.BVULE: _fixed(T.BVULE),
    Op.BVSLT: _fixed(T.BVSLT),
    Op.BVSLE: _fixed(T.BVSLE),
    Op.BV2NAT: _fixed(T.BV2Nat),
    Op.INT2BV: _indexed(T.Int2BV),
    Op.ADD: _fixed(T.Plus),
    Op.SUB: _fixed(T.Minus),
    Op.MUL: _fixed(T.Times),
    Op.NEG: _fixed(T.Neg),
    Op.IDIV: _fixed(T.IDiv),
    Op.MOD: _fixed(T.Mod),
    Op.ABS: _fixed(T.Abs),
    Op.LE: _fixed(T.LE),
    Op.LT: _fixed(T.LT),
    Op.STR_CONCAT: _fixed(T.StrConcat),
    Op.STR_LEN: _fixed(T.StrLen),
    Op.STR_PREFIXOF: _fixed(T.StrPrefixOf),
    Op.STR_SUFFIXOF: _fixed(T.StrSuffixOf),
    Op.STR_CONTAINS: _fixed(T.StrContains),
    Op.STR_LT: _fixed(T.StrLT),
    Op.STR_LE: _fixed(T.StrLE),
    Op.STR_IN_RE: _fixed(T.StrInRe),
    Op.STR_TO_RE: _fixed(T.StrToRe),
    Op.RE_CONCAT: _fixed(T.ReConcat),
    Op.RE_UNION: _fixed(T.ReUnion),
    Op.RE_STAR: _fixed(T.ReStar),
    Op.RE_ALLCHAR: _fixed(T.ReAllChar),
    Op.RE_ALL: _fixed(T.ReAll),
    Op.RE_NONE: _fixed(T.ReNone),
    Op.SELECT: _fixed(T.Select),
    Op.STORE: _fixed(T.Store),
    Op.CONST_ARRAY: _const_array,
    Op.SET_EMPTY: _empty,
    Op.SET_INSERT: _fixed(T.SetInsert),
    Op.SET_UNION: _fixed(T.SetUnion),
    Op.SET_INTER: _fixed(T.SetInter),
    Op.SET_MINUS: _fixed(T.SetMinus),
    Op.SET_MEMBER: _fixed(T.SetMember),
    Op.SET_SUBSET: _fixed(T.SetSubset),
    Op.APPLY: lambda args, payload, sort: T.Apply(payload, *args),
    Op.DT_CONS: _cons,
    Op.DT_SELECT: lambda args, payload, sort: T.Field(args[0], payload),
    Op.DT_TEST: lambda args, payload, sort: T.IsCons(args[0], payload),
}


def mk_op(op: Op, args: Sequence[Term], payload: Any = None, sort: Sort | None = None) -> Term:
    """Build `op(args)` with its smart constructor (sort is needed only for leaves,
    constant arrays, empty sets and constructor applications)."""
    return BUILDERS[op](args, payload, sort)


def rebuild(t: Term, args: Sequence[Term]) -> Term:
    """`t` with its arguments replaced by `args` (returns `t` itself when nothing changed)."""
    if len(args) == len(t.args) and all(a is b for a, b in zip(args, t.args)):
        return t
    return BUILDERS[t.op](args, t.payload, t.sort)
