"""The parser: acceptance agrees with cedarpy, errors carry positions, nesting depth and file
size are no problem, and the AST has the shapes ast.py documents."""

from __future__ import annotations

import time

import cedarpy
import pytest

from assay.core.errors import ParseError
from assay.models.cedar import ast
from assay.models.cedar.parser import (
    parse_entity_uid,
    parse_expression,
    parse_policies,
    parse_policy,
)
from assay.models.cedar.values import EntityUID

CASES = [
    'permit(principal, action, resource,);',
    'permit(principal, action, resource) when { context.if == 1 };',
    'permit(principal, action, resource) when { {if: 1} has if };',
    'permit(principal, action, resource) when { {principal: 1, true: 2}.true == 2 };',
    'permit(principal, action, resource) when { !!!!!true };',
    'permit(principal, action, resource) when { !!!!true };',
    'permit(principal, action, resource) when { -----1 == 1};',
    'permit(principal, action, resource) when { -(9223372036854775808) == 1};',
    'permit(principal, action, resource) when { -9223372036854775808 == 1};',
    'permit(principal, action, resource) when { ?principal == 1};',
    'permit(principal, action, resource) when { [].contains() };',
    'permit(principal, action, resource) when { [].isEmpty(1) };',
    'permit(principal, action, resource) when { decimal("1", "2") };',
    'permit(principal == ?resource, action, resource);',
    '@id("a") @id("b") permit(principal, action, resource);',
    'permit(principal, action, resource) when { "\\u{110000}" };',
    'permit(principal, action is Action, resource);',
    'permit(principal, action, resource) when { principal::"x" == if::"y" };',
    'permit(principal, action, resource) when { foo::"x" == bar::baz::"y" };',
    'permit(principal, action, resource) when { principal.isEmpty() };',
    'permit(principal, action, resource) when { context has a.if };',
    'permit(principal, action, resource) when { principal.foo() };',
    'permit(principal, action, resource) when { principal.decimal("1") };',
    'permit(principal, action, resource) when { lessThan(1, 2) };',
    'permit(principal, action, resource) when { foo(1) };',
    'permit(principal, action, resource) when { 1 < 2 < 3 };',
    'permit(principal, action, resource) when { 1 == 2 == 3 };',
    'permit(principal, action, resource) when { [1,2,] == [1,2] };',
    'permit(principal, action, resource) when { ip("1.2.3.4").isInRange(ip("1.0.0.0/8"),) };',
    'permit(principal, action in [Action::"a",], resource);',
    'permit(principal, action, resource) when { true } when { true };',
    'permit(principal, action, resource) when {};',
    'permit(principal in [User::"a"], action, resource);',
    'permit(principal is User in Group::"g", action, resource is File);',
    'permit(principal, action, resource) when { principal is User in Group::"g" };',
    'permit(principal, action, resource) when { 1 is User };',
    'permit(principal, action, resource) when { "a\\*b" like "a\\*b" };',
    'permit(principal, action, resource) when { "ab" like "a\\b" };',
    'permit(principal, action, resource) when { context["a b"] == 1 };',
    'permit(principal, action, resource) when { context has "a b" };',
    'permit(principal, action, resource) when { context.a.b["c"].contains(1) };',
    'forbid(principal, action, resource) unless { false };',
    'permit(principal, action, resource) when { 0123 == 123 };',
    'permit(principal, action, resource) when { __cedar::decimal("1.0") == decimal("1.0") };',
    'permit(principal, action, resource) when { __cedar::"x" == 1 };',
    '@a @b("x") permit(principal, action, resource);',
    '@if("x") permit(principal, action, resource);',
    'permit(principal, action, resource) when { principal in ?resource };',
    'permit(principal, action == Action::"a", resource in ?resource) when { true };',
    'permit(principal, action, resource) // comment\n;',
    'permit(principal, action, resource) when { if true then 1 else 2 == 1 };',
    'permit(principal, action, resource) when { !true == false };',
    'permit(principal, action, resource) when { -1 .isEmpty() };',
    'permit(principal, action, resource) when { [1].contains(1) has a };',
    'permit(principal, action, resource) when { 1 has a.b.c };',
    'permit(principal, action, resource) when { context has "a".b };',
    'permit(principal, action, resource) when { context has a["b"] };',
    'permit(principal, action, resource) when { context like "x" like "y" };',
    'permit(principal, action, resource) when { principal in principal in principal };',
    'permit(principal, action, resource) when { "\\x41" == "A" };',
    'permit(principal, action, resource) when { "\\u{41}" == "A" };',
    'permit(principal, action, resource) when { "\\u0041" == "A" };',
    'permit(principal, action, resource) when { 1 * 2 * 3 == 6 };',
    'permit(principal, action, resource) when { 1 + -2 == -1 };',
    'permit(principal, action, resource) when { 2 * -x };',
    'permit(principal, action, resource) when { x };',
    'permit(principal, action, resource) when { Action };',
    'permit(principal, action, resource) when { true && false || true };',
    'permit(principal, action, resource) when { if true then true else false && true };',
    'permit(principal, action, resource) when { !if true then true else false };',
    'permit(principal, action, resource) when { -if true then 1 else 2 };',
    'permit(principal, action, resource) when { 5 - 3 - 1 == 1 };',
    'permit(principal, action, resource) when { principal is User::Admin };',
    'permit(principal, action, resource) when { principal is __cedar::X };',
    'permit(principal, action, resource) when { principal is if };',
    'permit(principal == User::"a", action == Action::"b", resource == R::"c",);',
    '@id("x")\n@advice\npermit(principal == ?principal, action, resource in ?resource);',
    'permit(principal, action, resource) when { "\\x7f" == "\\u{7f}" };',
    'permit(principal, action, resource) when { "\\x80" == "" };',
    'permit(principal, action, resource) when { 9223372036854775808 == 1 };',
    'permit(principal, action, resource) when { {a: 1, a: 2} == {} };',
    'permit(principal, action, resource) when { {a: 1, "a": 2} == {} };',
    'permit(principal, action, resource) when { context has principal.action };',
    'permit(principal, action, resource) when { context.permit.when == 1 };',
    'permit(principal, action, resource);\nforbid(principal, action, resource)',
    'permit(action, principal, resource);',
    'allow(principal, action, resource);',
    # action scope entities must be of type Action or NS::Action (==, in, in [...])
    'permit(principal, action == User::"x", resource);',
    'permit(principal, action in User::"x", resource);',
    'permit(principal, action in [User::"x"], resource);',
    'permit(principal, action in [Action::"a", User::"x"], resource);',
    'permit(principal, action in [], resource);',
    'permit(principal, action == NS::Action::"x", resource);',
    'permit(principal, action == A::B::Action::"x", resource);',
    'permit(principal, action in [NS::Action::"x", Action::"y"], resource);',
    'permit(principal, action == Actions::"x", resource);',
    'permit(principal, action in MyAction::"x", resource);',
    'permit(principal, action == Action::Foo::"x", resource);',
    'permit(principal == Action::"x", action, resource in Action::"y");',
    # integer literals out of range, however many digits
    'permit(principal, action, resource) when { -9223372036854775809 == 1 };',
    'permit(principal, action, resource) when { -92233720368547758080 == 1 };',
    'permit(principal, action, resource) when { -' + '1' * 5000 + ' == 1 };',
    'permit(principal, action, resource) when { ' + '1' * 5000 + ' == 1 };',
    'permit(principal, action, resource) when { ' + '0' * 5000 + '7 == 7 };',
    # a keyword glued to the next word is one identifier (lark's contextual lexer split these)
    'permit(principal, action, resource) when { principal hasa.b };',
    'permit(principal inGroup::"a", action, resource);',
    'permit(principal isUser, action, resource);',
    'permit(principal, actionin [Action::"a"], resource);',
    'permit(principal, action, resource) when { principal inprincipal };',
    'permit(principal, action, resource) when { context.a like"x" };',
    'permitx(principal, action, resource);',
    'permit(principal, action, resource)when{true};',
    # strings, comments and line breaks
    'permit(principal, action, resource) when { "a\nb" == "a\
b" };',
    'permit(principal, action, resource) when { "a\nb" == "a\
b };',
    'permit(principal, action, resource) when { "\\" == "\" };',
    '// c\npermit(principal, action, resource) // c\n;// c',
    'permit(principal, action, resource) when { 1 / 2 };',
    'permit(principal, action, resource) when { 1 $ 2 };',
    'permit(principal, action, resource) when { ?principal };',
    'permit(principal == ?principal, action, resource is User in ?resource);',
    'permit(principal is User in ?resource, action, resource);',
    'permit(principal, action, resource) when { {"a": 1, b: 2,} == {} };',
    'permit(principal, action, resource) when { {,} == {} };',
    'permit(principal, action, resource) when { [,] == [] };',
    'permit(principal, action, resource) when { ip("1.2.3.4",) == ip("1.2.3.4") };',
    'permit(principal, action, resource) when { context has a. };',
    'permit(principal, action, resource) when { context has a.b.c.d };',
    'permit(principal, action, resource) when { x is A::B::C in y };',
    'permit(principal, action, resource) when { principal is A::"b" };',
    'permit(principal, action, resource) when { if true then 1 else 2 + 3 };',
    'permit(principal, action, resource) when { 1 + if true then 1 else 2 };',
    'permit(principal, action, resource) when { !-1 };',
    'permit(principal, action, resource) when { -!1 };',
    'permit(principal, action, resource) when { - - 1 == 1 };',
    'permit(principal, action, resource) when { a::b };',
    'permit(principal, action, resource) when { true has a has b };',
    'permit(principal, action, resource) when { true has a && 1 < 2 || 3 in 4 };',
    'permit(principal, action, resource) when { 1 < 2 has a };',
    'permit(principal, action, resource) when { 1 + 2 like "x" };',
]


def _cedarpy_accepts(text: str) -> bool:
    try:
        cedarpy.policies_to_json_str(text)
    except Exception:  # noqa: BLE001 - any cedarpy failure here is a parse failure
        return False
    return True


@pytest.mark.parametrize("text", CASES)
def test_acceptance_agrees_with_cedarpy(text: str) -> None:
    try:
        parse_policies(text)
        ours = True
    except ParseError:
        ours = False
    assert ours == _cedarpy_accepts(text)


def test_error_has_position_caret_and_expectation() -> None:
    text = 'permit(principal, action, resource)\nwhen { principal.age > };'
    with pytest.raises(ParseError) as info:
        parse_policies(text, source="p.cedar")
    err = info.value
    assert (err.source, err.line, err.column) == ("p.cedar", 2, 24)
    assert "expected" in err.message
    assert str(err).startswith("p.cedar:2:24: unexpected")
    assert err.context.splitlines() == ["when { principal.age > };", " " * 23 + "^"]


def test_semantic_error_position() -> None:
    with pytest.raises(ParseError) as info:
        parse_policies('permit(principal, action, resource)\n  when { foo.bar };', source="f")
    assert (info.value.line, info.value.column) == (2, 10)
    assert "`foo` is not a variable" in info.value.message


def test_end_of_input() -> None:
    with pytest.raises(ParseError) as info:
        parse_policies("permit(principal,")
    assert "end of input" in info.value.message and info.value.line == 1


def test_ast_shapes() -> None:
    ps = parse_policies(
        '@id("a") @flag\npermit(principal is User in Group::"g", action in [Action::"r",'
        ' Action::"w"], resource == ?resource)\nwhen { context has a.b && -5 < 2 }'
        ' unless { "x*y" like "x\\**" };\nforbid(principal, action, resource);')
    assert [p.id for p in ps.templates] == ["policy0"]
    assert [p.id for p in ps.policies] == ["policy1"]
    t = ps.templates[0]
    assert t.annotations == (ast.Annotation("id", "a"), ast.Annotation("flag", None))
    assert t.principal == ast.Scope("principal", "is in", EntityUID("Group", "g"), "User")
    assert t.action.entities == (EntityUID("Action", "r"), EntityUID("Action", "w"))
    assert t.resource == ast.Scope("resource", "==", ast.Slot("?resource"))
    when, unless = t.conditions
    assert when.body == ast.And(ast.Has(ast.Var("context"), ("a", "b")),
                                ast.Binary("<", ast.Lit(-5), ast.Lit(2)))
    assert unless.body == ast.Like(ast.Lit("x*y"), ("x", "*", ast.WILDCARD))
    assert t.span is not None and t.span.line == 1 and when.span.line == 3


def test_negation_folding_as_cedar() -> None:
    assert parse_expression("-9223372036854775808") == ast.Lit(-(2**63))
    assert parse_expression("--1") == ast.Unary("-", ast.Lit(-1))
    assert parse_expression("-(1)") == ast.Unary("-", ast.Lit(1))


def test_entity_uid_and_single_policy() -> None:
    assert parse_entity_uid('A::B::"x\\"y"') == EntityUID("A::B", 'x"y')
    assert parse_policy("forbid(principal, action, resource);", id="p").id == "p"
    with pytest.raises(ParseError):
        parse_policy("permit(principal, action, resource); permit(principal, action, resource);")


def _generated(size: int) -> str:
    parts, n, i = [], 0, 0
    while n < size:
        p = (f'@id("p{i}")\npermit (\n  principal in Group::"g{i % 977}",\n'
             f'  action in [Action::"read", Action::"list"],\n  resource is Doc in Folder::"f{i}"\n)'
             f'\nwhen {{ context.ip.isInRange(ip("10.{i % 256}.0.0/16")) && principal.level >= '
             f'{i % 10} }}\nunless {{ resource.tags.containsAny(["secret", "x{i}"]) || '
             f'context has blocked }};\n')
        parts.append(p)
        n, i = n + len(p), i + 1
    return "".join(parts)


def test_large_file_parses() -> None:
    text = _generated(200_000)
    ps = parse_policies(text)
    assert len(ps.policies) == text.count("permit (")


@pytest.mark.slow
def test_ten_megabyte_file_parses() -> None:
    text = _generated(10_000_000)
    start = time.perf_counter()
    ps = parse_policies(text)
    assert len(ps.policies) == text.count("permit (")
    print(f"10 MB parsed in {time.perf_counter() - start:.1f} s")


def test_deep_nesting_parses_without_recursion_error() -> None:
    depth = 10_000
    e = parse_expression("(" * depth + "principal" + ")" * depth)
    assert e == ast.Var("principal")
    e = parse_expression(" || ".join(["true"] * depth))
    n = 0
    while isinstance(e, ast.Or):
        e, n = e.left, n + 1
    assert n == depth - 1
    text = "permit(principal, action, resource) when { " + "[" * depth + "]" * depth + " };"
    assert len(parse_policies(text).policies) == 1


def test_huge_integer_literal_is_a_parse_error_with_position() -> None:
    with pytest.raises(ParseError) as info:
        parse_expression("1" * 5000, "<e>")
    err = info.value
    assert (err.line, err.column) == (1, 1) and "out of range" in str(err)
    with pytest.raises(ParseError) as info:
        parse_expression("2 + -" + "9" * 4400)
    assert info.value.column == 6
    assert parse_expression("0" * 5000 + "12") == ast.Lit(12)


def test_action_scope_type_error_points_at_the_entity() -> None:
    text = 'permit(principal, action in [Action::"a", Photo::"x"], resource);'
    with pytest.raises(ParseError) as info:
        parse_policies(text)
    assert info.value.column == text.index("Photo") + 1 and "Action" in str(info.value)
