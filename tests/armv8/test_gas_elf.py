"""ELF objects written by Assay (`assay arm asm FILE.s -o FILE.o`): they read back to the same
unit, ld.lld links them to the same bytes as clang's objects, and they run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.cli import main
from assay.models.armv8.elf_writer import write_object
from assay.models.armv8.gas import assemble
from assay.models.armv8.loader import load_elf, read_object

from .test_gas import DATA, EXAMPLES, assert_same_unit
from .ziglang_util import clang_object, lld_link

SOURCES = [DATA / "relocations.s", DATA / "gas_data.s", DATA / "gas_macros.s", DATA / "gas_cfi.s",
           EXAMPLES / "sha512_block.s", EXAMPLES / "aes128_expand_key.s"]


@pytest.mark.parametrize("source", [*SOURCES, DATA / "gas_sections.s"], ids=lambda p: p.name)
def test_object_reads_back(source: Path) -> None:
    unit = assemble(source.read_text(), str(source))
    assert_same_unit(read_object(write_object(unit)), unit)


# (gas_sections.s is not linked: lld merges .text.hot into .text, ignoring --section-start.)
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_object_links_like_clang(source: Path, tmp_path: Path) -> None:
    unit = assemble(source.read_text(), str(source))
    ours = tmp_path / "ours.o"
    ours.write_bytes(write_object(unit))
    theirs = clang_object(source, tmp_path / "theirs.o")
    image = load_elf(theirs, base=0x400000)
    layout = {s.name: s.address for s in image.segments}
    entry = next((s.name for s in unit.symbols if s.binding == "global" and s.section),
                 unit.symbols[0].name)
    ours_exe, theirs_exe = (load_elf(lld_link(obj, tmp_path / f"{obj.stem}.exe", layout, entry))
                            for obj in (ours, theirs))
    for seg in image.segments:
        if seg.data and not seg.name.startswith(".bss"):
            assert ours_exe.read(seg.address, len(seg.data)) == \
                theirs_exe.read(seg.address, len(seg.data)), seg.name


def test_asm_to_object_then_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    obj = tmp_path / "expand.o"
    assert main(["arm", "asm", str(EXAMPLES / "aes128_expand_key.s"), "-o", str(obj)]) == 0
    capsys.readouterr()
    key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")  # FIPS-197 appendix A.1
    state = {"x0": "0x900000", "x1": "0x910000",
             "memory": [{"address": "0x900000", "bytes": key.hex()},
                        {"address": "0x910000", "bytes": bytes(176).hex()}]}
    (tmp_path / "s.json").write_text(json.dumps(state))
    assert main(["arm", "run", "--elf", str(obj), "--function", "aes128_expand_key",
                 "--state", str(tmp_path / "s.json"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    schedule = bytes.fromhex(out["memory"][1]["bytes"])
    assert schedule[:16] == key
    assert schedule[160:176] == bytes.fromhex("d014f9a8c9ee2589e13f0cc8b6630ca6")  # w[40..43]
