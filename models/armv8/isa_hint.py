"""The hint space: `HINT #imm` for every CRm:op2 (Arm ARM C6.2 HINT,
`11010101000000110010 CRm op2 11111`), with the named hints as their own rows.

What each hint does in the state this model keeps (user-mode registers, flags, memory):
- NOP, YIELD, WFE, WFI, SEV, SEVL, DGH, ESB, PSB CSYNC, TSB CSYNC, CSDB, BTI and every hint
  number without a name: no architectural effect, so they are NOPs. (WFE/WFI may only wait;
  the architecture lets a PE treat them as NOPs, and the model has no events or interrupts.
  BTI only checks branch targets on guarded pages, which the model does not have. The Arm ARM
  makes unallocated hint numbers behave as NOP.)
- The pointer-authentication hints of FEAT_PAuth — PACIA1716, PACIB1716, AUTIA1716,
  AUTIB1716, PACIAZ, PACIASP, PACIBZ, PACIBSP, AUTIAZ, AUTIASP, AUTIBZ, AUTIBSP and XPACLRI —
  are NOT modelled. On a CPU with FEAT_PAuth and its keys enabled (Linux on Armv8.3+), PACIASP
  puts a signature into the top bits of X30, which the function then saves on the stack;
  treating it as a NOP would leave a register and memory the real CPU does not produce. So by
  default they stop the run as unsupported. With `State.pauth_as_nop` (`assay arm run
  --pauth-as-nop`) they are NOPs: that is exactly an Armv8.0-8.2 CPU without FEAT_PAuth, where
  these encodings are plain hints, and it is how real BoringSSL/OpenSSL functions (which open
  with PACIASP and close with AUTIASP) run here.
- Unicorn's UC_CPU_ARM64_MAX implements FEAT_PAuth but runs with the keys disabled
  (SCTLR_EL1.EnIA/EnIB = 0): there PACIASP, AUTIASP, PACIA1716 ... leave X30/X17 unchanged and
  XPACLRI strips nothing (checked in tests/armv8/test_hint.py), so it agrees with the NOP
  reading, and the conformance campaign runs the model with `pauth_as_nop` set.

Trusted: the table (encodings as the Arm ARM lists them) and the NOP reading above.
"""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import AsmContext, Custom, Imm, setf
from .state import Unsupported

HINT = "11010101000000110010 {} 11111"

# (mnemonic, CRm:op2) of the named hints that are NOPs here.
NOPS = [("NOP", 0), ("YIELD", 1), ("WFE", 2), ("WFI", 3), ("SEV", 4), ("SEVL", 5), ("DGH", 6),
        ("ESB", 16), ("CSDB", 20)]
# Hints capstone prints with an operand: PSB CSYNC, TSB CSYNC.
CSYNC = [("PSB", 17), ("TSB", 18)]
# FEAT_PAuth hints: unsupported unless the state says the CPU has no FEAT_PAuth.
PAUTH = [("XPACLRI", 7), ("PACIA1716", 8), ("PACIB1716", 10), ("AUTIA1716", 12),
         ("AUTIB1716", 14), ("PACIAZ", 24), ("PACIASP", 25), ("PACIBZ", 26), ("PACIBSP", 27),
         ("AUTIAZ", 28), ("AUTIASP", 29), ("AUTIBZ", 30), ("AUTIBSP", 31)]
BTI_CRM = 0b0100
BTI_NAMES = ("", "c", "j", "jc")


def pattern(imm: int | None = None) -> str:
    """The hint pattern, with CRm:op2 fixed to `imm` when given."""
    if imm is None:
        return HINT.format("CRm op2")
    return HINT.format(f"CRm={imm >> 3:04b} op2={imm & 7:03b}")


def execute_nop(s: Any, o: Any, d: Decoded) -> None:
    return None


def pauth_execute(mnemonic: str, imm: int) -> Any:
    word = 0xD503201F | imm << 5  # HINT #imm

    def execute(s: Any, o: Any, d: Decoded) -> None:
        if s.pauth_as_nop:
            return None
        raise Unsupported(
            f"unsupported instruction 0x{word:08x} at pc 0x{s.pc:x}: {mnemonic.lower()} needs "
            "pointer authentication (FEAT_PAuth), which is not modelled; --pauth-as-nop runs "
            "it as a NOP, as a CPU without FEAT_PAuth does", s.pc)
    return execute


def decode_bti(d: Decoded) -> None:
    if d.op2 & 1:
        raise Unallocated  # odd op2 with CRm = 0100 is a plain hint number
    d.targets = d.op2 >> 1


def _bti_read(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    t = tok.strip().lower()
    return t in BTI_NAMES[1:] and setf(f, "op2", 2 * BTI_NAMES.index(t))


def _csync_read(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    return tok.strip().lower() == "csync"


HINT_IMM = Imm([("CRm", 4), ("op2", 3)])
BTI_TARGETS = Custom(lambda d, pc: BTI_NAMES[d.op2 >> 1] or None, _bti_read,
                     lambda f: setf(f, "op2", 0))
CSYNC_OPERAND = Custom(lambda d, pc: "csync", _csync_read)
# GNU as accepts `hint #n` for every n, also where the number has a name (`hint #34` is
# `bti c`): every named row takes that spelling too, the decoder then picks the row.
AS_HINT = Alias("hint", [HINT_IMM], asm_only=True)

ROWS = [
    *[Encoding(m, pattern(i), [], execute_nop, aliases=[AS_HINT]) for m, i in NOPS],
    *[Encoding(m, pattern(i), [CSYNC_OPERAND], execute_nop, aliases=[AS_HINT])
      for m, i in CSYNC],
    Encoding("BTI", HINT.format(f"CRm={BTI_CRM:04b} op2"), [BTI_TARGETS], execute_nop,
             decode_bti, aliases=[AS_HINT]),
    *[Encoding(m, pattern(i), [], pauth_execute(m, i), aliases=[AS_HINT]) for m, i in PAUTH],
    Encoding("HINT", pattern(), [HINT_IMM], execute_nop),
]

CLASS = InstructionClass("hint", "Hints (NOPs; the FEAT_PAuth ones only with --pauth-as-nop)",
                         ROWS)
