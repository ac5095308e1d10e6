"""The disassembler agrees with capstone on random valid encodings of every class."""

from __future__ import annotations

import random

import capstone
import pytest

from assay.models.armv8.conform import random_word
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.registry import classes

from .capstone_variants import variant_of

PER_CLASS = 300


def capstone_text(md: object, word: int, pc: int) -> str | None:
    for i in md.disasm(word.to_bytes(4, "little"), pc):  # type: ignore[attr-defined]
        return f"{i.mnemonic} {i.op_str}".strip()
    return None


@pytest.mark.parametrize("cls", classes(), ids=lambda c: c.name)
def test_agrees_with_capstone(cls) -> None:  # type: ignore[no-untyped-def]
    md = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    rng = random.Random(f"capstone:{cls.name}")
    bad = []
    for _ in range(PER_CLASS):
        e = rng.choice(cls.encodings)
        w = random_word(e, rng)
        if w is None:
            continue
        pc = 0x400000 + 4 * rng.randrange(1 << 16)
        ours, theirs = disassemble(w, pc), capstone_text(md, w, pc)
        if theirs is None or ours == theirs or variant_of(ours, theirs):
            continue
        bad.append(f"0x{w:08x}: {ours!r} vs capstone {theirs!r}")
    assert not bad, "\n".join(bad[:20])
