"""The `sat` backend agrees with z3, confirms its models, checks its proofs, and its CNF is
reproducible from the formula alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bitblast import bool_terms

from assay.core import terms as T
from assay.core.backend import Status
from assay.core.backend_sat import SatBackend, cnf_for_kernel, encode
from assay.core.backend_z3 import Z3Backend
from assay.core.errors import UnsupportedOperator
from assay.core.evaluate import evaluate
from assay.core.lrat import check_lrat, check_lrat_files
from assay.core.sorts import BOOL, BVSort


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas=st.lists(bool_terms(), min_size=1, max_size=3))
def test_agrees_with_z3_on_random_formulas(formulas: list[T.Term]) -> None:
    ours = SatBackend().check(formulas)
    theirs = Z3Backend().check(formulas, timeout=30)
    assert theirs.status is not Status.UNKNOWN
    assert ours.status is theirs.status, (formulas, ours.reason)
    if ours.is_sat:
        assert ours.model is not None
        assert evaluate(T.And(*formulas), ours.model) is True
    else:
        cert = ours.certificate
        assert cert is not None and cert.checked
        check_lrat(cnf_for_kernel(T.And(*formulas)), cert.lrat)


def test_unsat_bitvector_fact_has_checked_proof(tmp_path: Path) -> None:
    x, y = T.Var("x", BVSort(12)), T.Var("y", BVSort(12))
    fact = T.BVULE(T.BVAnd(x, y), T.BVOr(x, y))
    result = SatBackend().check([T.Not(fact)], certify_dir=tmp_path)
    assert result.status is Status.UNSAT
    assert result.stats["clauses"] > 100 and result.stats["proof_bytes"] > 0
    cnf, lrat = sorted(tmp_path.iterdir())
    assert cnf.suffix == ".cnf" and lrat.suffix == ".lrat"
    assert check_lrat_files(cnf, lrat).added > 0


def test_sat_model_is_over_free_symbols() -> None:
    x, y = T.Var("x", BVSort(8)), T.Var("y", BVSort(8))
    p = T.Var("p", BOOL)
    formula = [T.Eq(T.BVMul(x, y), T.BV(143, 8)), T.BVULT(T.BV(1, 8), x),
               T.BVULT(T.BV(1, 8), y), T.Or(p, T.Eq(x, T.BVSub(x, x)))]
    result = SatBackend().check(formula)
    assert result.status is Status.SAT and result.model is not None
    assert set(result.model) == {x, y, p}
    assert (result.model[x] * result.model[y]) % 256 == 143 and result.model[p] is True


def test_timeout_is_unknown_never_unsat() -> None:
    # x*y = c with 48-bit factors of a semiprime: hard for plain CDCL
    x, y = T.Var("x", BVSort(96)), T.Var("y", BVSort(96))
    n = 281474976710677 * 281474976710731
    formula = [T.Eq(T.BVMul(x, y), T.BV(n, 96)), T.BVULT(T.BV(1, 96), x),
               T.BVULT(T.BV(1, 96), y), T.BVULT(x, T.BV(1 << 48, 96)),
               T.BVULT(y, T.BV(1 << 48, 96))]
    result = SatBackend().check(formula, timeout=1.5)
    assert result.status is Status.UNKNOWN
    assert "timeout" in result.reason


def test_unsupported_is_reported() -> None:
    i = T.Var("i", T.Int(0).sort)
    with pytest.raises(UnsupportedOperator):
        SatBackend().check([T.LE(i, T.Int(3))])


def test_trivial_queries() -> None:
    assert SatBackend().check([]).status is Status.SAT
    result = SatBackend().check([T.FALSE])
    assert result.status is Status.UNSAT and result.certificate is not None
    assert check_lrat(cnf_for_kernel(T.FALSE), result.certificate.lrat).original == 1


def test_cnf_does_not_depend_on_creation_order() -> None:
    """The kernel re-derives the CNF in another process, where terms get other uids."""
    script = textwrap.dedent("""
        import hashlib, sys
        from assay.core import terms as T
        from assay.core.sorts import BVSort
        from assay.core.backend_sat import cnf_for_kernel
        names = ["x", "y", "z"] if sys.argv[1] == "0" else ["z", "y", "x"]
        v = {n: T.Var(n, BVSort(8)) for n in names}
        x, y, z = v["x"], v["y"], v["z"]
        if sys.argv[1] == "1":  # create the right-hand sides first: other uids, other orders
            T.BVAdd(T.BVUDiv(y, z), x), T.BVSub(T.BVURem(x, z), y)
        f = T.Not(T.Eq(T.BVAnd(T.BVMul(x, y), T.BVXor(z, x)), T.BVAdd(T.BVUDiv(y, z), x)))
        f = T.And(f, T.Eq(T.BVMul(x, T.BV(3, 8)), T.BVSub(T.BVURem(x, z), y)))
        f = T.And(f, T.Xor(T.BVULT(x, y), T.Eq(z, y)))
        print(hashlib.sha256(repr(cnf_for_kernel(f)).encode()).hexdigest())
    """)
    digests = {subprocess.run([sys.executable, "-c", script, arg], capture_output=True,
                              text=True, check=True).stdout for arg in ("0", "1")}
    assert len(digests) == 1


def test_remainder_identity_at_512_bits() -> None:
    """An SMT-LIB rewrite-rule candidate (ecrw bw512_1) that z3 does not settle in 20 s:
    proved by normalisation with `bvurem s t = s - t * bvudiv s t`."""
    s, t = T.Var("s", BVSort(512)), T.Var("t", BVSort(512))
    query = T.Distinct(T.BVAdd(T.BVNot(s), T.BVURem(s, t)), T.BVNot(T.BVMul(t, T.BVUDiv(s, t))))
    result = SatBackend().check([query], timeout=30)
    assert result.status is Status.UNSAT and result.certificate is not None
    check_lrat(cnf_for_kernel(query), result.certificate.lrat)


def test_encoding_reports_sizes() -> None:
    x = T.Var("x", BVSort(32))
    enc = encode(T.Eq(T.BVMul(x, x), T.BV(49, 32)))
    assert enc.aig.num_ands > 500 and enc.cnf.nvars > 500


@st.composite
def _uf_formulas(draw: st.DrawFn) -> list[T.Term]:
    from test_bitblast import bv_terms

    f = T.Function("f", [BVSort(8)], BVSort(8))
    g = T.Function("g", [BVSort(8), BVSort(8)], BVSort(8))
    p = T.Function("p", [BVSort(8)], BOOL)

    def app() -> T.Term:
        kind = draw(st.sampled_from(["f", "g", "ff", "plain"]))
        a, b = draw(bv_terms(8, 1)), draw(bv_terms(8, 1))
        if kind == "f":
            return f(a)
        if kind == "g":
            return g(a, b)
        if kind == "ff":
            return f(g(a, f(b)))
        return a
    out = []
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from([T.Eq, T.BVULT, T.Distinct, "p"]))
        out.append(p(app()) if op == "p" else op(app(), app()))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas=_uf_formulas())
def test_ackermannization_agrees_with_z3(formulas: list[T.Term]) -> None:
    ours = SatBackend().check(formulas)
    theirs = Z3Backend().check(formulas, timeout=30)
    assert ours.status is theirs.status, (formulas, ours.reason)
    if ours.is_sat:
        assert ours.model is not None and evaluate(T.And(*formulas), ours.model) is True
    else:
        assert ours.certificate is not None
        check_lrat(cnf_for_kernel(T.And(*formulas)), ours.certificate.lrat)


def test_functional_consistency_is_required() -> None:
    f = T.Function("f", [BVSort(8)], BVSort(8))
    x, y = T.Var("ux", BVSort(8)), T.Var("uy", BVSort(8))
    assert SatBackend().check([T.Eq(x, y), T.Distinct(f(x), f(y))]).is_unsat
    result = SatBackend().check([T.Distinct(f(x), f(y))])
    assert result.is_sat and result.model is not None and result.model[x] != result.model[y]
