"""Every QF_BV benchmark in ../shared/smtlib parses, its canonical re-printing (the front end's
one-assert-each form and the kernel's one-conjunction form) reads back (in Assay and in z3) to
the same formula, and the inferred logic is the one the file declares."""

from __future__ import annotations

from pathlib import Path

import pytest
import z3

from assay.core import terms as T
from assay.core.query import query_text
from assay.core.smtlib import logic_of, parse_script, print_script, query_smtlib

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "smtlib"
FILES = sorted(SHARED.glob("non-incremental/QF_BV/**/*.smt2"))


def test_benchmark_folder_is_present() -> None:
    assert SHARED.is_dir(), f"the SMT-LIB benchmarks are missing: expected them in {SHARED}"
    assert len(FILES) == 48, f"expected 48 QF_BV files under {SHARED}, found {len(FILES)}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_benchmark_parses_and_round_trips(path: Path) -> None:
    text = path.read_text()
    script = parse_script(text, str(path))
    assert script.assertions, "no assertions read"
    assert script.logic == "QF_BV"
    assert logic_of(script.assertions) == script.logic
    canonical = query_smtlib(script.assertions, logic="QF_BV")
    assert parse_script(canonical).assertions == script.assertions
    assert parse_script(print_script(script)).assertions == script.assertions
    assert parse_script(query_text(script.assertions)).assertions == [T.And(*script.assertions)]
    assert query_smtlib(script.assertions) == canonical  # QF_BV is what it infers, too
    # z3 reads the canonical text: one conjunct per assertion
    assert len(z3.parse_smt2_string(canonical)) == len(script.assertions)
