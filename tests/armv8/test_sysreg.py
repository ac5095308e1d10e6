"""System registers (isa_sysreg.py): MRS/MSR of NZCV, FPCR, FPSR, TPIDR_EL0 and the FEAT_FlagM
flag instructions agree with Unicorn (implemented FPCR/FPSR bits included) and capstone; every
other system register and every MSR (immediate) decodes, prints as capstone prints it, and stops
the run as unsupported; `assay arm run --state` takes and prints the new registers."""

from __future__ import annotations

import json
import random
from pathlib import Path

import capstone
import pytest
import unicorn
from unicorn import arm64_const as uc_const

from assay.cli import main
from assay.models.armv8.asm import assemble_instruction
from assay.models.armv8.conform import Campaign, random_case
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.gas import assemble
from assay.models.armv8.isa_sysreg import FPCR_MASK, FPSR_MASK, MODELLED, OTHER_NAMES
from assay.models.armv8.loader import read_object
from assay.models.armv8.machine import Machine
from assay.models.armv8.registry import class_named
from assay.models.armv8.state import State

from .test_gas import assert_same_unit
from .ziglang_util import clang_object

DATA = Path(__file__).parent / "data"
ONES = (1 << 64) - 1


def mrs(op0: int, op1: int, crn: int, crm: int, op2: int, rt: int = 0) -> int:
    return 0xD5300000 | (op0 & 1) << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt


def msr(op0: int, op1: int, crn: int, crm: int, op2: int, rt: int = 0) -> int:
    return mrs(op0, op1, crn, crm, op2, rt) & ~(1 << 21)


def capstone_text(word: int) -> str:
    md = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    for i in md.disasm(word.to_bytes(4, "little"), 0x1000):
        return f"{i.mnemonic} {i.op_str}".strip()
    return ""


def run_model(words: list[int], **regs: int) -> State:
    s = State()
    s.mem.map(0x1000, 0x1000)
    for k, w in enumerate(words):
        s.mem.write(0x1000 + 4 * k, 4, w)
    s.pc = 0x1000
    for name, value in regs.items():
        if name.startswith("x"):
            s.x[int(name[1:])] = value
        else:
            setattr(s, name, value)
    Machine(s).run(max_steps=len(words))
    return s


def run_unicorn(words: list[int], x1: int) -> tuple[int, int, int, int]:
    uc = unicorn.Uc(unicorn.UC_ARCH_ARM64, unicorn.UC_MODE_ARM, cpu=uc_const.UC_CPU_ARM64_MAX)
    uc.mem_map(0x1000, 0x1000)
    uc.mem_write(0x1000, b"".join(w.to_bytes(4, "little") for w in words))
    uc.reg_write(uc_const.UC_ARM64_REG_X1, x1)
    uc.reg_write(uc_const.UC_ARM64_REG_NZCV, 0)  # the model's initial flags (Unicorn's: Z)
    uc.emu_start(0x1000, 0x1000 + 4 * len(words))
    return (uc.reg_read(uc_const.UC_ARM64_REG_X0), uc.reg_read(uc_const.UC_ARM64_REG_FPCR),
            uc.reg_read(uc_const.UC_ARM64_REG_FPSR), uc.reg_read(uc_const.UC_ARM64_REG_NZCV))


@pytest.mark.parametrize("value", [ONES, 0x5555555555555555, 0xAAAAAAAAAAAAAAAA, 0x1234])
@pytest.mark.parametrize("reg", MODELLED, ids=lambda r: r[0])
def test_write_then_read_agrees_with_unicorn(reg: tuple, value: int) -> None:  # type: ignore[type-arg]
    name, *fields = reg
    words = [msr(*fields, rt=1), mrs(*fields, rt=0)]  # type: ignore[arg-type]
    s = run_model(words, x1=value)
    x0, fpcr, fpsr, nzcv = run_unicorn(words, value)
    assert s.error is None and s.x[0] == x0, name
    assert (s.fpcr, s.fpsr, s.nzcv) == (fpcr, fpsr, nzcv >> 28)


def test_implemented_bits_are_unicorns() -> None:
    s = run_model([msr(3, 3, 4, 4, 0, 1), msr(3, 3, 4, 4, 1, 1)], x1=ONES)
    assert (s.fpcr, s.fpsr) == (FPCR_MASK, FPSR_MASK) == (0x07FF0000, 0xF800009F)
    s = run_model([mrs(3, 3, 4, 2, 0, 5), mrs(3, 3, 13, 0, 2, 31)], nzcv=0b1010, tpidr_el0=7)
    assert s.x[5] == 0xA0000000 and s.error is None  # xzr destination: nothing written


def test_flag_manipulation_agrees_with_unicorn_on_every_nzcv() -> None:
    campaign = Campaign()
    rng = random.Random(3)
    for word in (0xD500401F, 0xD500403F, 0xD500405F):  # cfinv, xaflag, axflag
        for nzcv in range(16):
            case = random_case(class_named("sysreg"), rng)
            case.word, case.nzcv = word, nzcv
            assert not campaign.check(case), (disassemble(word), nzcv)


def test_named_registers_print_as_capstone_prints_them() -> None:
    for name, *fields in MODELLED + OTHER_NAMES:
        for word in (mrs(*fields, rt=3), msr(*fields, rt=3)):  # type: ignore[arg-type]
            assert disassemble(word) == capstone_text(word), name
            assert assemble_instruction(disassemble(word)) == word
    unnamed = [mrs(3, 3, 15, 2, 0), msr(3, 0, 15, 2, 7, 11), mrs(2, 1, 11, 3, 6)]
    for word in unnamed:
        text = disassemble(word)
        assert "_c" in text and assemble_instruction(text) == word, text
    assert disassemble(unnamed[0]) == capstone_text(unnamed[0]) == "mrs x0, s3_3_c15_c2_0"
    assert assemble_instruction("mrs x0, S3_3_C4_C2_0") == mrs(3, 3, 4, 2, 0)


def test_msr_immediate_prints_as_capstone_prints_it() -> None:
    for op1 in range(8):
        for op2 in range(8):
            for crm in (0, 1, 5, 15):
                word = 0xD500401F | op1 << 16 | crm << 8 | op2 << 5
                theirs, ours = capstone_text(word), disassemble(word)
                if theirs.startswith("msr "):
                    assert ours == theirs, hex(word)
                    assert assemble_instruction(ours) == word
    assert assemble_instruction("msr pan, #1") == 0xD500419F
    assert assemble_instruction("msr uao, #0") == 0xD500407F


@pytest.mark.parametrize("word, what", [
    (mrs(3, 3, 14, 0, 2), "unsupported system register cntvct_el0"),
    (mrs(3, 0, 0, 0, 0), "unsupported system register midr_el1"),
    (mrs(3, 3, 0, 0, 7), "unsupported system register dczid_el0"),
    (mrs(3, 3, 2, 4, 0), "unsupported system register rndr"),
    (msr(3, 3, 4, 2, 1), "unsupported system register daif"),
    (mrs(3, 3, 15, 2, 0), "unsupported system register s3_3_c15_c2_0"),
    (0xD5034FDF, "unsupported PSTATE field daifset"),
    (0xD503415F, "unsupported PSTATE field dit"),
    (0xD500419F, "unsupported PSTATE field pan"),
    (0xD500459F, "unsupported PSTATE field s0_0_c4_c5_4"),
])
def test_other_registers_stop_the_run(word: int, what: str) -> None:
    s = run_model([word], x0=5, nzcv=3)
    assert s.error is not None and s.error.kind == "unsupported"
    assert s.error.message == f"unsupported instruction 0x{word:08x} at pc 0x1000: {what}"
    assert s.pc == 0x1000 and s.x[0] == 5 and s.nzcv == 3


def test_same_bytes_as_clang(tmp_path: Path) -> None:
    source = DATA / "sysreg.s"
    theirs = read_object(clang_object(source, tmp_path / "x.o"))
    assert_same_unit(assemble(source.read_text(), str(source)), theirs)


def test_run_state_keys_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = b"".join(w.to_bytes(4, "little") for w in (
        mrs(3, 3, 4, 4, 0, 0), msr(3, 3, 13, 0, 2, 0), mrs(3, 3, 4, 4, 1, 1),
        msr(3, 3, 4, 4, 1, 31), 0xD65F03C0))  # mrs x0, fpcr; msr tpidr_el0, x0; ...; ret
    (tmp_path / "f.bin").write_bytes(code)
    state = {"fpcr": "0x3000000", "fpsr": "0x8000001", "tpidr_el0": "0x77"}
    (tmp_path / "s.json").write_text(json.dumps(state))
    assert main(["arm", "run", "--bin", str(tmp_path / "f.bin"), "--state",
                 str(tmp_path / "s.json"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "returned"
    assert (out["x0"], out["x1"]) == ("0x3000000", "0x8000001")
    assert (out["fpcr"], out["fpsr"], out["tpidr_el0"]) == ("0x3000000", "0x0", "0x3000000")


def test_run_state_refuses_unimplemented_bits(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f.bin").write_bytes((0xD65F03C0).to_bytes(4, "little"))
    (tmp_path / "s.json").write_text(json.dumps({"fpcr": "0x1"}))
    code = main(["arm", "run", "--bin", str(tmp_path / "f.bin"), "--state",
                 str(tmp_path / "s.json")])
    assert code != 0
    assert "fpcr = 0x1 sets bits 0x1" in capsys.readouterr().err


def test_lockstep_compares_the_system_registers() -> None:
    from assay.models.armv8.asm import assemble_lines
    from assay.models.armv8.lockstep import lockstep
    text = """mrs x0, fpcr
        orr x0, x0, #0x1000000
        msr fpcr, x0
        msr fpsr, x6
        msr tpidr_el0, x1
        mrs x2, tpidr_el0
    retry:
        ldaxr x3, [x4]
        add x3, x3, #1
        stlxr w5, x3, [x4]
        cbnz w5, retry
        cfinv
        clrex
        dmb ish"""
    code = assemble_lines(text, 0x1000)
    s = State()
    s.mem.map(0x1000, 0x2000)
    s.mem.write_bytes(0x1000, code)
    s.pc, s.x[1], s.x[4], s.x[6] = 0x1000, 0xFEED, 0x2000, ONES
    report = lockstep(s, 0x1000 + len(code), 100)
    assert report.agrees, report.divergence
    assert report.steps == 13
    assert (s.fpcr, s.fpsr, s.tpidr_el0, s.x[2]) == (0x1000000, FPSR_MASK, 0xFEED, 0xFEED)
    assert s.mem.read(0x2000, 8) == 1 and s.nzcv == 0b0010


def test_lockstep_sees_a_wrong_fpsr() -> None:
    from assay.models.armv8 import isa_sysreg
    from assay.models.armv8.lockstep import lockstep
    s = State()
    s.mem.map(0x1000, 0x1000)
    s.mem.write(0x1000, 4, msr(3, 3, 4, 4, 1, 6))
    s.pc, s.x[6] = 0x1000, ONES
    saved = isa_sysreg.FPSR_MASK
    isa_sysreg.FPSR_MASK = ONES  # a model that keeps RES0 bits
    try:
        report = lockstep(s, 0x1004, 10)
    finally:
        isa_sysreg.FPSR_MASK = saved
    assert report.divergence and report.divergence[0].startswith("fpsr: ")
