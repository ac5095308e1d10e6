"""Conditional select and conditional compare: CSEL, CSINC, CSINV, CSNEG (with the CSET, CSETM,
CINC, CINV, CNEG aliases), CCMN and CCMP (register and immediate).
Arm ARM C4.1.94.10-12 (`sf op 0 11010100 Rm cond 0 o2 Rn Rd`,
`sf op 1 11010010 Rm cond 0 o2 Rn o3 nzcv`, `sf op 1 11010010 imm5 cond 1 o2 Rn o3 nzcv`)."""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass
from .operands import AsmContext, Cond, Custom, Imm, Reg, setf
from .pseudocode import add_with_carry, condition_holds, rx, wx

SELECT = [
    ("CSEL",  "sf op=0 S=0 11010100 Rm cond 0 o2=0 Rn Rd"),
    ("CSINC", "sf op=0 S=0 11010100 Rm cond 0 o2=1 Rn Rd"),
    ("CSINV", "sf op=1 S=0 11010100 Rm cond 0 o2=0 Rn Rd"),
    ("CSNEG", "sf op=1 S=0 11010100 Rm cond 0 o2=1 Rn Rd"),
]
COMPARE = [
    ("CCMN", "sf op=0 S=1 11010010 Rm cond 0 o2=0 Rn o3=0 nzcv", "reg"),
    ("CCMP", "sf op=1 S=1 11010010 Rm cond 0 o2=0 Rn o3=0 nzcv", "reg"),
    ("CCMN", "sf op=0 S=1 11010010 imm5 cond 1 o2=0 Rn o3=0 nzcv", "imm"),
    ("CCMP", "sf op=1 S=1 11010010 imm5 cond 1 o2=0 Rn o3=0 nzcv", "imm"),
]


def decode(d: Decoded) -> None:
    d.datasize = 64 if d.sf else 32


def execute_select(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    op1, op2 = rx(s, o, d.Rn, n), rx(s, o, d.Rm, n)
    if d.op:
        op2 = o.bvnot(op2, n)
    if d.o2:
        op2 = o.bvadd(op2, o.const(1, n), n)
    wx(s, o, d.Rd, o.ite(condition_holds(o, d.cond, s.nzcv), op1, op2), n)


def execute_compare(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    op1 = rx(s, o, d.Rn, n)
    op2 = o.const(d.imm5, n) if hasattr(d, "imm5") else rx(s, o, d.Rm, n)
    if d.op:
        op2 = o.bvnot(op2, n)
    _, flags = add_with_carry(o, op1, op2, d.op, n)
    s.nzcv = o.ite(condition_holds(o, d.cond, s.nzcv), flags, o.const(d.nzcv, 4))


def _not_always(d: Decoded) -> bool:
    return d.cond < 14


def _rn_rm(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    reg = Reg("Rn")
    return reg.parse(tok, f, ctx) and setf(f, "Rm", f["Rn"])


RN_RM = Custom(lambda d, pc: Reg("Rn").fmt(d, pc), _rn_rm)
INV = Cond(invert=True)
# CINC/CINV Rd, XZR, cond are the same words as CSET/CSETM Rd, cond: disassemblers print
# CSET/CSETM, assemblers take both spellings (the asm_only rows).
SELECT_ALIASES = {
    "CSINC": [Alias("cset", [Reg("Rd"), INV], lambda d: d.Rn == d.Rm == 31 and _not_always(d),
                    {"Rn": 31, "Rm": 31}),
              Alias("cinc", [Reg("Rd"), RN_RM, INV],
                    lambda d: d.Rn == d.Rm != 31 and _not_always(d)),
              Alias("cinc", [Reg("Rd"), RN_RM, INV],
                    lambda d: d.Rn == d.Rm == 31 and _not_always(d), asm_only=True)],
    "CSINV": [Alias("csetm", [Reg("Rd"), INV], lambda d: d.Rn == d.Rm == 31 and _not_always(d),
                    {"Rn": 31, "Rm": 31}),
              Alias("cinv", [Reg("Rd"), RN_RM, INV],
                    lambda d: d.Rn == d.Rm != 31 and _not_always(d)),
              Alias("cinv", [Reg("Rd"), RN_RM, INV],
                    lambda d: d.Rn == d.Rm == 31 and _not_always(d), asm_only=True)],
    "CSNEG": [Alias("cneg", [Reg("Rd"), RN_RM, INV],
                    lambda d: d.Rn == d.Rm and _not_always(d))],
}

ROWS = [Encoding(m, p, [Reg("Rd"), Reg("Rn"), Reg("Rm"), Cond()], execute_select, decode,
                 SELECT_ALIASES.get(m, ())) for m, p in SELECT]
ROWS += [Encoding(m, p, [Reg("Rn"), Reg("Rm") if kind == "reg" else Imm("imm5"), Imm("nzcv"),
                         Cond()], execute_compare, decode, name=f"{m}_{kind}")
         for m, p, kind in COMPARE]

CLASS = InstructionClass("conditional", "Conditional select and compare", ROWS)
