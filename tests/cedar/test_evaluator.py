"""The evaluator against cedarpy: every operator, method and extension function, on values and
on errors, plus deep expressions (the walk is iterative)."""

from __future__ import annotations

import pytest
from cedar_oracle import ENTITIES, REQUEST, assay_response, cedarpy_response

from assay.models.cedar import (
    Entities,
    EntityUID,
    ErrorKind,
    EvalError,
    Request,
    evaluate,
    parse_expression,
    request_from_json,
)

EXPRESSIONS = [
    # literals, variables, equality (Cedar: true != 1)
    "true", "false", "1 == 1", "true == 1", '"a" == "a"', "[1, true] == [true, 1]",
    "[1, 1] == [1]", '{a: 1} == {"a": 1}', "{a: true} == {a: 1}", "[] == {}",
    'principal == User::"alice"', 'action != Action::"write"', "context == context",
    "principal == principal.dept", 'User::"x" == User::"x"',
    # if, &&, || with short-circuit and type errors
    "if context.flag then true else 1", "if 1 then true else true", "false && 1", "true && 1",
    "true || 1", "false || 1", "context.flag && context.n > 4", "1 && true", "!context.flag",
    "!1", "if context.n > 1 then context.missing else false",
    # arithmetic and comparison
    "context.n + 1 == 6", "context.n - 10 == -5", "context.n * 3 == 15", "-context.n < 0",
    "9223372036854775807 + 1 == 0", "-9223372036854775808 - 1 == 0",
    "9223372036854775807 * 2 == 0", "-(-9223372036854775808) == 0", '1 + "a" == 2',
    "1 < 2", "2 <= 2", "3 > 4", "4 >= 4", '"a" < "b"', "true < false",
    # in, is
    'principal in Group::"staff"', 'principal in Group::"admins"', 'principal in User::"bob"',
    'principal in [Group::"x", Group::"staff"]', "principal in [1]", '1 in Group::"staff"',
    'User::"nobody" in Group::"staff"', 'User::"nobody" in User::"nobody"',
    "action in action", 'action in Action::"all"', 'resource in Folder::"f"',
    "principal is User", "principal is Group", "1 is User",
    'principal is User in Group::"staff"', 'principal is Doc in 1', 'principal is User in 1',
    # attributes and has
    "principal.age == 30", "principal.missing == 1", 'User::"nobody".age == 1',
    'User::"nobody" has age', "principal has age", "principal has missing",
    "context has rec.b.c", "context has rec.b.d", "context has rec.a.b",
    "context has set.a", "1 has a", 'context["rec"]["a"] == 1', "principal.dept.budget == 100",
    "principal.profile.level == 3", "principal.profile has nick", "resource.owner == principal",
    "{a: 1}.a == 1", "{a: 1}.b == 1", "[1].a == 1",
    # like
    'context.s like "hello*"', 'context.s like "hello\\*world"', 'context.s like "*o*w*"',
    'context.s like "hello"', '"" like "*"', '"a\\nb" like "a*b"', "1 like \"*\"",
    # sets and methods
    "context.set.contains(2)", "context.set.contains(true)", "context.set.containsAll([1, 3])",
    "context.set.containsAll([4])", "context.set.containsAny([4, 3])", "[].isEmpty()",
    "context.set.isEmpty()", "1.contains(1)", "context.set.containsAll(1)",
    "[[1], [2]].contains([2])", "principal.tags.contains(\"a\")",
    # tags
    'principal.hasTag("color")', 'principal.hasTag("size")', 'principal.getTag("n") == 3',
    'principal.getTag("size") == 1', 'User::"bob".hasTag("x")', 'User::"nobody".getTag("x")',
    "principal.hasTag(1)", '1.hasTag("x")',
    # records and sets with errors inside
    "{a: 1 + true}.a == 1", "[1, 2 + true].isEmpty()", "[context.missing].isEmpty()",
    # decimal
    'decimal("1.5").lessThan(decimal("2.0"))', 'decimal("1.5").greaterThanOrEqual(decimal("1.5"))',
    'principal.score.greaterThan(decimal("1.2"))', 'decimal("1.23456") == decimal("1.2")',
    'decimal("x") == decimal("1.0")', 'decimal("1.0").lessThan(1)',
    'decimal("-922337203685477.5808").lessThan(decimal("0.0"))',
    'decimal("922337203685477.5808") == decimal("0.0")',
    # ipaddr
    'principal.ip.isInRange(ip("10.0.0.0/8"))', 'ip("127.0.0.1").isLoopback()',
    'ip("::1").isLoopback()', 'ip("224.0.0.1").isMulticast()', 'ip("1.2.3.4").isIpv4()',
    'ip("::ffff:1.2.3.4").isIpv6()', 'ip("1.2.3").isIpv4()', 'ip("10.0.0.1/8") == ip("10.0.0.0/8")',
    'ip("1.2.3.4").isInRange(1)',
    # datetime and duration
    'context.when > datetime("2024-01-01")', 'context.when.toDate() == datetime("2024-06-01")',
    'context.when.toTime() == duration("12h")', 'context.d.toMinutes() == 90',
    'context.d.toHours() == 1', 'context.d.toSeconds() == 5400',
    'context.d.toMilliseconds() == 5400000', 'duration("-1d").toDays() == -1',
    'datetime("2024-01-01").offset(duration("1d")) == datetime("2024-01-02")',
    'datetime("2024-01-02").durationSince(datetime("2024-01-01")) == duration("24h")',
    'duration("1h") < duration("2h")', 'duration("1h") < datetime("2024-01-01")',
    'datetime("2024-13-01") == datetime("2024-01-01")', 'duration("1h") <= 1',
    'datetime("2024-01-01T00:00:00+0100") < datetime("2024-01-01")',
    'duration("9223372036854775807ms").offset(duration("1ms"))',
    'datetime("1970-01-01").offset(duration("9223372036854775807ms")) == datetime("1970-01-01")',
    # wrong arity of extension functions is an evaluation error in Cedar
    'decimal("1.0", "2.0") == decimal("1.0")', 'ip() == ip("1.2.3.4")',
]


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_condition_agrees_with_cedarpy(expr: str) -> None:
    policies = f"permit(principal, action, resource) when {{ {expr} }};\n" \
               f"forbid(principal, action, resource) when {{ {expr} }} unless {{ {expr} }};"
    ours = assay_response(policies, ENTITIES, REQUEST)
    theirs = cedarpy_response(policies, ENTITIES, REQUEST)
    assert ours == theirs


def _eval(text: str) -> object:
    from assay.models.cedar import entities_from_json
    return evaluate(parse_expression(text), request_from_json(REQUEST),
                    entities_from_json(ENTITIES))


@pytest.mark.parametrize("text, kind", [
    ("principal.missing", ErrorKind.ATTRIBUTE_DOES_NOT_EXIST),
    ('User::"nobody".age', ErrorKind.ENTITY_DOES_NOT_EXIST),
    ('principal.getTag("size")', ErrorKind.TAG_DOES_NOT_EXIST),
    ("1 + true", ErrorKind.TYPE_ERROR),
    ("9223372036854775807 + 1", ErrorKind.ARITH_OVERFLOW),
    ('decimal("nope")', ErrorKind.EXTENSION_ERROR),
])
def test_error_kinds(text: str, kind: ErrorKind) -> None:
    v = _eval(text)
    assert isinstance(v, EvalError) and v.kind is kind


def test_values() -> None:
    from assay.models.cedar import CedarSet, Record
    assert _eval("[1, 2, 2]") == CedarSet([1, 2])
    assert _eval('{a: [principal], "b c": -1}') == Record(
        {"a": CedarSet([EntityUID("User", "alice")]), "b c": -1})
    assert _eval("if false then 1 else 2") == 2
    assert _eval("[true] == [1]") is False


DEPTH = 10_000


@pytest.mark.parametrize("text, expected", [
    ("(" * DEPTH + "1" + ")" * DEPTH, 1),
    (" || ".join(["false"] * DEPTH) + " || true", True),
    (" && ".join(["true"] * DEPTH), True),
    (" + ".join(["1"] * DEPTH), DEPTH),
    ("!(" * DEPTH + "true" + ")" * DEPTH, True),
    ("if true then " * DEPTH + "7" + " else 0" * DEPTH, 7),
    ("[" * DEPTH + "]" * DEPTH + ".isEmpty()", False),
    ("{a: " * DEPTH + "1" + "}" * DEPTH + ".a" * DEPTH, 1),
])
def test_deep_expressions(text: str, expected: object) -> None:
    req = Request(EntityUID("U", "a"), EntityUID("A", "a"), EntityUID("R", "a"))
    assert evaluate(parse_expression(text), req, Entities()) == expected


def test_deep_value_equality_is_reported_not_wrong() -> None:
    from assay.models.cedar.evaluator import ValueTooDeep
    deep = "[" * 5000 + "]" * 5000
    req = Request(EntityUID("U", "a"), EntityUID("A", "a"), EntityUID("R", "a"))
    try:
        result = evaluate(parse_expression(f"{deep} == {deep}"), req, Entities())
    except ValueTooDeep:
        return  # reported as unsupported: acceptable
    assert result is True
