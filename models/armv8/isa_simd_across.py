"""AdvSIMD across lanes and scalar pairwise: ADDV (Arm ARM C4.1.96.x,
`0 Q U 01110 size 11000 opcode 10 Rn Rd`) and ADDP (scalar, `01 U 11110 size 11000 opcode 10 Rn
Rd` with size = 11: the sum of the two 64-bit elements)."""

from __future__ import annotations

from typing import Any

from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .simd_common import datasize, lanes, vget, vset
from .simd_operands import Arr, Fixed, Sca, Vec, size_q

#          mnemonic  encoding (bit 31 .. bit 0)
TABLE = [
    ("ADDV", "0 Q U=0 01110 size 11000 opcode=11011 10 Rn Rd"),
    ("ADDP", "01 U=0 11110 size=11 11000 opcode=11011 10 Rn Rd"),
]


def decode_addv(d: Decoded) -> None:
    if d.size == 3 or (d.size == 2 and not d.Q):
        raise Unallocated
    d.esize, d.datasize = 8 << d.size, datasize(d)


def decode_addp(d: Decoded) -> None:
    d.esize, d.datasize = 64, 128


def add_across(s: Any, o: Any, d: Decoded) -> None:
    """Reduce(Add) over the elements; the sum is written as a scalar (upper bits zero)."""
    n = d.esize
    el = lanes(o, vget(s, o, d.Rn, d.datasize), n, d.datasize // n)
    total = el[0]
    for e in el[1:]:
        total = o.bvadd(total, e, n)
    vset(s, o, d.Rd, total, n)


CLASS = InstructionClass("simd_across", "AdvSIMD across lanes and scalar pairwise (ADDV, ADDP)", [
    Encoding("ADDV", TABLE[0][1],
             [Sca("Rd", Arr(("size",), {(0,): "b", (1,): "h", (2,): "s"})),
              Vec("Rn", size_q(("8b", "16b", "4h", "8h", "4s")))],
             add_across, decode_addv),
    Encoding("ADDP", TABLE[1][1], [Sca("Rd", Fixed("d")), Vec("Rn", "2d")], add_across,
             decode_addp, name="ADDP_scalar"),
])
