"""Print Cedar ASTs as Cedar policy text: `format_expr`, `format_policy`, `format_policy_set`.

The printer inserts exactly the parentheses the grammar needs, so that `parse(format(x)) == x`
for every AST the parser produces (spans aside). Precedence levels, loosest first:

    0 if-then-else   1 ||   2 &&   3 == != < <= > >= in has like is   4 + -   5 *
    6 unary ! and - (and negative integer literals)   7 member access and calls   8 primaries

Two lexical details of Cedar need care: `-5` is one literal while `-(5)` negates the literal 5,
and at most four `!` or `-` may follow each other. The walk is iterative (an explicit stack of
pending pieces), so expressions of any depth print without Python recursion.

A condition longer than the line width is printed one operand of its top-level `&&`/`||` chain
per line. Comments and layout of the original source are not kept (the AST has none). Template links
have no Cedar text form; `format_policy_set` prints static policies and templates only. Strings
are escaped as Cedar's printer does (`\\n`, `\\"`, `\\u{..}` for other non-printables).
Trusts: `ast.py` shapes only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from assay.core.errors import AssayError
from assay.models.cedar import ast
from assay.models.cedar.values import EntityUID

__all__ = ["format_expr", "format_condition", "format_policy", "format_policy_set", "quote",
           "FormatError"]

RESERVED = frozenset({"true", "false", "if", "then", "else", "in", "is", "like", "has",
                      "__cedar"})
_IDENT = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_SIMPLE_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0", "\\": "\\\\",
                   '"': '\\"'}
_NONPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
MAX_UNARY = 4

RELATIONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "in"})
IF, OR, AND, RELATION, ADD, MULT, UNARY, MEMBER, PRIMARY = range(9)


class FormatError(AssayError):
    """The AST cannot be written as Cedar text (e.g. a `has` path with a non-identifier)."""


def _escape_char(c: str) -> str:
    if c in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[c]
    if c.isascii():
        return c if c.isprintable() else f"\\u{{{ord(c):x}}}"
    if unicodedata.category(c) in _NONPRINTABLE:
        return f"\\u{{{ord(c):x}}}"
    return c


def quote(s: str) -> str:
    """A Cedar string literal denoting `s`."""
    return '"' + "".join(_escape_char(c) for c in s) + '"'


def _pattern(elems: Iterable[ast.PatternElem]) -> str:
    out = ['"']
    for e in elems:
        if isinstance(e, ast.Wildcard):
            out.append("*")
        else:
            out.append("\\*" if e == "*" else _escape_char(e))
    out.append('"')
    return "".join(out)


def is_ident(s: str) -> bool:
    """An attribute name that may be written bare (`x.a`, `{a: 1}`, `has a`)."""
    return _IDENT.fullmatch(s) is not None and s not in RESERVED


def format_uid(uid: EntityUID) -> str:
    return f"{uid.type}::{quote(uid.id)}"


def _is_long(expr: ast.Expr) -> bool:
    return isinstance(expr, ast.Lit) and expr.value.__class__ is int


def level(expr: ast.Expr) -> int:
    """The precedence level of the grammar rule that produces `expr` unparenthesized."""
    match expr:
        case ast.If():
            return IF
        case ast.Or():
            return OR
        case ast.And():
            return AND
        case ast.Binary(op=op):
            return RELATION if op in RELATIONS else ADD if op in ("+", "-") else MULT
        case ast.Has() | ast.Like() | ast.Is():
            return RELATION
        case ast.Unary():
            return UNARY
        case ast.Lit(value=v) if v.__class__ is int and v < 0:
            return UNARY
        case ast.GetAttr() | ast.MethodCall():
            return MEMBER
    return PRIMARY


class _Printer:
    """Pending work is a stack of strings (emit as is) and (expr, minimum level) pairs."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.stack: list[str | tuple[ast.Expr, int]] = []

    def run(self, expr: ast.Expr, at_least: int = IF) -> str:
        self.stack.append((expr, at_least))
        while self.stack:
            item = self.stack.pop()
            if isinstance(item, str):
                self.out.append(item)
            elif level(item[0]) < item[1]:
                self.stack += [")", (item[0], IF), "("]
            else:
                self.expand(item[0])
        return "".join(self.out)

    def push(self, *items: str | tuple[ast.Expr, int]) -> None:
        """Schedule `items` to print left to right."""
        self.stack.extend(reversed(items))

    def push_list(self, exprs: tuple[ast.Expr, ...], open_: str, close: str) -> None:
        items: list[str | tuple[ast.Expr, int]] = [open_]
        for i, e in enumerate(exprs):
            if i:
                items.append(", ")
            items.append((e, IF))
        items.append(close)
        self.push(*items)

    def expand(self, expr: ast.Expr) -> None:
        match expr:
            case ast.Lit(value=v):
                self.out.append(quote(v) if isinstance(v, str) else
                                ("true" if v else "false") if isinstance(v, bool) else str(v))
            case ast.EntityLit(uid=uid):
                self.out.append(format_uid(uid))
            case ast.Var(name=name) | ast.Slot(name=name):
                self.out.append(name)
            case ast.If(cond=c, then=t, else_=e):
                self.push("if ", (c, IF), " then ", (t, IF), " else ", (e, IF))
            case ast.Or(left=a, right=b):
                self.push((a, OR), " || ", (b, AND))
            case ast.And(left=a, right=b):
                self.push((a, AND), " && ", (b, RELATION))
            case ast.Binary(op=op, left=a, right=b):
                lv = level(expr)
                self.push((a, lv if lv != RELATION else ADD), f" {op} ", (b, lv + 1))
            case ast.Unary():
                self.unary_run(expr)
            case ast.Has(arg=a, path=path):
                self.push((a, ADD), " has ", self.has_path(path))
            case ast.Like(arg=a, pattern=pattern):
                self.push((a, ADD), " like ", _pattern(pattern))
            case ast.Is(arg=a, entity_type=t, in_=None):
                self.push((a, ADD), f" is {t}")
            case ast.Is(arg=a, entity_type=t, in_=b):
                self.push((a, ADD), f" is {t} in ", (b, ADD))
            case ast.GetAttr(arg=a, attr=attr):
                self.push((a, MEMBER), f".{attr}" if is_ident(attr) else f"[{quote(attr)}]")
            case ast.MethodCall(name=name, receiver=r, args=args):
                self.push_list(args, f".{name}(", ")")
                self.push((r, MEMBER))
            case ast.FunctionCall(name=name, args=args):
                self.push_list(args, f"{name}(", ")")
            case ast.SetLit(elements=elements):
                self.push_list(elements, "[", "]")
            case ast.RecordLit(entries=entries):
                items: list[str | tuple[ast.Expr, int]] = ["{"]
                for i, (k, v) in enumerate(entries):
                    key = k if is_ident(k) else quote(k)
                    items += [", " if i else "", f"{key}: ", (v, IF)]
                self.push(*items, "}")
            case _:
                raise FormatError(f"cannot format {type(expr).__name__} nodes")

    def unary_run(self, expr: ast.Unary) -> None:
        op, count, inner = expr.op, 0, expr
        while isinstance(inner, ast.Unary) and inner.op == op and count < MAX_UNARY:
            count, inner = count + 1, inner.arg
        need = MEMBER
        if op == "-" and _is_long(inner):
            assert isinstance(inner, ast.Lit)
            # `-` before a literal folds into it: `--5` is -(-5); `-(5)` is neg of 5
            need = UNARY if inner.value < 0 and count < MAX_UNARY else PRIMARY + 1
        self.push(op * count, (inner, need))

    @staticmethod
    def has_path(path: tuple[str, ...]) -> str:
        if len(path) == 1 and not is_ident(path[0]):
            return quote(path[0])
        if not all(map(is_ident, path)):
            raise FormatError(f"the `has` path {'.'.join(path)!r} has a step that is not an "
                              "identifier (or is a reserved word)")
        return ".".join(path)


def format_expr(expr: ast.Expr) -> str:
    """Cedar text for an expression, parenthesized only where the grammar needs it."""
    return _Printer().run(expr)


def format_scope(scope: ast.Scope) -> str:
    def ref(e: EntityUID | ast.Slot | None) -> str:
        if isinstance(e, ast.Slot):
            return e.name
        if isinstance(e, EntityUID):
            return format_uid(e)
        raise FormatError(f"the {scope.var} scope `{scope.op}` has no entity")

    match scope.op:
        case "any":
            return scope.var
        case "==" | "in":
            return f"{scope.var} {scope.op} {ref(scope.entity)}"
        case "is":
            return f"{scope.var} is {scope.entity_type}"
        case "is in":
            return f"{scope.var} is {scope.entity_type} in {ref(scope.entity)}"
        case "in list":
            return f"{scope.var} in [{', '.join(format_uid(u) for u in scope.entities)}]"
    raise FormatError(f"unknown scope operator {scope.op!r}")


def _spine(expr: ast.Expr) -> tuple[str, list[ast.Expr]]:
    """The operands of a top-level `&&` or `||` chain (its left spine), or just `expr`."""
    if not isinstance(expr, (ast.And, ast.Or)):
        return "", [expr]
    kind, items, node = type(expr), [], expr
    while isinstance(node, kind):
        items.append(node.right)
        node = node.left
    items.append(node)
    return ("&&" if kind is ast.And else "||"), items[::-1]


def format_condition(cond: ast.Condition, indent: str = "  ", line_width: int = 80) -> str:
    """`when { body }` on one line if it fits, else one operand of the top-level `&&`/`||`
    chain per line."""
    body = format_expr(cond.body)
    one_line = f"{cond.kind} {{ {body} }}"
    op, items = _spine(cond.body)
    if len(one_line) <= line_width or not op:
        return one_line
    first, rest = (AND, RELATION) if op == "&&" else (OR, AND)
    parts = [_Printer().run(item, first if i == 0 else rest) for i, item in enumerate(items)]
    inner = f" {op}\n{indent}".join(parts)
    return f"{cond.kind} {{\n{indent}{inner}\n}}"


def format_policy(policy: ast.Policy, indent_width: int = 2, line_width: int = 80) -> str:
    """A policy or template as Cedar text (ends with `;`, no trailing newline)."""
    indent = " " * max(indent_width, 0)
    lines = [f"@{a.key}" if a.value is None else f"@{a.key}({quote(a.value)})"
             for a in policy.annotations]
    scopes = (policy.principal, policy.action, policy.resource)
    lines.append(f"{policy.effect} (")
    lines += [f"{indent}{format_scope(s)}{',' if i < 2 else ''}" for i, s in enumerate(scopes)]
    lines.append(")")
    lines += [format_condition(c, indent, line_width) for c in policy.conditions]
    return "\n".join(lines) + ";"


_POLICY_N = re.compile(r"policy(0|[1-9][0-9]*)")


def source_order(policy_set: ast.PolicySet) -> list[ast.Policy]:
    """Static policies and templates in the order that re-parsing gives them their ids:
    by N when every id is `policyN` (as the parser assigns), else statics then templates."""
    everything = [*policy_set.policies, *policy_set.templates]
    matches = [_POLICY_N.fullmatch(p.id) for p in everything]
    if all(matches):
        return [p for _, p in sorted(zip((int(m.group(1)) for m in matches if m), everything),
                                     key=lambda pair: pair[0])]
    return everything


def format_policy_set(policy_set: ast.PolicySet, indent_width: int = 2,
                      line_width: int = 80) -> str:
    """A policy set as Cedar text; policies separated by blank lines, ending in a newline."""
    texts = [format_policy(p, indent_width, line_width) for p in source_order(policy_set)]
    return "\n\n".join(texts) + "\n" if texts else ""
