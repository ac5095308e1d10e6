"""AdvSIMD three different: the widening integer operations (S/U ADDL, ADDW, SUBL, SUBW, MLAL,
MLSL, MULL and their `2` forms that read the upper halves) and PMULL/PMULL2, polynomial
(carry-less) multiply long with 8-bit elements (8B/16B -> 8H) or FEAT_PMULL's 64-bit elements
(1D/2D -> 1Q). Arm ARM C4.1.96.x, `0 Q U 01110 size 1 Rm opcode 00 Rn Rd`; size = 11 is
reserved for the integer forms, sizes 01 and 10 for PMULL."""

from __future__ import annotations

from typing import Any

from .crypto_functions import PolynomialMult, join, lanes
from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .simd_operands import Arr, Vec

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
]
PATTERN = "0 Q={q} U={u} 01110 size 1 Rm opcode={op} 00 Rn Rd"


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


def _integer(m: str, kind: str) -> Any:
    signed = m[0] == "S"
    op = m[1:4] if kind != "A" else m[1:3]  # ADD, SUB, MUL, ML(A/S)

    def execute(s: Any, o: Any, d: Decoded) -> None:
        n, w = d.esize, 2 * d.esize
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
        elif op == "MUL":
            out = [o.bvmul(x, y, w) for x, y in zip(xs, ys)]
        else:  # MLAL / MLSL: accumulate into Vd
            acc = lanes(o, s.v[d.Rd], w, 64 // n)
            f = o.bvadd if m[3] == "A" else o.bvsub
            out = [f(a, o.bvmul(x, y, w), w) for a, x, y in zip(acc, xs, ys)]
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
            first = Vec("Rn", wide if kind == "W" else narrow)
            rows.append(Encoding(name, PATTERN.format(q=q, u=u, op=op),
                                 [Vec("Rd", wide), first, Vec("Rm", narrow)],
                                 pmull if poly else _integer(m, kind),
                                 decode_pmull if poly else decode_integer))
    return rows


CLASS = InstructionClass("simd_three_diff", "AdvSIMD three different (widening arithmetic, "
                         "PMULL)", _rows())
