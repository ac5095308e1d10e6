"""Assay's assembler against clang on random instructions of every class: random valid words
are printed by Assay's disassembler, the listing is assembled by clang and by Assay, and the
bytes must agree line for line. (PC-relative rows are left out: their operands are addresses,
which clang reads differently from labels.)"""

from __future__ import annotations

import random
import re
from pathlib import Path

from assay.models.armv8.conform import random_word
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.gas import assemble
from assay.models.armv8.loader import read_object
from assay.models.armv8.operands import Label
from assay.models.armv8.registry import classes

from .ziglang_util import clang_object

PER_CLASS = 60


def _signed(match: re.Match[str]) -> str:
    """Capstone's 64-bit wrapped post-index immediates, in the signed form assemblers read."""
    return f"#{int(match.group(1), 16) - (1 << 64)}"


WRAPPED_POST_INDEX = re.compile(r"(?<=\], )#0x(ffffffffffff[0-9a-f]{4})\b")


def random_listing(rng: random.Random, per_class: int) -> list[tuple[str, int, str]]:
    lines = []
    for cls in classes():
        rows = [e for e in cls.encodings if not any(isinstance(o, Label) for o in e.operands)]
        for _ in range(per_class if rows else 0):
            e = rng.choice(rows)
            word = random_word(e, rng)
            if word is None:
                continue
            text = WRAPPED_POST_INDEX.sub(_signed, disassemble(word, 0))
            lines.append((cls.name, word, text))
    return lines


def test_random_instructions_same_bytes_as_clang(tmp_path: Path) -> None:
    lines = random_listing(random.Random(2026), PER_CLASS)
    source = "".join(f"\t{text}\n" for _, _, text in lines)
    (tmp_path / "r.s").write_text(source)
    theirs = read_object(clang_object(tmp_path / "r.s", tmp_path / "r.o")).section(".text").data
    ours = assemble(source, "r.s").section(".text").data
    assert len(ours) == len(theirs) == 4 * len(lines)
    bad = [f"{cls}: {text!r}: assay {ours[4 * i:4 * i + 4][::-1].hex()} "
           f"clang {theirs[4 * i:4 * i + 4][::-1].hex()}"
           for i, (cls, _, text) in enumerate(lines) if ours[4 * i:4 * i + 4] != theirs[4 * i:4 * i + 4]]
    assert not bad, "\n".join(bad[:20])


def test_random_pc_relative_instructions_same_as_clang(tmp_path: Path) -> None:
    """Branches, ADR/ADRP and literal loads with `.+offset` targets: same bytes, and the same
    relocations (ADRP's page offset is always left to the linker)."""
    rng = random.Random(7)
    rows = [e for c in classes() for e in c.encodings
            if any(isinstance(o, Label) for o in e.operands)]
    lines = []
    for _ in range(40 * len(rows)):
        e = rng.choice(rows)
        word = random_word(e, rng)
        if word is None:
            continue
        pc = 4 * len(lines)
        text = disassemble(word, pc)
        m = re.search(r"#0x([0-9a-f]+)$", text)
        assert m, text
        delta = int(m.group(1), 16) - pc
        if delta >= 1 << 63:
            delta -= 1 << 64
        lines.append(text[:m.start()] + (f".+{delta}" if delta >= 0 else f".-{-delta}"))
    source = "".join(f"\t{t}\n" for t in lines)
    (tmp_path / "r.s").write_text(source)
    theirs = read_object(clang_object(tmp_path / "r.s", tmp_path / "r.o"))
    ours = assemble(source, "r.s")
    bad = [f"{t!r}" for i, t in enumerate(lines)
           if ours.section(".text").data[4 * i:4 * i + 4]
           != theirs.section(".text").data[4 * i:4 * i + 4]]
    assert not bad, "\n".join(bad[:20])
    key = lambda r: (r.section, r.offset)  # noqa: E731
    assert theirs.relocations
    assert sorted(ours.relocations, key=key) == sorted(theirs.relocations, key=key)
