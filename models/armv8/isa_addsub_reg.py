"""Add/subtract (shifted register), (extended register) and (with carry): ADD, ADDS, SUB, SUBS,
ADC, ADCS, SBC, SBCS, with the CMP/CMN/NEG/NEGS/NGC/NGCS aliases.
Arm ARM C4.1.94.3-5 (`sf op S 01011 shift 0 Rm imm6 Rn Rd`,
`sf op S 01011 opt 1 Rm option imm3 Rn Rd`, `sf op S 11010000 Rm 000000 Rn Rd`)."""

from __future__ import annotations

import re
from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import (
    EXTEND_NAMES,
    AsmContext,
    Operand,
    Reg,
    Shift,
    fmt_imm,
    gpr_name,
    parse_gpr,
    parse_int,
    setf,
)
from .pseudocode import add_with_carry, extend_reg, rsp, rx, shift_reg, wsp, wx

MNEMONICS = (("ADD", 0, 0), ("ADDS", 0, 1), ("SUB", 1, 0), ("SUBS", 1, 1))
SHIFTED = "sf op={op} S={S} 01011 shift 0 Rm imm6 Rn Rd"
EXTENDED = "sf op={op} S={S} 01011 opt=00 1 Rm option imm3 Rn Rd"
CARRY = "sf op={op} S={S} 11010000 Rm 000000 Rn Rd"


def _finish(s: Any, o: Any, d: Decoded, op1: Any, op2: Any, carry: Any, sp_dest: bool) -> None:
    n = d.datasize
    if d.op:
        op2 = o.bvnot(op2, n)
    if d.S:
        result, s.nzcv = add_with_carry(o, op1, op2, carry, n)
    else:  # AddWithCarry's result alone (the flags are not written)
        result = o.bvadd(o.bvadd(op1, op2, n), o.zero_extend(carry, 1, n), n)
    if sp_dest and not d.S:
        wsp(s, o, d.Rd, result, n)
    else:
        wx(s, o, d.Rd, result, n)


def decode_shifted(d: Decoded) -> None:
    d.datasize = 64 if d.sf else 32
    if d.shift == 3 or (not d.sf and d.imm6 >> 5):
        raise Unallocated


def execute_shifted(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    op2 = rx(s, o, d.Rm, n)
    if d.imm6:
        op2 = shift_reg(o, op2, d.shift, d.imm6, n)
    _finish(s, o, d, rx(s, o, d.Rn, n), op2, d.op, False)


def decode_extended(d: Decoded) -> None:
    d.datasize = 64 if d.sf else 32
    if d.imm3 > 4:
        raise Unallocated
    d.mwidth = 64 if d.sf and d.option & 3 == 3 else 32


def execute_extended(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    op2 = extend_reg(o, rx(s, o, d.Rm, d.mwidth), d.option, d.imm3, n, d.mwidth)
    _finish(s, o, d, rsp(s, o, d.Rn, n), op2, d.op, True)


def decode_carry(d: Decoded) -> None:
    d.datasize = 64 if d.sf else 32


def execute_carry(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    carry = o.extract(1, 1, s.nzcv)
    _finish(s, o, d, rx(s, o, d.Rn, n), rx(s, o, d.Rm, n), carry, False)


class ExtReg(Operand):
    """Rm of an extended-register form: X only for UXTX/SXTX in 64-bit forms."""

    def fmt(self, d: Decoded, pc: int) -> str:
        return gpr_name(d.Rm, d.mwidth, False)

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        r = parse_gpr(tok)
        if r is None or (r[0] == 31 and r[2]):
            return False
        f["_rmx"] = 1 if r[1] == 64 else 0
        return setf(f, "Rm", r[0])


class Extend(Operand):
    """`{, <extend> {#amount}}`; printed as `lsl` when Rd or Rn is SP and the extend is the
    identity (UXTX in 64-bit, UXTW in 32-bit), as capstone does."""

    optional = True

    def __init__(self, sp_dest: bool) -> None:
        self.sp_dest = sp_dest

    def _sp_form(self, sf: int, rd: int, rn: int) -> bool:
        return (self.sp_dest and rd == 31) or rn == 31

    def fmt(self, d: Decoded, pc: int) -> str | None:
        if d.option == (3 if d.sf else 2) and self._sp_form(d.sf, d.Rd, d.Rn):
            return f"lsl {fmt_imm(d.imm3)}" if d.imm3 else None
        name = EXTEND_NAMES[d.option]
        return f"{name} {fmt_imm(d.imm3)}" if d.imm3 else name

    def _check(self, f: dict[str, int]) -> bool:
        want = 1 if f.get("sf") and f["option"] & 3 == 3 else 0
        return f.get("_rmx") == want

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = re.fullmatch(r"(\w+)\s*(#?\s*\w+)?", tok.strip().lower())
        if not m or "sf" not in f:
            return False
        amount = parse_int(m.group(2)) if m.group(2) else 0
        if amount is None:
            return False
        if m.group(1) == "lsl":
            if not self._sp_form(f["sf"], f.get("Rd", 0), f.get("Rn", 0)):
                return False  # plain `lsl` belongs to the shifted-register form
            option = 3 if f["sf"] else 2
        elif m.group(1) in EXTEND_NAMES:
            option = EXTEND_NAMES.index(m.group(1))
        else:
            return False
        return setf(f, "option", option) and setf(f, "imm3", amount) and self._check(f)

    def default(self, f: dict[str, int]) -> bool:
        if "sf" not in f or not self._sp_form(f["sf"], f.get("Rd", 0), f.get("Rn", 0)):
            return False
        return (setf(f, "option", 3 if f["sf"] else 2) and setf(f, "imm3", 0)
                and self._check(f))


def _rows() -> list[Encoding]:
    rows = []
    for m, op, s in MNEMONICS:
        rd = Reg("Rd")
        shifted_aliases = []
        if s:
            shifted_aliases.append(Alias("cmp" if op else "cmn", [Reg("Rn"), Reg("Rm"), Shift()],
                                         lambda d: d.Rd == 31, {"Rd": 31}))
        if op:
            shifted_aliases.append(Alias("negs" if s else "neg", [rd, Reg("Rm"), Shift()],
                                         lambda d: d.Rn == 31, {"Rn": 31}))
        rows.append(Encoding(m, SHIFTED.format(op=op, S=s), [rd, Reg("Rn"), Reg("Rm"), Shift()],
                             execute_shifted, decode_shifted, shifted_aliases,
                             name=f"{m}_shifted"))
        ext_aliases = []
        if s:
            ext_aliases.append(Alias("cmp" if op else "cmn",
                                     [Reg("Rn", sp=True), ExtReg(), Extend(False)],
                                     lambda d: d.Rd == 31, {"Rd": 31}))
        rows.append(Encoding(m, EXTENDED.format(op=op, S=s),
                             [Reg("Rd", sp=not s), Reg("Rn", sp=True), ExtReg(),
                              Extend(not s)], execute_extended, decode_extended, ext_aliases,
                             name=f"{m}_extended"))
        cm = ("SBC" if op else "ADC") + ("S" if s else "")
        carry_aliases = []
        if op:
            carry_aliases.append(Alias("ngcs" if s else "ngc", [rd, Reg("Rm")],
                                       lambda d: d.Rn == 31, {"Rn": 31}))
        rows.append(Encoding(cm, CARRY.format(op=op, S=s), [rd, Reg("Rn"), Reg("Rm")],
                             execute_carry, decode_carry, carry_aliases))
    return rows


CLASS = InstructionClass("addsub_reg", "Add/subtract (shifted, extended register, carry)",
                         _rows())
