"""SMT-LIB commands and the script interpreter that reads them.

`iter_commands` reads a script one command at a time, elaborating terms as it goes (a command
may only use what earlier commands declared), so a driver can answer each `check-sat` before a
later command fails to parse, as an SMT solver does. `parse_script` collects them into a
`Script`. Unsupported commands (push/pop, check-sat-assuming, recursive datatypes, ...) raise
`ParseError` with their position. Trusts the elaborator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from assay.core import terms as T
from assay.core.errors import SortError
from assay.core.smtlib.elaborate import DatatypeSymbol, Elaborator, Environment, Macro
from assay.core.smtlib.reader import Atom, Kind, SExpr, SList, Source, read
from assay.core.sorts import DatatypeSort, Sort, UninterpretedSort
from assay.core.term import FunctionSymbol, Term


@dataclass(frozen=True)
class Command:
    """One command of a script; `name` is its SMT-LIB name and `line` where it starts."""

    name: str
    line: int


@dataclass(frozen=True)
class SetLogic(Command):
    logic: str


@dataclass(frozen=True)
class SetOption(Command):
    keyword: str
    value: str


@dataclass(frozen=True)
class SetInfo(Command):
    keyword: str
    value: str


@dataclass(frozen=True)
class GetInfo(Command):
    keyword: str


@dataclass(frozen=True)
class DeclareSort(Command):
    sort: Sort


@dataclass(frozen=True)
class DeclareDatatypes(Command):
    """declare-datatype(s) of non-recursive, non-parametric datatypes."""

    sorts: tuple[Sort, ...]


@dataclass(frozen=True)
class DeclareFun(Command):
    """declare-const, or declare-fun (a `Var` without arguments, else a `FunctionSymbol`)."""

    symbol: Term | FunctionSymbol


@dataclass(frozen=True)
class DefineFun(Command):
    symbol: str
    definition: Term | Macro


@dataclass(frozen=True)
class Assert(Command):
    term: Term


@dataclass(frozen=True)
class CheckSat(Command):
    pass


@dataclass(frozen=True)
class GetModel(Command):
    pass


@dataclass(frozen=True)
class GetValue(Command):
    terms: tuple[Term, ...]
    texts: tuple[str, ...]   # the terms as written, echoed in the answer


@dataclass(frozen=True)
class Echo(Command):
    text: str


@dataclass(frozen=True)
class Exit(Command):
    pass


UNSUPPORTED_COMMANDS = {
    "push": "push/pop (incremental scripts)",
    "pop": "push/pop (incremental scripts)",
    "reset": "reset",
    "reset-assertions": "reset-assertions",
    "check-sat-assuming": "check-sat-assuming",
    "define-sort": "define-sort",
    "define-fun-rec": "define-fun-rec (recursive definitions)",
    "define-funs-rec": "define-funs-rec (recursive definitions)",
    "get-assertions": "get-assertions",
    "get-assignment": "get-assignment",
    "get-proof": "get-proof (use --certify DIR for certificates)",
    "get-unsat-core": "get-unsat-core",
    "get-unsat-assumptions": "get-unsat-assumptions",
    "get-option": "get-option",
    "declare-codatatypes": "declare-codatatypes",
}


class Interpreter:
    """Reads commands against one environment of declarations."""

    def __init__(self, source: Source, env: Environment | None = None) -> None:
        self.source = source
        self.elab = Elaborator(source, env)

    @property
    def env(self) -> Environment:
        return self.elab.env

    def commands(self) -> Iterator[Command]:
        for sx in read(self.source):
            yield self.command(sx)

    def command(self, sx: SExpr) -> Command:
        if not isinstance(sx, SList) or not sx or not isinstance(sx[0], Atom) \
                or sx[0].kind is not Kind.SYMBOL:
            raise self.source.error(sx.offset, "expected a command such as (assert ...)")
        name: str = sx[0].value  # type: ignore[assignment]
        line = self.source.position(sx.offset)[0]
        if name in UNSUPPORTED_COMMANDS:
            raise self.source.error(sx.offset,
                                    f"unsupported command: {UNSUPPORTED_COMMANDS[name]}")
        handler = _HANDLERS.get(name)
        if handler is None:
            raise self.source.error(sx.offset, f"unknown command {name!r}")
        args = sx[1:]
        try:
            return handler(self, name, line, sx, args)
        except SortError as exc:
            raise self.source.error(sx.offset, str(exc)) from None

    # -- handlers ------------------------------------------------------------------------
    def _expect(self, sx: SList, args: list[SExpr], n: int, shape: str) -> None:
        if len(args) != n:
            raise self.source.error(sx.offset, f"expected {shape}")

    def set_logic(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        self._expect(sx, args, 1, "(set-logic <symbol>)")
        return SetLogic(name, line, self.elab.symbol(args[0], "a logic"))

    def set_option(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        key, value = self._attribute(sx, args, name)
        cls = SetOption if name == "set-option" else SetInfo
        return cls(name, line, key, value)

    def _attribute(self, sx: SList, args: list[SExpr], name: str) -> tuple[str, str]:
        if not args or not isinstance(args[0], Atom) or args[0].kind is not Kind.KEYWORD \
                or len(args) > 2:
            raise self.source.error(sx.offset, f"expected ({name} :keyword value)")
        value = self.source.snippet(args[1]) if len(args) == 2 else ""
        return args[0].value, value  # type: ignore[return-value]

    def get_info(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        key, _ = self._attribute(sx, args, name)
        return GetInfo(name, line, key)

    def declare_sort(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        if len(args) not in (1, 2):
            raise self.source.error(sx.offset, "expected (declare-sort <symbol> 0)")
        sym = self.elab.symbol(args[0], "a sort name")
        if len(args) == 2 and self.elab.numeral(args[1], "the sort's arity") != 0:
            raise self.source.error(args[1].offset,
                                    "unsupported: declare-sort with arity > 0 (sort constructors)")
        if sym in self.env.sorts or sym in ("Bool", "Int", "String", "RegLan", "Array", "Set"):
            raise self.source.error(args[0].offset, f"sort {sym} is already declared")
        sort = UninterpretedSort(sym)
        self.env.sorts[sym] = sort
        return DeclareSort(name, line, sort)

    def declare_datatypes(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        if name == "declare-datatype":
            if len(args) != 2:
                raise self.source.error(sx.offset, "expected (declare-datatype <symbol> "
                                                   "(<constructor>+))")
            heads: list[SExpr] = [args[0]]
            bodies: list[SExpr] = [args[1]]
        else:
            if len(args) != 2 or not isinstance(args[0], SList) or \
                    not isinstance(args[1], SList) or len(args[0]) != len(args[1]):
                raise self.source.error(sx.offset, "expected (declare-datatypes ((<symbol> 0)+) "
                                                   "((<constructor>+)+))")
            heads, bodies = [], list(args[1])
            for h in args[0]:
                if not isinstance(h, SList) or len(h) != 2:
                    raise self.source.error(h.offset, "expected (<symbol> 0)")
                if self.elab.numeral(h[1], "the datatype's arity") != 0:
                    raise self.source.error(h[1].offset, "unsupported: parametric datatypes")
                heads.append(h[0])
        names = [self.elab.symbol(h, "a datatype name") for h in heads]
        sorts = tuple(self._datatype(n, h, b, names) for n, h, b in zip(names, heads, bodies))
        return DeclareDatatypes(name, line, sorts)

    def _datatype(self, name: str, head: SExpr, body: SExpr, group: list[str]) -> Sort:
        if not isinstance(body, SList) or not body:
            raise self.source.error(body.offset, f"datatype {name} needs constructors")
        conses: list[tuple[str, list[tuple[str, Sort]]]] = []
        for c in body:
            if isinstance(c, Atom):  # a constructor without fields may be written bare
                conses.append((self.elab.symbol(c, "a constructor"), []))
                continue
            if not c:
                raise self.source.error(c.offset, "empty constructor declaration")
            fields = []
            for f in c[1:]:
                if not isinstance(f, SList) or len(f) != 2:
                    raise self.source.error(f.offset, "a field is (<selector> <sort>)")
                for a in _atoms(f[1]):
                    if a.kind is Kind.SYMBOL and a.value in group:
                        raise self.source.error(a.offset, "unsupported: recursive datatypes")
                fields.append((self.elab.symbol(f[0], "a selector"), self.elab.sort(f[1])))
            conses.append((self.elab.symbol(c[0], "a constructor"), fields))
        if name in self.env.sorts:
            raise self.source.error(head.offset, f"sort {name} is already declared")
        sort = DatatypeSort(name, conses)
        self.env.sorts[name] = sort
        for cname, fields in conses:
            self.env.declare(cname, DatatypeSymbol("constructor", sort, cname))
            for fname, _ in fields:
                self.env.declare(fname, DatatypeSymbol("selector", sort, fname))
        return sort

    def declare_const(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        self._expect(sx, args, 2, "(declare-const <symbol> <sort>)")
        sym = self.elab.symbol(args[0], "a constant's name")
        var = T.Var(sym, self.elab.sort(args[1]))
        self.env.declare(sym, var)
        return DeclareFun(name, line, var)

    def declare_fun(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        if len(args) != 3 or not isinstance(args[1], SList):
            raise self.source.error(sx.offset, "expected (declare-fun <symbol> (<sort>*) <sort>)")
        sym = self.elab.symbol(args[0], "a function's name")
        domain = [self.elab.sort(s) for s in args[1]]
        range_ = self.elab.sort(args[2])
        entry: Term | FunctionSymbol = T.Function(sym, domain, range_) if domain \
            else T.Var(sym, range_)
        self.env.declare(sym, entry)
        return DeclareFun(name, line, entry)

    def define_fun(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        if len(args) != 4 or not isinstance(args[1], SList):
            raise self.source.error(
                sx.offset, "expected (define-fun <symbol> ((<symbol> <sort>)*) <sort> <term>)")
        sym = self.elab.symbol(args[0], "a function's name")
        params: list[tuple[str, Term]] = []
        for p in args[1]:
            if not isinstance(p, SList) or len(p) != 2:
                raise self.source.error(p.offset, "a parameter is (<symbol> <sort>)")
            pname = self.elab.symbol(p[0], "a parameter name")
            # '|' cannot occur in an SMT-LIB symbol, so these never clash with user names
            params.append((pname, T.Var(f"{sym}|{len(params)}|{pname}", self.elab.sort(p[1]))))
        range_ = self.elab.sort(args[2])
        scope = self.elab.scope
        for pname, var in params:
            scope.setdefault(pname, []).append(var)
        try:
            body = self.elab.term(args[3])
        finally:
            for pname, _ in params:
                scope[pname].pop()
        if body.sort is not range_:
            raise self.source.error(args[3].offset, f"the body of {sym} has sort {body.sort}, "
                                                    f"but its declared sort is {range_}")
        definition: Term | Macro = Macro(sym, tuple(v for _, v in params), body) if params \
            else body
        self.env.declare(sym, definition, definition=not params)
        return DefineFun(name, line, sym, definition)

    def assert_(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        self._expect(sx, args, 1, "(assert <term>)")
        return Assert(name, line, self.elab.bool_term(args[0], "assert"))

    def nullary(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        self._expect(sx, args, 0, f"({name})")
        cls = {"check-sat": CheckSat, "get-model": GetModel, "exit": Exit}[name]
        return cls(name, line)

    def get_value(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        if len(args) != 1 or not isinstance(args[0], SList) or not args[0]:
            raise self.source.error(sx.offset, "expected (get-value (<term>+))")
        terms = tuple(self.elab.term(t) for t in args[0])
        texts = tuple(self.source.snippet(t) for t in args[0])
        return GetValue(name, line, terms, texts)

    def echo(self, name: str, line: int, sx: SList, args: list[SExpr]) -> Command:
        if len(args) != 1 or not isinstance(args[0], Atom) or args[0].kind is not Kind.STRING:
            raise self.source.error(sx.offset, "expected (echo <string>)")
        return Echo(name, line, args[0].value)  # type: ignore[arg-type]


_HANDLERS = {
    "set-logic": Interpreter.set_logic,
    "set-option": Interpreter.set_option,
    "set-info": Interpreter.set_option,
    "get-info": Interpreter.get_info,
    "declare-sort": Interpreter.declare_sort,
    "declare-const": Interpreter.declare_const,
    "declare-datatypes": Interpreter.declare_datatypes,
    "declare-datatype": Interpreter.declare_datatypes,
    "declare-fun": Interpreter.declare_fun,
    "define-fun": Interpreter.define_fun,
    "assert": Interpreter.assert_,
    "check-sat": Interpreter.nullary,
    "get-model": Interpreter.nullary,
    "exit": Interpreter.nullary,
    "get-value": Interpreter.get_value,
    "echo": Interpreter.echo,
}


def _atoms(sx: SExpr) -> list[Atom]:
    out: list[Atom] = []
    stack = [sx]
    while stack:
        x = stack.pop()
        if isinstance(x, Atom):
            out.append(x)
        else:
            stack.extend(x)
    return out


def iter_commands(text: str, name: str = "<input>") -> Iterator[Command]:
    """The commands of the script `text`, elaborated one at a time."""
    return Interpreter(Source(text, name)).commands()

