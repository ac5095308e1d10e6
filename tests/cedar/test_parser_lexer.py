"""The tokenizer (lexer.py): token texts, kinds and positions against a direct computation from
offsets, on random texts; spans and error positions of the parser built on it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.core.errors import ParseError
from assay.models.cedar.lexer import LexicalError, pattern_value, string_value, tokenize, unescape
from assay.models.cedar.parser import parse_entity_uid, parse_expression, parse_policies

_PIECES = ["permit", "in", "x_1", "0", "42", '"s"', '"a\\"b"', '"multi\nline"', "?principal",
           "?resource", "::", "==", "!=", "<=", ">=", "&&", "||", "(", ")", "[", "]", "{", "}",
           ",", ";", "@", ".", ":", "<", ">", "+", "-", "*", "!", " ", "  ", "\t", "\n",
           "\r\n", "\f", "// note\n", "// end", "/", "$", "é", '"', "?", "=", "&", "|"]
_KIND = [("id", re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")), ("int", re.compile(r"[0-9]+")),
         ("str", re.compile(r'"(\\.|[^"\\])*"', re.S)),
         ("slot", re.compile(r"\?principal|\?resource"))]


def _expected_kind(value: str) -> str:
    for kind, pattern in _KIND:
        if pattern.fullmatch(value):
            return kind
    if value in {"::", "==", "!=", "<=", ">=", "&&", "||"} or value in "()[]{},;@.:<>+-*!":
        return value
    return "err"


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_tokens_and_positions(pieces: list[str]) -> None:
    text = "".join(pieces)
    toks = tokenize(text)
    assert toks[-1][0] == "$end" and toks[-1][2] == len(text)
    previous_end = 0
    for kind, value, start, end, line, column, end_line, end_column in toks:
        assert text[start:end] == value
        gap = text[previous_end:start]  # only blank space and comments between tokens
        assert re.fullmatch(r"(?:[ \t\f\r\n]+|//[^\n]*)*", gap), (text, gap)
        previous_end = end
        if kind != "$end":
            assert kind == _expected_kind(value), value
        assert (line, column) == _line_column(text, start)
        assert (end_line, end_column) == _line_column(text, end)


def test_spans_of_multiline_strings_and_scopes() -> None:
    text = 'permit(\n  principal in Group::"g",\n  action,\n  resource\n) when {\n' \
           '  context.s == "a\nb" && true\n};'
    p = parse_policies(text).policies[0]
    scope = p.principal.span
    assert (scope.line, scope.column, scope.end_line, scope.end_column) == (2, 3, 2, 26)
    body = p.conditions[0].body
    s = body.left.right.span  # the two-line string
    assert (s.line, s.column, s.end_line, s.end_column) == (6, 16, 7, 3)
    assert (body.right.span.line, body.right.span.column) == (7, 7)


@pytest.mark.parametrize("text, where, words", [
    ('permit(principal, action, resource) when { "abc };', (1, 44), "character '\"'"),
    ("permit(principal, action, resource) when { 1 $ 2 };", (1, 46), "character '$'"),
    ("permit(principal, action, resource)\nwhen { true ", (2, 13), "end of input"),
    ("permit(principal, action, resource) when { 1 < 2 < 3 };", (1, 50), "do not chain"),
    ("permit(principal, action, resource) when { principal hasa.b };", (1, 54), "hasa"),
    ("permit(principal, action, resource) when { !!!!!true };", (1, 44), "too many"),
    ("@a @a permit(principal, action, resource);", (1, 5), "duplicate annotation"),
    ("permit(principal, action, resource) when { {a: 1, a: 2} };", (1, 51), "duplicate key"),
])
def test_error_positions_and_messages(text: str, where: tuple[int, int], words: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_policies(text, "t.cedar")
    err = info.value
    assert (err.line, err.column) == where, str(err)
    assert words in err.message
    assert err.context.splitlines()[1] == " " * (where[1] - 1) + "^"


def test_ten_thousand_deep_mixed_nesting() -> None:
    depth = 10_000
    text = "".join("(-[{a: if !" for _ in range(depth)) + "true" + \
        "".join(" then 1 else 2}]" + ")" for _ in range(depth))
    e = parse_expression(text)
    n = 0
    while e.__class__.__name__ == "Unary":
        e = e.arg.elements[0].entries[0][1].cond.arg
        n += 1
    assert n == depth


_STRING_PIECES = ["a", "é", "*", "\\", "n", "0", "'", '"', "x", "7f", "80", "4", "u", "{", "}",
                  "u{41}", "u{10FFFF}", "u{110000}", "u{D800}", "u{}", "u{1234567}", "x41", "zz"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_STRING_PIECES), max_size=10).map("".join))
def test_string_value_equals_the_escape_decoder(raw: str) -> None:
    def outcome(decode: object) -> tuple[str, str]:
        try:
            return ("ok", decode())  # type: ignore[operator]
        except LexicalError as exc:
            return ("error", exc.message)
    assert outcome(lambda: string_value(raw, None)) == outcome(
        lambda: "".join(unescape(raw, None)))  # type: ignore[arg-type]
    assert outcome(lambda: pattern_value(raw, None)) == outcome(
        lambda: tuple(unescape(raw, None, pattern=True)))


_SOURCE_PIECES = ["permit", "forbid", "(", ")", "principal", "action", "resource", ",", ";",
                  "when", "{", "}", "true", "A", "::", '"x"', "==", "in", "is", "[", "]", "@",
                  "?principal", ".", "a", "if", "then", "else", "-", "!", "1", "has", "like",
                  "&&", "||", "<", ":", '"', "$", " ", "\n"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_SOURCE_PIECES), max_size=12).map(" ".join))
def test_every_entry_point_returns_or_raises_a_parse_error(text: str) -> None:
    for parse in (parse_policies, parse_expression, parse_entity_uid):
        try:
            parse(text)
        except ParseError as exc:
            assert exc.line is not None and exc.context is not None, (text, str(exc))
