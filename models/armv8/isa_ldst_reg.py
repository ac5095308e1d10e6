"""Load/store register (register offset): `[Xn|SP, Rm{, extend {#amount}}]` for every size,
signed variant, SIMD&FP register and PRFM. Arm ARM C4.1.94 (load/store register, register
offset): the offset is ExtendReg(Rm, option, S ? scale : 0); option<1> = 0 is unallocated.
"""

from __future__ import annotations

from typing import Any

from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .isa_ldst_imm import ROWS, row_properties, transfer_operand
from .operands_mem import MemReg, conform_base, load_to, store_from, window_address
from .pseudocode import extend_reg, rx

PATTERN = "size 111 V 00 opc 1 Rm option S 10 Rn Rt"


def make_decode(props: dict[str, Any], is_load: bool) -> Any:
    def decode(d: Decoded) -> None:
        if not d.option & 2:
            raise Unallocated  # sub-word extends of the index register are reserved
        d.__dict__.update(props)
        d.load = is_load
        d.amount = props["scale"] if d.S else 0
    return decode


def execute(s: Any, o: Any, d: Decoded) -> None:
    offset = extend_reg(o, rx(s, o, d.Rm, 64), d.option, d.amount, 64, 64)
    address = o.bvadd(s.x[d.Rn], offset, 64)
    (load_to if d.load else store_from)(s, o, d, address)


def _prefetch(s: Any, o: Any, d: Decoded) -> None:
    """PRFM is a hint: no architectural effect (and no fault)."""


def prepare(d: Decoded, case: Any, rng: Any) -> None:
    """Conformance: a small index (respecting the extend) and a base that lands in the window."""
    index = rng.randrange(-64, 64)
    if d.Rm == 31:
        index = 0  # XZR
    raw = index & ((1 << 64) - 1)
    if not d.option & 1:  # a W index: sign or zero extension of the low 32 bits matters
        raw = (rng.getrandbits(32) << 32) | (index & 0xFFFFFFFF)
        if not d.option & 4:
            index &= 0xFFFFFFFF
            index = index if index < 1 << 31 else index & 0x3F
            raw = (raw & ~0xFFFFFFFF) | index
    if d.Rm != 31:
        case.x[d.Rm] = raw
    if d.Rn == d.Rm and d.Rn != 31:
        return  # base and index are the same register: whatever it holds
    offset = (index << d.amount)
    target = window_address(rng, 16 + 16)
    conform_base(case, d.Rn, (target - offset) & ((1 << 64) - 1))


def _rows() -> list[Encoding]:
    rows = []
    for mnemonic, size, v, opc, kind in ROWS:
        props = row_properties(size, kind)
        text = PATTERN.replace("size", f"size={size:02b}", 1).replace(
            " V ", f" V={v} ", 1).replace(" opc ", f" opc={opc:02b} ", 1)
        rows.append(Encoding(
            mnemonic, text, [transfer_operand(size, kind), MemReg()],
            _prefetch if kind == "prfm" else execute, make_decode(props, mnemonic[:2] == "LD"),
            name=f"{mnemonic}_{kind}_reg", conform=prepare))
    return rows


CLASS = InstructionClass("ldst_reg", "Load/store register (register offset)", _rows())
