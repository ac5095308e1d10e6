"""Elaboration: SMT-LIB S-expressions to sorts and terms, in an environment of declarations.

Terms are built bottom-up through the smart constructors with an explicit work stack (no
recursion on nesting depth). `let` binds in parallel and shadows; `(! t :named n)` defines `n`
as `t`; `define-fun` macros are expanded by substituting their arguments into the body.
Sort errors from the constructors become `ParseError`s at the offending application.
Trusts the smart constructors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assay.core import terms as T
from assay.core.errors import ParseError, SortError
from assay.core.smtlib.reader import Atom, Kind, SExpr, SList, Source
from assay.core.smtlib.theory import THEORY, UNSUPPORTED, TheorySymbol, apply_theory
from assay.core.sorts import (
    BOOL,
    INT,
    REGLAN,
    STRING,
    ArraySort,
    BVSort,
    SetSort,
    Sort,
    SortKind,
    UninterpretedSort,
)
from assay.core.term import FunctionSymbol, Term
from assay.core.walkers import substitute

BUILTIN_SORTS = {"Bool": BOOL, "Int": INT, "String": STRING, "RegLan": REGLAN}
UNSUPPORTED_BINDERS = {"forall": "quantifiers (forall)", "exists": "quantifiers (exists)",
                       "match": "datatype pattern matching (match)",
                       "lambda": "lambda terms"}

@dataclass(frozen=True)
class Macro:
    """A `define-fun` with arguments: `body` over the parameter variables `params`."""

    name: str
    params: tuple[Term, ...]
    body: Term

    def expand(self, args: Sequence[Term]) -> Term:
        if len(args) != len(self.params):
            raise SortError(f"{self.name} takes {len(self.params)} arguments, got {len(args)}")
        for i, (p, a) in enumerate(zip(self.params, args)):
            if p.sort is not a.sort:
                raise SortError(f"argument {i + 1} of {self.name}: expected sort {p.sort} but "
                                f"got {a!r} (sort={a.sort})")
        return substitute(self.body, dict(zip(self.params, args)))


@dataclass(frozen=True)
class DatatypeSymbol:
    """A constructor, selector or tester name of a declared datatype."""

    kind: str     # "constructor" | "selector"
    sort: Sort    # the datatype
    name: str

    @property
    def fields(self) -> int:
        return len(self.sort.constructor(self.name)[1]) if self.kind == "constructor" else 1

    def apply(self, args: Sequence[Term]) -> Term:
        if len(args) != self.fields:
            raise SortError(f"{self.name} takes {self.fields} arguments, got {len(args)}")
        if self.kind == "constructor":
            return T.Cons(self.sort, self.name, *args)
        if args[0].sort is not self.sort:
            raise SortError(f"{self.name}: expected a {self.sort} but got {args[0]!r} "
                            f"(sort={args[0].sort})")
        return T.Field(args[0], self.name)


Entry = Term | FunctionSymbol | Macro | DatatypeSymbol


@dataclass
class Environment:
    """What a script has declared so far."""

    sorts: dict[str, Sort] = field(default_factory=dict)
    symbols: dict[str, Entry] = field(default_factory=dict)
    #: names bound by 0-ary define-fun and :named (not free symbols; not in models)
    defined: set[str] = field(default_factory=set)

    def declare(self, name: str, entry: Entry, *, definition: bool = False) -> None:
        if name in self.symbols:
            raise SortError(f"symbol {name!r} is already declared")
        if name in THEORY or name in ("true", "false"):
            raise SortError(f"symbol {name!r} is a theory symbol and cannot be redeclared")
        self.symbols[name] = entry
        if definition:
            self.defined.add(name)


# work-stack frame kinds
_EVAL, _APPLY, _BIND, _UNBIND, _NAME, _VALUE = range(6)


class Elaborator:
    """Turns S-expressions into sorts and terms against an `Environment`."""

    def __init__(self, source: Source, env: Environment | None = None) -> None:
        self.source = source
        self.env = env if env is not None else Environment()
        self.scope: dict[str, list[Term]] = {}   # let-bound and parameter names

    def error(self, sx: SExpr, message: str) -> ParseError:
        return self.source.error(sx.offset, message)

    # -- sorts ---------------------------------------------------------------------------
    def sort(self, sx: SExpr) -> Sort:
        work: list[tuple[bool, SExpr]] = [(False, sx)]
        done: list[Sort] = []
        while work:
            ready, x = work.pop()
            if isinstance(x, Atom):
                done.append(self._sort_atom(x))
                continue
            if not ready:
                if len(x) == 3 and _is_sym(x[0], "_") and _is_sym(x[1], "BitVec"):
                    done.append(BVSort(self.numeral(x[2], "a bit-vector width", minimum=1)))
                    continue
                head = x[0] if x else None
                arity = {"Array": 2, "Set": 1}.get(head.value if isinstance(head, Atom) else "")
                if arity is None or not isinstance(head, Atom) or head.kind is not Kind.SYMBOL:
                    raise self.error(x, f"unknown or unsupported sort {self.source.snippet(x)}")
                if len(x) != arity + 1:
                    raise self.error(x, f"{head.value} takes {arity} sort arguments")
                work.append((True, x))
                work.extend((False, c) for c in reversed(x[1:]))
                continue
            name = x[0].value  # type: ignore[union-attr]
            if name == "Array":
                e, i = done.pop(), done.pop()
                done.append(ArraySort(i, e))
            else:
                done.append(SetSort(done.pop()))
        return done[0]

    def _sort_atom(self, x: Atom) -> Sort:
        if x.kind is not Kind.SYMBOL:
            raise self.error(x, f"expected a sort but found the {x.kind.value} {x.value!r}")
        found = BUILTIN_SORTS.get(x.value) or self.env.sorts.get(x.value)  # type: ignore[arg-type]
        if found is not None:
            return found
        if x.value == "Real":
            raise self.error(x, "unsupported sort Real: Assay handles Bool, bit-vectors, Int, "
                                "String, arrays, sets and declared sorts")
        raise self.error(x, f"unknown sort {x.value!r} (declare it with declare-sort)")

    def numeral(self, x: SExpr, what: str, minimum: int = 0) -> int:
        if not isinstance(x, Atom) or x.kind is not Kind.NUMERAL or x.value < minimum:  # type: ignore[operator]
            raise self.error(x, f"expected a numeral >= {minimum} for {what}")
        return x.value  # type: ignore[return-value]

    def symbol(self, x: SExpr, what: str) -> str:
        if not isinstance(x, Atom) or x.kind is not Kind.SYMBOL:
            raise self.error(x, f"expected a symbol for {what}")
        return x.value  # type: ignore[return-value]

    # -- terms ---------------------------------------------------------------------------
    def term(self, sx: SExpr) -> Term:
        """The term `sx` denotes."""
        work: list[tuple[int, object]] = [(_EVAL, sx)]
        vals: list[Term] = []
        scope = self.scope
        while work:
            kind, item = work.pop()
            if kind == _EVAL:
                if isinstance(item, Atom):
                    vals.append(self._atom(item))
                else:
                    self._open(item, work)  # type: ignore[arg-type]
            elif kind == _APPLY:
                fn, n, at = item  # type: ignore[misc]
                args = vals[len(vals) - n:]
                del vals[len(vals) - n:]
                try:
                    vals.append(fn(args))
                except SortError as exc:
                    raise self.error(at, str(exc)) from None
            elif kind == _VALUE:
                vals.append(item)  # type: ignore[arg-type]
            elif kind == _BIND:
                names, at = item  # type: ignore[misc]
                values = vals[len(vals) - len(names):]
                del vals[len(vals) - len(names):]
                for name, v in zip(names, values):
                    scope.setdefault(name, []).append(v)
            elif kind == _UNBIND:
                for name in item:  # type: ignore[attr-defined]
                    scope[name].pop()
            else:  # _NAME
                name, at = item  # type: ignore[misc]
                try:
                    self.env.declare(name, vals[-1], definition=True)
                except SortError as exc:
                    raise self.error(at, str(exc)) from None
        return vals[0]

    def bool_term(self, sx: SExpr, what: str) -> Term:
        t = self.term(sx)
        if t.sort is not BOOL:
            raise self.error(sx, f"{what} expects a Bool term but this has sort {t.sort}")
        return t

    def _atom(self, x: Atom) -> Term:
        k = x.kind
        if k is Kind.SYMBOL:
            return self._constant_symbol(x)
        if k is Kind.NUMERAL:
            return T.Int(x.value)  # type: ignore[arg-type]
        if k is Kind.BINARY:
            return T.BV(int(x.value, 2), len(x.value))  # type: ignore[arg-type]
        if k is Kind.HEXADECIMAL:
            return T.BV(int(x.value, 16), 4 * len(x.value))  # type: ignore[arg-type]
        if k is Kind.STRING:
            return T.String(x.value)  # type: ignore[arg-type]
        if k is Kind.DECIMAL:
            raise self.error(x, f"unsupported: decimal {x.value} (Assay has no Real sort)")
        raise self.error(x, f"a keyword {x.value} cannot stand for a term")

    def _constant_symbol(self, x: Atom) -> Term:
        name: str = x.value  # type: ignore[assignment]
        bound = self.scope.get(name)
        if bound:
            return bound[-1]
        entry = self.env.symbols.get(name)
        if isinstance(entry, Term):
            return entry
        if isinstance(entry, DatatypeSymbol) and entry.kind == "constructor" \
                and entry.fields == 0:
            return T.Cons(entry.sort, entry.name)
        if entry is not None:
            raise self.error(x, f"{name} is a function of {_arity(entry)} arguments; apply it "
                                f"as ({name} ...)")
        if name == "true":
            return T.TRUE
        if name == "false":
            return T.FALSE
        theory = THEORY.get(name)
        if theory is not None:
            if theory.min_args == 0:
                return theory.build((), ())
            raise self.error(x, f"{name} is a function; apply it as ({name} ...)")
        raise self.error(x, self._unknown(name))

    def _unknown(self, name: str) -> str:
        if name in UNSUPPORTED:
            return f"unsupported: {name} is not in Assay's term language"
        if name in UNSUPPORTED_BINDERS:
            return f"unsupported: {UNSUPPORTED_BINDERS[name]}"
        return f"unknown symbol {name!r} (declare it with declare-const or declare-fun)"

    def _open(self, x: SList, work: list[tuple[int, object]]) -> None:
        """Push the frames that elaborate the application or binder `x`."""
        if not x:
            raise self.error(x, "empty application '()'")
        head = x[0]
        if isinstance(head, Atom):
            if head.kind is not Kind.SYMBOL:
                raise self.error(head, f"a {head.kind.value} cannot be applied as a function")
            name: str = head.value  # type: ignore[assignment]
            if name == "let":
                return self._open_let(x, work)
            if name == "!":
                return self._open_named(x, work)
            if name == "_":
                work.append((_VALUE, self._indexed_constant(x)))
                return
            if name == "as":
                work.append((_VALUE, self._qualified_constant(x)))
                return
            if name in UNSUPPORTED_BINDERS:
                raise self.error(head, f"unsupported: {UNSUPPORTED_BINDERS[name]}")
            fn = self._function(head)
        else:
            fn = self._indexed_function(head)
        work.append((_APPLY, (fn, len(x) - 1, x)))
        work.extend((_EVAL, a) for a in reversed(x[1:]))

    def _function(self, head: Atom):  # type: ignore[no-untyped-def]
        name: str = head.value  # type: ignore[assignment]
        if self.scope.get(name):
            raise self.error(head, f"{name} is bound to a term, not a function")
        entry = self.env.symbols.get(name)
        if isinstance(entry, FunctionSymbol):
            return lambda args: T.Apply(entry, *args)
        if isinstance(entry, Macro):
            return entry.expand
        if isinstance(entry, DatatypeSymbol):
            return entry.apply
        if isinstance(entry, Term):
            raise self.error(head, f"{name} is a constant of sort {entry.sort}, not a function")
        theory = THEORY.get(name)
        if theory is not None:
            return _theory(theory, ())
        raise self.error(head, self._unknown(name))

    def _indexed_function(self, head: SList):  # type: ignore[no-untyped-def]
        if len(head) >= 2 and _is_sym(head[0], "_"):
            name = self.symbol(head[1], "an indexed function")
            if name == "is" and len(head) == 3:
                return self._tester(head[2])
            theory = THEORY.get(name)
            if theory is None:
                raise self.error(head[1], self._unknown(name) if name in UNSUPPORTED
                                 else f"unknown indexed function (_ {name} ...)")
            idx = tuple(self.numeral(i, f"an index of {name}") for i in head[2:])
            return _theory(theory, idx)
        if len(head) == 3 and _is_sym(head[0], "as") and _is_sym(head[1], "const"):
            sort = self.sort(head[2])
            if sort.kind is not SortKind.ARRAY:
                raise self.error(head[2], f"(as const S) needs an array sort, got {sort}")
            return lambda args: _const_array(sort, args)
        raise self.error(head, f"unsupported function head {self.source.snippet(head)}")

    def _tester(self, x: SExpr):  # type: ignore[no-untyped-def]
        name = self.symbol(x, "a constructor")
        entry = self.env.symbols.get(name)
        if not isinstance(entry, DatatypeSymbol) or entry.kind != "constructor":
            raise self.error(x, f"(_ is {name}): {name} is not a datatype constructor")

        def test(args: Sequence[Term]) -> Term:
            if len(args) != 1:
                raise SortError(f"(_ is {name}) takes 1 argument, got {len(args)}")
            if args[0].sort is not entry.sort:
                raise SortError(f"(_ is {name}): expected a {entry.sort} but got {args[0]!r} "
                                f"(sort={args[0].sort})")
            return T.IsCons(args[0], name)
        return test

    def _indexed_constant(self, x: SList) -> Term:
        if len(x) == 3 and isinstance(x[1], Atom) and x[1].kind is Kind.SYMBOL:
            name: str = x[1].value  # type: ignore[assignment]
            if name.startswith("bv") and name[2:].isdigit():
                width = self.numeral(x[2], "a bit-vector width", minimum=1)
                return T.BV(int(name[2:]), width) if int(name[2:]) >> width == 0 else \
                    _raise(self.error(x, f"(_ {name} {width}): {name[2:]} does not fit in "
                                         f"{width} bits"))
        raise self.error(x, f"unknown or unapplied indexed identifier "
                            f"{self.source.snippet(x)}")

    def _qualified_constant(self, x: SList) -> Term:
        if len(x) != 3:
            raise self.error(x, "expected (as <identifier> <sort>)")
        sort = self.sort(x[2])
        if _is_sym(x[1], "set.empty"):
            if sort.kind is not SortKind.SET:
                raise self.error(x[2], f"(as set.empty S) needs a set sort, got {sort}")
            return T.EmptySet(sort)
        if _is_sym(x[1], "const"):
            raise self.error(x, "(as const S) must be applied to the array's value")
        t = self.term(x[1])
        if t.sort is not sort:
            raise self.error(x, f"{self.source.snippet(x[1])} has sort {t.sort}, not {sort}")
        return t

    def _open_let(self, x: SList, work: list[tuple[int, object]]) -> None:
        if len(x) != 3 or not isinstance(x[1], SList) or not x[1]:
            raise self.error(x, "expected (let ((name term) ...) body)")
        names: list[str] = []
        for b in x[1]:
            if not isinstance(b, SList) or len(b) != 2:
                raise self.error(b, "a let binding is (name term)")
            n = self.symbol(b[0], "a let-bound name")
            if n in names:
                raise self.error(b[0], f"{n} is bound twice in one let")
            names.append(n)
        work.append((_UNBIND, names))
        work.append((_EVAL, x[2]))
        work.append((_BIND, (names, x)))
        work.extend((_EVAL, b[1]) for b in reversed(x[1]))  # type: ignore[index]

    def _open_named(self, x: SList, work: list[tuple[int, object]]) -> None:
        if len(x) < 2 or len(x) % 2 != 0:
            raise self.error(x, "expected (! term :attribute value ...)")
        for key, value in zip(x[2::2], x[3::2]):
            if not isinstance(key, Atom) or key.kind is not Kind.KEYWORD:
                raise self.error(key, "expected an attribute keyword")
            if key.value == ":named":
                work.append((_NAME, (self.symbol(value, ":named"), value)))
            elif key.value == ":pattern":
                raise self.error(key, "unsupported: :pattern (quantifiers are not supported)")
        work.append((_EVAL, x[1]))


def _theory(sym: TheorySymbol, idx: tuple[int, ...]):  # type: ignore[no-untyped-def]
    return lambda args: apply_theory(sym, args, idx)


def _const_array(sort: Sort, args: Sequence[Term]) -> Term:
    if len(args) != 1:
        raise SortError(f"(as const {sort}) takes 1 argument, got {len(args)}")
    if args[0].sort is not sort.element:
        raise SortError(f"(as const {sort}) needs a value of sort {sort.element}, got "
                        f"{args[0]!r} (sort={args[0].sort})")
    return T.ConstArray(sort.index, args[0])


def _is_sym(x: SExpr, name: str) -> bool:
    return isinstance(x, Atom) and x.kind is Kind.SYMBOL and x.value == name


def _arity(entry: Entry) -> int:
    if isinstance(entry, FunctionSymbol):
        return len(entry.domain)
    if isinstance(entry, Macro):
        return len(entry.params)
    return entry.fields if isinstance(entry, DatatypeSymbol) else 0


def _raise(exc: Exception) -> Term:
    raise exc


__all__ = ["DatatypeSymbol", "Elaborator", "Environment", "Macro", "UninterpretedSort"]
