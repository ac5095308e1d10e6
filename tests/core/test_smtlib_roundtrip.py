"""parse(print(t)) is t, for random terms over every operator the SMT-LIB syntax covers, and the
printed text means to z3 what the term means to the ground evaluator."""

from __future__ import annotations

import pytest
import z3
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_terms import (
    ALL_OPERATORS,
    FUNCTIONS,
    POINT,
    SHAPE,
    TermGen,
    _postorder,
    _resolve_fields,
    build,
    random_tree,
    rooted_tree,
)

from assay.core import terms as T
from assay.core.errors import EvaluationError
from assay.core.evaluate import evaluate
from assay.core.printer import to_smtlib, value_to_smtlib
from assay.core.smtlib import free_symbols, parse_script, parse_term, query_smtlib
from assay.core.smtlib.driver import model_entry
from assay.core.smtlib.script import declared_sorts
from assay.core.sorts import BOOL, SortKind
from assay.core.term import Term

FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def reparse(text: str, t: Term) -> Term:
    return parse_term(text, free_symbols([t]), sorts=declared_sorts([], [t]))


@FAST
@given(st.data())
def test_parse_print_is_identity(data: st.DataObject) -> None:
    _, tree = random_tree(data)
    t = build(tree)
    assert reparse(to_smtlib(t), t) is t


@pytest.mark.parametrize("name", ALL_OPERATORS)
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_parse_print_each_operator(name: str, data: st.DataObject) -> None:
    _, tree = rooted_tree(data, name)
    t = build(tree)
    text = to_smtlib(t)
    assert reparse(text, t) is t, text
    assert reparse(to_smtlib(t, share=False), t) is t


@FAST
@given(st.data())
def test_query_round_trip(data: st.DataObject) -> None:
    gen = TermGen(data)
    assertions = [build(_resolve_fields(gen.gen(BOOL, 3))) for _ in range(data.draw(st.integers(1, 3)))]
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
    solver.set("timeout", 120_000)  # generous: CI machines are shared
    solver.from_string("\n".join(lines))
    assert str(solver.check()) == "unsat", "\n".join(lines)


# The operator tree as SMT-LIB text, written without any folding or flattening.
_DERIVED_NAMES = {"implies": "=>", "iff": "=", "distinct": "distinct", "bvugt": "bvugt",
                  "bvuge": "bvuge", "bvsgt": "bvsgt", "bvsge": "bvsge", "bvnand": "bvnand",
                  "bvnor": "bvnor", "bvxnor": "bvxnor", "bvcomp": "bvcomp", "ge": ">=", "gt": ">"}


def tree_text(node) -> str:
    from assay.core.ops import INDEXED, Op
    from assay.core.printer import const_text, symbol
    args = [tree_text(a) for a in node.args]
    name = node.name
    if name == "VAR":
        return symbol(node.payload)
    if name == "CONST":
        return const_text(T.Const(node.payload, node.sort))
    if name == "SET_EMPTY":
        return f"(as set.empty {node.sort.smtlib()})"
    if name == "set_of":
        text = f"(as set.empty {node.sort.smtlib()})"
        for a in args:  # SetOf inserts the first element first
            text = f"(set.insert {a} {text})"
        return text
    if name in ("ADD", "MUL", "STR_CONCAT", "RE_CONCAT", "RE_UNION") and len(args) == 1:
        return args[0]  # SMT-LIB has no unary form; the constructors return the argument
    if name == "repeat":
        head = f"(_ repeat {node.payload})"
    elif name in _DERIVED_NAMES:
        head = _DERIVED_NAMES[name]
    else:
        op = Op[name]
        if op in INDEXED:
            head = f"(_ {op.value} {' '.join(map(str, node.payload))})"
        elif op is Op.NEG:
            head = "-"
        elif op is Op.CONST_ARRAY:
            head = f"(as const {node.sort.smtlib()})"
        elif op is Op.APPLY:
            head = symbol(node.payload.name)
        elif op in (Op.DT_CONS, Op.DT_SELECT):
            if op is Op.DT_CONS and not args:
                return f"(as {symbol(node.payload)} {node.sort.smtlib()})"
            head = symbol(node.payload)
        elif op is Op.DT_TEST:
            head = f"(_ is {symbol(node.payload)})"
        else:
            head = op.value
    return f"({head} {' '.join(args)})" if args else head


@pytest.mark.parametrize("name", ALL_OPERATORS)
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_parsing_unfolded_text_builds_the_constructed_term(name: str, data) -> None:
    """The parser applied to a tree written out in full (nested, unfolded, with rewritten
    operators) gives exactly the term the smart constructors build from that tree."""
    _, tree = rooted_tree(data, name)
    t = build(tree)
    variables = {T.Var(n.payload, n.sort) for n in _postorder(tree) if n.name == "VAR"}
    symbols = [*variables, *FUNCTIONS]
    assert parse_term(tree_text(tree), symbols, sorts=[POINT, SHAPE, *declared_sorts([], [t])]) is t
