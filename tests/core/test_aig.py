"""AIG structural hashing and Tseitin CNF, checked by exhaustive simulation and CaDiCaL."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.core.aig import AIG, FALSE, TRUE, neg
from assay.core.cadical import solve
from assay.core.cnf import tseitin
from assay.core.lrat import check_lrat


def test_structural_hashing_and_folding() -> None:
    g = AIG()
    a, b, c = g.input(), g.input(), g.input()
    assert g.and_(a, b) == g.and_(b, a)
    assert g.num_ands == 1
    assert g.and_(a, a) == a and g.and_(a, neg(a)) == FALSE
    assert g.and_(a, TRUE) == a and g.and_(FALSE, b) == FALSE
    assert g.or_(a, neg(a)) == TRUE and g.xor(a, a) == FALSE and g.xor(a, neg(a)) == TRUE
    assert g.ite(TRUE, b, c) == b and g.ite(a, b, b) == b
    before = g.num_ands
    g.xor(a, b)
    g.xor(b, a)
    assert g.num_ands == before + 3
    assert g.and_many([]) == TRUE and g.or_many([]) == FALSE


# A random circuit: a list of (op, i, j, k) over previously built literals.
ops = st.lists(st.tuples(st.sampled_from(["and", "or", "xor", "ite", "maj"]),
                         st.integers(0, 200), st.integers(0, 200), st.integers(0, 200),
                         st.booleans()), min_size=1, max_size=25)


def _build(program, ninputs: int = 4) -> tuple[AIG, int]:
    g = AIG()
    lits = [g.input() for _ in range(ninputs)]
    for op, i, j, k, flip in program:
        a, b, c = lits[i % len(lits)], lits[j % len(lits)], lits[k % len(lits)]
        if op == "and":
            out = g.and_(a, b)
        elif op == "or":
            out = g.or_(a, b)
        elif op == "xor":
            out = g.xor(a, b)
        elif op == "ite":
            out = g.ite(a, b, c)
        else:
            out = g.majority(a, b, c)
        lits.append(neg(out) if flip else out)
    return g, lits[-1]


def _reference(program, bits: tuple[bool, ...]) -> bool:
    vals = list(bits)
    for op, i, j, k, flip in program:
        a, b, c = vals[i % len(vals)], vals[j % len(vals)], vals[k % len(vals)]
        out = {"and": a and b, "or": a or b, "xor": a != b, "ite": b if a else c,
               "maj": (a + b + c) >= 2}[op]
        vals.append(out != flip)
    return vals[-1]


@settings(max_examples=60, deadline=None)
@given(ops)
def test_simulation_matches_reference(program) -> None:
    g, root = _build(program)
    for bits in itertools.product([False, True], repeat=4):
        values = {node: bits[i] for i, node in enumerate(g.inputs)}
        assert g.simulate([root], values) == [_reference(program, bits)]


@settings(max_examples=60, deadline=None)
@given(program=ops)
def test_tseitin_is_equisatisfiable(program, tmp_path_factory) -> None:
    g, root = _build(program)
    cnf = tseitin(g, [root])
    satisfiable = any(_reference(program, bits)
                      for bits in itertools.product([False, True], repeat=4))
    proof = Path(tmp_path_factory.mktemp("aig")) / "p.lrat"
    outcome = solve(cnf.nvars, cnf.clauses, proof_path=proof)
    assert (outcome.status == "sat") == satisfiable
    if satisfiable:
        values = cnf.input_values(g, outcome.model or ())
        assert g.simulate([root], values) == [True]
    else:
        check_lrat(cnf.clauses, proof.read_text())


def test_cone_only_and_determinism() -> None:
    def build() -> tuple[AIG, int]:
        g = AIG()
        a, b, c, d = (g.input() for _ in range(4))
        g.and_(c, d)  # outside the cone
        return g, g.xor(a, b)
    g1, r1 = build()
    g2, r2 = build()
    c1, c2 = tseitin(g1, [r1]), tseitin(g2, [r2])
    assert c1.clauses == c2.clauses
    assert c1.nvars == 5  # two inputs and three ANDs; c, d and c&d are left out
    assert tseitin(g1, [FALSE]).clauses == [()]
    assert tseitin(g1, [TRUE]).clauses == []


def test_budget_and_deadline_stop_construction() -> None:
    import time

    import pytest

    from assay.core.aig import CircuitLimit

    g = AIG(max_nodes=70_000)  # checked every 65,536 nodes: stops at 131,072
    lits = [g.input() for _ in range(600)]
    with pytest.raises(CircuitLimit, match="exceeds"):
        for a in lits:
            for b in lits:
                g.and_(a, b)
    late = AIG(deadline=time.perf_counter() - 1)
    lits = [late.input() for _ in range(400)]
    with pytest.raises(CircuitLimit, match="deadline"):
        for a in lits:
            for b in lits:
                late.and_(a, b)
