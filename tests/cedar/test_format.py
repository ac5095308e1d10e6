"""The formatter: parse(format(x)) == x on the corpus, on tricky handwritten inputs, on random
ASTs, and on 10,000-deep expressions; cedarpy reads the formatted text as the original."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.models.cedar import ast, strategies
from assay.models.cedar.format import (
    FormatError,
    format_expr,
    format_policy,
    format_policy_set,
    quote,
)
from assay.models.cedar.parser import parse_expression, parse_policies, parse_policy
from assay.models.cedar.values import EntityUID

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "cedar-integration-tests"


def same_tree(a: object, b: object) -> bool:
    """AST equality without recursion (dataclass `==` recurses, too deep for 10,000 levels)."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, ast.Node):
            for name in x.__dataclass_fields__:
                if name != "span":
                    stack.append((getattr(x, name), getattr(y, name)))
        elif isinstance(x, tuple):
            if len(x) != len(y):  # type: ignore[arg-type]
                return False
            stack.extend(zip(x, y))  # type: ignore[call-overload]
        elif x != y:
            return False
    return True


def roundtrip_expr(e: ast.Expr) -> None:
    text = format_expr(e)
    assert same_tree(parse_expression(text), e), text


# ------------------------------------------------------------------------------------ corpus

def corpus_texts() -> list[tuple[str, str]]:
    """(name, text) of every .cedar file in the corpus archive, read without extracting."""
    archive = CORPUS / "corpus-tests.tar.gz"
    if not archive.exists():
        pytest.fail(f"Cedar corpus missing: {archive} (expected ../shared next to the repo)")
    out = []
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.name.endswith(".cedar"):
                file = tar.extractfile(member)
                assert file is not None
                out.append((member.name, file.read().decode("utf-8")))
    assert len(out) > 7000
    return out


def test_corpus_roundtrip() -> None:
    import cedarpy
    texts = corpus_texts()
    failures = []
    for i, (name, text) in enumerate(texts):
        ps = parse_policies(text)
        out = format_policy_set(ps)
        if parse_policies(out) != ps:
            failures.append(name)
        elif i % 10 == 0:  # the real Cedar reads the formatted text as the original
            if (json.loads(cedarpy.policies_to_json_str(out))
                    != json.loads(cedarpy.policies_to_json_str(text))):
                failures.append(name + " (cedarpy)")
    assert not failures, f"{len(failures)} of {len(texts)}: {failures[:5]}"


# ------------------------------------------------------------------------------- handwritten

HANDWRITTEN = [
    '@id("a\\"b") @advice permit(principal == User::"a\\n\\u{1F600}", action in [Action::"x", '
    'NS::Action::"y"], resource is NS::Photo in Album::"x") when { true } unless { false };',
    "forbid(principal in ?principal, action == Action::\"v\", resource == ?resource);",
    "permit(principal is U in ?principal, action, resource in ?resource);",
    'permit(principal, action in Action::"g", resource is R) when { context has "a b" && '
    'context has a.b.c && context.x has "if" && !(context["if"]) };',
    "permit(principal, action, resource) when { -5 == - 5 && -(5) == --5 && - -5 == "
    "-(-(-5)) && (-5).foo == 1 && 5.foo == 2 && -9223372036854775808 < 1 && !!!!true };",
    "permit(principal, action, resource) when { (if true then 1 else 2) + 3 * -4 - "
    "(5 - 6) == (1 == 2) && ((a::\"b\" in [a::\"c\"]) in [true]) };",
    'permit(principal, action, resource) when { resource.name like "a*\\*b\\\\*\\t" && '
    'context["key with space"]["if"].x == {a: 1, "b c": [1, 2], "": {}} };',
    'permit(principal, action, resource) when { ip("1.2.3.4").isInRange(ip("1.0.0.0/8")) && '
    'decimal("1.5").lessThan(decimal("2.0")) && datetime("2024-01-01").offset('
    'duration("1d")) > datetime("2024-01-01") && [1].contains(1) && [].isEmpty() && '
    'principal.hasTag("t") && principal.getTag("t") == resource.getTag("u") && '
    "principal is User && principal is User in resource && (principal is A) == true };",
    "permit(principal, action, resource) when { if if true then false else true then "
    "if false then 1 else 2 else (if true then 3 else 4) || true && false };",
]


@pytest.mark.parametrize("text", HANDWRITTEN)
def test_handwritten_roundtrip_and_cedarpy(text: str) -> None:
    ps = parse_policies(text)
    out = format_policy_set(ps)
    assert parse_policies(out) == ps, out
    import cedarpy
    assert (json.loads(cedarpy.policies_to_json_str(out))
            == json.loads(cedarpy.policies_to_json_str(text))), out


X, Y = ast.Var("context"), ast.Var("principal")
ONE, NEG = ast.Lit(1), ast.Lit(-7)
CONSTRUCTED = [
    ast.Unary("-", ast.Lit(5)),
    ast.Unary("-", ast.Unary("-", ast.Unary("-", ast.Unary("-", ast.Lit(-5))))),
    ast.Unary("-", ast.Unary("-", ast.Unary("-", ast.Lit(-5)))),
    ast.Unary("!", NEG),
    ast.Unary("!", ast.Unary("-", X)),
    ast.Unary("-", ast.Unary("!", X)),
    ast.GetAttr(NEG, "a"),
    ast.MethodCall("contains", NEG, (NEG,)),
    ast.Binary("*", NEG, NEG),
    ast.Binary("-", ONE, NEG),
    ast.Binary("-", ONE, ast.Binary("-", ONE, ONE)),
    ast.Binary("*", ONE, ast.Binary("*", ONE, ONE)),
    ast.Binary("==", ast.Binary("==", ONE, ONE), ONE),
    ast.And(X, ast.And(X, X)),
    ast.Or(ast.And(X, X), ast.Or(X, X)),
    ast.And(ast.Or(X, X), X),
    ast.Binary("+", ast.If(X, ONE, ONE), ONE),
    ast.If(ast.If(X, X, X), ast.Or(X, X), ast.If(X, X, X)),
    ast.Has(ast.Binary("+", ONE, ONE), ("a",)),
    ast.Has(ast.Has(X, ("a",)), ("b",)),
    ast.Like(ast.Like(X, ("*",)), (ast.WILDCARD, "*", "\\", '"')),
    ast.Is(ast.Is(X, "A"), "B", ast.Is(Y, "C")),
    ast.Is(X, "A::B", ast.Binary("in", X, Y)),
    ast.GetAttr(ast.Unary("!", X), "if"),
    ast.GetAttr(ast.Binary("+", ONE, ONE), "a"),
    ast.RecordLit((("if", ONE), ("a-b", ONE), ("_ok", ONE))),
    ast.SetLit((ast.If(X, X, X), ast.SetLit(()))),
    ast.Lit("\x00\x07\x7f\u200b\u2028é\U0001F600'\"\\"),
    ast.EntityLit(EntityUID("A::B", "x\ny")),
]


@pytest.mark.parametrize("expr", CONSTRUCTED, ids=lambda e: format_expr(e))
def test_constructed_roundtrip(expr: ast.Expr) -> None:
    roundtrip_expr(expr)


def test_unprintable_has_path_is_reported() -> None:
    with pytest.raises(FormatError):
        format_expr(ast.Has(X, ("a b", "c")))
    with pytest.raises(FormatError):
        format_expr(ast.Has(X, ("a", "if")))


def test_quote_escapes() -> None:
    assert quote('a"b\\c\n') == '"a\\"b\\\\c\\n"'
    assert quote("\u200b") == '"\\u{200b}"'


def test_template_order_kept() -> None:
    text = ('permit(principal == ?principal, action, resource);\n'
            'forbid(principal, action, resource);\npermit(principal, action, resource in '
            '?resource);')
    ps = parse_policies(text)
    again = parse_policies(format_policy_set(ps))
    assert again == ps
    assert format_policy(parse_policy("permit(principal,action,resource);")) == (
        "permit (\n  principal,\n  action,\n  resource\n);")


# ------------------------------------------------------------------------------------- deep

DEPTH = 10_000


def _nest(kind: str, depth: int) -> ast.Expr:
    e: ast.Expr = ast.Lit(True) if kind not in ("add", "neg", "attr") else ast.Lit(1)
    for _ in range(depth):
        match kind:
            case "and_left":
                e = ast.And(e, ast.Lit(False))
            case "or_right":
                e = ast.Or(ast.Lit(False), e)
            case "not":
                e = ast.Unary("!", e)
            case "neg":
                e = ast.Unary("-", e)
            case "if":
                e = ast.If(e, ast.Lit(True), ast.Lit(False))
            case "set":
                e = ast.SetLit((e,))
            case "record":
                e = ast.RecordLit((("a", e),))
            case "attr":
                e = ast.GetAttr(e, "a")
            case "add":
                e = ast.Binary("+", ast.Lit(1), e)
    return e


@pytest.mark.parametrize("kind", ["and_left", "or_right", "not", "neg", "if", "set", "record",
                                  "attr", "add"])
def test_deep_expression_formats(kind: str) -> None:
    e = _nest(kind, DEPTH)
    text = format_expr(e)
    assert len(text) > DEPTH
    roundtrip_expr(e)


# ------------------------------------------------------------------------------------ random

_names = st.sampled_from(["a", "b", "if", "principal", "a b", "", "é", "x_1"])
_idents = st.sampled_from(["a", "b", "principal", "x_1", "is_", "ifx"])
_leaves = st.one_of(
    st.booleans().map(ast.Lit),
    st.integers(-(2**63), 2**63 - 1).map(ast.Lit),
    st.text(max_size=5).map(ast.Lit),
    st.sampled_from(["principal", "action", "resource", "context"]).map(ast.Var),
    st.builds(lambda t, i: ast.EntityLit(EntityUID(t, i)), st.sampled_from(["A", "N::B"]),
              st.text(max_size=3)),
)


def _extend(sub: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
    return st.one_of(
        st.builds(ast.If, sub, sub, sub),
        st.builds(ast.And, sub, sub),
        st.builds(ast.Or, sub, sub),
        st.builds(ast.Unary, st.sampled_from(["!", "-"]), sub),
        st.builds(ast.Binary, st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "+", "-",
                                               "*", "in"]), sub, sub),
        st.builds(ast.Has, sub, st.one_of(_names.map(lambda n: (n,)),
                                          st.lists(_idents, min_size=1, max_size=3).map(tuple))),
        st.builds(ast.Like, sub, st.lists(st.one_of(st.just(ast.WILDCARD),
                                                    st.sampled_from(list("a*\\\"\n"))),
                                          max_size=4).map(tuple)),
        st.builds(ast.Is, sub, st.sampled_from(["A", "N::B"]), st.none() | sub),
        st.builds(ast.GetAttr, sub, _names),
        st.builds(lambda r, a: ast.MethodCall("contains", r, (a,)), sub, sub),
        st.builds(lambda r: ast.MethodCall("isEmpty", r, ()), sub),
        st.builds(lambda r, a: ast.MethodCall("isInRange", r, (a,)), sub, sub),
        st.builds(lambda a: ast.FunctionCall("decimal", (a,)), sub),
        st.lists(sub, max_size=3).map(lambda xs: ast.SetLit(tuple(xs))),
        st.dictionaries(_names, sub, max_size=3).map(lambda d: ast.RecordLit(tuple(d.items()))),
    )


expressions = st.recursive(_leaves, _extend, max_leaves=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_random_expression_roundtrip(e: ast.Expr) -> None:
    roundtrip_expr(e)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_generated_policy_sets_roundtrip(data: st.DataObject) -> None:
    """Assay's public strategies: every generated policy and template reads back as itself
    (the text form has no ids or links, so ids are compared by position)."""
    schema = data.draw(strategies.schemas())
    ps = data.draw(strategies.policy_sets(schema, typed=data.draw(st.booleans()),
                                          templates=True))
    again = parse_policies(format_policy_set(ps))
    assert len(again.policies) == len(ps.policies)
    assert len(again.templates) == len(ps.templates)
    for mine, back in zip((*ps.policies, *ps.templates), (*again.policies, *again.templates)):
        assert same_tree((mine.effect, mine.annotations, mine.principal, mine.action,
                          mine.resource, mine.conditions),
                         (back.effect, back.annotations, back.principal, back.action,
                          back.resource, back.conditions))
