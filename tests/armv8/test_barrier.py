"""Barriers (isa_barrier.py): every word of the barrier space decodes as capstone prints it
(one listed variant), assembles back, runs as Unicorn runs it (no effect), and a source using
every mnemonic assembles to clang's bytes."""

from __future__ import annotations

import random
from pathlib import Path

import capstone

from assay.models.armv8.asm import assemble_instruction
from assay.models.armv8.conform import Campaign, random_case
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.gas import assemble
from assay.models.armv8.loader import read_object
from assay.models.armv8.machine import Machine
from assay.models.armv8.registry import class_named, find
from assay.models.armv8.state import State

from .capstone_variants import variant_of
from .test_gas import assert_same_unit
from .ziglang_util import clang_object

DATA = Path(__file__).parent / "data"
SPACE = 0xD503301F
# op2 -> the CRm values that decode (DSB nXS, op2 = 001, and TCOMMIT, 011, are unsupported)
DECODED = {0b010: range(16), 0b100: range(16), 0b101: range(16), 0b110: range(16),
           0b111: [0]}
WORDS = [SPACE | crm << 8 | op2 << 5 for op2, crms in DECODED.items() for crm in crms]


def test_the_barrier_space_decodes_exactly_as_listed() -> None:
    for op2 in range(8):
        for crm in range(16):
            w = SPACE | crm << 8 | op2 << 5
            r = find(w)
            decoded = r is not None and r[0].cls is class_named("barrier")
            assert decoded == (w in WORDS), hex(w)
    assert len(WORDS) == 65


def test_disassembly_agrees_with_capstone() -> None:
    md = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    variants = []
    for w in WORDS:
        i = next(md.disasm(w.to_bytes(4, "little"), 0x1000))
        theirs, ours = f"{i.mnemonic} {i.op_str}".strip(), disassemble(w)
        if ours != theirs:
            assert variant_of(ours, theirs), (hex(w), ours, theirs)
            variants.append(ours)
    assert variants == ["dsb #0xc"]
    assert disassemble(0xD5033BBF) == "dmb ish" and disassemble(0xD5033FDF) == "isb"
    assert disassemble(0xD503309F) == "ssbb" and disassemble(0xD503349F) == "pssbb"
    assert disassemble(0xD5033F5F) == "clrex" and disassemble(0xD503355F) == "clrex #5"


def test_round_trip_and_other_spellings() -> None:
    for w in WORDS:
        assert assemble_instruction(disassemble(w)) == w, disassemble(w)
    assert assemble_instruction("dsb #0") == 0xD503309F  # SSBB
    assert assemble_instruction("dsb #4") == 0xD503349F  # PSSBB
    assert assemble_instruction("isb sy") == assemble_instruction("isb") == 0xD5033FDF
    assert assemble_instruction("DMB ISH") == 0xD5033BBF


def test_every_barrier_runs_as_unicorn_runs_it() -> None:
    campaign = Campaign()
    rng = random.Random(7)
    cls = class_named("barrier")
    for w in WORDS:
        for _ in range(3):
            case = random_case(cls, rng)
            case.word = w
            assert not campaign.check(case), (hex(w), campaign.check(case))


def test_barriers_change_nothing_but_clrex_opens_the_monitor() -> None:
    for w in WORDS:
        s = State()
        s.mem.map(0x1000, 0x1000)
        s.mem.write(0x1000, 4, w)
        s.pc, s.x[3], s.nzcv, s.monitor = 0x1000, 77, 0b0110, (0x2000, 8)
        before = s.copy()
        Machine(s).run(max_steps=1)
        assert s.error is None and s.pc == 0x1004
        assert (s.x, s.v, s.nzcv) == (before.x, before.v, before.nzcv)
        clrex = (w >> 5) & 7 == 0b010
        assert s.monitor == (None if clrex else (0x2000, 8)), hex(w)


def test_unsupported_barrier_forms_stop_the_run() -> None:
    for w in (0xD503323F, 0xD503307F, 0xD50331FF):  # dsb oshnxs, tcommit, sb with CRm = 1
        s = State()
        s.mem.map(0x1000, 0x1000)
        s.mem.write(0x1000, 4, w)
        s.pc = 0x1000
        Machine(s).run(max_steps=1)
        assert s.error is not None and s.error.kind == "unsupported", hex(w)
        assert s.error.message == f"unsupported instruction 0x{w:08x} at pc 0x1000"


def test_same_bytes_as_clang(tmp_path: Path) -> None:
    source = DATA / "barriers.s"
    theirs = read_object(clang_object(source, tmp_path / "x.o"))
    assert_same_unit(assemble(source.read_text(), str(source)), theirs)
