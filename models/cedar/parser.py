"""Parse Cedar policies into the AST of `ast.py`.

A hand-written parser over the tokens of `lexer.py`. Policies, scopes and annotations are read by
straight-line code (they do not nest). Expressions are read by one loop with an EXPLICIT STACK of
frames, so nesting depth costs no Python recursion: a frame is an expression being read inside
`(...)`, `[...]`, `{...}`, a call's arguments or an `if`; within a frame, binary operators are
combined by precedence (shunting-yard) with this grammar (Cedar 4.x, loosest first):

    expr     := "if" expr "then" expr "else" expr | or
    or       := or "||" and | and
    and      := and "&&" relation | relation
    relation := add [("==" | "!=" | "<" | "<=" | ">" | ">=" | "in") add]
              | add "has" (IDENT ("." IDENT)* | STR) | add "like" STR | add "is" NAME ["in" add]
    add      := add ("+" | "-") mult | mult          mult := mult "*" unary | unary
    unary    := "!"{1,4} member | "-"{1,4} member | member
    member   := primary ("." IDENT | "." IDENT "(" args ")" | "[" STR "]")*
    primary  := literal | VAR | NAME "::" STR | NAME "(" args ")" | "(" expr ")"
              | "[" args "]" | "{" entries "}"

Relations do not chain (`1 < 2 < 3` is an error). Semantic checks that the grammar does not
express (variables, function and method names, arity, duplicate keys and annotations, integer
range, slot placement, the type of action-scope entities) raise `ParseError` with a span. Spans
are those the lark parser this replaced produced, except that a scope constraint's span now
covers the whole constraint (`principal in Group::"g"`), not the variable alone;
tests/cedar/lark_oracle.py keeps that parser as the test oracle (same ASTs and spans on the
corpus, generated and mutated policies). A policy set is tokenized policy by policy
(`lexer.token_chunks`), and the cyclic garbage collector is paused while parsing (see `_run`).

Trusts: the tokenizer (lexer.py). Policy ids are assigned as Cedar assigns them when it parses a
policy set: "policy0", "policy1", ... in source order, counting templates too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from assay.core.errors import ParseError
from assay.models.cedar import ast
from assay.models.cedar.ast import Span
from assay.models.cedar.json_io import gc_paused
from assay.models.cedar.lexer import (
    LexicalError,
    Token,
    context_at,
    new_span,
    string_value,
    token_chunks,
    tokenize,
)
from assay.models.cedar.parser_expr import (
    BUILTIN_ARITY,
    EXTENSION_FUNCTIONS,
    EXTENSION_METHODS,
    MAX_UNARY,
    OPERATOR,
    RESERVED,
    read_expression,
)
from assay.models.cedar.values import LONG_MAX, LONG_MIN, EntityUID

__all__ = ["BUILTIN_ARITY", "EXTENSION_FUNCTIONS", "EXTENSION_METHODS", "MAX_UNARY", "RESERVED",
           "context_at", "parse_entity_uid", "parse_expression", "parse_policies",
           "parse_policies_file", "parse_policy"]


_MAX_LONG_DIGITS = len(str(-LONG_MIN))
_ANY_IDENT = "an identifier"


def _padded(toks: list[Token]) -> list[Token]:
    """`toks` with three padding tokens after its last one (a `;` or "$end"), so that rules
    may look up to three tokens ahead without an index check. No rule reads a padding token
    before failing on the token in front of it, so none is ever reported."""
    end = toks[-1]
    toks += [("pad", "", end[3], end[3], end[6], end[7], end[6], end[7])] * 3
    return toks


class _Parser:
    """One parse of one text: the tokens, the position, and literals awaiting a `-`."""

    def __init__(self, text: str, source: str | None, *, lazy: bool = False) -> None:
        self.text = text
        self.source = source
        self.toks = [] if lazy else _padded(tokenize(text))
        self.i = 0
        self.big: list[ast.Lit] = []  # literals above LONG_MAX: legal only right after `-`

    # -- positions and errors ------------------------------------------------------------------
    def span(self, tok: Token) -> Span:
        return new_span(self.source, tok[4], tok[5], tok[6], tok[7], tok[2], tok[3])

    def span2(self, first: Token, last: Token) -> Span:
        return new_span(self.source, first[4], first[5], last[6], last[7], first[2], last[3])

    def join(self, a: Span | None, b: Span | None) -> Span | None:
        """From the start of `a` to the end of `b`; either alone if the other is None."""
        if a is None:
            return b
        if b is None:
            return a
        return new_span(self.source, a.line, a.column, b.end_line, b.end_column, a.start, b.end)

    def fail(self, message: str, span: Span | None) -> NoReturn:
        if span is None:
            raise ParseError(message, source=self.source)
        raise ParseError(message, source=self.source, line=span.line, column=span.column,
                         context=context_at(self.text, span.line, span.column))

    def unexpected(self, tok: Token, expected: str) -> NoReturn:
        kind = tok[0]
        if kind == "$end":
            lines = self.text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
            message = f"unexpected end of input; expected {expected}"
        else:
            line, column = tok[4], tok[5]
            if kind == "err":
                message = f"unexpected character {tok[1]!r}; expected {expected}"
            else:
                message = f"unexpected {tok[1]:.40}; expected {expected}"
        raise ParseError(message, source=self.source, line=line, column=column,
                         context=context_at(self.text, line, column))

    # -- names and literals --------------------------------------------------------------------
    def ident(self, tok: Token) -> str:
        word = tok[1]
        if word in RESERVED:
            self.fail(f"`{word}` is a reserved identifier and cannot be used here",
                      self.span(tok))
        return word

    def string(self, tok: Token) -> str:
        raw = tok[1][1:-1]
        if "\\" not in raw:
            return raw
        return string_value(raw, self.span(tok))

    def integer(self, tok: Token) -> ast.Lit:
        text = tok[1]
        span = self.span(tok)
        if len(text) > _MAX_LONG_DIGITS:
            text = text.lstrip("0") or "0"
            if len(text) > _MAX_LONG_DIGITS:  # out of range even negated; int() may refuse it
                self.fail(f"integer literal {text[:20]}... ({len(text)} digits) is out of "
                          f"range for a Long (at most {LONG_MAX})", span)
        lit = ast.Lit(int(text), span=span)
        if lit.value > LONG_MAX:
            self.big.append(lit)
        return lit

    def name(self, i: int) -> int:
        """The index of the last IDENT of the name `IDENT ("::" IDENT)*` starting at token i
        (a `::` not followed by an identifier is left to the caller); checks each part."""
        toks = self.toks
        if toks[i][0] != "id":
            self.unexpected(toks[i], _ANY_IDENT)
        j = i
        self.ident(toks[j])
        while toks[j + 1][0] == "::" and toks[j + 2][0] == "id":
            j += 2
            self.ident(toks[j])
        return j

    def name_text(self, i: int, j: int) -> str:
        if i == j:
            return self.toks[i][1]
        return "::".join(self.toks[k][1] for k in range(i, j + 1, 2))

    def entity(self) -> tuple[EntityUID, Token]:
        """`NAME "::" STR` at the current position: the UID and the string token that ends
        it (the caller builds the span it needs)."""
        i = self.i
        toks = self.toks
        t = toks[i]
        s = toks[i + 2]
        if (toks[i + 1][0] == "::" and s[0] == "str" and t[0] == "id" and t[1] not in RESERVED
                and "\\" not in s[1]):  # the common case: `Type::"id"`, no escapes
            self.i = i + 3
            return EntityUID(t[1], s[1][1:-1]), s
        j = self.name(i)
        if toks[j + 1][0] != "::":
            self.unexpected(toks[j + 1], "`::`")
        s = toks[j + 2]
        if s[0] != "str":
            self.unexpected(s, "an identifier or a string literal")
        self.i = j + 3
        return EntityUID(self.name_text(i, j), self.string(s)), s

    # -- policies ------------------------------------------------------------------------------
    def policies(self) -> list[ast.Policy]:
        """Policies up to the end of the text, with ids policy0, policy1, ...

        The tokens are read one policy at a time, up to each `;` (which can only end a
        policy: wherever else it stands it is the error reported)."""
        found = []
        for chunk in token_chunks(self.text):
            if chunk[0][0] == "$end":
                break
            size = len(chunk)
            self.toks = _padded(chunk)
            self.i = 0
            found.append(self.policy(f"policy{len(found)}"))
            if self.i != size:  # pragma: no cover - policy() ends at the `;`
                raise AssertionError("a policy ended before its `;`")
        return found

    def policy(self, policy_id: str) -> ast.Policy:
        toks = self.toks
        source = self.source
        annotations: list[ast.Annotation] = []
        i = self.i
        while toks[i][0] == "@":
            key = toks[i + 1]
            if key[0] != "id":
                self.unexpected(key, _ANY_IDENT)
            i += 2
            value = None
            last = key
            if toks[i][0] == "(":
                last = toks[i + 1]
                if last[0] != "str":
                    self.unexpected(last, "a string literal")
                if toks[i + 2][0] != ")":
                    self.unexpected(toks[i + 2], "`)`")
                i += 3
                value = self.string(last)
            annotations.append(ast.Annotation(key[1], value, span=new_span(
                source, key[4], key[5], last[6], last[7], key[2], last[3])))
        effect = toks[i]
        if effect[0] != "id" or effect[1] not in ("permit", "forbid"):
            self.unexpected(effect, "`@`, `permit` or `forbid`")
        if toks[i + 1][0] != "(":
            self.unexpected(toks[i + 1], "`(`")
        self.i = i + 2
        principal = self.head_scope("principal")
        if toks[self.i][0] != ",":
            self.unexpected(toks[self.i], "`,`")
        self.i += 1
        action = self.action_scope()
        if toks[self.i][0] != ",":
            self.unexpected(toks[self.i], "`,`")
        self.i += 1
        resource = self.head_scope("resource")
        i = self.i
        if toks[i][0] == ",":
            i += 1
        if toks[i][0] != ")":
            self.unexpected(toks[i], "`)`")
        i += 1
        conditions = []
        while toks[i][0] == "id" and toks[i][1] in ("when", "unless"):
            kind = toks[i]
            if toks[i + 1][0] != "{":
                self.unexpected(toks[i + 1], "`{`")
            self.i = i + 2
            body = self.expr()
            i = self.i
            if toks[i][0] != "}":
                self.unexpected(toks[i], f"`}}` or {OPERATOR}")
            i += 1
            s = body.span
            conditions.append(ast.Condition(kind[1], body, span=new_span(
                source, kind[4], kind[5], s.end_line, s.end_column, kind[2], s.end)
                if s is not None else self.span(kind)))
        if toks[i][0] != ";":
            self.unexpected(toks[i], "`;`, `when` or `unless`")
        self.i = i + 1
        if len(annotations) > 1:
            seen: set[str] = set()
            for ann in annotations:
                if ann.key in seen:
                    self.fail(f"duplicate annotation @{ann.key}", ann.span)
                seen.add(ann.key)
        if annotations:
            a = annotations[0].span
            line, column, start = a.line, a.column, a.start  # type: ignore[union-attr]
        else:
            line, column, start = effect[4], effect[5], effect[2]
        if conditions:
            c = conditions[-1].span
            end_line, end_column, end = c.end_line, c.end_column, c.end  # type: ignore
        else:
            end_line, end_column, end = effect[6], effect[7], effect[3]
        return ast.Policy(effect[1], policy_id, tuple(annotations), principal, action,
                          resource, tuple(conditions), span=new_span(
                              source, line, column, end_line, end_column, start, end))

    def scope_ref(self) -> tuple[EntityUID | ast.Slot, Token]:
        tok = self.toks[self.i]
        if tok[0] == "slot":
            self.i += 1
            return ast.Slot(tok[1], span=self.span(tok)), tok
        return self.entity()

    def head_scope(self, var: str) -> ast.Scope:
        """`principal` or `resource` with an optional `==`, `in`, `is`, `is ... in`."""
        toks = self.toks
        var_tok = toks[self.i]
        if var_tok[0] != "id" or var_tok[1] != var:
            self.unexpected(var_tok, f"`{var}`")
        self.i += 1
        tok = toks[self.i]
        entity: EntityUID | ast.Slot | None = None
        entity_type = None
        if tok[0] == "==" or (tok[0] == "id" and tok[1] == "in"):
            self.i += 1
            op = "==" if tok[0] == "==" else "in"
            entity, last = self.scope_ref()
        elif tok[0] == "id" and tok[1] == "is":
            j = self.name(self.i + 1)
            entity_type = self.name_text(self.i + 1, j)
            last = toks[j]
            self.i = j + 1
            op = "is"
            if toks[self.i][0] == "id" and toks[self.i][1] == "in":
                self.i += 1
                op = "is in"
                entity, last = self.scope_ref()
        else:
            return ast.Scope(var, span=self.span(var_tok))
        span = self.span2(var_tok, last)
        if isinstance(entity, ast.Slot) and entity.name != f"?{var}":
            self.fail(f"the slot {entity.name} cannot constrain {var}", span)
        return ast.Scope(var, op, entity, entity_type, span=span)

    def action_entity(self) -> tuple[EntityUID, Token]:
        """Cedar: an action scope names entities of type `Action` or `NS::Action` only."""
        first = self.toks[self.i]
        uid, last = self.entity()
        if not ast.is_action_type(uid.type):
            self.fail(f"expected an entity of type `Action` (or `NS::Action`) in the action "
                      f"scope, got {uid}", self.span2(first, last))
        return uid, last

    def action_scope(self) -> ast.Scope:
        toks = self.toks
        var_tok = toks[self.i]
        if var_tok[0] != "id" or var_tok[1] != "action":
            self.unexpected(var_tok, "`action`")
        self.i += 1
        tok = toks[self.i]
        if tok[0] == "==":
            self.i += 1
            uid, last = self.action_entity()
            return ast.Scope("action", "==", uid, span=self.span2(var_tok, last))
        if tok[0] != "id" or tok[1] != "in":
            return ast.Scope("action", span=self.span(var_tok))
        self.i += 1
        if toks[self.i][0] != "[":
            uid, last = self.action_entity()
            return ast.Scope("action", "in", uid, span=self.span2(var_tok, last))
        self.i += 1
        uids: list[EntityUID] = []
        last = var_tok
        while toks[self.i][0] != "]":
            uid, last = self.action_entity()
            uids.append(uid)
            if toks[self.i][0] == ",":
                self.i += 1
            elif toks[self.i][0] != "]":
                self.unexpected(toks[self.i], "`,` or `]`")
        self.i += 1
        return ast.Scope("action", "in list", entities=tuple(uids),
                         span=self.span2(var_tok, last))

    def expr(self) -> ast.Expr:
        """An expression at the current position (see parser_expr.py)."""
        return read_expression(self)


def _run(text: str, source: str | None, read: Any, *, lazy: bool = False) -> Any:
    """Parse with the cyclic garbage collector paused: parsing allocates millions of tuples and
    nodes, none in a cycle, and each collection would scan them all again (a 10 MB file took
    1.6x as long with it running)."""
    with gc_paused():
        parser = _Parser(text, source, lazy=lazy)
        try:
            result = read(parser)
            if parser.big:
                lit = parser.big[0]
                parser.fail(f"integer literal {lit.value} is too large for a Long "
                            f"(at most {LONG_MAX})", lit.span)
        except LexicalError as exc:
            parser.fail(exc.message, exc.span)
    return result


def _read_policies(parser: _Parser) -> list[ast.Policy]:
    return parser.policies()


def _read_expression(parser: _Parser) -> ast.Expr:
    e = parser.expr()
    tok = parser.toks[parser.i]
    if tok[0] != "$end":
        parser.unexpected(tok, f"end of input or {OPERATOR}")
    return e


def _read_entity(parser: _Parser) -> EntityUID:
    uid, _ = parser.entity()
    tok = parser.toks[parser.i]
    if tok[0] != "$end":
        parser.unexpected(tok, "end of input")
    return uid


def parse_policies(text: str, source: str | None = None) -> ast.PolicySet:
    """Parse a policy set; ids are policy0, policy1, ... in source order (templates included)."""
    found = _run(text, source, _read_policies, lazy=True)
    policies, templates = [], []
    for p in found:
        (templates if p.is_template else policies).append(p)
    return ast.PolicySet(tuple(policies), tuple(templates), ())


def parse_policy(text: str, source: str | None = None, id: str = "policy0") -> ast.Policy:
    """Parse exactly one policy or template."""
    found = _run(text, source, _read_policies, lazy=True)
    if len(found) != 1:
        raise ParseError(f"expected exactly one policy, found {len(found)}", source=source)
    p = found[0]
    if p.id == id:
        return p  # type: ignore[no-any-return]
    return ast.Policy(p.effect, id, p.annotations, p.principal, p.action, p.resource,
                      p.conditions, span=p.span)


def parse_expression(text: str, source: str | None = None) -> ast.Expr:
    return _run(text, source, _read_expression)


def parse_entity_uid(text: str, source: str | None = None) -> EntityUID:
    """Parse `Type::"id"` (with namespaces, e.g. `A::B::"id"`)."""
    return _run(text, source, _read_entity)


def parse_policies_file(path: str | Path) -> ast.PolicySet:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParseError(f"cannot read policies: {exc.strerror}", source=str(p)) from None
    return parse_policies(text, source=str(p))
