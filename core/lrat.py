"""A checker for LRAT refutation proofs: the one piece of the `sat` backend that must be trusted.

An unsat answer from the `sat` backend is believed only after this module has replayed the
solver's proof against the CNF the solver was given. It imports the standard library and nothing
else, so auditing Assay's bit-vector proofs means reading this file (and the bit-blaster that made
the CNF), not CaDiCaL.

Format (text LRAT, as CaDiCaL writes it with option ``lrat``)::

    <id> <lit>* 0 <hint>* 0       add clause <id>, justified by the hints
    <id> d <id>* 0                delete clauses (the leading id is ignored)

Original clauses are numbered 1..m in DIMACS order. An added clause C is checked by reverse unit
propagation that uses exactly the hints, in order: starting from the assignment that falsifies
C, each positive hint must name a clause that is unit (its one unassigned literal is then made
true) or falsified (the check succeeds). A negative hint ``-j`` opens a RAT case: C's first
literal p is the pivot, every live clause D that contains -p must have its own group ``-id(D)
hints...``, and each group must propagate to a conflict under the falsified C ∪ (D \\ {-p}).
The proof is accepted only when the empty clause is derived. By default only the steps the
empty clause depends on are checked (one backward pass over the hints finds them; CaDiCaL's
proofs carry many lemmas the refutation never uses).

Run standalone: ``python -m assay.core.lrat FILE.cnf FILE.lrat``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LratError", "LratStats", "check_lrat", "check_lrat_files", "read_dimacs"]

Clause = tuple[int, ...]


class LratError(ValueError):
    """The proof (or the CNF it refers to) is malformed or does not justify a step.

    Callers on the solver side turn it into `assay.core.errors.CertificateError`; it is a
    plain `ValueError` here so that this module depends on nothing but the standard library.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        where = f"LRAT line {line}: " if line is not None else ""
        super().__init__(f"{where}{message}")


@dataclass(frozen=True)
class LratStats:
    """What an accepted proof contained, and how long checking it took."""

    original: int
    added: int
    deleted: int
    rat_steps: int
    seconds: float
    trimmed: bool = False   # only the steps the empty clause depends on were checked


def read_dimacs(text: str) -> tuple[int, list[Clause]]:
    """Parse DIMACS CNF text into (number of variables, clauses); comments are skipped."""
    nvars = -1
    nclauses = -1
    clauses: list[Clause] = []
    current: list[int] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped[0] == "c" or stripped[0] == "%":
            continue
        if stripped[0] == "p":
            fields = stripped.split()
            if len(fields) != 4 or fields[1] != "cnf" or nvars >= 0:
                raise LratError(f"DIMACS line {lineno}: bad header {stripped!r}")
            try:
                nvars, nclauses = int(fields[2]), int(fields[3])
            except ValueError:
                raise LratError(f"DIMACS line {lineno}: bad header {stripped!r}") from None
            continue
        if nvars < 0:
            raise LratError(f"DIMACS line {lineno}: clause before the 'p cnf' header")
        for field in stripped.split():
            try:
                lit = int(field)
            except ValueError:
                raise LratError(f"DIMACS line {lineno}: not a literal: {field!r}") from None
            if lit == 0:
                clauses.append(tuple(current))
                current = []
            elif abs(lit) > nvars:
                raise LratError(f"DIMACS line {lineno}: literal {lit} exceeds {nvars} variables")
            else:
                current.append(lit)
    if current:
        raise LratError("DIMACS: last clause is not terminated by 0")
    if nvars < 0:
        raise LratError("DIMACS: missing 'p cnf' header")
    if nclauses != len(clauses):
        raise LratError(f"DIMACS: header announces {nclauses} clauses, found {len(clauses)}")
    return nvars, clauses


def _propagate(falsified: set[int], hints: Sequence[int], db: dict[int, frozenset[int]],
               lineno: int) -> bool:
    """Run unit propagation along `hints` from `falsified` (the set of false literals).

    Returns True at the first falsified hint clause (a conflict), False when the hints run out.
    Raises `LratError` for a hint that is missing, satisfied, or has two unassigned literals.
    `falsified` is extended in place.
    """
    get = db.get
    for hint in hints:
        clause = get(hint)
        if clause is None:
            raise LratError(f"hint {hint} names no live clause", lineno)
        rest = clause - falsified
        if not rest:
            return True
        if len(rest) > 1:
            raise LratError(f"hint {hint} is not unit: {len(rest)} literals unassigned", lineno)
        (unit,) = rest
        if -unit in falsified:
            raise LratError(f"hint {hint} is already satisfied by literal {unit}", lineno)
        falsified.add(-unit)
    return False


def _check_rat(clause: Clause, hints: list[int], db: dict[int, frozenset[int]],
               lineno: int) -> None:
    """Check a RAT step: positive hints first, then one negative-hint group per pivot clash."""
    if not clause:
        raise LratError("the empty clause cannot be a RAT step", lineno)
    pivot = clause[0]
    first_neg = next(i for i, h in enumerate(hints) if h < 0)
    falsified = set(clause)
    if _propagate(falsified, hints[:first_neg], db, lineno):
        return
    groups: dict[int, list[int]] = {}
    current: list[int] | None = None
    for hint in hints[first_neg:]:
        if hint < 0:
            if -hint in groups:
                raise LratError(f"RAT group for clause {-hint} given twice", lineno)
            current = groups[-hint] = []
        else:
            assert current is not None
            current.append(hint)
    for cid, other in db.items():
        if -pivot not in other:
            continue
        if any(-lit in falsified for lit in other if lit != -pivot):
            continue  # the resolvent is satisfied by the RUP part: a tautology on this side
        group = groups.get(cid)
        if group is None:
            raise LratError(f"RAT on pivot {pivot}: no hints for clause {cid}", lineno)
        local = set(falsified)
        local.update(lit for lit in other if lit != -pivot)
        if not _propagate(local, group, db, lineno):
            raise LratError(f"RAT on pivot {pivot}: hints for clause {cid} reach no conflict",
                            lineno)


def _tautology(clause: Clause) -> bool:
    """A clause with a literal and its negation holds without justification."""
    lits = set(clause)
    return any(-lit in lits for lit in lits)


def refutation_steps(lines: Sequence[str]) -> list[tuple[int, str]] | None:
    """The addition lines (with their line numbers) that the last derived empty clause depends
    on through its hints, found by one backward pass; None when there is no empty clause or a
    needed step is a RAT step (whose check looks at every live clause).

    Checking only these steps is enough: each one is verified from the original clauses and
    earlier verified steps, and the last one is the empty clause. Lines outside the cone are
    neither parsed nor checked; deletions only ever weaken the formula, so skipping them is
    sound.
    """
    needed: set[int] = set()
    kept: list[tuple[int, str]] = []
    found_empty = False
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index].strip()
        space = line.find(" ")
        if space <= 0 or line.startswith("d ", space + 1):
            continue
        if not found_empty:
            if not line.startswith("0 ", space + 1) or not line[:space].isdigit():
                continue
            found_empty = True
        else:
            try:
                cid = int(line[:space])
            except ValueError:
                continue
            if cid not in needed:
                continue
        fields = line.split()
        try:
            numbers = [int(f) for f in fields]
            zero = numbers.index(0, 1)
        except ValueError:
            kept.append((index + 1, line))  # malformed: the checker reports it
            continue
        hints = numbers[zero + 1:-1]
        if hints and min(hints) < 0:
            return None
        needed.update(hints)
        kept.append((index + 1, line))
    if not found_empty:
        return None
    kept.reverse()
    return kept


def check_lrat(clauses: Sequence[Sequence[int]], proof: Iterable[str] | str, *,
               trim: bool = True) -> LratStats:
    """Check an LRAT proof that `clauses` are unsatisfiable; raise `LratError` if it is not one.

    `proof` is the proof text or an iterable of its lines. With `trim` (the default) only the
    steps in the empty clause's dependency cone are checked (`refutation_steps`); without it,
    every step, in order, with deletions.
    """
    lines = proof.splitlines() if isinstance(proof, str) else list(proof)
    if trim:
        start = time.perf_counter()
        steps = refutation_steps(lines)
        if steps is not None:
            stats = _check_steps(clauses, steps, start)
            return LratStats(stats.original, stats.added, stats.deleted, stats.rat_steps,
                             stats.seconds, trimmed=True)
    return _check_steps(clauses, enumerate(lines, 1), time.perf_counter())


def _check_steps(clauses: Sequence[Sequence[int]], numbered: Iterable[tuple[int, str]],
                 start: float) -> LratStats:
    db: dict[int, frozenset[int]] = {}
    for index, original in enumerate(clauses, 1):
        db[index] = frozenset(original)
    last_id = len(db)
    if any(not c for c in db.values()):
        # The formula contains the empty clause: unsat without any step.
        return LratStats(len(db), 0, 0, 0, time.perf_counter() - start)
    added = deleted = rat_steps = 0
    derived_empty = False
    for lineno, line in numbered:
        fields = line.split()
        if not fields or fields[0] == "c":
            continue
        try:
            if len(fields) > 1 and fields[1] == "d":
                ids = list(map(int, fields[2:]))
                if not ids or ids[-1] != 0:
                    raise LratError("deletion not terminated by 0", lineno)
                for cid in ids[:-1]:
                    db.pop(cid, None)  # deleting an unknown clause weakens nothing
                deleted += len(ids) - 1
                continue
            numbers = list(map(int, fields))
        except ValueError:
            raise LratError(f"not an LRAT line: {line.strip()!r}", lineno) from None
        cid = numbers[0]
        try:
            zero = numbers.index(0, 1)
        except ValueError:
            raise LratError("clause not terminated by 0", lineno) from None
        if numbers[-1] != 0 or zero == len(numbers) - 1:
            raise LratError("hint list not terminated by 0", lineno)
        if cid <= last_id:
            raise LratError(f"clause id {cid} is not larger than the previous id {last_id}",
                            lineno)
        clause = tuple(numbers[1:zero])
        hints = numbers[zero + 1:-1]
        if hints and min(hints) <= 0:
            if 0 in hints:
                raise LratError("stray 0 inside the hint list", lineno)
            if not _tautology(clause):
                _check_rat(clause, hints, db, lineno)
                rat_steps += 1
        else:
            try:
                justified = _propagate(set(clause), hints, db, lineno)
            except LratError:
                if not _tautology(clause):
                    raise
                justified = True
            if not justified and not _tautology(clause):
                raise LratError(f"hints for clause {cid} reach no conflict", lineno)
        db[cid] = frozenset(clause)
        last_id = cid
        added += 1
        if not clause:
            derived_empty = True
            break
    if not derived_empty:
        raise LratError("the proof never derives the empty clause")
    return LratStats(len(clauses), added, deleted, rat_steps, time.perf_counter() - start)


def check_lrat_files(cnf_path: str | Path, lrat_path: str | Path) -> LratStats:
    """Check the LRAT proof in `lrat_path` against the DIMACS CNF in `cnf_path`."""
    _, clauses = read_dimacs(Path(cnf_path).read_text())
    with open(lrat_path, encoding="ascii", errors="replace") as proof:
        return check_lrat(clauses, proof)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m assay.core.lrat FILE.cnf FILE.lrat", file=sys.stderr)
        return 2
    try:
        stats = check_lrat_files(args[0], args[1])
    except (LratError, OSError) as exc:
        print(f"s NOT VERIFIED: {exc}")
        return 1
    print(f"s VERIFIED ({stats.added} added, {stats.deleted} deleted, "
          f"{stats.rat_steps} RAT, {stats.seconds:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
