"""The bit-blaster agrees with the ground evaluator on generated terms over every BV operator.

`bv_terms(width)` / `bool_terms()` draw well-sorted terms over every bit-vector operator at
widths 1-128; test_normalize and test_backend_sat reuse them. Each circuit is simulated on
random inputs and compared with `assay.core.evaluate`. The 10,000-example campaign is
`pytest -m slow tests/core/test_bitblast.py` (set ASSAY_BLAST_EXAMPLES to change it).
"""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.core import terms as T
from assay.core.bitblast import BitBlaster, canonical_keys
from assay.core.cnf import tseitin
from assay.core.errors import UnsupportedOperator
from assay.core.evaluate import evaluate
from assay.core.ops import Op
from assay.core.sorts import BOOL, BVSort
from assay.core.walkers import free_vars

NAMES = ("x", "y", "z")
BINARY = (T.BVAnd, T.BVOr, T.BVXor, T.BVAdd, T.BVSub, T.BVMul, T.BVUDiv, T.BVURem, T.BVSDiv,
          T.BVSRem, T.BVSMod, T.BVShl, T.BVLShr, T.BVAShr, T.BVNand, T.BVNor, T.BVXnor)
COMPARE = (T.Eq, T.BVULT, T.BVULE, T.BVUGT, T.BVUGE, T.BVSLT, T.BVSLE, T.BVSGT, T.BVSGE)


def _interesting(width: int) -> st.SearchStrategy[int]:
    top = (1 << width) - 1
    return st.one_of(st.sampled_from([0, 1, top, top >> 1, (top >> 1) + 1, width % (top + 1)]),
                     st.integers(0, top))


@st.composite
def bv_terms(draw: st.DrawFn, width: int, depth: int = 3) -> T.Term:
    """A well-sorted bit-vector term of `width` bits, at most `depth` operators deep."""
    if depth == 0 or draw(st.integers(0, 5)) == 0:
        if draw(st.booleans()):
            return T.Var(f"{draw(st.sampled_from(NAMES))}{width}", BVSort(width))
        return T.BV(draw(_interesting(width)), width)
    sub = depth - 1
    kind = draw(st.sampled_from(["binary", "unary", "concat", "extract", "extend", "rotate",
                                 "ite", "comp", "nary"]))
    if kind == "binary":
        op = draw(st.sampled_from(BINARY))
        return op(draw(bv_terms(width, sub)), draw(bv_terms(width, sub)))
    if kind == "nary":
        op = draw(st.sampled_from([T.BVAdd, T.BVMul, T.BVAnd, T.BVOr, T.BVXor]))
        return op(*[draw(bv_terms(width, sub)) for _ in range(3)])
    if kind == "unary":
        op = draw(st.sampled_from([T.BVNot, T.BVNeg]))
        return op(draw(bv_terms(width, sub)))
    if kind == "concat" and width >= 2:
        hi = draw(st.integers(1, width - 1))
        return T.Concat(draw(bv_terms(hi, sub)), draw(bv_terms(width - hi, sub)))
    if kind == "extract":
        wider = width + draw(st.integers(0, 8))
        lo = draw(st.integers(0, wider - width))
        return T.Extract(draw(bv_terms(wider, sub)), lo + width - 1, lo)
    if kind == "extend" and width >= 2:
        k = draw(st.integers(1, min(width - 1, 8)))
        op = draw(st.sampled_from([T.ZeroExt, T.SignExt]))
        return op(draw(bv_terms(width - k, sub)), k)
    if kind == "rotate":
        op = draw(st.sampled_from([T.RotateLeft, T.RotateRight]))
        return op(draw(bv_terms(width, sub)), draw(st.integers(0, 2 * width)))
    if kind == "ite":
        return T.Ite(draw(bool_terms(sub)), draw(bv_terms(width, sub)),
                     draw(bv_terms(width, sub)))
    if kind == "comp" and width == 1:
        w = draw(st.sampled_from([1, 3, 8]))
        return T.BVComp(draw(bv_terms(w, sub)), draw(bv_terms(w, sub)))
    return T.BVNot(draw(bv_terms(width, sub)))


@st.composite
def bool_terms(draw: st.DrawFn, depth: int = 3, widths: tuple[int, ...] = (1, 4, 8, 13)) -> T.Term:
    """A Bool term: comparisons of bit-vector terms under the Boolean connectives."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            return T.Var(draw(st.sampled_from(["p", "q"])), BOOL)
        w = draw(st.sampled_from(widths))
        op = draw(st.sampled_from(COMPARE))
        return op(draw(bv_terms(w, min(depth, 2))), draw(bv_terms(w, min(depth, 2))))
    sub = depth - 1
    kind = draw(st.sampled_from(["not", "and", "or", "xor", "eq", "ite", "distinct"]))
    if kind == "not":
        return T.Not(draw(bool_terms(sub, widths)))
    if kind == "ite":
        return T.Ite(*[draw(bool_terms(sub, widths)) for _ in range(3)])
    if kind == "distinct":
        w = draw(st.sampled_from(widths))
        return T.Distinct(*[draw(bv_terms(w, 1)) for _ in range(3)])
    a, b = draw(bool_terms(sub, widths)), draw(bool_terms(sub, widths))
    return {"and": T.And, "or": T.Or, "xor": T.Xor, "eq": T.Eq}[kind](a, b)


def random_model(term: T.Term, rng: random.Random) -> dict[T.Term, object]:
    model: dict[T.Term, object] = {}
    for v in free_vars(term):
        if v.sort is BOOL:
            model[v] = rng.random() < 0.5
        else:
            w = v.sort.width
            model[v] = rng.choice([0, 1, (1 << w) - 1, 1 << (w - 1), rng.getrandbits(w)])
    return model


def blasted_value(term: T.Term, model: dict[T.Term, object]) -> object:
    """The value of `term` computed by simulating its circuit on `model`."""
    blaster = BitBlaster()
    out = blaster.blast(term)
    inputs: dict[int, bool] = {}
    for var, bits in blaster.symbols.items():
        value = model[var]
        for i, lit in enumerate(bits):
            inputs[lit >> 1] = bool((int(value) >> i) & 1)
    if isinstance(out, int):
        return blaster.aig.simulate([out], inputs)[0]
    values = blaster.aig.simulate(out, inputs)
    return sum(1 << i for i, b in enumerate(values) if b)


def _agrees(term: T.Term, seed: int, rounds: int = 4) -> None:
    rng = random.Random(seed)
    for _ in range(rounds):
        model = random_model(term, rng)
        expected = evaluate(term, model)
        assert blasted_value(term, model) == expected, (term, model)


WIDTHS = st.one_of(st.integers(1, 8), st.sampled_from([13, 16, 31, 32, 33, 64, 65, 100, 128]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(width=WIDTHS, data=st.data(), seed=st.integers(0, 2**32))
def test_bitblaster_agrees_with_evaluator(width: int, data: st.DataObject, seed: int) -> None:
    term = data.draw(bv_terms(width, 2 if width > 32 else 3))
    _agrees(term, seed)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(term=bool_terms(), seed=st.integers(0, 2**32))
def test_bool_terms_agree_with_evaluator(term: T.Term, seed: int) -> None:
    _agrees(term, seed)


@pytest.mark.slow
def test_campaign_10000_examples() -> None:
    examples = int(os.environ.get("ASSAY_BLAST_EXAMPLES", "10000"))

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(width=st.integers(1, 128), data=st.data(), seed=st.integers(0, 2**32))
    def campaign(width: int, data: st.DataObject, seed: int) -> None:
        term = data.draw(bv_terms(width, 2 if width > 32 else 3))
        _agrees(term, seed, rounds=2)

    campaign()


@pytest.mark.parametrize("width", [1, 2, 3, 8, 64])
def test_division_by_zero_follows_smtlib(width: int) -> None:
    x = T.Var("x", BVSort(width))
    zero = T.BV(0, width)
    ones = (1 << width) - 1
    for value in (0, 1, ones, 1 << (width - 1)):
        model = {x: value}
        assert blasted_value(T.BVUDiv(x, T.Var("z0", BVSort(width))), {**model, T.Var(
            "z0", BVSort(width)): 0}) == ones
        for op in (T.BVUDiv, T.BVURem, T.BVSDiv, T.BVSRem, T.BVSMod):
            z = T.Var("z", BVSort(width))
            term = op(x, z)
            assert blasted_value(term, {x: value, z: 0}) == evaluate(term, {x: value, z: 0})
        assert evaluate(T.BVURem(x, zero), model) == value


def test_exhaustive_small_widths() -> None:
    """Every binary operator at widths 1-3 on every pair of inputs."""
    for width in (1, 2, 3):
        x, y = T.Var("x", BVSort(width)), T.Var("y", BVSort(width))
        for op in BINARY + COMPARE:
            term = op(x, y)
            for a in range(1 << width):
                for b in range(1 << width):
                    model = {x: a, y: b}
                    assert blasted_value(term, model) == evaluate(term, model), (term, a, b)


def test_canonical_keys_ignore_argument_order() -> None:
    x, y = T.Var("kx", BVSort(8)), T.Var("ky", BVSort(8))
    a, b = T.BVAdd(x, y), T.BVAdd(y, x)
    keys = canonical_keys(T.Eq(a, b))
    assert keys[a] == keys[b]
    s1, s2 = T.BVSub(x, y), T.BVSub(y, x)
    assert canonical_keys(s1)[s1] != canonical_keys(s2)[s2]
    # the CNF does not depend on the order in which commutative arguments were created
    def cnf_of(first: T.Term, second: T.Term) -> list[tuple[int, ...]]:
        blaster = BitBlaster()
        lit = blaster.blast_bool(T.Eq(first, second))
        return tseitin(blaster.aig, [lit]).clauses
    p, q = T.BVMul(x, T.BVNot(y)), T.BVXor(y, T.BVNeg(x))
    assert cnf_of(p, q) == cnf_of(q, p)


def test_unsupported_operators_are_reported() -> None:
    i = T.Var("i", T.Int(0).sort)
    with pytest.raises(UnsupportedOperator):
        BitBlaster().blast(T.LE(i, T.Int(3)))
    f = T.Function("f", [BVSort(4)], BVSort(4))
    term = T.Eq(f(T.Var("u", BVSort(4))), T.BV(0, 4))
    with pytest.raises(UnsupportedOperator):
        BitBlaster().blast(term)
    assert Op.APPLY in {t.op for t in [term.args[0], term.args[1]]}
