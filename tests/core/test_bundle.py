"""Proof bundles: export, re-check, and rejection of every kind of tampering."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from assay.cli import main
from assay.core import kernel
from assay.core.bundle import THEOREMS, check_bundle, export_bundle
from assay.core.prove import prove
from assay.core.sorts import BOOL, BVSort
from assay.core.terms import BV, BVAdd, BVAnd, BVOr, BVSub, Eq, Var

x, y = Var("x", BVSort(16)), Var("y", BVSort(16))
p = Var("p", BOOL)
SMT_GOAL = Eq(BVSub(BVAdd(x, y), y), x)
a8, b8 = Var("a", BVSort(8)), Var("b", BVSort(8))
SAT_GOAL = Eq(BVAdd(BVAnd(a8, b8), BVOr(a8, b8)), BVAdd(a8, b8))  # needs bit-level reasoning


def _lines(folder: Path) -> list[dict]:
    return [json.loads(ln) for ln in (folder / THEOREMS).read_text().splitlines()]


def _write_lines(folder: Path, lines: list[dict]) -> None:
    (folder / THEOREMS).write_text("".join(json.dumps(ln) + "\n" for ln in lines))


def _rehash(folder: Path, entry: dict) -> None:
    entry["sha256"] = hashlib.sha256((folder / entry["file"]).read_bytes()).hexdigest()


@pytest.fixture()
def smt_bundle(tmp_path: Path) -> Path:
    th = prove(SMT_GOAL, backend="z3").theorem
    assert th is not None
    derived = kernel.conj_intro(kernel.instantiate(th, {y: BV(3, 16)}),
                                kernel.deduce(kernel.assume(p), p))
    export_bundle([th, derived], tmp_path / "b", names=["sub_add", "derived"])
    return tmp_path / "b"


def test_export_and_check(smt_bundle: Path) -> None:
    report = check_bundle(smt_bundle)
    assert report.ok, [t.error for t in report.theorems]
    assert [t.rule for t in report.theorems] == [
        "by_smt", "instantiate", "assume", "deduce", "conj_intro"]
    assert any(t.startswith("z3 ") for t in report.theorems[0].trusts)
    assert report.theorems[2].trusts == []


def test_changed_certificate_file_is_rejected_by_its_hash(smt_bundle: Path) -> None:
    smt2 = smt_bundle / "t0.smt2"
    smt2.write_text(smt2.read_text().replace("bvsub", "bvadd"))
    report = check_bundle(smt_bundle)
    assert not report.ok and "hash" in report.theorems[0].error
    assert not report.theorems[1].ok  # its premise was not proved


def test_changed_query_with_a_matching_hash_is_rejected(smt_bundle: Path) -> None:
    lines = _lines(smt_bundle)
    smt2 = smt_bundle / "t0.smt2"
    smt2.write_text(smt2.read_text().replace("(bvsub (bvadd x y) y)", "(bvadd (bvsub x y) y)"))
    _rehash(smt_bundle, lines[0]["certificates"][0]["smt2"])
    _write_lines(smt_bundle, lines)
    report = check_bundle(smt_bundle)
    assert not report.theorems[0].ok and "canonical query" in report.theorems[0].error


def test_query_with_the_sides_of_an_equation_swapped_still_checks(smt_bundle: Path) -> None:
    """A fresh process may create the two sides of `=` in the other order (a side bound by
    `let` is made first) and print them swapped: the same query as terms, still accepted."""
    lines = _lines(smt_bundle)
    smt2 = smt_bundle / "t0.smt2"
    text = smt2.read_text()
    swapped = text.replace("(= x (bvsub (bvadd x y) y))", "(= (bvsub (bvadd x y) y) x)")
    assert swapped != text, text
    smt2.write_text(swapped)
    _rehash(smt_bundle, lines[0]["certificates"][0]["smt2"])
    _write_lines(smt_bundle, lines)
    report = check_bundle(smt_bundle)
    assert report.ok, [t.error for t in report.theorems]


def test_changed_conclusion_is_rejected(smt_bundle: Path) -> None:
    lines = _lines(smt_bundle)
    lines[1]["conclusion"] = lines[1]["conclusion"].replace("#x0003", "#x0004", 1)
    _write_lines(smt_bundle, lines)
    report = check_bundle(smt_bundle)
    assert report.theorems[0].ok and not report.theorems[1].ok
    lines = _lines(smt_bundle)
    lines[0]["conclusion"] = "(= x (bvadd (bvsub x y) y))"  # true, but not what z3 was asked
    _write_lines(smt_bundle, lines)
    assert not check_bundle(smt_bundle).theorems[0].ok


def test_understated_trust_is_rejected(tmp_path: Path) -> None:
    with kernel.allow_admit():
        th = kernel.admit(p)
    export_bundle([kernel.conj_intro(th, kernel.assume(p))], tmp_path)
    assert check_bundle(tmp_path).ok
    assert not check_bundle(tmp_path, allow_admit=False).ok
    lines = _lines(tmp_path)
    lines[-1]["trusts"] = []
    _write_lines(tmp_path, lines)
    report = check_bundle(tmp_path)
    assert not report.theorems[-1].ok and "trusts" in report.theorems[-1].error


def test_cli_check(smt_bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(smt_bundle), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and len(out["theorems"]) == 5
    (smt_bundle / "t0.smt2").write_text("(check-sat)\n")
    assert main(["check", str(smt_bundle)]) == 1
    assert main(["check", str(smt_bundle / "missing")]) == 2


def _drop_last_hint(line: str) -> str:
    head, hints = line.split(" 0 ", 1)
    return f"{head} 0 {' '.join(hints.split()[:-2])} 0"


def _flip_first_literal(line: str) -> str:
    n, lit, rest = line.split(" ", 2)
    return f"{n} {-int(lit)} {rest}"


@pytest.mark.parametrize("tamper", ["drop_hint", "flip_literal", "truncate"])
def test_sat_bundle_and_tampered_lrat(tmp_path: Path, tamper: str) -> None:
    outcome = prove(SAT_GOAL, backend="sat", timeout=60)
    assert outcome.theorem is not None and outcome.theorem.trusts == {"sat+lrat"}
    export_bundle([outcome.theorem], tmp_path)
    assert check_bundle(tmp_path).ok
    lrat_path = tmp_path / "t0.lrat"
    proof = lrat_path.read_text().splitlines()
    steps = [n for n, ln in enumerate(proof) if ln.split()[1:2] != ["d"] and ln.strip()]
    assert len(steps) > 10
    target = steps[len(steps) // 2]
    if tamper == "drop_hint":
        proof[target] = _drop_last_hint(proof[target])
    elif tamper == "flip_literal":
        proof[target] = _flip_first_literal(proof[target])
    else:
        proof = proof[:target]
    lrat_path.write_text("\n".join(proof) + "\n")
    assert not check_bundle(tmp_path).ok  # the hash no longer matches
    lines = _lines(tmp_path)  # re-hash, so that only the LRAT checker can object
    _rehash(tmp_path, lines[0]["certificates"][0]["lrat"])
    _write_lines(tmp_path, lines)
    report = check_bundle(tmp_path)
    assert not report.ok and "LRAT" in report.theorems[0].error, report.theorems[0].error


def test_core_demo_section(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from assay.core.demo import demo
    buffer = io.StringIO()
    assert demo(Console(file=buffer, width=160), tmp_path) is True
    text = buffer.getvalue()
    assert "refuted" in text and "all 5 theorems re-checked" in text
    assert check_bundle(tmp_path / "core-bundle").ok


def test_bundle_with_datatypes_uf_and_strings(tmp_path: Path) -> None:
    from assay.core import terms as T
    from assay.core.sorts import INT, STRING, DatatypeSort, UninterpretedSort

    point = DatatypeSort("BundlePt", [("bpt", [("bx", INT)]), ("bnone", [])])
    v = T.Var("v", point)
    U = UninterpretedSort("BundleU")
    a, b = T.Var("ua", U), T.Var("ub", U)
    f = T.Function("bf", [U], STRING)
    goals = [T.Implies(T.IsCons(v, "bpt"), T.Not(T.IsCons(v, "bnone"))),
             T.Implies(T.Eq(a, b), T.Eq(T.StrLen(f(a)), T.StrLen(f(b))))]
    theorems = [prove(g, backend="z3", timeout=60).theorem for g in goals]
    assert all(th is not None for th in theorems)
    export_bundle(theorems, tmp_path)
    report = check_bundle(tmp_path)
    assert report.ok, [t.error for t in report.theorems]
