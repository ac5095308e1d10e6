"""The expression reader of the Cedar parser (see parser.py for the grammar).

`read_expression(p)` reads one expression starting at token `p.i` of a `parser._Parser` and
leaves `p.i` on the first token that cannot continue it. It is one loop over an explicit stack
of frames -- no Python recursion, whatever the nesting depth. A frame is an expression being
read inside `(...)`, `[...]`, `{...}`, call arguments or an `if`; it holds its operands and
pending binary operators (combined by precedence, shunting-yard), the `!`/`-` run in front of the
operand being read, and what the frame is collecting (elements, entries, `if` parts). The
reader moves between three steps: read an operand's start (prefix run, primary; an opening
bracket pushes a frame), apply postfix operations (`.a`, `.m(...)`, `["a"]`) and the prefix run,
then read an operator or close the frame.

Trusts: the parser object's helpers (tokens, spans, names, errors) and `ast.py`.
"""

from __future__ import annotations

from typing import Any

from assay.models.cedar import ast
from assay.models.cedar.ast import Span
from assay.models.cedar.lexer import new_span, pattern_value
from assay.models.cedar.values import LONG_MIN, EntityUID

EXTENSION_FUNCTIONS = ("decimal", "ip", "datetime", "duration")
EXTENSION_METHODS = (
    "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual",
    "isIpv4", "isIpv6", "isLoopback", "isMulticast", "isInRange",
    "offset", "durationSince", "toDate", "toTime",
    "toDays", "toHours", "toMinutes", "toSeconds", "toMilliseconds",
)
BUILTIN_ARITY = {"contains": 1, "containsAll": 1, "containsAny": 1, "isEmpty": 0,
                 "hasTag": 1, "getTag": 1}
MAX_UNARY = 4  # Cedar accepts at most four `!` or `-` in a row
RESERVED = frozenset({"true", "false", "if", "then", "else", "in", "is", "like", "has",
                      "__cedar"})

# Binary operator precedence, loosest first; relations (_REL) do not associate.
_OR, _AND, _REL, _ADD, _MUL = 1, 2, 3, 4, 5
_BINARY = {"||": _OR, "&&": _AND, "==": _REL, "!=": _REL, "<": _REL, "<=": _REL, ">": _REL,
           ">=": _REL, "+": _ADD, "-": _ADD, "*": _MUL}
_POSTFIX_RELATIONS = ("has", "like", "is")
# Frame kinds.
_BASE, _PAREN, _SET, _CALL, _METHOD, _RECORD, _IF = range(7)
_CLOSER = {_PAREN: ")", _SET: "]", _CALL: ")", _METHOD: ")", _RECORD: "}"}

EXPR_START = ("an expression: `!`, `-`, `(`, `[`, `{`, `if`, `true`, `false`, an identifier, "
              "an integer literal or a string literal")
OPERATOR = ("an operator (`||`, `&&`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `has`, `like`, "
            "`is`, `+`, `-`, `*`, `.`, `[`)")

_Lit, _Unary, _GetAttr, _Var = ast.Lit, ast.Unary, ast.GetAttr, ast.Var
_VARIABLES = frozenset(ast.VARIABLES)
_NAME_CONTINUES = frozenset({"::", "("})


def _first_span(nodes: Any) -> Span | None:
    for n in nodes:
        if n.span is not None:
            return n.span  # type: ignore[no-any-return]
    return None


def _last_span(nodes: Any) -> Span | None:
    for n in reversed(nodes):
        if n.span is not None:
            return n.span  # type: ignore[no-any-return]
    return None


def _to_token(p: Any, first: Span | None, tok: Any) -> Span:
    """The span from the start of `first` (or of `tok` if None) to the end of token `tok`."""
    if first is None:
        return p.span(tok)  # type: ignore[no-any-return]
    return new_span(p.source, first.line, first.column, tok[6], tok[7], first.start, tok[3])


def _reduce(p: Any, vals: list[Any], ops: list[Any], floor: int) -> None:
    """Combine the pending operators of precedence >= floor with their operands."""
    join = p.join
    while ops and ops[-1][0] >= floor:
        _, op, info = ops.pop()
        b = vals.pop()
        a = vals.pop()
        if op == "&&":
            vals.append(ast.And(a, b, span=join(a.span, b.span)))
        elif op == "||":
            vals.append(ast.Or(a, b, span=join(a.span, b.span)))
        elif op == "is":  # `a is T in b`; info is (T, span of T)
            name, name_span = info
            first = a.span if a.span is not None else name_span
            last = b.span if b.span is not None else name_span
            vals.append(ast.Is(a, name, b, span=join(first, last)))
        else:
            vals.append(ast.Binary(op, a, b, span=join(a.span, b.span)))


def _record_key(p: Any, i: int) -> tuple[str, Any, int]:
    """An entry's key at token i and its `:`; returns (key, key token, index after `:`)."""
    toks = p.toks
    tok = toks[i]
    if tok[0] == "str":
        key = p.string(tok)
    elif tok[0] == "id":
        key = p.ident(tok)
    else:
        p.unexpected(tok, "an identifier or a string literal")
    if toks[i + 1][0] != ":":
        p.unexpected(toks[i + 1], "`:`")
    return key, tok, i + 2


def _finish(p: Any, kind: int, data: Any) -> ast.Expr:
    """The node a closed `[...]`, call or `{...}` frame stands for, with Cedar's checks."""
    if kind == _SET:
        elems = tuple(data)
        return ast.SetLit(elems, span=p.join(_first_span(elems), _last_span(elems)))
    if kind == _RECORD:
        entries = data[0]
        seen: set[str] = set()
        for key, _, tok in entries:
            if key in seen:
                p.fail(f"duplicate key {key!r} in a record literal", p.span(tok))
            seen.add(key)
        key = entries[0][2]
        last = entries[-1][1].span
        return ast.RecordLit(tuple((k, v) for k, v, _ in entries), span=new_span(
            p.source, key[4], key[5], last.end_line, last.end_column, key[2], last.end)
            if last is not None else p.span(key))
    if kind == _CALL:
        first, last, args = data
        name = p.name_text(first, last)
        start = p.toks[first]
        end = _last_span(args)
        span = (new_span(p.source, start[4], start[5], end.end_line, end.end_column, start[2],
                         end.end) if end is not None else p.span2(start, p.toks[last]))
        if name in EXTENSION_METHODS or name in BUILTIN_ARITY:
            p.fail(f"`{name}` is a method, not a function: write x.{name}(...)", span)
        if name not in EXTENSION_FUNCTIONS:
            p.fail(f"`{name}` is not a Cedar function (known: "
                   f"{', '.join(EXTENSION_FUNCTIONS)})", span)
        return ast.FunctionCall(name, tuple(args), span=span)
    receiver, t, args = data
    s = receiver.span
    end = _last_span(args)
    if end is None:
        end_line, end_column, end_offset = t[6], t[7], t[3]
    else:
        end_line, end_column, end_offset = end.end_line, end.end_column, end.end
    span = (new_span(p.source, s.line, s.column, end_line, end_column, s.start, end_offset)
            if s is not None else new_span(p.source, t[4], t[5], end_line, end_column, t[2],
                                           end_offset))
    name = p.ident(t)
    if name in EXTENSION_FUNCTIONS:
        p.fail(f"`{name}` is a function, not a method: write {name}(...)", span)
    if name not in BUILTIN_ARITY and name not in EXTENSION_METHODS:
        p.fail(f"`{name}` is not a Cedar method", span)
    if name in BUILTIN_ARITY and len(args) != BUILTIN_ARITY[name]:
        p.fail(f"`{name}` takes {BUILTIN_ARITY[name]} argument(s), got {len(args)}", span)
    return ast.MethodCall(name, receiver, tuple(args), span=span)


def _postfix_relation(p: Any, word: str, a: Any, i: int) -> tuple[Any, int, Any]:
    """`a has path`, `a like "pattern"` or `a is T` at token i (the keyword). Returns the node
    (None for `is T in`, whose right operand is still to read), the next index and, for
    `is T in`, (T, span of T)."""
    toks = p.toks
    nt = toks[i + 1]
    if word == "has":
        if nt[0] == "str":
            path: tuple[str, ...] = (p.string(nt),)
            last = nt
            i += 2
        elif nt[0] == "id":
            parts = [p.ident(nt)]
            last = nt
            i += 2
            while toks[i][0] == ".":
                last = toks[i + 1]
                if last[0] != "id":
                    p.unexpected(last, "an identifier")
                parts.append(p.ident(last))
                i += 2
            path = tuple(parts)
        else:
            p.unexpected(nt, "an identifier or a string literal")
        return ast.Has(a, path, span=_to_token(p, a.span, last)), i, None
    if word == "like":
        if nt[0] != "str":
            p.unexpected(nt, "a string literal")
        raw = nt[1][1:-1]
        elems = tuple(raw) if "\\" not in raw and "*" not in raw else pattern_value(
            raw, p.span(nt))
        return ast.Like(a, elems, span=_to_token(p, a.span, nt)), i + 2, None
    j = p.name(i + 1)  # `is`
    if toks[j + 1][0] == "::":
        p.unexpected(toks[j + 2], "an identifier")
    name = p.name_text(i + 1, j)
    if toks[j + 1][0] == "id" and toks[j + 1][1] == "in":
        return None, j + 2, (name, p.span2(toks[i + 1], toks[j]))
    s = a.span
    return ast.Is(a, name, span=_to_token(p, s, toks[j]) if s is not None
                  else p.span2(toks[i + 1], toks[j])), j + 1, None


def read_expression(p: Any) -> ast.Expr:  # noqa: C901 - one loop is the point (no recursion)
    toks = p.toks
    span = p.span
    source = p.source
    big = p.big
    i = p.i
    stack: list[tuple[Any, ...]] = []
    kind, vals, ops, closed, prefix, data = _BASE, [], [], False, None, None
    node: Any = None
    paren = False
    while True:
        if node is None:
            # -- an operand's start: a run of `!` or of `-`, then a primary ---------------------
            tok = toks[i]
            k = tok[0]
            if k == "!" or k == "-":
                j = i + 1
                while toks[j][0] == k:
                    j += 1
                prefix = toks[i:j]
                i = j
                tok = toks[i]
                k = tok[0]
            else:
                prefix = None
            paren = False
            if k == "id":
                word = tok[1]
                if word == "true" or word == "false":
                    node = _Lit(word == "true", span=new_span(source, tok[4], tok[5], tok[6],
                                                               tok[7], tok[2], tok[3]))
                    i += 1
                elif word in _VARIABLES and toks[i + 1][0] not in _NAME_CONTINUES:
                    node = _Var(word, span=new_span(source, tok[4], tok[5], tok[6], tok[7],
                                                     tok[2], tok[3]))
                    i += 1
                elif word == "if" and not vals and prefix is None:
                    stack.append((kind, vals, ops, closed, prefix, data))
                    kind, vals, ops, closed, data = _IF, [], [], False, [tok, 0, None, None]
                    i += 1
                    continue
                else:
                    j = p.name(i)
                    nxt = toks[j + 1][0]
                    if nxt == "::":
                        s = toks[j + 2]
                        if s[0] != "str":
                            p.unexpected(s, "an identifier or a string literal")
                        uid = EntityUID(p.name_text(i, j), p.string(s))
                        node = ast.EntityLit(uid, span=p.span2(tok, s))
                        i = j + 3
                    elif nxt == "(":
                        if toks[j + 2][0] == ")":
                            node = _finish(p, _CALL, (i, j, []))
                            i = j + 3
                        else:
                            stack.append((kind, vals, ops, closed, prefix, data))
                            kind, vals, ops, closed, data = _CALL, [], [], False, (i, j, [])
                            i = j + 2
                            continue
                    elif j == i and word in _VARIABLES:
                        node = _Var(word, span=span(tok))
                        i += 1
                    else:
                        name = p.name_text(i, j)
                        p.fail(f"`{name}` is not a variable: expected principal, action, "
                               f"resource or context (an entity needs a quoted id, e.g. "
                               f"{name}::\"id\")", p.span2(tok, toks[j]))
            elif k == "int":
                node = p.integer(tok)
                i += 1
            elif k == "str":
                raw = tok[1][1:-1]
                node = _Lit(raw if "\\" not in raw else p.string(tok), span=new_span(
                    source, tok[4], tok[5], tok[6], tok[7], tok[2], tok[3]))
                i += 1
            elif k == "(" or (k == "[" and toks[i + 1][0] != "]") or (
                    k == "{" and toks[i + 1][0] != "}"):
                stack.append((kind, vals, ops, closed, prefix, data))
                vals, ops, closed = [], [], False
                if k == "(":
                    kind, data = _PAREN, None
                    i += 1
                elif k == "[":
                    kind, data = _SET, []
                    i += 1
                else:
                    key, key_tok, i = _record_key(p, i + 1)
                    kind, data = _RECORD, [[], key, key_tok]
                continue
            elif k == "[":
                node = ast.SetLit(())
                i += 2
            elif k == "{":
                node = ast.RecordLit(())
                i += 2
            elif k == "slot":
                p.fail(f"the template slot {tok[1]} may only appear in the policy scope",
                       span(tok))
            else:
                p.unexpected(tok, EXPR_START)
        # -- postfix operations: `.attr`, `.method(args)`, `["attr"]` ---------------------------
        opened = False
        while True:
            k = toks[i][0]
            if k == ".":
                nt = toks[i + 1]
                if nt[0] != "id":
                    p.unexpected(nt, "an identifier")
                if toks[i + 2][0] == "(":
                    if toks[i + 3][0] == ")":
                        node = _finish(p, _METHOD, (node, nt, []))
                        i += 4
                        paren = False
                        continue
                    stack.append((kind, vals, ops, closed, prefix, data))
                    kind, vals, ops, closed, data = _METHOD, [], [], False, (node, nt, [])
                    i += 3
                    opened = True
                    break
                attr = nt[1]
                if attr in RESERVED:
                    p.ident(nt)
                s = node.span
                node = _GetAttr(node, attr, span=new_span(
                    source, s.line, s.column, nt[6], nt[7], s.start, nt[3]) if s is not None
                    else new_span(source, nt[4], nt[5], nt[6], nt[7], nt[2], nt[3]))
                i += 2
            elif k == "[":
                s = toks[i + 1]
                if s[0] != "str":
                    p.unexpected(s, "a string literal")
                if toks[i + 2][0] != "]":
                    p.unexpected(toks[i + 2], "`]`")
                node = _GetAttr(node, p.string(s), span=_to_token(p, node.span, s))
                i += 3
            else:
                break
            paren = False
        if opened:
            node = None
            continue
        # -- the prefix run: `-` folds into an integer literal, as Cedar does -------------------
        if prefix is not None:
            op = prefix[0][0]
            if len(prefix) > MAX_UNARY:
                p.fail(f"too many occurrences of `{op}` in a row (Cedar allows {MAX_UNARY}); "
                       "use parentheses", p.span2(prefix[0], prefix[-1]))
            if (op == "-" and node.__class__ is _Lit and node.value.__class__ is int
                    and not paren):
                if big and big[-1] is node:
                    big.pop()
                last = prefix[-1]
                s = node.span
                node = _Lit(-node.value, span=new_span(source, last[4], last[5], s.end_line,
                                                   s.end_column, last[2], s.end))
                if node.value < LONG_MIN:
                    p.fail(f"integer literal {node.value} is out of range for a Long "
                           f"(at least {LONG_MIN})", node.span)
                prefix = prefix[:-1]
            for t in reversed(prefix):
                s = node.span
                node = _Unary(op, node, span=new_span(source, t[4], t[5], s.end_line, s.end_column,
                                                  t[2], s.end) if s is not None else span(t))
        vals.append(node)
        node = None
        closed = False
        # -- an operator, or the end of this frame's expression ---------------------------------
        while True:
            tok = toks[i]
            k = tok[0]
            prec = _BINARY.get(k)
            if prec is None and k == "id":
                word = tok[1]
                if word == "in":
                    prec = _REL
                elif word in _POSTFIX_RELATIONS:
                    if closed:
                        p.unexpected(tok, "`&&`, `||` or the end of the expression")
                    _reduce(p, vals, ops, _REL + 1)
                    if ops and ops[-1][0] == _REL:
                        p.unexpected(tok, "`&&`, `||`, `+`, `-`, `*` or the end of the "
                                     "expression (relations do not chain)")
                    rel, i, info = _postfix_relation(p, word, vals[-1], i)
                    if rel is None:  # `is T in`: a relation operator with a right operand
                        ops.append((_REL, "is", info))
                        break
                    vals[-1] = rel
                    closed = True
                    continue
            if prec is not None:
                if closed and prec >= _REL:
                    p.unexpected(tok, "`&&`, `||` or the end of the expression")
                if ops:
                    if prec == _REL:
                        _reduce(p, vals, ops, _REL + 1)
                        if ops and ops[-1][0] == _REL:
                            p.unexpected(tok, "`&&`, `||`, `+`, `-`, `*` or the end of the "
                                         "expression (relations do not chain)")
                    elif ops[-1][0] >= prec:
                        _reduce(p, vals, ops, prec)
                ops.append((prec, tok[1], None))
                i += 1
                break
            # the end of this frame's expression
            if ops:
                _reduce(p, vals, ops, _OR)
            result = vals.pop()
            if kind == _BASE:
                p.i = i
                return result  # type: ignore[no-any-return]
            if kind == _IF:
                stage = data[1]
                if stage < 2:
                    word = "then" if stage == 0 else "else"
                    if k != "id" or tok[1] != word:
                        p.unexpected(tok, f"`{word}` or {OPERATOR}")
                    data[2 + stage] = result
                    data[1] = stage + 1
                    i += 1
                    vals, ops, closed = [], [], False
                    break
                kw = data[0]
                s = result.span
                node = ast.If(data[2], data[3], result, span=new_span(
                    source, kw[4], kw[5], s.end_line, s.end_column, kw[2], s.end)
                    if s is not None else span(kw))
                kind, vals, ops, closed, prefix, data = stack.pop()
                vals.append(node)  # an `if` is a whole expression: the frame ends here too
                node = None
                closed = False
                continue
            closer = _CLOSER[kind]
            if kind == _PAREN:
                if k != ")":
                    p.unexpected(tok, f"`)` or {OPERATOR}")
                i += 1
                node = result
                kind, vals, ops, closed, prefix, data = stack.pop()
                paren = node.__class__ is _Lit and node.value.__class__ is int
                break
            if kind == _RECORD:
                data[0].append((data[1], result, data[2]))
            else:
                (data if kind == _SET else data[2]).append(result)
            if k == ",":
                if toks[i + 1][0] != closer:
                    vals, ops, closed = [], [], False
                    if kind == _RECORD:
                        data[1], data[2], i = _record_key(p, i + 1)
                    else:
                        i += 1
                    break
                i += 1
            elif k != closer:
                p.unexpected(tok, f"`,` or `{closer}` or {OPERATOR}")
            i += 1
            node = _finish(p, kind, data)
            kind, vals, ops, closed, prefix, data = stack.pop()
            paren = False
            break
