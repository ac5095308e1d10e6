"""ELF/raw/hex loading. Relocations are checked against ld.lld (from the ziglang package): an
object built by clang is loaded by Assay and linked by lld at the same section addresses, and
every allocated section must have the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.core.errors import AssayError
from assay.models.armv8 import reloc
from assay.models.armv8.loader import (
    LoadError,
    load_elf,
    load_hex_words,
    load_raw,
    parse_hex_words,
)

from .ziglang_util import clang_object, lld_link

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def relocation_object(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("loader") / "relocations.o"
    return clang_object(DATA / "relocations.s", out)


def test_raw_and_hex_words() -> None:
    image = load_raw(b"\x1f\x20\x03\xd5\xc0\x03\x5f\xd6", base=0x4000)
    assert image.address_of("code") == 0x4000
    assert image.words(0x4000, 0x4008) == [0xD503201F, 0xD65F03C0]
    hexed = load_hex_words("d503201f 0xd65f03c0 // nop; ret\n", base=0x4000)
    assert hexed.segments[0].data == image.segments[0].data
    with pytest.raises(LoadError, match="not a 32-bit hex word"):
        parse_hex_words("d503201f xyz")


@pytest.mark.parametrize("base", [0x20000, 0x7FF000, 0x40000000])
def test_relocations_match_lld(relocation_object: Path, tmp_path: Path, base: int) -> None:
    image = load_elf(relocation_object, base=base)
    sections = {s.name: s.address for s in image.segments}
    assert set(sections) >= {".text", ".rodata", ".data"}
    linked = lld_link(relocation_object, tmp_path / "linked", sections, "entry")
    from elftools.elf.elffile import ELFFile
    with open(linked, "rb") as fh:
        elf = ELFFile(fh)
        for seg in image.segments:
            theirs = elf.get_section_by_name(seg.name)
            assert theirs["sh_addr"] == seg.address, seg.name
            assert theirs.data() == bytes(seg.data), f"{seg.name} differs from lld's link"
    # the executable lld produced loads too, with the same symbol addresses
    exe = load_elf(linked)
    for name in ("entry", "helper", "table", "far_data"):
        assert exe.address_of(name) == image.address_of(name)
    assert exe.entry == image.address_of("entry")
    assert exe.read(image.address_of("table"), 16) == image.read(image.address_of("table"), 16)


def test_symbols_and_function_range(relocation_object: Path) -> None:
    image = load_elf(relocation_object, base=0x10000)
    entry = image.symbols["entry"]
    assert entry.kind == "func" and entry.binding == "global"
    assert image.function_range("entry") == (entry.address, entry.address + entry.size)
    assert image.function_range("helper")[0] == image.address_of("helper")
    with pytest.raises(LoadError, match="no symbol named 'nope'"):
        image.address_of("nope")


def test_undefined_symbol_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "undef.s"
    src.write_text("\t.text\n\t.globl f\nf:\tbl external_function\n\tret\n")
    obj = clang_object(src, tmp_path / "undef.o")
    with pytest.raises(LoadError, match="undefined symbol 'external_function'"):
        load_elf(obj)
    image = load_elf(obj, base=0x10000, externals={"external_function": 0x10100})
    word = image.words(0x10000, 0x10004)[0]
    assert word == 0x94000000 | (0x100 >> 2)  # bl +0x100


def test_not_aarch64_or_not_elf(tmp_path: Path) -> None:
    src = tmp_path / "x86.s"
    src.write_text("\t.text\n\tnop\n")
    obj = tmp_path / "x86.o"
    from .ziglang_util import _run, require_ziglang
    require_ziglang()
    _run(["cc", "-c", "-target", "x86_64-linux-gnu", "-x", "assembler", str(src), "-o",
          str(obj)])
    with pytest.raises(LoadError, match="not a little-endian 64-bit AArch64"):
        load_elf(obj)
    with pytest.raises(LoadError, match="malformed ELF"):
        load_elf(b"\x7fELF" + bytes(60))
    with pytest.raises(LoadError, match="cannot read"):
        load_elf(tmp_path / "missing.o")


def test_relocation_range_checks() -> None:
    buf = bytearray(4)
    with pytest.raises(reloc.RelocationError, match="does not fit"):
        reloc.apply(buf, 0, reloc.R_AARCH64_CONDBR19, 0x10000 + (1 << 20), 0x10000)
    with pytest.raises(reloc.RelocationError, match="not aligned to 8 bytes"):
        reloc.apply(buf, 0, reloc.R_AARCH64_LDST64_ABS_LO12_NC, 0x1004, 0)
    with pytest.raises(reloc.RelocationError, match="unsupported relocation"):
        reloc.apply(buf, 0, 1031, 0, 0)  # R_AARCH64_RELATIVE: dynamic, not static
    assert issubclass(reloc.RelocationError, AssayError)
    reloc.apply(buf, 0, reloc.R_AARCH64_JUMP26, 0x10000 - 8, 0x10000)
    assert int.from_bytes(buf, "little") == 0x03FFFFFE


def test_undefined_weak_symbol_is_zero(tmp_path: Path) -> None:
    src = tmp_path / "weak.s"
    src.write_text("\t.text\n\t.weak hook\n\t.globl f\nf:\tldr x0, =hook\n\tret\n")
    image = load_elf(clang_object(src, tmp_path / "weak.o"), base=0x10000)
    literal = image.words(0x10008, 0x10010)
    assert literal == [0, 0]
    from assay.models.armv8.gas import assemble
    ours = assemble(src.read_text()).link(0x10000)
    assert ours.words(0x10000, 0x10010) == image.words(0x10000, 0x10010)


def test_position_independent_executable_is_relocated(tmp_path: Path) -> None:
    """A PIE linked by lld: loaded at a base of our choice, R_AARCH64_RELATIVE applied, and
    the code that reads its address table sees the moved addresses."""
    from assay.models.armv8.loader import load_function_into
    from assay.models.armv8.machine import Machine
    from assay.models.armv8.state import Memory, State

    from .ziglang_util import _run
    src = tmp_path / "pie.s"
    src.write_text("\t.text\n\t.globl entry\n\t.type entry, %function\nentry:\n"
                   "\tadrp x0, table\n\tadd x0, x0, :lo12:table\n\tldr x1, [x0]\n"
                   "\tldr x2, [x0, #8]\n\tret\n"
                   "\t.section .data.rel.ro,\"aw\"\n\t.p2align 3\n"
                   "table:\t.quad entry, table + 16, 7\n")
    obj = clang_object(src, tmp_path / "pie.o")
    pie = tmp_path / "pie"
    _run(["ld.lld", "-m", "aarch64linux", "-pie", "--no-relax", "-e", "entry", str(obj),
          "-o", str(pie)])
    for base in (0x10000, 0x5550000):
        image = load_elf(pie, base=base)
        entry, table = image.address_of("entry"), image.address_of("table")
        assert entry >= base and image.entry == entry
        assert image.words(table, table + 16) == [entry, 0, table + 16, 0]
        s = State(Memory())
        s.pc = load_function_into(pie, "entry", s, base=base)
        s.x[30] = 0xFFFF0000
        Machine(s).run(max_steps=100, stop_pc=0xFFFF0000)
        assert s.error is None and (s.x[0], s.x[1], s.x[2]) == (table, entry, table + 16)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_corrupt_objects_give_load_errors_only(relocation_object: Path, data: st.DataObject) -> None:
    """Random byte corruption or truncation of a clang object: a loaded image or a LoadError,
    never another exception."""
    raw = bytearray(relocation_object.read_bytes())
    for _ in range(data.draw(st.integers(1, 6), label="edits")):
        raw[data.draw(st.integers(0, len(raw) - 1), label="at")] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[:data.draw(st.integers(0, len(raw)), label="length")]
    try:
        load_elf(bytes(raw), base=0x10000)
    except LoadError:
        pass
    except AssayError:
        pass  # e.g. a relocation whose corrupted value does not fit
