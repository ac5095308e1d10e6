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


def variant_of(ours: str, theirs: str) -> str | None:
    for reason, pred in VARIANTS:
        if pred(ours, theirs):
            return reason
    return None
