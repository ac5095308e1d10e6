"""Assay's GNU-syntax assembler, checked against clang (from the ziglang package): the same
source must give the same section bytes, symbols and relocations; errors point at the line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.core.errors import AssayError, ParseError
from assay.models.armv8.gas import AssemblerError, assemble, assemble_source
from assay.models.armv8.gas_expr import Linear, evaluate
from assay.models.armv8.loader import Unit, read_object

from .ziglang_util import clang_object

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "armv8"


def assert_same_unit(ours: Unit, theirs: Unit) -> None:
    """Same allocated sections (bytes, alignment, kind), relocations and named symbols."""
    assert [s.name for s in ours.sections if s.data] == \
        [s.name for s in theirs.sections if s.data]
    for sec in theirs.sections:
        mine = ours.section(sec.name)
        if mine.data != sec.data:
            first = next(i for i in range(min(len(mine.data), len(sec.data)) + 1)
                         if mine.data[i:i + 1] != sec.data[i:i + 1])
            raise AssertionError(f"{sec.name} differs from clang first at offset 0x{first:x}: "
                                 f"{bytes(mine.data[first:first + 8]).hex()} vs "
                                 f"{bytes(sec.data[first:first + 8]).hex()}")
        assert (mine.align, mine.nobits) == (sec.align, sec.nobits), sec.name
    key = lambda r: (r.section, r.offset)  # noqa: E731
    assert sorted(ours.relocations, key=key) == sorted(theirs.relocations, key=key)
    named = lambda syms: sorted((s.name, s.section, s.offset, s.size, s.kind, s.binding)  # noqa: E731
                                for s in syms if not s.name.startswith(".L"))
    assert named(ours.symbols) == named(theirs.symbols)


@pytest.mark.parametrize("name", ["gas_data.s", "gas_insn.s", "gas_sections.s", "gas_macros.s",
                                  "gas_syntax.s", "gas_cfi.s", "relocations.s", "ldst_forms.s"])
def test_same_as_clang(name: str, tmp_path: Path) -> None:
    source = DATA / name
    theirs = read_object(clang_object(source, tmp_path / "x.o"))
    assert_same_unit(assemble(source.read_text(), str(source)), theirs)


def bundled_routines() -> list[Path]:
    return sorted(EXAMPLES.glob("*.s"))


@pytest.mark.parametrize("source", bundled_routines(), ids=lambda p: p.name)
def test_bundled_routines_same_as_clang(source: Path, tmp_path: Path) -> None:
    theirs = read_object(clang_object(source, tmp_path / "x.o"))
    assert_same_unit(assemble(source.read_text(), str(source)), theirs)


def test_bundled_routines_exist() -> None:
    assert len(bundled_routines()) >= 5, f"expected the bundled routines in {EXAMPLES}"


def test_flat_binary_links_sections() -> None:
    text = """
        .text
        .globl f
    f:  adrp x0, k
        ldr w1, [x0, :lo12:k]
        .inst 0xd65f03c0
        .section .rodata
        .p2align 2
    k:  .word 42
    """
    code = assemble_source(text, "t.s", base=0x400000)
    assert len(code) == 16
    assert int.from_bytes(code[12:16], "little") == 42
    assert int.from_bytes(code[0:4], "little") == 0x90000000  # same page
    assert int.from_bytes(code[4:8], "little") == 0xB9400001 | (12 // 4) << 10


def test_numeric_labels_and_statements() -> None:
    text = "1: .word 1b - 2f ; .word 0\n2: .word 2b - 1b // comment\n# cpp-style line\n"
    data = assemble(text).section(".text").data
    assert [int.from_bytes(data[i:i + 4], "little", signed=True) for i in (0, 4, 8)] == \
        [-8, 0, 8]


def test_expressions() -> None:
    def no_symbols(name: str) -> Linear:
        raise AssertionError(name)
    assert evaluate("1 + 2 * 3 - (8 >> 2)", no_symbols).const == 5
    assert evaluate("-(1 << 4) | 1", no_symbols).const == -15
    assert evaluate("0x10 + 010 + 0b11 + 'A'", no_symbols).const == 16 + 8 + 3 + 65
    v = evaluate("a - b + 4", lambda n: Linear.of(0, {n: 1}))
    assert v.const == 4 and v.term_dict() == {"a": 1, "b": -1}


@pytest.mark.parametrize("text, message, line", [
    ("nop\n\t.bogus 1\n", "unsupported directive .bogus", 2),
    ("\n\n\tfrobnicate x0\n", "unknown or unsupported mnemonic 'frobnicate'", 3),
    ("a:\na:\n", "symbol 'a' is already defined", 2),
    ("\t.word 1 +\n", "ends with an operator", 1),
    ("\t.word (1\n", "unbalanced", 1),
    ("\t.byte x\n", "single byte", 1),
    ("\tb 1f\n", "numeric label reference 1f has no target", 1),
    ("\t.popsection\n", "without .pushsection", 1),
    ("\t.p2align 3, 0, 1, 2\n\t.balign 3\n", "not a power of two", 2),
    ("\tadd x0, x0, #undefined_sym\n", "must be a constant", 1),
    ("\t.ascii hello\n", "string literals", 1),
    ("# 1 \"x.S\"\n#ifdef __KERNEL__\n", "C preprocessor directive", 2),
    ("nop\n\t.macro m a\n\tadd \\a, \\a, #1\n", ".macro without .endm", 2),
    ("\t.endif\n", ".endif without .if", 1),
    ("\t.macro m\n\tm\n\t.endm\n\tm\n", "does not terminate", 4),
    ("\t.macro m a:req\n\t.endm\n\tm\n", "missing value for a", 3),
    ("nop\n\t.cfi_offset x30, -8\n", "outside .cfi_startproc", 2),
    ("\t.cfi_startproc\n\tnop\n", ".cfi_startproc without .cfi_endproc", 1),
    ("\t.cfi_startproc\n\t.cfi_personality 0, foo\n", "unsupported call-frame directive", 2),
    ("\t.cfi_startproc\n\t.cfi_offset q99, 8\n", "not a register", 2),
])
def test_errors_point_at_the_line(text: str, message: str, line: int) -> None:
    with pytest.raises(AssemblerError) as info:
        assemble(text, "bad.s")
    err = info.value
    assert isinstance(err, ParseError)
    assert message in err.message
    assert err.line == line and err.source == "bad.s"
    assert str(err).startswith(f"bad.s:{line}:")


@pytest.mark.parametrize("how", ["adrp", "literal"])
def test_relocating_variants_same_as_clang(how: str, tmp_path: Path) -> None:
    from .test_loader_run import variant
    source = tmp_path / "v.s"
    source.write_text(variant((EXAMPLES / "sha256_block.s").read_text(), how))
    theirs = read_object(clang_object(source, tmp_path / "x.o"))
    assert theirs.relocations
    assert_same_unit(assemble(source.read_text(), str(source)), theirs)


FUZZ_TOKENS = [
    "nop", "ret", ".word", ".quad", ".byte", ".p2align", ".section", ".text", ".rodata", ".macro",
    ".endm", ".rept", ".endr", ".irp", ".if", ".else", ".endif", ".set", ".globl", ".size",
    ".ascii", ".inst", ".ltorg", ".req", ".fill", ".space", "ldr", "str", "ldp", "ld1", "b",
    "adrp", "add", "cbz", "movk", "b.ne", "x0", "w1", "sp", "v0.16b", "{v0.4s}", "[x0]",
    "[x1, #8]", "[sp, #-16]!", "#1", "#-3", "=", ":lo12:", ":abs_g1:", "lbl", "lbl:", "1:", "1f",
    "1b", ".", "+", "-", "*", "(", ")", ",", ";", "//", "/*", "*/", '"', "'a'", "\\a", "\\@",
    "#", "0", "65536", "foo", ".L1:", "%function", "!", "[", "]", "{", "}",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FUZZ_TOKENS), max_size=6), min_size=1, max_size=8))
def test_garbage_gives_assembler_errors_only(lines: list[list[str]]) -> None:
    """Whatever the input, the assembler returns a unit or raises an AssayError (which the
    CLI prints as a message): never another exception."""
    source = "\n".join(" ".join(tokens) for tokens in lines)
    try:
        assemble(source, "fuzz.s").link(0x10000, {"foo": 0, "lbl": 0})
    except AssayError:
        pass
