"""`assay arm run --elf FILE --base ADDR` loads a relocatable object at ADDR (relocations
resolved there), and `--bin` honours `--base` too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.cli import main
from assay.models.armv8.gas import assemble_object
from assay.models.armv8.loader import DEFAULT_BASE

# f returns its own address (ADR) and the address of a .rodata word (ADRP + ADD, resolved by
# the loader) and the word itself, so every figure depends on where the object was placed.
SOURCE = """\
\t.text
\t.globl f
f:\tadr x0, f
\tadrp x1, datum
\tadd x1, x1, :lo12:datum
\tldr x2, [x1]
\tret
\t.section .rodata
\t.p2align 3
datum:\t.quad 0x1122334455667788
"""


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("base", [None, 0x200000, 0x7654000])
def test_run_elf_object_at_base(base: int | None, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    obj = tmp_path / "f.o"
    obj.write_bytes(assemble_object(SOURCE, "f.s"))
    extra = [] if base is None else ["--base", hex(base)]
    out = _run(["arm", "run", "--elf", str(obj), "--function", "f", "--json", *extra], capsys)
    where = DEFAULT_BASE if base is None else base
    assert out["status"] == "returned"
    assert int(out["x0"], 16) == where  # .text is laid out first, f at its start
    assert where < int(out["x1"], 16) < where + 0x10000
    assert int(out["x2"], 16) == 0x1122334455667788


def test_run_bin_at_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "f.bin"
    binary.write_bytes(bytes.fromhex("00000010c0035fd6"))  # adr x0, .; ret
    out = _run(["arm", "run", "--bin", str(binary), "--base", "0x123000", "--json"], capsys)
    assert out["status"] == "returned" and int(out["x0"], 16) == 0x123000
    out = _run(["arm", "run", "--bin", str(binary), "--json"], capsys)
    assert int(out["x0"], 16) == 0x400000  # the documented default for --bin
