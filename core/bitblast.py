"""Bit-blasting Bool and bit-vector terms into an and-inverter graph.

A Bool term becomes one AIG literal; a bit-vector of width n becomes n literals, least
significant bit first. Each operator has its textbook circuit: ripple-carry addition, shift-and-
add multiplication, restoring division (which yields SMT-LIB's `bvudiv x 0 = ~0` and
`bvurem x 0 = x` without a special case), the signed operators through their SMT-LIB
definitions over the unsigned ones, barrel shifters, and comparison through the borrow of a
subtraction. Arrays, integers and uninterpreted functions raise `UnsupportedOperator`.

The result is deterministic in the structure of the term alone, never in the order terms were
created: children of commutative operators are visited in the order of `canonical_keys`, so the
kernel re-derives the very CNF that CaDiCaL refuted even in another process. Trusted by the
kernel: a wrong circuit here would make a proof prove the wrong thing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence

from assay.core.aig import AIG, FALSE, TRUE, CircuitLimit
from assay.core.errors import UnsupportedOperator
from assay.core.ops import COMMUTATIVE, Op
from assay.core.term import Term

__all__ = ["BitBlaster", "BlastTimeout", "canonical_keys"]

Bits = list[int]

WHERE = "the sat backend's bit-blaster (Bool and bit-vectors only; try the z3 backend)"


def canonical_keys(root: Term, keys: dict[Term, bytes] | None = None) -> dict[Term, bytes]:
    """A structural digest per node of `root`: equal exactly for equal terms up to the order of
    arguments of commutative operators, and independent of creation order (unlike `uid`)."""
    keys = {} if keys is None else keys
    if root in keys:
        return keys
    stack: list[tuple[Term, bool]] = [(root, False)]
    while stack:
        t, ready = stack.pop()
        if t in keys:
            continue
        if not ready:
            stack.append((t, True))
            stack.extend((a, False) for a in t.args if a not in keys)
            continue
        children = [keys[a] for a in t.args]
        if t.op in COMMUTATIVE:
            children.sort()
        h = hashlib.blake2b(digest_size=16)
        h.update(f"{t.op.value}|{t.payload!r}|{t.sort!r}|{len(children)}|".encode())
        for c in children:
            h.update(c)
        keys[t] = h.digest()
    return keys


# -- circuits over literal lists ------------------------------------------------------------

def _const(value: int, width: int) -> Bits:
    return [TRUE if (value >> i) & 1 else FALSE for i in range(width)]


def _add(g: AIG, a: Bits, b: Bits, carry: int = FALSE) -> tuple[Bits, int]:
    out = []
    for x, y in zip(a, b):
        t = g.xor(x, y)
        out.append(g.xor(t, carry))
        carry = g.or_(g.and_(x, y), g.and_(carry, t))
    return out, carry


def _neg(g: AIG, a: Bits) -> Bits:
    return _add(g, [x ^ 1 for x in a], _const(0, len(a)), TRUE)[0]


def _sub(g: AIG, a: Bits, b: Bits) -> tuple[Bits, int]:
    """a - b and the carry out, which is 1 exactly when a >= b (unsigned)."""
    return _add(g, a, [x ^ 1 for x in b], TRUE)


def _ult(g: AIG, a: Bits, b: Bits) -> int:
    return _sub(g, a, b)[1] ^ 1


def _slt(g: AIG, a: Bits, b: Bits) -> int:
    return _ult(g, a[:-1] + [a[-1] ^ 1], b[:-1] + [b[-1] ^ 1])


def _eq(g: AIG, a: Bits, b: Bits) -> int:
    return g.and_many(g.xnor(x, y) for x, y in zip(a, b))


def _mux(g: AIG, c: int, a: Bits, b: Bits) -> Bits:
    return [g.ite(c, x, y) for x, y in zip(a, b)]


def _mul(g: AIG, a: Bits, b: Bits) -> Bits:
    n = len(a)
    acc = [g.and_(x, b[0]) for x in a]
    for i in range(1, n):
        row = [g.and_(a[j], b[i]) for j in range(n - i)]
        if all(x == FALSE for x in row):
            continue
        acc[i:] = _add(g, acc[i:], row)[0]
    return acc


def _udivrem(g: AIG, a: Bits, b: Bits) -> tuple[Bits, Bits]:
    n = len(a)
    divisor = b + [FALSE]
    rem = [FALSE] * (n + 1)
    quotient = [FALSE] * n
    for i in range(n - 1, -1, -1):
        rem = [a[i]] + rem[:n]
        diff, no_borrow = _sub(g, rem, divisor)
        quotient[i] = no_borrow
        rem = _mux(g, no_borrow, diff, rem)
    return quotient, rem[:n]


def _abs(g: AIG, a: Bits) -> Bits:
    return _mux(g, a[-1], _neg(g, a), a)


def _sdiv(g: AIG, a: Bits, b: Bits) -> Bits:
    q, _ = _udivrem(g, _abs(g, a), _abs(g, b))
    return _mux(g, g.xor(a[-1], b[-1]), _neg(g, q), q)


def _srem(g: AIG, a: Bits, b: Bits) -> Bits:
    _, r = _udivrem(g, _abs(g, a), _abs(g, b))
    return _mux(g, a[-1], _neg(g, r), r)


def _smod(g: AIG, a: Bits, b: Bits) -> Bits:
    _, u = _udivrem(g, _abs(g, a), _abs(g, b))
    sa, sb = a[-1], b[-1]
    neg_u = _neg(g, u)
    adjusted = _mux(g, sa, _add(g, neg_u, b)[0], _add(g, u, b)[0])  # signs differ
    same_sign = _mux(g, sa, neg_u, u)
    result = _mux(g, g.xor(sa, sb), adjusted, same_sign)
    is_zero = g.and_many(x ^ 1 for x in u)
    return _mux(g, is_zero, u, result)


def _shift(g: AIG, a: Bits, b: Bits, kind: str) -> Bits:
    n = len(a)
    fill = a[-1] if kind == "ashr" else FALSE
    out = list(a)
    k = 0
    while (1 << k) < n:
        s = 1 << k
        if kind == "shl":
            moved = [FALSE] * s + out[:n - s]
        else:
            moved = out[s:] + [fill] * s
        out = _mux(g, b[k], moved, out)
        k += 1
    too_far = _ult(g, b, _const(n, n)) ^ 1 if n < (1 << n) else FALSE
    return _mux(g, too_far, [fill] * n, out)


def _rotate_left(a: Bits, k: int) -> Bits:
    n = len(a)
    k %= n
    return a[n - k:] + a[:n - k]


class BlastTimeout(CircuitLimit):
    """The deadline or size budget given to `BitBlaster` ran out before the circuit was done."""


class BitBlaster:
    """Turns terms into AIG literals. `symbols` maps each free variable met to its literals.

    With a `deadline` (a `time.perf_counter()` value) `blast` raises `BlastTimeout` once it has
    passed, so huge circuits do not overrun a solver timeout.
    """

    def __init__(self, aig: AIG | None = None, deadline: float | None = None,
                 max_nodes: int | None = None) -> None:
        self.deadline = deadline
        self.aig = aig if aig is not None else AIG(max_nodes=max_nodes, deadline=deadline)
        self.memo: dict[Term, int | Bits] = {}
        self.symbols: dict[Term, Bits] = {}
        self.keys: dict[Term, bytes] = {}
        self._handlers: dict[Op, Callable[[Term, list], int | Bits]] = {}
        for op in Op:
            h = getattr(self, f"walk_{op.name.lower()}", None)
            if h is not None:
                self._handlers[op] = h

    def _ordered(self, t: Term) -> Sequence[Term]:
        if t.op in COMMUTATIVE and len(t.args) > 1:
            return sorted(t.args, key=self.keys.__getitem__)
        return t.args

    def blast(self, root: Term) -> int | Bits:
        """The literal (Bool) or literals (bit-vector, LSB first) of `root`."""
        memo = self.memo
        if root in memo:
            return memo[root]
        canonical_keys(root, self.keys)
        stack: list[tuple[Term, bool]] = [(root, False)]
        deadline = self.deadline
        while stack:
            t, ready = stack.pop()
            if t in memo:
                continue
            args = self._ordered(t)
            if ready:
                if deadline is not None and time.perf_counter() > deadline:
                    raise BlastTimeout(f"bit-blasting stopped at the deadline "
                                       f"({self.aig.num_ands} AND gates built)")
                handler = self._handlers.get(t.op)
                if handler is None:
                    raise UnsupportedOperator(t.op.value, t, WHERE)
                memo[t] = handler(t, [memo[a] for a in args])
            else:
                stack.append((t, True))
                for a in reversed(args):
                    if a not in memo:
                        stack.append((a, False))
        return memo[root]

    def blast_bool(self, root: Term) -> int:
        if not root.sort.is_bool:
            raise UnsupportedOperator(f"a non-Bool assertion of sort {root.sort}", root)
        lit = self.blast(root)
        assert isinstance(lit, int)
        return lit

    # -- leaves ---------------------------------------------------------------------------
    def walk_const(self, t: Term, args: list) -> int | Bits:
        if t.sort.is_bool:
            return TRUE if t.payload else FALSE
        if t.sort.is_bv:
            return _const(t.payload, t.sort.width)
        raise UnsupportedOperator(f"(a constant of sort {t.sort.smtlib()})", t, WHERE)

    def walk_var(self, t: Term, args: list) -> int | Bits:
        if t.sort.is_bool:
            bits = [self.aig.input()]
            self.symbols[t] = bits
            return bits[0]
        if t.sort.is_bv:
            bits = [self.aig.input() for _ in range(t.sort.width)]
            self.symbols[t] = bits
            return bits
        raise UnsupportedOperator(f"(a variable of sort {t.sort.smtlib()})", t, WHERE)

    # -- Boolean --------------------------------------------------------------------------
    def walk_not(self, t: Term, args: list) -> int:
        return args[0] ^ 1

    def walk_and(self, t: Term, args: list) -> int:
        return self.aig.and_many(args)

    def walk_or(self, t: Term, args: list) -> int:
        return self.aig.or_many(args)

    def walk_xor(self, t: Term, args: list) -> int:
        out = FALSE
        for a in args:
            out = self.aig.xor(out, a)
        return out

    def walk_ite(self, t: Term, args: list) -> int | Bits:
        c, a, b = args
        if t.sort.is_bool:
            return self.aig.ite(c, a, b)
        if t.sort.is_bv:
            return _mux(self.aig, c, a, b)
        raise UnsupportedOperator(f"ite of sort {t.sort}", t, WHERE)

    def walk_eq(self, t: Term, args: list) -> int:
        sort = t.args[0].sort
        if sort.is_bool:
            return self.aig.xnor(args[0], args[1])
        if sort.is_bv:
            return _eq(self.aig, args[0], args[1])
        raise UnsupportedOperator(f"= on sort {sort}", t, WHERE)

    # -- bit-wise -------------------------------------------------------------------------
    def walk_bvnot(self, t: Term, args: list) -> Bits:
        return [x ^ 1 for x in args[0]]

    def _bitwise(self, args: list, op: Callable[[int, int], int]) -> Bits:
        out = args[0]
        for b in args[1:]:
            out = [op(x, y) for x, y in zip(out, b)]
        return out

    def walk_bvand(self, t: Term, args: list) -> Bits:
        return self._bitwise(args, self.aig.and_)

    def walk_bvor(self, t: Term, args: list) -> Bits:
        return self._bitwise(args, self.aig.or_)

    def walk_bvxor(self, t: Term, args: list) -> Bits:
        return self._bitwise(args, self.aig.xor)

    # -- arithmetic -----------------------------------------------------------------------
    def walk_bvneg(self, t: Term, args: list) -> Bits:
        return _neg(self.aig, args[0])

    def walk_bvadd(self, t: Term, args: list) -> Bits:
        out = args[0]
        for b in args[1:]:
            out = _add(self.aig, out, b)[0]
        return out

    def walk_bvsub(self, t: Term, args: list) -> Bits:
        return _sub(self.aig, args[0], args[1])[0]

    def walk_bvmul(self, t: Term, args: list) -> Bits:
        # Operands in the order of their literals, least significant bit first: a*b and b*a
        # become one circuit, and so do the low bits of a product of zero-extensions.
        ordered = sorted(args)
        out = ordered[0]
        for b in ordered[1:]:
            out = _mul(self.aig, out, b)
        return out

    def walk_bvudiv(self, t: Term, args: list) -> Bits:
        return _udivrem(self.aig, args[0], args[1])[0]

    def walk_bvurem(self, t: Term, args: list) -> Bits:
        return _udivrem(self.aig, args[0], args[1])[1]

    def walk_bvsdiv(self, t: Term, args: list) -> Bits:
        return _sdiv(self.aig, args[0], args[1])

    def walk_bvsrem(self, t: Term, args: list) -> Bits:
        return _srem(self.aig, args[0], args[1])

    def walk_bvsmod(self, t: Term, args: list) -> Bits:
        return _smod(self.aig, args[0], args[1])

    # -- shifts and structure -------------------------------------------------------------
    def walk_bvshl(self, t: Term, args: list) -> Bits:
        return _shift(self.aig, args[0], args[1], "shl")

    def walk_bvlshr(self, t: Term, args: list) -> Bits:
        return _shift(self.aig, args[0], args[1], "lshr")

    def walk_bvashr(self, t: Term, args: list) -> Bits:
        return _shift(self.aig, args[0], args[1], "ashr")

    def walk_concat(self, t: Term, args: list) -> Bits:
        out: Bits = []
        for bits in reversed(args):  # the first argument holds the most significant bits
            out.extend(bits)
        return out

    def walk_extract(self, t: Term, args: list) -> Bits:
        hi, lo = t.payload
        return args[0][lo:hi + 1]

    def walk_zero_extend(self, t: Term, args: list) -> Bits:
        return args[0] + [FALSE] * _index(t.payload)

    def walk_sign_extend(self, t: Term, args: list) -> Bits:
        return args[0] + [args[0][-1]] * _index(t.payload)

    def walk_rotate_left(self, t: Term, args: list) -> Bits:
        return _rotate_left(args[0], _index(t.payload))

    def walk_rotate_right(self, t: Term, args: list) -> Bits:
        return _rotate_left(args[0], -_index(t.payload))

    # -- comparisons ----------------------------------------------------------------------
    def walk_bvult(self, t: Term, args: list) -> int:
        return _ult(self.aig, args[0], args[1])

    def walk_bvule(self, t: Term, args: list) -> int:
        return _ult(self.aig, args[1], args[0]) ^ 1

    def walk_bvslt(self, t: Term, args: list) -> int:
        return _slt(self.aig, args[0], args[1])

    def walk_bvsle(self, t: Term, args: list) -> int:
        return _slt(self.aig, args[1], args[0]) ^ 1


def _index(payload: object) -> int:
    """The integer index of an indexed operator (stored bare or as a 1-tuple)."""
    if isinstance(payload, tuple):
        return int(payload[0])
    return int(payload)  # type: ignore[arg-type]
