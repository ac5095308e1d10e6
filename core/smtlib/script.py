"""Scripts: parsed SMT-LIB scripts, and their printer.

A `Script` is a list of commands plus what they add up to (declarations, assertions, logic,
options). Printing a script prints each command in canonical syntax; the declarations,
datatypes and queries come from `assay.core.query`, the one query printer, so a query printed
here is the text the kernel and the solver backends print. Printing and parsing are inverse on
terms: `parse_script(print_script(s)).assertions` are the very same (hash-consed) terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assay.core.errors import ParseError
from assay.core.printer import sort_text, string_literal, symbol, to_smtlib
from assay.core.query import (
    Symbol,
    datatype_text,
    declaration_text,
    declared_sorts,
    free_symbols,
    script_text,
)
from assay.core.smtlib.commands import (
    Assert,
    Command,
    DeclareDatatypes,
    DeclareFun,
    DeclareSort,
    DefineFun,
    Echo,
    GetInfo,
    GetValue,
    Interpreter,
    SetInfo,
    SetLogic,
    SetOption,
)
from assay.core.smtlib.elaborate import DatatypeSymbol, Elaborator, Environment, Macro
from assay.core.smtlib.reader import Source, read
from assay.core.sorts import Sort
from assay.core.term import FunctionSymbol, Term
from assay.core.terms import Var
from assay.core.walkers import substitute

__all__ = ["Script", "parse_script", "parse_term", "print_script", "command_text",
           "query_smtlib", "free_symbols", "declared_sorts"]


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

    def to_smtlib(self) -> str:
        return print_script(self)

    def parse_term(self, text: str, name: str = "<term>") -> Term:
        """A term over everything this script declared (sorts, datatypes, functions)."""
        env = Environment(dict(self.env.sorts), dict(self.env.symbols), set(self.env.defined))
        return _read_term(text, name, env)


def definition_text(name: str, d: Term | Macro) -> str:
    """A define-fun; macro parameters get their written names back (renamed on a clash)."""
    if isinstance(d, Term):
        return f"(define-fun {symbol(name)} () {sort_text(d.sort)} {to_smtlib(d)})"
    taken = {v.payload for v in free_symbols([d.body]) if isinstance(v, Term)}
    mapping: dict[Term, Term] = {}
    params = []
    for p in d.params:
        pname = p.payload.rsplit("|", 1)[1]
        while pname in taken:
            pname += "'"
        taken.add(pname)
        mapping[p] = Var(pname, p.sort)
        params.append(f"({symbol(pname)} {sort_text(p.sort)})")
    body = substitute(d.body, mapping)
    return (f"(define-fun {symbol(name)} ({' '.join(params)}) {sort_text(d.body.sort)} "
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
    """The canonical SMT-LIB text asking whether `assertions` are satisfiable together, one
    `assert` each (`assay.core.query.script_text`; for one assertion, the kernel's text)."""
    return script_text(assertions, logic=logic, options=options)


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
    for srt in declared_sorts(symbols, sorts=sorts):
        env.sorts[srt.name] = srt
        _declare_datatype_symbols(env, srt)
    return _read_term(text, name, env)


def _read_term(text: str, name: str, env: Environment) -> Term:
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
