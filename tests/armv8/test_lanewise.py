"""The optional interface operations: lane-wise (`vadd`, `vsub`, `vshl`, `vlshr`, `vror`,
`vashr`, `split`, `join`, `vsigma`), the AdvSIMD lane arithmetic (`vmul`, `vmla`, `vmls`,
`vsqdmulh`, `vqadd`, `vrshr`, the widening `vmull`, `vmlal`, the table lookup `vtbl`) and fused word operations (`add3`, `rotr_xor3`, `bitsel`).

ConcreteBV computes them on one int (SWAR); their definition is the fallback in
`crypto_functions.Composed`, which any interpretation without them runs. Checked here: the SWAR versions
equal a lane-by-lane oracle written with Python ints, the fallback (over plain ConcreteBV
operations) equals the SWAR versions, the fallback over core terms evaluates to the same values,
and the instructions rewritten on top of them run symbolically to the concrete results.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.core.evaluate import evaluate_many
from assay.core.sorts import BVSort
from assay.core.terms import Var
from assay.models.armv8 import crypto_functions as cf
from assay.models.armv8.bv import CONCRETE, ConcreteBV
from assay.models.armv8.bv_terms import TERMS
from assay.models.armv8.conform import random_word
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.registry import classes

from .test_symbolic_semantics import _check


class PerLaneBV(ConcreteBV):
    """ConcreteBV without the lane-wise operations: the helpers take their fallbacks."""

    vadd = vsub = vshl = vlshr = vror = split = join = None  # type: ignore[assignment]
    add3 = rotr_xor3 = vsigma = bitsel = None  # type: ignore[assignment]
    vmul = vmla = vmls = vsqdmulh = vqadd = vashr = vrshr = None  # type: ignore[assignment]
    vmull = vmlal = vtbl = None  # type: ignore[assignment]


PER_LANE = PerLaneBV()
SHAPES = [(8, 64), (8, 128), (16, 64), (16, 128), (32, 64), (32, 128), (64, 64), (64, 128),
          (32, 32)]


def _oracle(name: str, a: int, b: int, k: int, esize: int, width: int) -> int:
    mask = (1 << esize) - 1
    out = 0
    for lo in range(0, width, esize):
        x, y = (a >> lo) & mask, (b >> lo) & mask
        if name == "vadd":
            r = x + y
        elif name == "vsub":
            r = x - y
        elif name == "vshl":
            r = x << k if k < esize else 0
        elif name == "vlshr":
            r = x >> k
        else:
            j = k % esize
            r = (x >> j) | (x << (esize - j))
        out |= (r & mask) << lo
    return out


def _run(o: Any, name: str, a: Any, b: Any, k: int, esize: int, width: int) -> Any:
    f = getattr(cf.lane_ops(o), name)
    return f(a, b, esize, width) if name in ("vadd", "vsub") else f(a, k, esize, width)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["vadd", "vsub", "vshl", "vlshr", "vror"]), st.sampled_from(SHAPES),
       st.data())
def test_swar_equals_lanes(name: str, shape: tuple[int, int], data: st.DataObject) -> None:
    esize, width = shape
    values = st.one_of(st.integers(0, (1 << width) - 1),
                       st.sampled_from([0, (1 << width) - 1, 1 << (width - 1), 1]))
    a, b = data.draw(values), data.draw(values)
    k = data.draw(st.integers(0, esize + 2)) if name in ("vshl", "vlshr") else \
        data.draw(st.integers(0, 2 * esize))
    expected = _oracle(name, a, b, k, esize, width)
    assert _run(CONCRETE, name, a, b, k, esize, width) == expected
    assert _run(PER_LANE, name, a, b, k, esize, width) == expected


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([1, 4, 8, 16, 32, 64, 128]), st.sampled_from([32, 64, 128]), st.data())
def test_split_join(esize: int, width: int, data: st.DataObject) -> None:
    """`o.split`/`o.join` (struct-packed in ConcreteBV) equal one extract/concat per lane,
    also when `split` takes only the low lanes of a wider value."""
    if esize > width:
        return
    a = data.draw(st.integers(0, (1 << width) - 1))
    count = data.draw(st.integers(1, width // esize))
    expected = [(a >> lo) & ((1 << esize) - 1) for lo in range(0, esize * count, esize)]
    assert cf.lanes(CONCRETE, a, esize, count) == expected
    assert cf.lanes(PER_LANE, a, esize, count) == expected
    low = a & ((1 << (esize * count)) - 1)
    assert cf.join(CONCRETE, expected, esize) == low == cf.join(PER_LANE, expected, esize)


@pytest.mark.parametrize("name", ["vadd", "vsub", "vshl", "vlshr", "vror"])
@pytest.mark.parametrize("shape", [(8, 128), (32, 128), (32, 64), (64, 128)])
def test_fallback_over_terms(name: str, shape: tuple[int, int]) -> None:
    esize, width = shape
    rng = random.Random(f"lanes:{name}:{shape}")
    a, b = Var("a", BVSort(width)), Var("b", BVSort(width))
    k = rng.randrange(1, esize)
    term = _run(TERMS, name, a, b, k, esize, width)
    for _ in range(20):
        va, vb = rng.getrandbits(width), rng.getrandbits(width)
        [value] = evaluate_many([term], {a: va, b: vb})
        assert value == _oracle(name, va, vb, k, esize, width)


def _word_oracle(name: str, a: int, b: int, c: int, r: tuple[int, int, int], n: int) -> int:
    mask = (1 << n) - 1
    if name == "add3":
        return (a + b + c) & mask
    if name == "bitsel":
        return (a & b) | (~a & c & mask)
    out = 0
    for k in r:
        out ^= ((a >> k) | (a << (n - k))) & mask
    return out


def _run_word(o: Any, name: str, a: Any, b: Any, c: Any, r: tuple[int, int, int], n: int) -> Any:
    f = getattr(cf.lane_ops(o), name)
    return f(a, *r, n) if name == "rotr_xor3" else f(a, b, c, n)


WORD_OPS = ["add3", "rotr_xor3", "bitsel"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WORD_OPS), st.sampled_from([8, 32, 64, 128]), st.data())
def test_fused_word_ops(name: str, n: int, data: st.DataObject) -> None:
    """ConcreteBV's one-call `add3`/`rotr_xor3`/`bitsel` equal an int oracle and their
    definition in `Composed` (over plain ConcreteBV operations)."""
    values = st.one_of(st.integers(0, (1 << n) - 1), st.sampled_from([0, (1 << n) - 1, 1]))
    a, b, c = data.draw(values), data.draw(values), data.draw(values)
    r = tuple(data.draw(st.integers(0, n - 1)) for _ in range(3))
    expected = _word_oracle(name, a, b, c, r, n)  # type: ignore[arg-type]
    assert _run_word(CONCRETE, name, a, b, c, r, n) == expected  # type: ignore[arg-type]
    assert _run_word(PER_LANE, name, a, b, c, r, n) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("name", WORD_OPS)
def test_fused_word_ops_over_terms(name: str) -> None:
    rng = random.Random(f"fused:{name}")
    a, b, c = (Var(v, BVSort(32)) for v in "abc")
    r = (6, 11, 25)
    term = _run_word(TERMS, name, a, b, c, r, 32)
    for _ in range(20):
        va, vb, vc = rng.getrandbits(32), rng.getrandbits(32), rng.getrandbits(32)
        [value] = evaluate_many([term], {a: va, b: vb, c: vc})
        assert value == _word_oracle(name, va, vb, vc, r, 32)


def _sigma_oracle(a: int, r: tuple[int, int, int], shift: bool, esize: int, width: int) -> int:
    mask = (1 << esize) - 1
    out = 0
    for lo in range(0, width, esize):
        x = (a >> lo) & mask
        y = 0
        for i, k in enumerate(r):
            y ^= x >> k if shift and i == 2 else ((x >> k) | (x << (esize - k))) & mask
        out |= y << lo
    return out


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SHAPES), st.booleans(), st.data())
def test_vsigma(shape: tuple[int, int], shift: bool, data: st.DataObject) -> None:
    """`vsigma` (SWAR in ConcreteBV, lane by lane in `Composed`) equals an int oracle."""
    esize, width = shape
    a = data.draw(st.one_of(st.integers(0, (1 << width) - 1),
                            st.sampled_from([0, (1 << width) - 1, 1 << (width - 1), 1])))
    r = tuple(data.draw(st.integers(0, esize - 1)) for _ in range(3))
    expected = _sigma_oracle(a, r, shift, esize, width)  # type: ignore[arg-type]
    for o in (CONCRETE, PER_LANE):
        assert cf.lane_ops(o).vsigma(a, *r, shift, esize, width) == expected


@pytest.mark.parametrize("shape", [(32, 32), (32, 64), (32, 128), (64, 64)])
@pytest.mark.parametrize("shift", [False, True])
def test_vsigma_over_terms(shape: tuple[int, int], shift: bool) -> None:
    esize, width = shape
    rng = random.Random(f"vsigma:{shape}:{shift}")
    a = Var("a", BVSort(width))
    r = (7, 18, 3)
    term = cf.lane_ops(TERMS).vsigma(a, *r, shift, esize, width)
    for _ in range(20):
        va = rng.getrandbits(width)
        [value] = evaluate_many([term], {a: va})
        assert value == _sigma_oracle(va, r, shift, esize, width)


@pytest.mark.parametrize("mnemonic", ["sha256su0", "sha256su1", "sha256h", "sha256h2", "add", "sub",
                                      "rev32", "rev64", "rev16", "orr", "mul", "mla", "mls",
                                      "sqdmulh", "sqrdmulh", "sqadd", "uqadd", "sqsub", "uqsub",
                                      "sshr", "ushr", "ssra", "srshr", "ursra", "shl", "smull",
                                      "umull2", "smlal", "umlsl2", "trn1", "trn2", "uzp1",
                                      "zip2", "tbl", "tbx"])
def test_rewritten_instructions_run_symbolically(mnemonic: str) -> None:
    rng = random.Random(f"lanes-sym:{mnemonic}")
    rows = [(c, e) for c in classes() if c.name.startswith(("simd_", "crypto_"))
            for e in c.encodings if e.mnemonic.lower() == mnemonic]
    assert rows, mnemonic
    checked = 0
    for _ in range(400):
        c, e = rng.choice(rows)
        w = random_word(e, rng)
        if w is None or disassemble(w).split()[0] not in (mnemonic, "mov"):
            continue
        assert _check(w, rng, c) == 0
        checked += 1
        if checked == 8:
            break
    assert checked == 8


# -- the AdvSIMD lane arithmetic: vmul, vmla, vmls, vsqdmulh, vqadd, vashr, vrshr -------------

def _signed(x: int, n: int) -> int:
    return x - (1 << n) if x >> (n - 1) else x


def _arith_oracle(name: str, a: int, b: int, c: int, k: int, flag: bool, esize: int,
                  width: int) -> tuple[int, bool | None]:
    """(result, some lane saturated) lane by lane on Python ints; flag = rounding (vsqdmulh),
    signed (vqadd with sub = k & 1, vrshr)."""
    mask, out, sat = (1 << esize) - 1, 0, False
    hi, lo = (1 << (esize - 1)) - 1, -(1 << (esize - 1))
    for pos in range(0, width, esize):
        x, y, z = (a >> pos) & mask, (b >> pos) & mask, (c >> pos) & mask
        sx, sy = _signed(x, esize), _signed(y, esize)
        if name == "vmul":
            r = x * y
        elif name == "vmla":
            r = z + x * y
        elif name == "vmls":
            r = z - x * y
        elif name == "vsqdmulh":
            r = (2 * sx * sy + ((1 << (esize - 1)) if flag else 0)) >> esize
            if r > hi:
                r, sat = hi, True
        elif name == "vqadd":
            u, v = (sx, sy) if flag else (x, y)
            r = u - v if k & 1 else u + v
            top, bottom = (hi, lo) if flag else (mask, 0)
            if not bottom <= r <= top:
                r, sat = min(max(r, bottom), top), True
        elif name == "vashr":
            r = sx >> min(k, esize)
        else:  # vrshr
            r = ((sx if flag else x) + (1 << (k - 1))) >> k
        out |= (r & mask) << pos
    return out, (sat if name in ("vsqdmulh", "vqadd") else None)


def _run_arith(o: Any, name: str, a: Any, b: Any, c: Any, k: int, flag: bool, esize: int,
               width: int) -> tuple[Any, Any]:
    v = cf.lane_ops(o)
    if name == "vmul":
        return v.vmul(a, b, esize, width), None
    if name in ("vmla", "vmls"):
        return getattr(v, name)(c, a, b, esize, width), None
    if name == "vsqdmulh":
        return v.vsqdmulh(a, b, esize, width, flag)
    if name == "vqadd":
        return v.vqadd(a, b, esize, width, flag, bool(k & 1))
    if name == "vashr":
        return v.vashr(a, k, esize, width), None
    return v.vrshr(a, k, esize, width, flag), None


ARITH_OPS = ["vmul", "vmla", "vmls", "vsqdmulh", "vqadd", "vashr", "vrshr"]
ARITH_SHAPES = {"vsqdmulh": [(16, 16), (16, 64), (16, 128), (32, 32), (32, 64), (32, 128)],
                "vqadd": [*SHAPES, (8, 8), (16, 16)]}


def _lane_values(esize: int, width: int) -> st.SearchStrategy[int]:
    """Vectors whose lanes are often the limits (saturation corners) or random."""
    edge = [0, 1, (1 << esize) - 1, 1 << (esize - 1), (1 << (esize - 1)) - 1,
            (1 << (esize - 1)) + 1]
    lane = st.one_of(st.sampled_from(edge), st.integers(0, (1 << esize) - 1))
    return st.lists(lane, min_size=width // esize, max_size=width // esize).map(
        lambda ls: sum(x << (i * esize) for i, x in enumerate(ls)))


@settings(max_examples=250, deadline=None)
@given(st.sampled_from(ARITH_OPS), st.data())
def test_lane_arithmetic(name: str, data: st.DataObject) -> None:
    """ConcreteBV's one-call lane arithmetic, and its definition in `Composed` (over plain
    ConcreteBV operations), equal a lane-by-lane int oracle, saturation flag included."""
    esize, width = data.draw(st.sampled_from(ARITH_SHAPES.get(name, SHAPES)))
    values = _lane_values(esize, width)
    a, b, c = data.draw(values), data.draw(values), data.draw(values)
    k = data.draw(st.integers(1, esize) if name == "vrshr" else st.integers(0, esize + 1))
    flag = data.draw(st.booleans())
    expected = _arith_oracle(name, a, b, c, k, flag, esize, width)
    assert _run_arith(CONCRETE, name, a, b, c, k, flag, esize, width) == expected
    assert _run_arith(PER_LANE, name, a, b, c, k, flag, esize, width) == expected


@pytest.mark.parametrize("name", ARITH_OPS)
def test_lane_arithmetic_over_terms(name: str) -> None:
    """`Composed` over core terms evaluates to the oracle (values and the saturation flag)."""
    esize, width = (16, 128) if name != "vqadd" else (8, 64)
    rng = random.Random(f"arith:{name}")
    a, b, c = (Var(v, BVSort(width)) for v in "abc")
    for k, flag in ((1, False), (esize // 2 + 1, True)):
        value, sat = _run_arith(TERMS, name, a, b, c, k, flag, esize, width)
        for _ in range(10):
            lanes = [rng.choice([0, 1 << (esize - 1), (1 << esize) - 1, rng.getrandbits(esize)])
                     for _ in range(3 * width // esize)]
            va, vb, vc = (sum(x << (i * esize) for i, x in enumerate(lanes[j::3]))
                          for j in range(3))
            want, want_sat = _arith_oracle(name, va, vb, vc, k, flag, esize, width)
            got = evaluate_many([value] if sat is None else [value, sat],
                                {a: va, b: vb, c: vc})
            assert got[0] == want
            if sat is not None:
                assert bool(got[1]) == want_sat


def _widening_oracle(acc: int | None, a: int, b: int, esize: int, signed: bool,
                     sub: bool) -> int:
    mask, w, out = (1 << esize) - 1, 2 * esize, 0
    for i in range(64 // esize):
        x, y = (a >> (i * esize)) & mask, (b >> (i * esize)) & mask
        if signed:
            x, y = _signed(x, esize), _signed(y, esize)
        r = x * y
        if acc is not None:
            c = (acc >> (i * w)) & ((1 << w) - 1)
            r = c - r if sub else c + r
        out |= (r & ((1 << w) - 1)) << (i * w)
    return out


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([8, 16, 32]), st.booleans(), st.booleans(), st.booleans(), st.data())
def test_widening_multiply(esize: int, signed: bool, sub: bool, accumulate: bool,
                           data: st.DataObject) -> None:
    """`vmull`/`vmlal` (ConcreteBV and `Composed`) equal a lane-by-lane oracle."""
    a, b = data.draw(_lane_values(esize, 64)), data.draw(_lane_values(esize, 64))
    acc = data.draw(_lane_values(2 * esize, 128))
    for o in (CONCRETE, PER_LANE):
        v = cf.lane_ops(o)
        if accumulate:
            assert v.vmlal(acc, a, b, esize, signed, sub) == \
                _widening_oracle(acc, a, b, esize, signed, sub)
        else:
            assert v.vmull(a, b, esize, signed) == _widening_oracle(None, a, b, esize, signed,
                                                                    sub)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4), st.sampled_from([64, 128]), st.data())
def test_table_lookup(regs: int, width: int, data: st.DataObject) -> None:
    """`vtbl` (ConcreteBV and `Composed`): in-range indices pick table bytes, the others
    take the fallback's byte."""
    table = [data.draw(st.integers(0, (1 << 128) - 1)) for _ in range(regs)]
    index = st.one_of(st.integers(0, 16 * regs - 1), st.integers(0, 255))
    idx = [data.draw(index) for _ in range(width // 8)]
    fallback = data.draw(st.integers(0, (1 << width) - 1))
    flat = b"".join(t.to_bytes(16, "little") for t in table)
    spare = fallback.to_bytes(width // 8, "little")
    want = int.from_bytes(bytes(flat[k] if k < len(flat) else spare[i]
                                for i, k in enumerate(idx)), "little")
    indices = int.from_bytes(bytes(idx), "little")
    for o in (CONCRETE, PER_LANE):
        assert cf.lane_ops(o).vtbl(table, indices, fallback, width) == want


def test_concrete_runs_every_optional_operation_in_one_call() -> None:
    """ConcreteBV defines every optional operation, so `lane_ops` hands back the concrete
    interpretation itself (one missing name would send every concrete run lane by lane)."""
    assert cf.lane_ops(CONCRETE) is CONCRETE
    assert isinstance(cf.lane_ops(PER_LANE), cf.Composed)
    assert isinstance(cf.lane_ops(TERMS), cf.Composed)
