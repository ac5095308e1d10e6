"""The `sat` backend: normalise, bit-blast, Tseitin, CaDiCaL, and check what it says.

Pipeline for `check(assertions)`: uninterpreted functions over Bool/bit-vectors are removed by
Ackermann's reduction, top-level definitions `(= v e)` are solved by substitution,
the rest goes through word-level normalisation (`assay.core.normalize`), the bit-blaster builds an AIG (`assay.core.bitblast`), its output
cone becomes CNF (`assay.core.cnf`), and CaDiCaL 1.9.5 decides it while writing an LRAT proof
(`assay.core.cadical`). A `sat` answer is returned only after the ground evaluator confirms the
model on the original assertions; an `unsat` answer only after `assay.core.lrat` accepts the
proof against the very clauses CaDiCaL was given. Anything else is `unknown`, never `unsat`.

`cnf_for_kernel(formula)` is the same encoding without the solver: the kernel calls it to
re-derive the CNF an LRAT certificate must refute. The encoding depends only on the structure
of the formula, so it is reproducible in another process (`assay check BUNDLE`).
Trusted (by the kernel): normalisation, bit-blasting and CNF; not trusted: CaDiCaL.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.core import terms as T
from assay.core.aig import AIG, CircuitLimit
from assay.core.backend import LratCertificate, Result, Status
from assay.core.bitblast import BitBlaster, canonical_keys
from assay.core.cadical import SOLVER_NAME, solve
from assay.core.cnf import CNF, tseitin
from assay.core.dimacs import to_dimacs
from assay.core.errors import EvaluationError
from assay.core.evaluate import default_value, evaluate
from assay.core.lrat import LratError, check_lrat
from assay.core.normalize import eliminate_definitions, normalize
from assay.core.ops import Op
from assay.core.rebuild import rebuild
from assay.core.term import Term
from assay.core.values import FuncValue
from assay.core.walkers import free_vars, postorder

__all__ = ["SatBackend", "Encoding", "encode", "cnf_for_kernel", "ackermannize"]


@dataclass
class Encoding:
    """A formula as CNF, with what is needed to read a SAT model back."""

    formula: Term
    applications: dict[Term, tuple[Term, tuple[Term, ...]]]
    ackermannized: Term
    definitions: dict[Term, Term]
    normalized: Term
    aig: AIG
    symbols: dict[Term, list[int]]
    cnf: CNF
    seconds: float


#: Larger circuits are not built (about 200 bytes of memory per node in this representation).
MAX_AIG_NODES = 4_000_000


def encode(formula: Term, deadline: float | None = None,
           max_nodes: int | None = None) -> Encoding:
    """Normalise, bit-blast and Tseitin-encode a Bool formula (raises `UnsupportedOperator`,
    and `BlastTimeout` when `deadline`, a `time.perf_counter()` value, passes)."""
    start = time.perf_counter()
    ackermannized, applications = ackermannize(formula)
    reduced, definitions = eliminate_definitions(ackermannized)
    normalized = normalize(reduced)
    blaster = BitBlaster(deadline=deadline, max_nodes=max_nodes)
    root = blaster.blast_bool(normalized)
    cnf = tseitin(blaster.aig, [root])
    return Encoding(formula, applications, ackermannized, definitions, normalized, blaster.aig, blaster.symbols, cnf,
                    time.perf_counter() - start)


def ackermannize(formula: Term) -> tuple[Term, dict[Term, tuple[Term, tuple[Term, ...]]]]:
    """Replace each application `f(args)` of an uninterpreted function by a fresh variable and
    add functional consistency: for two applications of one `f`, equal arguments imply equal
    results. Equisatisfiable with `formula`. Returns the new formula and, per application, its
    variable and its arguments with applications replaced (to rebuild `f`'s table from a model).

    Applications are numbered in `canonical_keys` order, and the fresh names contain `|`, which
    no SMT-LIB symbol can, so the result depends on the structure of `formula` only.
    """
    apps = [t for t in postorder(formula) if t.op is Op.APPLY]
    if not apps:
        return formula, {}
    keys = canonical_keys(formula)
    apps.sort(key=keys.__getitem__)
    fresh = {app: T.Var(f"ack|{app.payload.name}|{i}", app.sort) for i, app in enumerate(apps)}
    replaced: dict[Term, Term] = {}
    for t in postorder(formula):
        if t in fresh:
            replaced[t] = fresh[t]
        else:
            replaced[t] = rebuild(t, [replaced[a] for a in t.args]) if t.args else t
    by_symbol: dict[Any, list[Term]] = {}
    for app in apps:
        by_symbol.setdefault(app.payload, []).append(app)
    consistency: list[Term] = []
    for group in by_symbol.values():
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                same = T.And(*[T.Eq(replaced[a], replaced[b])
                               for a, b in zip(first.args, second.args)])
                consistency.append(T.Implies(same, T.Eq(fresh[first], fresh[second])))
    table = {app: (fresh[app], tuple(replaced[a] for a in app.args)) for app in apps}
    return T.And(replaced[formula], *consistency), table


def cnf_for_kernel(formula: Term) -> list[tuple[int, ...]]:
    """The clauses whose refutation proves `formula` unsatisfiable (see `assay.core.kernel`)."""
    return encode(formula).cnf.clauses


def _model(enc: Encoding, true_lits: Sequence[int]) -> dict[Any, Any]:
    inputs = enc.cnf.input_values(enc.aig, true_lits)
    model: dict[Any, Any] = {}
    for var in free_vars(enc.ackermannized):
        if var in enc.definitions:
            continue
        bits = enc.symbols.get(var)
        if bits is None:  # normalised away: any value will do
            model[var] = default_value(var.sort)
        elif var.sort.is_bool:
            model[var] = inputs[bits[0] >> 1]
        else:
            model[var] = sum(1 << i for i, lit in enumerate(bits) if inputs[lit >> 1])
    for var, value in reversed(enc.definitions.items()):  # eliminated: defined by the rest
        model[var] = evaluate(value, model, complete=True)
    for var, _ in enc.applications.values():
        if var not in model:  # only inside other applications' arguments: unconstrained
            model[var] = default_value(var.sort)
    tables: dict[Any, dict[tuple[Any, ...], Any]] = {}
    for app, (var, args) in enc.applications.items():
        key = tuple(evaluate(a, model, complete=True) for a in args)
        tables.setdefault(app.payload, {})[key] = model[var]
    out: dict[Any, Any] = {}
    for var in free_vars(enc.formula):
        out[var] = model[var] if var in model else default_value(var.sort)
    for f, entries in tables.items():
        out[f] = FuncValue.make(default_value(f.range), entries)
    return out


class SatBackend:
    """Certified bit-vector decision procedure (see the module docstring)."""

    name = "sat"

    def __init__(self) -> None:
        self._cancel = threading.Event()

    def interrupt(self) -> None:
        """Ask a running `check` (from another thread) to stop; it then answers unknown.
        Effective once CaDiCaL runs in its child process (large queries or with a timeout)."""
        self._cancel.set()

    def check(self, assertions: Sequence[Term], *, timeout: float | None = None,
              certify_dir: Path | None = None) -> Result:
        start = time.perf_counter()
        formula = T.And(*assertions)
        deadline = None if timeout is None else start + timeout
        try:
            enc = encode(formula, deadline, MAX_AIG_NODES)
        except CircuitLimit as exc:
            return Result(Status.UNKNOWN, self.name, reason=f"gave up: {exc}",
                          seconds=time.perf_counter() - start)
        stats: dict[str, Any] = {
            "vars": enc.cnf.nvars, "clauses": len(enc.cnf.clauses), "ands": enc.aig.num_ands,
            "encode_seconds": round(enc.seconds, 6)}
        remaining = None if timeout is None else timeout - (time.perf_counter() - start)
        with tempfile.TemporaryDirectory(prefix="assay-sat-") as tmp:
            proof_path = Path(tmp) / "proof.lrat"
            outcome = solve(enc.cnf.nvars, enc.cnf.clauses, proof_path=proof_path,
                            timeout=remaining, cancel=self._cancel)
            stats["solve_seconds"] = round(outcome.seconds, 6)
            if outcome.status == "sat":
                return self._sat(enc, outcome.model or (), start, stats)
            if outcome.status != "unsat":
                return Result(Status.UNKNOWN, self.name, reason=outcome.reason,
                              seconds=time.perf_counter() - start, stats=stats)
            proof = proof_path.read_text() if proof_path.exists() else ""
        return self._unsat(enc, proof, start, stats, certify_dir)

    def _sat(self, enc: Encoding, true_lits: Sequence[int], start: float,
             stats: dict[str, Any]) -> Result:
        model = _model(enc, true_lits)
        try:
            confirmed = evaluate(enc.formula, model) is True
        except EvaluationError as exc:
            confirmed, stats["evaluation_error"] = False, str(exc)
        if not confirmed:
            return Result(Status.UNKNOWN, self.name, seconds=time.perf_counter() - start,
                          reason="internal error: the SAT model does not satisfy the "
                                 "assertions under the ground evaluator", stats=stats)
        return Result(Status.SAT, self.name, model=model, seconds=time.perf_counter() - start,
                      stats=stats)

    def _unsat(self, enc: Encoding, proof: str, start: float, stats: dict[str, Any],
               certify_dir: Path | None) -> Result:
        try:
            checked = check_lrat(enc.cnf.clauses, proof)
        except LratError as exc:
            return Result(Status.UNKNOWN, self.name, seconds=time.perf_counter() - start,
                          reason=f"CaDiCaL said unsat but its LRAT proof was rejected: {exc}",
                          stats=stats)
        stats["check_seconds"] = round(checked.seconds, 6)
        stats["proof_bytes"] = len(proof)
        dimacs = to_dimacs(enc.cnf.nvars, enc.cnf.clauses)
        if certify_dir is not None:
            stats["files"] = _write_certificate(Path(certify_dir), dimacs, proof)
        cert = LratCertificate(dimacs, proof, True, checked.seconds, SOLVER_NAME)
        return Result(Status.UNSAT, self.name, certificate=cert,
                      seconds=time.perf_counter() - start, stats=stats)


def _write_certificate(folder: Path, dimacs: str, proof: str) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    stem = "sat-" + hashlib.sha256(dimacs.encode()).hexdigest()[:16]
    cnf_path, lrat_path = folder / f"{stem}.cnf", folder / f"{stem}.lrat"
    cnf_path.write_text(dimacs)
    lrat_path.write_text(proof)
    return [str(cnf_path), str(lrat_path)]
