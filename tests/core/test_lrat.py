"""The LRAT checker accepts CaDiCaL's proofs and rejects damaged ones."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pysat.examples.genhard import PHP

from assay.core.cadical import solve
from assay.core.dimacs import to_dimacs
from assay.core.lrat import (
    LratError,
    check_lrat,
    check_lrat_files,
    main,
    read_dimacs,
    refutation_steps,
)


def _random_3sat(seed: int, nvars: int = 60, ratio: float = 5.2) -> list[tuple[int, ...]]:
    rng = random.Random(seed)
    clauses = []
    for _ in range(int(nvars * ratio)):
        vs = rng.sample(range(1, nvars + 1), 3)
        clauses.append(tuple(v if rng.random() < 0.5 else -v for v in vs))
    return clauses


def _proof(clauses, tmp_path: Path) -> str:
    nvars = max((abs(lit) for c in clauses for lit in c), default=0)
    outcome = solve(nvars, clauses, proof_path=tmp_path / "p.lrat")
    assert outcome.status == "unsat"
    return (tmp_path / "p.lrat").read_text()


def _unsat_random(tmp_path: Path, start: int = 0) -> tuple[list[tuple[int, ...]], str]:
    for seed in range(start, start + 50):
        clauses = _random_3sat(seed)
        outcome = solve(60, clauses, proof_path=tmp_path / "r.lrat")
        if outcome.status == "unsat":
            return clauses, (tmp_path / "r.lrat").read_text()
    raise AssertionError("no unsat random 3-SAT instance in 50 seeds")


@pytest.mark.parametrize("holes", [4, 5, 6, 7])
def test_accepts_pigeonhole(holes: int, tmp_path: Path) -> None:
    cnf = PHP(holes)
    stats = check_lrat(cnf.clauses, _proof(cnf.clauses, tmp_path))
    assert stats.added > 0 and stats.original == len(cnf.clauses)


@pytest.mark.parametrize("start", [0, 100, 200])
def test_accepts_random_3sat_near_threshold(start: int, tmp_path: Path) -> None:
    clauses, proof = _unsat_random(tmp_path, start)
    assert check_lrat(clauses, proof).added > 0


def _steps(proof: str) -> list[list[str]]:
    return [line.split() for line in proof.splitlines() if line.strip()]


def _join(steps: list[list[str]]) -> str:
    return "\n".join(" ".join(s) for s in steps) + "\n"


def _additions_with_hints(steps: list[list[str]], at_least: int) -> list[int]:
    out = []
    for i, s in enumerate(steps):
        if s[1] == "d":
            continue
        zero = s.index("0", 1)
        if len(s) - zero - 2 >= at_least:
            out.append(i)
    return out


def test_rejects_removed_hint(tmp_path: Path) -> None:
    cnf = PHP(5)
    steps = _steps(_proof(cnf.clauses, tmp_path))
    rejected = 0
    for i in _additions_with_hints(steps, 2)[:30]:
        damaged = [list(s) for s in steps]
        zero = damaged[i].index("0", 1)
        del damaged[i][zero + 1]  # the first hint: the propagation that starts the chain
        with pytest.raises(LratError):
            check_lrat(cnf.clauses, _join(damaged), trim=False)
        rejected += 1
    assert rejected >= 10


def test_rejects_altered_clause(tmp_path: Path) -> None:
    clauses, proof = _unsat_random(tmp_path)
    steps = _steps(proof)
    rejected = 0
    for i in _additions_with_hints(steps, 1)[:30]:
        damaged = [list(s) for s in steps]
        zero = damaged[i].index("0", 1)
        if zero == 1:
            continue
        # flip the sign of the clause's first literal: it no longer follows from its hints
        damaged[i][1] = str(-int(damaged[i][1]))
        with pytest.raises(LratError):
            check_lrat(clauses, _join(damaged), trim=False)
        rejected += 1
    assert rejected >= 10


def test_trimmed_check_rejects_damage_inside_the_refutation(tmp_path: Path) -> None:
    clauses, proof = _unsat_random(tmp_path, 300)
    full, trimmed = check_lrat(clauses, proof, trim=False), check_lrat(clauses, proof)
    assert trimmed.trimmed and not full.trimmed and trimmed.added <= full.added
    lines = proof.splitlines()
    steps = refutation_steps(lines)
    assert steps is not None and steps[-1][1].split()[1] == "0"
    rejected = 0
    for lineno, line in steps[-40:]:
        fields = line.split()
        zero = fields.index("0", 1)
        if len(fields) - zero - 2 < 2:
            continue
        for damage in ("hint", "clause"):
            damaged = list(fields)
            if damage == "hint":
                del damaged[zero + 1]
            elif zero > 1:
                damaged[1] = str(-int(damaged[1]))
            else:
                continue
            text = lines[:lineno - 1] + [" ".join(damaged)] + lines[lineno:]
            with pytest.raises(LratError):
                check_lrat(clauses, "\n".join(text))
            rejected += 1
    assert rejected >= 10


def test_rejects_altered_original(tmp_path: Path) -> None:
    cnf = PHP(4)
    proof = _proof(cnf.clauses, tmp_path)
    weakened = [tuple(c) for c in cnf.clauses]
    weakened[0] = weakened[0] + (99,)  # a weaker first clause: the proof must break
    with pytest.raises(LratError):
        check_lrat(weakened, proof)


def test_rejects_missing_empty_clause(tmp_path: Path) -> None:
    cnf = PHP(5)
    steps = _steps(_proof(cnf.clauses, tmp_path))
    last = max(i for i, s in enumerate(steps) if s[1] != "d")
    assert steps[last][1] == "0"  # CaDiCaL ends with the empty clause
    truncated = steps[:last]
    with pytest.raises(LratError, match="never derives the empty clause"):
        check_lrat(cnf.clauses, _join(truncated))
    with pytest.raises(LratError, match="never derives the empty clause"):
        check_lrat(cnf.clauses, "")


def test_rejects_unsound_empty_clause() -> None:
    clauses = [(1, 2), (-1, 2), (1, -2)]  # satisfiable: 1 and 2 true
    with pytest.raises(LratError):
        check_lrat(clauses, "4 2 0 1 2 0\n5 0 4 3 0\n")
    with pytest.raises(LratError, match="names no live clause"):
        check_lrat(clauses, "4 2 0 1 7 0\n")
    with pytest.raises(LratError, match="names no live clause"):
        check_lrat(clauses, "4 d 1 0\n5 2 0 1 2 0\n")


def test_small_rup_and_rat_by_hand() -> None:
    clauses = [(1, 2), (-1, 2), (1, -2), (-1, -2)]
    assert check_lrat(clauses, "5 2 0 1 2 0\n6 0 5 3 4 0\n").added == 2
    # (3) over a fresh variable is RAT on pivot 3: no live clause contains -3
    proof = "5 3 0 -1 0\n6 2 0 1 2 0\n7 0 6 3 4 0\n"
    stats = check_lrat(clauses, proof, trim=False)
    assert stats.rat_steps == 1
    # a RAT-shaped step inside the refutation: the trimmed check falls back to the full one
    proof = "5 2 0 1 2 -3 0\n6 0 5 3 4 0\n"
    assert refutation_steps(proof.splitlines()) is None
    stats = check_lrat(clauses, proof)
    assert stats.rat_steps == 1 and not stats.trimmed
    # a RAT step whose clash has no group is rejected
    with pytest.raises(LratError, match="no hints for clause"):
        check_lrat([(1, 2), (-3, 1), (-1, -2)], "4 3 0 -3 0\n")


def test_malformed_lines() -> None:
    for bad in ["5 1 2\n", "5 1 0 2\n", "x y 0\n", "1 1 0 0\n"]:
        with pytest.raises(LratError):
            check_lrat([(1,), (-1,)], bad)


def test_files_and_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cnf = PHP(4)
    (tmp_path / "f.cnf").write_text(to_dimacs(cnf.nv, cnf.clauses))
    solve(cnf.nv, cnf.clauses, proof_path=tmp_path / "f.lrat")
    assert check_lrat_files(tmp_path / "f.cnf", tmp_path / "f.lrat").added > 0
    assert main([str(tmp_path / "f.cnf"), str(tmp_path / "f.lrat")]) == 0
    assert "s VERIFIED" in capsys.readouterr().out
    (tmp_path / "g.lrat").write_text("")
    assert main([str(tmp_path / "f.cnf"), str(tmp_path / "g.lrat")]) == 1


def test_dimacs_reader_errors() -> None:
    assert read_dimacs("c hi\np cnf 2 2\n1 -2 0\n2 0\n") == (2, [(1, -2), (2,)])
    for bad in ["1 0\n", "p cnf 1 1\n2 0\n", "p cnf 1 2\n1 0\n", "p cnf 1 1\n1\n"]:
        with pytest.raises(LratError):
            read_dimacs(bad)


def test_solver_runs_in_a_forked_or_fresh_child(tmp_path: Path) -> None:
    """With a timeout CaDiCaL runs in a fork, or in a fresh interpreter when threads run."""
    import threading

    cnf = PHP(5)
    answers = {}

    def run(name: str) -> None:
        outcome = solve(cnf.nv, cnf.clauses, proof_path=tmp_path / f"{name}.lrat", timeout=60)
        answers[name] = outcome.status
        check_lrat(cnf.clauses, (tmp_path / f"{name}.lrat").read_text())

    run("fork")
    worker = threading.Thread(target=run, args=("fresh",))
    worker.start()
    worker.join()
    assert answers == {"fork": "unsat", "fresh": "unsat"}
    sat = solve(3, [(1, 2), (-1, 3)], timeout=60)
    assert sat.status == "sat" and sat.model is not None
    assert all(any(lit in sat.model for lit in c) for c in [(1, 2), (-1, 3)])
