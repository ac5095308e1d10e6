"""The tokenizer of Cedar's policy language, and the decoding of its string literals.

`tokenize(text)` cuts the text with one compiled regular expression into a list of tokens

    (kind, text, start, end, line, column, end_line, end_column)

with 0-based character offsets `start`/`end` (end exclusive) and 1-based lines and columns
(`end_column` is the column just after the token), counting `\\n` as the only line break.
Kinds: "id" for identifier-shaped words (keywords included: whether `in` or `permit` is a
keyword depends on where it stands, which the parser decides), "int", "str" (quotes kept), the
punctuation itself for operators and brackets ("::", "==", "(", ...), "slot" for `?principal`
and `?resource`, "err" for a character that starts no token (an unterminated string is an "err"
at its quote), and a final "$end"; `token_chunks(text)` gives the same tokens in lists that
each end with a `;` (a policy set is read policy by policy). Whitespace (space, tab, form feed, CR, LF) and `//` comments
are skipped. Also here: the decoding of string literals and `like` patterns (`string_value`,
`pattern_value`, `unescape`) and `new_span`, the parser's fast Span constructor.

Trusts: Python's `re`. The token shapes are those of Cedar's grammar (and of the lark grammar
this replaced): IDENT [_a-zA-Z][_a-zA-Z0-9]*, INT [0-9]+, STR "(\\\\.|[^"\\\\])*".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from assay.core.errors import ParseError
from assay.models.cedar import ast
from assay.models.cedar.ast import Span

Token = tuple[str, str, int, int, int, int, int, int]

# One match per token, after the blank space and comments before it (possessive: never given
# back); the end of the text is an empty match (group 6).
_TOKEN = re.compile(
    r"(?:[ \t\f\r\n]+|//[^\n]*)*+(?:"
    r"([_a-zA-Z][_a-zA-Z0-9]*)"  # 1: identifiers and keywords
    r"|(::|==|!=|<=|>=|&&|\|\||[()\[\]{},;@.:<>+\-*!])"  # 2: punctuation
    r'|("[^"\\]*(?:\\.[^"\\]*)*")'  # 3: string literals
    r"|([0-9]+)"  # 4: integer literals
    r"|(\?principal|\?resource)"  # 5: slots
    r"|(\Z)"  # 6: the end
    r"|(.))",  # 7: a character that starts no token
    re.S,
)
_KINDS = (None, "id", None, "str", "int", "slot", "$end", "err")


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, the last one "$end" (see the module docstring)."""
    toks: list[Token] = []
    for chunk in token_chunks(text):
        toks += chunk
    return toks


def token_chunks(text: str) -> Iterator[list[Token]]:
    """The tokens of `text` in lists that end with a `;` token, the last list with "$end":
    a policy set is read policy by policy without holding all its tokens at once."""
    toks: list[Token] = []
    append = toks.append
    find = text.find
    line, line_start = 1, 0
    next_break = find("\n")  # the first line break at or after line_start, or len(text)
    if next_break < 0:
        next_break = len(text)
    for m in _TOKEN.finditer(text):
        k = m.lastindex
        start, end = m.span(k)
        if start > next_break:  # the blank space before this token crossed line breaks
            line += text.count("\n", next_break, start)
            line_start = text.rindex("\n", 0, start) + 1
            next_break = find("\n", start)
            if next_break < 0:
                next_break = len(text)
        value = m[k]
        column = start - line_start + 1
        if k == 2:
            append((value, value, start, end, line, column, line, column + end - start))
            if value == ";":
                yield toks
                toks = []
                append = toks.append
        elif k == 3 and next_break < end:  # a string with line breaks in it
            end_line = line + value.count("\n")
            line_start = start + value.rindex("\n") + 1
            append(("str", value, start, end, line, column, end_line, end - line_start + 1))
            line = end_line
            next_break = find("\n", end)
            if next_break < 0:
                next_break = len(text)
        else:
            append((_KINDS[k], value, start, end, line, column, line,  # type: ignore[arg-type]
                    column + end - start))
            if k == 6:
                break
    yield toks


_new = object.__new__
# Span has slots: its fields' member descriptors store into an instance past the frozen
# dataclass's `__setattr__`.
_set_source, _set_line, _set_column, _set_end_line, _set_end_column, _set_start, _set_end = (
    getattr(Span, f).__set__ for f in Span.__slots__)


def new_span(source: str | None, line: int, column: int, end_line: int, end_column: int,
             start: int, end: int) -> Span:
    """`Span(...)` without the frozen dataclass's `__init__` (seven `object.__setattr__` calls
    from a Python frame); equal, hashable and picklable as any Span."""
    span = _new(Span)
    _set_source(span, source)
    _set_line(span, line)
    _set_column(span, column)
    _set_end_line(span, end_line)
    _set_end_column(span, end_column)
    _set_start(span, start)
    _set_end(span, end)
    return span


def context_at(text: str, line: int, column: int) -> str:
    """The source line `line` (1-based) with a caret under `column` (1-based)."""
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    return f"{src}\n{' ' * max(column - 1, 0)}^"


class LexicalError(ParseError):
    """A malformed string literal at `span` (the parser adds the source line and caret)."""

    def __init__(self, message: str, span: Span | None) -> None:
        if span is None:
            super().__init__(message)
        else:
            super().__init__(message, source=span.source, line=span.line, column=span.column)
        self.span = span


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "0": "\0", "'": "'", '"': '"'}
_HEX = frozenset("0123456789abcdefABCDEF")


def unescape(raw: str, span: Span | None, *, pattern: bool = False) -> list[str | ast.Wildcard]:
    """Decode the body of a string literal; in a `like` pattern, `*` is a wildcard and `\\*` the
    character. Raises `LexicalError` (with `span`) on a malformed escape."""
    out: list[str | ast.Wildcard] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\":
            if i + 1 >= n:
                raise LexicalError("string ends with a lone backslash", span)
            nxt = raw[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
            elif nxt == "*" and pattern:
                out.append("*")
                i += 2
            elif nxt == "x":
                digits = raw[i + 2:i + 4]
                if len(digits) != 2 or not _HEX.issuperset(digits) or int(digits, 16) > 0x7F:
                    raise LexicalError(f"invalid escape \\x{digits} (expected two hex "
                                       "digits, at most 7f)", span)
                out.append(chr(int(digits, 16)))
                i += 4
            elif nxt == "u" and raw[i + 2:i + 3] == "{":
                close = raw.find("}", i + 3)
                digits = raw[i + 3:close] if close > 0 else ""
                if not (1 <= len(digits) <= 6) or not _HEX.issuperset(digits):
                    raise LexicalError(f"invalid unicode escape in {raw!r}", span)
                code = int(digits, 16)
                if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                    raise LexicalError(f"invalid unicode escape \\u{{{digits}}}", span)
                out.append(chr(code))
                i = close + 1
            else:
                raise LexicalError(f"invalid escape sequence \\{nxt} in a string", span)
        elif ch == "*" and pattern:
            out.append(ast.WILDCARD)
            i += 1
        else:
            out.append(ch)
            i += 1
    return out


# An escape in a string literal: \u{...}, \x.., any other character, or a lone final backslash.
_ESCAPE = re.compile(r"\\(?:u\{([^}]*)\}|x(.{0,2})|(.)|\Z)", re.S)


def string_value(raw: str, span: Span | None) -> str:
    """The value of a string literal's body (quotes removed by the caller), as `unescape`
    decodes it (same value, same first error) but with one regular-expression pass."""
    if "\\" not in raw:
        return raw

    def decode(m: re.Match[str]) -> str:
        unicode, hex2, other = m.groups()
        if other is not None:
            if other in _ESCAPES:
                return _ESCAPES[other]
            if other == "u" and raw[m.end():m.end() + 1] == "{":  # no closing brace
                raise LexicalError(f"invalid unicode escape in {raw!r}", span)
            raise LexicalError(f"invalid escape sequence \\{other} in a string", span)
        if hex2 is not None:
            if len(hex2) != 2 or not _HEX.issuperset(hex2) or int(hex2, 16) > 0x7F:
                raise LexicalError(f"invalid escape \\x{hex2} (expected two hex digits, at "
                                   "most 7f)", span)
            return chr(int(hex2, 16))
        if unicode is not None:
            if not (1 <= len(unicode) <= 6) or not _HEX.issuperset(unicode):
                raise LexicalError(f"invalid unicode escape in {raw!r}", span)
            code = int(unicode, 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise LexicalError(f"invalid unicode escape \\u{{{unicode}}}", span)
            return chr(code)
        raise LexicalError("string ends with a lone backslash", span)

    return _ESCAPE.sub(decode, raw)


# A piece of a `like` pattern: a simple escape, a wildcard, plain characters, or another escape.
_PATTERN_PIECE = re.compile(r"\\([nrt\\0'\"*])|(\*)|([^\\*]+)|(\\)", re.S)


def pattern_value(raw: str, span: Span | None) -> tuple[str | ast.Wildcard, ...]:
    """The elements of a `like` pattern's body, as `unescape(raw, span, pattern=True)` gives
    them: characters, and WILDCARD for each unescaped `*`."""
    out: list[str | ast.Wildcard] = []
    for escaped, star, plain, other in _PATTERN_PIECE.findall(raw):
        if plain:
            out += plain
        elif star:
            out.append(ast.WILDCARD)
        elif other:  # \x, \u{...} or a malformed escape: the general decoder
            return tuple(unescape(raw, span, pattern=True))
        else:
            out.append("*" if escaped == "*" else _ESCAPES[escaped])
    return tuple(out)

