"""Assembler expressions (GNU `as` syntax) evaluated to linear combinations of symbols.

A value is `const + sum(coeff * symbol)`: labels are kept symbolic until layout, so that the
assembler can decide whether an expression is a constant (`.Lend - .Lstart`), an absolute
address needing a relocation (`.quad table`), or a PC-relative value (`.word table - .`).
Parsing uses an explicit operator stack (shunting-yard), never recursion.

Trusts nothing; malformed text raises `ParseError` via the caller's `fail` callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assay.core.errors import AssayError


class ExprError(AssayError):
    """An expression that is malformed or not representable (e.g. a product of two labels)."""


@dataclass(frozen=True)
class Linear:
    const: int = 0
    terms: tuple[tuple[str, int], ...] = field(default=())

    @staticmethod
    def of(const: int = 0, terms: dict[str, int] | None = None) -> Linear:
        items = tuple(sorted((k, v) for k, v in (terms or {}).items() if v))
        return Linear(const, items)

    @property
    def is_const(self) -> bool:
        return not self.terms

    def term_dict(self) -> dict[str, int]:
        return dict(self.terms)

    def add(self, other: Linear, sign: int = 1) -> Linear:
        terms = self.term_dict()
        for name, coeff in other.terms:
            terms[name] = terms.get(name, 0) + sign * coeff
        return Linear.of(self.const + sign * other.const, terms)

    def scale(self, k: int) -> Linear:
        return Linear.of(self.const * k, {n: c * k for n, c in self.terms})


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<num>0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+(?![fb]\b)|'(?:\\.|[^'\\])'?)
    | (?P<local>[0-9]+[fb])\b
    | (?P<sym>[A-Za-z_.$][\w.$@]*)
    | (?P<op><<|>>|&&|\|\||==|!=|<=|>=|[-+*/%&|^~!()<>])
    )""", re.VERBOSE)

_BINARY = {  # precedence as in GNU as (higher binds tighter)
    "*": 5, "/": 5, "%": 5, "<<": 5, ">>": 5,
    "|": 4, "^": 4, "&": 4, "!": 4,
    "+": 3, "-": 3, "==": 2, "!=": 2, "<": 2, ">": 2, "<=": 2, ">=": 2,
    "&&": 1, "||": 0,
}


def _number(text: str) -> int:
    if text.startswith("'"):
        body = text[1:].rstrip("'")
        if body.startswith("\\"):
            escapes = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39}
            return escapes.get(body[1:2], ord(body[1:2] or "\\"))
        return ord(body)
    lowered = text.lower()
    if lowered.startswith("0x"):
        return int(text, 16)
    if lowered.startswith("0b"):
        return int(text[2:], 2)
    if len(text) > 1 and text.startswith("0"):
        return int(text, 8)
    return int(text)


def _binary(op: str, a: Linear, b: Linear) -> Linear:
    if op == "+":
        return a.add(b)
    if op == "-":
        return a.add(b, -1)
    if op == "*" and (a.is_const or b.is_const):
        return b.scale(a.const) if a.is_const else a.scale(b.const)
    if not (a.is_const and b.is_const):
        raise ExprError(f"operator {op!r} needs constant operands, not symbols")
    x, y = a.const, b.const
    if op in ("/", "%") and y == 0:
        raise ExprError("division by zero in expression")
    table: dict[str, Callable[[int, int], int]] = {
        "*": lambda p, q: p * q,
        "/": lambda p, q: int(p / q),
        "%": lambda p, q: p - q * int(p / q),
        "<<": lambda p, q: p << q, ">>": lambda p, q: p >> q,
        "&": lambda p, q: p & q, "|": lambda p, q: p | q, "^": lambda p, q: p ^ q,
        "!": lambda p, q: p | ~q,
        "==": lambda p, q: -int(p == q), "!=": lambda p, q: -int(p != q),
        "<": lambda p, q: -int(p < q), ">": lambda p, q: -int(p > q),
        "<=": lambda p, q: -int(p <= q), ">=": lambda p, q: -int(p >= q),
        "&&": lambda p, q: int(bool(p) and bool(q)), "||": lambda p, q: int(bool(p) or bool(q)),
    }
    return Linear(table[op](x, y))


def _unary(op: str, a: Linear) -> Linear:
    if op == "+":
        return a
    if op == "-":
        return a.scale(-1)
    if not a.is_const:
        raise ExprError(f"operator {op!r} needs a constant operand")
    return Linear(~a.const if op == "~" else int(not a.const))


def evaluate(text: str, resolve: Callable[[str], Linear]) -> Linear:
    """Evaluate `text`; `resolve` maps a symbol name (or `.`, or `1f`) to its value."""
    pos, values, ops = 0, [], []  # type: ignore[var-annotated]
    expect_operand = True

    def reduce() -> None:
        op = ops.pop()
        if len(values) < (1 if op.startswith("u") else 2):
            raise ExprError(f"operator {op.lstrip('u')!r} is missing an operand in {text!r}")
        if op.startswith("u"):
            values.append(_unary(op[1:], values.pop()))
        else:
            b, a = values.pop(), values.pop()
            values.append(_binary(op, a, b))

    text = text.strip()
    if not text:
        raise ExprError("missing expression")
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise ExprError(f"unexpected {text[pos:].strip()[:20]!r} in expression {text!r}")
        pos = m.end()
        if m.group("num") is not None or m.group("local") or m.group("sym"):
            if not expect_operand:
                raise ExprError(f"missing operator in expression {text!r}")
            if m.group("num") is not None:
                values.append(Linear(_number(m.group("num"))))
            else:
                values.append(resolve(m.group("local") or m.group("sym")))
            expect_operand = False
            continue
        op = m.group("op")
        if op == "(":
            if not expect_operand:
                raise ExprError(f"unexpected '(' in expression {text!r}")
            ops.append("(")
        elif op == ")":
            if expect_operand:
                raise ExprError(f"unexpected ')' in expression {text!r}")
            while ops and ops[-1] != "(":
                reduce()
            if not ops:
                raise ExprError(f"unbalanced ')' in expression {text!r}")
            ops.pop()
            expect_operand = False
        elif expect_operand:
            if op not in ("-", "+", "~", "!"):
                raise ExprError(f"unexpected operator {op!r} in expression {text!r}")
            ops.append("u" + op)
        else:
            prec = _BINARY.get(op)
            if prec is None:
                raise ExprError(f"unexpected operator {op!r} in expression {text!r}")
            while ops and ops[-1] != "(" and (ops[-1].startswith("u")
                                              or _BINARY[ops[-1]] >= prec):
                reduce()
            ops.append(op)
            expect_operand = True
    if expect_operand:
        raise ExprError(f"expression {text!r} ends with an operator")
    while ops:
        if ops[-1] == "(":
            raise ExprError(f"unbalanced '(' in expression {text!r}")
        reduce()
    if len(values) != 1:
        raise ExprError(f"malformed expression {text!r}")
    return values[0]
