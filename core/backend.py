"""The interface every solver backend implements, and the answers they give.

A backend decides the satisfiability of a conjunction of Boolean terms. Its answer is a
`Result`: `sat` with a model that the ground evaluator has confirmed, `unsat` with a certificate
(an LRAT proof checked by `assay.core.lrat`, or the SMT-LIB query with the solver's name and
version and any second opinions), or `unknown` with a reason. Unknown and timeouts are never
unsat. This module is the contract only; it trusts nothing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from assay.core.term import Term


class Status(Enum):
    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class LratCertificate:
    """A refutation of the CNF that the bit-blaster produced for the query.

    `dimacs` and `lrat` are the file contents (text); `checked` records that
    `assay.core.lrat` accepted the proof, and `check_seconds` how long that took.
    """

    dimacs: str
    lrat: str
    checked: bool
    check_seconds: float = 0.0
    solver: str = "cadical 1.9.5"

    kind: str = "sat+lrat"


@dataclass(frozen=True)
class Opinion:
    """One solver's answer on an SMT-LIB query."""

    solver: str      # e.g. "z3"
    version: str     # e.g. "4.15.4"
    answer: str      # "sat" | "unsat" | "unknown"
    seconds: float = 0.0


@dataclass(frozen=True)
class SmtCertificate:
    """An SMT solver's unsat answer: the exact query, who answered, and any second opinions."""

    smtlib: str
    primary: Opinion
    second_opinions: tuple[Opinion, ...] = ()

    kind: str = "smt"

    @property
    def agreeing(self) -> tuple[Opinion, ...]:
        return (self.primary,) + tuple(o for o in self.second_opinions if o.answer == "unsat")


Certificate = LratCertificate | SmtCertificate


@dataclass
class Result:
    status: Status
    backend: str
    model: dict[Any, Any] | None = None          # Var term / FunctionSymbol -> value
    certificate: Certificate | None = None
    reason: str = ""                             # why unknown
    seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def is_sat(self) -> bool:
        return self.status is Status.SAT

    @property
    def is_unsat(self) -> bool:
        return self.status is Status.UNSAT

    def to_json(self) -> dict[str, Any]:
        from assay.core.printer import value_to_smtlib
        out: dict[str, Any] = {"status": str(self.status), "backend": self.backend,
                               "seconds": round(self.seconds, 6)}
        if self.model is not None:
            out["model"] = {getattr(k, "payload", getattr(k, "name", str(k))):
                            value_to_smtlib(v, k.sort) if isinstance(k, Term) else repr(v)
                            for k, v in self.model.items()}
        if self.certificate is not None:
            out["certificate"] = self.certificate.kind
        if self.reason:
            out["reason"] = self.reason
        if self.stats:
            out["stats"] = self.stats
        return out


class Backend(Protocol):
    """A decision procedure for conjunctions of Boolean terms."""

    name: str

    def check(self, assertions: Sequence[Term], *, timeout: float | None = None,
              certify_dir: Path | None = None) -> Result:
        """Decide `And(assertions)`. `timeout` is in seconds; on expiry the answer is unknown.
        `certify_dir`, when given, receives the certificate files (DIMACS, LRAT, SMT-LIB)."""
        ...


class Stopwatch:
    """Measures a block: `with Stopwatch() as w: ...; w.seconds`."""

    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
