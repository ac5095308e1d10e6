"""The SMT-LIB reader, elaborator and script interpreter on hand-written scripts: every
supported command and term form, the rewritten operators (checked against z3 on values),
error positions, unsupported constructs, and 100,000-deep terms."""

from __future__ import annotations

import random

import pytest
import z3

from assay.core import terms as T
from assay.core.errors import ParseError
from assay.core.evaluate import evaluate
from assay.core.ops import Op
from assay.core.printer import value_to_smtlib
from assay.core.smtlib import (
    CheckSat,
    DeclareFun,
    Echo,
    Exit,
    GetInfo,
    GetModel,
    GetValue,
    SetInfo,
    SetLogic,
    SetOption,
    parse_script,
    parse_term,
    print_script,
    query_smtlib,
)
from assay.core.sorts import BOOL, INT, STRING, ArraySort, BVSort, SetSort

x8, y8, z8 = (T.Var(n, BVSort(8)) for n in ("x", "y", "z"))
p, q, r = (T.Var(n, BOOL) for n in ("p", "q", "r"))
i, j, k = (T.Var(n, INT) for n in ("i", "j", "k"))
s = T.Var("s", STRING)
DECLS = "".join(f"(declare-const {v} (_ BitVec 8))" for v in "xyz") + \
    "".join(f"(declare-const {v} Bool)" for v in "pqr") + \
    "".join(f"(declare-const {v} Int)" for v in "ijk") + "(declare-const s String)"


def one(text: str):
    """The single assertion of DECLS + (assert text)."""
    return parse_script(DECLS + f"(assert {text})").assertions[0]


def term(text: str):
    return parse_term(text, [x8, y8, z8, p, q, r, i, j, k, s])


def test_commands_of_a_typical_script() -> None:
    script = parse_script("""
        (set-info :smt-lib-version 2.6)
        (set-logic QF_BV) ; a comment
        (set-option :produce-models true)
        (declare-fun |weird name#1| () (_ BitVec 4))
        (declare-const b Bool)
        (assert (or b (= |weird name#1| #b1010)))
        (check-sat) (get-model) (get-value (b |weird name#1|))
        (get-info :name) (echo "say ""hi"" now") (exit)
    """)
    kinds = [type(c) for c in script.commands]
    assert kinds == [SetInfo, SetLogic, SetOption, DeclareFun, DeclareFun, type(
        script.commands[5]), CheckSat, GetModel, GetValue, GetInfo, Echo, Exit]
    assert script.logic == "QF_BV"
    assert script.options == [(":produce-models", "true")]
    w = T.Var("weird name#1", BVSort(4))
    assert script.assertions == [T.Or(T.Var("b", BOOL), T.Eq(w, T.BV(10, 4)))]
    assert script.commands[8].texts == ("b", "|weird name#1|")
    assert script.commands[10].text == 'say "hi" now'
    assert script.commands[6].line == 8


def test_literals() -> None:
    assert term("#x0f") is T.BV(15, 8)
    assert term("#b101") is T.BV(5, 3)
    assert term("(_ bv300 12)") is T.BV(300, 12)
    assert term("42") is T.Int(42)
    assert term("(- 7)") is T.Int(-7)
    assert term('"a""b\\u{48}\\u0041\\x"') is T.String('a"bHA\\x')
    assert term("true") is T.TRUE and term("false") is T.FALSE


def test_let_is_parallel_and_shadows() -> None:
    # parallel: the inner x in (bvadd x #x01) is the outer x, not the one being bound
    assert term("(let ((x #x05) (y x)) (bvadd x y))") is T.BVAdd(T.BV(5, 8), x8)
    assert term("(let ((a x)) (let ((a (bvnot a))) a))") is T.BVNot(x8)
    assert term("(bvadd (let ((x y)) x) x)") is T.BVAdd(y8, x8)  # scope ends with the let


def test_named_terms_and_define_fun() -> None:
    script = parse_script("""
        (declare-const x (_ BitVec 8))
        (define-fun double ((a (_ BitVec 8))) (_ BitVec 8) (bvadd a a))
        (define-fun two () (_ BitVec 8) #x02)
        (define-fun x2 ((x (_ BitVec 8)) (y Bool)) (_ BitVec 8) (ite y (double x) two))
        (assert (! (bvult (double x) two) :named small))
        (assert (=> small (= (x2 x true) (x2 #x01 false))))
    """)
    a, b = script.assertions
    reprinted = parse_script(print_script(script))
    assert reprinted.assertions == script.assertions
    assert len(reprinted.commands) == len(script.commands)
    assert a is T.BVULT(T.BVAdd(x8, x8), T.BV(2, 8))
    assert b is T.Implies(a, T.Eq(T.BVAdd(x8, x8), T.BV(2, 8)))
    assert [d.payload for d in script.declarations] == ["x"]


def test_declare_sort_functions_arrays_sets() -> None:
    script = parse_script("""
        (declare-sort U 0)
        (declare-fun f (U (_ BitVec 4)) U)
        (declare-const u U)
        (declare-const m (Array (_ BitVec 4) (_ BitVec 8)))
        (declare-const S (Set Int))
        (assert (= (f u #x1) u))
        (assert (= (select (store m #x1 #xff) #x1) ((_ extract 7 0) (select m #x2))))
        (assert (= m ((as const (Array (_ BitVec 4) (_ BitVec 8))) #x00)))
        (assert (set.member 3 (set.union S (set.insert 1 2 (as set.empty (Set Int))))))
        (assert (set.subset (set.singleton 4) S))
    """)
    assert len(script.assertions) == 5
    m = T.Var("m", ArraySort(BVSort(4), BVSort(8)))
    assert script.assertions[2] is T.Eq(m, T.ConstArray(BVSort(4), T.BV(0, 8)))
    S = T.Var("S", SetSort(INT))
    assert script.assertions[4] is T.SetSubset(
        T.SetInsert(T.Int(4), T.EmptySet(SetSort(INT))), S)


def test_datatypes_parse_print_and_agree_with_z3() -> None:
    script = parse_script("""
        (declare-datatypes ((Color 0) (Pt 0)) (((red) (green) (blue))
                                               ((pt (px (_ BitVec 8)) (py Int)))))
        (declare-datatype Opt ((none) (some (val Color))))
        (declare-const c Color) (declare-const p Pt) (declare-const o Opt)
        (assert ((_ is some) o))
        (assert (and (= (val o) c) (not (= c red)) (distinct c (as blue Color))))
        (assert (= p (pt (bvadd (px p) #x00) 3)))
    """)
    color = script.env.sorts["Color"]
    assert [c for c, _ in color.constructors] == ["red", "green", "blue"]
    text = query_smtlib(script.assertions)
    assert "(declare-datatypes ((Color 0)) (((red) (green) (blue))))" in text
    assert parse_script(text).assertions == script.assertions
    assert script.parse_term("(val (some green))") is T.Cons(color, "green")
    solver = z3.Solver()
    solver.from_string(text + "(assert (not (= c green)))")
    assert str(solver.check()) == "unsat"


def test_chainable_and_associative_forms() -> None:
    assert term("(= x y z)") is T.And(T.Eq(x8, y8), T.Eq(y8, z8))
    assert term("(< i j k)") is T.And(T.LT(i, j), T.LT(j, k))
    assert term("(>= i j)") is T.LE(j, i)
    assert term("(=> p q r)") is T.Implies(p, T.Implies(q, r))
    assert term("(- i j k)") is T.Minus(T.Minus(i, j), k)
    assert term("(- i)") is T.Neg(i)
    assert term("(xor p q r)") is T.Xor(T.Xor(p, q), r)
    assert term("(bvsub x y z)") is T.BVSub(T.BVSub(x8, y8), z8)
    assert term("(distinct x y z)") is T.Distinct(x8, y8, z8)
    assert term("(iff p q)") is T.Eq(p, q)
    assert term("(concat x y z)").sort is BVSort(24)


# Each rewritten or n-ary SMT-LIB form, evaluated by Assay and by z3 at random points.
Z3_CASES = [
    "(bvugt x y)", "(bvuge x y)", "(bvsgt x y)", "(bvsge x y)", "(bvnand x y)", "(bvnor x y)",
    "(bvxnor x y)", "(bvcomp x y)", "((_ repeat 3) x)", "((_ rotate_left 11) x)",
    "((_ rotate_right 3) x)", "((_ zero_extend 4) x)", "((_ sign_extend 4) x)",
    "((_ extract 6 2) x)", "(bvsdiv x y)", "(bvsrem x y)", "(bvsmod x y)", "(bvudiv x y)",
    "(bvurem x y)", "(bvashr x y)", "(bvlshr x y)", "(bvshl x y)", "(bvadd x y z)",
    "(bvmul x y z)", "(bvand x y z)", "(bvor x y z)", "(bvxor x y z)", "(bvneg x)",
    "(bvsub x y)", "(bvult x y)", "(bvule x y)", "(bvslt x y)", "(bvsle x y)",
    "(=> p q r)", "(xor p q r)", "(distinct x y z)", "(= x y z)", "(ite p x y)",
    "(< i j k)", "(<= i j k)", "(> i j)", "(>= i j k)", "(- i j k)", "(- i)", "(+ i j k)",
    "(* i j k)", "(div i 3)", "(mod i (- 3))", "(abs i)", "(str.++ s \"a\" s)", "(str.len s)",
    "(str.prefixof \"a\" s)", "(str.suffixof s \"ab\")", "(str.contains s \"b\")",
    "(str.< s \"b\")", "(str.<= s \"ab\")", "(str.in_re s (re.+ (str.to_re \"a\")))",
    "(str.in_re s (re.opt (re.union (str.to_re \"b\") re.allchar)))",
    "(str.in_re s ((_ re.loop 1 2) (str.to_re \"ab\")))",
    "(str.in_re s ((_ re.^ 2) (re.++ re.allchar (str.to_re \"b\"))))",
    "(str.in_re s (re.* re.all))", "(str.in_re s re.none)",
]


@pytest.mark.parametrize("text", Z3_CASES)
def test_rewritten_operators_agree_with_z3(text: str) -> None:
    rng = random.Random(text)
    t = term(text)
    solver = z3.Solver()
    for _ in range(12):
        model = {x8: rng.randrange(256), y8: rng.choice([0, 1, 255, 128, rng.randrange(256)]),
                 z8: rng.randrange(256), p: rng.random() < 0.5, q: rng.random() < 0.5,
                 r: rng.random() < 0.5, i: rng.randint(-9, 9), j: rng.randint(-9, 9),
                 k: rng.randint(-9, 9), s: rng.choice(["", "a", "ab", "b", "abab", "ba"])}
        ours = value_to_smtlib(evaluate(t, model), t.sort)
        script = DECLS + "".join(f"(assert (= {v.payload} {value_to_smtlib(val, v.sort)}))"
                                 for v, val in model.items()) + f"(assert (distinct {text} {ours}))"
        solver.reset()
        solver.from_string(script)
        assert str(solver.check()) == "unsat", f"{text} at {model}: Assay says {ours}"


@pytest.mark.parametrize(("text", "message", "line", "column"), [
    ("(declare-const x Int)\n(push 1)", "unsupported command: push/pop", 2, 1),
    ("(declare-const x Int)\n(assert (forall ((y Int)) (< x y)))", "unsupported: quantifiers",
     2, 10),
    ("(assert (exists ((y Int)) true))", "unsupported: quantifiers (exists)", 1, 10),
    ("(check-sat-assuming (p))", "unsupported command: check-sat-assuming", 1, 1),
    ("(declare-datatypes ((T 0)) (((c (next T)))))", "unsupported: recursive datatypes", 1, 39),
    ("(declare-datatypes ((T 1)) (((c))))", "unsupported: parametric datatypes", 1, 24),
    ("(declare-const x Real)", "unsupported sort Real", 1, 18),
    ("(assert (< 1.5 2))", "unsupported: decimal", 1, 12),
    ("(assert (str.at \"a\" 0))", "unsupported: str.at", 1, 10),
    ("(declare-const x (_ BitVec 8))\n(assert (= x #x1))", "both sides must have one sort",
     2, 9),
    ("(declare-const x (_ BitVec 8))\n  (assert (bvadd x x))", "assert expects a Bool", 2, 11),
    ("(assert (and p q))", "unknown symbol 'p'", 1, 14),
    ("(assert (= 1 2)", "never closed", 1, 1),
    ("(assert true))", "unexpected ')'", 1, 14),
    ("(assert ((_ extract 9 2) #x00))", "extract: need 0 <= lo <= hi < 8", 1, 9),
    ("(declare-const x Int)(declare-const x Int)", "already declared", 1, 22),
    ("(declare-fun f (Int) Int)(assert (= f 1))", "apply it as (f ...)", 1, 37),
    ("(assert (let ((a 1) (a 2)) (= a 1)))", "bound twice", 1, 22),
    ("(frobnicate)", "unknown command 'frobnicate'", 1, 1),
    ("(assert (bvadd #x01))", "bvadd takes at least 2 arguments, got 1", 1, 9),
    ("(set-logic QF_BV)\n(assert \"unterminated)", "unterminated string", 2, 9),
])
def test_errors_carry_positions(text: str, message: str, line: int, column: int) -> None:
    with pytest.raises(ParseError) as info:
        parse_script(text, "t.smt2")
    err = info.value
    assert message in err.message, err.message
    assert (err.line, err.column) == (line, column), str(err)
    assert err.source == "t.smt2"
    assert err.context is not None and "^" in err.context
    caret = err.context.splitlines()[1].index("^") - 2
    assert caret == column - 1


def test_deep_terms_parse_without_recursion() -> None:
    depth = 100_000
    text = ("(declare-const x (_ BitVec 8))(assert (= x " + "(bvudiv x " * depth + "#x01"
            + ")" * depth + "))")
    (a,) = parse_script(text).assertions
    from assay.core.walkers import dag_size
    assert dag_size(a) == depth + 3
    conj = "".join(f"(declare-const p{n} Bool)" for n in range(depth)) + "(assert " + \
        "".join(f"(and p{n} " for n in range(depth)) + "true" + ")" * depth + ")"
    chain = parse_script(conj).assertions[0]
    # the innermost (and p_last true) is p_last; each level is one binary And, built in O(1)
    assert dag_size(chain) == 2 * depth - 1
    assert chain.op is Op.AND and len(chain.args) == 2
    lets = "(declare-const p Bool)(assert " + "(let ((p (not p))) " * 10_001 + "p" + \
        ")" * 10_002
    assert parse_script(lets).assertions == [T.Not(T.Var("p", BOOL))]


def test_doctests() -> None:
    import doctest

    import assay.core.smtlib
    failed, attempted = doctest.testmod(assay.core.smtlib)
    assert attempted > 0 and failed == 0


def test_sort_names_that_need_quotes_print_quoted() -> None:
    script = parse_script("""
        (declare-sort |a b| 0)
        (declare-datatypes ((|P t| 0)) (((mk (fld |a b|)) (none))))
        (declare-const x |a b|) (declare-const y |a b|) (declare-const m (Array |a b| |P t|))
        (define-fun g ((z |a b|)) |P t| (mk z))
        (assert (= (select m x) (g y)))
        (assert (not (= x y)))
    """)
    text = query_smtlib(script.assertions)
    assert "(declare-const m (Array |a b| |P t|))" in text
    assert parse_script(text).assertions == script.assertions
    assert parse_script(print_script(script)).assertions == script.assertions
    solver = z3.Solver()
    solver.from_string(text)
    assert str(solver.check()) == "sat"
