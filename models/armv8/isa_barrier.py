"""Barriers and synchronisation (Arm ARM C6.2: DMB, DSB, ISB, SB, CLREX, SSBB, PSSBB), the
`11010101000000110011 CRm op2 11111` space.

What they do in the state this model keeps (one PE, user-mode registers, flags, memory):
- DMB and DSB order memory accesses as other observers (PEs, devices) see them; ISB and SB
  order the PE's own instruction fetch and speculation; SSBB and PSSBB (DSB with CRm = 0000 and
  0100) restrain speculative store bypass. The model executes one instruction at a time, in
  program order, with no other observer, no caches and no speculation, so every one of them
  has no architectural effect here: they are NOPs, for every option value (named ones
  such as `ish` or `sy`, and the reserved ones written `#imm`, which the Arm ARM makes
  barriers of the full system kind).
- CLREX clears the local exclusive monitor (`State.monitor`, see isa_exclusive.py): a later
  store-exclusive fails until a new load-exclusive. Its CRm is ignored.

Not decoded (the run stops as unsupported): the FEAT_XS forms `DSB <option>nXS` (Unicorn's MAX
CPU lacks FEAT_XS and raises UNDEFINED, so no oracle agrees on a NOP) and TCOMMIT (FEAT_TME).

Disassembly follows capstone 5 except for DSB with CRm = 1100, which capstone prints as `dfb`
(an Armv8-R name that clang refuses for an A-profile CPU); Assay prints the Arm ARM's `#imm`
form, `dsb #0xc` (GNU objdump writes `dsb #0x0c`; a listed syntax variant in
tests/armv8/capstone_variants.py).

Trusted: the table, and the NOP reading above for a single-PE, in-order model.
"""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass
from .isa_hint import execute_nop
from .operands import AsmContext, Custom, fmt_imm, parse_int, setf

SPACE = "11010101000000110011 {} 11111"

# DMB/DSB <option> names by CRm (the Arm ARM's table; other values are printed `#imm`).
BARRIER_OPTIONS = {
    0b0001: "oshld", 0b0010: "oshst", 0b0011: "osh",
    0b0101: "nshld", 0b0110: "nshst", 0b0111: "nsh",
    0b1001: "ishld", 0b1010: "ishst", 0b1011: "ish",
    0b1101: "ld", 0b1110: "st", 0b1111: "sy",
}
OPTION_BY_NAME = {name: crm for crm, name in BARRIER_OPTIONS.items()}
SSBB_CRM, PSSBB_CRM = 0b0000, 0b0100


def execute_clrex(s: Any, o: Any, d: Decoded) -> None:
    s.monitor = None


def _read_number(tok: str, f: dict[str, int]) -> bool:
    t = tok.strip()
    v = parse_int(t) if t.startswith("#") else None
    return v is not None and 0 <= v < 16 and setf(f, "CRm", v)


def _show_option(d: Decoded, pc: int) -> str:
    return BARRIER_OPTIONS.get(d.CRm) or fmt_imm(d.CRm)


def _read_option(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    name = tok.strip().lower()
    if name in OPTION_BY_NAME:
        return setf(f, "CRm", OPTION_BY_NAME[name])
    return _read_number(tok, f)


def _show_crm_unless_sy(d: Decoded, pc: int) -> str | None:
    return None if d.CRm == 0b1111 else fmt_imm(d.CRm)


def _read_crm_or_sy(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    if tok.strip().lower() == "sy":
        return setf(f, "CRm", 0b1111)
    return _read_number(tok, f)


# DMB/DSB take a named option or `#imm`; ISB and CLREX an optional `#imm` (absent: 15, `sy`).
OPTION = Custom(_show_option, _read_option)
CRM_DEFAULT_SY = Custom(_show_crm_unless_sy, _read_crm_or_sy, lambda f: setf(f, "CRm", 0b1111))
# `dsb #0` and `dsb #4` are SSBB and PSSBB: the assembler takes that spelling too.
AS_DSB = Alias("dsb", [OPTION], asm_only=True)


def _pattern(op2: int, crm: int | None = None) -> str:
    crm_field = "CRm" if crm is None else f"CRm={crm:04b}"
    return SPACE.format(f"{crm_field} op2={op2:03b}")


ROWS = [
    Encoding("CLREX", _pattern(0b010), [CRM_DEFAULT_SY], execute_clrex),
    Encoding("SSBB", _pattern(0b100, SSBB_CRM), [], execute_nop, aliases=[AS_DSB]),
    Encoding("PSSBB", _pattern(0b100, PSSBB_CRM), [], execute_nop, aliases=[AS_DSB]),
    Encoding("DSB", _pattern(0b100), [OPTION], execute_nop),
    Encoding("DMB", _pattern(0b101), [OPTION], execute_nop),
    Encoding("ISB", _pattern(0b110), [CRM_DEFAULT_SY], execute_nop),
    Encoding("SB", _pattern(0b111, 0), [], execute_nop),
]

CLASS = InstructionClass("barrier", "Barriers and CLREX (NOPs on one in-order PE)", ROWS)
