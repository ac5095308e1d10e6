"""The Arm ARM's shared pseudo-code functions behind the cryptographic instructions.

SHA-1/SHA-256/SHA-512 round and schedule helpers (`SHAchoose`, `SHAparity`, `SHAmajority`,
`SHA256hash`, the Sigma functions), the AES steps (`AESSubBytes`, `AESShiftRows`,
`AESMixColumns` and their inverses) and `PolynomialMult`, each written once over the bit-vector
interface `o` of `assay.models.armv8.bv` so the same code runs on Python ints and on core terms.

A 128-bit AES state is the vector register itself: byte i of the register (bits 8i+7..8i) is
byte i of the FIPS-197 state, i.e. row i mod 4 of column i div 4. MixColumns works on all four
columns at once with 128-bit shifts and masks, so it costs a handful of operations. SubBytes is
a table lookup per byte: through `o.lookup(table, a, 8, 8)` when the interpretation provides one,
else through a balanced `ite` tree on the index bits (which any interpretation supports).

Trusted: nothing; the instructions built on these are checked against Unicorn, and the tables
here against FIPS-197 by the tests.
"""

from __future__ import annotations

from typing import Any

from . import simd_arith as sa

Ops = Any
V = Any

# -- generic helpers -------------------------------------------------------------------------


_SPLIT: dict[type, Any] = {}
_JOIN: dict[type, Any] = {}


def lanes(o: Ops, a: V, esize: int, count: int) -> list[V]:
    """The `count` elements of width `esize` of `a`, element 0 first: `o.split` if the
    interpretation has it, else one extract each."""
    t = type(o)
    split = _SPLIT.get(t, False)
    if split is False:
        split = _SPLIT[t] = getattr(t, "split", None)
    if split is not None:
        return split(o, a, esize, count)
    ext = o.extract
    return [ext(lo + esize - 1, lo, a) for lo in range(0, esize * count, esize)]


def join(o: Ops, elems: list[V], esize: int) -> V:
    """Concatenate elements (element 0 lowest) into one value: `o.join` if the interpretation
    has it, else one concat each."""
    t = type(o)
    whole = _JOIN.get(t, False)
    if whole is False:
        whole = _JOIN[t] = getattr(t, "join", None)
    if whole is not None:
        return whole(o, elems, esize)
    cat = o.concat
    r = elems[-1]
    for i in range(len(elems) - 2, -1, -1):
        r = cat(r, elems[i], esize)
    return r


# -- optional fused operations --------------------------------------------------------------


class Composed:
    """The optional operations of the interface, each defined here once through the basic
    ones: the lane-wise `vadd`, `vsub`, `vshl`, `vlshr`, `vror`, `vashr` (each on every
    `esize`-bit lane of a `width`-bit value, one operation per lane), `add3` (a + b + c),
    `rotr_xor3` (ROR(a, r1) EOR ROR(a, r2) EOR ROR(a, r3), the shape of the SHA-2 Sigma
    functions), `vsigma`, `bitsel`, and the AdvSIMD lane arithmetic `vmul`, `vmla`, `vmls`,
    `vsqdmulh`, `vqadd` (the saturating two return (value, some lane saturated)), `vrshr`
    (element definitions: simd_arith.py), the widening `vmull`, `vmlal`, and the table
    lookup `vtbl`.

    This is their definition, run by interpretations that do not provide them (the core-term
    interpretation among them); ConcreteBV computes each on Python ints in one call, and the
    tests check that the two agree."""

    def __init__(self, o: Ops) -> None:
        self.o = o

    def _map2(self, f: Any, a: V, b: V, esize: int, width: int) -> V:
        o, count = self.o, width // esize
        return join(o, [f(x, y, esize) for x, y in
                        zip(lanes(o, a, esize, count), lanes(o, b, esize, count))], esize)

    def _map1(self, f: Any, a: V, k: int, esize: int, width: int) -> V:
        o = self.o
        return join(o, [f(x, k, esize) for x in lanes(o, a, esize, width // esize)], esize)

    def vadd(self, a: V, b: V, esize: int, width: int) -> V:
        return self._map2(self.o.bvadd, a, b, esize, width)

    def vsub(self, a: V, b: V, esize: int, width: int) -> V:
        return self._map2(self.o.bvsub, a, b, esize, width)

    def vshl(self, a: V, k: int, esize: int, width: int) -> V:
        return self._map1(self.o.bvshl, a, k, esize, width)

    def vlshr(self, a: V, k: int, esize: int, width: int) -> V:
        return self._map1(self.o.bvlshr, a, k, esize, width)

    def vror(self, a: V, k: int, esize: int, width: int) -> V:
        return self._map1(self.o.rotate_right, a, k, esize, width)

    def add3(self, a: V, b: V, c: V, n: int) -> V:
        add = self.o.bvadd
        return add(add(a, b, n), c, n)

    def rotr_xor3(self, a: V, r1: int, r2: int, r3: int, n: int) -> V:
        ror, xor = self.o.rotate_right, self.o.bvxor
        return xor(xor(ror(a, r1, n), ror(a, r2, n), n), ror(a, r3, n), n)

    def vsigma(self, a: V, r1: int, r2: int, r3: int, shift: bool, esize: int,
               width: int) -> V:
        """In every `esize`-bit lane: ROR(x, r1) EOR ROR(x, r2) EOR (LSR if `shift` else
        ROR)(x, r3), the SHA-2 sigma and Sigma functions (width = esize: one word)."""
        xor = self.o.bvxor
        third = (self.vlshr if shift else self.vror)(a, r3, esize, width)
        return xor(xor(self.vror(a, r1, esize, width), self.vror(a, r2, esize, width), width),
                   third, width)

    def bitsel(self, m: V, a: V, b: V, n: int) -> V:
        """(m AND a) OR (NOT m AND b), written as ((a EOR b) AND m) EOR b."""
        xor = self.o.bvxor
        return xor(self.o.bvand(xor(a, b, n), m, n), b, n)


    # -- lane-wise integer arithmetic of the AdvSIMD classes (element functions: simd_arith)

    def _lanes3(self, a: V, b: V, c: V, esize: int, width: int) -> Any:
        o, count = self.o, width // esize
        return zip(lanes(o, a, esize, count), lanes(o, b, esize, count),
                   lanes(o, c, esize, count))

    def _any(self, flags: list[Any]) -> Any:
        """The disjunction of per-lane saturation flags."""
        flag = flags[0]
        for f in flags[1:]:
            flag = self.o.or_(flag, f)
        return flag

    def vmul(self, a: V, b: V, esize: int, width: int) -> V:
        """In every lane: a * b mod 2**esize (MUL)."""
        return self._map2(self.o.bvmul, a, b, esize, width)

    def vmla(self, acc: V, a: V, b: V, esize: int, width: int) -> V:
        """In every lane: acc + a * b (MLA)."""
        o = self.o
        return join(o, [o.bvadd(c, o.bvmul(x, y, esize), esize)
                        for c, x, y in self._lanes3(acc, a, b, esize, width)], esize)

    def vmls(self, acc: V, a: V, b: V, esize: int, width: int) -> V:
        """In every lane: acc - a * b (MLS)."""
        o = self.o
        return join(o, [o.bvsub(c, o.bvmul(x, y, esize), esize)
                        for c, x, y in self._lanes3(acc, a, b, esize, width)], esize)

    def vsqdmulh(self, a: V, b: V, esize: int, width: int, rounding: bool) -> tuple[V, Any]:
        """SQDMULH/SQRDMULH in every lane (`simd_arith.doubling_mul_high`), and whether some
        lane saturated (a Boolean)."""
        o, count = self.o, width // esize
        results = [sa.doubling_mul_high(o, x, y, esize, rounding)
                   for x, y in zip(lanes(o, a, esize, count), lanes(o, b, esize, count))]
        return join(o, [r[0] for r in results], esize), self._any([r[1] for r in results])

    def vqadd(self, a: V, b: V, esize: int, width: int, signed: bool,
              sub: bool) -> tuple[V, Any]:
        """SQADD/UQADD/SQSUB/UQSUB in every lane (`simd_arith.sat_add_sub`), and whether some
        lane saturated."""
        o, count = self.o, width // esize
        results = [sa.sat_add_sub(o, x, y, esize, signed, sub)
                   for x, y in zip(lanes(o, a, esize, count), lanes(o, b, esize, count))]
        return join(o, [r[0] for r in results], esize), self._any([r[1] for r in results])

    def vmull(self, a: V, b: V, esize: int, signed: bool) -> V:
        """The esize-bit lanes of the 64-bit a and b, sign- or zero-extended to 2*esize bits
        and multiplied: a 128-bit value (SMULL/UMULL)."""
        o, w = self.o, 2 * esize
        ext = o.sign_extend if signed else o.zero_extend
        return join(o, [o.bvmul(ext(x, esize, w), ext(y, esize, w), w) for x, y in
                        zip(lanes(o, a, esize, 64 // esize), lanes(o, b, esize, 64 // esize))],
                    w)

    def vmlal(self, acc: V, a: V, b: V, esize: int, signed: bool, sub: bool) -> V:
        """In every 2*esize-bit lane of the 128-bit acc: acc +- the widened product of the
        matching esize-bit lanes of the 64-bit a and b (SMLAL/UMLAL/SMLSL/UMLSL)."""
        o, w, count = self.o, 2 * esize, 64 // esize
        ext = o.sign_extend if signed else o.zero_extend
        f = o.bvsub if sub else o.bvadd
        return join(o, [f(c, o.bvmul(ext(x, esize, w), ext(y, esize, w), w), w)
                        for c, x, y in zip(lanes(o, acc, w, count), lanes(o, a, esize, count),
                                           lanes(o, b, esize, count))], w)

    def vtbl(self, table: list[V], indices: V, fallback: V, width: int) -> V:
        """TBL/TBX: byte i of the result is byte idx of the 128-bit registers `table`
        (table[0] the lowest) laid end to end, idx = byte i of `indices`; an idx past the
        table gives byte i of `fallback`. Built from a right shift of the register that
        idx >> 4 selects."""
        o = self.o
        regs, count = len(table), width // 8
        out = []
        for i, idx in enumerate(lanes(o, indices, 8, count)):
            shift = o.bvshl(o.zero_extend(o.extract(3, 0, idx), 4, 128), 3, 128)
            reg = o.extract(7, 4, idx)
            byte = o.extract(8 * i + 7, 8 * i, fallback)
            for r in reversed(range(regs)):
                pick = o.extract(7, 0, o.bvlshr(table[r], shift, 128))
                byte = o.ite(o.eq(reg, o.const(r, 4)), pick, byte)
            out.append(byte)
        return join(o, out, 8)

    def vashr(self, a: V, k: int, esize: int, width: int) -> V:
        """In every lane: arithmetic shift right by a decode-time amount k (SSHR)."""
        return self._map1(self.o.bvashr, a, k, esize, width)

    def vrshr(self, a: V, k: int, esize: int, width: int, signed: bool) -> V:
        """In every lane: the rounding shift right by 1 <= k <= esize (SRSHR/URSHR,
        `simd_arith.rounding_shift_right`)."""
        o = self.o
        return join(o, [sa.rounding_shift_right(o, x, esize, k, signed)
                        for x in lanes(o, a, esize, width // esize)], esize)


PerLane = Composed  # the name the lane-wise operations were introduced under

OPTIONAL_OPS = ("vadd", "vsub", "vshl", "vlshr", "vror", "add3", "rotr_xor3", "vsigma",
                "bitsel", "vmul", "vmla", "vmls", "vsqdmulh", "vqadd", "vashr", "vrshr",
                "vmull", "vmlal", "vtbl")
_HAS_ALL: dict[type, bool] = {}


def lane_ops(o: Ops) -> Any:
    """The optional operations of `o` (see `Composed`): `o` itself if its interpretation
    defines all of them, else `Composed(o)`. Call once per instruction and use the result's
    methods."""
    has = _HAS_ALL.get(type(o))
    if has is None:
        has = _HAS_ALL[type(o)] = all(getattr(type(o), name, None) is not None
                                      for name in OPTIONAL_OPS)
    return o if has else Composed(o)


def ROR(o: Ops, a: V, k: int, n: int) -> V:
    return o.rotate_right(a, k, n)


def ROL(o: Ops, a: V, k: int, n: int) -> V:
    return o.rotate_right(a, (n - k) % n, n)


# -- SHA-1 and SHA-2 -----------------------------------------------------------------------


def SHAchoose(o: Ops, x: V, y: V, z: V, n: int = 32) -> V:
    """(x AND y) OR (NOT x AND z), written as ((y EOR z) AND x) EOR z."""
    return o.bvxor(o.bvand(o.bvxor(y, z, n), x, n), z, n)


def SHAparity(o: Ops, x: V, y: V, z: V, n: int = 32) -> V:
    return o.bvxor(o.bvxor(x, y, n), z, n)


def SHAmajority(o: Ops, x: V, y: V, z: V, n: int = 32) -> V:
    """(x AND y) OR ((x OR y) AND z)."""
    return o.bvor(o.bvand(x, y, n), o.bvand(o.bvor(x, y, n), z, n), n)


def _sigma(o: Ops, x: V, r1: int, r2: int, r3: int, n: int, shift: bool,
           width: int | None = None) -> V:
    """ROR(x, r1) EOR ROR(x, r2) EOR (LSR or ROR)(x, r3) on an n-bit word, or on every n-bit
    lane of a `width`-bit value at once (the schedule instructions' elements)."""
    return lane_ops(o).vsigma(x, r1, r2, r3, shift, n, width or n)


def SHAhashSIGMA0(o: Ops, x: V) -> V:
    return _sigma(o, x, 2, 13, 22, 32, False)


def SHAhashSIGMA1(o: Ops, x: V) -> V:
    return _sigma(o, x, 6, 11, 25, 32, False)


def sha256_sigma0(o: Ops, x: V, width: int = 32) -> V:
    """The message-schedule sigma0 of SHA-256 (ROR 7, ROR 18, LSR 3), of each 32-bit lane."""
    return lane_ops(o).vsigma(x, 7, 18, 3, True, 32, width)


def sha256_sigma1(o: Ops, x: V, width: int = 32) -> V:
    return lane_ops(o).vsigma(x, 17, 19, 10, True, 32, width)


def sha512_Sigma0(o: Ops, x: V) -> V:
    return _sigma(o, x, 28, 34, 39, 64, False)


def sha512_Sigma1(o: Ops, x: V) -> V:
    return _sigma(o, x, 14, 18, 41, 64, False)


def sha512_sigma0(o: Ops, x: V) -> V:
    return _sigma(o, x, 1, 8, 7, 64, True)


def sha512_sigma1(o: Ops, x: V) -> V:
    return _sigma(o, x, 19, 61, 6, 64, True)


# SHA256H and SHA256H2 run the same four rounds on the same (X, Y, W) and keep different
# halves; concrete runs remember the last result so the pair costs one evaluation.
_SHA256_LAST: list[Any] = [None]


def SHA256hash(o: Ops, x: V, y: V, w: V, part1: bool) -> V:
    """Four SHA-256 rounds; X = (a,b,c,d), Y = (e,f,g,h), element 0 first; W = K+W words.

    The Arm ARM's loop with SHAchoose, SHAmajority and SHAhashSIGMA0/1 written in line (this
    is the hot path of every SHA-256 run); each iteration ends with <Y, X> = ROL(Y : X, 32).
    """
    concrete = not getattr(o, "symbolic", True)
    if concrete:
        last = _SHA256_LAST[0]
        if last is not None and last[0] == x and last[1] == y and last[2] == w:
            return last[3] if part1 else last[4]
    f3 = lane_ops(o)
    add, add3, sigma, sel, xor = o.bvadd, f3.add3, f3.rotr_xor3, f3.bitsel, o.bvxor
    a, b, c, d = lanes(o, x, 32, 4)
    e, f, g, h = lanes(o, y, 32, 4)
    ws = lanes(o, w, 32, 4)
    # SHAchoose(e, f, g) selects f or g by e. SHAmajority(a, b, c) is b where b = c and a
    # elsewhere: concretely a selection by b EOR c, which is the previous round's a EOR b;
    # over terms the Arm ARM's SHAmajority itself, so the terms are the pseudocode's.
    bc = xor(b, c, 32)
    for i in range(4):
        t = add3(h, sigma(e, 6, 11, 25, 32), add(sel(e, f, g, 32), ws[i], 32), 32)
        maj = sel(bc, a, b, 32) if concrete else SHAmajority(o, a, b, c)
        a, b, c, d, e, f, g, h, bc = add3(t, sigma(a, 2, 13, 22, 32), maj, 32), \
            a, b, c, add(t, d, 32), e, f, g, xor(a, b, 32)
    if not concrete:
        return join(o, [a, b, c, d] if part1 else [e, f, g, h], 32)
    xs, ys = join(o, [a, b, c, d], 32), join(o, [e, f, g, h], 32)
    _SHA256_LAST[0] = (x, y, w, xs, ys)
    return xs if part1 else ys


def sha1_rounds(o: Ops, f: Any, x: V, y: V, w: V) -> V:
    """Four SHA-1 rounds with round function f (SHAchoose/SHAparity/SHAmajority).

    X = V[d] (a,b,c,d), Y = S[n] (e, 32 bits), W = V[m]; returns the new X.
    """
    xs = lanes(o, x, 32, 4)
    ws = lanes(o, w, 32, 4)
    add = o.bvadd
    for e in range(4):
        t = f(o, xs[1], xs[2], xs[3])
        y = add(add(add(y, ROL(o, xs[0], 5, 32), 32), t, 32), ws[e], 32)
        xs[1] = ROL(o, xs[1], 30, 32)
        # <Y, X> = ROL(Y : X, 32) over 160 bits
        y, xs = xs[3], [y] + xs[:3]
    return join(o, xs, 32)


# -- AES -------------------------------------------------------------------------------------


def _gf_mul(a: int, b: int) -> int:
    r = 0
    while b:
        if b & 1:
            r ^= a
        a = ((a << 1) ^ (0x11B if a & 0x80 else 0)) & 0xFF
        b >>= 1
    return r


def _make_sbox() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """FIPS-197 5.1.1: the multiplicative inverse in GF(2^8), then the affine map."""
    inv = [0] * 256
    for a in range(1, 256):
        for b in range(1, 256):
            if _gf_mul(a, b) == 1:
                inv[a] = b
                break
    sbox = []
    for x in range(256):
        b = inv[x]
        s = b
        for i in range(1, 5):
            s ^= ((b << i) | (b >> (8 - i))) & 0xFF
        sbox.append(s ^ 0x63)
    inverse = [0] * 256
    for i, s in enumerate(sbox):
        inverse[s] = i
    return tuple(sbox), tuple(inverse)


SBOX, INV_SBOX = _make_sbox()


def table_lookup(o: Ops, table: tuple[int, ...], a: V, n_in: int, n_out: int) -> V:
    """table[a] for an n_in-bit index: `o.lookup` if the interpretation has it, else an ite tree."""
    lookup = getattr(o, "lookup", None)
    if lookup is not None:
        return lookup(table, a, n_in, n_out)
    # Balanced selection on the index bits, built bottom-up (no recursion).
    level = [o.const(t, n_out) for t in table]
    for bit in range(n_in):
        b = o.bit(a, bit)
        level = [o.ite(b, level[i + 1], level[i]) for i in range(0, len(level), 2)]
    return level[0]


def _sub_bytes(o: Ops, a: V, table: tuple[int, ...]) -> V:
    return join(o, [table_lookup(o, table, b, 8, 8) for b in lanes(o, a, 8, 16)], 8)


def AESSubBytes(o: Ops, a: V) -> V:
    return _sub_bytes(o, a, SBOX)


def AESInvSubBytes(o: Ops, a: V) -> V:
    return _sub_bytes(o, a, INV_SBOX)


def _permute_bytes(o: Ops, a: V, source: list[int]) -> V:
    bs = lanes(o, a, 8, 16)
    return join(o, [bs[s] for s in source], 8)


# new[4c + r] = old[4((c + r) mod 4) + r]
_SHIFT_ROWS = [4 * ((i // 4 + i % 4) % 4) + i % 4 for i in range(16)]
_INV_SHIFT_ROWS = [4 * ((i // 4 - i % 4) % 4) + i % 4 for i in range(16)]


def AESShiftRows(o: Ops, a: V) -> V:
    return _permute_bytes(o, a, _SHIFT_ROWS)


def AESInvShiftRows(o: Ops, a: V) -> V:
    return _permute_bytes(o, a, _INV_SHIFT_ROWS)


_LOW7 = int.from_bytes(b"\xfe" * 16, "little")
_BYTE1 = int.from_bytes(b"\x01" * 16, "little")


def _xtime(o: Ops, a: V) -> V:
    """Multiply all 16 bytes by x in GF(2^8) at once."""
    shifted = o.bvand(o.bvshl(a, 1, 128), _LOW7, 128)
    carries = o.bvand(o.bvlshr(a, 7, 128), _BYTE1, 128)
    return o.bvxor(shifted, o.bvmul(carries, 0x1B, 128), 128)


def _rot_words(o: Ops, a: V, k: int) -> V:
    """In every 32-bit column, byte i takes byte (i + k) mod 4."""
    lo = int.from_bytes((b"\xff" * (4 - k) + b"\x00" * k) * 4, "little")
    return o.bvor(o.bvand(o.bvlshr(a, 8 * k, 128), lo, 128),
                  o.bvand(o.bvshl(a, 32 - 8 * k, 128), lo ^ ((1 << 128) - 1), 128), 128)


def AESMixColumns(o: Ops, a: V) -> V:
    """out_i = 2 a_i + 3 a_(i+1) + a_(i+2) + a_(i+3) = x(a_i + a_(i+1)) + a_(i+1) + a_(i+2) + a_(i+3)."""
    r1 = _rot_words(o, a, 1)
    r2 = _rot_words(o, a, 2)
    r3 = _rot_words(o, a, 3)
    t = _xtime(o, o.bvxor(a, r1, 128))
    return o.bvxor(o.bvxor(t, r1, 128), o.bvxor(r2, r3, 128), 128)


def AESInvMixColumns(o: Ops, a: V) -> V:
    """InvMixColumns = MixColumns after adding x^2 (a_i + a_(i+2)) to each byte a_i."""
    pre = _xtime(o, _xtime(o, o.bvxor(a, _rot_words(o, a, 2), 128)))
    return AESMixColumns(o, o.bvxor(a, pre, 128))


# -- carry-less multiplication ---------------------------------------------------------------


def PolynomialMult(o: Ops, op1: V, op2: V, m: int, n: int) -> V:
    """The carry-less product of an m-bit and an n-bit polynomial, m + n bits wide."""
    w = m + n
    wide = o.zero_extend(op2, n, w)
    result = o.const(0, w)
    zero = o.const(0, w)
    for i in range(m):
        term = o.bvshl(wide, i, w)
        result = o.bvxor(result, o.ite(o.bit(op1, i), term, zero), w)
    return result
