"""Tseitin CNF for the cone of an AIG's outputs, and reading SAT models back onto its inputs.

Only nodes that the asserted outputs depend on get a CNF variable, numbered 1.. in increasing
AIG node order, so the same query always yields the same DIMACS text (the kernel
re-derives it and replays the LRAT proof against it). Each AND node n = a & b contributes the
three clauses (¬n ∨ a), (¬n ∨ b), (n ∨ ¬a ∨ ¬b); each asserted output is a unit clause. An
output that is the constant false yields the empty clause. Trusted by the kernel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assay.core.aig import AIG, FALSE, TRUE

__all__ = ["CNF", "tseitin"]


@dataclass
class CNF:
    """Clauses over variables 1..nvars; `var_of` maps AIG nodes in the cone to variables."""

    nvars: int
    clauses: list[tuple[int, ...]]
    var_of: dict[int, int]

    def input_values(self, aig: AIG, model: Iterable[int]) -> dict[int, bool]:
        """AIG input node -> value under a SAT model (a list of true/false DIMACS literals).

        Inputs outside the cone are unconstrained and read as False.
        """
        true_vars = {lit for lit in model if lit > 0}
        return {node: self.var_of.get(node, 0) in true_vars for node in aig.inputs}


def tseitin(aig: AIG, roots: Sequence[int]) -> CNF:
    """The CNF asserting every literal in `roots`."""
    clauses: list[tuple[int, ...]] = []
    roots = [r for r in roots if r != TRUE]
    if any(r == FALSE for r in roots):
        return CNF(0, [()], {})
    var_of: dict[int, int] = {}
    left, right = aig.left, aig.right
    append = clauses.append
    for v, node in enumerate(aig.cone(roots), 1):
        var_of[node] = v
        a = left[node]
        if a >= 0:
            b = right[node]
            la = -var_of[a >> 1] if a & 1 else var_of[a >> 1]
            lb = -var_of[b >> 1] if b & 1 else var_of[b >> 1]
            append((-v, la))
            append((-v, lb))
            append((v, -la, -lb))
    for r in dict.fromkeys(roots):
        append((-var_of[r >> 1] if r & 1 else var_of[r >> 1],))
    return CNF(len(var_of), clauses, var_of)
