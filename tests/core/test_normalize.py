"""Word-level normalisation is sound (same value as the original on random inputs) and proves
ring identities by normalisation alone."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bitblast import bool_terms, bv_terms, random_model

from assay.core import terms as T
from assay.core.backend import Status
from assay.core.backend_sat import SatBackend, cnf_for_kernel
from assay.core.evaluate import evaluate
from assay.core.lrat import check_lrat
from assay.core.normalize import EXPANSION_LIMIT, normalize
from assay.core.ops import Op
from assay.core.sorts import BVSort
from assay.core.walkers import dag_size, postorder


def _arith_terms(width: int) -> st.SearchStrategy[T.Term]:
    """Terms rich in + - * so that the polynomial code is exercised."""
    names = [T.Var(n, BVSort(width)) for n in ("x", "y", "z")]
    leaf = st.one_of(st.sampled_from(names), st.integers(0, (1 << width) - 1).map(
        lambda v: T.BV(v, width)))

    def extend(children: st.SearchStrategy[T.Term]) -> st.SearchStrategy[T.Term]:
        return st.one_of(
            st.tuples(children, children).map(lambda ab: T.BVAdd(*ab)),
            st.tuples(children, children).map(lambda ab: T.BVSub(*ab)),
            st.tuples(children, children).map(lambda ab: T.BVMul(*ab)),
            children.map(T.BVNeg), children.map(T.BVNot),
            st.tuples(children, st.integers(0, width + 1)).map(
                lambda ak: T.BVShl(ak[0], T.BV(ak[1], width))),
            st.tuples(children, children).map(lambda ab: T.BVAnd(*ab)))
    return st.recursive(leaf, extend, max_leaves=8)


def _same_values(original: T.Term, normal: T.Term, seed: int, rounds: int = 6) -> None:
    rng = random.Random(seed)
    for _ in range(rounds):
        model = random_model(original, rng)
        assert evaluate(normal, model, complete=True) == evaluate(original, model), \
            (original, normal, model)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(width=st.sampled_from([1, 3, 8, 32, 64]), data=st.data(), seed=st.integers(0, 2**32))
def test_arithmetic_normal_form_is_sound(width: int, data: st.DataObject, seed: int) -> None:
    term = data.draw(_arith_terms(width))
    _same_values(term, normalize(term), seed)
    other = data.draw(_arith_terms(width))
    eq = T.Eq(term, other)
    _same_values(eq, normalize(eq), seed)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(width=st.integers(1, 70), data=st.data(), seed=st.integers(0, 2**32))
def test_normal_form_is_sound_on_every_operator(width: int, data: st.DataObject,
                                                 seed: int) -> None:
    term = data.draw(bv_terms(width, 3))
    _same_values(term, normalize(term), seed)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(term=bool_terms(), seed=st.integers(0, 2**32))
def test_bool_normal_form_is_sound(term: T.Term, seed: int) -> None:
    _same_values(term, normalize(term), seed)


def test_distributivity_at_64_bits_is_proved_with_certificate_without_a_multiplier() -> None:
    x, y, z = (T.Var(n, BVSort(64)) for n in "xyz")
    goal = T.Eq(T.BVMul(x, T.BVAdd(y, z)), T.BVAdd(T.BVMul(x, y), T.BVMul(x, z)))
    result = SatBackend().check([T.Not(goal)])
    assert result.status is Status.UNSAT
    cert = result.certificate
    assert cert is not None and cert.checked
    # the certificate refutes exactly the CNF the kernel re-derives
    assert check_lrat(cnf_for_kernel(T.Not(goal)), cert.lrat).original >= 1
    assert result.stats["ands"] == 0  # by normalisation: no multiplier was built


def test_ring_identities() -> None:
    x, y = T.Var("x", BVSort(16)), T.Var("y", BVSort(16))
    one = T.BV(1, 16)
    cases = [
        T.Eq(T.BVMul(T.BVAdd(x, y), T.BVAdd(x, y)),
             T.BVAdd(T.BVMul(x, x), T.BVMul(T.BV(2, 16), x, y), T.BVMul(y, y))),
        T.Eq(T.BVSub(T.BVAdd(x, y), y), x),
        T.Eq(T.BVAdd(x, T.BVNot(x)), T.BV(0xFFFF, 16)),
        T.Eq(T.BVNeg(x), T.BVAdd(T.BVNot(x), one)),
        T.Eq(T.BVShl(x, T.BV(3, 16)), T.BVMul(x, T.BV(8, 16))),
    ]
    for goal in cases:
        assert normalize(goal).is_true(), goal


def test_equations_and_ac_order_are_canonical() -> None:
    x, y = T.Var("x", BVSort(8)), T.Var("y", BVSort(8))
    a = normalize(T.Eq(T.BVAdd(x, T.BV(1, 8)), T.BVAdd(y, T.BV(1, 8))))
    b = normalize(T.Eq(T.BVAdd(T.BV(1, 8), y), T.BVAdd(T.BV(1, 8), x)))
    assert a is b
    assert normalize(T.Eq(T.BVAdd(x, T.BV(1, 8)), T.BVAdd(x, T.BV(2, 8)))).is_false()
    assert normalize(T.BVAnd(y, x)) is normalize(T.BVAnd(x, y))
    assert normalize(T.Eq(x, y)) is T.Eq(x, y)  # a plain equation stays a comparator


def test_expansion_is_bounded() -> None:
    vs = [T.Var(f"v{i}", BVSort(32)) for i in range(16)]
    product = vs[0]
    for i in range(1, 16, 2):
        product = T.BVMul(product, T.BVAdd(vs[i], vs[(i + 1) % 16]))  # 2^8 monomials if expanded
    n = normalize(product)
    assert n.op in (Op.BVMUL, Op.BVADD)
    assert dag_size(n) < 40 * EXPANSION_LIMIT
    _same_values(product, n, 7)


def test_deep_terms_do_not_recurse() -> None:
    x = T.Var("x", BVSort(32))
    t = x
    for i in range(6000):
        t = T.BVAdd(T.BVMul(t, T.BV(3, 32)), T.BV(i, 32)) if i % 2 else T.BVXor(t, x)
    n = normalize(t)
    _same_values(t, n, 3, rounds=2)


def test_remainder_expansion_is_sound_and_only_used_when_it_closes() -> None:
    for width in (1, 3, 5):
        s, t = T.Var("s", BVSort(width)), T.Var("t", BVSort(width))
        identity = T.Eq(T.BVURem(s, t), T.BVSub(s, T.BVMul(t, T.BVUDiv(s, t))))
        assert normalize(identity).is_true()
        for a in range(1 << width):
            for b in range(1 << width):
                assert evaluate(identity, {s: a, t: b}) is True
        # a false variant is not "proved"
        wrong = T.Eq(T.BVURem(s, t), T.BVAdd(s, T.BVMul(t, T.BVUDiv(s, t))))
        assert not normalize(wrong).is_true() or width == 1
        open_eq = T.Eq(T.BVAdd(T.BVURem(s, t), s), T.BVMul(t, T.BV(3, width)))
        assert T.Var("s", BVSort(width)) in {a for a in _atoms(normalize(open_eq))}


def _atoms(term: T.Term) -> set[T.Term]:
    from assay.core.walkers import postorder
    return set(postorder(term))


def test_definitions_are_eliminated_soundly() -> None:
    from assay.core.backend_z3 import Z3Backend
    from assay.core.normalize import eliminate_definitions
    from assay.core.sorts import BOOL

    x, y, z, w = (T.Var(n, BVSort(8)) for n in ("dx", "dy", "dz", "dw"))
    p, q = T.Var("dp", BOOL), T.Var("dq", BOOL)
    cases = [
        [T.Eq(y, T.BVAdd(x, T.BV(1, 8))), T.Eq(x, T.BVSub(y, T.BV(1, 8))),  # a cycle
         T.Eq(z, T.BVMul(y, T.BV(2, 8))), p, T.Not(q), T.BVULT(z, T.BV(4, 8))],
        [T.Eq(x, y), T.Eq(y, z), T.Eq(z, w), T.Distinct(x, w)],                # unsat chain
        [T.Eq(x, T.BVAdd(x, T.BV(1, 8)))],                                     # not a definition
        [T.Eq(w, T.BVXor(x, y)), T.Eq(z, T.BVAnd(w, x)), T.Ite(p, T.Eq(z, T.BV(3, 8)), q)],
        # linear: 3*y is solvable (3 is odd), 2*x is not; then x*x = 5 remains
        [T.Eq(T.BVAdd(T.BVMul(T.BV(3, 8), y), T.BVMul(T.BV(2, 8), x)), T.BVMul(z, z)),
         T.Eq(T.BVMul(x, x), T.BV(9, 8)), T.BVULT(y, T.BV(7, 8))],
        [T.Eq(T.BVAdd(z, y), T.BVMul(x, T.BV(9, 8))), T.Eq(y, T.BVAdd(x, T.BV(1, 8))),
         T.Not(T.Eq(T.BVSub(z, T.BVMul(x, T.BV(8, 8))), T.BV(0xFF, 8)))],         # unsat
    ]
    for assertions in cases:
        formula = T.And(*assertions)
        reduced, defs = eliminate_definitions(formula)
        assert all(v not in _atoms(reduced) for v in defs)
        ours, theirs = SatBackend().check(assertions), Z3Backend().check(assertions)
        assert ours.status is theirs.status
        if ours.is_sat:
            assert ours.model is not None and evaluate(formula, ours.model) is True


def test_definitions_are_found_inside_nested_conjunctions() -> None:
    """Constructors keep And(And(a, b), c) nested; elimination must still see every conjunct
    (regression: cohencu.c_0 stopped being proved by normalisation when flattening moved out
    of the constructors)."""
    from assay.core.normalize import eliminate_definitions
    x, y, z = (T.Var(n, BVSort(8)) for n in ("nx", "ny", "nz"))
    formula = T.And(T.And(T.Eq(y, T.BVAdd(x, T.BV(1, 8))), T.Eq(z, T.BVMul(y, y))),
                    T.BVULT(z, x))
    reduced, defs = eliminate_definitions(formula)
    assert set(defs) == {y, z}
    assert {t for t in postorder(reduced) if t.op is Op.VAR} == {x}


def test_cohencu_c0_is_proved_by_normalisation() -> None:
    from assay.core.backend_sat import SatBackend
    from assay.core.smtlib.script import parse_script
    path = (Path(__file__).resolve().parents[2].parent / "shared" / "smtlib" / "non-incremental"
            / "QF_BV" / "20230321-UltimateAutomizerSvcomp2023" / "cohencu.c_0.smt2")
    assert path.exists(), f"../shared is missing ({path}); it is always present in CI"
    script = parse_script(path.read_text(), str(path))
    result = SatBackend().check(script.assertions, timeout=60)
    assert result.is_unsat and result.certificate is not None and result.certificate.checked
    assert result.stats["ands"] == 0, "normalisation alone should close it, not CaDiCaL"
