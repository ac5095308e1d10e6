"""Smart constructors for bit-vector terms (re-exported by `assay.core.terms`).

Each checks widths, folds constants through `assay.core.semantics`, and applies only local,
obviously sound identities (x+0, x*1, x*0, x&0, x|~0, x^x, extract of extract, ...).
Bit slicing is kept canonical: concats are flat with neighbouring constants and adjacent
extracts of one term merged, extracts move into concats, extensions, rotations, constant
shifts and (when that dissolves an argument) bitwise operations, and a rotated concat is the
concat of its rotated pieces, so the bytes of a word that is stored, loaded, byte-reversed
or split into lanes and joined again come back as the word itself. Signed and
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


_UNITS = {Op.BVAND: (-1, 0), Op.BVOR: (0, -1), Op.BVXOR: (0, None)}


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


def _join_pieces(a: Term, b: Term) -> Term | None:
    """`a` (high) and `b` (low) as one piece when they are neighbouring constants or
    neighbouring extracts of one term, else None."""
    if a.op is Op.CONST and b.op is Op.CONST:
        return BV((a.payload << b.sort.width) | b.payload, a.sort.width + b.sort.width)
    if (a.op is Op.EXTRACT and b.op is Op.EXTRACT and a.args[0] is b.args[0]
            and a.payload[1] == b.payload[0] + 1):
        return Extract(a.args[0], a.payload[0], b.payload[1])
    return None


def Concat(*args: Term) -> Term:
    """Concatenation; the first argument holds the most significant bits.

    The result is flat (no argument is itself a concat, up to `FLAT_LIMIT` pieces) and has no
    two neighbouring arguments that are constants or adjacent extracts of one term
    (`extract 15 8 x` next to `extract 7 0 x` is `extract 15 0 x`, which is `x` when x is 16
    bits wide), so a word split into bytes and joined again is the word. Merging looks only at
    the seams; the limit keeps a concat built piece by piece linear (each step copies at most
    FLAT_LIMIT pieces)."""
    if not args:
        raise SortError("concat needs at least one argument")
    items = tuple(_bv(a, "concat") for a in args)
    if len(items) == 1:
        return items[0]
    merged: list[Term] = []
    for a in items:
        parts = a.args if a.op is Op.CONCAT and len(merged) + len(a.args) <= FLAT_LIMIT \
            else (a,)
        if merged:
            joined = _join_pieces(merged[-1], parts[0])
            if joined is not None:
                merged[-1] = joined
                merged.extend(parts[1:])
                continue
        merged.extend(parts)
    if len(merged) == 1:
        return merged[0]
    width = sum(a.sort.width for a in items)
    return _mk(Op.CONCAT, tuple(merged), None, BVSort(width))


# Concats nest instead of splicing past this many pieces (see Concat).
FLAT_LIMIT = 256
# How many operators an extract may be pushed through below the one it is applied to: the
# rewrites descend into arguments, and terms from symbolic runs are thousands deep.
EXTRACT_DEPTH = 4
_BITWISE = frozenset({Op.BVAND, Op.BVOR, Op.BVXOR, Op.BVNOT})
_SHIFTS = frozenset({Op.BVSHL, Op.BVLSHR, Op.BVASHR})
# operators an extract dissolves into (it becomes pieces of the argument's own arguments)
_SLICEABLE = frozenset({Op.CONST, Op.CONCAT, Op.ZERO_EXTEND, Op.SIGN_EXTEND,
                        Op.ROTATE_LEFT, Op.ROTATE_RIGHT})


def _sliceable(t: Term) -> bool:
    return t.op in _SLICEABLE or (t.op in _SHIFTS and t.args[1].op is Op.CONST)


def _cheap_to_push(a: Term) -> bool:
    """An extract of bitwise operation `a` is pushed into its arguments when at most one of
    them keeps an extract node of its own (the others dissolve): the result is then no
    bigger, and the pieces of concatenated operands (lanes, bytes, constants) show."""
    return sum(1 for x in a.args if not _sliceable(x)) <= 1


def Extract(a: Term, hi: int, lo: int) -> Term:
    """Bits hi..lo of `a` (inclusive), as SMT-LIB `(_ extract hi lo)`.

    The extract is moved towards the leaves where that removes work: an extract of a concat
    keeps the pieces it touches, of an extract is one extract, of a zero/sign extension,
    rotation or constant shift takes the bits from the argument (and zeros or sign copies),
    and of a bitwise and/or/xor/not is the operation on extracts of the arguments when all
    of them but at most one are themselves sliceable (a constant, concat, extension,
    rotation, shift by a constant), so that bytes and lanes of a vector built from pieces are
    the pieces."""
    a = _bv(a, "extract")
    hi, lo = _nat(hi, "extract hi"), _nat(lo, "extract lo")
    if not lo <= hi < a.sort.width:
        raise SortError(f"extract: need 0 <= lo <= hi < {a.sort.width}, got hi={hi} lo={lo} "
                        f"on {a!r}")
    return _extract(a, hi, lo, EXTRACT_DEPTH)


def _extract(a: Term, hi: int, lo: int, depth: int) -> Term:
    n = a.sort.width
    if lo == 0 and hi == n - 1:
        return a
    op = a.op
    if op is Op.CONST:
        return BV(a.payload >> lo, hi - lo + 1)
    if op is Op.EXTRACT:  # never over an extract or a concat, so this does not descend
        inner_lo = a.payload[1]
        return _extract(a.args[0], hi + inner_lo, lo + inner_lo, 0)
    if op is Op.CONCAT:
        pieces = [_extract(part, min(hi, base + part.sort.width - 1) - base,
                           max(lo, base) - base, depth - 1)
                  for part, base in _pieces_in(a, hi, lo)]
        return Concat(*pieces)
    if depth > 0:
        r = _extract_through(a, hi, lo, depth - 1)
        if r is not None:
            return r
    return _mk(Op.EXTRACT, (a,), (hi, lo), BVSort(hi - lo + 1))


def _pieces_in(a: Term, hi: int, lo: int) -> list[tuple[Term, int]]:
    """The non-concat pieces of (possibly nested) concat `a` that bits hi..lo touch, most
    significant first, each with the position of its lowest bit; iterative (concats longer
    than FLAT_LIMIT pieces nest)."""
    out: list[tuple[Term, int]] = []
    stack = [(a, 0)]
    while stack:
        t, base = stack.pop()
        if t.op is not Op.CONCAT:
            out.append((t, base))
            continue
        pos = base + t.sort.width
        touched = []
        for part in t.args:
            pos -= part.sort.width
            if pos <= hi and pos + part.sort.width - 1 >= lo:
                touched.append((part, pos))
        stack.extend(reversed(touched))
    return out


def _extract_through(a: Term, hi: int, lo: int, depth: int) -> Term | None:
    """An extract of extensions, rotations, constant shifts and bitwise operations in terms
    of their arguments, or None."""
    op, n = a.op, a.sort.width
    if op is Op.ZERO_EXTEND or op is Op.SIGN_EXTEND:
        x = a.args[0]
        w = x.sort.width
        if hi < w:
            return _extract(x, hi, lo, depth)
        if op is Op.ZERO_EXTEND:
            if lo >= w:
                return BV(0, hi - lo + 1)
            return ZeroExt(_extract(x, w - 1, lo, depth), hi - w + 1)
        if lo >= w:
            return SignExt(_extract(x, w - 1, w - 1, depth), hi - lo)
        return SignExt(_extract(x, w - 1, lo, depth), hi - w + 1)
    if op is Op.ROTATE_LEFT or op is Op.ROTATE_RIGHT:
        k = a.payload[0] if op is Op.ROTATE_RIGHT else n - a.payload[0]
        return _bits_of(a.args[0], hi + k, lo + k, depth)
    if op in _SHIFTS:
        if a.args[1].op is not Op.CONST:
            return None
        return _extract_shift(a, hi, lo, depth)
    if op in _BITWISE and _cheap_to_push(a):
        parts = [_extract(x, hi, lo, depth) for x in a.args]
        if op is Op.BVNOT:
            return BVNot(parts[0])
        return _nary(op, tuple(parts), *_UNITS[op])
    return None


def _bits_of(x: Term, hi: int, lo: int, depth: int) -> Term:
    """Bits hi..lo of x read cyclically (indices modulo the width; hi - lo < width)."""
    n = x.sort.width
    hi, lo = hi % n, lo % n
    if lo <= hi:
        return _extract(x, hi, lo, depth)
    return Concat(_extract(x, hi, 0, depth), _extract(x, n - 1, lo, depth))


def _extract_shift(a: Term, hi: int, lo: int, depth: int) -> Term:
    x, n, k = a.args[0], a.sort.width, a.args[1].payload
    k = min(k, n)
    if a.op is Op.BVSHL:  # bit i is x[i - k], zero below k
        if lo >= k:
            return _extract(x, hi - k, lo - k, depth)
        if hi < k:
            return BV(0, hi - lo + 1)
        return Concat(_extract(x, hi - k, 0, depth), BV(0, k - lo))
    # bvlshr/bvashr: bit i is x[i + k], zero (or the sign) from n - k up
    if hi + k < n:
        return _extract(x, hi + k, lo + k, depth)
    if a.op is Op.BVLSHR:
        if lo + k >= n:
            return BV(0, hi - lo + 1)
        return ZeroExt(_extract(x, n - 1, lo + k, depth), hi + k - n + 1)
    if lo + k >= n:
        return SignExt(_extract(x, n - 1, n - 1, depth), hi - lo)
    return SignExt(_extract(x, n - 1, lo + k, depth), hi + k - n + 1)


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
    if a.op is Op.CONCAT:
        return _rotated(a, a.sort.width - k)
    return _build(Op.ROTATE_LEFT, (a,), (k,), a.sort)


def RotateRight(a: Term, k: int) -> Term:
    a = _bv(a, "rotate_right")
    k = _nat(k, "rotate_right") % a.sort.width
    if k == 0:
        return a
    if a.op is Op.CONCAT:
        return _rotated(a, k)
    return _build(Op.ROTATE_RIGHT, (a,), (k,), a.sort)


def _rotated(a: Term, k: int) -> Term:
    """A concat rotated right by k, as the concat of its pieces in their new order (a byte
    swap of pieces is the swapped pieces, not a rotation over them)."""
    n = a.sort.width
    return Concat(Extract(a, k - 1, 0), Extract(a, n - 1, k))


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
