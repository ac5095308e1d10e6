"""Shared pieces of the Arm ARM pseudocode, written over the bit-vector interface `o`.

Register access (`rx` reads register 31 as zero, `rsp` as SP), `AddWithCarry`,
`ConditionHolds`, `ShiftReg`, `ExtendReg`, and decode-time helpers such as `DecodeBitMasks`
(those work on Python ints: they run once per decoded word, not per execution).
"""

from __future__ import annotations

from typing import Any

from .encoding import Unallocated

Ops = Any
V = Any
MASK64 = (1 << 64) - 1


def rx(s: Any, o: Ops, n: int, w: int) -> V:
    """X[n] or W[n]; register 31 is the zero register."""
    if n == 31:
        return o.const(0, w)
    if w == 64:
        return s.x[n]
    return o.extract(31, 0, s.x[n])


def rsp(s: Any, o: Ops, n: int, w: int) -> V:
    """X[n] or W[n]; register 31 is SP."""
    return s.x[n] if w == 64 else o.extract(31, 0, s.x[n])


def wx(s: Any, o: Ops, n: int, v: V, w: int) -> None:
    """Write X[n]/W[n] (a W write clears the upper half); register 31 discards."""
    if n != 31:
        s.x[n] = v if w == 64 else o.zero_extend(v, 32, 64)


def wsp(s: Any, o: Ops, n: int, v: V, w: int) -> None:
    """Write X[n]/W[n]; register 31 is SP."""
    s.x[n] = v if w == 64 else o.zero_extend(v, 32, 64)


def add_with_carry(o: Ops, x: V, y: V, carry: V, n: int) -> tuple[V, V]:
    """(result, nzcv) of x + y + carry, carry a 1-bit value (the Arm ARM's AddWithCarry)."""
    c = o.zero_extend(carry, 1, n + 1)
    wide = o.bvadd(o.bvadd(o.zero_extend(x, n, n + 1), o.zero_extend(y, n, n + 1), n + 1),
                   c, n + 1)
    r = o.extract(n - 1, 0, wide)
    nflag = o.extract(n - 1, n - 1, r)
    zflag = o.bool_to_bv(o.eq(r, o.const(0, n)))
    cflag = o.extract(n, n, wide)
    vflag = o.extract(n - 1, n - 1, o.bvand(o.bvxor(x, r, n), o.bvxor(y, r, n), n))
    nzcv = o.concat(o.concat(nflag, zflag, 1), o.concat(cflag, vflag, 1), 2)
    return r, nzcv


def logical_flags(o: Ops, r: V, n: int) -> V:
    """NZCV after ANDS/BICS: N and Z from the result, C = V = 0."""
    nflag = o.extract(n - 1, n - 1, r)
    zflag = o.bool_to_bv(o.eq(r, o.const(0, n)))
    return o.concat(o.concat(nflag, zflag, 1), o.const(0, 2), 2)


def condition_holds(o: Ops, cond: int, nzcv: V) -> Any:
    """The Arm ARM's ConditionHolds(cond) over the 4-bit flags value."""
    n, z, c, v = o.bit(nzcv, 3), o.bit(nzcv, 2), o.bit(nzcv, 1), o.bit(nzcv, 0)
    base = cond >> 1
    if base == 0:
        r = z
    elif base == 1:
        r = c
    elif base == 2:
        r = n
    elif base == 3:
        r = v
    elif base == 4:
        r = o.and_(c, o.not_(z))
    elif base == 5:
        r = o.not_(o.xor_(n, v))
    elif base == 6:
        r = o.and_(o.not_(o.xor_(n, v)), o.not_(z))
    else:
        return o.true()
    return o.not_(r) if cond & 1 else r


def shift_reg(o: Ops, v: V, shift_type: int, amount: int, n: int) -> V:
    """ShiftReg with a decode-time amount: LSL, LSR, ASR, ROR."""
    if amount == 0:
        return v
    if shift_type == 0:
        return o.bvshl(v, amount, n)
    if shift_type == 1:
        return o.bvlshr(v, amount, n)
    if shift_type == 2:
        return o.bvashr(v, amount, n)
    return o.rotate_right(v, amount, n)


def extend_reg(o: Ops, v: V, option: int, shift: int, n: int, vwidth: int) -> V:
    """ExtendReg: take the low 8/16/32/64 bits of a `vwidth`-bit value, zero- or sign-extend
    (option<2>) to n bits, then shift left by `shift`."""
    size = 8 << (option & 3)
    if size > vwidth:
        size = vwidth
    part = v if size == vwidth else o.extract(size - 1, 0, v)
    if size < n:
        part = (o.sign_extend if option & 4 else o.zero_extend)(part, size, n)
    elif size > n:
        part = o.extract(n - 1, 0, part)
    return o.bvshl(part, shift, n) if shift else part


def highest_set_bit(x: int) -> int:
    return x.bit_length() - 1


def ones(n: int) -> int:
    return (1 << n) - 1


def ror_int(x: int, k: int, n: int) -> int:
    k %= n
    return ((x >> k) | (x << (n - k))) & ones(n) if k else x


def replicate_int(x: int, esize: int, n: int) -> int:
    r = 0
    for _ in range(n // esize):
        r = (r << esize) | x
    return r


def decode_bit_masks(imm_n: int, imms: int, immr: int, immediate: bool,
                     m: int) -> tuple[int, int]:
    """DecodeBitMasks (decode time): (wmask, tmask) of width m; raises Unallocated."""
    length = highest_set_bit((imm_n << 6) | (~imms & 0x3F))
    if length < 1:
        raise Unallocated
    levels = ones(length)
    if immediate and (imms & levels) == levels:
        raise Unallocated
    s = imms & levels
    r = immr & levels
    diff = (s - r) & ones(6)
    esize = 1 << length
    d = diff & ones(length)
    welem = ones(s + 1)
    telem = ones(d + 1)
    if esize > m:
        raise Unallocated
    wmask = replicate_int(ror_int(welem, r, esize), esize, m)
    tmask = replicate_int(telem, esize, m)
    return wmask, tmask


def sign_extend_int(x: int, bits: int) -> int:
    return x - (1 << bits) if x >> (bits - 1) else x
