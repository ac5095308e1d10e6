"""The bit-vector value interface that every AArch64 semantics is written against.

Instruction semantics never compute on values directly: they call the operations of an `ops`
object (`o.bvadd(a, b, n)`, `o.extract(hi, lo, a)`, `o.ite(c, a, b)`, ...). This module defines
the concrete interpretation, `ConcreteBV`, where a value of width n is a plain Python int in
[0, 2**n) and a Boolean is a Python bool. The symbolic interpretation maps each operation onto a
core term of the same SMT-LIB name, so the same instruction code runs over terms.

Conventions, so that both interpretations agree:
- widths are Python ints known at decode time; operations that need a width take it last (`n`);
- a Python int may be passed wherever a value is expected (it stands for a constant of that width);
- comparisons return Booleans; `ite(c, a, b)` selects between values; `decide(c)` is the single
  place where a Boolean becomes a Python bool (a control-flow decision point; the symbolic
  executor forks or requires a constant there);
- `udiv`/`sdiv` follow Arm (division by zero gives zero), unlike SMT-LIB's bvudiv/bvsdiv.

Trusted: this file is the meaning of every concrete run (Unicorn conformance checks it).
"""

from __future__ import annotations

import struct
from typing import Any

MASK = [(1 << n) - 1 for n in range(257)]

Value = Any  # an int in ConcreteBV, a core term in the symbolic interpretation
Bool = Any  # a bool in ConcreteBV, a Bool term in the symbolic interpretation


class ConcreteBV:
    """Bit-vectors as Python ints (unsigned, already masked); Booleans as Python bools.

    Plain methods, not staticmethods: CPython calls bound methods faster (the hot path)."""

    symbolic = False

    # -- constants and structure -------------------------------------------------------------
    def const(self, v: int, n: int) -> int:
        return v & MASK[n]

    def extract(self, hi: int, lo: int, a: int) -> int:
        return (a >> lo) & MASK[hi - lo + 1]

    def concat(self, a: int, b: int, nb: int) -> int:
        """`a` is the high part; `nb` is the width of `b`."""
        return (a << nb) | b

    def zero_extend(self, a: int, n: int, m: int) -> int:
        return a

    def sign_extend(self, a: int, n: int, m: int) -> int:
        if a >> (n - 1):
            return a | (MASK[m] ^ MASK[n])
        return a

    def replicate(self, a: int, n: int, times: int) -> int:
        """`times` copies of the n-bit a side by side: one multiplication by 0..01..01."""
        return a * (_ONES.get((n, times)) or _lane_ones(n, times))

    # -- arithmetic -------------------------------------------------------------------------
    def bvadd(self, a: int, b: int, n: int) -> int:
        return (a + b) & MASK[n]

    def bvsub(self, a: int, b: int, n: int) -> int:
        return (a - b) & MASK[n]

    def bvneg(self, a: int, n: int) -> int:
        return -a & MASK[n]

    def bvmul(self, a: int, b: int, n: int) -> int:
        return (a * b) & MASK[n]

    def udiv(self, a: int, b: int, n: int) -> int:
        return a // b if b else 0

    def sdiv(self, a: int, b: int, n: int) -> int:
        if not b:
            return 0
        sa = a - (1 << n) if a >> (n - 1) else a
        sb = b - (1 << n) if b >> (n - 1) else b
        q = abs(sa) // abs(sb)
        if (sa < 0) != (sb < 0):
            q = -q
        return q & MASK[n]

    # -- bitwise ----------------------------------------------------------------------------
    def bvand(self, a: int, b: int, n: int) -> int:
        return a & b

    def bvor(self, a: int, b: int, n: int) -> int:
        return a | b

    def bvxor(self, a: int, b: int, n: int) -> int:
        return a ^ b

    def bvnot(self, a: int, n: int) -> int:
        return a ^ MASK[n]

    # -- shifts (amount is a value or int; amounts >= n shift everything out) --------------
    def bvshl(self, a: int, s: int, n: int) -> int:
        return (a << s) & MASK[n] if s < n else 0

    def bvlshr(self, a: int, s: int, n: int) -> int:
        return a >> s if s < n else 0

    def bvashr(self, a: int, s: int, n: int) -> int:
        if a >> (n - 1):
            a -= 1 << n
        return (a >> min(s, n)) & MASK[n]

    def rotate_right(self, a: int, k: int, n: int) -> int:
        """Rotate by a decode-time constant k (SMT-LIB `(_ rotate_right k)`)."""
        k %= n
        return ((a >> k) | (a << (n - k))) & MASK[n] if k else a

    def bvrotr(self, a: int, s: int, n: int) -> int:
        """Rotate right by a value s (taken modulo n)."""
        k = s % n
        return ((a >> k) | (a << (n - k))) & MASK[n] if k else a

    # -- whole-vector structure: all lanes in one call ---------------------------------------
    # Optional in an interpretation: `crypto_functions.lanes`/`join` fall back to one extract
    # per lane / one concat per lane when an interpretation does not define them.
    def split(self, a: int, esize: int, count: int) -> list[int]:
        """The `count` lanes of `esize` bits of a, lane 0 (the low bits) first."""
        if count == 4:  # the common shapes by shifts: cheaper than packing for few lanes
            m = MASK[esize]
            return [a & m, (a >> esize) & m, (a >> (2 * esize)) & m, (a >> (3 * esize)) & m]
        if count == 2:
            m = MASK[esize]
            return [a & m, (a >> esize) & m]
        if esize == 8:
            return list((a & MASK[8 * count]).to_bytes(count, "little"))
        packer = _PACKERS.get((esize, count)) or _packer(esize, count)
        if packer is not None:
            return list(packer.unpack((a & MASK[esize * count]).to_bytes(packer.size, "little")))
        m = MASK[esize]
        return [(a >> lo) & m for lo in range(0, esize * count, esize)]

    def join(self, elems: list[int], esize: int) -> int:
        """Lanes (lane 0 first, each already `esize` bits) as one value."""
        if len(elems) == 4:
            e0, e1, e2, e3 = elems
            return e0 | (e1 << esize) | (e2 << (2 * esize)) | (e3 << (3 * esize))
        packer = _PACKERS.get((esize, len(elems))) or _packer(esize, len(elems))
        if packer is not None:
            try:
                return int.from_bytes(packer.pack(*elems), "little")
            except struct.error:  # an element out of range: concatenate as the shifts below do
                pass
        r = 0
        for e in reversed(elems):
            r = (r << esize) | e
        return r

    # -- lane-wise operations (SWAR: all lanes at once on one int) ------------------------
    # Optional in an interpretation: `crypto_functions.vadd` & co. fall back to one operation
    # per lane (extracts, then a concat) when an interpretation does not define them.
    def vadd(self, a: int, b: int, esize: int, width: int) -> int:
        """Lane-wise a + b mod 2**esize over `width` bits: add without the lanes' top bits
        (no carry crosses a lane), then put the top bits back with an xor."""
        high, low = _MASKS.get((esize, width)) or _lane_masks(esize, width)
        return (((a & low) + (b & low)) ^ ((a ^ b) & high)) & MASK[width]

    def vsub(self, a: int, b: int, esize: int, width: int) -> int:
        """Lane-wise a - b: borrow from each lane's set top bit, never across lanes."""
        high, low = _MASKS.get((esize, width)) or _lane_masks(esize, width)
        return (((a | high) - (b & low)) ^ ((a ^ b ^ high) & high)) & MASK[width]

    def vshl(self, a: int, k: int, esize: int, width: int) -> int:
        """Lane-wise shift left by a decode-time amount k (k >= esize clears every lane)."""
        if k >= esize:
            return 0
        return (a << k) & (_SHIFT_MASKS.get((k, esize, width))
                           or _lane_shift_masks(k, esize, width))[1]

    def vlshr(self, a: int, k: int, esize: int, width: int) -> int:
        """Lane-wise logical shift right by a decode-time amount k."""
        if k >= esize:
            return 0
        return (a >> k) & (_SHIFT_MASKS.get((k, esize, width))
                           or _lane_shift_masks(k, esize, width))[0]

    def vror(self, a: int, k: int, esize: int, width: int) -> int:
        """Lane-wise rotate right by a decode-time amount k."""
        k %= esize
        if not k:
            return a
        right, _, top = (_SHIFT_MASKS.get((k, esize, width))
                         or _lane_shift_masks(k, esize, width))
        return ((a >> k) & right) | ((a << (esize - k)) & top)

    # -- fused word operations (optional: `crypto_functions.Composed` defines them) ---------
    def add3(self, a: int, b: int, c: int, n: int) -> int:
        """a + b + c mod 2**n."""
        return (a + b + c) & MASK[n]

    def rotr_xor3(self, a: int, r1: int, r2: int, r3: int, n: int) -> int:
        """ROR(a, r1) EOR ROR(a, r2) EOR ROR(a, r3) for decode-time amounts 0 <= r < n: each
        rotation is a window of a written twice side by side."""
        aa = (a << n) | a
        return ((aa >> r1) ^ (aa >> r2) ^ (aa >> r3)) & MASK[n]

    def vsigma(self, a: int, r1: int, r2: int, r3: int, shift: bool, esize: int,
               width: int) -> int:
        """In every lane: ROR(x, r1) EOR ROR(x, r2) EOR (LSR if shift else ROR)(x, r3), for
        decode-time amounts 0 <= r < esize (SWAR as `vror`, in one call)."""
        if esize == width:
            aa = (a << width) | a
            x = (aa >> r1) ^ (aa >> r2) ^ (a >> r3 if shift else aa >> r3)
            return x & MASK[width]
        key = (r1, r2, r3, esize, width)
        m1, t1, m2, t2, m3, t3 = _SIGMA_MASKS.get(key) or _sigma_masks(key)
        x = ((a >> r1) & m1) | ((a << (esize - r1)) & t1)
        x ^= ((a >> r2) & m2) | ((a << (esize - r2)) & t2)
        return x ^ ((a >> r3) & m3 if shift else ((a >> r3) & m3) | ((a << (esize - r3)) & t3))

    def bitsel(self, m: int, a: int, b: int, n: int) -> int:
        """Each bit from a where m has a 1, else from b."""
        return ((a ^ b) & m) ^ b

    # -- lane-wise integer arithmetic (optional: `crypto_functions.Composed` defines them) --
    # Each unpacks the lanes with one struct call (signed or unsigned as the operation reads
    # them), computes on Python ints and packs the result once.
    def vmul(self, a: int, b: int, esize: int, width: int) -> int:
        """Lane-wise a * b mod 2**esize (MUL)."""
        st = _lane_struct(esize, width // esize, False)
        m = MASK[esize]
        xs, ys = st.unpack(a.to_bytes(st.size, "little")), st.unpack(b.to_bytes(st.size, "little"))
        return int.from_bytes(st.pack(*[x * y & m for x, y in zip(xs, ys)]), "little")

    def vmla(self, acc: int, a: int, b: int, esize: int, width: int) -> int:
        """Lane-wise acc + a * b mod 2**esize (MLA)."""
        st = _lane_struct(esize, width // esize, False)
        m, size = MASK[esize], st.size
        cs, xs, ys = (st.unpack(acc.to_bytes(size, "little")),
                      st.unpack(a.to_bytes(size, "little")), st.unpack(b.to_bytes(size, "little")))
        return int.from_bytes(st.pack(*[(c + x * y) & m for c, x, y in zip(cs, xs, ys)]), "little")

    def vmls(self, acc: int, a: int, b: int, esize: int, width: int) -> int:
        """Lane-wise acc - a * b mod 2**esize (MLS)."""
        st = _lane_struct(esize, width // esize, False)
        m, size = MASK[esize], st.size
        cs, xs, ys = (st.unpack(acc.to_bytes(size, "little")),
                      st.unpack(a.to_bytes(size, "little")), st.unpack(b.to_bytes(size, "little")))
        return int.from_bytes(st.pack(*[(c - x * y) & m for c, x, y in zip(cs, xs, ys)]), "little")

    def vsqdmulh(self, a: int, b: int, esize: int, width: int,
                 rounding: bool) -> tuple[int, bool]:
        """Lane-wise SignedSatQ((2 a b [+ 2**(esize-1)]) >> esize) (SQDMULH/SQRDMULH) and
        whether a lane saturated. Only a = b = -2**(esize-1) exceeds the range (upwards)."""
        st = _lane_struct(esize, width // esize, True)
        size, hi = st.size, MASK[esize - 1]
        xs, ys = st.unpack(a.to_bytes(size, "little")), st.unpack(b.to_bytes(size, "little"))
        if rounding:
            half = 1 << (esize - 1)
            r = [(2 * x * y + half) >> esize for x, y in zip(xs, ys)]
        else:
            r = [(2 * x * y) >> esize for x, y in zip(xs, ys)]
        saturated = max(r) > hi
        if saturated:
            r = [v if v <= hi else hi for v in r]
        return int.from_bytes(st.pack(*r), "little"), saturated

    def vqadd(self, a: int, b: int, esize: int, width: int, signed: bool,
              sub: bool) -> tuple[int, bool]:
        """Lane-wise SatQ(a + b) or SatQ(a - b), signed or unsigned (SQADD/UQADD/SQSUB/UQSUB),
        and whether a lane saturated."""
        st = _lane_struct(esize, width // esize, signed)
        size = st.size
        xs, ys = st.unpack(a.to_bytes(size, "little")), st.unpack(b.to_bytes(size, "little"))
        r = [x - y for x, y in zip(xs, ys)] if sub else [x + y for x, y in zip(xs, ys)]
        hi, lo = (MASK[esize - 1], -1 << (esize - 1)) if signed else (MASK[esize], 0)
        saturated = max(r) > hi or min(r) < lo
        if saturated:
            r = [hi if v > hi else lo if v < lo else v for v in r]
        return int.from_bytes(st.pack(*r), "little"), saturated

    def vmull(self, a: int, b: int, esize: int, signed: bool) -> int:
        """The 64-bit a and b as lanes of esize bits, multiplied into 2*esize-bit lanes of a
        128-bit result (SMULL/UMULL)."""
        count = 64 // esize
        st, wide = _lane_struct(esize, count, signed), _lane_struct(2 * esize, count, signed)
        xs, ys = st.unpack(a.to_bytes(8, "little")), st.unpack(b.to_bytes(8, "little"))
        return int.from_bytes(wide.pack(*[x * y for x, y in zip(xs, ys)]), "little")

    def vmlal(self, acc: int, a: int, b: int, esize: int, signed: bool, sub: bool) -> int:
        """acc (2*esize-bit lanes, 128 bits) plus or minus the widened lane products of the
        64-bit a and b (SMLAL/UMLAL/SMLSL/UMLSL)."""
        count, m = 64 // esize, MASK[2 * esize]
        st, wide = _lane_struct(esize, count, signed), _lane_struct(2 * esize, count, False)
        xs, ys = st.unpack(a.to_bytes(8, "little")), st.unpack(b.to_bytes(8, "little"))
        cs = wide.unpack(acc.to_bytes(16, "little"))
        if sub:
            r = [(c - x * y) & m for c, x, y in zip(cs, xs, ys)]
        else:
            r = [(c + x * y) & m for c, x, y in zip(cs, xs, ys)]
        return int.from_bytes(wide.pack(*r), "little")

    def vtbl(self, table: list[int], indices: int, fallback: int, width: int) -> int:
        """TBL/TBX: byte i is byte idx (byte i of `indices`) of the 128-bit `table` registers
        laid end to end (table[0] lowest), or byte i of `fallback` past the table."""
        data = b"".join(t.to_bytes(16, "little") for t in table)
        size, count = len(data), width // 8
        spare = fallback.to_bytes(count, "little")
        picked = bytes(data[k] if k < size else spare[i]
                       for i, k in enumerate(indices.to_bytes(count, "little")))
        return int.from_bytes(picked, "little")

    def vashr(self, a: int, k: int, esize: int, width: int) -> int:
        """Lane-wise arithmetic shift right by a decode-time amount k (k >= esize: sign
        copies): the logical shift, then each lane's sign bit copied into the vacated bits."""
        if k >= esize:
            k = esize - 1
        if not k:
            return a
        right, _, top = _SHIFT_MASKS.get((k, esize, width)) or _lane_shift_masks(k, esize, width)
        ones = _ONES.get((esize, width // esize)) or _lane_ones(esize, width // esize)
        signs = (a >> (esize - 1)) & ones  # each lane's sign bit, moved to the lane's bit 0
        return ((a >> k) & right) | (signs * MASK[k] << (esize - k))

    def vrshr(self, a: int, k: int, esize: int, width: int, signed: bool) -> int:
        """Lane-wise rounding shift right by 1 <= k <= esize (SRSHR/URSHR): (x + 2**(k-1)) >> k
        on the exact signed or unsigned element, low esize bits."""
        st = _lane_struct(esize, width // esize, signed)
        half, m = 1 << (k - 1), MASK[esize]
        r = [((x + half) >> k) & m for x in st.unpack(a.to_bytes(st.size, "little"))]
        return int.from_bytes(_lane_struct(esize, width // esize, False).pack(*r), "little")

    # -- counting ---------------------------------------------------------------------------
    def popcount(self, a: int, n: int) -> int:
        return a.bit_count()

    def clz(self, a: int, n: int) -> int:
        return n - a.bit_length()

    # -- comparisons and Booleans -----------------------------------------------------------
    def eq(self, a: int, b: int) -> bool:
        return a == b

    def bvult(self, a: int, b: int) -> bool:
        return a < b

    def bvule(self, a: int, b: int) -> bool:
        return a <= b

    def bvslt(self, a: int, b: int, n: int) -> bool:
        h = 1 << (n - 1)
        return (a ^ h) < (b ^ h)

    def bvsle(self, a: int, b: int, n: int) -> bool:
        h = 1 << (n - 1)
        return (a ^ h) <= (b ^ h)

    def bit(self, a: int, i: int) -> bool:
        """Bit i of a, as a Boolean."""
        return bool((a >> i) & 1)

    def lookup(self, table: tuple[int, ...], a: int, n_in: int, n_out: int) -> int:
        """table[a] for an n_in-bit index (the AES S-box). Optional in an interpretation:
        `crypto_functions.table_lookup` falls back to an `ite` tree on the index bits."""
        return table[a]

    def bool_to_bv(self, p: bool) -> int:
        """A Boolean as a 1-bit vector."""
        return 1 if p else 0

    def ite(self, c: bool, a: Value, b: Value) -> Value:
        return a if c else b

    def and_(self, p: bool, q: bool) -> bool:
        return p and q

    def or_(self, p: bool, q: bool) -> bool:
        return p or q

    def not_(self, p: bool) -> bool:
        return not p

    def xor_(self, p: bool, q: bool) -> bool:
        return p != q

    def true(self) -> bool:
        return True

    def decide(self, p: bool) -> bool:
        """Control-flow decision point: the concrete interpretation just takes the value."""
        return p

    def address(self, a: int) -> int:
        """An indirect branch target as a Python int (the symbolic executor resolves it)."""
        return a


_PACKERS: dict[tuple[int, int], Any] = {}
_FORMATS = {8: "B", 16: "H", 32: "I", 64: "Q"}


def _packer(esize: int, count: int) -> struct.Struct | None:
    """A little-endian struct for `count` lanes of `esize` bits (None: no byte-sized lanes)."""
    fmt = _FORMATS.get(esize)
    if fmt is None:
        return None
    packer = _PACKERS[(esize, count)] = struct.Struct(f"<{count}{fmt}")
    return packer


_ONES: dict[tuple[int, int], int] = {}
_LANE_STRUCTS: dict[tuple[int, int, bool], struct.Struct] = {}


def _lane_ones(esize: int, count: int) -> int:
    """1 in bit 0 of each of `count` lanes of esize bits."""
    ones = _ONES[(esize, count)] = _lane_fill(1, esize, esize * count)
    return ones


def _lane_struct(esize: int, count: int, signed: bool) -> struct.Struct:
    """A little-endian struct for `count` lanes of esize (8, 16, 32, 64) bits."""
    key = (esize, count, signed)
    st = _LANE_STRUCTS.get(key)
    if st is None:
        fmt = _FORMATS[esize]
        st = _LANE_STRUCTS[key] = struct.Struct(f"<{count}{fmt.lower() if signed else fmt}")
    return st


_MASKS: dict[tuple[int, int], tuple[int, int]] = {}
_SHIFT_MASKS: dict[tuple[int, int, int], tuple[int, int, int]] = {}


def _lane_fill(bits: int, esize: int, width: int) -> int:
    """The low `bits` bits of every `esize`-bit lane of a `width`-bit value, set."""
    return sum(MASK[bits] << lo for lo in range(0, width, esize))


def _lane_masks(esize: int, width: int) -> tuple[int, int]:
    """(the top bit of every lane, the other bits of every lane)."""
    key = (esize, width)
    m = _MASKS.get(key)
    if m is None:
        low = _lane_fill(esize - 1, esize, width)
        m = _MASKS[key] = (_lane_fill(esize, esize, width) ^ low, low)
    return m


def _sigma_masks(key: tuple[int, int, int, int, int]) -> tuple[int, ...]:
    """For `vsigma`: the (right, top) masks of `vror` for each of its three amounts."""
    r1, r2, r3, esize, width = key
    masks: list[int] = []
    for k in (r1, r2, r3):
        right, _, top = _lane_shift_masks(k, esize, width)
        masks += [right, top]
    _SIGMA_MASKS[key] = m = tuple(masks)
    return m


_SIGMA_MASKS: dict[tuple[int, int, int, int, int], tuple[int, ...]] = {}


def _lane_shift_masks(k: int, esize: int, width: int) -> tuple[int, int, int]:
    """For 0 < k < esize, in every lane: (its low esize-k bits: what a right shift by k keeps,
    its high esize-k bits: what a left shift by k keeps, its high k bits)."""
    key = (k, esize, width)
    m = _SHIFT_MASKS.get(key)
    if m is None:
        right = _lane_fill(esize - k, esize, width)
        m = _SHIFT_MASKS[key] = (right, right << k, _lane_fill(esize, esize, width) ^ right)
    return m


CONCRETE = ConcreteBV()
