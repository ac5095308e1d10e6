"""`prove(goal)`: ask a backend about ¬goal and turn its answer into a theorem or a counterexample.

Untrusted convenience around the kernel: on `unsat` it hands the certificate to the matching
kernel rule (`by_sat` for LRAT proofs, `by_smt` for solver answers), which re-checks it (an
answer the kernel cannot confirm is `unknown`, with the kernel's reason); on `sat`
it returns the model after replaying it through the ground evaluator (¬goal must evaluate to
true); on `unknown` there is no theorem.

>>> from assay.core.terms import Var, Eq, BVAdd, BVULE
>>> from assay.core.sorts import BVSort
>>> x = Var("x", BVSort(8))
>>> prove(Eq(BVAdd(x, x), BVAdd(x, x))).proved
True
>>> outcome = prove(BVULE(x, BVAdd(x, x)), backend="z3")
>>> outcome.status, evaluate(BVULE(x, BVAdd(x, x)), outcome.counterexample)
('refuted', False)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.core import kernel
from assay.core.backend import LratCertificate, Result, SmtCertificate, Status
from assay.core.backends import get_backend
from assay.core.errors import CertificateError, KernelError
from assay.core.evaluate import evaluate
from assay.core.sorts import BOOL
from assay.core.term import Term
from assay.core.terms import Not

__all__ = ["Outcome", "prove", "evaluate"]


@dataclass
class Outcome:
    """What `prove` found: a theorem, a confirmed counterexample, or neither (and why)."""

    status: str                      # "proved" | "refuted" | "unknown"
    goal: Term
    theorem: kernel.Theorem | None = None
    counterexample: dict[Any, Any] | None = None
    result: Result | None = None
    reason: str = ""

    @property
    def proved(self) -> bool:
        return self.theorem is not None


def prove(goal: Term, *, backend: str = "auto", timeout: float | None = None,
          certify_dir: Path | None = None, second_opinions: tuple[str, ...] = ()) -> Outcome:
    """Prove `goal` valid (its free variables read universally) or find a counterexample."""
    if not isinstance(goal, Term) or goal.sort is not BOOL:
        raise KernelError(f"prove: expected a Bool term but got {goal!r}")
    result = get_backend(backend, second_opinions=second_opinions).check(
        [Not(goal)], timeout=timeout, certify_dir=certify_dir)
    if result.status is Status.UNSAT:
        cert = result.certificate
        try:
            if isinstance(cert, LratCertificate):
                theorem = kernel.by_sat(goal, cert)
            elif isinstance(cert, SmtCertificate):
                theorem = kernel.by_smt(goal, cert, timeout=timeout)
            else:
                raise CertificateError(f"backend {result.backend} answered unsat without a "
                                       "certificate")
        except (KernelError, CertificateError) as exc:  # an answer the kernel can't confirm
            return Outcome("unknown", goal, result=result,
                           reason=f"{result.backend} answered unsat, but the kernel did not "
                                  f"confirm it: {exc}")
        return Outcome("proved", goal, theorem=theorem, result=result)
    if result.status is Status.SAT:
        model = dict(result.model or {})
        if evaluate(Not(goal), model, complete=True) is not True:
            raise CertificateError(f"backend {result.backend} returned a model that does not "
                                   "refute the goal")
        return Outcome("refuted", goal, counterexample=model, result=result)
    return Outcome("unknown", goal, result=result, reason=result.reason)
