"""Known syntax variants between Assay's disassembler and capstone 5 (same instruction, other
spelling). Each entry: (reason, predicate(ours, capstone) -> bool)."""

from __future__ import annotations

from collections.abc import Callable

VARIANTS: list[tuple[str, Callable[[str, str], bool]]] = []


def variant_of(ours: str, theirs: str) -> str | None:
    for reason, pred in VARIANTS:
        if pred(ours, theirs):
            return reason
    return None
