"""`assay smt`: solver-like output, model confirmation, errors and exit codes.

The driver is tested with scripted fake backends (so a wrong model can be injected), and the
command end to end with the real z3 and sat backends."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from assay.core.backend import Result, Status
from assay.core.errors import SolverError
from assay.core.smtlib.driver import run_smt
from assay.core.sorts import BOOL, BVSort
from assay.core.term import FunctionSymbol
from assay.core.terms import Var
from assay.core.values import FuncValue

SCRIPT = """(set-logic QF_UFBV)
(declare-const x (_ BitVec 8))
(declare-fun f ((_ BitVec 8)) (_ BitVec 8))
(define-fun inc ((y (_ BitVec 8))) (_ BitVec 8) (bvadd y #x01))
(assert (! (bvugt (inc x) #x10) :named big))
(assert (= (f x) #x42))
(check-sat)
(get-value (x (f x) (inc x) big))
(get-model)
(echo "between")
(assert (= x #x00))
(check-sat)
(get-model)
"""
X = Var("x", BVSort(8))
F = FunctionSymbol.get("f", (BVSort(8),), BVSort(8))


class Scripted:
    """A backend that replays fixed answers and records what it was asked."""

    name = "scripted"

    def __init__(self, answers: list[Result]) -> None:
        self.answers = answers
        self.calls: list[tuple[int, float | None, Path | None]] = []

    def check(self, assertions, *, timeout=None, certify_dir=None) -> Result:
        self.calls.append((len(assertions), timeout, certify_dir))
        return self.answers.pop(0)


def run(text: str, backend: Scripted, tmp_path: Path, **kw) -> tuple[int, str, str]:
    path = tmp_path / "in.smt2"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    code = run_smt(path, out=out, err=err, backend_factory=lambda: backend, **kw)
    return code, out.getvalue(), err.getvalue()


def test_sat_model_values_then_unsat(tmp_path: Path) -> None:
    good = {X: 0x20, F: FuncValue.make(0, {(0x20,): 0x42})}
    backend = Scripted([Result(Status.SAT, "scripted", model=good),
                        Result(Status.UNSAT, "scripted")])
    code, out, err = run(SCRIPT, backend, tmp_path, timeout=5.0)
    lines = out.splitlines()
    assert lines[0] == "sat"
    assert lines[1:5] == ["((x #x20)", " ((f x) #x42)", " ((inc x) #x21)", " (big true))"]
    assert "(define-fun x () (_ BitVec 8) #x20)" in out
    assert "(define-fun f ((x!0 (_ BitVec 8))) (_ BitVec 8) (ite (= x!0 #x20) #x42 #x00))" \
        in out
    assert "between\nunsat\n(error" in out  # get-model after unsat is an error
    assert code == 1 and err == ""
    assert backend.calls == [(2, 5.0, None), (3, 5.0, None)]


def test_a_model_that_does_not_check_is_never_sat(tmp_path: Path) -> None:
    bad = {X: 0x05, F: FuncValue.make(0x42)}  # x+1 = 6 is not > 0x10
    code, out, _ = run(SCRIPT, Scripted([Result(Status.SAT, "scripted", model=bad),
                                         Result(Status.UNSAT, "scripted")]), tmp_path)
    first, second = out.splitlines()[:2]
    assert first.startswith("(error") and "falsifies" in first
    assert second == "unknown"
    assert code == 1


def test_backend_errors_become_unknown(tmp_path: Path) -> None:
    class Failing:
        name = "failing"

        def check(self, assertions, *, timeout=None, certify_dir=None) -> Result:
            raise SolverError("no such solver")

    path = tmp_path / "in.smt2"
    path.write_text("(assert true)(check-sat)")
    out = io.StringIO()
    code = run_smt(path, out=out, err=io.StringIO(), backend_factory=Failing)
    assert out.getvalue().splitlines() == ['(error "SolverError: no such solver")', "unknown"]
    assert code == 1


def test_parse_error_after_output_keeps_the_output(tmp_path: Path) -> None:
    text = "(declare-const p Bool)(assert p)(check-sat)\n(push 1)\n(check-sat)"
    code, out, err = run(text, Scripted([Result(Status.SAT, "s", model={Var("p", BOOL): True})]),
                         tmp_path)
    assert code == 1
    assert out == "sat\n"
    assert "in.smt2:2:1: unsupported command: push/pop" in err


def test_certify_dirs_and_json(tmp_path: Path) -> None:
    backend = Scripted([Result(Status.UNSAT, "s"), Result(Status.UNSAT, "s")])
    text = "(declare-const p Bool)(assert (and p (not p)))(check-sat)(check-sat)"
    code, out, _ = run(text, backend, tmp_path, certify_dir=tmp_path / "cert", as_json=True)
    report = json.loads(out)
    assert code == 0
    assert report["status"] == "unsat" and report["output"] == ["unsat", "unsat"]
    assert report["exit_code"] == 0
    assert [c[2] for c in backend.calls] == [tmp_path / "cert", tmp_path / "cert" / "check-sat-2"]
    assert report["results"][1]["certify_dir"].endswith("check-sat-2")


def assay(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assay", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("backend", ["z3", "auto"])
def test_command_end_to_end(tmp_path: Path, backend: str) -> None:
    path = tmp_path / "a.smt2"
    path.write_text(SCRIPT)
    proc = assay("smt", str(path), "--backend", backend, "--timeout", "60")
    lines = proc.stdout.splitlines()
    assert lines[0] == "sat", proc.stderr
    assert "between" in lines and lines[lines.index("between") + 1] == "unsat"


def test_command_certifies_bit_vector_unsat_with_sat_backend(tmp_path: Path) -> None:
    path = tmp_path / "d.smt2"
    path.write_text("(set-logic QF_BV)(declare-const x (_ BitVec 16))"
                    "(declare-const y (_ BitVec 16))"
                    "(assert (not (= (bvadd x y) (bvadd y x))))(check-sat)(exit)")
    cert = tmp_path / "cert"
    proc = assay("smt", str(path), "--backend", "sat", "--certify", str(cert), "--json")
    report = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stderr
    assert report["status"] == "unsat"
    assert any(cert.iterdir()), "no certificate files written"


def test_command_reports_parse_errors_with_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.smt2"
    path.write_text("(declare-const x Int)\n(assert (< x))\n")
    proc = assay("smt", str(path), "--backend", "z3")
    assert proc.returncode == 1
    assert "bad.smt2:2:9: < takes at least 2 arguments, got 1" in proc.stderr
    assert "Traceback" not in proc.stderr
    missing = assay("smt", str(tmp_path / "nope.smt2"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr
