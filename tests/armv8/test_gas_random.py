"""Assay's assembler against clang on random instructions of every class: random valid words
are printed by Assay's disassembler, the listing is assembled by clang and by Assay, and the
bytes must agree line for line. (PC-relative rows are left out: their operands are addresses,
which clang reads differently from labels.) A second listing spells every word in every alias
of its row, preferred or not (`cinc x0, xzr, eq`, `bfi x0, x1, #0, #8`, `lsl x0, x1, #0`),
with register fields biased to XZR/WZR and other fields to their extreme values: whatever
clang accepts, Assay must accept with the same bytes, and what clang refuses Assay refuses."""

from __future__ import annotations

import random
import re
from pathlib import Path

from assay.models.armv8.asm import AsmError, assemble_instruction
from assay.models.armv8.conform import random_word
from assay.models.armv8.disasm import disassemble, format_operands
from assay.models.armv8.encoding import Encoding
from assay.models.armv8.gas import assemble
from assay.models.armv8.loader import read_object
from assay.models.armv8.operands import Label
from assay.models.armv8.registry import classes, find

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


# Every class's instructions in one file: SB and XAFLAG/AXFLAG (Armv8.5) are beyond the
# Neoverse V1 that clang targets by default, so the file names a CPU that has them all.
ALL_FEATURES = "\t.cpu neoverse-v2+crypto+sha3\n"


def test_random_instructions_same_bytes_as_clang(tmp_path: Path) -> None:
    lines = random_listing(random.Random(2026), PER_CLASS)
    source = ALL_FEATURES + "".join(f"\t{text}\n" for _, _, text in lines)
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


REGISTER_FIELDS = {"Rd", "Rn", "Rm", "Ra", "Rt", "Rt2", "Rs"}
# Named on purpose: the spellings GNU as takes that no disassembler prints.
NAMED_SPELLINGS = ["cinc x0, xzr, eq", "cinc w3, wzr, hs", "cinv x1, xzr, ne",
                   "cinv wzr, wzr, lt", "cneg x2, xzr, gt", "cset x0, eq", "csetm w0, vs",
                   "bfi x0, x1, #0, #8", "bfc w0, #0, #4", "ubfiz x0, x1, #0, #8",
                   "sbfiz w0, w1, #0, #3", "lsl x0, x1, #0", "lsl w0, w1, #0",
                   "ror x0, x1, #0", "mov x0, xzr", "mvn w0, wzr", "neg x0, xzr",
                   "tst xzr, x1", "cmp xzr, x1", "mul x0, xzr, xzr", "hint #34", "hint #0",
                   "add x0, x1, #0x1000", "cmp x0, #4096", "cmn w0, #0xfff000",
                   "sub sp, sp, #0x2000", "ldr x0, [x1, #-8]", "str w0, [x1, #1]",
                   "ldrb w0, [x1, #-1]", "ldr q0, [x1, #-16]", "ldr x0, [x1, #4]",
                   "ldrsw x0, [x1, #-4]", "prfm pldl1keep, [x0, #-8]", "rev64 x0, x1"]
# ... and spellings both must refuse.
NAMED_REFUSED = ["cinc x0, x0, al", "cset x0, nv", "add x0, x1, #0x1000, lsl #12",
                 "add x0, x1, #0x1001", "ldr x0, [x1, #-257]", "rev64 w0, w1",
                 "hint #128"]


def _biased_word(e: Encoding, rng: random.Random) -> int | None:
    """A random word of `e` whose fields lean to XZR/WZR (registers) and to 0 or all-ones."""
    w = random_word(e, rng)
    if w is None:
        return None
    for f in e.var_fields:
        r, m = rng.random(), (1 << f.width) - 1
        if (f.name in REGISTER_FIELDS and r < 0.4) or r < 0.15 or r > 0.85:
            v = m if f.name in REGISTER_FIELDS or r > 0.85 else 0
            trial = (w & ~(m << f.lo)) | (v << f.lo)
            found = find(trial)
            if found is not None and found[0] is e:
                w = trial
    if rng.random() < 0.3 and {"Rn", "Rm"} <= {f.name for f in e.var_fields}:
        d = e.decode(w)  # Rm = Rn: the CINC/CNEG/ROR shapes
        spec = next(f for f in e.var_fields if f.name == "Rm")
        trial = (w & ~(31 << spec.lo)) | (d.Rn << spec.lo)
        found = find(trial)
        if found is not None and found[0] is e:
            w = trial
    return w


def alias_listing(rng: random.Random, per_spelling: int) -> list[str]:
    lines = NAMED_SPELLINGS + NAMED_REFUSED
    for e in (e for c in classes() for e in c.encodings if e.aliases):
        if any(isinstance(o, Label) for o in e.operands):
            continue
        spellings = [(a.mnemonic, a.operands) for a in e.aliases]
        if not e.disasm_only:
            spellings.append((e.mnemonic, e.operands))
        for mnemonic, operands in spellings:
            for _ in range(per_spelling):
                w = _biased_word(e, rng)
                if w is None:
                    continue
                try:
                    lines.append(format_operands(mnemonic, operands, e.decode(w), 0))
                except (AttributeError, ValueError, IndexError, KeyError):
                    continue  # this alias cannot show these field values
    return lines


def _clang_accepts(lines: list[str], tmp_path: Path) -> tuple[list[str], list[str], bytes]:
    """(lines clang assembles, lines it refuses, its bytes for the first list)."""
    keep, refused = list(lines), []
    for _ in range(4):
        (tmp_path / "a.s").write_text("".join(f"\t{t}\n" for t in keep))
        try:
            obj = clang_object(tmp_path / "a.s", tmp_path / "a.o")
        except AssertionError as exc:
            bad = {int(n) for n in re.findall(r"a\.s:(\d+):\d+: error", str(exc))}
            assert bad, str(exc)[:2000]
            refused += [t for i, t in enumerate(keep, 1) if i in bad]
            keep = [t for i, t in enumerate(keep, 1) if i not in bad]
            continue
        return keep, refused, read_object(obj).section(".text").data
    raise AssertionError("clang kept refusing lines")


def test_every_alias_spelling_same_bytes_as_clang(tmp_path: Path) -> None:
    lines = alias_listing(random.Random(2026), 8)
    keep, refused, theirs = _clang_accepts(lines, tmp_path)
    assert len(keep) > 0.9 * len(lines)
    assert all(t in keep for t in NAMED_SPELLINGS)
    assert all(t in refused for t in NAMED_REFUSED)
    bad = []
    for i, text in enumerate(keep):
        want = int.from_bytes(theirs[4 * i:4 * i + 4], "little")
        try:
            ours: int | None = assemble_instruction(text)
        except AsmError:
            ours = None
        if ours != want:
            bad.append(f"{text!r}: assay {ours if ours is None else hex(ours)} clang {want:#x}")
    assert not bad, f"{len(bad)} of {len(keep)}:\n" + "\n".join(bad[:20])
    accepted = []
    for text in refused:
        try:
            accepted.append(f"{text!r} -> {assemble_instruction(text):#x}")
        except AsmError:
            pass
    assert not accepted, "clang refuses, assay accepts:\n" + "\n".join(accepted[:20])
