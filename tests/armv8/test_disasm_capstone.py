"""The disassembler agrees with capstone on random valid encodings of every class."""

from __future__ import annotations

import random

import capstone
import pytest

from assay.models.armv8.conform import random_word
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.registry import classes

from .capstone_variants import variant_of
from .ziglang_util import PC_RELATIVE, clang_words, relative_operand

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


def test_clang_settles_every_difference() -> None:
    """Where capstone prints something else (a listed variant) or cannot decode the word,
    clang assembles Assay's text back to the same word: the difference is not Assay's."""
    md = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    rng = random.Random("capstone:residual")
    chosen = [c for c in classes() if c.name in ("ldst_imm", "ldst_reg", "ldst_lit", "bitfield")]
    differing: list[tuple[int, str]] = []
    for _ in range(6000):
        cls = rng.choice(chosen)
        w = random_word(rng.choice(cls.encodings), rng)
        if w is None:
            continue
        pc = 0x400000 + 4 * rng.randrange(1 << 16)
        ours = disassemble(w, pc)
        if capstone_text(md, w, pc) != ours:
            differing.append((w, relative_operand(ours, pc) if cls.name in PC_RELATIVE else ours))
    assert len(differing) >= 20, "the sample should meet capstone's unnamed prefetch operations"
    got = clang_words([text for _, text in differing])
    bad = [f"0x{w:08x}: {t!r} -> {g}" for (w, t), g in zip(differing, got, strict=True) if g != w]
    assert not bad, "\n".join(bad[:20])
