"""The one SMT-LIB 2.6 query printer: declarations, logic and scripts for a set of assertions.

Everything in Assay that turns terms into an SMT-LIB script goes through this module: the
kernel's SMT certificates, proof bundles, the cvc5/bitwuzla backends, and the SMT-LIB front end
(`assay.core.smtlib`, which only adds the commands a parsed script can hold).

An SMT certificate records the exact text a solver answered; the kernel re-prints the negated
goal with `query_text` and compares, so this printing is deterministic and frozen: declarations
in order of first appearance (sorts before the datatypes and functions that use them), one
`assert` of the conjunction, then `(check-sat)`. Proof bundles of format `assay-bundle/1` hold
such texts, so any change to what `query_text` prints needs a new bundle format (the test
tests/core/test_smtlib_canonical.py pins the text). `logic_of` names a standard logic the query
lives in, which second-opinion solvers need (bitwuzla only takes bit-vector logics).

Trusted by the kernel as a printer: it must print exactly the term it is given. It uses only
the standard library and the term layer.

>>> from assay.core.terms import BV, BVAdd, BVULT, Eq, Not, Var
>>> from assay.core.sorts import BVSort
>>> x, y = Var("x", BVSort(8)), Var("y", BVSort(8))
>>> print(query_text([Not(Eq(BVAdd(x, x), BVAdd(x, x)))]), end="")
(set-logic QF_BV)
(assert false)
(check-sat)
>>> print(query_text([BVULT(x, y), BVULT(y, BV(3, 8))]), end="")
(set-logic QF_BV)
(declare-const x (_ BitVec 8))
(declare-const y (_ BitVec 8))
(assert (and (bvult x y) (bvult y #x03)))
(check-sat)
>>> print(script_text([BVULT(x, y), BVULT(y, BV(3, 8))],
...                   options=[(":produce-models", "true")]), end="")
(set-logic QF_BV)
(set-option :produce-models true)
(declare-const x (_ BitVec 8))
(declare-const y (_ BitVec 8))
(assert (bvult x y))
(assert (bvult y #x03))
(check-sat)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from assay.core import terms as _terms  # first: terms must load before walkers (import cycle)
from assay.core.errors import SolverError
from assay.core.ops import Op
from assay.core.printer import sort_text, symbol, to_smtlib
from assay.core.sorts import Sort, SortKind
from assay.core.term import FunctionSymbol, Term
from assay.core.walkers import postorder

__all__ = ["query_text", "script_text", "logic_of", "declarations", "declaration_text",
           "datatype_text", "sorts_used", "declared_sorts", "free_symbols",
           "is_bitvector_fragment", "Symbol"]

#: a declared symbol: a variable (`declare-const`) or an uninterpreted function (`declare-fun`)
Symbol = Term | FunctionSymbol

_DECLARED = (SortKind.UNINTERPRETED, SortKind.DATATYPE)


# -- sorts -----------------------------------------------------------------------------------

def _components(s: Sort) -> list[Sort]:
    if s.kind is SortKind.DATATYPE:
        return [fs for _, fields in s.constructors for _, fs in fields]
    return list(s.args)


def _closure(sorts: Iterable[Sort]) -> list[Sort]:
    """`sorts` and every sort they are built from, each after its components."""
    found: dict[Sort, None] = {}
    for top in sorts:
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
            stack.extend((c, False) for c in reversed(_components(s)) if c not in found)
    return list(found)


def _signature(s: Symbol) -> list[Sort]:
    return [*s.domain, s.range] if isinstance(s, FunctionSymbol) else [s.sort]


def _node_sorts(roots: Iterable[Term]) -> Iterator[Sort]:
    for t in postorder(*roots):
        yield t.sort
        if t.op is Op.APPLY:
            yield from t.payload.domain


def sorts_used(roots: Sequence[Term]) -> list[Sort]:
    """Every sort occurring in `roots` (of nodes and of function signatures), components first."""
    return _closure(_node_sorts(roots))


def declared_sorts(symbols: Iterable[Symbol] = (), terms: Iterable[Term] = (), *,
                   sorts: Iterable[Sort] = ()) -> list[Sort]:
    """The uninterpreted and datatype sorts that the signatures of `symbols`, the nodes of
    `terms` and `sorts` need declared, each after the sorts its own definition mentions."""
    wanted = [*(s for sym in symbols for s in _signature(sym)), *sorts, *_node_sorts(terms)]
    return [s for s in _closure(wanted) if s.kind in _DECLARED]


def free_symbols(terms: Iterable[Term]) -> list[Symbol]:
    """Free variables and function symbols of `terms`, in order of first appearance."""
    out: dict[Symbol, None] = {}
    for t in postorder(*terms):
        if t.op is Op.VAR:
            out[t] = None
        elif t.op is Op.APPLY:
            out[t.payload] = None
    return list(out)


# -- declarations ----------------------------------------------------------------------------

def datatype_text(sorts: Sequence[Sort]) -> str:
    """One `declare-datatypes` command for the (non-recursive) datatypes `sorts`."""
    heads = " ".join(f"({symbol(s.name)} 0)" for s in sorts)
    bodies = []
    for s in sorts:
        conses = []
        for cname, fields in s.constructors:
            fs = "".join(f" ({symbol(f)} {sort_text(fsort)})" for f, fsort in fields)
            conses.append(f"({symbol(cname)}{fs})")
        bodies.append(f"({' '.join(conses)})")
    return f"(declare-datatypes ({heads}) ({' '.join(bodies)}))"


def declaration_text(s: Symbol) -> str:
    """`declare-fun` for a function symbol, `declare-const` for a variable."""
    if isinstance(s, FunctionSymbol):
        dom = " ".join(map(sort_text, s.domain))
        return f"(declare-fun {symbol(s.name)} ({dom}) {sort_text(s.range)})"
    return f"(declare-const {symbol(s.payload)} {sort_text(s.sort)})"


def _sort_text(s: Sort) -> str:
    if s.kind is SortKind.UNINTERPRETED:
        return f"(declare-sort {symbol(s.name)} 0)"
    return datatype_text([s])


def declarations(roots: Sequence[Term]) -> list[str]:
    """The declare-sort / declare-datatypes / declare-fun / declare-const lines `roots` need.

    Raises SolverError when two different sorts, or two different symbols (variables,
    functions, constructors, fields), share a name: SMT-LIB could not tell them apart.
    """
    sorts = [s for s in sorts_used(roots) if s.kind in _DECLARED]
    by_name: dict[str, Sort] = {}
    for s in sorts:
        if by_name.setdefault(s.name, s) is not s:
            raise SolverError(f"two different sorts named {s.name!r} in one query; SMT-LIB "
                              "cannot tell them apart")
    taken = {n for s in sorts for cname, fields in s.constructors
             for n in (cname, *(fn for fn, _ in fields))}
    symbols: dict[str, Symbol] = {}
    for sym in free_symbols(roots):
        is_function = isinstance(sym, FunctionSymbol)
        name = sym.name if is_function else sym.payload
        if name in taken or symbols.setdefault(name, sym) is not sym:
            raise SolverError(
                f"two symbols named {name!r}: a function and another function, constructor "
                "or field" if is_function else
                f"two symbols named {name!r}: a variable and another variable, constructor "
                "or field; SMT-LIB cannot tell them apart")
    return [*map(_sort_text, sorts), *map(declaration_text, symbols.values())]


# -- logics ----------------------------------------------------------------------------------

_BV_ONLY = frozenset({SortKind.BOOL, SortKind.BV})
_BV_LOGIC_KINDS = frozenset({SortKind.BOOL, SortKind.BV, SortKind.ARRAY, SortKind.UNINTERPRETED})
_IA_LOGIC_KINDS = frozenset({SortKind.BOOL, SortKind.INT, SortKind.UNINTERPRETED})


def is_bitvector_fragment(roots: Sequence[Term]) -> bool:
    """True when every sort is Bool or a bit-vector and there are no arrays, UF or Ints."""
    return all(s.kind in _BV_ONLY for s in sorts_used(roots)) and not any(
        t.op is Op.APPLY for t in postorder(*roots))


def logic_of(roots: Sequence[Term]) -> str:
    """The standard logic of `roots`: QF_BV, QF_ABV, QF_UFBV, QF_AUFBV, QF_UF, QF_LIA,
    QF_NIA, QF_UFLIA, ... or ALL.

    Frozen with the canonical text (it is the query's first line): Bool alone is QF_BV (so
    bitwuzla takes it), strings, sets and datatypes are ALL, and an integer product, `div` or
    `mod` counts as non-linear when more than one of its arguments is not a constant.
    """
    kinds: set[SortKind] = {s.kind for s in sorts_used(roots)}
    has_uf = SortKind.UNINTERPRETED in kinds
    has_nonlinear = has_conversion = False
    for t in postorder(*roots):
        if t.op is Op.APPLY:
            has_uf = True
        elif t.op in (Op.MUL, Op.IDIV, Op.MOD):
            has_nonlinear |= sum(1 for a in t.args if a.op is not Op.CONST) > 1
        elif t.op in (Op.BV2NAT, Op.INT2BV):
            has_conversion = True
    if kinds <= _BV_LOGIC_KINDS:
        if SortKind.UNINTERPRETED in kinds and SortKind.BV not in kinds:
            return "QF_AUF" if SortKind.ARRAY in kinds else "QF_UF"
        arrays = "A" if SortKind.ARRAY in kinds else ""
        return f"QF_{arrays}{'UF' if has_uf else ''}BV"
    if kinds <= _IA_LOGIC_KINDS and not has_conversion:
        return f"QF_{'UF' if has_uf else ''}{'N' if has_nonlinear else 'L'}IA"
    return "ALL"


# -- scripts ---------------------------------------------------------------------------------

def script_text(assertions: Sequence[Term], *, logic: str | None = None,
                options: Iterable[tuple[str, str]] = (), dialect: str = "smtlib") -> str:
    """The SMT-LIB script that asks whether `assertions` are satisfiable together, with one
    `assert` per assertion (the SMT-LIB front end's canonical form of a parsed script).
    `dialect="z3"` spells set operations as z3's parser reads them."""
    lines = [f"(set-logic {logic or logic_of(assertions)})",
             *(f"(set-option {k}{' ' + v if v else ''})" for k, v in options),
             *declarations(assertions),
             *(f"(assert {to_smtlib(a, dialect=dialect)})" for a in assertions),
             "(check-sat)"]
    return "\n".join(lines) + "\n"


def query_text(assertions: Sequence[Term], *, logic: str | None = None,
               dialect: str = "smtlib") -> str:
    """The canonical SMT-LIB query (the kernel's) asking whether `And(assertions)` is
    satisfiable: `script_text` of the one conjunction (`dialect="z3"`: the same query with set
    operations spelled for z3's parser; identical when there are none)."""
    return script_text([_terms.And(*assertions)], logic=logic, dialect=dialect)
