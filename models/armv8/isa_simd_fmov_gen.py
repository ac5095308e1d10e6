"""FMOV (general): bit-exact moves between general and SIMD&FP registers, the integer-copy
subset of the Arm ARM's conversion class C4.1.96.x
(`sf 0 S 11110 ftype 1 rmode opcode 000000 Rn Rd`, S = 0): W<->S, X<->D, W/X<->H (FEAT_FP16)
and X<->V.D[1]. A write to S/D/H clears the rest of the vector register; a write to V.D[1]
keeps the low half."""

from __future__ import annotations

import re
from typing import Any

from .encoding import Decoded, Encoding, InstructionClass
from .operands import Custom, Reg, setf
from .pseudocode import rx, wx
from .simd_operands import Sca

#          row name      encoding (bit 31 .. bit 0)                              gpr  fp
TABLE = [
    ("w_from_s", "0 0 S=0 11110 ftype=00 1 rmode=00 opcode=110 000000 Rn Rd", 32, 32),
    ("s_from_w", "0 0 S=0 11110 ftype=00 1 rmode=00 opcode=111 000000 Rn Rd", 32, 32),
    ("x_from_d", "1 0 S=0 11110 ftype=01 1 rmode=00 opcode=110 000000 Rn Rd", 64, 64),
    ("d_from_x", "1 0 S=0 11110 ftype=01 1 rmode=00 opcode=111 000000 Rn Rd", 64, 64),
    ("w_from_h", "0 0 S=0 11110 ftype=11 1 rmode=00 opcode=110 000000 Rn Rd", 32, 16),
    ("h_from_w", "0 0 S=0 11110 ftype=11 1 rmode=00 opcode=111 000000 Rn Rd", 32, 16),
    ("x_from_h", "1 0 S=0 11110 ftype=11 1 rmode=00 opcode=110 000000 Rn Rd", 64, 16),
    ("h_from_x", "1 0 S=0 11110 ftype=11 1 rmode=00 opcode=111 000000 Rn Rd", 64, 16),
    ("x_from_d1", "1 0 S=0 11110 ftype=10 1 rmode=01 opcode=110 000000 Rn Rd", 64, 64),
    ("d1_from_x", "1 0 S=0 11110 ftype=10 1 rmode=01 opcode=111 000000 Rn Rd", 64, 64),
]


def _execute(row: str, gpr: int, fp: int) -> Any:
    def to_gpr(s: Any, o: Any, d: Decoded) -> None:
        lo = 64 if row == "x_from_d1" else 0
        v = o.extract(lo + fp - 1, lo, s.v[d.Rn])
        wx(s, o, d.Rd, v if fp == gpr else o.zero_extend(v, fp, gpr), gpr)

    def to_fp(s: Any, o: Any, d: Decoded) -> None:
        v = rx(s, o, d.Rn, gpr)
        if fp != gpr:
            v = o.extract(fp - 1, 0, v)
        if row == "d1_from_x":
            s.v[d.Rd] = o.concat(v, o.extract(63, 0, s.v[d.Rd]), 64)
        else:
            s.v[d.Rd] = o.zero_extend(v, fp, 128)

    return to_gpr if row.split("_")[0] in ("w", "x") else to_fp


def _d1(fld: str) -> Custom:
    return Custom(lambda d, pc: f"v{getattr(d, fld)}.d[1]",
                  lambda tok, f, ctx: _read_d1(tok, f, fld))


def _read_d1(tok: str, f: dict[str, int], fld: str) -> bool:
    m = re.fullmatch(r"v(\d+)\.d\[1\]", tok.strip().lower())
    return bool(m) and int(m.group(1)) < 32 and setf(f, fld, int(m.group(1)))


def _operands(row: str, gpr: int, fp: int) -> list[Any]:
    letter = {16: "h", 32: "s", 64: "d"}[fp]
    if row.endswith("d1"):
        return [Reg("Rd", 64), _d1("Rn")]
    if row.startswith("d1"):
        return [_d1("Rd"), Reg("Rn", 64)]
    if row.split("_")[0] in ("w", "x"):
        return [Reg("Rd", gpr), Sca("Rn", letter)]
    return [Sca("Rd", letter), Reg("Rn", gpr)]


CLASS = InstructionClass("simd_fmov_gen", "FMOV between general and SIMD&FP registers", [
    Encoding("FMOV", pattern, _operands(row, gpr, fp), _execute(row, gpr, fp), name=f"FMOV_{row}")
    for row, pattern, gpr, fp in TABLE
])
