"""A bit-level GF(2)-linear normal form of bit-vector terms: every bit of a term becomes an
XOR of atoms plus a constant, so two terms that differ only by the linear algebra of XOR,
shifts, rotations, masks, byte permutations and carry-free constant products have the same
normal form, bit for bit.

Why: AES and GCM routines compute MixColumns, ShiftRows and AddRoundKey on 128-bit registers
with shifts, masks and a multiplication of isolated carry bits by 0x1B, where FIPS-197 works
byte by byte; the terms differ, and only XOR linearity relates them. Here an atom is one bit of
a non-linear subterm (an S-box selection tree, an AND of two unknown bits, a sum) rebuilt from
the normal forms of its arguments, so equal non-linear parts become one hash-consed atom and
the comparison reaches through them (the bundled AES routines equal the FIPS-197 specification
this way, see tests/armv8/test_symbolic_routines.py).

- `Gf2Normal.run(*roots)` computes the forms: a Bool is one form, a bit-vector a list of forms
  (least significant bit first); a form is a frozenset of atom numbers (from 1), with 0 in it
  standing for the constant 1. Equal forms mean equal values for every assignment.
- `Gf2Normal.term(t)` rebuilds the normal form of `t` as a term (for checking and printing).

Linear: xor, not, extract, concat, extensions, rotations, shifts by constants, and/or with a
constant bit, ite between constants, multiplication by a constant whose partial products do
not overlap (the non-zero bits of the other operand lie at least its width apart), 1-bit
equality, Boolean not/xor. Everything else is an atom. Iterative (`postorder`), memoised.

Untrusted: nothing here is used by the kernel. A claim "equal normal forms" is checked by the
tests through `term` and the ground evaluator; a proof must re-check it (e.g. bit-blast).
"""

from __future__ import annotations

from typing import Any

from assay.core import terms as T
from assay.core.ops import Op
from assay.core.rebuild import mk_op
from assay.core.term import Term
from assay.core.walkers import postorder

Form = frozenset  # atom numbers XOR-ed together; 0 is the constant 1
ZERO: frozenset[int] = frozenset()
ONE: frozenset[int] = frozenset({0})
_SHIFTS = (Op.BVSHL, Op.BVLSHR, Op.BVASHR)


def _const_bits(v: int, n: int) -> list[frozenset[int]]:
    return [ONE if v >> k & 1 else ZERO for k in range(n)]


def _is_const(f: frozenset[int]) -> bool:
    return not f or f == ONE


class Gf2Normal:
    """One normalisation session: atoms are numbered in the order met, so compare only forms
    computed by the same session."""

    def __init__(self) -> None:
        self.atoms: list[Term] = []  # atom i is atoms[i - 1]: a 1-bit term or a Bool
        self.index: dict[Term, int] = {}
        self.forms: dict[Term, Any] = {}
        self._bit_terms: dict[frozenset[int], Term] = {}

    # -- atoms and rebuilt terms ---------------------------------------------------------
    def atom(self, t: Term) -> frozenset[int]:
        i = self.index.get(t)
        if i is None:
            self.atoms.append(t)
            i = self.index[t] = len(self.atoms)
        return frozenset({i})

    def atom_bits(self, t: Term) -> list[frozenset[int]]:
        if t.sort.width == 1:
            return [self.atom(t)]
        return [self.atom(T.Extract(t, k, k)) for k in range(t.sort.width)]

    def bit_term(self, f: frozenset[int]) -> Term:
        """The 1-bit term of form f (its atoms XOR-ed in atom order)."""
        r = self._bit_terms.get(f)
        if r is None:
            parts = []
            for i in sorted(f):
                if i:
                    a = self.atoms[i - 1]
                    parts.append(T.Ite(a, T.BV(1, 1), T.BV(0, 1)) if a.sort.is_bool else a)
            c = T.BV(1 if 0 in f else 0, 1)
            r = self._bit_terms[f] = T.BVXor(*parts, c) if parts else c
        return r

    def bool_term(self, f: frozenset[int]) -> Term:
        rest = f - ONE
        if len(rest) == 1:
            a = self.atoms[next(iter(rest)) - 1]
            if a.sort.is_bool:
                return T.Not(a) if 0 in f else a
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
        canon = mk_op(t.op, [self.term(a) for a in t.args], t.payload, t.sort)
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
        if op is Op.ITE and t.sort.is_bv:
            c, x, y = args
            if all(_is_const(p) for p in x) and all(_is_const(q) for q in y):
                return [p if p == q else (c if p == ONE else c ^ ONE) for p, q in zip(x, y)]
        return self._atomic(t)

    def _and_or(self, op: Op, col: tuple[frozenset[int], ...]) -> frozenset[int]:
        """One bit of a bitwise and/or: linear when all but one operand bit are constants."""
        absorbing, unit = (ZERO, ONE) if op is Op.BVAND else (ONE, ZERO)
        if absorbing in col:
            return absorbing
        rest = list(dict.fromkeys(f for f in col if f != unit))
        if not rest:
            return unit
        if len(rest) == 1:
            return rest[0]
        return self.atom(mk_op(op, [self.bit_term(f) for f in rest], None, None))

    def _spaced_product(self, x: list[frozenset[int]], c: int) -> list[frozenset[int]] | None:
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
