"""Load register (literal): LDR Wt/Xt/St/Dt/Qt, LDRSW and PRFM from PC + imm19*4.
Arm ARM C4.1.94 (load register literal, `opc 011 V 00 imm19 Rt`); opc=11 with V=1 is
unallocated.
"""

from __future__ import annotations

from typing import Any

from .encoding import Decoded, Encoding, InstructionClass
from .operands import Label
from .operands_mem import PrfOp, TReg, load_to

#        mnemonic  pattern                         transfer register
TABLE = [
    ("LDR",   "opc=00 011 V=0 00 imm19 Rt", "w"),
    ("LDR",   "opc=01 011 V=0 00 imm19 Rt", "x"),
    ("LDRSW", "opc=10 011 V=0 00 imm19 Rt", "sx"),
    ("PRFM",  "opc=11 011 V=0 00 imm19 Rt", "prfm"),
    ("LDR",   "opc=00 011 V=1 00 imm19 Rt", "s"),
    ("LDR",   "opc=01 011 V=1 00 imm19 Rt", "d"),
    ("LDR",   "opc=10 011 V=1 00 imm19 Rt", "q"),
]
NBYTES = {"w": 4, "x": 8, "sx": 4, "prfm": 8, "s": 4, "d": 8, "q": 16}
MASK64 = (1 << 64) - 1


def make_decode(kind: str) -> Any:
    def decode(d: Decoded) -> None:
        d.nbytes = NBYTES[kind]
        d.simd = kind in ("s", "d", "q")
        d.signed = kind == "sx"
        d.regsize = 64
        d.offset = (d.imm19 - (1 << 19) if d.imm19 >> 18 else d.imm19) * 4
    return decode


def execute(s: Any, o: Any, d: Decoded) -> None:
    load_to(s, o, d, o.const((s.pc + d.offset) & MASK64, 64))


def _prefetch(s: Any, o: Any, d: Decoded) -> None:
    """PRFM is a hint: no architectural effect (and no fault)."""


def prepare(d: Decoded, case: Any, rng: Any) -> None:
    """Conformance: keep the literal inside the mapped code region (rewrites imm19)."""
    from .conform import CODE, CODE_SIZE
    target = CODE + 4 * rng.randrange((CODE_SIZE - 16) // 4)
    delta = (target - case.pc) // 4
    case.word = (case.word & ~(0x7FFFF << 5)) | ((delta & 0x7FFFF) << 5)


def _operand(kind: str) -> Any:
    if kind == "prfm":
        return PrfOp()
    if kind in ("s", "d", "q"):
        return TReg("Rt", 8 * NBYTES[kind], True, 0)
    return TReg("Rt", 32 if kind == "w" else 64, False, 0)


CLASS = InstructionClass("ldst_lit", "Load register (literal)", [
    Encoding(m, pattern, [_operand(kind), Label([("imm19", 19)], scale=4)],
             _prefetch if kind == "prfm" else execute, make_decode(kind),
             name=f"{m}_{kind}_lit", conform=prepare)
    for m, pattern, kind in TABLE
])
