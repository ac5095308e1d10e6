"""parse(print(t)) is t, for random terms over every operator the SMT-LIB syntax covers, and the
printed text means to z3 what the term means to the ground evaluator."""

from __future__ import annotations

import pytest
import z3
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_terms import ALL_OPERATORS, TermGen, _postorder, build, random_tree, rooted_tree

from assay.core.errors import EvaluationError
from assay.core.evaluate import evaluate
from assay.core.printer import to_smtlib, value_to_smtlib
from assay.core.smtlib import free_symbols, parse_script, parse_term, query_smtlib
from assay.core.smtlib.driver import model_entry
from assay.core.sorts import BOOL, SortKind

NO_DATATYPES = [n for n in ALL_OPERATORS if not n.startswith("DT_")]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def _no_datatypes(tree) -> bool:
    return not any(n.sort.kind is SortKind.DATATYPE for n in _postorder(tree))


@FAST
@given(st.data())
def test_parse_print_is_identity(data: st.DataObject) -> None:
    _, tree = random_tree(data, datatypes=False)
    t = build(tree)
    assert parse_term(to_smtlib(t), free_symbols([t])) is t


@pytest.mark.parametrize("name", NO_DATATYPES)
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_parse_print_each_operator(name: str, data: st.DataObject) -> None:
    _, tree = rooted_tree(data, name)
    assume(_no_datatypes(tree))
    t = build(tree)
    text = to_smtlib(t)
    assert parse_term(text, free_symbols([t])) is t, text
    assert parse_term(to_smtlib(t, share=False), free_symbols([t])) is t


@FAST
@given(st.data())
def test_query_round_trip(data: st.DataObject) -> None:
    gen = TermGen(data, datatypes=False)
    assertions = [build(gen.gen(BOOL, 3)) for _ in range(data.draw(st.integers(1, 3)))]
    script = parse_script(query_smtlib(assertions))
    assert script.assertions == assertions


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_printed_terms_mean_the_same_to_z3(data: st.DataObject) -> None:
    """z3 reads the printed term with every symbol defined as its model value, and must find
    that it cannot differ from the value the ground evaluator gives it."""
    gen = TermGen(data, datatypes=False, uninterpreted=False, sets=False)
    sort = data.draw(st.sampled_from(["Bool", "Int", "String", "BitVec"]))
    tree = gen.gen({"Bool": BOOL}.get(sort) or gen.any_sort(), 3)
    assume(tree.sort.kind not in (SortKind.SET, SortKind.UNINTERPRETED, SortKind.DATATYPE))
    t = build(tree)
    model = gen.model(tree)
    try:
        value = evaluate(t, model)
    except EvaluationError:
        assume(False)  # integer division by zero: unspecified in SMT-LIB
    symbols = free_symbols([t])
    lines = ["(set-logic ALL)"] + [model_entry(s, model) for s in symbols]
    lines.append(f"(assert (distinct {to_smtlib(t)} {value_to_smtlib(value, t.sort)}))")
    solver = z3.Solver()
    solver.set("timeout", 20_000)
    solver.from_string("\n".join(lines))
    assert str(solver.check()) == "unsat", "\n".join(lines)
