"""AST equality and hashing: structural (spans ignored), and safe on ASTs 10,000+ deep."""

from __future__ import annotations

from assay.models.cedar import ast
from assay.models.cedar.parser import parse_expression, parse_policies

DEEP = 10_000


def _chain(n: int, last: str = "1") -> str:
    return "1" + " + 1" * (n - 1) + f" + {last}"


def test_deep_equality_and_hash_without_recursion_error() -> None:
    a, b = parse_expression(_chain(DEEP)), parse_expression(_chain(DEEP))
    assert a is not b and a == b and not (a != b)
    assert hash(a) == hash(b)
    c = parse_expression(_chain(DEEP, "2"))
    assert a != c and not (a == c)
    nested = "(" * 5000 + "[" * 3000 + "true" + "]" * 3000 + ")" * 5000
    assert parse_expression(nested) == parse_expression(nested)
    assert len({a, b, c}) == 2


def test_equality_is_structural_and_ignores_spans() -> None:
    text = 'permit(principal, action, resource) when { context.a like "x*" && [1, {k: -2}] };'
    spaced = text.replace(" && ", "\n\n   &&\n  ")
    p, q = parse_policies(text), parse_policies(spaced)
    assert p.policies[0].span != q.policies[0].span and p == q and hash(p) == hash(q)
    assert ast.Lit(True) != ast.Lit(1) and ast.Lit(1) == ast.Lit(1)
    assert ast.Is(ast.Var("principal"), "User") != ast.Is(ast.Var("principal"), "User",
                                                         ast.Var("resource"))
    assert ast.Var("principal") != "principal" and ast.Lit(1) != 1
    assert ast.same((ast.Lit(1), ast.Var("context")), (ast.Lit(1), ast.Var("context")))
    assert not ast.same(ast.Like(ast.Var("context"), ("*",)),
                        ast.Like(ast.Var("context"), (ast.WILDCARD,)))
