"""The run loop's stop conditions and the `assay arm` commands end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.cli import main
from assay.models.armv8.asm import AsmError, assemble_instruction, assemble_lines
from assay.models.armv8.machine import Machine
from assay.models.armv8.state import State

LOOP = """
    mov x2, #10          // count down, summing x1 into x0
top:
    add x0, x0, x1
    subs x2, x2, #1
    b.ne top
    ret
"""


def _state(code: bytes, base: int = 0x1000) -> State:
    s = State()
    s.mem.map(base, len(code))
    s.mem.write_bytes(base, code)
    s.pc = base
    s.x[30] = 0xDEAD0000
    return s


def test_loop_runs_to_the_sentinel() -> None:
    s = _state(assemble_lines(LOOP, 0x1000))
    s.x[1] = 7
    assert Machine(s).run(stop_pc=0xDEAD0000) is None
    assert s.x[0] == 70 and s.pc == 0xDEAD0000 and s.steps == 1 + 3 * 10 + 1


def test_unsupported_instruction_stops_the_run_without_changing_state() -> None:
    code = assemble_lines("add x0, x0, #1\n.inst 0x00000000\nadd x0, x0, #1\n", 0x1000)
    s = _state(code)
    err = Machine(s).run(max_steps=10)
    assert err is not None and err.kind in ("unsupported", "illegal")
    assert err.message == "unsupported instruction 0x00000000 at pc 0x1004"
    assert s.x[0] == 1 and s.pc == 0x1004


def test_fetch_and_memory_faults() -> None:
    s = _state(assemble_lines("ldr x0, [x1]\n", 0x1000)) if _has("ldr x0, [x1]") else None
    if s is not None:
        s.x[1] = 0x9999000
        err = Machine(s).run(max_steps=1)
        assert err is not None and err.kind == "fault"
    s = _state(assemble_lines("br x3\n", 0x1000))
    s.x[3] = 0x5000
    err = Machine(s).run(max_steps=5)
    assert err is not None and err.kind == "fault" and s.pc == 0x5000 and s.steps == 1


def _has(text: str) -> bool:
    try:
        assemble_instruction(text)
    except AsmError:
        return False
    return True


def test_self_modifying_code_is_redecoded() -> None:
    s = _state(assemble_lines("add x0, x0, #1\nret\n", 0x1000))
    m = Machine(s)
    m.run(stop_pc=0xDEAD0000)
    s.mem.write(0x1000, 4, assemble_instruction("add x0, x0, #5"))
    s.pc = 0x1000
    m.run(stop_pc=0xDEAD0000)
    assert s.x[0] == 6


def test_assembler_reports_bad_operands() -> None:
    with pytest.raises(AsmError, match="cannot encode"):
        assemble_instruction("add x0, x1, #5000")
    with pytest.raises(AsmError, match="unknown or unsupported mnemonic"):
        assemble_instruction("frobnicate x0")


def test_cli_asm_disasm_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "loop.s"
    src.write_text(LOOP)
    binary = tmp_path / "loop.bin"
    assert main(["arm", "asm", str(src), "-o", str(binary), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["bytes"] == 20
    assert main(["arm", "disasm", str(binary), "--json"]) == 0
    texts = [r["text"] for r in json.loads(capsys.readouterr().out)]
    assert texts[0] == "mov x2, #0xa" and texts[-1] == "ret"
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"x1": "0x3", "memory": [{"address": "0x20000",
                                                          "bytes": "00112233"}]}))
    assert main(["arm", "run", "--bin", str(binary), "--state", str(state), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["x0"] == "0x1e" and out["status"] == "returned"
    assert out["memory"] == [{"address": "0x20000", "bytes": "00112233"}]


def test_cli_errors_are_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.s"
    bad.write_text("add x0, x1, #99999\n")
    assert main(["arm", "asm", str(bad)]) == 2
    assert "cannot encode" in capsys.readouterr().err
    assert main(["arm", "disasm", "--hex", "zz"]) == 2


def test_cli_coverage_and_conform(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["arm", "coverage", "--json"]) == 0
    cov = json.loads(capsys.readouterr().out)
    names = {c["class"] for c in cov["classes"]}
    assert {"addsub_imm", "branch", "dp_reg", "bitfield"} <= names
    import unicorn  # noqa: F401  (an oracle from the test extra)
    assert main(["arm", "conform", "--class", "addsub_imm", "--count", "50", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tests"] == {"addsub_imm": 50}


def test_lockstep_agrees_and_catches_a_wrong_semantics(monkeypatch: pytest.MonkeyPatch) -> None:
    import unicorn  # noqa: F401  (an oracle from the test extra)

    from assay.models.armv8 import isa_addsub_imm
    from assay.models.armv8.lockstep import lockstep
    s = _state(assemble_lines(LOOP, 0x1000))
    s.mem.map(0x80000, 0x1000)
    s.x[1], s.x[31] = 5, 0x80800
    report = lockstep(s, 0xDEAD0000)
    assert report.agrees and report.steps == 32 and s.x[0] == 50

    real = isa_addsub_imm.execute

    def off_by_one(st, o, d):  # type: ignore[no-untyped-def]
        real(st, o, d)
        if d.S:
            st.nzcv ^= 0b0100  # flip Z: SUBS now lies about zero
    for e in isa_addsub_imm.CLASS.encodings:
        monkeypatch.setattr(e, "execute", off_by_one)
    s = _state(assemble_lines(LOOP, 0x2000), 0x2000)
    s.mem.map(0x80000, 0x1000)
    report = lockstep(s, 0xDEAD0000)
    assert not report.agrees and report.steps == 2 and "nzcv" in report.divergence[0]
