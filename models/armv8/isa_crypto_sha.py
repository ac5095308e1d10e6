"""Cryptographic SHA-1 and SHA-256: the three-register group (SHA1C, SHA1P, SHA1M, SHA1SU0,
SHA256H, SHA256H2, SHA256SU1; Arm ARM C4.1.95.3, `01011110 size 0 Rm 0 opcode 00 Rn Rd`) and
the two-register group (SHA1H, SHA1SU1, SHA256SU0; C4.1.95.4,
`01011110 size 10100 opcode 10 Rn Rd`), size = 00."""

from __future__ import annotations

from typing import Any

from .crypto_functions import (
    ROL,
    SHA256hash,
    SHAchoose,
    SHAmajority,
    SHAparity,
    join,
    lane_ops,
    lanes,
    sha1_rounds,
    sha256_sigma0,
    sha256_sigma1,
)
from .encoding import Decoded, Encoding, InstructionClass
from .simd_operands import Sca, Vec

#          mnemonic     encoding (bit 31 .. bit 0)
TABLE = [
    ("SHA1C",     "01011110 size=00 0 Rm 0 opcode=000 00 Rn Rd"),
    ("SHA1P",     "01011110 size=00 0 Rm 0 opcode=001 00 Rn Rd"),
    ("SHA1M",     "01011110 size=00 0 Rm 0 opcode=010 00 Rn Rd"),
    ("SHA1SU0",   "01011110 size=00 0 Rm 0 opcode=011 00 Rn Rd"),
    ("SHA256H",   "01011110 size=00 0 Rm 0 opcode=100 00 Rn Rd"),
    ("SHA256H2",  "01011110 size=00 0 Rm 0 opcode=101 00 Rn Rd"),
    ("SHA256SU1", "01011110 size=00 0 Rm 0 opcode=110 00 Rn Rd"),
    ("SHA1H",     "01011110 size=00 10100 opcode=00000 10 Rn Rd"),
    ("SHA1SU1",   "01011110 size=00 10100 opcode=00001 10 Rn Rd"),
    ("SHA256SU0", "01011110 size=00 10100 opcode=00010 10 Rn Rd"),
]


def _sha1(f: Any) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        s.v[d.Rd] = sha1_rounds(o, f, s.v[d.Rd], o.extract(31, 0, s.v[d.Rn]), s.v[d.Rm])
    return execute


def sha1su0(s: Any, o: Any, d: Decoded) -> None:
    op1, op2, op3 = s.v[d.Rd], s.v[d.Rn], s.v[d.Rm]
    result = o.concat(o.extract(63, 0, op2), o.extract(127, 64, op1), 64)
    s.v[d.Rd] = o.bvxor(o.bvxor(result, op1, 128), op3, 128)


def sha256h(s: Any, o: Any, d: Decoded) -> None:
    s.v[d.Rd] = SHA256hash(o, s.v[d.Rd], s.v[d.Rn], s.v[d.Rm], True)


def sha256h2(s: Any, o: Any, d: Decoded) -> None:
    s.v[d.Rd] = SHA256hash(o, s.v[d.Rn], s.v[d.Rd], s.v[d.Rm], False)


def sha256su1(s: Any, o: Any, d: Decoded) -> None:
    """T0 = operand3<31:0> : operand2<127:32>; T1 = operand3<127:64>. Elements 0-1 are
    sigma1(T1) + operand1 + T0, elements 2-3 the same with T1 = the two just computed (so
    two lanes at a time, then the next two)."""
    op1, op3 = s.v[d.Rd], s.v[d.Rm]
    ext, vadd = o.extract, lane_ops(o).vadd
    t0 = ext(159, 32, o.concat(op3, s.v[d.Rn], 128))
    u = vadd(op1, t0, 32, 128)
    lo = vadd(sha256_sigma1(o, ext(127, 64, op3), 64), ext(63, 0, u), 32, 64)
    hi = vadd(sha256_sigma1(o, lo, 64), ext(127, 64, u), 32, 64)
    s.v[d.Rd] = o.concat(hi, lo, 64)


def sha1h(s: Any, o: Any, d: Decoded) -> None:
    s.v[d.Rd] = o.zero_extend(ROL(o, o.extract(31, 0, s.v[d.Rn]), 30, 32), 32, 128)


def sha1su1(s: Any, o: Any, d: Decoded) -> None:
    t = lanes(o, o.bvxor(s.v[d.Rd], o.bvlshr(s.v[d.Rn], 32, 128), 128), 32, 4)
    w = [ROL(o, t[e], 1, 32) for e in range(4)]
    w[3] = o.bvxor(w[3], ROL(o, t[0], 2, 32), 32)
    s.v[d.Rd] = join(o, w, 32)


def sha256su0(s: Any, o: Any, d: Decoded) -> None:
    """T = operand2<31:0> : operand1<127:32>; every element is sigma0(T) + operand1."""
    op1 = s.v[d.Rd]
    t = o.extract(159, 32, o.concat(s.v[d.Rn], op1, 128))
    s.v[d.Rd] = lane_ops(o).vadd(sha256_sigma0(o, t, 128), op1, 32, 128)


_Q, _S, _V4 = Sca("Rd", "q"), Sca("Rn", "s"), Vec("Rm", "4s")
ROWS: dict[str, tuple[list[Any], Any]] = {
    "SHA1C": ([_Q, _S, _V4], _sha1(SHAchoose)),
    "SHA1P": ([_Q, _S, _V4], _sha1(SHAparity)),
    "SHA1M": ([_Q, _S, _V4], _sha1(SHAmajority)),
    "SHA1SU0": ([Vec("Rd", "4s"), Vec("Rn", "4s"), _V4], sha1su0),
    "SHA256H": ([_Q, Sca("Rn", "q"), _V4], sha256h),
    "SHA256H2": ([_Q, Sca("Rn", "q"), _V4], sha256h2),
    "SHA256SU1": ([Vec("Rd", "4s"), Vec("Rn", "4s"), _V4], sha256su1),
    "SHA1H": ([Sca("Rd", "s"), _S], sha1h),
    "SHA1SU1": ([Vec("Rd", "4s"), Vec("Rn", "4s")], sha1su1),
    "SHA256SU0": ([Vec("Rd", "4s"), Vec("Rn", "4s")], sha256su0),
}

CLASS = InstructionClass("crypto_sha", "Cryptographic SHA-1 and SHA-256", [
    Encoding(m, pattern, ROWS[m][0], ROWS[m][1]) for m, pattern in TABLE
])
