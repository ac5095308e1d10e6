"""The backend registry: `get_backend(name)` for "sat", "z3", "cvc5", "bitwuzla" and "auto".

`auto` picks by fragment. Pure Bool/bit-vector queries go to `sat`, whose unsat answers carry
LRAT proofs, raced against z3 in a second thread: a confirmed z3 model ends the race at once, a
z3 unsat waits for the certified answer and is used only when `sat` gives up. Anything with
integers, strings, sets, arrays, datatypes or uninterpreted functions goes to z3, optionally with
second opinions from cvc5 and bitwuzla. Untrusted: the kernel re-checks whatever this returns.
"""

from __future__ import annotations

import importlib
import queue
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from assay.core import terms as T  # first: terms must load before walkers (import cycle)
from assay.core.backend import Backend, Result, Status, Stopwatch
from assay.core.errors import SolverError
from assay.core.query import is_bitvector_fragment

__all__ = ["get_backend", "BACKENDS", "AutoBackend", "sat_available"]

BACKENDS = ("sat", "z3", "cvc5", "bitwuzla", "auto")


def _sat() -> Backend:
    try:
        backend_sat = importlib.import_module("assay.core.backend_sat")
    except ModuleNotFoundError as exc:
        raise SolverError("the sat backend (assay.core.backend_sat) is not installed") from exc
    return backend_sat.SatBackend()


def sat_available() -> bool:
    try:
        _sat()
    except (SolverError, AttributeError):
        return False
    return True


def _z3(second_opinions: Sequence[str]) -> Backend:
    from assay.core.backend_z3 import Z3Backend
    return Z3Backend(second_opinions)


def get_backend(name: str, *, second_opinions: Sequence[str] = ()) -> Backend:
    """A fresh backend by name. `second_opinions` ("cvc5", "bitwuzla") apply to z3 and auto.

    >>> get_backend("z3").name, get_backend("auto").name
    ('z3', 'auto')
    """
    if name == "sat":
        return _sat()
    if name == "z3":
        return _z3(second_opinions)
    if name == "cvc5":
        from assay.core.backend_smtcli import Cvc5Backend
        return Cvc5Backend()
    if name == "bitwuzla":
        from assay.core.backend_smtcli import BitwuzlaBackend
        return BitwuzlaBackend()
    if name == "auto":
        return AutoBackend(second_opinions)
    raise SolverError(f"unknown backend {name!r}; expected one of {', '.join(BACKENDS)}")


class AutoBackend:
    """Chooses a backend by fragment, racing `sat` against z3 on bit-vector queries."""

    name = "auto"

    def __init__(self, second_opinions: Sequence[str] = ()) -> None:
        self.second_opinions = tuple(second_opinions)

    def check(self, assertions: Sequence[T.Term], *, timeout: float | None = None,
              certify_dir: Path | None = None) -> Result:
        goal = T.And(*assertions)
        with Stopwatch() as watch:
            if is_bitvector_fragment([goal]) and sat_available():
                result = self._race(goal, timeout, certify_dir)
            else:
                result = _z3(self.second_opinions).check([goal], timeout=timeout,
                                                         certify_dir=certify_dir)
                result.stats["chosen"] = "z3"
        result.seconds = watch.seconds
        return result

    def _race(self, goal: T.Term, timeout: float | None, certify_dir: Path | None) -> Result:
        sat, z3b = _sat(), _z3(self.second_opinions)
        answers: queue.Queue[tuple[str, Result]] = queue.Queue()

        def run(backend: Backend, target: Path | None) -> Callable[[], None]:
            def body() -> None:
                try:
                    res = backend.check([goal], timeout=timeout, certify_dir=target)
                except Exception as exc:  # noqa: BLE001 - a crashed racer is an unknown answer
                    res = Result(Status.UNKNOWN, backend.name, reason=f"{type(exc).__name__}: "
                                                                      f"{exc}")
                answers.put((backend.name, res))
            return body

        threads = [threading.Thread(target=run(sat, certify_dir), daemon=True),
                   threading.Thread(target=run(z3b, None), daemon=True)]
        for th in threads:
            th.start()
        z3_unsat: Result | None = None
        last: Result | None = None
        for _ in threads:
            name, res = answers.get()
            last = res
            if name == "sat" and res.status is not Status.UNKNOWN:
                _stop(z3b)
                res.stats["chosen"] = "sat"
                return res
            if name == "z3" and res.status is Status.SAT:
                _stop(sat)
                res.stats["chosen"] = "z3 (raced with sat)"
                return res
            if name == "z3" and res.status is Status.UNSAT:
                z3_unsat = res
        if z3_unsat is not None:
            z3_unsat.stats["chosen"] = "z3 (sat gave up: no LRAT proof)"
            if certify_dir is not None and z3_unsat.certificate is not None:
                certify_dir.mkdir(parents=True, exist_ok=True)
                (certify_dir / "query.smt2").write_text(z3_unsat.certificate.smtlib)  # type: ignore[union-attr]
            return z3_unsat
        if last is None:  # pragma: no cover - two answers always arrive
            return Result(Status.UNKNOWN, self.name, reason="no backend answered")
        return Result(Status.UNKNOWN, self.name,
                      reason="; ".join(filter(None, [last.reason, "both sat and z3 gave up"])))


def _stop(backend: object) -> None:
    stop = getattr(backend, "interrupt", None)
    if callable(stop):
        stop()
