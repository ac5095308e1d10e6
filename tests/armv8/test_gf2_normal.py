"""`gf2_normal`: the normal form of a term, rebuilt as a term, has the term's value (ground
evaluator, Hypothesis over random trees mixing linear and non-linear operators); terms equal by
Boolean algebra get one normal form; and the bundled AES and GHASH routines run over terms
equal the FIPS-197 and SP 800-38D specifications in normal form (key expansion and GHASH by
default, the ciphers slow-marked: 15-35 s each), and sha256_block/sha512_block equal FIPS
180-4's compression function after the `sat` backend's ring normaliser and then the algebraic
normal form (slow-marked: 20-40 s)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.core import terms as T
from assay.core.evaluate import evaluate_many
from assay.core.normalize import Normalizer
from assay.core.sorts import BVSort
from assay.core.term import Term
from assay.models.armv8 import crypto_specs as cs
from assay.models.armv8 import symexec as sx
from assay.models.armv8.bv_terms import TERMS
from assay.models.armv8.crypto_functions import SHAmajority
from assay.models.armv8.gf2_normal import Gf2Normal

LEAVES = [T.Var(f"g{i}", BVSort(8)) for i in range(3)]


@st.composite
def trees(draw: Any, depth: int = 4) -> Term:
    """An 8-bit term over three variables, through the smart constructors."""
    if depth == 0 or draw(st.integers(0, 4)) == 0:
        if draw(st.booleans()):
            return draw(st.sampled_from(LEAVES))
        return T.BV(draw(st.integers(0, 255)), 8)
    a, b = draw(trees(depth - 1)), draw(trees(depth - 1))
    k = draw(st.integers(0, 9))
    kind = draw(st.sampled_from(["xor", "and", "or", "not", "shl", "lshr", "ashr", "rot",
                                 "slice", "ite", "mul", "add", "bit"]))
    c = T.BV(draw(st.integers(0, 255)), 8)
    if kind == "xor":
        return T.BVXor(a, b, c)
    if kind == "and":
        return T.BVAnd(a, draw(st.sampled_from([b, c])))
    if kind == "or":
        return T.BVOr(a, draw(st.sampled_from([b, c])))
    if kind == "not":
        return T.BVNot(a)
    if kind in ("shl", "lshr", "ashr"):
        return {"shl": T.BVShl, "lshr": T.BVLShr, "ashr": T.BVAShr}[kind](a, T.BV(k, 8))
    if kind == "rot":
        return T.RotateLeft(a, k % 8)
    if kind == "slice":
        return T.Concat(T.Extract(a, 3, 0), T.Extract(T.ZeroExt(b, 4), 11, 8))
    if kind == "ite":
        return T.Ite(T.Eq(T.Extract(b, k % 8, k % 8), T.BV(1, 1)), c, T.BV(k, 8))
    if kind == "mul":
        return T.BVMul(T.BVAnd(a, T.BV(draw(st.sampled_from([0x11, 0x81, 0x24, 0xFF])), 8)),
                       T.BV(draw(st.integers(0, 7)), 8))
    if kind == "add":
        return T.BVAdd(a, b)
    return T.Ite(T.Xor(T.Eq(T.Extract(a, 0, 0), T.BV(1, 1)), T.BVULT(a, b)), b, c)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(), st.randoms(use_true_random=False))
def test_normal_form_has_the_value(t: Term, rng: Any) -> None:
    n = Gf2Normal()
    n.run(t)
    nf = n.term(t)
    for _ in range(4):
        model = {v: rng.getrandbits(8) for v in LEAVES}
        assert evaluate_many([nf], model) == evaluate_many([t], model), repr(t)


def test_linear_rewritings_meet() -> None:
    x, y = LEAVES[0], LEAVES[1]
    n = Gf2Normal()
    # xtime(x ^ y) against xtime(x) ^ xtime(y), the GF(2^8) doubling written two ways
    def xtime(b: Term) -> Term:
        return T.BVXor(T.BVShl(b, T.BV(1, 8)),
                       T.Ite(T.Eq(T.Extract(b, 7, 7), T.BV(1, 1)), T.BV(0x1B, 8), T.BV(0, 8)))
    a, b = n.run(xtime(T.BVXor(x, y)), T.BVXor(xtime(x), xtime(y)))
    assert a == b
    wide = T.Concat(x, y)  # carries of a vector times 0x1B, as AESMixColumns computes them
    carries = T.BVAnd(T.BVLShr(wide, T.BV(7, 16)), T.BV(0x0101, 16))
    lanes = T.Concat(*[T.Ite(T.Eq(T.Extract(v, 7, 7), T.BV(1, 1)), T.BV(0x1B, 8), T.BV(0, 8))
                       for v in (x, y)])
    assert n.run(T.BVMul(carries, T.BV(0x1B, 16)))[0] == n.run(lanes)[0]


def test_majority_formulations_meet() -> None:
    """The Arm ARM's SHAmajority and the model's selection by b EOR c (SHA256hash)."""
    a, b, c = LEAVES
    n = Gf2Normal()
    literal = SHAmajority(TERMS, a, b, c, 8)
    selection = T.BVXor(T.BVAnd(T.BVXor(a, b), T.BVXor(b, c)), b)
    assert literal is not selection
    assert n.run(literal) == n.run(selection)


def test_ghash_routine_is_the_specification_in_normal_form() -> None:
    run = sx.run_symbolic(sx.CALLS["ghash_gmult"]())
    y = cs.ghash_mult(TERMS, T.Concat(*run.inputs["x"]), T.Concat(*run.inputs["H"]))
    spec = [T.Extract(y, 127 - 8 * i, 120 - 8 * i) for i in range(16)]
    n = Gf2Normal()
    assert n.run(*run.outputs) == n.run(*spec)
    assert len(n.atoms) == 256  # the bits of Xi and H: everything else is Boolean algebra


def _aes_against_spec(name: str) -> None:
    run = sx.run_symbolic(sx.CALLS[name]())
    if name == "aes128_expand_key":
        spec = [b for rk in cs.aes128_expand_key(TERMS, run.inputs["key"]) for b in rk]
    else:
        k = run.inputs["k"]
        keys = [k[16 * r:16 * r + 16] for r in range(11)]
        block = cs.aes128_encrypt_block if name == "aes128_encrypt" else cs.aes128_decrypt_block
        spec = block(TERMS, run.inputs["p"], keys)
    assert not all(a is b for a, b in zip(run.outputs, spec))
    n = Gf2Normal()
    assert n.run(*run.outputs) == n.run(*spec)
    rng = random.Random(name)  # the rebuilt normal forms evaluate as the routine does
    some = run.outputs[::5]
    model = {v: rng.getrandbits(8) for vs in run.inputs.values() for v in vs}
    assert evaluate_many([n.term(t) for t in some], model) == evaluate_many(some, model)


def test_aes_key_expansion_is_the_specification_in_normal_form() -> None:
    _aes_against_spec("aes128_expand_key")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["aes128_encrypt", "aes128_decrypt"])
def test_aes_cipher_is_the_specification_in_normal_form(name: str) -> None:
    _aes_against_spec(name)


@pytest.mark.slow
@pytest.mark.parametrize("width", [32, 64])
def test_sha_routine_is_the_specification_after_both_normalisations(width: int) -> None:
    run = sx.run_symbolic(sx.sha_call(width))
    compress = cs.sha256_compress if width == 32 else cs.sha512_compress
    spec = compress(TERMS, run.inputs["h"], run.inputs["w"])
    ring = Normalizer()  # sums: the routine adds K to W first, FIPS 180-4 adds K to Ch
    ours, theirs = [ring.run(t) for t in run.outputs], [ring.run(t) for t in spec]
    assert not any(a is b for a, b in zip(ours, theirs))
    n = Gf2Normal()  # majority: a selection by b EOR c against FIPS 180-4's Maj
    assert n.run(*ours) == n.run(*theirs)
