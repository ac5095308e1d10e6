"""The canonical query text is frozen: proof bundles hold it, and the kernel compares it.

`assay.core.query` is the one SMT-LIB query printer (kernel certificates, bundles, cvc5 and
bitwuzla, and the `assay.core.smtlib` front end). These tests pin its output on one example of
every declaration form and logic name, check that a bundle written before the two printers were
merged still checks, and that the front end's form of a query is the kernel's form.

Texts are computed in fresh processes: the order of the two sides of `=` follows the creation
order of terms, so a process that built other terms first could print another (equally valid)
text, and `assay check` always runs in a process of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assay.core import terms as T
from assay.core.errors import SolverError
from assay.core.query import declarations, query_text, script_text
from assay.core.smtlib import parse_script, query_smtlib
from assay.core.sorts import INT, BVSort, UninterpretedSort
from examples import EXAMPLES

BUNDLE_V1 = Path(__file__).resolve().parent / "data" / "bundle_v1"


def pinned_cases() -> dict[str, str]:
    """query_text of one example per declaration form and logic (run in a fresh process)."""
    from assay.core.sorts import BOOL, STRING, ArraySort, DatatypeSort

    bv8, bv32 = BVSort(8), BVSort(32)
    x, y = T.Var("x", bv8), T.Var("y", bv8)
    p, q = T.Var("p", BOOL), T.Var("q", BOOL)
    i, j, k = T.Var("i", INT), T.Var("j", INT), T.Var("k", INT)
    s = T.Var("s", STRING)
    u_sort = UninterpretedSort("U")
    u, v = T.Var("u", u_sort), T.Var("v", u_sort)
    f = T.Function("f", [bv8], bv8)
    g = T.Function("g", [INT], INT)
    mem, addr = T.Var("mem", ArraySort(bv32, bv8)), T.Var("addr", bv32)
    heap = T.Var("heap", ArraySort(u_sort, u_sort))
    point = DatatypeSort("Pt", [("pt", [("px", bv8), ("py", INT)]), ("origin", [])])
    pt = T.Var("pt0", point)
    odd = T.Var("odd name", bv8)
    total = T.BVAdd(x, y)
    cases = {
        "bit-vectors": [T.BVULT(x, y)],
        "Bool alone": [T.Or(p, q)],
        "functions over bit-vectors": [T.BVULT(f(x), y)],
        "arrays of bit-vectors": [T.Eq(T.Select(mem, addr), x)],
        "arrays over an uninterpreted sort": [T.Eq(T.Select(heap, u), v)],
        "uninterpreted sort": [T.Eq(u, v)],
        "linear integers": [T.LT(i, j)],
        "integer product": [T.LT(T.Times(i, j), k)],
        "integer functions": [T.LT(g(i), j)],
        "constant divided by a variable": [T.LT(T.IDiv(T.Int(3), i), j)],
        "strings": [T.LE(T.Int(2), T.StrLen(s))],
        "datatypes": [T.IsCons(pt, "pt"), T.BVULT(T.Field(pt, "px"), x)],
        "quoted names": [T.BVULT(odd, x)],
        "shared subterms": [T.BVULT(T.BVMul(total, total), total)],
        "two assertions": [T.BVULT(x, y), p],
    }
    return {name: query_text(assertions) for name, assertions in cases.items()}


# What the printer of format assay-bundle/1 printed (recorded at commit a05fbb5).
PINNED = {
    "bit-vectors": "(set-logic QF_BV)\n(declare-const x (_ BitVec 8))\n"
                   "(declare-const y (_ BitVec 8))\n(assert (bvult x y))\n(check-sat)\n",
    "Bool alone": "(set-logic QF_BV)\n(declare-const p Bool)\n(declare-const q Bool)\n"
                  "(assert (or p q))\n(check-sat)\n",
    "functions over bit-vectors":
        "(set-logic QF_UFBV)\n(declare-const x (_ BitVec 8))\n"
        "(declare-fun f ((_ BitVec 8)) (_ BitVec 8))\n(declare-const y (_ BitVec 8))\n"
        "(assert (bvult (f x) y))\n(check-sat)\n",
    "arrays of bit-vectors":
        "(set-logic QF_ABV)\n(declare-const x (_ BitVec 8))\n"
        "(declare-const mem (Array (_ BitVec 32) (_ BitVec 8)))\n"
        "(declare-const addr (_ BitVec 32))\n(assert (= x (select mem addr)))\n(check-sat)\n",
    "arrays over an uninterpreted sort":
        "(set-logic QF_AUF)\n(declare-sort U 0)\n(declare-const v U)\n"
        "(declare-const heap (Array U U))\n(declare-const u U)\n"
        "(assert (= v (select heap u)))\n(check-sat)\n",
    "uninterpreted sort": "(set-logic QF_UF)\n(declare-sort U 0)\n(declare-const u U)\n"
                          "(declare-const v U)\n(assert (= u v))\n(check-sat)\n",
    "linear integers": "(set-logic QF_LIA)\n(declare-const i Int)\n(declare-const j Int)\n"
                       "(assert (< i j))\n(check-sat)\n",
    "integer product": "(set-logic QF_NIA)\n(declare-const i Int)\n(declare-const j Int)\n"
                       "(declare-const k Int)\n(assert (< (* i j) k))\n(check-sat)\n",
    "integer functions": "(set-logic QF_UFLIA)\n(declare-const i Int)\n"
                         "(declare-fun g (Int) Int)\n(declare-const j Int)\n"
                         "(assert (< (g i) j))\n(check-sat)\n",
    # frozen as linear: one non-constant argument (SMT-LIB's LIA wants a numeral divisor)
    "constant divided by a variable": "(set-logic QF_LIA)\n(declare-const i Int)\n"
                                      "(declare-const j Int)\n(assert (< (div 3 i) j))\n"
                                      "(check-sat)\n",
    "strings": "(set-logic ALL)\n(declare-const s String)\n(assert (<= 2 (str.len s)))\n"
               "(check-sat)\n",
    "datatypes": "(set-logic ALL)\n"
                 "(declare-datatypes ((Pt 0)) (((pt (px (_ BitVec 8)) (py Int)) (origin))))\n"
                 "(declare-const pt0 Pt)\n(declare-const x (_ BitVec 8))\n"
                 "(assert (and ((_ is pt) pt0) (bvult (px pt0) x)))\n(check-sat)\n",
    "quoted names": "(set-logic QF_BV)\n(declare-const |odd name| (_ BitVec 8))\n"
                    "(declare-const x (_ BitVec 8))\n(assert (bvult |odd name| x))\n"
                    "(check-sat)\n",
    "shared subterms": "(set-logic QF_BV)\n(declare-const x (_ BitVec 8))\n"
                       "(declare-const y (_ BitVec 8))\n"
                       "(assert (let ((?t0 (bvadd x y))) (bvult (bvmul ?t0 ?t0) ?t0)))\n"
                       "(check-sat)\n",
    "two assertions": "(set-logic QF_BV)\n(declare-const x (_ BitVec 8))\n"
                      "(declare-const y (_ BitVec 8))\n(declare-const p Bool)\n"
                      "(assert (and (bvult x y) p))\n(check-sat)\n",
}


def _fresh_python(*args: str) -> str:
    here = Path(__file__).resolve().parent
    done = subprocess.run([sys.executable, *args], cwd=here, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_canonical_query_text_is_pinned() -> None:
    printed = json.loads(_fresh_python(
        "-c", "import json, test_smtlib_canonical as m; print(json.dumps(m.pinned_cases()))"))
    assert printed.keys() == PINNED.keys()
    for name, text in PINNED.items():
        assert printed[name] == text, name


def test_bundle_of_format_1_still_checks() -> None:
    """A bundle written by the printer before the merge, checked as `assay check` does."""
    assert (BUNDLE_V1 / "theorems.jsonl").is_file(), f"test data missing: {BUNDLE_V1}"
    report = json.loads(_fresh_python("-m", "assay", "check", "--json", str(BUNDLE_V1)))
    assert report["ok"], [t["error"] for t in report["theorems"] if not t["ok"]]
    rules = [t["rule"] for t in report["theorems"]]
    assert rules.count("by_smt") == 8 and "by_sat" in rules and "conj_intro" in rules
    solvers = {t.split()[0] for th in report["theorems"] for t in th["trusts"]}
    assert {"z3", "cvc5", "bitwuzla", "two", "sat+lrat"} <= solvers


@pytest.mark.parametrize("ex", EXAMPLES, ids=lambda e: e.name)
def test_one_printer_for_kernel_and_front_end(ex) -> None:
    """The front end's query of one assertion is the kernel's query, and the kernel's query
    of several assertions reads back as their conjunction."""
    conjunction = T.And(*ex.assertions)
    assert query_smtlib([conjunction]) == query_text(ex.assertions)
    assert script_text(ex.assertions) == query_smtlib(ex.assertions)
    assert parse_script(query_text(ex.assertions)).assertions == [conjunction]


def test_options_follow_the_logic() -> None:
    x = T.Var("x", BVSort(4))
    text = script_text([T.BVULT(x, T.BV(3, 4))], options=[(":produce-models", "true")])
    assert text.splitlines()[:3] == ["(set-logic QF_BV)", "(set-option :produce-models true)",
                                     "(declare-const x (_ BitVec 4))"]
    assert parse_script(text).options == [(":produce-models", "true")]


def test_name_clashes_are_refused() -> None:
    u_sort = UninterpretedSort("Clash")
    f = T.Function("x", [INT], INT)
    with pytest.raises(SolverError, match="two symbols named 'x': a variable"):
        declarations([T.LT(f(T.Int(1)), T.Var("x", INT))])
    with pytest.raises(SolverError, match="two symbols named 'w'"):
        declarations([T.Eq(T.Var("w", INT), T.Int(2)), T.Eq(T.Var("w", u_sort),
                                                             T.Var("w2", u_sort))])
