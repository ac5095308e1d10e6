"""Whole bundled routines run over core terms (`assay.models.armv8.symexec`): data symbolic,
pointers and lengths concrete.

Each symbolic result, evaluated with the ground evaluator at random inputs, must equal the
concrete run of the same routine on those inputs, and the published answer where there is one
(hashlib for SHA-256/SHA-512 on a padded one-block message, FIPS-197 appendix C.1 for AES-128,
SP 800-38D Algorithm 1 via the executable specification for GHASH). The outputs' DAG sizes are
guarded by bounds measured when the constructors' slicing rules were added (a regression
guard on term size, not a timing assertion), and the SHA-256 outputs must contain no extract
or concat at all: message bytes loaded, byte-reversed and split into lanes come back as the
message words.

The groundwork for program proofs: with the Arm ARM's literal SHA256hash loop, the
sha256_block outputs are, after the `sat` backend's word-level normaliser, the very terms of
FIPS 180-4's compression function over the same variables (equality by reflexivity).
"""

from __future__ import annotations

import hashlib
import random
import struct

import pytest

from assay.core.evaluate import evaluate_many
from assay.core.normalize import Normalizer
from assay.core.sorts import BVSort
from assay.core.terms import BV, Var
from assay.core.walkers import free_vars
from assay.models.armv8 import crypto_routines as cr
from assay.models.armv8 import crypto_specs as cs
from assay.models.armv8 import isa_crypto_sha
from assay.models.armv8 import symexec as sx
from assay.models.armv8.bv import CONCRETE
from assay.models.armv8.bv_terms import TERMS, SymbolicDecision, TermState
from assay.models.armv8.gas import assemble
from assay.models.armv8.state import Fault

FIPS_197_KEY = bytes(range(16))
FIPS_197_PLAIN = bytes.fromhex("00112233445566778899aabbccddeeff")
FIPS_197_CIPHER = bytes.fromhex("69c4e0d86a7b0430d8cdb78070b4c55a")

# DAG sizes (distinct nodes) of the outputs measured with the slicing rules of
# assay.core.bvterms, plus about 5%: growing past them means a simplification was lost.
DAG_BOUNDS = {"sha256_block": 2300, "sha512_block": 3050, "aes128_encrypt": 46_600,
              "aes128_decrypt": 46_900, "aes128_expand_key": 12_100, "ghash_gmult": 2_050}


def _model(run: sx.SymbolicRun, values: dict[str, list[int]]) -> dict:  # type: ignore[type-arg]
    return {v: values[name][i] for name, vs in run.inputs.items() for i, v in enumerate(vs)}


def _random_values(call: sx.RoutineCall, rng: random.Random) -> dict[str, list[int]]:
    return {r.name: [rng.getrandbits(r.width) for _ in range(r.count)] for r in call.inputs}


def _agrees_with_concrete(name: str, call: sx.RoutineCall, run: sx.SymbolicRun,
                          points: int = 3) -> None:
    rng = random.Random(f"symbolic:{name}")
    for _ in range(points):
        values = _random_values(call, rng)
        expected, steps = sx.run_concrete(call, values)
        assert steps == run.steps
        assert evaluate_many(run.outputs, _model(run, values)) == expected


@pytest.fixture(scope="module")
def runs() -> dict[str, tuple[sx.RoutineCall, sx.SymbolicRun]]:
    out = {}
    for name, make in sx.CALLS.items():
        call = make()
        out[name] = (call, sx.run_symbolic(call))
    return out


@pytest.mark.parametrize("name", list(sx.CALLS))
def test_symbolic_run_is_the_concrete_run(name: str, runs) -> None:  # type: ignore[no-untyped-def]
    call, run = runs[name]
    _agrees_with_concrete(name, call, run)


@pytest.mark.parametrize("name", list(sx.CALLS))
def test_output_dag_stays_small(name: str, runs) -> None:  # type: ignore[no-untyped-def]
    _, run = runs[name]
    size, _ = sx.dag_stats(run.outputs)
    assert size <= DAG_BOUNDS[name], f"{name}: {size} nodes, bound {DAG_BOUNDS[name]}"


@pytest.mark.parametrize("name,width", [("sha256_block", 32), ("sha512_block", 64)])
def test_sha_outputs_are_word_level(name: str, width: int, runs) -> None:  # type: ignore[no-untyped-def]
    _, run = runs[name]
    _, by_op = sx.dag_stats(run.outputs)
    assert by_op["extract"] == 0 and by_op["concat"] == 0, dict(by_op)
    assert by_op["var"] == 24  # h0..h7 and w0..w15, nothing else


@pytest.mark.parametrize("name,width", [("sha256_block", 32), ("sha512_block", 64)])
def test_sha_symbolic_run_gives_hashlib(name: str, width: int, runs) -> None:  # type: ignore[no-untyped-def]
    _, run = runs[name]
    block = 64 if width == 32 else 128
    rng = random.Random(name)
    for length in (0, 3, block // 2, block - 1 - width // 4):
        message = bytes(rng.getrandbits(8) for _ in range(length))
        padded = cr.sha_pad(message, block)
        fmt = ">16I" if width == 32 else ">16Q"
        iv = cs.SHA256_IV if width == 32 else cs.SHA512_IV
        values = {"h": list(iv), "w": list(struct.unpack(fmt, padded))}
        digest = evaluate_many(run.outputs, _model(run, values))
        want = (hashlib.sha256 if width == 32 else hashlib.sha512)(message).digest()
        assert struct.pack(">8I" if width == 32 else ">8Q", *digest) == want


@pytest.mark.parametrize("name,width", [("sha256_block", 32), ("sha512_block", 64)])
def test_sha_symbolic_run_computes_the_specification(name: str, width: int, runs) -> None:  # type: ignore[no-untyped-def]
    _, run = runs[name]
    compress = cs.sha256_compress if width == 32 else cs.sha512_compress
    rng = random.Random(f"spec:{name}")
    for _ in range(3):
        values = {"h": [rng.getrandbits(width) for _ in range(8)],
                  "w": [rng.getrandbits(width) for _ in range(16)]}
        assert evaluate_many(run.outputs, _model(run, values)) == \
            compress(CONCRETE, values["h"], values["w"])


def test_aes_symbolic_run_gives_fips_197(runs) -> None:  # type: ignore[no-untyped-def]
    _, run = runs["aes128_encrypt"]
    round_keys = cr.aes128_expand_key(FIPS_197_KEY)
    values = {"p": list(FIPS_197_PLAIN), "k": list(round_keys)}
    assert bytes(evaluate_many(run.outputs, _model(run, values))) == FIPS_197_CIPHER
    _, dec = runs["aes128_decrypt"]
    values = {"p": list(FIPS_197_CIPHER), "k": list(round_keys)}
    assert bytes(evaluate_many(dec.outputs, _model(dec, values))) == FIPS_197_PLAIN
    _, expand = runs["aes128_expand_key"]
    values = {"key": list(FIPS_197_KEY)}
    assert bytes(evaluate_many(expand.outputs, _model(expand, values))) == round_keys


def test_ghash_symbolic_run_computes_the_specification(runs) -> None:  # type: ignore[no-untyped-def]
    _, run = runs["ghash_gmult"]
    rng = random.Random("ghash")
    for _ in range(3):
        x, h = rng.getrandbits(128), rng.getrandbits(128)
        values = {"x": list(x.to_bytes(16, "big")), "H": list(h.to_bytes(16, "big"))}
        got = bytes(evaluate_many(run.outputs, _model(run, values)))
        assert int.from_bytes(got, "big") == cs.ghash_mult(CONCRETE, x, h)


def test_symbolic_words_read_back_as_the_variables() -> None:
    s = sx.symbolic_state(cr.new_state(cr.routine_image("sha256_block")).mem)
    le = sx.symbolic_words(s, cr.STATE_AT, "a", 4, 32)
    be = sx.symbolic_words(s, cr.INPUT_AT, "b", 2, 64, big_endian=True)
    assert sx.read_words(s, cr.STATE_AT, 4, 32) == le
    assert sx.read_words(s, cr.INPUT_AT, 2, 64, big_endian=True) == be
    assert s.mem_read(cr.STATE_AT, 8) is not None  # two words at once: a concat of both
    assert sx.read_words(s, cr.DATA_BASE + 0x3000, 1, 32) == [BV(0, 32)]  # the image's zeros
    with pytest.raises(Fault):
        s.mem_read(0x10, 4)  # unmapped


def test_symbolic_address_stops_the_run() -> None:
    s = TermState()
    with pytest.raises(SymbolicDecision):
        s.mem_read(Var("p", BVSort(64)), 4)


def test_symbolic_length_is_a_decision_point() -> None:
    call = sx.sha_call(32)
    blocks = Var("blocks", BVSort(64))
    symbolic = sx.RoutineCall(call.routine, (cr.STATE_AT, cr.INPUT_AT, blocks), call.inputs,
                              call.outputs)
    with pytest.raises(SymbolicDecision, match="branch condition") as info:
        sx.run_symbolic(symbolic)
    assert blocks in free_vars(info.value.term)


def test_any_image_runs(runs) -> None:  # type: ignore[no-untyped-def]
    """The routine assembled at another address (an `Image` given to the call) gives the same
    terms: nothing in them depends on where the code sits."""
    path = cr.routine_path("sha256_block")
    image = assemble(path.read_text(), str(path)).link(0x40000)
    call = sx.sha_call(32)
    moved = sx.RoutineCall(call.routine, call.args, call.inputs, call.outputs, image)
    assert sx.run_symbolic(moved).outputs == runs["sha256_block"][1].outputs


@pytest.mark.parametrize("literal", [False, True], ids=["model", "arm-arm-literal"])
def test_sha256_routine_is_the_specification_after_normalisation(literal: bool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Over terms the model's SHA256hash computes the Arm ARM's SHAmajority (concretely a
    faster selection of the same value), so the ring normaliser alone closes the gap to
    FIPS 180-4 — for the model as it is and for the pseudocode's loop written literally."""
    if literal:
        monkeypatch.setattr(isa_crypto_sha, "SHA256hash", sx.literal_sha256hash)
    run = sx.run_symbolic(sx.sha_call(32))
    h, w = run.inputs["h"], run.inputs["w"]
    spec = cs.sha256_compress(TERMS, h, w)
    assert not any(a is b for a, b in zip(run.outputs, spec))  # the sums are grouped otherwise
    norm = Normalizer()
    assert all(norm.run(a) is norm.run(b) for a, b in zip(run.outputs, spec))
