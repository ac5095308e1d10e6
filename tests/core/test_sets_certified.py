"""Set queries get kernel theorems: z3 re-reads the query with set operations in its own spelling
(arrays to Bool), cvc5 reads the canonical `set.` text; an answer the kernel cannot confirm
makes `prove` say unknown, never raise."""

from __future__ import annotations

import pytest

from assay.core import kernel
from assay.core.backend_smtcli import run_solver
from assay.core.prove import prove
from assay.core.query import query_text
from assay.core.sorts import INT, STRING, SetSort
from assay.core.terms import (
    EmptySet,
    Eq,
    Implies,
    Int,
    Not,
    SetInsert,
    SetInter,
    SetMember,
    SetMinus,
    SetOf,
    SetSubset,
    SetUnion,
    String,
    Var,
)

S = SetSort(STRING)
a, b, x = Var("a", S), Var("b", S), Var("x", STRING)
VALID = [
    Eq(SetUnion(a, b), SetUnion(b, a)),
    Implies(SetMember(x, a), SetMember(x, SetUnion(a, b))),
    SetSubset(SetInter(a, b), a),
    Not(SetMember(x, SetMinus(a, SetInsert(x, EmptySet(S))))),
    SetMember(String("k"), SetOf(S, String("j"), String("k"))),
]
INVALID = [Eq(SetUnion(a, b), a), SetMember(x, a), SetSubset(a, SetInsert(x, b))]


@pytest.mark.parametrize("goal", VALID, ids=str)
def test_valid_set_goals_are_proved_and_two_solvers_agree(goal) -> None:  # type: ignore[no-untyped-def]
    outcome = prove(goal, backend="z3", second_opinions=("cvc5",))
    assert outcome.status == "proved", outcome.reason
    kinds = {t.split()[0] for t in outcome.theorem.trusts}  # type: ignore[union-attr]
    assert kinds == {"z3", "cvc5", "two"}


@pytest.mark.parametrize("goal", INVALID, ids=str)
def test_invalid_set_goals_are_refuted(goal) -> None:  # type: ignore[no-untyped-def]
    assert prove(goal, backend="z3").status == "refuted"


@pytest.mark.parametrize("goal", VALID + INVALID, ids=str)
def test_both_spellings_get_the_same_answer(goal) -> None:  # type: ignore[no-untyped-def]
    want = "unsat" if goal in VALID else "sat"
    z3_text = query_text([Not(goal)], dialect="z3")
    assert "set." not in z3_text
    assert run_solver("z3", z3_text) == want
    assert run_solver("cvc5", query_text([Not(goal)])) == want


def test_dialect_only_changes_set_queries() -> None:
    i = Var("i", INT)
    assert query_text([Eq(i, Int(3))], dialect="z3") == query_text([Eq(i, Int(3))])


def test_an_answer_the_kernel_cannot_confirm_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    import assay.core.backend_smtcli as smtcli
    monkeypatch.setattr(smtcli, "run_solver", lambda name, text, timeout=None: "sat")
    outcome = prove(VALID[0], backend="z3")
    assert outcome.status == "unknown" and outcome.theorem is None
    assert "did not confirm" in outcome.reason
    with pytest.raises(kernel.KernelError):  # the kernel itself still refuses
        kernel.by_smt(VALID[0], outcome.result.certificate)  # type: ignore[union-attr, arg-type]
