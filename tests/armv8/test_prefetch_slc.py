"""Prefetch operations on the system level cache (FEAT_PRFMSLC, target 0b11): the assembler
takes their names in every PRFM/PRFUM form with clang's bytes; the disassembler prints them as
`#imm5` (see operands_mem.PrfOp for why), which clang assembles back to the same word."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.models.armv8.asm import assemble_instruction
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.gas import assemble
from assay.models.armv8.loader import read_object
from assay.models.armv8.operands import fmt_imm

from .test_gas import assert_same_unit
from .ziglang_util import clang_object, clang_words

DATA = Path(__file__).parent / "data"
NAMES = {"pldslckeep": 6, "pldslcstrm": 7, "plislckeep": 14, "plislcstrm": 15,
         "pstslckeep": 22, "pstslcstrm": 23}


@pytest.mark.parametrize("name, prfop", NAMES.items())
def test_names_encode_target_slc(name: str, prfop: int) -> None:
    word = assemble_instruction(f"prfm {name}, [x3]")
    assert word == 0xF9800060 | prfop  # PRFM (immediate), Rn = x3, Rt = prfop
    assert disassemble(word) == f"prfm {fmt_imm(prfop)}, [x3]"
    assert assemble_instruction(disassemble(word)) == word


def test_printed_numbers_are_what_clang_assembles() -> None:
    words = [assemble_instruction(f"prfm {name}, [x3]") for name in NAMES]
    words += [assemble_instruction(f"prfum {name}, [x3, #-3]") for name in NAMES]
    assert clang_words([disassemble(w) for w in words]) == words


def test_same_bytes_as_clang(tmp_path: Path) -> None:
    source = DATA / "prefetch_slc.s"
    theirs = read_object(clang_object(source, tmp_path / "x.o"))
    assert_same_unit(assemble(source.read_text(), str(source)), theirs)
