"""The hint space (isa_hint.py): every CRm:op2 value decodes, prints as capstone prints it,
assembles back (by name and as `hint #n`), and runs as Unicorn runs it; the FEAT_PAuth hints
stop the run unless the state models a CPU without FEAT_PAuth (`--pauth-as-nop`)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from assay.cli import main
from assay.models.armv8.asm import assemble_instruction
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.isa_hint import PAUTH
from assay.models.armv8.machine import Machine
from assay.models.armv8.registry import find
from assay.models.armv8.state import State

HINT0 = 0xD503201F
WORDS = [HINT0 | (imm << 5) for imm in range(128)]
PAUTH_WORDS = {HINT0 | (imm << 5) for _, imm in PAUTH}


def test_every_hint_number_decodes_into_the_hint_class() -> None:
    for w in WORDS:
        r = find(w)
        assert r is not None and r[0].cls is not None and r[0].cls.name == "hint", hex(w)
    assert len(PAUTH_WORDS) == 13


def test_disassembly_agrees_with_capstone() -> None:
    import capstone
    cs = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    for w in WORDS:
        i = next(cs.disasm(w.to_bytes(4, "little"), 0x1000))
        assert disassemble(w, 0x1000) == f"{i.mnemonic} {i.op_str}".strip(), hex(w)


def test_round_trip_by_name_and_by_number() -> None:
    for imm, w in enumerate(WORDS):
        assert assemble_instruction(disassemble(w)) == w, disassemble(w)
        assert assemble_instruction(f"hint #{imm}") == w
        assert assemble_instruction(f"hint #0x{imm:x}") == w
    assert assemble_instruction("bti") == 0xD503241F
    assert assemble_instruction("psb csync") == 0xD503223F


@pytest.mark.parametrize("text", ["hint #128", "hint #-1", "psb", "bti x", "nop x0",
                                  "paciasp x30"])
def test_bad_hint_operands_are_refused(text: str) -> None:
    from assay.models.armv8.asm import AsmError
    with pytest.raises(AsmError):
        assemble_instruction(text)


def _run_one(word: int, pauth_as_nop: bool) -> State:
    s = State()
    s.pauth_as_nop = pauth_as_nop
    s.mem.map(0x1000, 0x1000)
    s.mem.write(0x1000, 4, word)
    s.pc = 0x1000
    s.x = [0x0123_4567_89AB_CDEF * (i + 1) & (1 << 64) - 1 for i in range(32)]
    s.nzcv = 0b1010
    Machine(s).run(max_steps=1)
    return s


def test_pauth_hints_stop_the_run_by_default() -> None:
    for w in sorted(PAUTH_WORDS):
        s = _run_one(w, pauth_as_nop=False)
        ref = _run_one(HINT0, pauth_as_nop=False)
        assert s.error is not None and s.error.kind == "unsupported", hex(w)
        assert s.error.message.startswith(f"unsupported instruction 0x{w:08x} at pc 0x1000: ")
        assert "--pauth-as-nop" in s.error.message
        assert s.pc == 0x1000 and s.x == ref.x and s.nzcv == ref.nzcv


def test_every_hint_is_a_nop_on_a_cpu_without_pauth() -> None:
    ref = _run_one(HINT0, pauth_as_nop=False)
    assert ref.error is None and ref.pc == 0x1004
    for w in WORDS:
        s = _run_one(w, pauth_as_nop=True)
        assert s.error is None and s.pc == 0x1004 and s.x == ref.x and s.nzcv == ref.nzcv
        if w not in PAUTH_WORDS:  # the others never depend on the option
            s = _run_one(w, pauth_as_nop=False)
            assert s.error is None and s.pc == 0x1004 and s.x == ref.x, hex(w)


def test_unicorn_agrees_on_every_hint_number() -> None:
    """Conformance for every CRm:op2 with X16/X17/X30/SP holding signed-looking pointers
    (top bits set) as well as random values: Unicorn's MAX CPU, whose PAuth keys are
    disabled, changes no register for any hint, as the model's NOP reading says."""
    import unicorn  # noqa: F401  (an oracle from the test extra)

    from assay.models.armv8.conform import Campaign, random_case
    from assay.models.armv8.registry import class_named
    campaign = Campaign()
    rng = random.Random(4)
    cls = class_named("hint")
    for w in WORDS:
        for top in (0, 0xFFFF, 0x00FF, 0x1234, 0x0080):
            case = random_case(cls, rng)
            case.word = w
            for r in (16, 17, 30, 31):
                case.x[r] = (top << 48) | (case.x[r] & ((1 << 48) - 1))
            assert campaign.check(case) == [], (hex(w), hex(top))


def test_cli_pauth_as_nop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    words = [assemble_instruction(t) for t in ("paciasp", "add x0, x0, #1", "autiasp", "ret")]
    binary = tmp_path / "f.bin"
    binary.write_bytes(b"".join(w.to_bytes(4, "little") for w in words))
    assert main(["arm", "run", "--bin", str(binary), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "unsupported" and "paciasp needs pointer authentication" \
        in out["error"]
    assert main(["arm", "run", "--bin", str(binary), "--json", "--pauth-as-nop"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "returned" and out["x0"] == "0x1" and out["steps"] == 4
