"""A bit-level algebraic normal form of bit-vector terms: every bit of a term becomes an XOR
of monomials (ANDs of atoms), so two terms that differ only by Boolean algebra over GF(2)
(XOR linearity, distributivity, shifts, rotations, masks, byte permutations, carry-free
constant products, selections) have the same normal form, bit for bit.

Why: AES and GCM routines compute MixColumns, ShiftRows and AddRoundKey on 128-bit registers
with shifts, masks and a multiplication of isolated carry bits by 0x1B, where FIPS-197 works
byte by byte; the terms differ, and only XOR linearity relates them. GHASH by PMULL and the
bit-serial Algorithm 1 of SP 800-38D differ by distributivity. Here an atom is a variable's
bit or one bit of a subterm outside the algebra (a sum, a comparison, a product too large to
expand) rebuilt from the normal forms of its arguments, so equal parts become one hash-consed
atom and the comparison reaches through them: the bundled AES and GHASH routines equal their
specifications this way (tests/armv8/test_gf2_normal.py, `bench/armv8_symbolic.py --spec`).

- `Gf2Normal.run(*roots)` computes the forms: a Bool is one form, a bit-vector a list of forms
  (least significant bit first); a form is a frozenset of monomials, a monomial a frozenset
  of atom numbers (from 1; the empty monomial is the constant 1). Equal forms mean equal
  values for every assignment.
- `Gf2Normal.term(t)` rebuilds the normal form of `t` as a term (for checking and printing).

In the algebra: xor, not, and, or, extract, concat, extensions, rotations, shifts by
constants, ite (y XOR c AND (x XOR y) per bit), multiplication by a constant whose partial
products do not overlap (the non-zero bits of the other operand lie at least its width apart),
1-bit equality, Boolean not/xor/and/or. A product is expanded only up to `PRODUCT_LIMIT`
monomial pairs (an S-box stays a selection tree atom; expanding everything is exponential).
Everything else is an atom. Iterative (`postorder`), memoised.

Untrusted: nothing here is used by the kernel. A claim "equal normal forms" is checked by the
tests through `term` and the ground evaluator; a proof must re-check it (e.g. bit-blast).
"""

from __future__ import annotations

from typing import Any

from assay.core import terms as T
from assay.core.ops import COMMUTATIVE, Op
from assay.core.rebuild import mk_op
from assay.core.term import Term
from assay.core.walkers import postorder

Monomial = frozenset[int]  # atom numbers AND-ed; the empty monomial is the constant 1
Form = frozenset[Monomial]  # monomials XOR-ed: the algebraic normal form of one bit
ZERO: Form = frozenset()
ONE: Form = frozenset({frozenset()})
# a product of two forms is expanded when it has at most this many monomial pairs, else the
# AND of the two bits is an atom
PRODUCT_LIMIT = 16
_SHIFTS = (Op.BVSHL, Op.BVLSHR, Op.BVASHR)


def _const_bits(v: int, n: int) -> list[Form]:
    return [ONE if v >> k & 1 else ZERO for k in range(n)]


def _product(f: Form, g: Form) -> Form | None:
    """f AND g in algebraic normal form (x AND x = x), or None past PRODUCT_LIMIT."""
    if not f or not g:
        return ZERO
    if f == ONE or g == ONE:
        return g if f == ONE else f
    if len(f) * len(g) > PRODUCT_LIMIT:
        return None
    out: set[Monomial] = set()
    for m in f:
        for n in g:
            out ^= {m | n}
    return frozenset(out)


class Gf2Normal:
    """One normalisation session: atoms are numbered in the order met, so compare only forms
    computed by the same session."""

    def __init__(self) -> None:
        self.atoms: list[Term] = []  # atom i is atoms[i - 1]: a 1-bit term or a Bool
        self.index: dict[Term, int] = {}
        self.forms: dict[Term, Any] = {}
        self._bit_terms: dict[Form, Term] = {}

    # -- atoms and rebuilt terms ---------------------------------------------------------
    def atom(self, t: Term) -> Form:
        i = self.index.get(t)
        if i is None:
            self.atoms.append(t)
            i = self.index[t] = len(self.atoms)
        return frozenset({frozenset({i})})

    def atom_bits(self, t: Term) -> list[Form]:
        if t.sort.width == 1:
            return [self.atom(t)]
        return [self.atom(T.Extract(t, k, k)) for k in range(t.sort.width)]

    def bit_term(self, f: Form) -> Term:
        """The 1-bit term of form f (its atoms XOR-ed in atom order)."""
        r = self._bit_terms.get(f)
        if r is None:
            parts = [T.BVAnd(*[self._atom_bit(i) for i in m]) if m else T.BV(1, 1)
                     for m in sorted(tuple(sorted(m)) for m in f)]
            r = self._bit_terms[f] = T.BVXor(*parts) if parts else T.BV(0, 1)
        return r

    def _atom_bit(self, i: int) -> Term:
        a = self.atoms[i - 1]
        return T.Ite(a, T.BV(1, 1), T.BV(0, 1)) if a.sort.is_bool else a

    def bool_term(self, f: Form) -> Term:
        rest = f - ONE
        if len(rest) == 1:
            m = next(iter(rest))
            a = self.atoms[next(iter(m)) - 1]
            if len(m) == 1 and a.sort.is_bool:
                return T.Not(a) if ONE <= f else a
        return T.Eq(self.bit_term(f), T.BV(1, 1))

    def term(self, t: Term) -> Term:
        """The normal form of `t` (computed by `run`) as a term of t's sort."""
        v = self.forms[t]
        if t.sort.is_bool:
            return self.bool_term(v)
        return T.Concat(*[self.bit_term(f) for f in reversed(v)])

    # -- the walk -------------------------------------------------------------------------
    def run(self, *roots: Term) -> list[Any]:
        forms = self.forms
        for t in postorder(*roots):
            if t not in forms:
                forms[t] = self._walk(t)
        return [forms[r] for r in roots]

    def _atomic(self, t: Term) -> Any:
        args = [self.term(a) for a in t.args]
        if t.op in COMMUTATIVE:  # one order for equal arguments, however they were met
            args.sort(key=lambda a: a.uid)
        canon = mk_op(t.op, args, t.payload, t.sort)
        if canon.op is Op.CONST:
            if canon.sort.is_bool:
                return ONE if canon.payload else ZERO
            return _const_bits(canon.payload, canon.sort.width)
        return self.atom(canon) if canon.sort.is_bool else self.atom_bits(canon)

    def _walk(self, t: Term) -> Any:
        op, fs = t.op, self.forms
        args = [fs[a] for a in t.args]
        if op is Op.CONST:
            if t.sort.is_bool:
                return ONE if t.payload else ZERO
            return _const_bits(t.payload, t.sort.width)
        if op is Op.VAR:
            return self.atom(t) if t.sort.is_bool else self.atom_bits(t)
        if op is Op.BVXOR:
            out = list(args[0])
            for x in args[1:]:
                out = [p ^ q for p, q in zip(out, x)]
            return out
        if op is Op.BVNOT:
            return [p ^ ONE for p in args[0]]
        if op in (Op.BVAND, Op.BVOR):
            return [self._and_or(op, col) for col in zip(*args)]
        if op is Op.EXTRACT:
            hi, lo = t.payload
            return args[0][lo:hi + 1]
        if op is Op.CONCAT:
            return [f for x in reversed(args) for f in x]
        if op is Op.ZERO_EXTEND:
            return args[0] + [ZERO] * t.payload[0]
        if op is Op.SIGN_EXTEND:
            return args[0] + [args[0][-1]] * t.payload[0]
        if op in (Op.ROTATE_LEFT, Op.ROTATE_RIGHT):
            x, n = args[0], t.sort.width
            k = t.payload[0] if op is Op.ROTATE_RIGHT else n - t.payload[0]
            return [x[(i + k) % n] for i in range(n)]
        if op in _SHIFTS and t.args[1].op is Op.CONST:
            x, n = args[0], t.sort.width
            k = min(t.args[1].payload, n)
            if op is Op.BVSHL:
                return [ZERO] * k + x[:n - k]
            return x[k:] + [ZERO if op is Op.BVLSHR else x[-1]] * k
        if op is Op.BVMUL and len(t.args) == 2 and t.args[1].op is Op.CONST:
            out = self._spaced_product(args[0], t.args[1].payload)
            if out is not None:
                return out
        if op is Op.NOT:
            return args[0] ^ ONE
        if op is Op.XOR:
            return args[0] ^ args[1]
        if op is Op.EQ and t.args[0].sort.is_bv and t.args[0].sort.width == 1:
            return args[0][0] ^ args[1][0] ^ ONE
        if op is Op.ITE and t.sort.is_bv:  # per bit: y XOR c AND (x XOR y)
            c, x, y = args
            out = []
            for p, q in zip(x, y):
                d = p if p == q else _product(c, p ^ q)
                if d is None:
                    return self._atomic(t)
                out.append(p if p == q else q ^ d)
            return out
        if op in (Op.AND, Op.OR):
            return self._and_or(op, tuple(args))
        return self._atomic(t)

    def _and_or(self, op: Op, col: tuple[Form, ...]) -> Form:
        """One bit of a bitwise and/or: linear when all but one operand bit are constants."""
        conj = op in (Op.BVAND, Op.AND)
        absorbing, unit = (ZERO, ONE) if conj else (ONE, ZERO)
        if absorbing in col:
            return absorbing
        rest = list(dict.fromkeys(f for f in col if f != unit))
        if not rest:
            return unit
        acc: Form | None = rest[0] if conj else rest[0] ^ ONE  # a OR b = NOT(NOT a AND NOT b)
        for f in rest[1:]:
            acc = _product(acc, f if conj else f ^ ONE) if acc is not None else None
        if acc is not None:
            return acc if conj else acc ^ ONE
        if op in (Op.AND, Op.OR):
            return self.atom(mk_op(op, [self.bool_term(f) for f in rest], None, None))
        return self.atom(mk_op(op, [self.bit_term(f) for f in rest], None, None))

    def _spaced_product(self, x: list[Form], c: int) -> list[Form] | None:
        nonzero = [i for i, f in enumerate(x) if f]
        span = c.bit_length()
        if any(q - p < span for p, q in zip(nonzero, nonzero[1:])):
            return None  # partial products would overlap: carries
        out = [ZERO] * len(x)
        for p in nonzero:
            for j in range(span):
                if c >> j & 1 and p + j < len(x):
                    out[p + j] = out[p + j] ^ x[p]
        return out
