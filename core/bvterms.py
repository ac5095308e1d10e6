"""Smart constructors for bit-vector terms (re-exported by `assay.core.terms`).

Each checks widths, folds constants through `assay.core.semantics`, and applies only local,
obviously sound identities (x+0, x*1, x*0, x&0, x|~0, x^x, extract of extract, ...). Signed and
unsigned comparisons other than bvult/bvule/bvslt/bvsle are rewritten into those by swapping.
Trusted by the kernel.
"""

from __future__ import annotations

from assay.core.errors import SortError
from assay.core.ops import Op
from assay.core.sorts import BOOL, BVSort, Sort
from assay.core.term import Term
from assay.core.terms import (
    BV,
    Bool,
    Eq,
    Int,
    Ite,
    _build,
    _bv,
    _int,
    _mk,
    _nat,
    _same_bv,
)

__all__ = [
    "BVNot", "BVNeg", "BVAnd", "BVOr", "BVXor", "BVNand", "BVNor", "BVXnor", "BVAdd", "BVSub",
    "BVMul", "BVUDiv", "BVURem", "BVSDiv", "BVSRem", "BVSMod", "BVShl", "BVLShr", "BVAShr",
    "Concat", "Extract", "ZeroExt", "SignExt", "RotateLeft", "RotateRight", "Repeat",
    "BVULT", "BVULE", "BVUGT", "BVUGE", "BVSLT", "BVSLE", "BVSGT", "BVSGE", "BVComp",
    "BV2Nat", "Int2BV", "BVOnes", "BVZero",
]


def _is(t: Term, value: int) -> bool:
    return t.op is Op.CONST and t.payload == value


def _ones(w: int) -> int:
    return (1 << w) - 1


def BVZero(width: int) -> Term:
    return BV(0, width)


def BVOnes(width: int) -> Term:
    return BV(-1, width)


def BVNot(a: Term) -> Term:
    a = _bv(a, "bvnot")
    if a.op is Op.BVNOT:
        return a.args[0]
    return _build(Op.BVNOT, (a,), None, a.sort)


def BVNeg(a: Term) -> Term:
    a = _bv(a, "bvneg")
    if a.op is Op.BVNEG:
        return a.args[0]
    return _build(Op.BVNEG, (a,), None, a.sort)


def _nary(op: Op, args: tuple[Term, ...], unit: int | None, zero: int | None) -> Term:
    """An associative-commutative operator over the direct arguments: constants folded into
    one (also with a constant ending a nested application of `op`, so that `(x + 1) + 1` is
    `x + 2`), the unit dropped, the zero absorbing, x&x, x|x, x^x and x&~x simplified.
    Nested applications are not flattened (that would make step-by-step chains quadratic)."""
    items = _same_bv(op.value, args)
    sort = items[0].sort
    w = sort.width
    kept: list[Term] = []
    consts: list[Term] = []
    for a in items:
        (consts if a.op is Op.CONST else kept).append(a)
    if consts and len(kept) == 1 and kept[0].op is op and kept[0].args[-1].op is Op.CONST:
        inner = kept[0]
        consts.append(inner.args[-1])
        kept = list(inner.args[:-1])
    if consts:
        c = consts[0] if len(consts) == 1 else _build(op, tuple(consts), None, sort)
        if zero is not None and _is(c, zero & _ones(w)):
            return c
        if unit is None or not _is(c, unit & _ones(w)):
            kept.append(c)
    if op in (Op.BVAND, Op.BVOR):
        kept = list(dict.fromkeys(kept))
        for a in kept:
            if a.op is Op.BVNOT and a.args[0] in kept:
                return BV(0 if op is Op.BVAND else -1, w)
    if op is Op.BVXOR:
        counts: dict[Term, int] = {}
        for a in kept:
            counts[a] = counts.get(a, 0) + 1
        kept = [a for a, n in counts.items() if n % 2 == 1]
    if not kept:
        return BV(unit if unit is not None else 0, w)
    if len(kept) == 1:
        return kept[0]
    return _mk(op, tuple(kept), None, sort)


def BVAnd(*args: Term) -> Term:
    return _nary(Op.BVAND, args, unit=-1, zero=0)


def BVOr(*args: Term) -> Term:
    return _nary(Op.BVOR, args, unit=0, zero=-1)


def BVXor(*args: Term) -> Term:
    return _nary(Op.BVXOR, args, unit=0, zero=None)


def BVAdd(*args: Term) -> Term:
    return _nary(Op.BVADD, args, unit=0, zero=None)


def BVMul(*args: Term) -> Term:
    return _nary(Op.BVMUL, args, unit=1, zero=0)


def BVNand(a: Term, b: Term) -> Term:
    return BVNot(BVAnd(a, b))


def BVNor(a: Term, b: Term) -> Term:
    return BVNot(BVOr(a, b))


def BVXnor(a: Term, b: Term) -> Term:
    return BVNot(BVXor(a, b))


def BVSub(a: Term, b: Term) -> Term:
    a, b = _same_bv("bvsub", (a, b))
    if _is(b, 0):
        return a
    if a is b:
        return BV(0, a.sort.width)
    return _build(Op.BVSUB, (a, b), None, a.sort)


def _binary(op: Op, a: Term, b: Term) -> Term:
    a, b = _same_bv(op.value, (a, b))
    return _build(op, (a, b), None, a.sort)


def BVUDiv(a: Term, b: Term) -> Term:
    return _binary(Op.BVUDIV, a, b)


def BVURem(a: Term, b: Term) -> Term:
    return _binary(Op.BVUREM, a, b)


def BVSDiv(a: Term, b: Term) -> Term:
    return _binary(Op.BVSDIV, a, b)


def BVSRem(a: Term, b: Term) -> Term:
    return _binary(Op.BVSREM, a, b)


def BVSMod(a: Term, b: Term) -> Term:
    return _binary(Op.BVSMOD, a, b)


def _shift(op: Op, a: Term, b: Term) -> Term:
    a, b = _same_bv(op.value, (a, b))
    if _is(b, 0):
        return a
    return _build(op, (a, b), None, a.sort)


def BVShl(a: Term, b: Term) -> Term:
    return _shift(Op.BVSHL, a, b)


def BVLShr(a: Term, b: Term) -> Term:
    return _shift(Op.BVLSHR, a, b)


def BVAShr(a: Term, b: Term) -> Term:
    return _shift(Op.BVASHR, a, b)


def Concat(*args: Term) -> Term:
    """Concatenation; the first argument holds the most significant bits."""
    if not args:
        raise SortError("concat needs at least one argument")
    items = tuple(_bv(a, "concat") for a in args)
    if len(items) == 1:
        return items[0]
    # merge neighbouring constants
    merged: list[Term] = []
    for a in items:
        if merged and a.op is Op.CONST and merged[-1].op is Op.CONST:
            prev = merged.pop()
            merged.append(BV((prev.payload << a.sort.width) | a.payload,
                             prev.sort.width + a.sort.width))
        else:
            merged.append(a)
    width = sum(a.sort.width for a in merged)
    if len(merged) == 1:
        return merged[0]
    return _mk(Op.CONCAT, tuple(merged), None, BVSort(width))


def Extract(a: Term, hi: int, lo: int) -> Term:
    """Bits hi..lo of `a` (inclusive), as SMT-LIB `(_ extract hi lo)`."""
    a = _bv(a, "extract")
    hi, lo = _nat(hi, "extract hi"), _nat(lo, "extract lo")
    if not lo <= hi < a.sort.width:
        raise SortError(f"extract: need 0 <= lo <= hi < {a.sort.width}, got hi={hi} lo={lo} "
                        f"on {a!r}")
    if lo == 0 and hi == a.sort.width - 1:
        return a
    if a.op is Op.EXTRACT:
        inner_lo = a.payload[1]
        return Extract(a.args[0], hi + inner_lo, lo + inner_lo)
    if a.op is Op.CONCAT:
        # select the pieces that the range touches
        pos = a.sort.width
        pieces: list[Term] = []
        for part in a.args:
            top, pos = pos - 1, pos - part.sort.width
            if top < lo or pos > hi:
                continue
            pieces.append(Extract(part, min(hi, top) - pos, max(lo, pos) - pos))
        return Concat(*pieces)
    if a.op in (Op.ZERO_EXTEND, Op.SIGN_EXTEND) and hi < a.args[0].sort.width:
        return Extract(a.args[0], hi, lo)
    return _build(Op.EXTRACT, (a,), (hi, lo), BVSort(hi - lo + 1))


def ZeroExt(a: Term, k: int) -> Term:
    a = _bv(a, "zero_extend")
    k = _nat(k, "zero_extend")
    if k == 0:
        return a
    return _build(Op.ZERO_EXTEND, (a,), (k,), BVSort(a.sort.width + k))


def SignExt(a: Term, k: int) -> Term:
    a = _bv(a, "sign_extend")
    k = _nat(k, "sign_extend")
    if k == 0:
        return a
    return _build(Op.SIGN_EXTEND, (a,), (k,), BVSort(a.sort.width + k))


def RotateLeft(a: Term, k: int) -> Term:
    a = _bv(a, "rotate_left")
    k = _nat(k, "rotate_left") % a.sort.width
    if k == 0:
        return a
    return _build(Op.ROTATE_LEFT, (a,), (k,), a.sort)


def RotateRight(a: Term, k: int) -> Term:
    a = _bv(a, "rotate_right")
    k = _nat(k, "rotate_right") % a.sort.width
    if k == 0:
        return a
    return _build(Op.ROTATE_RIGHT, (a,), (k,), a.sort)


def Repeat(a: Term, k: int) -> Term:
    if _nat(k, "repeat") < 1:
        raise SortError(f"repeat: count must be at least 1, got {k}")
    return Concat(*([a] * k))


def _cmp(op: Op, a: Term, b: Term) -> Term:
    a, b = _same_bv(op.value, (a, b))
    if a is b:
        return Bool(op in (Op.BVULE, Op.BVSLE))
    return _build(op, (a, b), None, BOOL)


def BVULT(a: Term, b: Term) -> Term:
    return _cmp(Op.BVULT, a, b)


def BVULE(a: Term, b: Term) -> Term:
    return _cmp(Op.BVULE, a, b)


def BVUGT(a: Term, b: Term) -> Term:
    return _cmp(Op.BVULT, b, a)


def BVUGE(a: Term, b: Term) -> Term:
    return _cmp(Op.BVULE, b, a)


def BVSLT(a: Term, b: Term) -> Term:
    return _cmp(Op.BVSLT, a, b)


def BVSLE(a: Term, b: Term) -> Term:
    return _cmp(Op.BVSLE, a, b)


def BVSGT(a: Term, b: Term) -> Term:
    return _cmp(Op.BVSLT, b, a)


def BVSGE(a: Term, b: Term) -> Term:
    return _cmp(Op.BVSLE, b, a)


def BVComp(a: Term, b: Term) -> Term:
    """`bvcomp`: #b1 when equal, else #b0."""
    return Ite(Eq(*_same_bv("bvcomp", (a, b))), BV(1, 1), BV(0, 1))


def BV2Nat(a: Term) -> Term:
    a = _bv(a, "bv2nat")
    return _build(Op.BV2NAT, (a,), None, _int_sort())


def Int2BV(a: Term, width: int) -> Term:
    a = _int(a, "int2bv")
    sort = BVSort(width)
    if a.op is Op.CONST:
        return BV(a.payload, width)
    return _mk(Op.INT2BV, (a,), (width,), sort)


def _int_sort() -> Sort:
    return Int(0).sort
