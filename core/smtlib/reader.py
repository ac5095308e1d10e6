"""The SMT-LIB 2.6 lexer and S-expression reader.

Turns text into S-expressions: `Atom`s (symbols, keywords, numerals, decimals, binaries,
hexadecimals, strings) and `SList`s, each remembering its offset in the source so that every
later error can show `file:line:column` and the offending line with a caret. Reading is
iterative (an explicit stack of open lists), so a term nested 100,000 deep reads like a flat
one. Trusts nothing; everything it rejects raises `ParseError`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from enum import Enum

from assay.core.errors import ParseError


class Kind(Enum):
    SYMBOL = "symbol"
    KEYWORD = "keyword"
    NUMERAL = "numeral"
    DECIMAL = "decimal"
    BINARY = "binary"
    HEXADECIMAL = "hexadecimal"
    STRING = "string"


class Atom:
    """A token. `value` is the symbol name (unquoted), the keyword with its colon, the integer
    of a numeral, the digits of a #b/#x literal, or the decoded text of a string literal."""

    __slots__ = ("kind", "value", "offset", "end")

    def __init__(self, kind: Kind, value: object, offset: int, end: int) -> None:
        self.kind, self.value, self.offset, self.end = kind, value, offset, end

    def is_symbol(self, name: str | None = None) -> bool:
        return self.kind is Kind.SYMBOL and (name is None or self.value == name)

    def __repr__(self) -> str:
        return f"Atom({self.kind.value}, {self.value!r})"


class SList(list):
    """A parenthesised list of S-expressions, with the offsets of its parentheses."""

    __slots__ = ("offset", "end")

    def __init__(self, offset: int) -> None:
        super().__init__()
        self.offset = offset
        self.end = offset


SExpr = Atom | SList

_TOKEN = re.compile(r"""
  (?P<ws>(?:[ \t\r\n\f\v]+|;[^\n]*)+)
| (?P<lp>\()
| (?P<rp>\))
| (?P<str>"(?:[^"]|"")*")
| (?P<qsym>\|[^|\\]*\|)
| (?P<bin>\#b[01]+)
| (?P<hex>\#x[0-9a-fA-F]+)
| (?P<dec>[0-9]+\.[0-9]+)
| (?P<num>[0-9]+)
| (?P<kw>:[A-Za-z0-9~!@$%^&*_+=<>.?/\-]+)
| (?P<sym>[A-Za-z~!@$%^&*_+=<>.?/\-][A-Za-z0-9~!@$%^&*_+=<>.?/\-]*)
""", re.VERBOSE)

_UNICODE_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,5})\}|\\u([0-9a-fA-F]{4})")


def decode_string(raw: str) -> str:
    """The characters a string literal denotes: `""` is a quote, and `\\u{d..}`/`\\udddd` are
    Unicode escapes (code points up to 0x2FFFF, as the SMT-LIB string theory defines)."""
    text = raw[1:-1].replace('""', '"')
    if "\\u" not in text:
        return text

    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x2FFFF else m.group(0)

    return _UNICODE_ESCAPE.sub(char, text)


class Source:
    """A text with a name, turning offsets into `ParseError`s with line, column and context."""

    def __init__(self, text: str, name: str = "<input>") -> None:
        self.text = text
        self.name = name
        self._starts: list[int] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of `offset`."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1

    def error(self, offset: int, message: str) -> ParseError:
        line, col = self.position(offset)
        start = self._starts[line - 1] if self._starts else 0
        stop = self.text.find("\n", start)
        text = self.text[start:stop if stop >= 0 else len(self.text)]
        shown = text.expandtabs(1)
        if len(shown) > 160:  # keep long lines readable around the column
            lo = max(0, col - 80)
            shown, col_shown = shown[lo:lo + 160], col - lo
        else:
            col_shown = col
        context = f"  {shown}\n  {' ' * (col_shown - 1)}^"
        return ParseError(message, source=self.name, line=line, column=col, context=context)

    def snippet(self, sx: SExpr) -> str:
        """The source text of an S-expression."""
        return self.text[sx.offset:sx.end]


def read(source: Source) -> Iterator[SExpr]:
    """The top-level S-expressions of `source`, one at a time, in order."""
    text = source.text
    n = len(text)
    pos = 0
    stack: list[SList] = []
    match = _TOKEN.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            raise source.error(pos, _bad_char(text, pos))
        kind = m.lastgroup
        end = m.end()
        if kind == "ws":
            pos = end
            continue
        if kind == "lp":
            stack.append(SList(pos))
            pos = end
            continue
        if kind == "rp":
            if not stack:
                raise source.error(pos, "unexpected ')' with no matching '('")
            done = stack.pop()
            done.end = end
            pos = end
            if stack:
                stack[-1].append(done)
            else:
                yield done
            continue
        atom = _atom(kind or "", m.group(), pos, end)
        pos = end
        if stack:
            stack[-1].append(atom)
        else:
            yield atom
    if stack:
        raise source.error(stack[-1].offset,
                           f"this '(' is never closed ({len(stack)} open at end of input)")


def _atom(kind: str, text: str, start: int, end: int) -> Atom:
    if kind == "sym":
        return Atom(Kind.SYMBOL, text, start, end)
    if kind == "qsym":
        return Atom(Kind.SYMBOL, text[1:-1], start, end)
    if kind == "num":
        return Atom(Kind.NUMERAL, int(text), start, end)
    if kind == "kw":
        return Atom(Kind.KEYWORD, text, start, end)
    if kind == "bin":
        return Atom(Kind.BINARY, text[2:], start, end)
    if kind == "hex":
        return Atom(Kind.HEXADECIMAL, text[2:], start, end)
    if kind == "dec":
        return Atom(Kind.DECIMAL, text, start, end)
    return Atom(Kind.STRING, decode_string(text), start, end)


def _bad_char(text: str, pos: int) -> str:
    ch = text[pos]
    if ch == '"':
        return "unterminated string literal"
    if ch == "|":
        rest = text[pos + 1:]
        if "\\" in rest.split("|", 1)[0] or "|" not in rest:
            return "unterminated quoted symbol (|...| may not contain '\\')"
    if ch == "#":
        return "malformed #b/#x literal: expected #b followed by 0/1 or #x followed by hex digits"
    return f"unexpected character {ch!r}"
