"""Iterative, memoised walks over the term DAG.

`DagWalker` visits each distinct node once, children before parents, with an explicit stack:
symbolic executions build terms hundreds of thousands of nodes deep, so nothing here recurses
on depth. A subclass defines `walk_<op>(term, args)` per operator (`walk_bvadd`, `walk_var`,
...), where `args` are the results for the children; a missing handler raises
`UnsupportedOperator`. Solver converters, the bit-blaster and the evaluator are walkers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from assay.core.errors import UnsupportedOperator
from assay.core.ops import Op
from assay.core.rebuild import rebuild
from assay.core.term import Term

Handler = Callable[[Term, list[Any]], Any]


class DagWalker:
    """Post-order walker; results are memoised per node for the walker's lifetime."""

    def __init__(self) -> None:
        self.memo: dict[Term, Any] = {}
        self._handlers: dict[Op, Handler] = {}
        for op in Op:
            h = getattr(self, f"walk_{op.name.lower()}", None)
            if h is not None:
                self._handlers[op] = h

    def handler(self, t: Term) -> Handler:
        h = self._handlers.get(t.op)
        if h is None:
            raise UnsupportedOperator(t.op.value, t, type(self).__name__)
        return h

    def walk(self, root: Term) -> Any:
        memo = self.memo
        if root in memo:
            return memo[root]
        handlers = self._handlers
        stack: list[tuple[Term, bool]] = [(root, False)]
        while stack:
            t, ready = stack.pop()
            if t in memo:
                continue
            if ready:
                h = handlers.get(t.op)
                if h is None:
                    raise UnsupportedOperator(t.op.value, t, type(self).__name__)
                memo[t] = h(t, [memo[a] for a in t.args])
            else:
                stack.append((t, True))
                for a in t.args:
                    if a not in memo:
                        stack.append((a, False))
        return memo[root]


def postorder(*roots: Term) -> Iterator[Term]:
    """Each distinct node reachable from `roots` once, children first."""
    seen: set[Term] = set()
    for root in roots:
        if root in seen:
            continue
        stack: list[tuple[Term, bool]] = [(root, False)]
        while stack:
            t, ready = stack.pop()
            if ready:
                if t not in seen:
                    seen.add(t)
                    yield t
                continue
            if t in seen:
                continue
            stack.append((t, True))
            for a in reversed(t.args):
                if a not in seen:
                    stack.append((a, False))


def free_vars(*roots: Term) -> list[Term]:
    """The variables of `roots`, in order of first appearance."""
    return [t for t in postorder(*roots) if t.op is Op.VAR]


def function_symbols(*roots: Term) -> list[Any]:
    """The uninterpreted function symbols applied in `roots`, in order of first appearance."""
    return list(dict.fromkeys(t.payload for t in postorder(*roots) if t.op is Op.APPLY))


def dag_size(*roots: Term) -> int:
    return sum(1 for _ in postorder(*roots))


def substitute(root: Term, mapping: dict[Term, Term]) -> Term:
    """Replace subterms (usually variables) by terms of the same sort, re-folding as it goes."""
    for k, v in mapping.items():
        if k.sort is not v.sort:
            from assay.core.errors import SortError
            raise SortError(f"substitute: {k!r} has sort {k.sort} but {v!r} has sort {v.sort}")
    memo: dict[Term, Term] = dict(mapping)
    for t in postorder(root):
        if t in memo:
            continue
        memo[t] = rebuild(t, [memo[a] for a in t.args]) if t.args else t
    return memo[root]
