"""Add/subtract (immediate): ADD, ADDS, SUB, SUBS, with the MOV (to/from SP), CMP and CMN
aliases. Arm ARM C4.1.92.2 (`sf op S 100010 sh imm12 Rn Rd`)."""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass
from .operands import AsmContext, Custom, Imm, OptLsl, Reg, parse_int, setf
from .pseudocode import add_with_carry, rsp, wsp, wx

#          mnemonic  encoding (bit 31 .. bit 0)
TABLE = [
    ("ADD",  "sf op=0 S=0 100010 sh imm12 Rn Rd"),
    ("ADDS", "sf op=0 S=1 100010 sh imm12 Rn Rd"),
    ("SUB",  "sf op=1 S=0 100010 sh imm12 Rn Rd"),
    ("SUBS", "sf op=1 S=1 100010 sh imm12 Rn Rd"),
]


def decode(d: Decoded) -> None:
    d.datasize = 64 if d.sf else 32
    d.imm = d.imm12 << 12 if d.sh else d.imm12


def execute(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    op1 = rsp(s, o, d.Rn, n)
    imm = o.const(d.imm, n)
    if not d.S:  # AddWithCarry's result alone: x + y or x + NOT(y) + 1
        wsp(s, o, d.Rd, o.bvsub(op1, imm, n) if d.op else o.bvadd(op1, imm, n), n)
        return
    if d.op:
        result, s.nzcv = add_with_carry(o, op1, o.bvnot(imm, n), 1, n)
    else:
        result, s.nzcv = add_with_carry(o, op1, imm, 0, n)
    wx(s, o, d.Rd, result, n)


def _read_imm(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    v = parse_int(tok)
    return v is not None and v >= 0 and setf(f, "_imm", v)


class _ShiftOrImplied(OptLsl):
    """`{, lsl #12}`; when absent, GNU as shifts by 12 itself if the value needs it."""

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        return super().parse(tok, f, ctx) and setf(f, "_lsl", f["sh"])

    def default(self, f: dict[str, int]) -> bool:
        return True  # `_complete` chooses sh


def _complete(f: dict[str, int]) -> None:
    """`#4096` without a shift is `#1, lsl #12` (as GNU as and LLVM encode it)."""
    v = f.pop("_imm", None)
    if v is None:
        return
    if "_lsl" not in f and v >= 4096 and not v & 0xFFF:
        f["sh"], v = 1, v >> 12
    f.setdefault("sh", 0)
    if v < 4096:
        f["imm12"] = v


IMM12 = Custom(Imm("imm12").fmt, _read_imm)
SHIFT12 = _ShiftOrImplied("sh", 12)


def _ops(dest_sp: bool) -> list[Any]:
    return [Reg("Rd", sp=dest_sp), Reg("Rn", sp=True), IMM12, SHIFT12]


def _is_mov(d: Decoded) -> bool:
    return d.sh == 0 and d.imm12 == 0 and (d.Rd == 31 or d.Rn == 31)


_CMP_OPS = [Reg("Rn", sp=True), IMM12, SHIFT12]
ALIASES = {
    "ADD": [Alias("mov", [Reg("Rd", sp=True), Reg("Rn", sp=True)], _is_mov,
                  {"sh": 0, "imm12": 0})],
    "ADDS": [Alias("cmn", _CMP_OPS, lambda d: d.Rd == 31, {"Rd": 31})],
    "SUBS": [Alias("cmp", _CMP_OPS, lambda d: d.Rd == 31, {"Rd": 31})],
}

CLASS = InstructionClass("addsub_imm", "Add/subtract (immediate)", [
    Encoding(m, pattern, _ops(dest_sp=not m.endswith("S")), execute, decode,
             ALIASES.get(m, ()), name=f"{m}_imm", complete=_complete)
    for m, pattern in TABLE
])
