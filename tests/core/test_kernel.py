"""The kernel's boundary: who may make theorems, and what each rule refuses."""

from __future__ import annotations

import copy
import doctest
import importlib
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.core import kernel
from assay.core.backend import Opinion, SmtCertificate
from assay.core.backend_z3 import Z3Backend
from assay.core.errors import KernelError
from assay.core.evaluate import evaluate
from assay.core.kernel import Theorem
from assay.core.prove import prove
from assay.core.query import query_text
from assay.core.sorts import BOOL, BVSort
from assay.core.terms import (
    BV,
    BVULE,
    FALSE,
    TRUE,
    And,
    BVAdd,
    BVMul,
    Eq,
    Implies,
    Int,
    Not,
    Var,
)

x, y = Var("x", BVSort(8)), Var("y", BVSort(8))
p, q, r = Var("p", BOOL), Var("q", BOOL), Var("r", BOOL)


def smt_theorem(goal):  # noqa: ANN001, ANN201
    cert = Z3Backend().check([Not(goal)]).certificate
    return kernel.by_smt(goal, cert)


def test_theorem_cannot_be_constructed_outside_the_kernel() -> None:
    with pytest.raises(KernelError):
        Theorem(object(), TRUE, (), frozenset(), ())
    with pytest.raises(KernelError):
        Theorem(None, FALSE, (), frozenset(), ())  # type: ignore[arg-type]


def test_theorems_are_immutable_and_not_copied_into_new_ones() -> None:
    th = kernel.by_evaluation(Eq(BVAdd(BV(1, 8), BV(2, 8)), BV(3, 8)))
    with pytest.raises(KernelError):
        th.conclusion = FALSE  # type: ignore[misc]
    with pytest.raises(KernelError):
        del th.trusts
    assert copy.copy(th) is th and copy.deepcopy(th) is th
    with pytest.raises((KernelError, TypeError)):
        pickle.dumps(th)


def test_by_evaluation_needs_a_closed_true_goal() -> None:
    assert kernel.by_evaluation(TRUE).trusts == frozenset()
    with pytest.raises(KernelError):
        kernel.by_evaluation(FALSE)
    with pytest.raises(KernelError):
        kernel.by_evaluation(BVULE(x, y))
    with pytest.raises(KernelError):
        kernel.by_evaluation(Int(3))  # type: ignore[arg-type]


def test_admit_is_off_by_default_and_marks_everything_downstream() -> None:
    with pytest.raises(KernelError):
        kernel.admit(p)
    with kernel.allow_admit():
        a = kernel.admit(p)
    with pytest.raises(KernelError):  # the permission ends with the block
        kernel.admit(q)
    both = kernel.conj_intro(a, kernel.by_evaluation(TRUE))
    assert kernel.TRUST_ADMIT in both.trusts
    assert kernel.TRUST_ADMIT in kernel.instantiate(a, {p: q}).trusts


def test_by_smt_requires_the_exact_query_of_the_negated_goal() -> None:
    goal = Eq(BVAdd(x, y), BVAdd(y, x))
    other = Eq(BVMul(x, y), BVMul(y, x))
    cert = Z3Backend().check([Not(other)]).certificate
    assert isinstance(cert, SmtCertificate)
    with pytest.raises(KernelError, match="canonical query"):
        kernel.by_smt(goal, cert)
    th = kernel.by_smt(other, cert)
    assert th.conclusion is other and any(t.startswith("z3 ") for t in th.trusts)


def test_by_smt_rejects_a_forged_unsat_claim() -> None:
    false_goal = BVULE(x, y)  # not valid
    forged = SmtCertificate(query_text([Not(false_goal)]), Opinion("z3", "9.9", "unsat"))
    with pytest.raises(KernelError, match="answered sat"):
        kernel.by_smt(false_goal, forged)


def test_second_opinions_are_recorded_only_when_they_confirm() -> None:
    goal = Eq(BVAdd(x, y), BVAdd(y, x))
    cert = Z3Backend(second_opinions=["cvc5", "bitwuzla"]).check([Not(goal)]).certificate
    th = kernel.by_smt(goal, cert)
    names = {t.split()[0] for t in th.trusts}
    assert names == {"z3", "cvc5", "bitwuzla", "two"}
    lying = SmtCertificate(cert.smtlib, cert.primary,
                           (Opinion("cvc5", "1", "unsat"),))
    assert {t.split()[0] for t in kernel.by_smt(goal, lying).trusts} == {"z3", "cvc5", "two"}


def test_modus_ponens_and_deduce() -> None:
    imp = kernel.assume(Implies(p, And(q, r)))
    got = kernel.modus_ponens(imp, kernel.assume(p))
    assert got.conclusion is And(q, r)
    assert set(got.hypotheses) == {Implies(p, And(q, r)), p}
    discharged = kernel.deduce(got, p)
    assert discharged.conclusion is Implies(p, And(q, r))
    assert discharged.hypotheses == (Implies(p, And(q, r)),)
    with pytest.raises(KernelError):
        kernel.modus_ponens(imp, kernel.assume(q))
    with pytest.raises(KernelError):
        kernel.modus_ponens(kernel.assume(Implies(p, q)), kernel.assume(Not(p)))


def test_conjunction_rules() -> None:
    both = kernel.conj_intro(kernel.assume(p), kernel.assume(q))
    assert kernel.conj_elim(both, p).conclusion is p
    with pytest.raises(KernelError):
        kernel.conj_elim(both, r)


def test_instantiate_substitutes_and_checks_sorts() -> None:
    goal = Eq(BVAdd(x, y), BVAdd(y, x))
    th = smt_theorem(goal)
    inst = kernel.instantiate(th, {x: BV(3, 8)})
    assert inst.conclusion is Eq(BVAdd(BV(3, 8), y), BVAdd(y, BV(3, 8)))
    assert inst.trusts == th.trusts and inst.premises == (th,)
    with pytest.raises(KernelError):
        kernel.instantiate(th, {x: Var("z", BVSort(16))})
    with pytest.raises(KernelError):
        kernel.instantiate(th, {BVAdd(x, y): x})
    with pytest.raises(KernelError):
        kernel.instantiate(kernel.assume(p), {p: q})


def test_rules_reject_non_theorems_and_non_formulas() -> None:
    with pytest.raises(KernelError):
        kernel.conj_intro("not a theorem")  # type: ignore[arg-type]
    with pytest.raises(KernelError):
        kernel.assume(x)


@pytest.mark.parametrize("name", ["assay.core.kernel", "assay.core.prove",
                                  "assay.core.query", "assay.core.backends"])
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failed == 0


# -- Hypothesis: whatever prove() returns is checked against the ground evaluator ----------------

_W = 6
_a, _b = Var("a", BVSort(_W)), Var("b", BVSort(_W))
_OPS = [BVAdd, BVMul, lambda s, t: BVAdd(s, BVMul(t, BV(3, _W)))]


@st.composite
def _claims(draw: st.DrawFn):  # noqa: ANN202
    leaves = st.sampled_from([_a, _b]) | st.integers(0, 2**_W - 1).map(lambda v: BV(v, _W))
    lhs = draw(st.sampled_from(_OPS))(draw(leaves), draw(leaves))
    rhs = draw(st.sampled_from(_OPS))(draw(leaves), draw(leaves))
    return draw(st.sampled_from([Eq, BVULE]))(lhs, rhs)


@settings(max_examples=30, deadline=None)
@given(_claims(), st.sampled_from(["z3", "sat"]))
def test_prove_agrees_with_the_evaluator(claim, backend: str) -> None:  # noqa: ANN001
    outcome = prove(claim, backend=backend, timeout=60)
    everything = [{_a: va, _b: vb} for va in range(2**_W) for vb in range(2**_W)]
    if outcome.proved:
        assert outcome.theorem.conclusion is claim
        assert all(evaluate(claim, m) for m in everything)
    else:
        assert outcome.status == "refuted"
        assert evaluate(claim, outcome.counterexample, complete=True) is False
