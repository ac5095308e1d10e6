"""Running CaDiCaL 1.9.5 (through python-sat) with its LRAT proof written to a file.

python-sat's `Cadical195` only offers binary DRAT through `with_proof`, but the proof tracer it
attaches is CaDiCaL's own `trace_proof`, which honours the options set before it: we set
`lrat=1, binary=0` first and then attach the tracer to our own file, so CaDiCaL writes text
LRAT (with the hints its conflict analysis already knows) straight to disk. Original clauses
are numbered 1..m in the order they are added, which is the DIMACS order.

python-sat holds the GIL while CaDiCaL runs, so a thread cannot interrupt it; with a timeout, or
for a large query, the solver runs in a child process (`python -m assay.core.cadical CNF PROOF`)
that is killed when the time is up or the caller cancels. Untrusted: a `sat` answer is confirmed by evaluation, an `unsat` one by
`assay.core.lrat`.
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assay.core.dimacs import read_dimacs, write_dimacs
from assay.core.errors import SolverError

__all__ = ["SolveOutcome", "solve", "SOLVER_NAME"]

SOLVER_NAME = "cadical 1.9.5"

#: Larger queries run in a child process even without a timeout, so they can be interrupted.
IN_PROCESS_LIMIT = 50_000


@dataclass(frozen=True)
class SolveOutcome:
    """`status` is "sat", "unsat" or "unknown"; `model` lists the true literals when sat."""

    status: str
    model: tuple[int, ...] | None
    seconds: float
    reason: str = ""


def _solve_here(clauses: Sequence[Sequence[int]], proof_path: Path | None) -> SolveOutcome:
    try:
        import pysolvers
        from pysat.solvers import Cadical195
    except ImportError as exc:  # pragma: no cover - python-sat is a dependency
        raise SolverError(f"python-sat with CaDiCaL 1.9.5 is not available: {exc}") from exc
    start = time.perf_counter()
    solver = Cadical195()
    try:
        if proof_path is not None:
            solver.configure({"lrat": 1, "binary": 0})
            proof = open(proof_path, "wb+")  # noqa: SIM115 - closed by solver.delete()
            solver.prfp = pysolvers.cadical195_tracepr(solver.cadical, proof)
            solver.prfile = proof
        for clause in clauses:
            solver.add_clause(clause)
        answer = solver.solve()
        model = tuple(solver.get_model() or ()) if answer else None
    finally:
        solver.delete()  # flushes and closes the proof file
    seconds = time.perf_counter() - start
    return SolveOutcome("sat" if answer else "unsat", model, seconds)


def _supervise(finished: Callable[[], bool], kill: Callable[[], None], start: float,
               timeout: float | None, cancel: threading.Event | None) -> str:
    """Poll a child until it ends; kill it at the deadline or on `cancel`. Returns why it was
    stopped ("" when it ended by itself)."""
    deadline = None if timeout is None else start + timeout
    while not finished():
        stopped = ""
        if deadline is not None and time.perf_counter() > deadline:
            stopped = f"timeout after {timeout:g} s"
        elif cancel is not None and cancel.is_set():
            stopped = "interrupted"
        if stopped:
            kill()
            return stopped
    return ""


def _read_answer(lines: list[str], exit_code: int | None, seconds: float,
                 errors: str = "") -> SolveOutcome:
    """The outcome a child reported as `s UNSATISFIABLE` / `s SATISFIABLE` + `v ...` lines."""
    if exit_code != 0 or not lines:
        detail = f": {errors}" if errors else ""
        return SolveOutcome("unknown", None, seconds,
                            f"CaDiCaL child failed (exit {exit_code}){detail}")
    if lines[0] == "s UNSATISFIABLE":
        return SolveOutcome("unsat", None, seconds)
    if lines[0] == "s SATISFIABLE" and len(lines) > 1 and lines[1].startswith("v"):
        model = tuple(int(v) for v in lines[1].split()[1:] if v != "0")
        return SolveOutcome("sat", model, seconds)
    return SolveOutcome("unknown", None, seconds, f"unexpected CaDiCaL output {lines[0]!r}")


def _solve_child(nvars: int, clauses: Sequence[Sequence[int]], proof_path: Path | None,
                 timeout: float | None, cancel: threading.Event | None) -> SolveOutcome:
    """CaDiCaL in a fresh interpreter reading DIMACS (used where forking is unsafe)."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="assay-cadical-") as tmp:
        cnf = write_dimacs(Path(tmp) / "query.cnf", nvars, clauses)
        proof = str(proof_path) if proof_path is not None else "-"
        cmd = [sys.executable, "-m", "assay.core.cadical", str(cnf), proof]
        out_path, err_path = Path(tmp) / "out", Path(tmp) / "err"
        with open(out_path, "w") as out, open(err_path, "w") as err:
            child = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)

            def finished() -> bool:
                try:
                    child.wait(timeout=0.05)
                    return True
                except subprocess.TimeoutExpired:
                    return False

            def kill() -> None:
                child.kill()
                child.wait()

            stopped = _supervise(finished, kill, start, timeout, cancel)
        seconds = time.perf_counter() - start
        if stopped:
            return SolveOutcome("unknown", None, seconds, stopped)
        lines = out_path.read_text().splitlines()
        errors = err_path.read_text().strip()[-300:]
    return _read_answer(lines, child.returncode, seconds, errors)


def _answer_to_file(clauses: Sequence[Sequence[int]], proof_path: Path | None,
                    answer: Path) -> None:
    outcome = _solve_here(clauses, proof_path)
    text = "s UNSATISFIABLE\n" if outcome.status == "unsat" else \
        "s SATISFIABLE\nv " + " ".join(map(str, outcome.model or ())) + " 0\n"
    answer.write_text(text)


def _solve_forked(clauses: Sequence[Sequence[int]], proof_path: Path | None,
                  timeout: float | None, cancel: threading.Event | None) -> SolveOutcome:
    """Like `_solve_child`, but the child is a fork that inherits the clauses (no DIMACS round
    trip, no interpreter start-up)."""
    start = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="assay-cadical-") as tmp:
        answer = Path(tmp) / "answer"
        child = context.Process(target=_answer_to_file, args=(clauses, proof_path, answer),
                                daemon=True)
        child.start()

        def finished() -> bool:
            child.join(0.05)
            return not child.is_alive()

        def kill() -> None:
            child.kill()
            child.join()

        stopped = _supervise(finished, kill, start, timeout, cancel)
        seconds = time.perf_counter() - start
        if stopped:
            return SolveOutcome("unknown", None, seconds, stopped)
        lines = answer.read_text().splitlines() if answer.exists() else []
    return _read_answer(lines, child.exitcode, seconds)


def solve(nvars: int, clauses: Sequence[Sequence[int]], *, proof_path: str | Path | None = None,
          timeout: float | None = None, cancel: threading.Event | None = None) -> SolveOutcome:
    """Decide `clauses`; when `proof_path` is given, CaDiCaL writes its LRAT proof there.

    Small queries without a timeout run in this process. Otherwise CaDiCaL runs in a child
    that is killed when `timeout` expires or `cancel` is set (the answer is then "unknown",
    never "unsat").
    """
    path = Path(proof_path) if proof_path is not None else None
    if timeout is None and len(clauses) <= IN_PROCESS_LIMIT:
        return _solve_here(clauses, path)
    if timeout is not None and timeout <= 0:
        return SolveOutcome("unknown", None, 0.0, "no time left")
    if _can_fork():
        return _solve_forked(clauses, path, timeout, cancel)
    return _solve_child(nvars, clauses, path, timeout, cancel)


def _can_fork() -> bool:
    # forking a multi-threaded process may copy a held lock into the child; use a fresh
    # interpreter then
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m assay.core.cadical FILE.cnf PROOF.lrat|-", file=sys.stderr)
        return 2
    _, clauses = read_dimacs(Path(args[0]).read_text())
    outcome = _solve_here(clauses, None if args[1] == "-" else Path(args[1]))
    if outcome.status == "sat":
        assert outcome.model is not None
        print("s SATISFIABLE")
        print("v " + " ".join(map(str, outcome.model)) + " 0")
    else:
        print("s UNSATISFIABLE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
