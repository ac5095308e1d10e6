"""PC-relative addressing: ADR and ADRP. Arm ARM C4.1.92.1 (`op immlo 10000 immhi Rd`)."""

from __future__ import annotations

from typing import Any

from .encoding import Decoded, Encoding, InstructionClass
from .operands import Label, Reg
from .pseudocode import sign_extend_int

TABLE = [
    ("ADR",  "op=0 immlo 10000 immhi Rd"),
    ("ADRP", "op=1 immlo 10000 immhi Rd"),
]
MASK64 = (1 << 64) - 1


def decode(d: Decoded) -> None:
    imm = sign_extend_int((d.immhi << 2) | d.immlo, 21)
    d.offset = imm << 12 if d.op else imm


def execute(s: Any, o: Any, d: Decoded) -> None:
    base = s.pc & ~0xFFF if d.op else s.pc
    if d.Rd != 31:
        s.x[d.Rd] = o.const((base + d.offset) & MASK64, 64)


IMM = [("immhi", 19), ("immlo", 2)]
CLASS = InstructionClass("pcrel", "PC-relative addressing", [
    Encoding("ADR", TABLE[0][1], [Reg("Rd", size=64), Label(IMM, scale=1)], execute, decode),
    Encoding("ADRP", TABLE[1][1], [Reg("Rd", size=64), Label(IMM, scale=4096, page=True)],
             execute, decode),
])
