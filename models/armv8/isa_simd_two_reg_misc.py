"""AdvSIMD two-register miscellaneous (integer): REV16/REV32/REV64, CNT, NOT (printed MVN),
RBIT, CLZ, CLS, XTN/XTN2, ABS, NEG, the pairwise widening adds SADDLP/UADDLP/SADALP/UADALP,
the compares against zero CMEQ/CMGE/CMGT/CMLE/CMLT, and the saturating SUQADD/USQADD,
SQABS/SQNEG, SQXTN/UQXTN/SQXTUN(2) (simd_arith.py; saturation sets FPSR.QC) and SHLL(2). Arm ARM
C4.1.96.x, vector `0 Q U 01110 size 10000 opcode 10 Rn Rd` and scalar
`01 U 11110 size 10000 opcode 10 Rn Rd` (scalar: ABS, NEG and the compares against zero on d
registers; the saturating rows on b/h/s/d; SQXTN & co. narrowing h/s/d to b/h/s)."""

from __future__ import annotations

from typing import Any

from . import simd_arith as sa
from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import Custom, parse_int
from .simd_common import datasize, join, lane_ops, lanes, map1, vget, vset
from .simd_operands import SIZE_Q, Arr, Sca, Vec, size_q

#          mnemonic  U  opcode  allowed sizes (None: any, subject to size=11 needing Q=1)
TABLE = [
    ("REV64", 0, "00000", (0, 1, 2)),
    ("REV16", 0, "00001", (0,)),
    ("REV32", 1, "00000", (0, 1)),
    ("CNT",   0, "00101", (0,)),
    ("NOT",   1, "00101", (0,)),
    ("RBIT",  1, "00101", (1,)),
    ("XTN",   0, "10010", (0, 1, 2)),
    ("ABS",   0, "01011", None),
    ("NEG",   1, "01011", None),
    ("CMGT",  0, "01000", None),
    ("CMEQ",  0, "01001", None),
    ("CMLT",  0, "01010", None),
    ("CMGE",  1, "01000", None),
    ("CMLE",  1, "01001", None),
    ("CLS",   0, "00100", (0, 1, 2)),
    ("CLZ",   1, "00100", (0, 1, 2)),
    ("SADDLP", 0, "00010", (0, 1, 2)),
    ("UADDLP", 1, "00010", (0, 1, 2)),
    ("SADALP", 0, "00110", (0, 1, 2)),
    ("UADALP", 1, "00110", (0, 1, 2)),
]
PATTERN = "0 Q U={u} 01110 size{fixed} 10000 opcode={op} 10 Rn Rd"


def _decoder(allowed: tuple[int, ...] | None) -> Any:
    def decode(d: Decoded) -> None:
        if (d.size == 3 and not d.Q) if allowed is None else d.size not in allowed:
            raise Unallocated
        d.esize, d.datasize = 8 << d.size, datasize(d)
    return decode


def _rev(container: int) -> Any:
    """Reverse the elements in every container: swap the halves of every 2s-bit block (a
    lane-wise rotation by s) for s = esize, 2 esize, ..., container / 2."""
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, size = d.datasize, d.esize
        v, ror = vget(s, o, d.Rn, w), lane_ops(o).vror
        while size < container:
            v = ror(v, size, 2 * size, w)
            size *= 2
        vset(s, o, d.Rd, v, w)
    return execute


def cnt(s: Any, o: Any, d: Decoded) -> None:
    w = d.datasize
    vset(s, o, d.Rd, map1(o, vget(s, o, d.Rn, w), 8, w, lambda b: o.popcount(b, 8)), w)


def not_(s: Any, o: Any, d: Decoded) -> None:
    w = d.datasize
    vset(s, o, d.Rd, o.bvnot(vget(s, o, d.Rn, w), w), w)


_SWAPS = [(4, 0x0F), (2, 0x33), (1, 0x55)]


def rbit(s: Any, o: Any, d: Decoded) -> None:
    """Reverse the bits of every byte: swap nibbles, then bit pairs, then single bits."""
    w = d.datasize
    x = vget(s, o, d.Rn, w)
    for k, m in _SWAPS:
        lo = int.from_bytes(bytes([m]) * (w // 8), "little")
        x = o.bvor(o.bvshl(o.bvand(x, lo, w), k, w), o.bvand(o.bvlshr(x, k, w), lo, w), w)
    vset(s, o, d.Rd, x, w)


def xtn(s: Any, o: Any, d: Decoded) -> None:
    """Narrow each 2*esize element of Vn to esize bits; XTN2 writes the upper half of Vd."""
    esize = d.esize
    el = lanes(o, s.v[d.Rn], 2 * esize, 64 // esize)
    narrow = join(o, [o.extract(esize - 1, 0, e) for e in el], esize)
    if d.Q:
        s.v[d.Rd] = o.concat(narrow, o.extract(63, 0, s.v[d.Rd]), 64)
    else:
        vset(s, o, d.Rd, narrow, 64)


def _unary(f: Any) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n = d.datasize, d.esize
        vset(s, o, d.Rd, map1(o, vget(s, o, d.Rn, w), n, w, f(o, n)), w)
    return execute


def _cmp_zero(pred: Any) -> Any:
    def f(o: Any, n: int) -> Any:
        ones, zero = o.const((1 << n) - 1, n), o.const(0, n)
        return lambda a: o.ite(pred(o, a, zero, n), ones, zero)
    return _unary(f)


def _cls(o: Any, n: int) -> Any:
    """CountLeadingSignBits: the leading zeros of x<n-1:1> EOR x<n-2:0>."""
    def f(a: Any) -> Any:
        t = o.clz(o.bvxor(o.extract(n - 1, 1, a), o.extract(n - 2, 0, a), n - 1), n - 1)
        return o.zero_extend(t, n - 1, n)
    return f


def _pairwise_long(signed: bool, accumulate: bool) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n = d.datasize, d.esize
        ext = o.sign_extend if signed else o.zero_extend
        el = [ext(e, n, 2 * n) for e in lanes(o, vget(s, o, d.Rn, w), n, w // n)]
        out = [o.bvadd(el[2 * i], el[2 * i + 1], 2 * n) for i in range(w // (2 * n))]
        if accumulate:
            acc = lanes(o, vget(s, o, d.Rd, w), 2 * n, w // (2 * n))
            out = [o.bvadd(a, x, 2 * n) for a, x in zip(acc, out)]
        vset(s, o, d.Rd, join(o, out, 2 * n), w)
    return execute


UNARY = {
    "CLZ": _unary(lambda o, n: lambda a: o.clz(a, n)),
    "CLS": _unary(_cls),
    "ABS": _unary(lambda o, n: lambda a: o.ite(o.bvslt(a, o.const(0, n), n), o.bvneg(a, n), a)),
    "NEG": _unary(lambda o, n: lambda a: o.bvneg(a, n)),
    "CMGT": _cmp_zero(lambda o, a, z, n: o.bvslt(z, a, n)),
    "CMEQ": _cmp_zero(lambda o, a, z, n: o.eq(a, z)),
    "CMLT": _cmp_zero(lambda o, a, z, n: o.bvslt(a, z, n)),
    "CMGE": _cmp_zero(lambda o, a, z, n: o.bvsle(z, a, n)),
    "CMLE": _cmp_zero(lambda o, a, z, n: o.bvsle(a, z, n)),
}
EXECUTE = {"REV64": _rev(64), "REV16": _rev(16), "REV32": _rev(32), "CNT": cnt, "NOT": not_,
           "RBIT": rbit, "XTN": xtn, **UNARY,
           "SADDLP": _pairwise_long(True, False), "UADDLP": _pairwise_long(False, False),
           "SADALP": _pairwise_long(True, True), "UADALP": _pairwise_long(False, True)}

_B = Arr(("Q",), {(0,): "8b", (1,): "16b"})
_ZERO = Custom(lambda d, pc: "#0", lambda tok, f, ctx: tok.strip() in ("#0", "0", "#0x0"))


def _operands(m: str, allowed: tuple[int, ...] | None) -> tuple[list[Any], list[Alias]]:
    if m in ("CNT", "NOT", "RBIT"):
        ops = [Vec("Rd", _B), Vec("Rn", _B)]
        return ops, ([Alias("mvn", ops)] if m == "NOT" else [])
    if m == "XTN":
        return [Vec("Rd", size_q(("8b", "16b", "4h", "8h", "2s", "4s"))),
                Vec("Rn", Arr(("size",), {(0,): "8h", (1,): "4s", (2,): "2d"}))], []
    names = None if allowed is None else tuple(t for (size, _), t in SIZE_Q.items()
                                               if size in allowed)
    arr = size_q(names)
    if m.endswith("LP"):
        wide = Arr(("size", "Q"), {(0, 0): "4h", (0, 1): "8h", (1, 0): "2s", (1, 1): "4s",
                                   (2, 0): "1d", (2, 1): "2d"})
        return [Vec("Rd", wide), Vec("Rn", arr)], []
    ops = [Vec("Rd", arr), Vec("Rn", arr)]
    return (ops + [_ZERO] if m.startswith("CM") else ops), []


ROWS = []
for m, u, op, allowed in TABLE:
    fixed = f"={allowed[0]:02b}" if allowed is not None and len(allowed) == 1 else ""
    ops, aliases = _operands(m, allowed)
    if m == "XTN":
        for q, name in ((0, "XTN"), (1, "XTN2")):
            pattern = f"0 Q={q} U={u} 01110 size 10000 opcode={op} 10 Rn Rd"
            arr = size_q(("8b", "4h", "2s") if q == 0 else ("16b", "8h", "4s"))
            ROWS.append(Encoding(name, pattern, [Vec("Rd", arr), ops[1]], xtn,
                                 _decoder(allowed)))
        continue
    # The compares against zero are the Arm ARM's "CMEQ (zero)" ...; "CMEQ (register)" rows
    # live in isa_simd_three_same.py as CMEQ_vector (row names are unique across classes).
    kind = "zero" if m.startswith("CM") else "vector"
    ROWS.append(Encoding(m, PATTERN.format(u=u, op=op, fixed=fixed), ops, EXECUTE[m],
                         _decoder(allowed), aliases, name=f"{m}_{kind}"))

# The saturating rows (simd_arith.py) and the 64-bit scalar forms.
#            mnemonic  U  opcode
SATURATING = [("SUQADD", 0, "00011"), ("USQADD", 1, "00011"),
              ("SQABS",  0, "00111"), ("SQNEG",  1, "00111")]
NARROWING = [("SQXTN", 0, "10100"), ("UQXTN", 1, "10100"), ("SQXTUN", 1, "10010")]
SCALAR_D = ["ABS", "NEG", "CMGT", "CMEQ", "CMLT", "CMGE", "CMLE"]  # size = 11 only
SCALAR = "01 U={u} 11110 size 10000 opcode={op} 10 Rn Rd"
_LETTERS = "bhsd"


def _saturating(m: str) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n = d.datasize, d.esize
        xs = lanes(o, vget(s, o, d.Rn, w), n, w // n)
        if m in ("SQABS", "SQNEG"):
            results = [sa.sat_abs_neg(o, x, n, m == "SQNEG") for x in xs]
        else:
            acc = lanes(o, vget(s, o, d.Rd, w), n, w // n)
            results = [sa.sat_accumulate(o, x, a, n, m == "USQADD") for x, a in zip(xs, acc)]
        vset(s, o, d.Rd, join(o, [r[0] for r in results], n), w)
        sa.note_saturation(s, o, [r[1] for r in results])
    return execute


def _sat_narrow(m: str, scalar: bool) -> Any:
    """SQXTN/UQXTN/SQXTUN: like XTN, with saturation; the `2` forms write the upper half."""
    src_signed, dst_signed = m != "UQXTN", m == "SQXTN"

    def execute(s: Any, o: Any, d: Decoded) -> None:
        n = d.esize
        count = 1 if scalar else 64 // n
        results = [sa.sat_narrow(o, e, n, src_signed, dst_signed)
                   for e in lanes(o, vget(s, o, d.Rn, 2 * n * count), 2 * n, count)]
        narrow = join(o, [r[0] for r in results], n)
        if not scalar and d.Q:
            s.v[d.Rd] = o.concat(narrow, o.extract(63, 0, s.v[d.Rd]), 64)
        else:
            vset(s, o, d.Rd, narrow, n * count)
        sa.note_saturation(s, o, [r[1] for r in results])
    return execute


def shll(s: Any, o: Any, d: Decoded) -> None:
    """SHLL(2): each element of the lower (upper) half widened and shifted left by its size."""
    n = d.esize
    half = o.extract(64 * d.Q + 63, 64 * d.Q, s.v[d.Rn])
    out = [o.concat(e, o.const(0, n), n) for e in lanes(o, half, n, 64 // n)]
    s.v[d.Rd] = join(o, out, 2 * n)


_SHIFT_BY_SIZE = Custom(lambda d, pc: f"#{8 << d.size}",
                        lambda tok, f, ctx: parse_int(tok) == 8 << f.get("size", 0))


def _decode_scalar(sizes: tuple[int, ...]) -> Any:
    def decode(d: Decoded) -> None:
        if d.size not in sizes:
            raise Unallocated
        d.esize = d.datasize = 8 << d.size
    return decode


def _letters(sizes: tuple[int, ...], shift: int = 0) -> Arr:
    return Arr(("size",), {(sz,): _LETTERS[sz + shift] for sz in sizes})


def _more_rows() -> list[Encoding]:
    rows = []
    prepare = sa.edge_lanes(("Rn", "Rd"))
    for m, u, op in SATURATING:
        ex = _saturating(m)
        rows.append(Encoding(m, PATTERN.format(u=u, op=op, fixed=""),
                             [Vec("Rd", size_q()), Vec("Rn", size_q())], ex, _decoder(None),
                             name=f"{m}_vector", conform=prepare))
        arr = _letters((0, 1, 2, 3))
        rows.append(Encoding(m, SCALAR.format(u=u, op=op), [Sca("Rd", arr), Sca("Rn", arr)],
                             ex, _decode_scalar((0, 1, 2, 3)), name=f"{m}_scalar",
                             conform=prepare))
    for m, u, op in NARROWING:
        for q, name in ((0, m), (1, m + "2")):
            arr = size_q(("8b", "4h", "2s") if q == 0 else ("16b", "8h", "4s"))
            wide = Arr(("size",), {(0,): "8h", (1,): "4s", (2,): "2d"})
            rows.append(Encoding(name, f"0 Q={q} U={u} 01110 size 10000 opcode={op} 10 Rn Rd",
                                 [Vec("Rd", arr), Vec("Rn", wide)], _sat_narrow(m, False),
                                 _decoder((0, 1, 2)), conform=prepare))
        rows.append(Encoding(m, SCALAR.format(u=u, op=op),
                             [Sca("Rd", _letters((0, 1, 2))), Sca("Rn", _letters((0, 1, 2), 1))],
                             _sat_narrow(m, True), _decode_scalar((0, 1, 2)),
                             name=f"{m}_scalar", conform=prepare))
    for q, name in ((0, "SHLL"), (1, "SHLL2")):
        wide = Arr(("size",), {(0,): "8h", (1,): "4s", (2,): "2d"})
        arr = size_q(("8b", "4h", "2s") if q == 0 else ("16b", "8h", "4s"))
        rows.append(Encoding(name, f"0 Q={q} U=1 01110 size 10000 opcode=10011 10 Rn Rd",
                             [Vec("Rd", wide), Vec("Rn", arr), _SHIFT_BY_SIZE], shll,
                             _decoder((0, 1, 2))))
    for m in SCALAR_D:
        u, op = next((u, op) for mm, u, op, _ in TABLE if mm == m)
        ops = [Sca("Rd", "d"), Sca("Rn", "d")] + ([_ZERO] if m.startswith("CM") else [])
        rows.append(Encoding(m, SCALAR.format(u=u, op=op).replace("size", "size=11"), ops,
                             EXECUTE[m], _decode_scalar((3,)),
                             name=f"{m}_{'zero_' if m.startswith('CM') else ''}scalar"))
    return rows


ROWS += _more_rows()

CLASS = InstructionClass("simd_two_reg_misc", "AdvSIMD two-register miscellaneous (integer)",
                         ROWS)
