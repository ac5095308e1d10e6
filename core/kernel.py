"""The kernel: the only code that creates `Theorem` objects, and the trusted boundary of Assay.

A theorem `hypotheses ⊢ conclusion` is made only by the rules below; each rule checks its
preconditions and raises `KernelError` when they fail. Every theorem records what it trusts:
`sat+lrat` (the bit-blaster and the LRAT checker in `assay.core.lrat`, which this module runs
itself), solvers with their versions (`z3 5.4.1`, re-run by this module on the exact SMT-LIB
query), `two solvers agree` when an independent solver confirmed the same query, and `admit`.
Trust is inherited: a theorem derived from an admitted one trusts `admit` too.

Trusted: this module, the term layer (sorts, terms, evaluator, printer), `assay.core.query`
(the canonical query text), the bit-blaster that re-derives CNF, `assay.core.lrat`, and the
SMT solvers named in a theorem's `trusts`. Not trusted: backends, tactics, certificates' claims.

>>> from assay.core.terms import BV, BVAdd, Eq, Var, Implies
>>> from assay.core.sorts import BVSort
>>> th = by_evaluation(Eq(BVAdd(BV(200, 8), BV(100, 8)), BV(44, 8)))
>>> th
⊢ true
>>> Theorem(object(), th.conclusion, (), frozenset(), ())
Traceback (most recent call last):
...
assay.core.errors.KernelError: theorems are created only by the rules of assay.core.kernel
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from assay.core import terms as T  # first: terms must load before walkers (import cycle)
from assay.core.backend import LratCertificate, SmtCertificate
from assay.core.errors import EvaluationError, KernelError, SolverError
from assay.core.evaluate import evaluate
from assay.core.ops import Op
from assay.core.sorts import BOOL
from assay.core.term import Term
from assay.core.walkers import postorder, substitute

__all__ = ["Theorem", "by_evaluation", "by_sat", "by_smt", "admit", "allow_admit",
           "assume", "deduce", "modus_ponens", "conj_intro", "conj_elim", "instantiate",
           "TRUST_SAT", "TRUST_ADMIT", "TRUST_AGREE"]

TRUST_SAT = "sat+lrat"
TRUST_ADMIT = "admit"
TRUST_AGREE = "two solvers agree"

_TOKEN = object()
_ADMIT_ALLOWED: contextvars.ContextVar[bool] = contextvars.ContextVar("admit", default=False)

Certificate = LratCertificate | SmtCertificate


class Theorem:
    """`hypotheses ⊢ conclusion`, with what it trusts. Immutable; made only by kernel rules.

    `rule` names the rule that made it, `premises` the theorems it was derived from and `args`
    the rule's other arguments, so a proof bundle can replay the whole derivation.
    """

    __slots__ = ("conclusion", "hypotheses", "trusts", "certificates", "rule", "premises",
                 "args")

    conclusion: Term
    hypotheses: tuple[Term, ...]
    trusts: frozenset[str]
    certificates: tuple[Certificate, ...]
    rule: str
    premises: tuple[Theorem, ...]
    args: tuple[Any, ...]

    def __init__(self, token: object, conclusion: Term, hypotheses: tuple[Term, ...],
                 trusts: frozenset[str], certificates: tuple[Certificate, ...],
                 rule: str = "", premises: tuple[Theorem, ...] = (),
                 args: tuple[Any, ...] = ()) -> None:
        if token is not _TOKEN:
            raise KernelError("theorems are created only by the rules of assay.core.kernel")
        values = dict(conclusion=conclusion, hypotheses=hypotheses, trusts=trusts,
                      certificates=certificates, rule=rule, premises=premises, args=args)
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise KernelError("theorems are immutable")

    def __delattr__(self, name: str) -> None:
        raise KernelError("theorems are immutable")

    def __reduce__(self) -> Any:
        raise KernelError("theorems cannot be pickled or copied; export a proof bundle")

    def __copy__(self) -> Theorem:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Theorem:
        return self

    def __repr__(self) -> str:
        hyps = ", ".join(repr(h) for h in self.hypotheses)
        text = f"{hyps + ' ' if hyps else ''}⊢ {self.conclusion!r}"
        return text + (f"  [trusts: {', '.join(sorted(self.trusts))}]" if self.trusts else "")


def _make(conclusion: Term, hypotheses: tuple[Term, ...], trusts: frozenset[str],
          certificates: tuple[Certificate, ...], rule: str,
          premises: tuple[Theorem, ...] = (), args: tuple[Any, ...] = ()) -> Theorem:
    return Theorem(_TOKEN, conclusion, tuple(dict.fromkeys(hypotheses)), trusts,
                   tuple(dict.fromkeys(certificates)), rule, premises, args)


def _formula(t: object, what: str) -> Term:
    if not isinstance(t, Term) or t.sort is not BOOL:
        shown = f"{t!r} (sort={t.sort})" if isinstance(t, Term) else repr(t)
        raise KernelError(f"{what}: expected a Bool term but got {shown}")
    return t


def _theorem(th: object, what: str) -> Theorem:
    if not isinstance(th, Theorem):
        raise KernelError(f"{what}: expected a Theorem but got {th!r}")
    return th


def _inherit(*ths: Theorem) -> tuple[frozenset[str], tuple[Certificate, ...]]:
    trusts: frozenset[str] = frozenset().union(*(th.trusts for th in ths))
    certs = tuple(c for th in ths for c in th.certificates)
    return trusts, certs


# -- rules that close goals ------------------------------------------------------------------

def by_evaluation(goal: Term) -> Theorem:
    """`⊢ goal` for a closed goal the ground evaluator computes to true.

    >>> from assay.core.terms import BV, BVMul, Eq
    >>> by_evaluation(Eq(BVMul(BV(3, 4), BV(6, 4)), BV(2, 4))).rule
    'by_evaluation'
    """
    goal = _formula(goal, "by_evaluation")
    try:
        value = evaluate(goal, {})
    except EvaluationError as exc:
        raise KernelError(f"by_evaluation: the goal is not closed: {exc}") from exc
    if value is not True:
        raise KernelError(f"by_evaluation: the goal evaluates to false: {goal!r}")
    return _make(goal, (), frozenset(), (), "by_evaluation", args=(goal,))


def by_sat(goal: Term, certificate: LratCertificate) -> Theorem:
    """`⊢ goal` from an LRAT refutation of the CNF of `¬goal`.

    The kernel re-derives the CNF of ¬goal with the trusted bit-blaster and runs the LRAT
    checker itself; the certificate's `checked` flag is not believed, and its DIMACS text (for
    auditors with their own checkers) must be exactly the re-derived CNF.

    >>> from assay.core.backends import get_backend
    >>> from assay.core.terms import BVAdd, Eq, Not, Var
    >>> from assay.core.sorts import BVSort
    >>> x, y = Var("x", BVSort(16)), Var("y", BVSort(16))
    >>> goal = Eq(BVAdd(x, y), BVAdd(y, x))
    >>> result = get_backend("sat").check([Not(goal)])
    >>> sorted(by_sat(goal, result.certificate).trusts)
    ['sat+lrat']
    """
    goal = _formula(goal, "by_sat")
    if not isinstance(certificate, LratCertificate):
        raise KernelError(f"by_sat: expected an LratCertificate but got {type(certificate)}")
    from assay.core.lrat import LratError, check_lrat, read_dimacs
    clauses = _cnf_of(T.Not(goal))
    try:
        if certificate.dimacs and [tuple(c) for c in read_dimacs(certificate.dimacs)[1]] != [
                tuple(c) for c in clauses]:
            raise KernelError("by_sat: the certificate's DIMACS is not the CNF of ¬goal")
        check_lrat(clauses, certificate.lrat)
    except LratError as exc:
        raise KernelError(f"by_sat: the LRAT proof does not refute the CNF of ¬goal: {exc}") \
            from exc
    return _make(goal, (), frozenset({TRUST_SAT}), (certificate,), "by_sat", args=(goal,))


def _cnf_of(formula: Term) -> list[tuple[int, ...]]:
    """The clauses the trusted bit-blaster produces for `formula` (the query the proof refutes)."""
    from assay.core.backend_sat import cnf_for_kernel
    try:
        return cnf_for_kernel(formula)
    except SolverError as exc:
        raise KernelError(f"by_sat: the goal cannot be bit-blasted: {exc}") from exc


def by_smt(goal: Term, certificate: SmtCertificate, *, timeout: float | None = None) -> Theorem:
    """`⊢ goal` from SMT solvers' unsat answers on the canonical query for `¬goal`.

    The certificate's query must be exactly `query_text([Not(goal)])`. The kernel re-runs every
    solver the certificate says answered unsat, on that text, through the solver's own SMT-LIB
    parser (z3 on the same query with set operations in its own spelling); the theorem trusts
    each solver that confirmed it, and `two solvers agree` when more than one did. The primary
    solver must confirm.

    >>> from assay.core.backend_z3 import Z3Backend
    >>> from assay.core.terms import BVAdd, BVSub, Eq, Not, Var
    >>> from assay.core.sorts import BVSort
    >>> x, y = Var("x", BVSort(32)), Var("y", BVSort(32))
    >>> goal = Eq(BVSub(BVAdd(x, y), y), x)
    >>> cert = Z3Backend(second_opinions=["bitwuzla"]).check([Not(goal)]).certificate
    >>> th = by_smt(goal, cert)
    >>> sorted(t.split()[0] for t in th.trusts)
    ['bitwuzla', 'two', 'z3']
    """
    goal = _formula(goal, "by_smt")
    if not isinstance(certificate, SmtCertificate):
        raise KernelError(f"by_smt: expected an SmtCertificate but got {type(certificate)}")
    from assay.core.backend_smtcli import run_solver, solver_version
    from assay.core.query import query_text
    expected = query_text([T.Not(goal)])
    if certificate.smtlib != expected:
        raise KernelError("by_smt: the certificate's query is not the canonical query for ¬goal")
    confirmed: list[str] = []
    for i, opinion in enumerate(certificate.agreeing):
        text = query_text([T.Not(goal)], dialect="z3") if opinion.solver == "z3" else expected
        try:
            answer = run_solver(opinion.solver, text, timeout=timeout)
        except SolverError as exc:
            answer = f"error ({exc})"
        if answer == "unsat":
            confirmed.append(f"{opinion.solver} {solver_version(opinion.solver)}")
        elif i == 0:
            raise KernelError(f"by_smt: {opinion.solver} re-run on the query answered {answer}, "
                              "not unsat")
    trusts = set(confirmed)
    if len(confirmed) > 1:
        trusts.add(TRUST_AGREE)
    return _make(goal, (), frozenset(trusts), (certificate,), "by_smt", args=(goal,))


@contextmanager
def allow_admit() -> Iterator[None]:
    """Within this block (and this thread or task only), `admit` is allowed."""
    token = _ADMIT_ALLOWED.set(True)
    try:
        yield
    finally:
        _ADMIT_ALLOWED.reset(token)


def admit(goal: Term) -> Theorem:
    """`⊢ goal` without proof. Off by default; the theorem and all it derives trust `admit`.

    >>> from assay.core.terms import FALSE
    >>> admit(FALSE)
    Traceback (most recent call last):
    ...
    assay.core.errors.KernelError: admit is disabled; wrap the call in `with kernel.allow_admit():`
    >>> with allow_admit():
    ...     admit(FALSE).trusts
    frozenset({'admit'})
    """
    goal = _formula(goal, "admit")
    if not _ADMIT_ALLOWED.get():
        raise KernelError("admit is disabled; wrap the call in `with kernel.allow_admit():`")
    return _make(goal, (), frozenset({TRUST_ADMIT}), (), "admit", args=(goal,))


# -- structural rules --------------------------------------------------------------------------

def assume(p: Term) -> Theorem:
    """`p ⊢ p`.

    >>> from assay.core.terms import Var
    >>> p = Var("p", BOOL)
    >>> assume(p)
    p ⊢ p
    """
    p = _formula(p, "assume")
    return _make(p, (p,), frozenset(), (), "assume", args=(p,))


def deduce(th: Theorem, p: Term) -> Theorem:
    """From `Γ ⊢ q` derive `Γ \\ {p} ⊢ p ⇒ q` (implication introduction).

    >>> from assay.core.terms import Var
    >>> p = Var("p", BOOL)
    >>> deduce(assume(p), p)
    ⊢ true
    """
    th, p = _theorem(th, "deduce"), _formula(p, "deduce")
    hyps = tuple(h for h in th.hypotheses if h is not p)
    return _make(T.Implies(p, th.conclusion), hyps, th.trusts, th.certificates, "deduce",
                 (th,), (p,))


def modus_ponens(th_imp: Theorem, th_p: Theorem) -> Theorem:
    """From `Γ ⊢ p ⇒ q` and `Δ ⊢ p` derive `Γ ∪ Δ ⊢ q`.

    Implications are disjunctions `(or (not p) q ...)` after folding; q is what remains when
    `¬p` is removed, and the rule checks that `p ⇒ q` rebuilds the given conclusion exactly.

    >>> from assay.core.terms import Var, Implies
    >>> p, q = Var("p", BOOL), Var("q", BOOL)
    >>> modus_ponens(assume(Implies(p, q)), assume(p)).conclusion
    q
    """
    th_imp, th_p = _theorem(th_imp, "modus_ponens"), _theorem(th_p, "modus_ponens")
    imp, p = th_imp.conclusion, th_p.conclusion
    not_p = T.Not(p)
    if imp.op is Op.OR and not_p in imp.args:
        q = T.Or(*[a for a in imp.args if a is not not_p])
    elif imp is not_p:
        q = T.FALSE
    else:
        raise KernelError(f"modus_ponens: {imp!r} is not an implication from {p!r}")
    if T.Implies(p, q) is not imp:
        raise KernelError(f"modus_ponens: {imp!r} is not `{p!r} ⇒ q` for any q")
    trusts, certs = _inherit(th_imp, th_p)
    return _make(q, th_imp.hypotheses + th_p.hypotheses, trusts, certs, "modus_ponens",
                 (th_imp, th_p))


def conj_intro(*ths: Theorem) -> Theorem:
    """From `Γi ⊢ pi` derive `∪Γi ⊢ p1 ∧ ... ∧ pn`.

    >>> from assay.core.terms import Var
    >>> p, q = Var("p", BOOL), Var("q", BOOL)
    >>> conj_intro(assume(p), assume(q))
    p, q ⊢ (and p q)
    """
    checked = tuple(_theorem(th, "conj_intro") for th in ths)
    trusts, certs = _inherit(*checked)
    hyps = tuple(h for th in checked for h in th.hypotheses)
    return _make(T.And(*[th.conclusion for th in checked]), hyps, trusts, certs, "conj_intro",
                 checked)


def conj_elim(th: Theorem, part: Term) -> Theorem:
    """From `Γ ⊢ p1 ∧ ... ∧ pn` derive `Γ ⊢ pi` (`part` must be one of the conjuncts).

    >>> from assay.core.terms import Var
    >>> p, q = Var("p", BOOL), Var("q", BOOL)
    >>> conj_elim(conj_intro(assume(p), assume(q)), q)
    p, q ⊢ q
    """
    th, part = _theorem(th, "conj_elim"), _formula(part, "conj_elim")
    c = th.conclusion
    if not (part is c or (c.op is Op.AND and part in c.args)):
        raise KernelError(f"conj_elim: {part!r} is not a conjunct of {c!r}")
    return _make(part, th.hypotheses, th.trusts, th.certificates, "conj_elim", (th,), (part,))


def instantiate(th: Theorem, mapping: Mapping[Term, Term]) -> Theorem:
    """From `⊢ φ` (no hypotheses) derive `⊢ φ[x := t]`: free variables are implicitly universal.

    >>> from assay.core.terms import Var, Eq, BVAdd, BV
    >>> from assay.core.sorts import BVSort
    >>> x = Var("x", BVSort(8))
    >>> th = by_evaluation(Eq(BVAdd(BV(1, 8), BV(2, 8)), BV(3, 8)))
    >>> instantiate(th, {x: BV(5, 8)}).conclusion
    true
    """
    th = _theorem(th, "instantiate")
    if th.hypotheses:
        raise KernelError("instantiate: the theorem has hypotheses; discharge them with deduce")
    for k, v in mapping.items():
        if not isinstance(k, Term) or k.op is not Op.VAR:
            raise KernelError(f"instantiate: only variables can be instantiated, got {k!r}")
        if not isinstance(v, Term) or v.sort is not k.sort:
            raise KernelError(f"instantiate: {k!r} has sort {k.sort} but the value {v!r} does not")
    conclusion = substitute(th.conclusion, dict(mapping))
    pairs = tuple(sorted(mapping.items(), key=lambda kv: kv[0].payload))
    return _make(conclusion, (), th.trusts, th.certificates, "instantiate", (th,), (pairs,))


def free_symbols_of(th: Theorem) -> list[Term]:
    """The free variables of a theorem's conclusion and hypotheses (read as universal)."""
    return [t for t in postorder(th.conclusion, *th.hypotheses) if t.op is Op.VAR]
