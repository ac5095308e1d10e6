"""Element arithmetic of the AdvSIMD integer classes beyond wrap-around: saturation
(the Arm ARM's SignedSatQ/UnsignedSatQ), halving and rounding, absolute difference, the
doubling multiply-high of SQDMULH/SQRDMULH, rounding and saturating shifts, and the FPSR.QC
("cumulative saturation") bit those set.

Every function works on one element through the interface `o` (README §1): it widens the
operands to a width where the exact integer result fits, computes there, and then narrows,
so the same code runs on Python ints and on core terms. Functions that may saturate return
`(value, saturated)` with `saturated` a Boolean of the interpretation.

FPSR.QC: the architecture sets QC (bit 27, sticky) when any element saturates;
`note_saturation` ORs it into `State.fpsr` (64 bits, as isa_sysreg.py keeps it; code reads
and clears it with MRS/MSR).

Trusted: the Arm ARM pseudocode these transcribe (shared/functions/integer SatQ,
shared/functions/vector); Unicorn conformance checks every row that uses them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

Ops = Any
V = Any
QC_BIT = 1 << 27
FPSR_WIDTH = 64


def widen(o: Ops, a: V, n: int, w: int, signed: bool) -> V:
    """The n-bit element a as a w-bit two's-complement integer (w > n keeps its value)."""
    return o.sign_extend(a, n, w) if signed else o.zero_extend(a, n, w)


def clamp(o: Ops, x: V, w: int, n: int, signed: bool) -> tuple[V, Any]:
    """SatQ: the w-bit two's-complement integer x saturated to the signed or unsigned n-bit
    range; returns (n-bit value, whether it saturated)."""
    if signed:
        hi, lo = (1 << (n - 1)) - 1, -(1 << (n - 1))
    else:
        hi, lo = (1 << n) - 1, 0
    over = o.bvslt(o.const(hi, w), x, w)
    under = o.bvslt(x, o.const(lo, w), w)
    value = o.ite(over, o.const(hi, n), o.ite(under, o.const(lo, n), o.extract(n - 1, 0, x)))
    return value, o.or_(over, under)


def sat_add_sub(o: Ops, a: V, b: V, n: int, signed: bool, sub: bool) -> tuple[V, Any]:
    """SQADD/UQADD/SQSUB/UQSUB on one element."""
    w = n + 2
    x, y = widen(o, a, n, w, signed), widen(o, b, n, w, signed)
    return clamp(o, o.bvsub(x, y, w) if sub else o.bvadd(x, y, w), w, n, signed)


def sat_accumulate(o: Ops, vn: V, vd: V, n: int, unsigned_result: bool) -> tuple[V, Any]:
    """SUQADD (signed result: Vn read unsigned, Vd signed) and USQADD (the reverse)."""
    w = n + 2
    x = widen(o, vn, n, w, unsigned_result)
    y = widen(o, vd, n, w, not unsigned_result)
    return clamp(o, o.bvadd(x, y, w), w, n, not unsigned_result)


def halving(o: Ops, a: V, b: V, n: int, signed: bool, sub: bool, rounding: bool) -> V:
    """SHADD/UHADD/SRHADD/URHADD/SHSUB/UHSUB: (a +- b [+ 1]) >> 1 on the exact integers,
    i.e. bits n..1 of the (n+1)-bit result."""
    w = n + 1
    x, y = widen(o, a, n, w, signed), widen(o, b, n, w, signed)
    r = o.bvsub(x, y, w) if sub else o.bvadd(x, y, w)
    if rounding:
        r = o.bvadd(r, o.const(1, w), w)
    return o.extract(n, 1, r)


def abs_diff(o: Ops, a: V, b: V, n: int, signed: bool) -> V:
    """SABD/UABD: |a - b| on the exact integers, low n bits."""
    w = n + 1
    d = o.bvsub(widen(o, a, n, w, signed), widen(o, b, n, w, signed), w)
    neg = o.bvslt(d, o.const(0, w), w)
    return o.extract(n - 1, 0, o.ite(neg, o.bvneg(d, w), d))


def doubling_mul_high(o: Ops, a: V, b: V, n: int, rounding: bool) -> tuple[V, Any]:
    """SQDMULH/SQRDMULH: SignedSatQ((2 * a * b [+ 2^(n-1)]) >> n, n)."""
    w = 2 * n + 2
    p = o.bvmul(widen(o, a, n, w, True), widen(o, b, n, w, True), w)
    p = o.bvadd(p, p, w)
    if rounding:
        p = o.bvadd(p, o.const(1 << (n - 1), w), w)
    return clamp(o, o.bvashr(p, o.const(n, w), w), w, n, True)


def rounding_mul_accumulate(o: Ops, acc: V, a: V, b: V, n: int, sub: bool) -> tuple[V, Any]:
    """SQRDMLAH/SQRDMLSH (FEAT_RDM): SignedSatQ(((acc << n) +- 2 a b + 2^(n-1)) >> n, n)."""
    w = 2 * n + 3
    p = o.bvmul(widen(o, a, n, w, True), widen(o, b, n, w, True), w)
    p = o.bvadd(p, p, w)
    x = o.bvshl(widen(o, acc, n, w, True), o.const(n, w), w)
    x = o.bvsub(x, p, w) if sub else o.bvadd(x, p, w)
    x = o.bvadd(x, o.const(1 << (n - 1), w), w)
    return clamp(o, o.bvashr(x, o.const(n, w), w), w, n, True)


def doubling_mul_long(o: Ops, a: V, b: V, n: int) -> tuple[V, Any]:
    """SQDMULL: SignedSatQ(2 * a * b, 2n) (saturates only for a = b = -2^(n-1))."""
    w = 2 * n + 2
    p = o.bvmul(widen(o, a, n, w, True), widen(o, b, n, w, True), w)
    return clamp(o, o.bvadd(p, p, w), w, 2 * n, True)


def sat_abs_neg(o: Ops, a: V, n: int, neg: bool) -> tuple[V, Any]:
    """SQABS/SQNEG: the only overflow is the most negative element."""
    w = n + 1
    x = widen(o, a, n, w, True)
    if neg:
        r = o.bvneg(x, w)
    else:
        r = o.ite(o.bvslt(x, o.const(0, w), w), o.bvneg(x, w), x)
    return clamp(o, r, w, n, True)


def sat_narrow(o: Ops, a: V, n: int, src_signed: bool, dst_signed: bool) -> tuple[V, Any]:
    """SQXTN/UQXTN/SQXTUN: the 2n-bit element a saturated to n bits."""
    w = 2 * n + 1
    return clamp(o, widen(o, a, 2 * n, w, src_signed), w, n, dst_signed)


def shift_right_exact(o: Ops, a: V, n: int, shift: int, signed: bool, rounding: bool,
                      w: int) -> V:
    """(a [+ 2^(shift-1)]) >> shift on the exact integer a (n bits, signed or not), as a w-bit
    two's-complement value; w must leave room for the rounding carry and the sign."""
    x = widen(o, a, n, w, signed)
    if rounding:
        x = o.bvadd(x, o.const(1 << (shift - 1), w), w)
    return o.bvashr(x, o.const(shift, w), w)


def rounding_shift_right(o: Ops, a: V, n: int, shift: int, signed: bool) -> V:
    """SRSHR/URSHR (1 <= shift <= n): the low n bits of the rounded shift."""
    return o.extract(n - 1, 0, shift_right_exact(o, a, n, shift, signed, True, n + 2))


def narrow_shift(o: Ops, a: V, n: int, shift: int, rounding: bool, src_signed: bool,
                 dst_signed: bool | None) -> tuple[V, Any]:
    """(R)SHRN / SQ(R)SHRN / UQ(R)SHRN / SQ(R)SHRUN: a 2n-bit element shifted right by
    1 <= shift <= n, then truncated (dst_signed None) or saturated to n bits."""
    w = 2 * n + 2
    r = shift_right_exact(o, a, 2 * n, shift, src_signed, rounding, w)
    if dst_signed is None:
        return o.extract(n - 1, 0, r), None
    return clamp(o, r, w, n, dst_signed)


def sat_shift_left_imm(o: Ops, a: V, n: int, shift: int, src_signed: bool,
                       dst_signed: bool) -> tuple[V, Any]:
    """SQSHL/UQSHL/SQSHLU (immediate): a << shift (0 <= shift < n), saturated."""
    w = 2 * n + 1
    return clamp(o, o.bvshl(widen(o, a, n, w, src_signed), o.const(shift, w), w), w, n,
                 dst_signed)


def shift_by_register(o: Ops, a: V, b: V, n: int, signed: bool, rounding: bool,
                      saturating: bool) -> tuple[V, Any]:
    """SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL (register): the low byte of b is a signed count,
    a left shift when positive, a (rounded) right shift when negative. Counts beyond n + 1
    either way give the result of n + 1 (every bit out, or saturated for any non-zero a), so
    the exact value fits in 2n + 2 bits."""
    w, lim = 2 * n + 2, n + 1
    count = o.extract(7, 0, b)
    negative = o.bvslt(count, o.const(0, 8), 8)
    left = o.ite(o.bvslt(o.const(lim, 8), count, 8), o.const(lim, 8), count)
    right = o.ite(o.bvslt(count, o.const(-lim, 8), 8), o.const(lim, 8), o.bvneg(count, 8))
    x = widen(o, a, n, w, signed)
    by_left = o.bvshl(x, o.zero_extend(left, 8, w), w)
    k = o.zero_extend(right, 8, w)
    if rounding:
        half = o.bvshl(o.const(1, w), o.bvsub(k, o.const(1, w), w), w)
        x = o.bvadd(x, half, w)
    r = o.ite(negative, o.bvashr(x, k, w), by_left)
    if saturating:
        return clamp(o, r, w, n, signed)
    return o.extract(n - 1, 0, r), None


def dot4(o: Ops, acc: V, xs: Sequence[V], ys: Sequence[V], signed: bool) -> V:
    """SDOT/UDOT (FEAT_DotProd): a 32-bit accumulator plus four byte products."""
    total = acc
    for x, y in zip(xs, ys):
        total = o.bvadd(total, o.bvmul(widen(o, x, 8, 32, signed), widen(o, y, 8, 32, signed),
                                       32), 32)
    return total


def note_saturation(s: Any, o: Ops, saturated: Sequence[Any]) -> None:
    """FPSR.QC |= any element saturated."""
    if not saturated:
        return
    flag = saturated[0]
    for f in saturated[1:]:
        flag = o.or_(flag, f)
    qc = o.ite(flag, o.const(QC_BIT, FPSR_WIDTH), o.const(0, FPSR_WIDTH))
    s.fpsr = o.bvor(s.fpsr, qc, FPSR_WIDTH)


def edge_lanes(fields: Sequence[str]) -> Any:
    """A conformance `prepare(d, case, rng)`: random cases rarely hit saturation, so write
    the extreme element values (0, +-1, the signed and unsigned limits) into random lanes of
    the registers named by `fields` (attributes of the decoded word)."""
    def prepare(d: Any, case: Any, rng: random.Random) -> None:
        base = getattr(d, "esize", 8)
        for fld in fields:
            if rng.random() < 0.3:
                continue
            reg = getattr(d, fld)
            n = 2 * base if base < 64 and rng.random() < 0.25 else base
            low = 1 << (n - 1)  # the most negative element: SQDMULH, SQABS saturate on it
            edges = (0, 1, (1 << n) - 1, low, low, low, low - 1, low + 1, (1 << n) - 2)
            v = case.v[reg]
            for lane in range(128 // n):
                if rng.random() < 0.5:
                    v &= ~(((1 << n) - 1) << (lane * n))
                    v |= rng.choice(edges) << (lane * n)
            case.v[reg] = v
    return prepare
