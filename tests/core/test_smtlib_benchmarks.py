"""Every QF_BV benchmark in ../shared/smtlib parses, and its canonical re-printing reads back
(in Assay and in z3) to the same formula."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import z3

from assay.core.smtlib import parse_script, print_script, query_smtlib

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "smtlib"
FILES = sorted(SHARED.glob("non-incremental/QF_BV/**/*.smt2"))


def test_benchmark_folder_is_present() -> None:
    assert SHARED.is_dir(), f"the SMT-LIB benchmarks are missing: expected them in {SHARED}"
    assert len(FILES) == 48, f"expected 48 QF_BV files under {SHARED}, found {len(FILES)}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_benchmark_parses_and_round_trips(path: Path) -> None:
    text = path.read_text()
    start = time.perf_counter()
    script = parse_script(text, str(path))
    seconds = time.perf_counter() - start
    assert script.assertions, "no assertions read"
    assert script.logic == "QF_BV"
    assert seconds < 30, f"parsing took {seconds:.1f}s"
    canonical = query_smtlib(script.assertions, logic="QF_BV")
    assert parse_script(canonical).assertions == script.assertions
    assert parse_script(print_script(script)).assertions == script.assertions
    # z3 reads the canonical text: one conjunct per assertion
    assert len(z3.parse_smt2_string(canonical)) == len(script.assertions)
