"""The canonical SMT-LIB 2.6 query for a conjunction of Boolean terms.

An SMT certificate records the exact text a solver answered; the kernel re-prints the negated
goal with `query_text` and compares, so this printing must be deterministic: declarations in
order of first appearance (sorts before the datatypes and functions that use them), then one
`assert`, then `(check-sat)`. `logic_of` names the smallest standard logic the query lives in,
which second-opinion solvers (bitwuzla only takes bit-vector logics) need. Trusted by the kernel
as a printer: it must print exactly the term it is given.

>>> from assay.core.terms import Var, Not, Eq, BVAdd
>>> from assay.core.sorts import BVSort
>>> x = Var("x", BVSort(8))
>>> print(query_text([Not(Eq(BVAdd(x, x), BVAdd(x, x)))]), end="")
(set-logic QF_BV)
(assert false)
(check-sat)
"""

from __future__ import annotations

from collections.abc import Sequence

from assay.core import terms as _terms  # first: terms must load before walkers (import cycle)
from assay.core.errors import SolverError
from assay.core.ops import Op
from assay.core.printer import symbol, to_smtlib
from assay.core.sorts import Sort, SortKind
from assay.core.term import FunctionSymbol, Term
from assay.core.walkers import postorder

__all__ = ["query_text", "logic_of", "declarations", "sorts_used", "is_bitvector_fragment"]


def _sort_children(s: Sort) -> list[Sort]:
    if s.kind is SortKind.DATATYPE:
        return [fs for _, fields in s.constructors for _, fs in fields]
    return list(s.args)


def sorts_used(roots: Sequence[Term]) -> list[Sort]:
    """Every sort occurring in `roots` (of nodes and of function signatures), components first."""
    found: dict[Sort, None] = {}
    pending: list[Sort] = []
    for t in postorder(*roots):
        pending.append(t.sort)
        if t.op is Op.APPLY:
            pending.extend(t.payload.domain)
        pending.extend(a.sort for a in t.args)
    for top in pending:
        if top in found:
            continue
        stack: list[tuple[Sort, bool]] = [(top, False)]
        while stack:
            s, ready = stack.pop()
            if s in found:
                continue
            if ready:
                found[s] = None
                continue
            stack.append((s, True))
            stack.extend((c, False) for c in reversed(_sort_children(s)) if c not in found)
    return list(found)


def _datatype_decl(s: Sort) -> str:
    conses = []
    for cname, fields in s.constructors:
        if fields:
            fs = " ".join(f"({symbol(fn)} {fsort.smtlib()})" for fn, fsort in fields)
            conses.append(f"({symbol(cname)} {fs})")
        else:
            conses.append(f"({symbol(cname)})")
    return f"(declare-datatypes (({symbol(s.name)} 0)) (({' '.join(conses)})))"


def declarations(roots: Sequence[Term]) -> list[str]:
    """The declare-sort / declare-datatypes / declare-fun / declare-const lines `roots` need."""
    lines: list[str] = []
    sort_names: dict[str, Sort] = {}
    for s in sorts_used(roots):
        if s.kind in (SortKind.UNINTERPRETED, SortKind.DATATYPE) \
                and sort_names.setdefault(s.name, s) is not s:
            raise SolverError(f"two different sorts named {s.name!r} in one query; SMT-LIB "
                              "cannot tell them apart")
        if s.kind is SortKind.UNINTERPRETED:
            lines.append(f"(declare-sort {symbol(s.name)} 0)")
        elif s.kind is SortKind.DATATYPE:
            lines.append(_datatype_decl(s))
    names: dict[str, object] = {}
    for s in sorts_used(roots):
        for cname, fields in s.constructors:
            for n in (cname, *(fn for fn, _ in fields)):
                names[n] = s
    for t in postorder(*roots):
        if t.op is Op.APPLY:
            f: FunctionSymbol = t.payload
            if names.setdefault(f.name, f) is not f:
                raise SolverError(f"two symbols named {f.name!r}: a function and another "
                                  "function, constructor or field")
        elif t.op is Op.VAR:
            if names.setdefault(t.payload, t) is not t:
                raise SolverError(f"two symbols named {t.payload!r}: a variable and another "
                                  "variable, constructor or field; SMT-LIB cannot tell them apart")
    for obj in names.values():
        if isinstance(obj, Sort):
            continue
        if isinstance(obj, FunctionSymbol):
            dom = " ".join(s.smtlib() for s in obj.domain)
            lines.append(f"(declare-fun {symbol(obj.name)} ({dom}) {obj.range.smtlib()})")
        elif isinstance(obj, Term):
            lines.append(f"(declare-const {symbol(obj.payload)} {obj.sort.smtlib()})")
    return lines


_BV_ONLY = frozenset({SortKind.BOOL, SortKind.BV})


def is_bitvector_fragment(roots: Sequence[Term]) -> bool:
    """True when every sort is Bool or a bit-vector and there are no arrays, UF or Ints."""
    return all(s.kind in _BV_ONLY for s in sorts_used(roots)) and not any(
        t.op is Op.APPLY for t in postorder(*roots))


def logic_of(roots: Sequence[Term]) -> str:
    """The standard logic of `roots`: QF_BV, QF_ABV, QF_UFBV, QF_AUFBV, QF_LIA, ... or ALL."""
    kinds = {s.kind for s in sorts_used(roots)}
    has_uf = any(t.op is Op.APPLY for t in postorder(*roots)) or SortKind.UNINTERPRETED in kinds
    has_nonlinear = any(t.op in (Op.MUL, Op.IDIV, Op.MOD) and
                        sum(1 for a in t.args if a.op is not Op.CONST) > 1
                        for t in postorder(*roots))
    if kinds <= {SortKind.BOOL, SortKind.BV, SortKind.ARRAY, SortKind.UNINTERPRETED}:
        if SortKind.UNINTERPRETED in kinds and SortKind.BV not in kinds:
            return "QF_AUF" if SortKind.ARRAY in kinds else "QF_UF"
        arrays = "A" if SortKind.ARRAY in kinds else ""
        return f"QF_{arrays}{'UF' if has_uf else ''}BV"
    if kinds <= {SortKind.BOOL, SortKind.INT, SortKind.UNINTERPRETED} and not any(
            t.op in (Op.BV2NAT, Op.INT2BV) for t in postorder(*roots)):
        return f"QF_{'UF' if has_uf else ''}{'N' if has_nonlinear else 'L'}IA"
    return "ALL"


def query_text(assertions: Sequence[Term], *, logic: str | None = None) -> str:
    """The SMT-LIB script that asks whether `And(assertions)` is satisfiable."""
    body = _terms.And(*assertions)
    lines = [f"(set-logic {logic or logic_of([body])})", *declarations([body]),
             f"(assert {to_smtlib(body)})", "(check-sat)"]
    return "\n".join(lines) + "\n"
