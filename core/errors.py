"""The exception hierarchy of Assay.

Every error a user can cause derives from `AssayError`; the command line prints these as
messages, never as tracebacks. Each subclass carries its payload (term, span, counterexample).
"""

from __future__ import annotations

from typing import Any


class AssayError(Exception):
    """Base of every error Assay raises on purpose."""


class SortError(AssayError, TypeError):
    """A term was built from arguments of the wrong sorts."""


class UnsupportedOperator(AssayError):
    """A pass met an operator it has no handler for."""

    def __init__(self, op: Any, term: Any = None, where: str = "") -> None:
        self.op = op
        self.term = term
        suffix = f" in {where}" if where else ""
        super().__init__(f"unsupported operator {op}{suffix}")


class EvaluationError(AssayError):
    """The ground evaluator met a term it cannot give a value (a free symbol without a value)."""


class ParseError(AssayError):
    """Malformed input, with its position when known."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 column: int | None = None, context: str | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.context = context
        where = ""
        if line is not None:
            where = f"{source or '<input>'}:{line}:{column or 0}: "
        text = f"{where}{message}"
        if context:
            text += "\n" + context.rstrip("\n")
        super().__init__(text)


class KernelError(AssayError):
    """A kernel rule's precondition does not hold."""


class CertificateError(AssayError):
    """A certificate (LRAT proof, bundle, model) failed its check."""


class SolverError(AssayError):
    """A solver backend failed or is not available."""
