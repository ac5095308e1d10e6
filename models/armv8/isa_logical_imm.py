"""Logical (immediate): AND, ORR, EOR, ANDS with a bitmask immediate (DecodeBitMasks), and the
MOV (bitmask immediate) and TST aliases. Arm ARM C4.1.92.4 (`sf opc 100100 N immr imms Rn Rd`)."""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import AsmContext, Custom, Reg, fmt_imm, parse_int, setf
from .pseudocode import decode_bit_masks, logical_flags, ones, replicate_int, ror_int, rx, wsp, wx

TABLE = [
    ("AND",  "sf opc=00 100100 N immr imms Rn Rd"),
    ("ORR",  "sf opc=01 100100 N immr imms Rn Rd"),
    ("EOR",  "sf opc=10 100100 N immr imms Rn Rd"),
    ("ANDS", "sf opc=11 100100 N immr imms Rn Rd"),
]


def decode(d: Decoded) -> None:
    d.datasize = 64 if d.sf else 32
    if not d.sf and d.N:
        raise Unallocated
    d.imm = decode_bit_masks(d.N, d.imms, d.immr, True, d.datasize)[0]


def execute(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    op1 = rx(s, o, d.Rn, n)
    imm = o.const(d.imm, n)
    if d.opc == 0:
        r = o.bvand(op1, imm, n)
    elif d.opc == 1:
        r = o.bvor(op1, imm, n)
    elif d.opc == 2:
        r = o.bvxor(op1, imm, n)
    else:
        r = o.bvand(op1, imm, n)
        s.nzcv = logical_flags(o, r, n)
        wx(s, o, d.Rd, r, n)
        return
    wsp(s, o, d.Rd, r, n)


def encode_bit_mask(value: int, m: int) -> tuple[int, int, int] | None:
    """(N, immr, imms) whose DecodeBitMasks gives `value` at width m, or None."""
    esize = 2
    while esize <= m:
        elem = value & ones(esize)
        if replicate_int(elem, esize, m) == value and 0 < elem < ones(esize):
            count = elem.bit_count()
            run = ones(count)
            for r in range(esize):
                if ror_int(run, r, esize) == elem:
                    imms = ((0x3F & ~(2 * esize - 1)) | (count - 1)) & 0x3F
                    return (1 if esize == 64 else 0), r, imms
        esize *= 2
    return None


def _show_imm(d: Decoded, pc: int) -> str:
    # capstone 5 prints the 64-bit immediates of ANDS (and TST) as signed values
    v = d.imm
    return fmt_imm(v - (1 << 64) if d.sf and d.opc == 3 and v >> 63 else v)


def _show_mov(d: Decoded, pc: int) -> str:
    n = d.datasize
    return fmt_imm(d.imm - (1 << n) if d.imm >> (n - 1) else d.imm)


def _read_imm(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    v = parse_int(tok)
    sf = f.get("sf")
    if v is None or sf is None:
        return False
    m = 64 if sf else 32
    if not -(1 << (m - 1)) <= v < (1 << m):
        return False
    enc = encode_bit_mask(v & ones(m), m)
    return enc is not None and all(setf(f, k, x) for k, x in zip(("N", "immr", "imms"), enc))


IMM = Custom(_show_imm, _read_imm)


def move_wide_preferred(d: Decoded) -> bool:
    """The Arm ARM's MoveWidePreferred(sf, N, imms, immr)."""
    width = d.datasize
    if d.sf and not d.N:
        return False
    if not d.sf and (d.N or d.imms >> 5):
        return False
    if d.imms < 16:
        return (-d.immr % 16) <= (15 - d.imms)
    if d.imms >= width - 15:
        return (d.immr % 16) <= (d.imms - (width - 15))
    return False


def _is_mov(d: Decoded) -> bool:
    # The Arm ARM prefers MOV only when not move_wide_preferred(d); capstone 5 always does.
    return d.Rn == 31


ALIASES = {
    "ORR": [Alias("mov", [Reg("Rd", sp=True), Custom(_show_mov, _read_imm)], _is_mov, {"Rn": 31},
                  asm_priority=1)],
    "ANDS": [Alias("tst", [Reg("Rn"), IMM], lambda d: d.Rd == 31, {"Rd": 31})],
}

CLASS = InstructionClass("logical_imm", "Logical (immediate)", [
    Encoding(m, pattern, [Reg("Rd", sp=m != "ANDS"), Reg("Rn"), IMM], execute, decode,
             ALIASES.get(m, ()), name=f"{m}_imm")
    for m, pattern in TABLE
])
