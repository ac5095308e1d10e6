"""AdvSIMD three different: the widening integer operations (S/U ADDL, ADDW, SUBL, SUBW, MLAL,
MLSL, MULL, ABAL, ABDL and their `2` forms that read the upper halves), the saturating
doubling SQDMULL/SQDMLAL/SQDMLSL(2) (16/32-bit elements, vector and scalar; FPSR.QC:
simd_arith.py), the
narrowing high halves ADDHN/RADDHN/SUBHN/RSUBHN(2), and PMULL/PMULL2, polynomial
(carry-less) multiply long with 8-bit elements (8B/16B -> 8H) or FEAT_PMULL's 64-bit elements
(1D/2D -> 1Q). Arm ARM C4.1.96.x, `0 Q U 01110 size 1 Rm opcode 00 Rn Rd`; size = 11 is
reserved for the integer forms, sizes 01 and 10 for PMULL."""

from __future__ import annotations

from typing import Any

from . import simd_arith as sa
from .crypto_functions import PolynomialMult, join, lane_ops, lanes
from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .simd_operands import Arr, Sca, Vec

#          mnemonic  U  opcode  kind: L (both narrow), W (Vn wide), A (accumulate), P (poly)
TABLE = [
    ("SADDL", 0, "0000", "L"), ("UADDL", 1, "0000", "L"),
    ("SADDW", 0, "0001", "W"), ("UADDW", 1, "0001", "W"),
    ("SSUBL", 0, "0010", "L"), ("USUBL", 1, "0010", "L"),
    ("SSUBW", 0, "0011", "W"), ("USUBW", 1, "0011", "W"),
    ("SMLAL", 0, "1000", "A"), ("UMLAL", 1, "1000", "A"),
    ("SMLSL", 0, "1010", "A"), ("UMLSL", 1, "1010", "A"),
    ("SMULL", 0, "1100", "L"), ("UMULL", 1, "1100", "L"),
    ("PMULL", 0, "1110", "P"),
    ("SABAL", 0, "0101", "A"), ("UABAL", 1, "0101", "A"),
    ("SABDL", 0, "0111", "L"), ("UABDL", 1, "0111", "L"),
    ("SQDMLAL", 0, "1001", "Q"), ("SQDMLSL", 0, "1011", "Q"), ("SQDMULL", 0, "1101", "Q"),
    ("ADDHN", 0, "0100", "N"), ("RADDHN", 1, "0100", "N"),
    ("SUBHN", 0, "0110", "N"), ("RSUBHN", 1, "0110", "N"),
]
PATTERN = "0 Q={q} U={u} 01110 size 1 Rm opcode={op} 00 Rn Rd"
SCALAR = "01 U=0 11110 size 1 Rm opcode={op} 00 Rn Rd"  # SQDMULL & co. only


def decode_integer(d: Decoded) -> None:
    if d.size == 3:
        raise Unallocated
    d.esize = 8 << d.size


def decode_pmull(d: Decoded) -> None:
    if d.size not in (0, 3):
        raise Unallocated
    d.esize = 8 << d.size


def _half(o: Any, v: Any, q: int, esize: int) -> list[Any]:
    """The elements of the lower (Q = 0) or upper (Q = 1) 64 bits."""
    return lanes(o, o.extract(64 * q + 63, 64 * q, v), esize, 64 // esize)


def pmull(s: Any, o: Any, d: Decoded) -> None:
    esize = d.esize
    n, m = _half(o, s.v[d.Rn], d.Q, esize), _half(o, s.v[d.Rm], d.Q, esize)
    s.v[d.Rd] = join(o, [PolynomialMult(o, a, b, esize, esize) for a, b in zip(n, m)],
                     2 * esize)


def decode_doubling(d: Decoded) -> None:
    if d.size not in (1, 2):
        raise Unallocated
    d.esize = 8 << d.size


def _doubling(m: str, scalar: bool = False) -> Any:
    """SQDMULL/SQDMLAL/SQDMLSL(2): SignedSatQ(2 a b) [accumulated with saturation]; the
    scalar forms take element 0 (`sqdmull s0, h1, h2`) and clear the rest of Vd."""
    def execute(s: Any, o: Any, d: Decoded) -> None:
        n, w = d.esize, 2 * d.esize
        if scalar:
            xs, ys = [o.extract(n - 1, 0, s.v[d.Rn])], [o.extract(n - 1, 0, s.v[d.Rm])]
            acc = [o.extract(w - 1, 0, s.v[d.Rd])]
        else:
            xs, ys = _half(o, s.v[d.Rn], d.Q, n), _half(o, s.v[d.Rm], d.Q, n)
            acc = lanes(o, s.v[d.Rd], w, 64 // n)
        out, sats = [], []
        for x, y, a in zip(xs, ys, acc):
            p, sat = sa.doubling_mul_long(o, x, y, n)
            if m != "SQDMULL":
                p, sat2 = sa.sat_add_sub(o, a, p, w, True, m == "SQDMLSL")
                sat = o.or_(sat, sat2)
            out.append(p)
            sats.append(sat)
        s.v[d.Rd] = o.zero_extend(out[0], w, 128) if scalar else join(o, out, w)
        sa.note_saturation(s, o, sats)
    return execute


def _high_narrow(m: str) -> Any:
    """ADDHN/SUBHN/RADDHN/RSUBHN(2): the high half of each 2n-bit sum or difference (plus
    2^(n-1) for the rounding forms); the `2` forms write the upper half of Vd."""
    def execute(s: Any, o: Any, d: Decoded) -> None:
        n, w = d.esize, 2 * d.esize
        f = o.bvsub if "SUB" in m else o.bvadd
        out = []
        for x, y in zip(lanes(o, s.v[d.Rn], w, 64 // n), lanes(o, s.v[d.Rm], w, 64 // n)):
            r = f(x, y, w)
            if m[0] == "R":
                r = o.bvadd(r, o.const(1 << (n - 1), w), w)
            out.append(o.extract(w - 1, n, r))
        narrow = join(o, out, n)
        if d.Q:
            s.v[d.Rd] = o.concat(narrow, o.extract(63, 0, s.v[d.Rd]), 64)
        else:
            s.v[d.Rd] = o.zero_extend(narrow, 64, 128)
    return execute


def _integer(m: str, kind: str) -> Any:
    signed = m[0] == "S"
    op = m[1:4] if kind != "A" else m[1:3]  # ADD, SUB, MUL, ML(A/S), AB(D/A)

    def execute(s: Any, o: Any, d: Decoded) -> None:
        n, w = d.esize, 2 * d.esize
        if op in ("MUL", "ML"):  # all lanes at once (`vmull`, `vmlal`)
            v, q = lane_ops(o), 64 * d.Q
            x, y = o.extract(q + 63, q, s.v[d.Rn]), o.extract(q + 63, q, s.v[d.Rm])
            s.v[d.Rd] = v.vmull(x, y, n, signed) if op == "MUL" else \
                v.vmlal(s.v[d.Rd], x, y, n, signed, m[3] == "S")
            return
        ext = o.sign_extend if signed else o.zero_extend
        wide = (lambda e: ext(e, n, w))  # noqa: E731
        if kind == "W":
            xs = lanes(o, s.v[d.Rn], w, 64 // n)
        else:
            xs = [wide(e) for e in _half(o, s.v[d.Rn], d.Q, n)]
        ys = [wide(e) for e in _half(o, s.v[d.Rm], d.Q, n)]
        if op == "ADD":
            out = [o.bvadd(x, y, w) for x, y in zip(xs, ys)]
        elif op == "SUB":
            out = [o.bvsub(x, y, w) for x, y in zip(xs, ys)]
        else:  # ABD, AB: widened operands: |x - y| fits, no sign to widen past
            diff = [sa.abs_diff(o, x, y, w, True) for x, y in zip(xs, ys)]
            if op == "AB":
                acc = lanes(o, s.v[d.Rd], w, 64 // n)
                diff = [o.bvadd(a, x, w) for a, x in zip(acc, diff)]
            out = diff
        s.v[d.Rd] = join(o, out, w)
    return execute


_WIDE = Arr(("size",), {(0,): "8h", (1,): "4s", (2,): "2d"})
_POLY_WIDE = Arr(("size",), {(0,): "8h", (3,): "1q"})


def _narrow(q: int, poly: bool) -> Arr:
    if poly:
        return Arr(("size",), {(0,): "16b" if q else "8b", (3,): "2d" if q else "1d"})
    names = ("16b", "8h", "4s") if q else ("8b", "4h", "2s")
    return Arr(("size",), {(i,): t for i, t in enumerate(names)})


def _rows() -> list[Encoding]:
    rows = []
    for m, u, op, kind in TABLE:
        for q in (0, 1):
            name = m + ("2" if q else "")
            poly = kind == "P"
            wide, narrow = (_POLY_WIDE if poly else _WIDE), _narrow(q, poly)
            pattern = PATTERN.format(q=q, u=u, op=op)
            if kind == "N":
                rows.append(Encoding(name, pattern,
                                     [Vec("Rd", narrow), Vec("Rn", wide), Vec("Rm", wide)],
                                     _high_narrow(m), decode_integer))
                continue
            if kind == "Q":
                arr = Arr(("size",), {k: v for k, v in wide.mapping.items() if k != (0,)})
                rows.append(Encoding(name, pattern,
                                     [Vec("Rd", arr), Vec("Rn", narrow), Vec("Rm", narrow)],
                                     _doubling(m), decode_doubling,
                                     conform=sa.edge_lanes(("Rn", "Rm", "Rd"))))
                if q == 0:
                    letters = Arr(("size",), {(1,): "h", (2,): "s"}), Arr(("size",), {(1,): "s",
                                                                                   (2,): "d"})
                    rows.append(Encoding(m, SCALAR.format(op=op),
                                         [Sca("Rd", letters[1]), Sca("Rn", letters[0]),
                                          Sca("Rm", letters[0])],
                                         _doubling(m, True), decode_doubling, name=f"{m}_scalar",
                                         conform=sa.edge_lanes(("Rn", "Rm", "Rd"))))
                continue
            first = Vec("Rn", wide if kind == "W" else narrow)
            rows.append(Encoding(name, pattern,
                                 [Vec("Rd", wide), first, Vec("Rm", narrow)],
                                 pmull if poly else _integer(m, kind),
                                 decode_pmull if poly else decode_integer))
    return rows


CLASS = InstructionClass("simd_three_diff", "AdvSIMD three different (widening arithmetic, "
                         "PMULL)", _rows())
