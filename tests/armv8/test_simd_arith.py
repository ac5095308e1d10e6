"""The saturating, halving, rounding, by-element and scalar AdvSIMD rows (simd_arith.py and
the simd_* classes that use it): clang gives the same bytes for a source using every new
mnemonic, capstone prints the same text, hand-computed edge values (saturation limits, the
rounding carry, FPSR.QC) agree with the model and with Unicorn, every new row runs over core
terms, and an ML-KEM-style NEON multiplication mod q runs in lockstep with Unicorn."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import capstone
import pytest
import unicorn
from unicorn import arm64_const as uc_const

from assay.models.armv8.asm import AsmContext, assemble_instruction
from assay.models.armv8.bv import CONCRETE
from assay.models.armv8.conform import random_word
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.gas import assemble, assemble_source
from assay.models.armv8.loader import read_object
from assay.models.armv8.lockstep import lockstep
from assay.models.armv8.registry import classes, find
from assay.models.armv8.simd_arith import QC_BIT
from assay.models.armv8.state import State

from .test_gas import assert_same_unit
from .test_symbolic_semantics import _check
from .ziglang_util import clang_object

DATA = Path(__file__).parent / "data"
SOURCE = DATA / "simd_neon.s"
SAT = QC_BIT


def test_every_new_mnemonic_assembles_as_clang(tmp_path: Path) -> None:
    theirs = read_object(clang_object(SOURCE, tmp_path / "x.o"))
    assert_same_unit(assemble(SOURCE.read_text(), str(SOURCE)), theirs)


def test_every_new_mnemonic_disassembles_as_capstone() -> None:
    code = bytes(assemble(SOURCE.read_text(), str(SOURCE)).section(".text").data)
    md = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    seen = 0
    for insn in md.disasm(code, 0):
        word = int.from_bytes(insn.bytes, "little")
        assert disassemble(word) == f"{insn.mnemonic} {insn.op_str}".strip()
        seen += 1
    assert seen == len(code) // 4 > 100


def _lanes(values: list[int], esize: int) -> int:
    return sum((v & ((1 << esize) - 1)) << (i * esize) for i, v in enumerate(values))


# (instruction, {register: value}, fpsr before, expected V0, expected FPSR after)
CASES = [
    ("sqdmulh v0.8h, v1.8h, v2.8h", {1: _lanes([-0x8000, 0x4000] * 4, 16),
                                     2: _lanes([-0x8000, 0x4000] * 4, 16)}, 0,
     _lanes([0x7FFF, 0x2000] * 4, 16), SAT),
    ("sqrdmulh v0.4s, v1.4s, v2.4s", {1: _lanes([0x40000000, 3, -3, 1], 32),
                                      2: _lanes([0x40000000, 0x40000000, 0x40000000, 1], 32)},
     0, _lanes([0x20000000, 2, -1, 0], 32), 0),
    ("uqsub v0.16b, v1.16b, v2.16b", {1: _lanes([1, 200] * 8, 8), 2: _lanes([2, 100] * 8, 8)},
     0, _lanes([0, 100] * 8, 8), SAT),
    ("sqadd v0.2d, v1.2d, v2.2d", {1: _lanes([(1 << 63) - 1, -5], 64), 2: _lanes([1, 3], 64)},
     0, _lanes([(1 << 63) - 1, -2], 64), SAT),
    ("srshl d0, d1, d2", {1: -3, 2: -1}, 0, _lanes([-1], 64), 0),
    ("uqrshl v0.8b, v1.8b, v2.8b", {1: _lanes([0x81, 3, 0xFF, 7, 1, 0, 0x40, 5], 8),
                                    2: _lanes([1, -1, -8, -128, 7, 127, 1, -2], 8)},
     0, _lanes([0xFF, 2, 1, 0, 0x80, 0, 0x80, 1], 8), SAT),
    ("urshr v0.2d, v1.2d, #64", {1: _lanes([1 << 63, (1 << 63) - 1], 64)}, 0,
     _lanes([1, 0], 64), 0),
    ("sqxtun v0.8b, v1.8h", {1: _lanes([-1, 0x1234, 0x80, 7] * 2, 16)}, 0,
     _lanes([0, 0xFF, 0x80, 7] * 2, 8), SAT),
    ("sqabs v0.4s, v1.4s", {1: _lanes([-(1 << 31), -7, 7, 0], 32)}, 0,
     _lanes([(1 << 31) - 1, 7, 7, 0], 32), SAT),
    ("shadd v0.16b, v1.16b, v2.16b", {1: _lanes([0x7F, 0x80] * 8, 8),
                                      2: _lanes([0x7F, 0x80] * 8, 8)}, 0,
     _lanes([0x7F, 0x80] * 8, 8), 0),
    ("urhadd v0.8b, v1.8b, v2.8b", {1: _lanes([0xFF, 1] * 4, 8), 2: _lanes([0xFE, 2] * 4, 8)},
     0, _lanes([0xFF, 2] * 4, 8), 0),
    ("uabd v0.8b, v1.8b, v2.8b", {1: _lanes([3, 250] * 4, 8), 2: _lanes([250, 3] * 4, 8)}, 0,
     _lanes([247, 247] * 4, 8), 0),
    ("sqrshrn b0, h1, #8", {1: 0x7FFF}, 0, 0x7F, SAT),
    ("sqshrun2 v0.8h, v1.4s, #4", {0: 0x1111, 1: _lanes([-16, 0x100000, 0x50, 0x7FFFFFFF], 32)},
     0, 0x1111 | (_lanes([0, 0xFFFF, 5, 0xFFFF], 16) << 64), SAT),
    ("sqdmulh h0, h1, v2.h[7]", {1: 0x8000, 2: 0x8000 << 112}, 0, 0x7FFF, SAT),
    ("sqdmlal v0.2d, v1.2s, v2.s[1]", {0: _lanes([(1 << 63) - 1, 5], 64),
                                       1: _lanes([1, 2], 32), 2: _lanes([0, 3], 32)}, 0,
     _lanes([(1 << 63) - 1, 17], 64), SAT),
    ("mla v0.4s, v1.4s, v31.s[3]", {0: _lanes([1, 1, 1, 1], 32), 1: _lanes([1, 2, 3, -1], 32),
                                    31: _lanes([0, 0, 0, 10], 32)}, 0,
     _lanes([11, 21, 31, -9], 32), 0),
    ("umlsl2 v0.4s, v1.8h, v15.h[6]", {0: 0, 1: _lanes([0] * 4 + [1, 2, 3, 0xFFFF], 16),
                                       15: 2 << 96}, 0, _lanes([-2, -4, -6, -0x1FFFE], 32), 0),
    # QC is sticky: an instruction that does not saturate leaves it set
    ("sqadd v0.4s, v1.4s, v2.4s", {1: 1, 2: 2}, SAT, 3, SAT),
    ("cmlo v0.4s, v1.4s, v2.4s", {1: _lanes([1, 5, 0, 9], 32), 2: _lanes([2, 5, 1, 8], 32)}, 0,
     _lanes([-1, 0, -1, 0], 32), 0),
]


def _model(word: int, regs: dict[int, int], fpsr: int) -> tuple[int, int]:
    s = State()
    s.v = [regs.get(i, 0) for i in range(32)]
    s.fpsr = fpsr
    e, d = find(word)  # type: ignore[misc]
    e.execute(s, CONCRETE, d)
    return s.v[0], s.fpsr


def _unicorn(word: int, regs: dict[int, int], fpsr: int) -> tuple[int, int]:
    uc = unicorn.Uc(unicorn.UC_ARCH_ARM64, unicorn.UC_MODE_ARM, cpu=uc_const.UC_CPU_ARM64_MAX)
    uc.mem_map(0x10000, 0x1000)
    uc.mem_write(0x10000, word.to_bytes(4, "little"))
    for i in range(32):
        uc.reg_write(uc_const.UC_ARM64_REG_Q0 + i, regs.get(i, 0))
    uc.reg_write(uc_const.UC_ARM64_REG_FPSR, fpsr)
    uc.emu_start(0x10000, 0, count=1)
    return uc.reg_read(uc_const.UC_ARM64_REG_Q0), uc.reg_read(uc_const.UC_ARM64_REG_FPSR)


@pytest.mark.parametrize("text,regs,fpsr,v0,fpsr_after", CASES, ids=[c[0] for c in CASES])
def test_edge_values(text: str, regs: dict[int, int], fpsr: int, v0: int,
                     fpsr_after: int) -> None:
    regs = {k: v & ((1 << 128) - 1) for k, v in regs.items()}
    word = assemble_instruction(text, AsmContext(0, None))
    expected = (v0 & ((1 << 128) - 1), fpsr_after)
    assert _unicorn(word, regs, fpsr) == expected, "the hand-computed value is wrong"
    assert _model(word, regs, fpsr) == expected


NEW_CLASSES = ("simd_three_same", "simd_two_reg_misc", "simd_shift_imm", "simd_by_element",
               "simd_three_diff")


def _new_rows() -> list[tuple[object, object]]:
    """Every row of the classes that gained rows (old rows included: it costs seconds)."""
    return [(c, e) for c in classes() if c.name in NEW_CLASSES for e in c.encodings]


@pytest.mark.parametrize("cls,row", _new_rows(), ids=lambda x: getattr(x, "name", ""))
def test_row_runs_symbolically(cls, row) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(f"sym:{row.name}")
    word = random_word(row, rng)
    assert word is not None
    assert _check(word, rng, cls) == 0


MULMOD = DATA / "mlkem_mulmod.s"
Q = 3329
SENTINEL = 0xDEAD0000


def test_mlkem_style_mulmod_same_as_clang(tmp_path: Path) -> None:
    theirs = read_object(clang_object(MULMOD, tmp_path / "x.o"))
    assert_same_unit(assemble(MULMOD.read_text(), str(MULMOD)), theirs)


@pytest.mark.parametrize("seed", range(3))
def test_mlkem_style_mulmod_is_multiplication_mod_q(seed: int) -> None:
    """Barrett multiplication and reduction (SQRDMULH, MUL, MLS/SQDMULH by element, SRSHR) on
    64 coefficients: the model agrees with Unicorn after every instruction, and each result is
    a * b mod q in the centred range."""
    rng = random.Random(seed)
    n = 64
    a = [rng.randrange(-32768, 32768) for _ in range(n)]
    b = [rng.randrange(-(Q // 2), Q // 2 + 1) for _ in range(n)]
    twisted = [round(x * 2**15 / Q) for x in b]
    s = State()
    s.mem.map(0x10000, 0x1000)
    s.mem.write_bytes(0x10000, assemble_source(MULMOD.read_text(), str(MULMOD), 0x10000))
    s.mem.map(0x20000, 0x1000)
    for offset, xs in ((0x400, a), (0x600, b), (0x800, twisted)):
        s.mem.write_bytes(0x20000 + offset, struct.pack(f"<{n}h", *xs))
    s.x[:5] = [0x20000, 0x20400, 0x20600, 0x20800, n // 8]
    s.x[30], s.pc = SENTINEL, 0x10000
    report = lockstep(s, SENTINEL)
    assert report.agrees, (report.text, report.divergence)
    assert report.steps == 4 + 12 * (n // 8) + 1
    r = struct.unpack(f"<{n}h", bytes(s.mem.read_bytes(0x20000, 2 * n)))
    for x, y, z in zip(a, b, r):
        assert (z - x * y) % Q == 0 and abs(z) <= Q // 2, (x, y, z)
