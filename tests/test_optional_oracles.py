"""The test oracles (cvc5, bitwuzla, cedarpy, unicorn) are optional at run time: without them
Assay says what to install instead of failing with a traceback, and `assay demo` still runs."""

from __future__ import annotations

import sys

import pytest

from assay.core.errors import AssayError


@pytest.fixture
def without(monkeypatch: pytest.MonkeyPatch):
    def hide(*names: str) -> None:
        for name in names:
            monkeypatch.setitem(sys.modules, name, None)  # import now raises ImportError
    return hide


def test_second_opinion_without_cvc5_is_unknown_not_a_crash(without) -> None:
    from assay.core.backend_smtcli import second_opinion, solver_version
    without("cvc5")
    assert solver_version("cvc5") == "not installed"
    opinion = second_opinion("cvc5", "(declare-const p Bool)(assert (and p (not p)))(check-sat)")
    assert opinion.answer == "unknown"


def test_prove_without_cvc5_trusts_z3_alone(without) -> None:
    from assay.core.prove import prove
    from assay.core.sorts import INT
    from assay.core.terms import GE, Plus, Var
    without("cvc5")
    x = Var("opt_x", INT)
    outcome = prove(GE(Plus(x, x), Plus(x, x)), backend="z3", second_opinions=("cvc5",))
    assert outcome.status == "proved"


def test_conform_and_difftest_say_what_to_install(without) -> None:
    from assay.models.armv8.conform import UnicornOracle
    from assay.models.cedar import difftest
    from assay.models.cedar.ast import PolicySet
    without("unicorn", "cedarpy")
    with pytest.raises(AssayError, match="unicorn"):
        UnicornOracle()
    with pytest.raises(AssayError, match="cedarpy"):
        difftest.cedarpy_verdicts(PolicySet(), [], [])


def test_core_demo_runs_without_second_opinions(without, tmp_path) -> None:
    from rich.console import Console

    from assay.core import demo
    without("cvc5", "bitwuzla")
    assert demo.demo(Console(file=open(tmp_path / "out.txt", "w")), tmp_path)
