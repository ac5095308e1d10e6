"""The bit-slicing simplifications of the bit-vector constructors (`assay.core.bvterms`:
flat concats with merged neighbours, extracts moved into concats, extensions, rotations,
constant shifts and bitwise operations, rotated concats) change no value.

Random operator trees over a few variables of assorted widths are made twice: as raw nodes
(`Term._mk`, no simplification at all: the plain meaning) and through the smart constructors.
The ground evaluator must give both the same value at random points (Hypothesis), and z3 must
prove them equal for all values. Deep chains check that the rewrites do not recurse on depth.
"""

from __future__ import annotations

from typing import Any

import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.core import bvterms
from assay.core import terms as T
from assay.core.backend_z3 import Z3Converter
from assay.core.evaluate import evaluate_many
from assay.core.ops import Op
from assay.core.rebuild import rebuild
from assay.core.sorts import BVSort
from assay.core.term import Term
from assay.core.walkers import dag_size, postorder

VARS = [T.Var(f"s{w}", BVSort(w)) for w in (1, 3, 8, 13, 16)]
_mk = Term._mk


def raw(op: Op, args: tuple[Term, ...], payload: Any, width: int) -> Term:
    return _mk(op, args, payload, BVSort(width))


@st.composite
def raw_terms(draw: Any, width: int, depth: int = 4) -> Term:
    """A well-sorted raw tree of `width` bits (no constructor has looked at it)."""
    kinds = ["var", "const"] if depth == 0 else [
        "var", "const", "concat", "extract", "zext", "sext", "rotl", "rotr", "shift",
        "bitwise", "bitwise", "bitwise", "not"]
    kind = draw(st.sampled_from(kinds))
    sub = depth - 1
    if kind == "var":
        fits = [v for v in VARS if v.sort.width >= width]
        v = draw(st.sampled_from(fits)) if fits else VARS[-1]
        if v.sort.width == width:
            return v
        if v.sort.width > width:
            lo = draw(st.integers(0, v.sort.width - width))
            return raw(Op.EXTRACT, (v,), (lo + width - 1, lo), width)
        return raw(Op.ZERO_EXTEND, (v,), (width - v.sort.width,), width)
    if kind == "const":
        return T.BV(draw(st.integers(0, (1 << width) - 1)), width)
    if kind == "concat" and width > 1:
        k = draw(st.integers(1, width - 1))
        a, b = draw(raw_terms(width - k, sub)), draw(raw_terms(k, sub))
        return raw(Op.CONCAT, (a, b), None, width)
    if kind == "extract":
        extra = draw(st.integers(1, 12))
        lo = draw(st.integers(0, extra))
        inner = draw(raw_terms(width + extra, sub))
        return raw(Op.EXTRACT, (inner,), (lo + width - 1, lo), width)
    if kind in ("zext", "sext") and width > 1:
        k = draw(st.integers(1, width - 1))
        op = Op.ZERO_EXTEND if kind == "zext" else Op.SIGN_EXTEND
        return raw(op, (draw(raw_terms(width - k, sub)),), (k,), width)
    if kind in ("rotl", "rotr") and width > 1:
        k = draw(st.integers(1, width - 1))
        op = Op.ROTATE_LEFT if kind == "rotl" else Op.ROTATE_RIGHT
        return raw(op, (draw(raw_terms(width, sub)),), (k,), width)
    if kind == "shift":
        op = draw(st.sampled_from([Op.BVSHL, Op.BVLSHR, Op.BVASHR]))
        k = T.BV(draw(st.integers(0, width + 2)) % (1 << width), width)
        return raw(op, (draw(raw_terms(width, sub)), k), None, width)
    if kind == "bitwise":
        op = draw(st.sampled_from([Op.BVAND, Op.BVOR, Op.BVXOR]))
        n = draw(st.integers(2, 3))
        return raw(op, tuple(draw(raw_terms(width, sub)) for _ in range(n)), None, width)
    if kind == "not":
        return raw(Op.BVNOT, (draw(raw_terms(width, sub)),), None, width)
    return draw(raw_terms(width, 0))


def constructed(t: Term) -> Term:
    """The same tree built bottom-up through the smart constructors."""
    memo: dict[Term, Term] = {}
    for u in postorder(t):
        memo[u] = rebuild(u, [memo[a] for a in u.args]) if u.args else u
    return memo[t]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 24).flatmap(lambda w: raw_terms(w)), st.randoms(use_true_random=False))
def test_constructors_keep_the_value(t: Term, rng: Any) -> None:
    s = constructed(t)
    assert s.sort is t.sort
    for _ in range(4):
        model = {v: rng.getrandbits(v.sort.width) for v in VARS}
        raw_value, value = evaluate_many([t, s], model)
        assert value == raw_value, f"{t!r} built as {s!r}"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 24).flatmap(lambda w: raw_terms(w)), st.randoms(use_true_random=False))
def test_nested_concats_keep_the_value(t: Term, rng: Any) -> None:
    """With the flattening limit at 2 pieces, concats nest and extracts walk the nesting."""
    saved, bvterms.FLAT_LIMIT = bvterms.FLAT_LIMIT, 2
    try:
        s = constructed(t)
    finally:
        bvterms.FLAT_LIMIT = saved
    for _ in range(3):
        model = {v: rng.getrandbits(v.sort.width) for v in VARS}
        assert evaluate_many([t, s], model)[0] == evaluate_many([s], model)[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 24).flatmap(lambda w: raw_terms(w)))
def test_constructors_are_equivalent_for_all_values(t: Term) -> None:
    s = constructed(t)
    conv = Z3Converter()
    solver = z3.Solver(ctx=conv.ctx)
    solver.add(conv.walk(t) != conv.walk(s))
    assert solver.check() == z3.unsat, f"{t!r} built as {s!r}"


def test_word_split_into_bytes_and_joined_is_the_word() -> None:
    w = T.Var("w", BVSort(32))
    bs = [T.Extract(w, 8 * i + 7, 8 * i) for i in range(4)]
    assert T.Concat(*reversed(bs)) is w
    pairs = T.Concat(T.Concat(bs[3], bs[2]), T.Concat(bs[1], bs[0]))
    assert pairs is w
    # a byte reversal done twice by 16-bit and 32-bit rotations (REV32 on bytes)
    be = T.Concat(*bs)
    halves = T.Concat(T.RotateRight(T.Extract(be, 31, 16), 8),
                      T.RotateRight(T.Extract(be, 15, 0), 8))
    assert T.RotateRight(halves, 16) is w


def test_extract_sees_through_shifts_extensions_and_masks() -> None:
    x, y = T.Var("x", BVSort(16)), T.Var("y", BVSort(16))
    assert T.Extract(T.BVShl(x, T.BV(4, 16)), 3, 0) is T.BV(0, 4)
    assert T.Extract(T.BVLShr(x, T.BV(8, 16)), 7, 0) is T.Extract(x, 15, 8)
    assert T.Extract(T.ZeroExt(x, 16), 31, 16) is T.BV(0, 16)
    assert T.Extract(T.RotateLeft(x, 4), 15, 4) is T.Extract(x, 11, 0)
    lanes = T.Concat(x, y)
    assert T.Extract(T.BVXor(lanes, T.BV(0xFF, 32)), 15, 0) is T.BVXor(y, T.BV(0xFF, 16))
    assert T.Extract(T.BVAnd(lanes, T.BV(0xFFFF, 32)), 31, 16) is T.BV(0, 16)


def test_deep_chains_do_not_recurse() -> None:
    x = T.Var("x", BVSort(32))
    t = x
    for i in range(20_000):  # rotations and xors of opaque terms, 20,000 deep
        t = T.BVXor(T.RotateRight(t, 1 + i % 7), T.Var(f"c{i % 5}", BVSort(32)))
    e = T.Extract(t, 7, 0)  # pushed a few levels down, then an extract node
    assert dag_size(e) - dag_size(t) < 40
    c = x
    for i in range(20_000):  # shifts of concats, 20,000 deep
        c = T.BVLShr(T.Concat(T.Extract(c, 15, 0), T.Extract(c, 31, 16)), T.BV(i % 3, 32))
    assert dag_size(T.Extract(c, 3, 0)) < 100_000


def test_long_concat_chains_nest_and_stay_linear() -> None:
    bits = [T.Var(f"chain{i}", BVSort(1)) for i in range(20_000)]
    acc = bits[0]
    for b in bits[1:]:  # 20,000 steps; flattening all the way would copy 2*10^8 pieces
        acc = T.Concat(b, acc)
    assert acc.sort.width == 20_000 and len(acc.args) <= bvterms.FLAT_LIMIT
    model = {b: (i * 7919) % 3 % 2 for i, b in enumerate(bits)}
    for hi, lo in ((19_999, 0), (12_345, 111), (300, 300)):
        e = T.Extract(acc, hi, lo)
        want = sum(model[bits[i]] << (i - lo) for i in range(lo, hi + 1))
        assert evaluate_many([e], model) == [want]
    y = T.Var("chain_y", BVSort(20_000))
    joined = T.Extract(y, 0, 0)
    for i in range(1, 20_000):
        joined = T.Concat(T.Extract(y, i, i), joined)
    assert joined is y
