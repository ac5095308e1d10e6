"""Parse Cedar policies into the AST of `ast.py`.

The grammar is `lark_oracle.lark`, parsed by lark's LALR(1) parser with the transformer applied during
parsing: every AST node is built as its rule is reduced, from an explicit stack, so nesting depth
costs no Python recursion. Semantic checks that the grammar cannot express (variables, function
names, duplicate keys, integer range, slot placement) raise `ParseError` with a span.

Trusts: lark, and `lexer.unescape` for string literals and `like` patterns (the escape decoder
that test_parser_lexer.py checks the parser's fast decoders against).
Policy ids are assigned as Cedar assigns them when it parses a policy set:
"policy0", "policy1", ... in source order, counting templates too.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from assay.core.errors import ParseError
from assay.models.cedar import ast
from assay.models.cedar.ast import Span
from assay.models.cedar.lexer import LexicalError, context_at, unescape
from assay.models.cedar.values import LONG_MAX, LONG_MIN, EntityUID

EXTENSION_FUNCTIONS = ("decimal", "ip", "datetime", "duration")
EXTENSION_METHODS = (
    "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual",
    "isIpv4", "isIpv6", "isLoopback", "isMulticast", "isInRange",
    "offset", "durationSince", "toDate", "toTime",
    "toDays", "toHours", "toMinutes", "toSeconds", "toMilliseconds",
)
BUILTIN_ARITY = {"contains": 1, "containsAll": 1, "containsAny": 1, "isEmpty": 0,
                 "hasTag": 1, "getTag": 1}
MAX_UNARY = 4
_MAX_LONG_DIGITS = len(str(-LONG_MIN))
RESERVED = frozenset({"true", "false", "if", "then", "else", "in", "is", "like", "has",
                      "__cedar"})  # Cedar accepts at most four `!` or `-` in a row

_TERMINAL_NAMES = {
    "IDENT": "an identifier", "STR": "a string literal", "INT": "an integer literal",
    "SLOT": "?principal or ?resource", "EFFECT": "permit or forbid",
    "CONDITION_KIND": "when or unless", "RELOP": "a comparison", "$END": "end of input",
}


class _SemanticError(Exception):
    def __init__(self, message: str, span: Span | None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


def _tok_span(tok: Token, source: str | None) -> Span:
    return Span(source, tok.line or 0, tok.column or 0, tok.end_line or 0, tok.end_column or 0,
                tok.start_pos or 0, tok.end_pos or 0)


def _pos(item: Any, source: str | None) -> Span | None:
    if isinstance(item, Token):
        return _tok_span(item, source) if item.line is not None else None
    return getattr(item, "span", None)


@v_args(inline=True)
class _Builder(Transformer):
    """Builds AST nodes bottom-up as the LALR parser reduces (see module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.source: str | None = None
        self.big_literals: dict[int, ast.Lit] = {}
        self.parenthesized: set[int] = set()  # ids of integer literals written as `(n)`

    def _span(self, *items: Any) -> Span | None:
        spans = [s for s in (_pos(i, self.source) for i in items if i is not None) if s]
        if not spans:
            return None
        a, b = spans[0], spans[-1]
        return Span(self.source, a.line, a.column, b.end_line, b.end_column, a.start, b.end)

    def _string(self, tok: Token) -> str:
        return "".join(unescape(tok[1:-1], _tok_span(tok, self.source)))  # type: ignore[arg-type]

    # -- names and literals ----------------------------------------------------------------------
    def _ident(self, tok: Token) -> str:
        if str(tok) in RESERVED:
            raise _SemanticError(f"`{tok}` is a reserved identifier and cannot be used here",
                                 _tok_span(tok, self.source))
        return str(tok)

    def name(self, *parts: Any) -> Token:
        self._ident(parts[-1])
        if len(parts) == 1:
            return parts[0]
        prefix, ident = parts
        return Token("NAME", f"{prefix}::{ident}", start_pos=prefix.start_pos, line=prefix.line,
                     column=prefix.column, end_line=ident.end_line, end_column=ident.end_column,
                     end_pos=ident.end_pos)

    def any_ident(self, tok: Token) -> Token:
        return tok

    def literal(self, tok: Token) -> ast.Lit:
        span = _tok_span(tok, self.source)
        if tok.type == "TRUE":
            return ast.Lit(True, span=span)
        if tok.type == "FALSE":
            return ast.Lit(False, span=span)
        if tok.type == "STR":
            return ast.Lit(self._string(tok), span=span)
        digits = str(tok).lstrip("0") or "0"
        if len(digits) > _MAX_LONG_DIGITS:  # out of range even negated; int() may refuse it
            raise _SemanticError(f"integer literal {digits[:20]}... ({len(digits)} digits) is "
                                 f"out of range for a Long (at most {LONG_MAX})", span)
        lit = ast.Lit(int(digits), span=span)
        if lit.value > LONG_MAX:
            self.big_literals[id(lit)] = lit  # legal only right after a `-`
        return lit

    def name_expr(self, tok: Token) -> ast.Expr:
        span = _tok_span(tok, self.source)
        if str(tok) in ast.VARIABLES:
            return ast.Var(str(tok), span=span)
        raise _SemanticError(
            f"`{tok}` is not a variable: expected principal, action, resource or context "
            f"(an entity needs a quoted id, e.g. {tok}::\"id\")", span)

    def entity_lit(self, name: Token, s: Token) -> ast.EntityLit:
        return ast.EntityLit(EntityUID(str(name), self._string(s)), span=self._span(name, s))

    def slot(self, tok: Token) -> ast.Slot:
        raise _SemanticError(f"the template slot {tok} may only appear in the policy scope",
                             _tok_span(tok, self.source))

    # -- compound expressions --------------------------------------------------------------------
    def if_expr(self, kw: Token, c: Any, _then: Token, t: Any, _else: Token, e: Any) -> ast.If:
        return ast.If(c, t, e, span=self._span(kw, e))

    def or_expr(self, a: Any, b: Any) -> ast.Or:
        return ast.Or(a, b, span=self._span(a, b))

    def and_expr(self, a: Any, b: Any) -> ast.And:
        return ast.And(a, b, span=self._span(a, b))

    def binary(self, a: Any, op: Token, b: Any) -> ast.Binary:
        return ast.Binary(str(op), a, b, span=self._span(a, b))

    def has(self, a: Any, _kw: Token, path: tuple[tuple[str, ...], Token]) -> ast.Has:
        names, last = path
        return ast.Has(a, names, span=self._span(a, last))

    def has_path(self, *parts: Token) -> tuple[tuple[str, ...], Token]:
        if len(parts) == 1 and parts[0].type == "STR":
            return (self._string(parts[0]),), parts[0]
        return tuple(self._ident(p) for p in parts), parts[-1]

    def like(self, a: Any, _kw: Token, pat: Token) -> ast.Like:
        elems = unescape(pat[1:-1], _tok_span(pat, self.source), pattern=True)
        return ast.Like(a, tuple(elems), span=self._span(a, pat))

    def is_expr(self, a: Any, _kw: Token, name: Token, _in: Token | None = None,
                b: Any = None) -> ast.Is:
        return ast.Is(a, str(name), b, span=self._span(a, name, b))

    def not_run(self, *items: Any) -> ast.Expr:
        *bangs, arg = items
        return self._unary_run("!", bangs, arg)

    def neg_run(self, *items: Any) -> ast.Expr:
        *dashes, arg = items
        count = len(dashes)
        self._check_count("-", dashes)
        if (isinstance(arg, ast.Lit) and arg.value.__class__ is int
                and id(arg) not in self.parenthesized):
            self.big_literals.pop(id(arg), None)
            arg = ast.Lit(-arg.value, span=self._span(dashes[-1], arg))
            if arg.value < LONG_MIN:
                raise _SemanticError(f"integer literal {arg.value} is out of range for a Long "
                                     f"(at least {LONG_MIN})", arg.span)
            if count == 1:
                return arg
            return self._unary_run("-", dashes[:-1], arg)
        return self._unary_run("-", dashes, arg)

    def _check_count(self, op: str, toks: list[Token]) -> None:
        if len(toks) > MAX_UNARY:
            raise _SemanticError(f"too many occurrences of `{op}` in a row (Cedar allows "
                                 f"{MAX_UNARY}); use parentheses", self._span(toks[0], toks[-1]))

    def _unary_run(self, op: str, toks: list[Token], arg: Any) -> ast.Expr:
        self._check_count(op, toks)
        for tok in reversed(toks):
            arg = ast.Unary(op, arg, span=self._span(tok, arg))
        return arg

    def get_attr(self, a: Any, attr: Token) -> ast.GetAttr:
        return ast.GetAttr(a, self._ident(attr), span=self._span(a, attr))

    def index(self, a: Any, key: Token) -> ast.GetAttr:
        return ast.GetAttr(a, self._string(key), span=self._span(a, key))

    def method_call(self, recv: Any, name: Token, args: list[Any] | None) -> ast.MethodCall:
        span = self._span(recv, name, *(args or ()))
        n = self._ident(name)
        if n in EXTENSION_FUNCTIONS:
            raise _SemanticError(f"`{n}` is a function, not a method: write {n}(...)", span)
        if n not in BUILTIN_ARITY and n not in EXTENSION_METHODS:
            raise _SemanticError(f"`{n}` is not a Cedar method", span)
        args_t = tuple(args or ())
        if n in BUILTIN_ARITY and len(args_t) != BUILTIN_ARITY[n]:
            raise _SemanticError(f"`{n}` takes {BUILTIN_ARITY[n]} argument(s), "
                                 f"got {len(args_t)}", span)
        return ast.MethodCall(n, recv, args_t, span=span)

    def function_call(self, name: Token, args: list[Any] | None) -> ast.FunctionCall:
        span = self._span(name, *(args or ()))
        n = str(name)
        if n in EXTENSION_METHODS or n in BUILTIN_ARITY:
            raise _SemanticError(f"`{n}` is a method, not a function: write x.{n}(...)", span)
        if n not in EXTENSION_FUNCTIONS:
            raise _SemanticError(f"`{n}` is not a Cedar function (known: "
                                 f"{', '.join(EXTENSION_FUNCTIONS)})", span)
        return ast.FunctionCall(n, tuple(args or ()), span=span)

    def paren(self, e: Any) -> Any:
        if isinstance(e, ast.Lit) and e.value.__class__ is int:
            self.parenthesized.add(id(e))
        return e

    def set_lit(self, args: list[Any] | None) -> ast.SetLit:
        elems = tuple(args or ())
        return ast.SetLit(elems, span=self._span(*elems) if elems else None)

    def record_lit(self, entries: list[tuple[str, Any, Token]] | None) -> ast.RecordLit:
        seen: dict[str, Token] = {}
        for key, _, tok in entries or ():
            if key in seen:
                raise _SemanticError(f"duplicate key {key!r} in a record literal",
                                     _tok_span(tok, self.source))
            seen[key] = tok
        items = tuple((k, v) for k, v, _ in entries or ())
        span = self._span(entries[0][2], entries[-1][1]) if entries else None
        return ast.RecordLit(items, span=span)

    def args(self, *items: Any) -> list[Any]:
        return [i for i in items if i is not None]

    def entries(self, *items: Any) -> list[Any]:
        return [i for i in items if i is not None]

    def entry(self, key: Token, value: Any) -> tuple[str, Any, Token]:
        k = self._string(key) if key.type == "STR" else self._ident(key)
        return (k, value, key)

    # -- scopes, policies ------------------------------------------------------------------------
    def scope_entity(self, name: Token, s: Token) -> tuple[EntityUID, Span | None]:
        return EntityUID(str(name), self._string(s)), self._span(name, s)

    def _ref(self, ref: Any) -> tuple[EntityUID | ast.Slot, Span | None]:
        if isinstance(ref, Token):
            span = _tok_span(ref, self.source)
            return ast.Slot(str(ref), span=span), span
        return ref

    def head_eq(self, _op: Token, ref: Any) -> tuple[str, Any, None, Any]:
        entity, span = self._ref(ref)
        return ("==", entity, None, span)

    def head_in(self, _op: Token, ref: Any) -> tuple[str, Any, None, Any]:
        entity, span = self._ref(ref)
        return ("in", entity, None, span)

    def head_is(self, _op: Token, name: Token) -> tuple[str, None, str, Any]:
        return ("is", None, str(name), _tok_span(name, self.source))

    def head_is_in(self, _op: Token, name: Token, _in: Token, ref: Any) -> tuple:
        entity, span = self._ref(ref)
        return ("is in", entity, str(name), span)

    def _head(self, var: Token, c: tuple | None) -> ast.Scope:
        if c is None:
            return ast.Scope(str(var), span=_tok_span(var, self.source))
        op, entity, ety, last = c
        span = self._span(var, last)
        if isinstance(entity, ast.Slot) and entity.name != f"?{var}":
            raise _SemanticError(f"the slot {entity.name} cannot constrain {var}", span)
        return ast.Scope(str(var), op, entity, ety, span=span)

    def principal_scope(self, var: Token, c: tuple | None) -> ast.Scope:
        return self._head(var, c)

    def resource_scope(self, var: Token, c: tuple | None) -> ast.Scope:
        return self._head(var, c)

    def action_scope(self, var: Token) -> ast.Scope:
        return ast.Scope("action", span=_tok_span(var, self.source))

    @staticmethod
    def _action_entity(ent: tuple[EntityUID, Span | None]) -> None:
        """Cedar: an action scope names entities of type `Action` or `NS::Action` only."""
        uid, span = ent
        if not ast.is_action_type(uid.type):
            raise _SemanticError(f"expected an entity of type `Action` (or `NS::Action`) in the "
                                 f"action scope, got {uid}", span)

    def action_eq(self, var: Token, _op: Token, ent: tuple) -> ast.Scope:
        self._action_entity(ent)
        return ast.Scope("action", "==", ent[0], span=self._span(var, ent[1]))

    def action_in(self, var: Token, _op: Token, ent: tuple) -> ast.Scope:
        self._action_entity(ent)
        return ast.Scope("action", "in", ent[0], span=self._span(var, ent[1]))

    def action_in_list(self, var: Token, _op: Token, *ents: Any) -> ast.Scope:
        found = [e for e in ents if e is not None]
        for e in found:
            self._action_entity(e)
        uids = tuple(e[0] for e in found)
        last = found[-1][1] if found else None
        return ast.Scope("action", "in list", entities=uids, span=self._span(var, last))

    def scope(self, p: ast.Scope, a: ast.Scope, r: ast.Scope) -> tuple:
        return (p, a, r)

    def condition(self, kind: Token, body: Any) -> ast.Condition:
        return ast.Condition(str(kind), body, span=self._span(kind, body))

    def annotation(self, key: Token, value: Token | None) -> ast.Annotation:
        val = None if value is None else self._string(value)
        return ast.Annotation(str(key), val, span=self._span(key, value))

    def policy(self, *items: Any) -> ast.Policy:
        annotations = [i for i in items if isinstance(i, ast.Annotation)]
        effect = next(i for i in items if isinstance(i, Token) and i.type == "EFFECT")
        p, a, r = next(i for i in items if isinstance(i, tuple))
        conditions = tuple(i for i in items if isinstance(i, ast.Condition))
        seen: set[str] = set()
        for ann in annotations:
            if ann.key in seen:
                raise _SemanticError(f"duplicate annotation @{ann.key}", ann.span)
            seen.add(ann.key)
        span = self._span(annotations[0] if annotations else effect, effect, *conditions)
        return ast.Policy(str(effect), "", tuple(annotations), p, a, r, conditions, span=span)

    def policies(self, *items: ast.Policy) -> list[ast.Policy]:
        return list(items)


_GRAMMAR = Path(__file__).with_name("lark_oracle.lark").read_text()
_LOCK = threading.Lock()
_BUILDER = _Builder()
_PARSER = Lark(_GRAMMAR, parser="lalr", lexer="contextual",
               start=["policies", "expr", "scope_entity"], transformer=_BUILDER, cache=True)


def _expected(names: set[str] | frozenset[str]) -> str:
    if "INT" in names:  # an expression is expected: slots belong to the scope only
        names = set(names) - {"SLOT"}
    shown = []
    for n in sorted(names):
        if n in _TERMINAL_NAMES:
            shown.append(_TERMINAL_NAMES[n])
            continue
        try:
            pattern = _PARSER.get_terminal(n).pattern
        except KeyError:
            shown.append(n)
            continue
        shown.append(f"`{pattern.value}`" if pattern.type == "str" else n.lower())
    return ", ".join(dict.fromkeys(shown))


def _convert(exc: UnexpectedInput, text: str, source: str | None) -> ParseError:
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken)
                                          and exc.token.type == "$END"):
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
        expected = getattr(exc, "accepts", None) or exc.expected
        msg = f"unexpected end of input; expected {_expected(expected)}"
    elif isinstance(exc, UnexpectedToken):
        line, column = exc.line, exc.column
        expected = getattr(exc, "accepts", None) or exc.expected
        msg = f"unexpected {exc.token!s:.40}; expected {_expected(expected)}"
    elif isinstance(exc, UnexpectedCharacters):
        line, column = exc.line, exc.column
        ch = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
        msg = f"unexpected character {ch!r}"
        if exc.allowed:
            msg += f"; expected {_expected(exc.allowed)}"
    else:  # pragma: no cover - lark's hierarchy is closed
        line, column, msg = exc.line, exc.column, str(exc)
    return ParseError(msg, source=source, line=line, column=column,
                      context=context_at(text, line, column))


def _run(text: str, start: str, source: str | None) -> Any:
    with _LOCK:
        _BUILDER.source = source
        _BUILDER.big_literals.clear()
        _BUILDER.parenthesized.clear()
        try:
            result = _PARSER.parse(text, start=start)
            if _BUILDER.big_literals:
                lit = next(iter(_BUILDER.big_literals.values()))
                raise _SemanticError(f"integer literal {lit.value} is too large for a Long "
                                     f"(at most {LONG_MAX})", lit.span)
        except UnexpectedInput as exc:
            raise _convert(exc, text, source) from None
        except (_SemanticError, LexicalError) as exc:
            sp = exc.span
            if sp is None:
                raise ParseError(exc.message, source=source) from None
            raise ParseError(exc.message, source=source, line=sp.line, column=sp.column,
                             context=context_at(text, sp.line, sp.column)) from None
        finally:
            _BUILDER.big_literals.clear()
            _BUILDER.parenthesized.clear()
    return result


def parse_policies(text: str, source: str | None = None) -> ast.PolicySet:
    """Parse a policy set; ids are policy0, policy1, ... in source order (templates included)."""
    found = _run(text, "policies", source)
    policies, templates = [], []
    for i, p in enumerate(found):
        p = ast.Policy(p.effect, f"policy{i}", p.annotations, p.principal, p.action,
                       p.resource, p.conditions, span=p.span)
        (templates if p.is_template else policies).append(p)
    return ast.PolicySet(tuple(policies), tuple(templates), ())


def parse_policy(text: str, source: str | None = None, id: str = "policy0") -> ast.Policy:
    """Parse exactly one policy or template."""
    found = _run(text, "policies", source)
    if len(found) != 1:
        raise ParseError(f"expected exactly one policy, found {len(found)}", source=source)
    p = found[0]
    return ast.Policy(p.effect, id, p.annotations, p.principal, p.action, p.resource,
                      p.conditions, span=p.span)


def parse_expression(text: str, source: str | None = None) -> ast.Expr:
    return _run(text, "expr", source)


def parse_entity_uid(text: str, source: str | None = None) -> EntityUID:
    """Parse `Type::"id"` (with namespaces, e.g. `A::B::"id"`)."""
    uid, _ = _run(text, "scope_entity", source)
    return uid


def parse_policies_file(path: str | Path) -> ast.PolicySet:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParseError(f"cannot read policies: {exc.strerror}", source=str(p)) from None
    return parse_policies(text, source=str(p))
