"""Cryptographic SHA-512: SHA512H, SHA512H2, SHA512SU1 (Arm ARM C4.1.95.12, three-register
SHA512, `11001110 011 Rm 1 O 00 opcode Rn Rd`, O = 0) and SHA512SU0 (C4.1.95.13, two-register
SHA512, `11001110 110000001000 opcode Rn Rd`). FEAT_SHA512."""

from __future__ import annotations

from typing import Any

from .crypto_functions import (
    SHAchoose,
    SHAmajority,
    sha512_Sigma0,
    sha512_sigma0,
    sha512_Sigma1,
    sha512_sigma1,
)
from .encoding import Decoded, Encoding, InstructionClass
from .simd_operands import Sca, Vec

#          mnemonic     encoding (bit 31 .. bit 0)
TABLE = [
    ("SHA512H",   "11001110 011 Rm 1 O=0 00 opcode=00 Rn Rd"),
    ("SHA512H2",  "11001110 011 Rm 1 O=0 00 opcode=01 Rn Rd"),
    ("SHA512SU1", "11001110 011 Rm 1 O=0 00 opcode=10 Rn Rd"),
    ("SHA512SU0", "11001110 110000001000 opcode=00 Rn Rd"),
]


def _halves(o: Any, v: Any) -> tuple[Any, Any]:
    """(bits 127..64, bits 63..0)."""
    return o.extract(127, 64, v), o.extract(63, 0, v)


def sha512h(s: Any, o: Any, d: Decoded) -> None:
    """Two rounds' T1: X = (g, f), Y = (e, d), W = (h + K + W, g + K' + W') as (hi, lo)."""
    x_hi, x_lo = _halves(o, s.v[d.Rn])
    y_hi, y_lo = _halves(o, s.v[d.Rm])
    w_hi, w_lo = _halves(o, s.v[d.Rd])
    add = o.bvadd
    hi = add(add(SHAchoose(o, y_hi, x_lo, x_hi, 64), sha512_Sigma1(o, y_hi), 64), w_hi, 64)
    tmp = add(hi, y_lo, 64)
    lo = add(add(SHAchoose(o, tmp, y_hi, x_lo, 64), sha512_Sigma1(o, tmp), 64), w_lo, 64)
    s.v[d.Rd] = o.concat(hi, lo, 64)


def sha512h2(s: Any, o: Any, d: Decoded) -> None:
    """Two rounds' new a: X = (_, c), Y = (b, a), W = the two T1 values."""
    _, x_lo = _halves(o, s.v[d.Rn])
    y_hi, y_lo = _halves(o, s.v[d.Rm])
    w_hi, w_lo = _halves(o, s.v[d.Rd])
    add = o.bvadd
    hi = add(add(SHAmajority(o, x_lo, y_hi, y_lo, 64), sha512_Sigma0(o, y_lo), 64), w_hi, 64)
    lo = add(add(SHAmajority(o, hi, y_lo, y_hi, 64), sha512_Sigma0(o, hi), 64), w_lo, 64)
    s.v[d.Rd] = o.concat(hi, lo, 64)


def sha512su1(s: Any, o: Any, d: Decoded) -> None:
    x_hi, x_lo = _halves(o, s.v[d.Rn])
    y_hi, y_lo = _halves(o, s.v[d.Rm])
    w_hi, w_lo = _halves(o, s.v[d.Rd])
    add = o.bvadd
    hi = add(add(w_hi, sha512_sigma1(o, x_hi), 64), y_hi, 64)
    lo = add(add(w_lo, sha512_sigma1(o, x_lo), 64), y_lo, 64)
    s.v[d.Rd] = o.concat(hi, lo, 64)


def sha512su0(s: Any, o: Any, d: Decoded) -> None:
    w_hi, w_lo = _halves(o, s.v[d.Rd])
    _, x_lo = _halves(o, s.v[d.Rn])
    lo = o.bvadd(w_lo, sha512_sigma0(o, w_hi), 64)
    hi = o.bvadd(w_hi, sha512_sigma0(o, x_lo), 64)
    s.v[d.Rd] = o.concat(hi, lo, 64)


_H = [Sca("Rd", "q"), Sca("Rn", "q"), Vec("Rm", "2d")]
ROWS: dict[str, tuple[list[Any], Any]] = {
    "SHA512H": (_H, sha512h),
    "SHA512H2": (_H, sha512h2),
    "SHA512SU1": ([Vec("Rd", "2d"), Vec("Rn", "2d"), Vec("Rm", "2d")], sha512su1),
    "SHA512SU0": ([Vec("Rd", "2d"), Vec("Rn", "2d")], sha512su0),
}

CLASS = InstructionClass("crypto_sha512", "Cryptographic SHA-512", [
    Encoding(m, pattern, ROWS[m][0], ROWS[m][1]) for m, pattern in TABLE
])
