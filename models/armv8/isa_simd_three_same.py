"""AdvSIMD three same (integer): ADD, SUB, MUL, MLA, MLS, PMUL, SMAX/UMAX/SMIN/UMIN, the pairwise
ADDP/SMAXP/UMAXP/SMINP/UMINP, the register shifts SSHL/USHL, the compares
CMEQ/CMTST/CMGT/CMGE/CMHI/CMHS (the assembler also takes cmle/cmlt/cmls/cmlo with Vn and Vm
swapped), the bitwise group AND/BIC/ORR/ORN/EOR/BSL/BIT/BIF (ORR with Rn = Rm is MOV), and the
element arithmetic of simd_arith.py: halving S/U(R)HADD, S/UHSUB, saturating
SQADD/UQADD/SQSUB/UQSUB, the rounding and saturating register shifts
SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL, SABD/UABD/SABA/UABA and SQDMULH/SQRDMULH (saturation sets
FPSR.QC), FEAT_RDM's SQRDMLAH/SQRDMLSH and FEAT_DotProd's SDOT/UDOT. Arm ARM C4.1.96.x, vector
`0 Q U 01110 size 1 Rm opcode 1 Rn Rd` and scalar `01 U 11110 size 1 Rm opcode 1 Rn Rd` (scalar
forms: 64-bit elements for ADD/SUB, SSHL/USHL, SRSHL/URSHL and the compares; b/h/s/d for the
saturating adds and shifts; h/s for SQDMULH/SQRDMULH)."""

from __future__ import annotations

from typing import Any

from . import simd_arith as sa
from .crypto_functions import PolynomialMult
from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .simd_common import datasize, join, lane_ops, lanes, map2, vget, vset
from .simd_operands import SIZE_Q, Arr, Fixed, Sca, Vec, size_q

# mnemonic, U, opcode — the arithmetic and compare rows share one shape
ARITH = [
    ("ADD",   0, "10000"), ("SUB",   1, "10000"),
    ("CMTST", 0, "10001"), ("CMEQ",  1, "10001"),
    ("CMGT",  0, "00110"), ("CMHI",  1, "00110"),
    ("CMGE",  0, "00111"), ("CMHS",  1, "00111"),
    ("ADDP",  0, "10111"),
    ("SSHL",  0, "01000"), ("USHL",  1, "01000"),
    ("MUL",   0, "10011"), ("MLA",   0, "10010"), ("MLS",   1, "10010"),
    ("SMAX",  0, "01100"), ("UMAX",  1, "01100"),
    ("SMIN",  0, "01101"), ("UMIN",  1, "01101"),
    ("SMAXP", 0, "10100"), ("UMAXP", 1, "10100"),
    ("SMINP", 0, "10101"), ("UMINP", 1, "10101"),
]
NO_64BIT = {"MUL", "MLA", "MLS", "SMAX", "UMAX", "SMIN", "UMIN",  # size = 11 is reserved
            "SMAXP", "UMAXP", "SMINP", "UMINP"}
PAIRWISE = {"ADDP", "SMAXP", "UMAXP", "SMINP", "UMINP"}
# mnemonic, U, size — the bitwise rows (opcode 00011, size selects the operation)
LOGICAL = [
    ("AND", 0, "00"), ("BIC", 0, "01"), ("ORR", 0, "10"), ("ORN", 0, "11"),
    ("EOR", 1, "00"), ("BSL", 1, "01"), ("BIT", 1, "10"), ("BIF", 1, "11"),
]
VECTOR = "0 Q U={u} 01110 size 1 Rm opcode={op} 1 Rn Rd"
SCALAR = "01 U={u} 11110 size=11 1 Rm opcode={op} 1 Rn Rd"
BITWISE = "0 Q U={u} 01110 size={size} 1 Rm opcode=00011 1 Rn Rd"


def decode_vector(d: Decoded) -> None:
    if d.size == 3 and not d.Q:
        raise Unallocated
    d.esize, d.datasize = 8 << d.size, datasize(d)


def decode_no_64bit(d: Decoded) -> None:
    if d.size == 3:
        raise Unallocated
    d.esize, d.datasize = 8 << d.size, datasize(d)


def decode_scalar(d: Decoded) -> None:
    d.esize = d.datasize = 64


def decode_bitwise(d: Decoded) -> None:
    d.datasize = datasize(d)


def _compare(pred: Any) -> Any:
    def f(o: Any, esize: int) -> Any:
        ones, zero = o.const((1 << esize) - 1, esize), o.const(0, esize)
        return lambda a, b: o.ite(pred(o, a, b, esize), ones, zero)
    return f


def _shift_by_register(signed: bool) -> Any:
    """SSHL/USHL: the low byte of each Vm element is a signed shift count, left if positive,
    right (arithmetic for SSHL) if negative; counts past the element width shift everything
    out."""
    def f(o: Any, n: int) -> Any:
        right_shift = o.bvashr if signed else o.bvlshr

        def widen(v: Any) -> Any:
            return o.zero_extend(v, 8, n) if n > 8 else v

        def g(x: Any, y: Any) -> Any:
            count = o.extract(7, 0, y)
            left = o.bvshl(x, widen(count), n)
            right = right_shift(x, widen(o.bvneg(count, 8)), n)
            return o.ite(o.bvslt(count, o.const(0, 8), 8), right, left)
        return g
    return f


def _minmax(pick_a: Any) -> Any:
    return lambda o, n: lambda a, b: o.ite(pick_a(o, a, b, n), a, b)


ELEMENT_OPS = {
    "SSHL": _shift_by_register(True),
    "USHL": _shift_by_register(False),
    "SMAX": _minmax(lambda o, a, b, n: o.bvsle(b, a, n)),
    "UMAX": _minmax(lambda o, a, b, n: o.bvule(b, a)),
    "SMIN": _minmax(lambda o, a, b, n: o.bvsle(a, b, n)),
    "UMIN": _minmax(lambda o, a, b, n: o.bvule(a, b)),
    "CMTST": _compare(lambda o, a, b, n: o.not_(o.eq(o.bvand(a, b, n), o.const(0, n)))),
    "CMEQ": _compare(lambda o, a, b, n: o.eq(a, b)),
    "CMGT": _compare(lambda o, a, b, n: o.bvslt(b, a, n)),
    "CMHI": _compare(lambda o, a, b, n: o.bvult(b, a)),
    "CMGE": _compare(lambda o, a, b, n: o.bvsle(b, a, n)),
    "CMHS": _compare(lambda o, a, b, n: o.bvule(b, a)),
}


def _add_sub(m: str) -> Any:
    """ADD/SUB: all lanes at once (`vadd`/`vsub`)."""
    name = "vadd" if m == "ADD" else "vsub"

    def execute(s: Any, o: Any, d: Decoded) -> None:
        w = d.datasize
        f = getattr(lane_ops(o), name)
        vset(s, o, d.Rd, f(vget(s, o, d.Rn, w), vget(s, o, d.Rm, w), d.esize, w), w)
    return execute


def _multiply(m: str) -> Any:
    """MUL/MLA/MLS: all lanes at once (`vmul`/`vmla`/`vmls`)."""
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n, v = d.datasize, d.esize, lane_ops(o)
        x, y = vget(s, o, d.Rn, w), vget(s, o, d.Rm, w)
        if m == "MUL":
            r = v.vmul(x, y, n, w)
        else:
            r = (v.vmla if m == "MLA" else v.vmls)(vget(s, o, d.Rd, w), x, y, n, w)
        vset(s, o, d.Rd, r, w)
    return execute


def _elementwise(m: str) -> Any:
    if m in ("ADD", "SUB"):
        return _add_sub(m)
    if m in ("MUL", "MLA", "MLS"):
        return _multiply(m)

    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n = d.datasize, d.esize
        count = w // n
        xs, ys = lanes(o, vget(s, o, d.Rn, w), n, count), lanes(o, vget(s, o, d.Rm, w), n, count)
        g = ELEMENT_OPS[m](o, n)
        out = [g(x, y) for x, y in zip(xs, ys)]
        vset(s, o, d.Rd, join(o, out, n), w)
    return execute


def _pairwise(m: str) -> Any:
    """ADDP, S/UMAXP, S/UMINP: each pair of adjacent elements of the concatenation Vm:Vn
    (Vn's elements first) gives one element."""
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n = d.datasize, d.esize
        el = lanes(o, o.concat(vget(s, o, d.Rm, w), vget(s, o, d.Rn, w), w), n, 2 * w // n)
        g = (lambda a, b: o.bvadd(a, b, n)) if m == "ADDP" else ELEMENT_OPS[m[:-1]](o, n)
        vset(s, o, d.Rd, join(o, [g(el[2 * e], el[2 * e + 1]) for e in range(w // n)], n), w)
    return execute


# The bitwise group as f(o, n, m, d, w) over Vn, Vm, Vd: BSL selects Vn where Vd is 1, else
# Vm; BIT inserts Vn where Vm is 1; BIF inserts Vn where Vm is 0.
BITWISE_OPS: dict[str, Any] = {
    "AND": lambda o, n, m, d, w: o.bvand(n, m, w),
    "BIC": lambda o, n, m, d, w: o.bvand(n, o.bvnot(m, w), w),
    "ORR": lambda o, n, m, d, w: o.bvor(n, m, w),
    "ORN": lambda o, n, m, d, w: o.bvor(n, o.bvnot(m, w), w),
    "EOR": lambda o, n, m, d, w: o.bvxor(n, m, w),
    "BSL": lambda o, n, m, d, w: o.bvxor(m, o.bvand(o.bvxor(m, n, w), d, w), w),
    "BIT": lambda o, n, m, d, w: o.bvxor(d, o.bvand(o.bvxor(d, n, w), m, w), w),
    "BIF": lambda o, n, m, d, w: o.bvxor(d, o.bvand(o.bvxor(d, n, w), o.bvnot(m, w), w), w),
}


def _bitwise(m: str) -> Any:
    f = BITWISE_OPS[m]
    reads_d = m in ("BSL", "BIT", "BIF")

    def execute(s: Any, o: Any, d: Decoded) -> None:
        w = d.datasize
        dd = vget(s, o, d.Rd, w) if reads_d else None
        vset(s, o, d.Rd, f(o, vget(s, o, d.Rn, w), vget(s, o, d.Rm, w), dd, w), w)
    return execute


def _vec3(arr: Any) -> list[Any]:
    return [Vec("Rd", arr), Vec("Rn", arr), Vec("Rm", arr)]


_B = Arr(("Q",), {(0,): "8b", (1,): "16b"})
_D = Fixed("d")
_MOV = [Alias("mov", [Vec("Rd", _B), Vec("Rn", _B, also=("Rm",))], lambda d: d.Rn == d.Rm)]

# The register compares with the operands swapped, as GNU as and clang accept them (assembler
# only: disassemblers print the canonical form): cmle = cmge, cmlt = cmgt, cmls = cmhs,
# cmlo = cmhi, each with Vn and Vm exchanged.
SWAPPED = {"CMGE": "cmle", "CMGT": "cmlt", "CMHS": "cmls", "CMHI": "cmlo"}


def _swapped(m: str, ops: list[Any]) -> list[Alias]:
    if m not in SWAPPED:
        return []
    return [Alias(SWAPPED[m], [ops[0], ops[2], ops[1]], asm_only=True)]


ROWS: list[Encoding] = []
for m, u, op in ARITH:
    ex = _pairwise(m) if m in PAIRWISE else _elementwise(m)
    narrow = m in NO_64BIT
    ops = _vec3(size_q(("8b", "16b", "4h", "8h", "2s", "4s")) if narrow else size_q())
    ROWS.append(Encoding(m, VECTOR.format(u=u, op=op), ops, ex,
                         decode_no_64bit if narrow else decode_vector, _swapped(m, ops),
                         name=f"{m}_vector"))
    if m not in PAIRWISE and not narrow:
        ops = [Sca("Rd", _D), Sca("Rn", _D), Sca("Rm", _D)]
        ROWS.append(Encoding(m, SCALAR.format(u=u, op=op), ops, ex, decode_scalar,
                             _swapped(m, ops), name=f"{m}_scalar"))

def pmul(s: Any, o: Any, d: Decoded) -> None:
    """PMUL: polynomial (carry-less) multiply of bytes, the low 8 bits of each product."""
    w = d.datasize
    vset(s, o, d.Rd, map2(o, vget(s, o, d.Rn, w), vget(s, o, d.Rm, w), 8, w,
                          lambda a, b: o.extract(7, 0, PolynomialMult(o, a, b, 8, 8))), w)


ROWS.append(Encoding("PMUL", "0 Q U=1 01110 size=00 1 Rm opcode=10011 1 Rn Rd", _vec3(_B), pmul,
                     decode_bitwise, name="PMUL_vector"))
for m, u, size in LOGICAL:
    ROWS.append(Encoding(m, BITWISE.format(u=u, size=size), _vec3(_B), _bitwise(m),
                         decode_bitwise, _MOV if m == "ORR" else (), name=f"{m}_vector"))

# The halving, saturating, rounding and absolute-difference rows (simd_arith.py):
#          mnemonic    U  opcode   sizes: B = 8b..4s, Q = also 2d and the scalar b/h/s/d,
#                                  D = also 2d and the scalar d, HS = 4h..4s and scalar h/s
EXTENDED = [
    ("SHADD",    0, "00000", "B"), ("UHADD",    1, "00000", "B"),
    ("SRHADD",   0, "00010", "B"), ("URHADD",   1, "00010", "B"),
    ("SHSUB",    0, "00100", "B"), ("UHSUB",    1, "00100", "B"),
    ("SQADD",    0, "00001", "Q"), ("UQADD",    1, "00001", "Q"),
    ("SQSUB",    0, "00101", "Q"), ("UQSUB",    1, "00101", "Q"),
    ("SQSHL",    0, "01001", "Q"), ("UQSHL",    1, "01001", "Q"),
    ("SRSHL",    0, "01010", "D"), ("URSHL",    1, "01010", "D"),
    ("SQRSHL",   0, "01011", "Q"), ("UQRSHL",   1, "01011", "Q"),
    ("SABD",     0, "01110", "B"), ("UABD",     1, "01110", "B"),
    ("SABA",     0, "01111", "B"), ("UABA",     1, "01111", "B"),
    ("SQDMULH",  0, "10110", "HS"), ("SQRDMULH", 1, "10110", "HS"),
]
SCALAR_ANY = "01 U={u} 11110 size 1 Rm opcode={op} 1 Rn Rd"


def _element_fn(m: str) -> Any:
    """f(o, n) -> g(x, y, acc) -> (value, saturated or None) for one element."""
    signed = m[0] == "S"
    if m.endswith(("HADD", "HSUB")):
        sub, rnd = m.endswith("HSUB"), m[1] == "R"
        return lambda o, n: lambda x, y, a: (sa.halving(o, x, y, n, signed, sub, rnd), None)
    if m.endswith("SHL"):
        rnd, sat = "R" in m[1:], "Q" in m
        return lambda o, n: lambda x, y, a: sa.shift_by_register(o, x, y, n, signed, rnd, sat)
    if m.endswith("ABD"):
        return lambda o, n: lambda x, y, a: (sa.abs_diff(o, x, y, n, signed), None)
    if not m.endswith("ABA"):  # the saturating adds and multiplies go to `_saturating`
        raise ValueError(f"no element function for {m}")
    return lambda o, n: lambda x, y, a: (o.bvadd(a, sa.abs_diff(o, x, y, n, signed), n), None)


def _saturating(m: str) -> Any:
    """SQADD/UQADD/SQSUB/UQSUB (`vqadd`) and SQDMULH/SQRDMULH (`vsqdmulh`): all lanes at
    once, then FPSR.QC if some lane saturated."""
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n, v = d.datasize, d.esize, lane_ops(o)
        x, y = vget(s, o, d.Rn, w), vget(s, o, d.Rm, w)
        if m.endswith("MULH"):
            r, saturated = v.vsqdmulh(x, y, n, w, m == "SQRDMULH")
        else:
            r, saturated = v.vqadd(x, y, n, w, m[0] == "S", m.endswith("SUB"))
        vset(s, o, d.Rd, r, w)
        sa.note_saturation(s, o, [saturated])
    return execute


def _lanewise(m: str) -> Any:
    """Per-element rows that may saturate (FPSR.QC: simd_arith.note_saturation)."""
    if m in ("SQADD", "UQADD", "SQSUB", "UQSUB", "SQDMULH", "SQRDMULH"):
        return _saturating(m)
    fn, reads_d = _element_fn(m), m.endswith("ABA")

    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n = d.datasize, d.esize
        count = w // n
        xs, ys = lanes(o, vget(s, o, d.Rn, w), n, count), lanes(o, vget(s, o, d.Rm, w), n, count)
        acc = lanes(o, vget(s, o, d.Rd, w), n, count) if reads_d else [None] * count
        g = fn(o, n)
        results = [g(x, y, a) for x, y, a in zip(xs, ys, acc)]
        vset(s, o, d.Rd, join(o, [r[0] for r in results], n), w)
        sa.note_saturation(s, o, [r[1] for r in results if r[1] is not None])
    return execute


def _decode_sizes(sizes: tuple[int, ...], scalar: bool) -> Any:
    def decode(d: Decoded) -> None:
        if d.size not in sizes or (not scalar and d.size == 3 and not d.Q):
            raise Unallocated
        d.esize = 8 << d.size
        d.datasize = d.esize if scalar else datasize(d)
    return decode


_SIZES = {"B": ((0, 1, 2), ()), "Q": ((0, 1, 2, 3), (0, 1, 2, 3)), "D": ((0, 1, 2, 3), (3,)),
          "HS": ((1, 2), (1, 2))}
_LETTERS = "bhsd"


def _extended_rows() -> list[Encoding]:
    rows = []
    for m, u, op, kind in EXTENDED:
        vsizes, ssizes = _SIZES[kind]
        ex = _lanewise(m)
        arr = size_q(tuple(t for (sz, _), t in SIZE_Q.items() if sz in vsizes))
        prepare = sa.edge_lanes(("Rn", "Rm", "Rd"))
        rows.append(Encoding(m, VECTOR.format(u=u, op=op), _vec3(arr), ex,
                             _decode_sizes(vsizes, False), name=f"{m}_vector",
                             conform=prepare))
        if ssizes:
            letter = Arr(("size",), {(sz,): _LETTERS[sz] for sz in ssizes})
            rows.append(Encoding(m, SCALAR_ANY.format(u=u, op=op),
                                 [Sca("Rd", letter), Sca("Rn", letter), Sca("Rm", letter)],
                                 ex, _decode_sizes(ssizes, True), name=f"{m}_scalar",
                                 conform=prepare))
    return rows


ROWS += _extended_rows()

# FEAT_RDM, "three same extra": SQRDMLAH/SQRDMLSH accumulate into Vd (h and s elements)
RDM = "{head} size 0 Rm 1 {op} 1 Rn Rd"


def _rdm(sub: bool) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n = d.datasize, d.esize
        count = w // n
        xs, ys = lanes(o, vget(s, o, d.Rn, w), n, count), lanes(o, vget(s, o, d.Rm, w), n, count)
        acc = lanes(o, vget(s, o, d.Rd, w), n, count)
        results = [sa.rounding_mul_accumulate(o, a, x, y, n, sub)
                   for a, x, y in zip(acc, xs, ys)]
        vset(s, o, d.Rd, join(o, [r[0] for r in results], n), w)
        sa.note_saturation(s, o, [r[1] for r in results])
    return execute


for _m, _op in (("SQRDMLAH", "0000"), ("SQRDMLSH", "0001")):
    _prepare = sa.edge_lanes(("Rn", "Rm", "Rd"))
    _arr = size_q(("4h", "8h", "2s", "4s"))
    ROWS.append(Encoding(_m, RDM.format(head="0 Q 1 01110", op=_op), _vec3(_arr),
                         _rdm(_op == "0001"), _decode_sizes((1, 2), False),
                         name=f"{_m}_vector", conform=_prepare))
    _letter = Arr(("size",), {(1,): "h", (2,): "s"})
    ROWS.append(Encoding(_m, RDM.format(head="01 1 11110", op=_op),
                         [Sca("Rd", _letter), Sca("Rn", _letter), Sca("Rm", _letter)],
                         _rdm(_op == "0001"), _decode_sizes((1, 2), True),
                         name=f"{_m}_scalar", conform=_prepare))


def _dot(signed: bool) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w = d.datasize
        xs, ys = lanes(o, vget(s, o, d.Rn, w), 8, w // 8), lanes(o, vget(s, o, d.Rm, w), 8, w // 8)
        acc = lanes(o, vget(s, o, d.Rd, w), 32, w // 32)
        out = [sa.dot4(o, a, xs[4 * e:4 * e + 4], ys[4 * e:4 * e + 4], signed)
               for e, a in enumerate(acc)]
        vset(s, o, d.Rd, join(o, out, 32), w)
    return execute


# FEAT_DotProd, "three same extra": SDOT/UDOT Vd.2S/4S, Vn.8B/16B, Vm.8B/16B
for _m, _u in (("SDOT", 0), ("UDOT", 1)):
    ROWS.append(Encoding(_m, f"0 Q U={_u} 01110 size=10 0 Rm 1 0010 1 Rn Rd",
                         [Vec("Rd", Arr(("Q",), {(0,): "2s", (1,): "4s"})), Vec("Rn", _B),
                          Vec("Rm", _B)], _dot(_u == 0), decode_bitwise, name=f"{_m}_vector"))

CLASS = InstructionClass("simd_three_same", "AdvSIMD three same (integer)", ROWS)
