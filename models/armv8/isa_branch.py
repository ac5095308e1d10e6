"""Branches: B, BL, B.cond, CBZ, CBNZ, TBZ, TBNZ, BR, BLR, RET. Arm ARM C4.1.93
(`op 00101 imm26`, `0101010 o1 imm19 o0 cond`, `sf 011010 op imm19 Rt`,
`b5 011011 op b40 imm14 Rt`, `1101011 opc op2 op3 Rn op4`). NOP and the other hints are in
isa_hint.py.

Taken/not-taken is a control decision, so it goes through `o.decide`; indirect targets go
through `o.address`.
"""

from __future__ import annotations

from typing import Any

from .encoding import Decoded, Encoding, InstructionClass
from .operands import AsmContext, Cond, Custom, Imm, Label, Reg, parse_gpr, setf
from .pseudocode import MASK64, condition_holds, rx, sign_extend_int

TABLE = [
    ("B",       "op=0 00101 imm26"),
    ("BL",      "op=1 00101 imm26"),
    ("B.<cond>", "0101010 o1=0 imm19 o0=0 cond"),
    ("CBZ",     "sf 011010 op=0 imm19 Rt"),
    ("CBNZ",    "sf 011010 op=1 imm19 Rt"),
    ("TBZ",     "b5 011011 op=0 b40 imm14 Rt"),
    ("TBNZ",    "b5 011011 op=1 b40 imm14 Rt"),
    ("BR",      "1101011 opc=0000 11111 000000 Rn 00000"),
    ("BLR",     "1101011 opc=0001 11111 000000 Rn 00000"),
    ("RET",     "1101011 opc=0010 11111 000000 Rn 00000"),
]


def _offset(bits: str, width: int) -> Any:
    def decode(d: Decoded) -> None:
        d.offset = sign_extend_int(getattr(d, bits), width) * 4
    return decode


def execute_b(s: Any, o: Any, d: Decoded) -> int:
    if d.op:
        s.x[30] = o.const(s.pc + 4, 64)
    return (s.pc + d.offset) & MASK64


def execute_bcond(s: Any, o: Any, d: Decoded) -> int | None:
    if o.decide(condition_holds(o, d.cond, s.nzcv)):
        return (s.pc + d.offset) & MASK64
    return None


def execute_cb(s: Any, o: Any, d: Decoded) -> int | None:
    n = 64 if d.sf else 32
    zero = o.eq(rx(s, o, d.Rt, n), o.const(0, n))
    if o.decide(o.not_(zero) if d.op else zero):
        return (s.pc + d.offset) & MASK64
    return None


def execute_tb(s: Any, o: Any, d: Decoded) -> int | None:
    bit = o.bit(rx(s, o, d.Rt, 64), d.bitpos)
    if o.decide(bit if d.op else o.not_(bit)):
        return (s.pc + d.offset) & MASK64
    return None


def decode_tb(d: Decoded) -> None:
    d.bitpos = (d.b5 << 5) | d.b40
    d.offset = sign_extend_int(d.imm14, 14) * 4


def execute_br(s: Any, o: Any, d: Decoded) -> int:
    target = o.address(rx(s, o, d.Rn, 64))
    if d.opc == 1:
        s.x[30] = o.const(s.pc + 4, 64)
    return int(target)


def _ret_read(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    return Reg("Rn", size=64).parse(tok, f, ctx)


RET_REG = Custom(lambda d, pc: None if d.Rn == 30 else Reg("Rn", size=64).fmt(d, pc),
                 _ret_read, lambda f: setf(f, "Rn", 30))


def _tb_reg_read(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    """GNU accepts `tbz x0, #3` (printed `tbz w0, #3`): the bit number alone sets b5."""
    r = parse_gpr(tok)
    if r is None or (r[0] == 31 and r[2]):
        return False
    f["_tbw"] = r[1]
    return setf(f, "Rt", r[0])


def _tb_complete(f: dict[str, int]) -> None:
    if f.get("_tbw") == 32 and f.get("b5") == 1:
        f["b5"] = 2  # a W register cannot test bits 32-63: make the encoding fail


TB_REG = Custom(lambda d, pc: Reg("Rt", size="b5").fmt(d, pc), _tb_reg_read)


ROWS = [
    Encoding("B", TABLE[0][1], [Label([("imm26", 26)])], execute_b, _offset("imm26", 26)),
    Encoding("BL", TABLE[1][1], [Label([("imm26", 26)])], execute_b, _offset("imm26", 26)),
    Encoding("b.<cond>", TABLE[2][1], [Cond(), Label([("imm19", 19)])], execute_bcond,
             _offset("imm19", 19), name="B.cond"),
    Encoding("CBZ", TABLE[3][1], [Reg("Rt"), Label([("imm19", 19)])], execute_cb,
             _offset("imm19", 19)),
    Encoding("CBNZ", TABLE[4][1], [Reg("Rt"), Label([("imm19", 19)])], execute_cb,
             _offset("imm19", 19)),
    Encoding("TBZ", TABLE[5][1], [TB_REG, Imm([("b5", 1), ("b40", 5)]),
                                  Label([("imm14", 14)])], execute_tb, decode_tb,
             complete=_tb_complete),
    Encoding("TBNZ", TABLE[6][1], [TB_REG, Imm([("b5", 1), ("b40", 5)]),
                                   Label([("imm14", 14)])], execute_tb, decode_tb,
             complete=_tb_complete),
    Encoding("BR", TABLE[7][1], [Reg("Rn", size=64)], execute_br),
    Encoding("BLR", TABLE[8][1], [Reg("Rn", size=64)], execute_br),
    Encoding("RET", TABLE[9][1], [RET_REG], execute_br),
]

CLASS = InstructionClass("branch", "Branches", ROWS)
