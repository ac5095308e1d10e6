"""Cryptographic SHA-3 helpers (FEAT_SHA3): EOR3 and BCAX (Arm ARM C4.1.95.11, four-register,
`11001110 0 Op0 Rm 0 Ra Rn Rd`), XAR (C4.1.95.10, `11001110 100 Rm imm6 Rn Rd`) and RAX1
(three-register SHA512 group, `11001110 011 Rm 1 O=0 00 opcode=11 Rn Rd`)."""

from __future__ import annotations

from typing import Any

from .crypto_functions import join, lanes
from .encoding import Decoded, Encoding, InstructionClass
from .operands import Imm
from .simd_operands import Vec

#          mnemonic  encoding (bit 31 .. bit 0)
TABLE = [
    ("EOR3", "11001110 0 Op0=00 Rm 0 Ra Rn Rd"),
    ("BCAX", "11001110 0 Op0=01 Rm 0 Ra Rn Rd"),
    ("XAR",  "11001110 100 Rm imm6 Rn Rd"),
    ("RAX1", "11001110 011 Rm 1 O=0 00 opcode=11 Rn Rd"),
]


def eor3(s: Any, o: Any, d: Decoded) -> None:
    s.v[d.Rd] = o.bvxor(o.bvxor(s.v[d.Rn], s.v[d.Rm], 128), s.v[d.Ra], 128)


def bcax(s: Any, o: Any, d: Decoded) -> None:
    s.v[d.Rd] = o.bvxor(s.v[d.Rn], o.bvand(s.v[d.Rm], o.bvnot(s.v[d.Ra], 128), 128), 128)


def xar(s: Any, o: Any, d: Decoded) -> None:
    t = lanes(o, o.bvxor(s.v[d.Rn], s.v[d.Rm], 128), 64, 2)
    s.v[d.Rd] = join(o, [o.rotate_right(e, d.imm6, 64) for e in t], 64)


def rax1(s: Any, o: Any, d: Decoded) -> None:
    n, m = lanes(o, s.v[d.Rn], 64, 2), lanes(o, s.v[d.Rm], 64, 2)
    s.v[d.Rd] = join(o, [o.bvxor(a, o.rotate_right(b, 63, 64), 64) for a, b in zip(n, m)], 64)


_V16 = [Vec("Rd", "16b"), Vec("Rn", "16b"), Vec("Rm", "16b"), Vec("Ra", "16b")]
_V2D = [Vec("Rd", "2d"), Vec("Rn", "2d"), Vec("Rm", "2d")]
ROWS: dict[str, tuple[list[Any], Any]] = {
    "EOR3": (_V16, eor3),
    "BCAX": (_V16, bcax),
    "XAR": ([*_V2D, Imm("imm6")], xar),
    "RAX1": (_V2D, rax1),
}

CLASS = InstructionClass("crypto_sha3", "Cryptographic SHA-3 (EOR3, BCAX, XAR, RAX1)", [
    Encoding(m, pattern, ROWS[m][0], ROWS[m][1]) for m, pattern in TABLE
])
