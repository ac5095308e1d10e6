"""Cryptographic AES: AESE, AESD, AESMC, AESIMC. Arm ARM C4.1.95.1 (Crypto AES,
`01001110 size 10100 opcode 10 Rn Rd`, size = 00; other sizes are unallocated)."""

from __future__ import annotations

from typing import Any

from .crypto_functions import (
    AESInvMixColumns,
    AESInvShiftRows,
    AESInvSubBytes,
    AESMixColumns,
    AESShiftRows,
    AESSubBytes,
)
from .encoding import Decoded, Encoding, InstructionClass
from .simd_operands import Vec

#          mnemonic  encoding (bit 31 .. bit 0)
TABLE = [
    ("AESE",   "01001110 size=00 10100 opcode=00100 10 Rn Rd"),
    ("AESD",   "01001110 size=00 10100 opcode=00101 10 Rn Rd"),
    ("AESMC",  "01001110 size=00 10100 opcode=00110 10 Rn Rd"),
    ("AESIMC", "01001110 size=00 10100 opcode=00111 10 Rn Rd"),
]


def aese(s: Any, o: Any, d: Decoded) -> None:
    s.v[d.Rd] = AESSubBytes(o, AESShiftRows(o, o.bvxor(s.v[d.Rd], s.v[d.Rn], 128)))


def aesd(s: Any, o: Any, d: Decoded) -> None:
    s.v[d.Rd] = AESInvSubBytes(o, AESInvShiftRows(o, o.bvxor(s.v[d.Rd], s.v[d.Rn], 128)))


def aesmc(s: Any, o: Any, d: Decoded) -> None:
    s.v[d.Rd] = AESMixColumns(o, s.v[d.Rn])


def aesimc(s: Any, o: Any, d: Decoded) -> None:
    s.v[d.Rd] = AESInvMixColumns(o, s.v[d.Rn])


EXECUTE = {"AESE": aese, "AESD": aesd, "AESMC": aesmc, "AESIMC": aesimc}

CLASS = InstructionClass("crypto_aes", "Cryptographic AES", [
    Encoding(m, pattern, [Vec("Rd", "16b"), Vec("Rn", "16b")], EXECUTE[m])
    for m, pattern in TABLE
])
