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
