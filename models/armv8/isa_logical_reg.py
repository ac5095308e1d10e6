"""Logical (shifted register): AND, BIC, ORR, ORN, EOR, EON, ANDS, BICS, with the MOV
(register), MVN and TST aliases. Arm ARM C4.1.94.2 (`sf opc 01010 shift N Rm imm6 Rn Rd`)."""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import Reg, Shift
from .pseudocode import logical_flags, rx, shift_reg, wx

TABLE = [
    ("AND",  "sf opc=00 01010 shift N=0 Rm imm6 Rn Rd"),
    ("BIC",  "sf opc=00 01010 shift N=1 Rm imm6 Rn Rd"),
    ("ORR",  "sf opc=01 01010 shift N=0 Rm imm6 Rn Rd"),
    ("ORN",  "sf opc=01 01010 shift N=1 Rm imm6 Rn Rd"),
    ("EOR",  "sf opc=10 01010 shift N=0 Rm imm6 Rn Rd"),
    ("EON",  "sf opc=10 01010 shift N=1 Rm imm6 Rn Rd"),
    ("ANDS", "sf opc=11 01010 shift N=0 Rm imm6 Rn Rd"),
    ("BICS", "sf opc=11 01010 shift N=1 Rm imm6 Rn Rd"),
]


def decode(d: Decoded) -> None:
    d.datasize = 64 if d.sf else 32
    if not d.sf and d.imm6 >> 5:
        raise Unallocated


def execute(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    op1 = rx(s, o, d.Rn, n)
    op2 = rx(s, o, d.Rm, n)
    if d.imm6:
        op2 = shift_reg(o, op2, d.shift, d.imm6, n)
    if d.N:
        op2 = o.bvnot(op2, n)
    if d.opc == 1:
        r = o.bvor(op1, op2, n)
    elif d.opc == 2:
        r = o.bvxor(op1, op2, n)
    else:
        r = o.bvand(op1, op2, n)
        if d.opc == 3:
            s.nzcv = logical_flags(o, r, n)
    wx(s, o, d.Rd, r, n)


SHIFT = Shift(ror=True)
ALIASES = {
    "ORR": [Alias("mov", [Reg("Rd"), Reg("Rm")],
                  lambda d: d.Rn == 31 and d.shift == 0 and d.imm6 == 0,
                  {"Rn": 31, "shift": 0, "imm6": 0})],
    "ORN": [Alias("mvn", [Reg("Rd"), Reg("Rm"), SHIFT], lambda d: d.Rn == 31, {"Rn": 31})],
    "ANDS": [Alias("tst", [Reg("Rn"), Reg("Rm"), SHIFT], lambda d: d.Rd == 31, {"Rd": 31})],
}

CLASS = InstructionClass("logical_reg", "Logical (shifted register)", [
    Encoding(m, p, [Reg("Rd"), Reg("Rn"), Reg("Rm"), SHIFT], execute, decode,
             ALIASES.get(m, ()), name=f"{m}_reg")
    for m, p in TABLE
])
