"""The AdvSIMD and crypto semantics are well-sorted: run every row of those classes through a
width-checking interpretation of the bit-vector interface (each value carries its width; every
operation checks its operands as a core-term interpretation would) and compare with the plain
concrete run. A semantics that mixes widths or computes on raw Python ints would pass the
concrete tests yet fail symbolically; this finds it without waiting for the symbolic model.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from assay.models.armv8.bv import CONCRETE
from assay.models.armv8.conform import random_word
from assay.models.armv8.registry import classes, find
from assay.models.armv8.state import State

MY_CLASSES = [c for c in classes() if c.name.startswith(("simd_", "crypto_"))]


class W:
    """A value with its width (the sort a core term would have)."""

    __slots__ = ("v", "w")

    def __init__(self, v: int, w: int) -> None:
        assert 0 <= v < (1 << w), (v, w)
        self.v, self.w = v, w


class B:
    """A Boolean (kept apart from bit-vectors, as Bool and BV(1) are different sorts)."""

    __slots__ = ("b",)

    def __init__(self, b: bool) -> None:
        self.b = b


def _val(a: Any, n: int) -> int:
    """The int of an operand that must have width n (a Python int is a constant)."""
    if isinstance(a, int) and not isinstance(a, bool):
        assert 0 <= a < (1 << n), f"constant {a} does not fit {n} bits"
        return a
    assert isinstance(a, W), f"expected a bit-vector of width {n}, got {a!r}"
    assert a.w == n, f"width {a.w} where {n} is expected"
    return a.v


def _width(a: Any) -> int:
    assert isinstance(a, W), f"expected a bit-vector, got {a!r}"
    return a.w


def _bool(p: Any) -> bool:
    assert isinstance(p, B), f"expected a Boolean, got {p!r}"
    return p.b


class SortedBV:
    """Width-checking interpretation: same results as ConcreteBV, or an AssertionError."""

    symbolic = True
    c = CONCRETE

    def const(self, v: int, n: int) -> W:
        return W(v & ((1 << n) - 1), n)

    def extract(self, hi: int, lo: int, a: Any) -> W:
        assert 0 <= lo <= hi < _width(a), (hi, lo, a.w)
        return W(self.c.extract(hi, lo, a.v), hi - lo + 1)

    def concat(self, a: Any, b: Any, nb: int) -> W:
        return W(self.c.concat(a.v, _val(b, nb), nb), _width(a) + nb)

    def zero_extend(self, a: Any, n: int, m: int) -> W:
        assert m >= n
        return W(self.c.zero_extend(_val(a, n), n, m), m)

    def sign_extend(self, a: Any, n: int, m: int) -> W:
        assert m >= n
        return W(self.c.sign_extend(_val(a, n), n, m), m)

    def replicate(self, a: Any, n: int, times: int) -> W:
        return W(self.c.replicate(_val(a, n), n, times), n * times)

    def popcount(self, a: Any, n: int) -> W:
        return W(self.c.popcount(_val(a, n), n), n)

    def clz(self, a: Any, n: int) -> W:
        return W(self.c.clz(_val(a, n), n), n)

    def rotate_right(self, a: Any, k: int, n: int) -> W:
        assert isinstance(k, int), "rotate_right takes a decode-time amount"
        return W(self.c.rotate_right(_val(a, n), k, n), n)

    def eq(self, a: Any, b: Any) -> B:
        n = a.w if isinstance(a, W) else _width(b)
        return B(_val(a, n) == _val(b, n))

    def bvult(self, a: Any, b: Any) -> B:
        n = a.w if isinstance(a, W) else _width(b)
        return B(_val(a, n) < _val(b, n))

    def bvule(self, a: Any, b: Any) -> B:
        n = a.w if isinstance(a, W) else _width(b)
        return B(_val(a, n) <= _val(b, n))

    def bvslt(self, a: Any, b: Any, n: int) -> B:
        return B(self.c.bvslt(_val(a, n), _val(b, n), n))

    def bvsle(self, a: Any, b: Any, n: int) -> B:
        return B(self.c.bvsle(_val(a, n), _val(b, n), n))

    def bit(self, a: Any, i: int) -> B:
        assert 0 <= i < _width(a)
        return B(self.c.bit(a.v, i))

    def bool_to_bv(self, p: Any) -> W:
        return W(1 if _bool(p) else 0, 1)

    def ite(self, p: Any, a: Any, b: Any) -> Any:
        if isinstance(a, B) or isinstance(b, B):
            return a if _bool(p) else b
        n = a.w if isinstance(a, W) else _width(b)
        return W(_val(a, n), n) if _bool(p) else W(_val(b, n), n)

    def and_(self, p: Any, q: Any) -> B:
        return B(_bool(p) and _bool(q))

    def or_(self, p: Any, q: Any) -> B:
        return B(_bool(p) or _bool(q))

    def not_(self, p: Any) -> B:
        return B(not _bool(p))

    def xor_(self, p: Any, q: Any) -> B:
        return B(_bool(p) != _bool(q))

    def true(self) -> B:
        return B(True)

    def decide(self, p: Any) -> bool:
        return _bool(p)

    def lookup(self, table: tuple[int, ...], a: Any, n_in: int, n_out: int) -> W:
        assert len(table) == 1 << n_in and all(0 <= t < (1 << n_out) for t in table)
        return W(table[_val(a, n_in)], n_out)

    def __getattr__(self, name: str) -> Any:
        """Binary (a, b, n) and unary (a, n) operations of width n."""
        f = getattr(CONCRETE, name)
        if name in ("bvnot", "bvneg"):
            return lambda a, n: W(f(_val(a, n), n), n)
        if name in ("bvshl", "bvlshr", "bvashr", "bvrotr"):
            return lambda a, s, n: W(f(_val(a, n), _val(s, n), n), n)
        return lambda a, b, n: W(f(_val(a, n), _val(b, n), n), n)


class SortedWithoutLookup(SortedBV):
    """An interpretation without the optional table lookup: S-boxes become ite trees."""

    lookup = None  # type: ignore[assignment]


SORTED = SortedBV()


def _state(rng: random.Random, wrap: bool) -> State:
    s = State()
    s.x = [rng.getrandbits(64) for _ in range(32)]
    s.v = [rng.getrandbits(128) for _ in range(32)]
    s.nzcv = rng.getrandbits(4)
    if wrap:
        s.x = [W(x, 64) for x in s.x]
        s.v = [W(v, 128) for v in s.v]
        s.nzcv = W(s.nzcv, 4)
    return s


@pytest.mark.parametrize("ops", [SORTED, SortedWithoutLookup()], ids=["lookup", "ite-tree"])
@pytest.mark.parametrize("cls", MY_CLASSES, ids=lambda c: c.name)
def test_semantics_are_well_sorted(cls: Any, ops: SortedBV) -> None:
    rng = random.Random(f"sorts:{cls.name}")
    for row in cls.encodings:
        for _ in range(6):
            word = random_word(row, rng)
            assert word is not None, row
            e, d = find(word)  # type: ignore[misc]
            seed = rng.random()
            plain, checked = _state(random.Random(seed), False), _state(random.Random(seed), True)
            e.execute(plain, CONCRETE, d)
            e.execute(checked, ops, d)
            for i in range(32):
                assert isinstance(checked.v[i], W) and checked.v[i].w == 128, (row, i)
                assert checked.v[i].v == plain.v[i], (row.name, hex(word), f"v{i}")
                x = checked.x[i]
                assert isinstance(x, W) and x.w == 64 and x.v == plain.x[i], (row.name, i)


def test_the_checker_catches_a_width_slip() -> None:
    with pytest.raises(AssertionError):
        SORTED.bvadd(W(1, 32), W(2, 64), 64)
    with pytest.raises(AssertionError):
        SORTED.ite(True, W(1, 8), W(2, 8))  # a Python bool where a Boolean term is needed
