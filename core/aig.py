"""And-inverter graphs with structural hashing: the circuit the bit-blaster builds.

A literal is an int `2 * node + negated`. Node 0 is the constant false, so literal 0 is FALSE and
literal 1 is TRUE. Every other node is an input or a two-input AND; `and_` folds constants and
the trivial cases (x&x = x, x&~x = 0) and hashes each AND on its ordered pair of fan-in
literals, so a structurally equal gate is built once. Everything else (or, xor, ite, majority)
is derived from AND and negation. Trusted by the kernel as part of the bit-blaster: a bug here
would make the CNF say something other than the query.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["AIG", "FALSE", "TRUE", "neg", "CircuitLimit"]

FALSE = 0
TRUE = 1


class CircuitLimit(Exception):
    """The graph outgrew its node budget or its deadline while being built."""


def neg(lit: int) -> int:
    """The negation of a literal."""
    return lit ^ 1


class AIG:
    """A growing and-inverter graph.

    >>> g = AIG()
    >>> a, b = g.input(), g.input()
    >>> g.and_(a, b) == g.and_(b, a), g.and_(a, neg(a)), g.and_(a, TRUE) == a
    (True, 0, True)
    >>> g.simulate([g.xor(a, b)], {a >> 1: True, b >> 1: False})
    [True]
    """

    def __init__(self, max_nodes: int | None = None, deadline: float | None = None) -> None:
        """`max_nodes` and `deadline` (a `time.perf_counter()` value) bound the construction:
        past either, building raises `CircuitLimit` (checked every 65,536 new nodes)."""
        self.max_nodes = max_nodes
        self.deadline = deadline
        # fan-ins per node; inputs and the constant have -1
        self.left: list[int] = [-1]
        self.right: list[int] = [-1]
        self.inputs: list[int] = []
        self._strash: dict[tuple[int, int], int] = {}

    # -- building -----------------------------------------------------------------------
    def input(self) -> int:
        """A fresh input; returns its positive literal."""
        node = len(self.left)
        self.left.append(-1)
        self.right.append(-1)
        self.inputs.append(node)
        return node << 1

    def is_input(self, node: int) -> bool:
        return node != 0 and self.left[node] < 0

    @property
    def num_ands(self) -> int:
        return len(self._strash)

    def and_(self, a: int, b: int) -> int:
        if a > b:
            a, b = b, a
        if a <= 1:
            return b if a == TRUE else FALSE
        if a == b:
            return a
        if a ^ b == 1:
            return FALSE
        key = (a, b)
        node = self._strash.get(key)
        if node is None:
            node = len(self.left)
            if not node & 0xFFFF:
                self._check_budget(node)
            self.left.append(a)
            self.right.append(b)
            self._strash[key] = node
        return node << 1

    def _check_budget(self, node: int) -> None:
        if self.max_nodes is not None and node > self.max_nodes:
            raise CircuitLimit(f"the circuit exceeds {self.max_nodes:,} nodes")
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise CircuitLimit(f"bit-blasting stopped at the deadline ({node:,} nodes built)")

    def or_(self, a: int, b: int) -> int:
        return self.and_(a ^ 1, b ^ 1) ^ 1

    def xor(self, a: int, b: int) -> int:
        if a > b:
            a, b = b, a
        if a <= 1:
            return b ^ a  # FALSE: b, TRUE: not b
        if a == b:
            return FALSE
        if a ^ b == 1:
            return TRUE
        return self.and_(self.and_(a, b ^ 1) ^ 1, self.and_(a ^ 1, b) ^ 1) ^ 1

    def xnor(self, a: int, b: int) -> int:
        return self.xor(a, b) ^ 1

    def ite(self, c: int, t: int, e: int) -> int:
        if c <= 1:
            return t if c == TRUE else e
        if t == e:
            return t
        if t ^ e == 1:
            return self.xnor(c, t)
        return self.or_(self.and_(c, t), self.and_(c ^ 1, e))

    def majority(self, a: int, b: int, c: int) -> int:
        return self.or_(self.and_(a, b), self.and_(c, self.or_(a, b)))

    def and_many(self, lits: Iterable[int]) -> int:
        """A balanced conjunction (balanced keeps the graph shallow)."""
        layer = list(lits)
        if not layer:
            return TRUE
        while len(layer) > 1:
            nxt = [self.and_(layer[i], layer[i + 1]) for i in range(0, len(layer) - 1, 2)]
            if len(layer) % 2:
                nxt.append(layer[-1])
            layer = nxt
        return layer[0]

    def or_many(self, lits: Iterable[int]) -> int:
        return self.and_many(lit ^ 1 for lit in lits) ^ 1

    # -- reading ------------------------------------------------------------------------
    def cone(self, roots: Sequence[int]) -> list[int]:
        """The nodes (inputs and ANDs) that `roots` depend on, in increasing node order, which
        puts fan-ins before fan-outs (a node is only ever built from older ones)."""
        left, right = self.left, self.right
        marked = bytearray(len(left))
        top = 0
        for root in roots:
            node = root >> 1
            marked[node] = 1
            top = max(top, node)
        for node in range(top, 0, -1):
            if marked[node] and left[node] >= 0:
                marked[left[node] >> 1] = 1
                marked[right[node] >> 1] = 1
        return [node for node in range(1, top + 1) if marked[node]]

    def simulate(self, roots: Sequence[int], values: Mapping[int, bool]) -> list[bool]:
        """The values of `roots` given input node -> value (missing inputs are False)."""
        val: dict[int, bool] = {0: False}
        left, right = self.left, self.right
        for node in self.cone(roots):
            if left[node] < 0:
                val[node] = bool(values.get(node, False))
            else:
                a, b = left[node], right[node]
                val[node] = (val[a >> 1] ^ bool(a & 1)) and (val[b >> 1] ^ bool(b & 1))
        return [val[r >> 1] ^ bool(r & 1) for r in roots]
