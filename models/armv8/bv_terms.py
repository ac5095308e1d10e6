"""The symbolic interpretation of the bit-vector interface: every operation builds a core term
(`assay.core.terms`), one line per operation, so the instruction semantics written against
`bv.ConcreteBV` run unchanged over terms. Constant inputs fold to constants (the smart
constructors fold), symbolic inputs give terms.

`decide` and `address` are the decision points: on a constant they return the Python value; on a
symbolic Boolean/address they raise `SymbolicDecision`, which a symbolic executor catches to
fork (or to ask a solver). `TermState` is a `State` whose memory holds byte terms at concrete
addresses (enough to run loads and stores with concrete addresses and symbolic data).

Trusted only as far as its tests: `tests/armv8/test_symbolic_semantics.py` evaluates the terms
with the ground evaluator at random points and compares with the concrete run.
"""

from __future__ import annotations

from typing import Any

from assay.core.bvterms import (
    BVSLE,
    BVSLT,
    BVULE,
    BVULT,
    BVAdd,
    BVAnd,
    BVAShr,
    BVLShr,
    BVMul,
    BVNeg,
    BVNot,
    BVOr,
    BVSDiv,
    BVShl,
    BVSub,
    BVUDiv,
    BVXor,
    Concat,
    Extract,
    Repeat,
    RotateRight,
    SignExt,
    ZeroExt,
)
from assay.core.errors import SortError
from assay.core.term import Term
from assay.core.terms import BV, And, Bool, Eq, Ite, Not, Or, Xor

from .state import ArmError, Fault, Memory, State

T = Any  # a Term, or a Python int standing for a constant


class SymbolicDecision(ArmError):
    """Control flow depends on a symbolic value; the executor must fork or resolve it."""

    def __init__(self, what: str, term: Term) -> None:
        self.term = term
        super().__init__(f"{what} depends on a symbolic value: {term}")


def _c(a: T, n: int) -> Term:
    """`a` as a term of width n (Python ints are constants)."""
    if isinstance(a, int):
        return BV(a & ((1 << n) - 1), n)
    if a.sort.width != n:
        raise SortError(f"expected a bit-vector of width {n} but got {a} (sort={a.sort})")
    return a


def _b(p: Any) -> Term:
    return Bool(p) if isinstance(p, bool) else p


class TermBV:
    """Bit-vectors as core terms; Booleans as Bool terms (Python bools are accepted)."""

    symbolic = True

    def const(self, v: int, n: int) -> Term:
        return BV(v & ((1 << n) - 1), n)

    def extract(self, hi: int, lo: int, a: T) -> Term:
        if isinstance(a, int):
            return BV((a >> lo) & ((1 << (hi - lo + 1)) - 1), hi - lo + 1)
        return Extract(a, hi, lo)

    def concat(self, a: T, b: T, nb: int) -> Term:
        if isinstance(a, int):
            raise SortError("concat: the high part must be a term (its width is unknown)")
        return Concat(a, _c(b, nb))

    def zero_extend(self, a: T, n: int, m: int) -> Term:
        return ZeroExt(_c(a, n), m - n)

    def sign_extend(self, a: T, n: int, m: int) -> Term:
        return SignExt(_c(a, n), m - n)

    def replicate(self, a: T, n: int, times: int) -> Term:
        return Repeat(_c(a, n), times)

    def bvadd(self, a: T, b: T, n: int) -> Term:
        return BVAdd(_c(a, n), _c(b, n))

    def bvsub(self, a: T, b: T, n: int) -> Term:
        return BVSub(_c(a, n), _c(b, n))

    def bvneg(self, a: T, n: int) -> Term:
        return BVNeg(_c(a, n))

    def bvmul(self, a: T, b: T, n: int) -> Term:
        return BVMul(_c(a, n), _c(b, n))

    def udiv(self, a: T, b: T, n: int) -> Term:  # Arm: x / 0 = 0
        b = _c(b, n)
        return Ite(Eq(b, BV(0, n)), BV(0, n), BVUDiv(_c(a, n), b))

    def sdiv(self, a: T, b: T, n: int) -> Term:
        b = _c(b, n)
        return Ite(Eq(b, BV(0, n)), BV(0, n), BVSDiv(_c(a, n), b))

    def bvand(self, a: T, b: T, n: int) -> Term:
        return BVAnd(_c(a, n), _c(b, n))

    def bvor(self, a: T, b: T, n: int) -> Term:
        return BVOr(_c(a, n), _c(b, n))

    def bvxor(self, a: T, b: T, n: int) -> Term:
        return BVXor(_c(a, n), _c(b, n))

    def bvnot(self, a: T, n: int) -> Term:
        return BVNot(_c(a, n))

    def bvshl(self, a: T, s: T, n: int) -> Term:
        return BVShl(_c(a, n), _c(s, n))

    def bvlshr(self, a: T, s: T, n: int) -> Term:
        return BVLShr(_c(a, n), _c(s, n))

    def bvashr(self, a: T, s: T, n: int) -> Term:
        return BVAShr(_c(a, n), _c(s, n))

    def rotate_right(self, a: T, k: int, n: int) -> Term:
        return RotateRight(_c(a, n), k % n)

    def bvrotr(self, a: T, s: T, n: int) -> Term:
        a = _c(a, n)
        k = BVAnd(_c(s, n), BV(n - 1, n)) if n & (n - 1) == 0 else _c(s, n)
        return BVOr(BVLShr(a, k), BVShl(a, BVSub(BV(n, n), k)))

    def popcount(self, a: T, n: int) -> Term:
        a = _c(a, n)
        return BVAdd(*[ZeroExt(Extract(a, i, i), n - 1) for i in range(n)])

    def clz(self, a: T, n: int) -> Term:
        a = _c(a, n)
        r = BV(n, n)
        for i in range(n):  # the highest set bit decides
            r = Ite(Eq(Extract(a, i, i), BV(1, 1)), BV(n - 1 - i, n), r)
        return r

    def eq(self, a: T, b: T) -> Term:
        if isinstance(a, int):
            a = _c(a, b.sort.width)
        return Eq(a, _c(b, a.sort.width))

    def bvult(self, a: T, b: T) -> Term:
        return BVULT(*self._pair(a, b))

    def bvule(self, a: T, b: T) -> Term:
        return BVULE(*self._pair(a, b))

    def bvslt(self, a: T, b: T, n: int) -> Term:
        return BVSLT(_c(a, n), _c(b, n))

    def bvsle(self, a: T, b: T, n: int) -> Term:
        return BVSLE(_c(a, n), _c(b, n))

    def _pair(self, a: T, b: T) -> tuple[Term, Term]:
        if isinstance(a, int):
            a = _c(a, b.sort.width)
        return a, _c(b, a.sort.width)

    def bit(self, a: T, i: int) -> Term:
        return Eq(self.extract(i, i, a), BV(1, 1))

    def bool_to_bv(self, p: Any) -> Term:
        return Ite(_b(p), BV(1, 1), BV(0, 1))

    def ite(self, c: Any, a: T, b: T) -> Any:
        if isinstance(c, bool):
            return a if c else b
        if isinstance(a, int):
            a = _c(a, b.sort.width)
        return Ite(c, a, _c(b, a.sort.width))

    def and_(self, p: Any, q: Any) -> Term:
        return And(_b(p), _b(q))

    def or_(self, p: Any, q: Any) -> Term:
        return Or(_b(p), _b(q))

    def not_(self, p: Any) -> Term:
        return Not(_b(p))

    def xor_(self, p: Any, q: Any) -> Term:
        return Xor(_b(p), _b(q))

    def true(self) -> Term:
        return Bool(True)

    def decide(self, p: Any) -> bool:
        p = _b(p)
        if p.is_const:
            return bool(p.payload)
        raise SymbolicDecision("a branch condition", p)

    def address(self, a: T) -> int:
        if isinstance(a, int):
            return a
        if a.is_const:
            return int(a.payload)
        raise SymbolicDecision("an indirect branch target", a)


TERMS = TermBV()


class TermState(State):
    """A state whose registers and memory bytes are terms; addresses must be constants."""

    def __init__(self) -> None:
        super().__init__(Memory())
        self.x = [BV(0, 64)] * 32
        self.v = [BV(0, 128)] * 32
        self.nzcv = BV(0, 4)
        self.bytes: dict[int, Term] = {}

    def _addr(self, address: T) -> int:
        return TERMS.address(address)

    def mem_read(self, address: T, size: int) -> Term:
        a = self._addr(address)
        parts = []
        for i in reversed(range(size)):
            try:  # `bytes` may be a mapping that creates symbols on first use
                parts.append(self.bytes[(a + i) & ((1 << 64) - 1)])
            except KeyError:
                raise Fault(f"memory fault reading {size} bytes at 0x{a:x}") from None
        return parts[0] if size == 1 else Concat(*parts)

    def mem_write(self, address: T, size: int, value: T) -> None:
        a = self._addr(address)
        v = _c(value, 8 * size)
        for i in range(size):
            self.bytes[(a + i) & ((1 << 64) - 1)] = Extract(v, 8 * i + 7, 8 * i)
