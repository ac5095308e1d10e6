"""AdvSIMD three different: PMULL and PMULL2, polynomial (carry-less) multiply long, with
8-bit elements (8B/16B -> 8H) and FEAT_PMULL's 64-bit elements (1D/2D -> 1Q). Arm ARM
C4.1.96.x (`0 Q U 01110 size 1 Rm opcode 00 Rn Rd`, U = 0, opcode = 1110; sizes 01 and 10
are reserved)."""

from __future__ import annotations

from typing import Any

from .crypto_functions import PolynomialMult, join, lanes
from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .simd_operands import Arr, Vec

#          mnemonic  encoding (bit 31 .. bit 0)
TABLE = [
    ("PMULL",  "0 Q=0 U=0 01110 size 1 Rm opcode=1110 00 Rn Rd"),
    ("PMULL2", "0 Q=1 U=0 01110 size 1 Rm opcode=1110 00 Rn Rd"),
]


def decode(d: Decoded) -> None:
    if d.size not in (0, 3):
        raise Unallocated
    d.esize = 8 << d.size


def pmull(s: Any, o: Any, d: Decoded) -> None:
    esize, half = d.esize, 64 * d.Q
    n = lanes(o, o.extract(half + 63, half, s.v[d.Rn]), esize, 64 // esize)
    m = lanes(o, o.extract(half + 63, half, s.v[d.Rm]), esize, 64 // esize)
    prods = [PolynomialMult(o, a, b, esize, esize) for a, b in zip(n, m)]
    s.v[d.Rd] = join(o, prods, 2 * esize)


_DEST = Arr(("size",), {(0,): "8h", (3,): "1q"})
ROWS = {
    "PMULL": [Vec("Rd", _DEST), Vec("Rn", Arr(("size",), {(0,): "8b", (3,): "1d"})),
              Vec("Rm", Arr(("size",), {(0,): "8b", (3,): "1d"}))],
    "PMULL2": [Vec("Rd", _DEST), Vec("Rn", Arr(("size",), {(0,): "16b", (3,): "2d"})),
               Vec("Rm", Arr(("size",), {(0,): "16b", (3,): "2d"}))],
}

CLASS = InstructionClass("simd_three_diff", "AdvSIMD three different (PMULL)", [
    Encoding(m, pattern, ROWS[m], pmull, decode) for m, pattern in TABLE
])
