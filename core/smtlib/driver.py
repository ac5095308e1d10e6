"""`assay smt`: run an SMT-LIB script like an SMT solver, on one of Assay's backends.

Commands run in order as they are read: each `check-sat` prints `sat`, `unsat` or `unknown`,
`get-model` prints the model as `define-fun`s, `get-value` prints `((term value) ...)`.
Before a `sat` is printed its model is evaluated on every assertion by the ground evaluator;
a model that does not check is reported as `unknown` with an error, never as `sat`. Trusts
the backend for `unsat` (whose certificate it writes with `--certify`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from assay.core.backend import Backend, Result, Status
from assay.core.errors import AssayError, EvaluationError, ParseError
from assay.core.evaluate import default_value, evaluate, evaluate_many
from assay.core.printer import sort_text, string_literal, symbol, value_to_smtlib
from assay.core.smtlib.commands import (
    Assert,
    CheckSat,
    Command,
    DeclareFun,
    Echo,
    Exit,
    GetInfo,
    GetModel,
    GetValue,
    Interpreter,
    SetOption,
)
from assay.core.smtlib.reader import Source
from assay.core.term import FunctionSymbol, Term
from assay.core.values import FuncValue

VERSION_INFO = {":name": '"assay"', ":authors": '"the Assay authors"',
                ":error-behavior": "continued-execution"}


@dataclass
class Session:
    """The state of one run: assertions so far, the last answer, and what was printed."""

    backend_factory: Callable[[], Backend]
    timeout: float | None = None
    certify_dir: Path | None = None
    emit: Callable[[str], None] = print
    assertions: list[Term] = field(default_factory=list)
    symbols: list[Term | FunctionSymbol] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    last: Result | None = None
    checks: int = 0
    print_success: bool = False
    errors: int = 0
    show_progress: bool = False

    def progress(self, what: str) -> AbstractContextManager[Any]:
        """A spinner on stderr while a backend works (only on a terminal, never with --json)."""
        if not self.show_progress:
            return nullcontext()
        from rich.console import Console
        return Console(stderr=True).status(what)

    def error(self, message: str) -> None:
        self.errors += 1
        self.emit(f"(error {string_literal(message)})")

    def run(self, cmd: Command) -> bool:
        """Execute one command; False after `exit`."""
        if isinstance(cmd, Exit):
            return False
        if isinstance(cmd, Assert):
            self.assertions.append(cmd.term)
        elif isinstance(cmd, DeclareFun):
            self.symbols.append(cmd.symbol)
        elif isinstance(cmd, CheckSat):
            self.check_sat(cmd)
            return True
        elif isinstance(cmd, GetModel):
            self.get_model()
            return True
        elif isinstance(cmd, GetValue):
            self.get_value(cmd)
            return True
        elif isinstance(cmd, GetInfo):
            self.get_info(cmd)
            return True
        elif isinstance(cmd, Echo):
            self.emit(cmd.text)
            return True
        elif isinstance(cmd, SetOption) and cmd.keyword == ":print-success":
            self.print_success = cmd.value == "true"
        if self.print_success:
            self.emit("success")
        return True

    def check_sat(self, cmd: CheckSat) -> None:
        self.checks += 1
        cdir = self.certify_dir
        if cdir is not None and self.checks > 1:
            cdir = cdir / f"check-sat-{self.checks}"
        if cdir is not None:
            cdir.mkdir(parents=True, exist_ok=True)
        try:
            with self.progress(f"check-sat #{self.checks}: {len(self.assertions)} assertions"):
                result = self.backend_factory().check(list(self.assertions),
                                                      timeout=self.timeout, certify_dir=cdir)
        except AssayError as exc:  # e.g. an operator the backend does not handle
            result = Result(Status.UNKNOWN, "?", reason=f"{type(exc).__name__}: {exc}")
            self.error(result.reason)
        if result.status is Status.SAT:
            problem = self._confirm(result.model or {})
            if problem:
                result = Result(Status.UNKNOWN, result.backend, reason=problem,
                                seconds=result.seconds)
                self.error(problem)
        self.last = result
        entry = {"line": cmd.line, **result.to_json()}
        if cdir is not None:
            entry["certify_dir"] = str(cdir)
        self.results.append(entry)
        self.emit(str(result.status))

    def _confirm(self, model: dict[Any, Any]) -> str:
        """Empty when the model satisfies every assertion, else what is wrong."""
        try:
            values = evaluate_many(self.assertions, model, complete=True)
        except EvaluationError as exc:
            return f"the model from the backend cannot be confirmed: {exc}"
        for t, v in zip(self.assertions, values):
            if v is not True:
                return f"the backend's model falsifies an assertion: {t!r}"
        return ""

    def _model(self) -> dict[Any, Any] | None:
        if self.last is None or self.last.status is not Status.SAT:
            answer = "no check-sat yet" if self.last is None else \
                f"the last check-sat answered {self.last.status}"
            self.error(f"no model is available: {answer}")
            return None
        return self.last.model or {}

    def get_model(self) -> None:
        model = self._model()
        if model is None:
            return
        lines = ["("]
        for s in self.symbols:
            lines.append("  " + model_entry(s, model))
        lines.append(")")
        self.emit("\n".join(lines))

    def get_value(self, cmd: GetValue) -> None:
        model = self._model()
        if model is None:
            return
        try:
            values = evaluate_many(list(cmd.terms), model, complete=True)
        except EvaluationError as exc:
            self.error(str(exc))
            return
        pairs = [f"({text} {value_to_smtlib(v, t.sort)})"
                 for text, t, v in zip(cmd.texts, cmd.terms, values)]
        self.emit("(" + "\n ".join(pairs) + ")")

    def get_info(self, cmd: GetInfo) -> None:
        from assay import __version__
        if cmd.keyword == ":version":
            self.emit(f'(:version "{__version__}")')
        elif cmd.keyword in VERSION_INFO:
            self.emit(f"({cmd.keyword} {VERSION_INFO[cmd.keyword]})")
        elif cmd.keyword == ":reason-unknown" and self.last is not None \
                and self.last.status is Status.UNKNOWN:
            self.emit(f"(:reason-unknown {string_literal(self.last.reason or 'unknown')})")
        else:
            self.emit("unsupported")


def model_entry(s: Term | FunctionSymbol, model: dict[Any, Any]) -> str:
    """`(define-fun ...)` giving symbol `s` its value in `model` (a default when absent)."""
    if isinstance(s, Term):
        value = evaluate(s, model, complete=True)
        return f"(define-fun {symbol(s.payload)} () {sort_text(s.sort)} " \
               f"{value_to_smtlib(value, s.sort)})"
    interp = model.get(s)
    if not isinstance(interp, FuncValue):
        interp = FuncValue.make(default_value(s.range))
    params = [f"x!{i}" for i in range(len(s.domain))]
    body = value_to_smtlib(interp.default, s.range)
    for args, value in reversed(interp.entries):
        conds = [f"(= {p} {value_to_smtlib(a, srt)})" for p, a, srt in zip(params, args, s.domain)]
        cond = conds[0] if len(conds) == 1 else f"(and {' '.join(conds)})"
        body = f"(ite {cond} {value_to_smtlib(value, s.range)} {body})"
    decl = " ".join(f"({p} {sort_text(srt)})" for p, srt in zip(params, s.domain))
    return f"(define-fun {symbol(s.name)} ({decl}) {sort_text(s.range)} {body})"


def run_smt(path: Path, *, backend: str = "auto", timeout: float | None = None,
            certify_dir: Path | None = None, as_json: bool = False,
            out: TextIO | None = None, err: TextIO | None = None,
            backend_factory: Callable[[], Backend] | None = None) -> int:
    """Run the script at `path`; returns the exit code (0 normal run, 1 on any error)."""
    out = out or sys.stdout
    err = err or sys.stderr
    lines: list[str] = []

    def emit(text: str) -> None:
        lines.append(text)
        if not as_json:
            print(text, file=out, flush=True)

    if backend_factory is None:
        from assay.core.backends import get_backend

        def backend_factory() -> Backend:
            return get_backend(backend)

    session = Session(backend_factory, timeout, certify_dir, emit)
    session.show_progress = not as_json and err is sys.stderr and sys.stderr.isatty()
    failure: str | None = None
    try:
        text = _read(path)
        for cmd in Interpreter(Source(text, str(path))).commands():
            if not session.run(cmd):
                break
    except ParseError as exc:
        failure = str(exc)
    except AssayError as exc:
        failure = f"{type(exc).__name__}: {exc}"
    code = 1 if failure or session.errors else 0
    if as_json:
        report: dict[str, Any] = {"file": str(path), "backend": backend, "exit_code": code,
                                  "results": session.results, "output": lines,
                                  "status": session.results[0]["status"]
                                  if session.results else None}
        if failure:
            report["error"] = failure
        print(json.dumps(report, indent=2), file=out)
    elif failure:
        print(f"assay smt: error: {failure}", file=err)
    return code


def _read(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror or exc}", source=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ParseError(f"{path} is not UTF-8 text: {exc.reason} at byte {exc.start}",
                         source=str(path)) from None


__all__: Sequence[str] = ["run_smt", "Session", "model_entry"]
