"""cvc5 and bitwuzla on SMT-LIB text: second opinions on unsat queries, and backends of their own.

Both solvers read the canonical query text (`assay.core.query.query_text`) through their own
SMT-LIB parsers (cvc5's `InputParser`, bitwuzla's `Parser`), so a second opinion checks exactly
the text recorded in a certificate, not Assay's translation of it. As backends, a `sat` answer
is returned only with a model of Bool, bit-vector, Int and String variables that the ground
evaluator confirms; anything else is `unknown`. Trusts the solvers for unsat only.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assay.core import terms as T  # first: terms must load before walkers (import cycle)
from assay.core.backend import Opinion, Result, SmtCertificate, Status, Stopwatch
from assay.core.errors import EvaluationError, SolverError
from assay.core.evaluate import evaluate
from assay.core.ops import Op
from assay.core.query import is_bitvector_fragment, logic_of, query_text
from assay.core.sorts import SortKind
from assay.core.term import Term
from assay.core.walkers import postorder

__all__ = ["solver_version", "run_z3", "run_cvc5", "run_bitwuzla", "run_solver", "second_opinion", "Cvc5Backend",
           "BitwuzlaBackend", "SOLVERS"]

SOLVERS = ("cvc5", "bitwuzla")
BITWUZLA_LOGICS = frozenset({"QF_BV", "QF_ABV", "QF_UFBV", "QF_AUFBV"})


def load_solver(name: str) -> Any:
    """The Python module of solver `name`, or a SolverError saying how to install it (cvc5 and
    bitwuzla come with the `test` extra; they are optional at run time)."""
    import importlib
    try:
        return importlib.import_module(name)
    except ImportError:
        raise SolverError(f"{name} is not installed: pip install {name} "
                          "(or pip install -e '.[test]')") from None


def solver_version(name: str) -> str:
    if name in SOLVERS:
        try:
            module = load_solver(name)
        except SolverError:
            return "not installed"
        if name == "cvc5":
            return str(getattr(module, "__version__", "")) or "unknown"
        return str(module.version())
    if name == "z3":
        import z3
        return z3.get_version_string()
    raise SolverError(f"unknown solver {name!r}; expected one of z3, cvc5, bitwuzla")


def _answer(text: str) -> str:
    text = text.strip()
    return text if text in ("sat", "unsat") else "unknown"


def run_cvc5(query: str, *, timeout: float | None = None,
             want_values: Sequence[str] = ()) -> tuple[str, dict[str, Any]]:
    """Run cvc5 on SMT-LIB text; the answer and, on sat, the values of `want_values`."""
    cvc5 = load_solver("cvc5")
    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    solver.setOption("produce-models", "true")
    solver.setOption("arrays-exp", "true")   # constant arrays
    solver.setOption("strings-exp", "true")  # the extended string functions
    if timeout is not None:
        solver.setOption("tlimit-per", str(max(1, int(timeout * 1000))))
    parser = cvc5.InputParser(solver)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, query, "query")
    sm = parser.getSymbolManager()
    answer = "unknown"
    try:
        while True:
            cmd = parser.nextCommand()
            if cmd.isNull():
                break
            out = cmd.invoke(solver, sm)
            if cmd.getCommandName() == "check-sat":
                answer = _answer(out)
    except RuntimeError as exc:
        raise SolverError(f"cvc5 rejected the query: {exc}") from exc
    values: dict[str, Any] = {}
    if answer == "sat" and want_values:
        wanted = set(want_values)
        for term in sm.getDeclaredTerms():
            name = str(term.getSymbol()) if term.hasSymbol() else str(term)
            if name in wanted:
                values[name] = _cvc5_value(solver.getValue(term))
    return answer, values


def _cvc5_value(v: Any) -> Any:
    if v.isBooleanValue():
        return v.getBooleanValue()
    if v.isBitVectorValue():
        return int(v.getBitVectorValue(2) or "0", 2)
    if v.isIntegerValue():
        return int(v.getIntegerValue())
    if v.isStringValue():
        return v.getStringValue()
    raise SolverError(f"cannot read the cvc5 value {v}")


def run_bitwuzla(query: str, *, timeout: float | None = None,
                 want_values: Sequence[str] = ()) -> tuple[str, dict[str, Any]]:
    """Run bitwuzla on SMT-LIB text (bit-vector logics only)."""
    bitwuzla = load_solver("bitwuzla")
    tm = bitwuzla.TermManager()
    opts = bitwuzla.Options()
    opts.set(bitwuzla.Option.PRODUCE_MODELS, True)
    if timeout is not None:
        opts.set(bitwuzla.Option.TIME_LIMIT_PER, max(1, int(timeout * 1000)))
    parser = bitwuzla.Parser(tm, opts)
    try:
        parser.parse(query, True, False)
    except bitwuzla.BitwuzlaException as exc:
        raise SolverError(f"bitwuzla rejected the query: {exc}") from exc
    bzla = parser.bitwuzla()
    result = bzla.check_sat()
    answer = {bitwuzla.Result.SAT: "sat", bitwuzla.Result.UNSAT: "unsat"}.get(result, "unknown")
    values: dict[str, Any] = {}
    if answer == "sat" and want_values:
        wanted = set(want_values)
        for term in parser.get_declared_funs():
            name = term.symbol()
            if name in wanted:
                v = bzla.get_value(term)
                values[name] = (v.value() if term.sort().is_bool()
                                else int(v.value(10)))
    return answer, values


def run_z3(query: str, *, timeout: float | None = None) -> str:
    """Run z3 on SMT-LIB text through z3's own parser (not Assay's converter)."""
    import z3
    solver = z3.Solver(ctx=z3.Context())
    if timeout is not None:
        solver.set("timeout", max(1, int(timeout * 1000)))
    try:
        solver.from_string(query)
    except z3.Z3Exception as exc:
        raise SolverError(f"z3 rejected the query: {exc}") from exc
    return str(solver.check())


def run_solver(name: str, query: str, *, timeout: float | None = None) -> str:
    """The answer ("sat", "unsat" or "unknown") of solver `name` on SMT-LIB text."""
    if name == "z3":
        return _answer(run_z3(query, timeout=timeout))
    if name == "cvc5":
        return run_cvc5(query, timeout=timeout)[0]
    if name == "bitwuzla":
        return run_bitwuzla(query, timeout=timeout)[0]
    raise SolverError(f"unknown solver {name!r}; expected one of z3, cvc5, bitwuzla")


def second_opinion(name: str, query: str, *, timeout: float | None = None) -> Opinion:
    """Ask `name` ("cvc5" or "bitwuzla") to decide `query`; errors become "unknown"."""
    if name not in SOLVERS:
        raise SolverError(f"no second opinion from {name!r}; expected one of {SOLVERS}")
    with Stopwatch() as watch:
        try:
            answer = run_solver(name, query, timeout=timeout)
        except SolverError:
            answer = "unknown"
    return Opinion(name, solver_version(name), answer, watch.seconds)


class _TextBackend(ABC):
    """A backend that prints the query and lets an external solver parse it."""

    name = ""

    def supports(self, goal: Term) -> bool:
        return True

    @abstractmethod
    def run(self, query: str, timeout: float | None,
            names: Sequence[str]) -> tuple[str, dict[str, Any]]:
        """The solver's answer on `query` and, on sat, the values of the symbols `names`."""

    def check(self, assertions: Sequence[Term], *, timeout: float | None = None,
              certify_dir: Path | None = None) -> Result:
        with Stopwatch() as watch:
            result = self._check(T.And(*assertions), timeout, certify_dir)
        result.seconds = watch.seconds
        return result

    def _check(self, goal: Term, timeout: float | None, certify_dir: Path | None) -> Result:
        if not self.supports(goal):
            return Result(Status.UNKNOWN, self.name,
                          reason=f"{self.name} does not support this fragment")
        text = query_text([goal])
        variables = {t.payload: t for t in postorder(goal) if t.op is Op.VAR}
        wanted = list(variables) if _readable(goal) else []
        try:
            with Stopwatch() as watch:
                answer, values = self.run(text, timeout, wanted)
        except SolverError as exc:
            return Result(Status.UNKNOWN, self.name, reason=str(exc))
        if answer == "unsat":
            cert = SmtCertificate(text, Opinion(self.name, solver_version(self.name), "unsat",
                                                watch.seconds))
            if certify_dir is not None:
                certify_dir.mkdir(parents=True, exist_ok=True)
                (certify_dir / "query.smt2").write_text(text)
            return Result(Status.UNSAT, self.name, certificate=cert)
        if answer == "sat":
            return self._model(goal, variables, values)
        return Result(Status.UNKNOWN, self.name, reason=f"{self.name} answered unknown")

    def _model(self, goal: Term, variables: dict[str, Term], values: dict[str, Any]) -> Result:
        if not _readable(goal):
            return Result(Status.UNKNOWN, self.name,
                          reason=f"{self.name} said sat, but its model of this fragment "
                                 "cannot be read back and confirmed")
        model = {variables[n]: v for n, v in values.items() if n in variables}
        try:
            confirmed = evaluate(goal, model, complete=True) is True
        except EvaluationError as exc:
            return Result(Status.UNKNOWN, self.name, reason=f"model not confirmed: {exc}")
        if not confirmed:
            return Result(Status.UNKNOWN, self.name,
                          reason=f"{self.name}'s model was not confirmed by the ground evaluator")
        return Result(Status.SAT, self.name, model=model)


_READABLE = frozenset({SortKind.BOOL, SortKind.BV, SortKind.INT, SortKind.STRING})


def _readable(goal: Term) -> bool:
    """True when a model of `goal` consists of Bool, bit-vector, Int and String values only."""
    return not any(t.op is Op.APPLY or t.sort.kind not in _READABLE for t in postorder(goal))


class Cvc5Backend(_TextBackend):
    name = "cvc5"

    def run(self, query: str, timeout: float | None,
            names: Sequence[str]) -> tuple[str, dict[str, Any]]:
        return run_cvc5(query, timeout=timeout, want_values=names)


class BitwuzlaBackend(_TextBackend):
    name = "bitwuzla"

    def supports(self, goal: Term) -> bool:
        return is_bitvector_fragment([goal]) or logic_of([goal]) in BITWUZLA_LOGICS

    def run(self, query: str, timeout: float | None,
            names: Sequence[str]) -> tuple[str, dict[str, Any]]:
        return run_bitwuzla(query, timeout=timeout, want_values=names)
