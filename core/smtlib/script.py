"""Scripts: parsed SMT-LIB scripts and canonical queries, and their printer.

A `Script` is a list of commands plus what they add up to (declarations, assertions, logic,
options). `Script.query(assertions)` builds the canonical script for a set of assertions:
declarations for every free symbol, function and uninterpreted sort, the assertions printed with
`let` for shared subterms, and `(check-sat)`. Printing and parsing are inverse on terms:
`parse_script(print_script(s)).assertions` are the very same (hash-consed) terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assay.core.errors import ParseError
from assay.core.ops import Op
from assay.core.printer import string_literal, symbol, to_smtlib
from assay.core.smtlib.commands import (
    Assert,
    CheckSat,
    Command,
    DeclareDatatypes,
    DeclareFun,
    DeclareSort,
    Interpreter,
    SetInfo,
    SetLogic,
    SetOption,
)
from assay.core.smtlib.elaborate import DatatypeSymbol, Elaborator, Environment, Macro
from assay.core.smtlib.reader import Source, read
from assay.core.sorts import Sort, SortKind
from assay.core.term import FunctionSymbol, Term
from assay.core.terms import Var
from assay.core.walkers import postorder, substitute

Symbol = Term | FunctionSymbol


@dataclass
class Script:
    """An SMT-LIB script: its commands, and the environment they built."""

    commands: list[Command] = field(default_factory=list)
    env: Environment = field(default_factory=Environment)

    @property
    def assertions(self) -> list[Term]:
        return [c.term for c in self.commands if isinstance(c, Assert)]

    @property
    def declarations(self) -> list[Symbol]:
        return [c.symbol for c in self.commands if isinstance(c, DeclareFun)]

    @property
    def logic(self) -> str | None:
        logics = [c.logic for c in self.commands if isinstance(c, SetLogic)]
        return logics[-1] if logics else None

    @property
    def options(self) -> list[tuple[str, str]]:
        return [(c.keyword, c.value) for c in self.commands if isinstance(c, SetOption)]

    @staticmethod
    def query(assertions: Sequence[Term], *, logic: str | None = None,
              options: Iterable[tuple[str, str]] = (),
              declarations: Iterable[Symbol] = ()) -> Script:
        """The canonical script that asks whether `assertions` are satisfiable together."""
        logic = logic or infer_logic(assertions)
        cmds: list[Command] = [SetLogic("set-logic", 0, logic)]
        cmds += [SetOption("set-option", 0, k, v) for k, v in options]
        symbols = list(dict.fromkeys([*declarations, *free_symbols(assertions)]))
        for sort in declared_sorts(symbols, assertions):
            if sort.kind is SortKind.UNINTERPRETED:
                cmds.append(DeclareSort("declare-sort", 0, sort))
            else:
                cmds.append(DeclareDatatypes("declare-datatypes", 0, (sort,)))
        cmds += [DeclareFun("declare-fun", 0, s) for s in symbols]
        cmds += [Assert("assert", 0, a) for a in assertions]
        cmds.append(CheckSat("check-sat", 0))
        return Script(cmds)

    def to_smtlib(self) -> str:
        return print_script(self)

    def parse_term(self, text: str, name: str = "<term>") -> Term:
        """A term over everything this script declared (sorts, datatypes, functions)."""
        env = Environment(dict(self.env.sorts), dict(self.env.symbols), set(self.env.defined))
        source = Source(text, name)
        sexprs = list(read(source))
        if len(sexprs) != 1:
            raise ParseError(f"expected exactly one term, found {len(sexprs)}", source=name)
        return Elaborator(source, env).term(sexprs[0])


def free_symbols(terms: Iterable[Term]) -> list[Symbol]:
    """Free variables and function symbols of `terms`, in order of first appearance."""
    out: dict[Symbol, None] = {}
    for t in postorder(*terms):
        if t.op is Op.VAR:
            out[t] = None
        elif t.op is Op.APPLY:
            out[t.payload] = None
    return list(out)


def uninterpreted_sorts(symbols: Iterable[Symbol]) -> list[Sort]:
    """The uninterpreted sorts that the signatures of `symbols` mention."""
    return [s for s in declared_sorts(symbols) if s.kind is SortKind.UNINTERPRETED]


def declared_sorts(symbols: Iterable[Symbol], terms: Iterable[Term] = ()) -> list[Sort]:
    """Uninterpreted and datatype sorts used by `symbols` and `terms`, each after the sorts
    its own definition mentions."""
    roots: list[Sort] = []
    for s in symbols:
        roots.extend([*s.domain, s.range] if isinstance(s, FunctionSymbol) else [s.sort])
    roots.extend(t.sort for t in postorder(*terms))
    order: dict[Sort, None] = {}
    for root in dict.fromkeys(roots):
        stack: list[tuple[Sort, bool]] = [(root, False)]
        while stack:
            sort, ready = stack.pop()
            if sort in order:
                continue
            if ready:
                if sort.kind in (SortKind.UNINTERPRETED, SortKind.DATATYPE):
                    order[sort] = None
                continue
            stack.append((sort, True))
            children = [fs for _, fields in sort.constructors for _, fs in fields] \
                if sort.kind is SortKind.DATATYPE else list(sort.args)
            stack.extend((c, False) for c in reversed(children))
    return list(order)


def datatype_text(sorts: Sequence[Sort]) -> str:
    heads = " ".join(f"({symbol(s.name)} 0)" for s in sorts)
    bodies = []
    for s in sorts:
        conses = []
        for cname, fields in s.constructors:
            fs = "".join(f" ({symbol(f)} {fs.smtlib()})" for f, fs in fields)
            conses.append(f"({symbol(cname)}{fs})")
        bodies.append(f"({' '.join(conses)})")
    return f"(declare-datatypes ({heads}) ({' '.join(bodies)}))"


def declaration_text(s: Symbol) -> str:
    if isinstance(s, FunctionSymbol):
        dom = " ".join(x.smtlib() for x in s.domain)
        return f"(declare-fun {symbol(s.name)} ({dom}) {s.range.smtlib()})"
    return f"(declare-fun {symbol(s.payload)} () {s.sort.smtlib()})"


def definition_text(name: str, d: Term | Macro) -> str:
    """A define-fun; macro parameters get their written names back (renamed on a clash)."""
    if isinstance(d, Term):
        return f"(define-fun {symbol(name)} () {d.sort.smtlib()} {to_smtlib(d)})"
    taken = {v.payload for v in free_symbols([d.body]) if isinstance(v, Term)}
    mapping: dict[Term, Term] = {}
    params = []
    for p in d.params:
        pname = p.payload.rsplit("|", 1)[1]
        while pname in taken:
            pname += "'"
        taken.add(pname)
        mapping[p] = Var(pname, p.sort)
        params.append(f"({symbol(pname)} {p.sort.smtlib()})")
    body = substitute(d.body, mapping)
    return (f"(define-fun {symbol(name)} ({' '.join(params)}) {d.body.sort.smtlib()} "
            f"{to_smtlib(body)})")


def command_text(c: Command) -> str:
    """One command in canonical SMT-LIB syntax."""
    if isinstance(c, SetLogic):
        return f"(set-logic {symbol(c.logic)})"
    if isinstance(c, (SetOption, SetInfo)):
        return f"({c.name} {c.keyword}{' ' + c.value if c.value else ''})"
    if isinstance(c, DeclareSort):
        return f"(declare-sort {symbol(c.sort.name)} 0)"
    if isinstance(c, DeclareFun):
        return declaration_text(c.symbol)
    if isinstance(c, DeclareDatatypes):
        return datatype_text(c.sorts)
    if isinstance(c, Assert):
        return f"(assert {to_smtlib(c.term)})"
    from assay.core.smtlib.commands import DefineFun, Echo, GetInfo, GetValue
    if isinstance(c, DefineFun):
        return definition_text(c.symbol, c.definition)
    if isinstance(c, GetValue):
        return f"(get-value ({' '.join(to_smtlib(t) for t in c.terms)}))"
    if isinstance(c, GetInfo):
        return f"(get-info {c.keyword})"
    if isinstance(c, Echo):
        return f"(echo {string_literal(c.text)})"
    return f"({c.name})"


def print_script(script: Script) -> str:
    return "".join(command_text(c) + "\n" for c in script.commands)


def query_smtlib(assertions: Sequence[Term], *, logic: str | None = None,
                 options: Iterable[tuple[str, str]] = ()) -> str:
    """The canonical SMT-LIB text asking whether `assertions` are satisfiable together."""
    return print_script(Script.query(assertions, logic=logic, options=options))


def parse_script(text: str, name: str = "<input>") -> Script:
    """Parse and elaborate a whole script."""
    interp = Interpreter(Source(text, name))
    return Script(list(interp.commands()), interp.env)


def parse_term(text: str, symbols: Iterable[Symbol] = (), name: str = "<term>", *,
               sorts: Iterable[Sort] = ()) -> Term:
    """Parse one term in which `symbols` (variables and function symbols) are declared, and
    the datatypes and uninterpreted sorts of `sorts` and of the symbols' signatures."""
    env = Environment()
    symbols = list(symbols)
    for s in symbols:
        env.symbols[s.name if isinstance(s, FunctionSymbol) else s.payload] = s
    for srt in declared_sorts([*symbols, *(Var("|sort", x) for x in sorts)]):
        env.sorts[srt.name] = srt
        _declare_datatype_symbols(env, srt)
    source = Source(text, name)
    sexprs = list(read(source))
    if len(sexprs) != 1:
        raise ParseError(f"expected exactly one term, found {len(sexprs)}", source=name)
    return Elaborator(source, env).term(sexprs[0])


def _declare_datatype_symbols(env: Environment, sort: Sort) -> None:
    for cname, fields in sort.constructors:
        env.symbols.setdefault(cname, DatatypeSymbol("constructor", sort, cname))
        for fname, _ in fields:
            env.symbols.setdefault(fname, DatatypeSymbol("selector", sort, fname))


# -- logics ----------------------------------------------------------------------------
_KNOWN_LOGICS = frozenset({
    "QF_UF", "QF_BV", "QF_ABV", "QF_UFBV", "QF_AUFBV", "QF_AX", "QF_LIA", "QF_NIA",
    "QF_ALIA", "QF_AUFLIA", "QF_UFLIA", "QF_UFNIA", "QF_AUFNIA", "QF_S", "QF_SLIA", "QF_SNIA",
})


def infer_logic(assertions: Sequence[Term]) -> str:
    """The smallest standard logic covering `assertions` (`ALL` when none does)."""
    arrays = uf = bv = ints = strings = nonlinear = other = False
    for t in postorder(*assertions):
        k = t.sort.kind
        op = t.op
        if op is Op.APPLY or k is SortKind.UNINTERPRETED:
            uf = True
        if k is SortKind.ARRAY:
            arrays = True
        elif k is SortKind.BV:
            bv = True
        elif k is SortKind.INT:
            ints = True
        elif k in (SortKind.STRING, SortKind.REGLAN):
            strings = True
        elif k in (SortKind.SET, SortKind.DATATYPE):
            other = True
        if op in (Op.BV2NAT, Op.INT2BV):
            other = True
        if op is Op.MUL and sum(1 for a in t.args if a.op is not Op.CONST) > 1:
            nonlinear = True
        elif op in (Op.IDIV, Op.MOD) and t.args[1].op is not Op.CONST:
            nonlinear = True
    if other or (bv and (ints or strings)):
        return "ALL"
    arith = ("NIA" if nonlinear else "LIA") if ints else ""
    if strings:
        name = "QF_S" + arith if not (arrays or uf) else "ALL"
    else:
        name = "QF_" + ("A" if arrays else "") + ("UF" if uf else "") + ("BV" if bv else "") \
               + arith
        if name == "QF_A":
            name = "QF_AX"
        if name == "QF_":
            name = "QF_UF"
    return name if name in _KNOWN_LOGICS else "ALL"
