"""Every backend on the shared example table, and the `auto` backend's choices.

The table's statuses are themselves checked by z3 and cvc5 on the printed query
(test_smtlib_examples.py); here each backend must agree with them, and every model it returns
must satisfy the formula under the ground evaluator. cvc5 and bitwuzla answer sat without a
model when it holds values Assay cannot read back from them (arrays, UF); that is `unknown`.
"""

from __future__ import annotations

import pytest

from assay.core.backend import LratCertificate, SmtCertificate, Status
from assay.core.backends import BACKENDS, get_backend
from assay.core.errors import SolverError
from assay.core.evaluate import evaluate
from assay.core.query import logic_of
from assay.core.sorts import BVSort
from assay.core.terms import BVAdd, BVMul, Eq, Not, Var
from examples import EXAMPLES, Example, examples

BITWUZLA_LOGICS = {"QF_BV", "QF_ABV", "QF_UFBV", "QF_AUFBV"}


def _check(backend: str, ex: Example) -> None:
    result = get_backend(backend).check(ex.assertions, timeout=60)
    if result.status is Status.UNKNOWN and backend in ("cvc5", "bitwuzla") and ex.status == "sat":
        assert "cannot be read back" in result.reason, result.reason
        return
    assert str(result.status) == ex.status, f"{ex.name}: {result.reason}"
    if result.is_sat:
        assert evaluate(ex.term, result.model, complete=True) is True
    else:
        assert result.certificate is not None


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_z3(ex: Example) -> None:
    _check("z3", ex)


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_auto(ex: Example) -> None:
    _check("auto", ex)


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_cvc5(ex: Example) -> None:
    _check("cvc5", ex)


BV_EXAMPLES = [e for e in EXAMPLES if logic_of([e.term]) in BITWUZLA_LOGICS]


@pytest.mark.parametrize("ex", BV_EXAMPLES, ids=[e.name for e in BV_EXAMPLES])
def test_bitwuzla(ex: Example) -> None:
    _check("bitwuzla", ex)


def test_bitwuzla_declines_other_fragments() -> None:
    ex = examples("int")[0]
    result = get_backend("bitwuzla").check(ex.assertions)
    assert result.status is Status.UNKNOWN and "does not support" in result.reason


def test_registry_names() -> None:
    assert {get_backend(n).name for n in BACKENDS} == set(BACKENDS)
    with pytest.raises(SolverError, match="unknown backend"):
        get_backend("yices")


def test_auto_certifies_bitvector_unsat_with_lrat() -> None:
    x, y = Var("x", BVSort(8)), Var("y", BVSort(8))
    result = get_backend("auto").check([Not(Eq(BVMul(x, y), BVMul(y, x)))], timeout=60)
    assert result.is_unsat and isinstance(result.certificate, LratCertificate)
    assert result.stats["chosen"] == "sat"


def test_auto_sends_other_theories_to_z3_with_second_opinions() -> None:
    ex = next(e for e in examples("int") if e.status == "unsat")
    result = get_backend("auto", second_opinions=["cvc5"]).check(ex.assertions, timeout=60)
    assert result.stats["chosen"] == "z3"
    assert isinstance(result.certificate, SmtCertificate)
    assert [o.solver for o in result.certificate.second_opinions] == ["cvc5"]


def test_auto_returns_a_confirmed_model_on_bitvectors() -> None:
    x = Var("x", BVSort(32))
    formula = Eq(BVAdd(x, x), BVMul(x, x))
    result = get_backend("auto").check([formula, Not(Eq(x, BVAdd(x, x)))], timeout=60)
    assert result.is_sat and evaluate(formula, result.model) is True
