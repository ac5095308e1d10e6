"""Move wide (immediate): MOVN, MOVZ, MOVK, and the MOV (wide immediate) aliases.
Arm ARM C4.1.92.5 (`sf opc 100101 hw imm16 Rd`)."""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import AsmContext, Custom, Imm, Reg, fmt_imm, parse_int, setf
from .pseudocode import ones, wx

TABLE = [
    ("MOVN", "sf opc=00 100101 hw imm16 Rd"),
    ("MOVZ", "sf opc=10 100101 hw imm16 Rd"),
    ("MOVK", "sf opc=11 100101 hw imm16 Rd"),
]


def decode(d: Decoded) -> None:
    d.datasize = 64 if d.sf else 32
    if not d.sf and d.hw >= 2:
        raise Unallocated
    d.pos = d.hw * 16


def execute(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    if d.opc == 3:
        old = s.x[d.Rd] if d.Rd != 31 else o.const(0, 64)
        old = old if n == 64 else o.extract(31, 0, old)
        keep = o.const(ones(n) ^ (0xFFFF << d.pos), n)
        r = o.bvor(o.bvand(old, keep, n), o.const(d.imm16 << d.pos, n), n)
    elif d.opc == 2:
        r = o.const(d.imm16 << d.pos, n)
    else:
        r = o.const(~(d.imm16 << d.pos) & ones(n), n)
    wx(s, o, d.Rd, r, n)


def _shift_show(d: Decoded, pc: int) -> str | None:
    return f"lsl #{d.pos}" if d.hw else None


def _shift_read(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    t = tok.strip().lower()
    if not t.startswith("lsl"):
        return False
    v = parse_int(t[3:])
    return v is not None and v % 16 == 0 and setf(f, "hw", v // 16)


SHIFT = Custom(_shift_show, _shift_read, lambda f: setf(f, "hw", 0))


def _mov_value(d: Decoded) -> int:
    n = d.datasize
    v = d.imm16 << d.pos
    if d.opc == 0:
        v = ~v & ones(n)
    return v - (1 << n) if v >> (n - 1) else v


def _mov_read(opc: int) -> Any:
    def read(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        v = parse_int(tok)
        sf = f.get("sf")
        if v is None or sf is None:
            return False
        n = 64 if sf else 32
        if not -(1 << (n - 1)) <= v < (1 << n):
            return False
        v &= ones(n)
        if opc == 0:
            v = ~v & ones(n)
        for hw in range(n // 16):
            if v & ~(0xFFFF << (16 * hw)) & ones(n) == 0:
                return setf(f, "hw", hw) and setf(f, "imm16", (v >> (16 * hw)) & 0xFFFF)
        return False
    return read


def _mov_ok(opc: int) -> Any:
    def when(d: Decoded) -> bool:
        if d.imm16 == 0 and d.hw != 0:
            return False
        return not (opc == 0 and d.sf == 0 and d.imm16 == 0xFFFF)
    return when


def _mov_alias(opc: int) -> Alias:
    return Alias("mov", [Reg("Rd"), Custom(lambda d, pc: fmt_imm(_mov_value(d)),
                                           _mov_read(opc))], _mov_ok(opc))


CLASS = InstructionClass("movewide", "Move wide (immediate)", [
    Encoding(m, pattern, [Reg("Rd"), Imm("imm16"), SHIFT], execute, decode,
             [_mov_alias(0 if m == "MOVN" else 2)] if m != "MOVK" else [])
    for m, pattern in TABLE
])
