"""Known syntax variants between Assay's disassembler and capstone 5 (same instruction, other
spelling). Each entry: (reason, predicate(ours, capstone) -> bool)."""

from __future__ import annotations

from collections.abc import Callable

VARIANTS: list[tuple[str, Callable[[str, str], bool]]] = []


def _unnamed_prfop(ours: str, theirs: str) -> bool:
    """PRFM/PRFUM with a reserved prefetch operation: capstone 5 prints an empty operand
    (`prfm , [x0]`), Assay (like GNU objdump) the raw `#imm5`."""
    return (ours.startswith(("prfm #", "prfum #")) and theirs.startswith(("prfm , ", "prfum , "))
            and ours.split(", ", 1)[1] == theirs.split(", ", 1)[1])


VARIANTS.append(("unnamed prefetch operation (part B, load/store)", _unnamed_prfop))


def _bfc_for_bfxil(ours: str, theirs: str) -> bool:
    """BFM with Rn = ZR and imms >= immr: the Arm ARM's preferred disassembly is BFXIL (BFC
    needs imms < immr); capstone prints BFC when lsb is 0 (`bfc wzr, #0, #5`)."""
    if not (ours.startswith("bfxil ") and theirs.startswith("bfc ")):
        return False
    o, t = ours[6:].split(", "), theirs[4:].split(", ")
    return len(o) == 4 and len(t) == 3 and o[1] in ("wzr", "xzr") and o[0] == t[0] \
        and o[2] == t[1] == "#0" and o[3] == t[2]


VARIANTS.append(("BFXIL vs BFC alias for lsb 0 with a zero-register source", _bfc_for_bfxil))


def _dfb(ours: str, theirs: str) -> bool:
    """DSB with CRm = 1100: capstone 5 prints `dfb` (an Armv8-R name; clang refuses it for an
    A-profile CPU), Assay the Arm ARM's `dsb #0xc` (GNU objdump: `dsb #0x0c`)."""
    return ours == "dsb #0xc" and theirs == "dfb"


VARIANTS.append(("DSB #12 printed as the Armv8-R DFB by capstone", _dfb))


def variant_of(ours: str, theirs: str) -> str | None:
    for reason, pred in VARIANTS:
        if pred(ours, theirs):
            return reason
    return None
