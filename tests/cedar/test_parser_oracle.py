"""The hand-written parser against the lark parser it replaced (tests/cedar/lark_oracle.py, kept
as the oracle) and against cedarpy.

- every corpus policy file: the same AST, node by node, spans included (scope constraints: same
  start; the lark parser's scope spans stopped at the variable, see ast_compare.py);
- random policy sets from Assay's strategies, formatted: the same AST and spans;
- mutated corpus policies (a token deleted, inserted, replaced or glued to its neighbour): both
  parsers accept the same texts, with the same ASTs; where they do not, cedarpy decides, and the
  new parser must agree with it. Every rejection is a ParseError with a position.
"""

from __future__ import annotations

import random
from pathlib import Path

import cedarpy
import pytest
from ast_compare import first_difference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark_oracle import parse_expression as lark_parse_expression
from lark_oracle import parse_policies as lark_parse_policies

from assay.core.errors import ParseError
from assay.models.cedar import strategies
from assay.models.cedar.conformance import discover
from assay.models.cedar.format import format_policy_set
from assay.models.cedar.lexer import tokenize
from assay.models.cedar.parser import parse_expression, parse_policies

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "cedar-integration-tests"


def _policy_files() -> list[Path]:
    if not (CORPUS / "corpus-tests.tar.gz").exists():
        pytest.fail(f"the Cedar corpus is missing: expected {CORPUS.resolve()} "
                    "with corpus-tests.tar.gz (see DESIGN.md, read-only inputs)")
    tests = list(discover(CORPUS))
    cache = next(t.parent for t, _ in tests if t.parent.name == "corpus-tests")
    return sorted({*cache.glob("*.cedar"), *CORPUS.rglob("*.cedar")})


@pytest.fixture(scope="module")
def corpus_texts() -> list[tuple[str, str]]:
    files = _policy_files()
    assert len(files) >= 7809
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


def _outcome(parse: object, text: str) -> object:
    try:
        return parse(text, "p.cedar")  # type: ignore[operator]
    except ParseError as exc:
        assert exc.line is not None and exc.column is not None and exc.context, str(exc)
        return exc


def _cedarpy_accepts(text: str) -> bool:
    try:
        cedarpy.policies_to_json_str(text)
    except Exception:  # noqa: BLE001 - any cedarpy failure here is a parse failure
        return False
    return True


@pytest.mark.parametrize("shard", range(2))
def test_corpus_same_ast_and_spans(shard: int, corpus_texts: list[tuple[str, str]]) -> None:
    differ = []
    for name, text in corpus_texts[shard::2]:
        new = parse_policies(text, name)
        old = lark_parse_policies(text, name)
        where = first_difference(old, new, scope_span_start_only=True)
        if where:
            differ.append((name, where))
    assert differ == []


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_generated_policy_sets_same_ast_and_spans(data: st.DataObject) -> None:
    schema = data.draw(strategies.schemas())
    ps = data.draw(strategies.policy_sets(schema, typed=data.draw(st.booleans()),
                                          templates=True))
    text = format_policy_set(ps)
    assert first_difference(lark_parse_policies(text), parse_policies(text),
                            scope_span_start_only=True) is None


_VOCABULARY = (
    "permit", "forbid", "when", "unless", "principal", "action", "resource", "context", "if",
    "then", "else", "true", "false", "in", "is", "has", "like", "User", "Action", "decimal",
    "ip", "contains", "isEmpty", "__cedar", "?principal", "?resource", "0", "9223372036854775808",
    '"a"', '"*"', '"\\u{41}"', "(", ")", "[", "]", "{", "}", ",", ";", "@", ".", ":", "::",
    "==", "!=", "<", "<=", ">", ">=", "&&", "||", "+", "-", "*", "!", "=", "&", "|", "$", '"',
)


def mutate(text: str, rng: random.Random) -> str:
    """Delete, insert, replace or glue one token of `text` (seeded)."""
    toks = tokenize(text)[:-1]
    if not toks:
        return rng.choice(_VOCABULARY)
    tok = rng.choice(toks)
    start, end = tok[2], tok[3]
    how = rng.randrange(5)
    if how == 0:
        return text[:start] + text[end:]
    if how == 1:
        return text[:start] + rng.choice(_VOCABULARY) + " " + text[start:]
    if how == 2:
        return text[:start] + rng.choice(_VOCABULARY) + text[end:]
    if how == 3:  # glue: insert a word with no space before the token
        return text[:start] + rng.choice(_VOCABULARY) + text[start:]
    # remove the whitespace after the token, gluing it to the next one
    rest = text[end:]
    return text[:end] + rest.lstrip(" \t\r\n")


def test_mutated_corpus_policies_accept_the_same_texts(
        corpus_texts: list[tuple[str, str]]) -> None:
    rng = random.Random(20261126)
    count, accepted, both_rejected, disagreements = 3000, 0, 0, []
    for _ in range(count):
        _, text = rng.choice(corpus_texts)
        text = mutate(text, rng)
        new = _outcome(parse_policies, text)
        old = _outcome(lark_parse_policies, text)
        if isinstance(new, ParseError) and isinstance(old, ParseError):
            both_rejected += 1
        elif not isinstance(new, ParseError) and not isinstance(old, ParseError):
            accepted += 1
            assert first_difference(old, new, scope_span_start_only=True) is None, text
        else:
            disagreements.append(text)
    # Where the lark parser and the new one disagree, Cedar decides.
    wrong = [t for t in disagreements if _cedarpy_accepts(t) == isinstance(
        _outcome(parse_policies, t), ParseError)]
    assert wrong == []
    assert accepted > 300 and both_rejected > 1000
    assert len(disagreements) < count // 100, disagreements[:5]


def test_mutated_expressions_accept_the_same_texts() -> None:
    rng = random.Random(7)
    seeds = ['context.ip.isInRange(ip("10.0.0.0/16")) && principal.level >= -5',
             'if principal has a.b then [1, -2, {"x": resource}] else !context["k"] like "a*"',
             'principal is User in Group::"g" || (1 + 2) * -3 < 4 && !(action == Action::"a")',
             'decimal("1.0").lessThan(decimal("2.0")) || [].containsAll([1,]) && {a: 1,}.a == 1']
    disagreements = []
    for _ in range(1500):
        text = mutate(rng.choice(seeds), rng)
        new = _outcome(parse_expression, text)
        old = _outcome(lark_parse_expression, text)
        if isinstance(new, ParseError) != isinstance(old, ParseError):
            disagreements.append(text)
        elif not isinstance(new, ParseError):
            assert first_difference(old, new) is None, text
    # e.g. `principal hasa.b`: lark's contextual lexer read `has a`; Cedar and the new parser
    # read one identifier `hasa` and reject the text.
    for text in disagreements:
        policy = f"permit(principal, action, resource) when {{ {text} }};"
        assert _cedarpy_accepts(policy) == (not isinstance(_outcome(parse_expression, text),
                                                          ParseError)), text
    assert len(disagreements) < 15
