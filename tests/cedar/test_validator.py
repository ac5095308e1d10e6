"""The policy validator against cedarpy's `validate_policies`, case by case, and its own rules.

Every case of CASES is run through Assay and cedarpy on the schema SCHEMA: both must agree on
pass/fail; the expected verdict is written down too, so that a case documents a rule.
"""

from __future__ import annotations

import json
import subprocess
import sys

import cedarpy
import pytest

from assay.models.cedar.parser import parse_policies
from assay.models.cedar.schema import read_schema
from assay.models.cedar.typechecker import TypeEnv, type_of
from assay.models.cedar.validator import IssueKind, validate
from assay.models.cedar.validator_types import BOOL, FALSE, LONG, TRUE

SCHEMA = """
namespace App {
  type Ctx = { ip: ipaddr, mfa?: Bool, tags: Set<String>, when: datetime, n: Long };
  entity Org;
  entity Group in [Org] = { level: Long };
  entity User in [Group] = { name: String, age?: Long, boss?: User, manager: User,
                             address: { city: String, zip?: String } } tags String;
  entity Doc = { owner: User, readers: Set<User>, size: decimal };
  entity Kind enum ["public", "secret"];
  action read, write appliesTo { principal: [User], resource: [Doc], context: Ctx };
  action delete in [write] appliesTo { principal: User, resource: Doc, context: Ctx };
}
"""

A = 'App::Action::'
CASES: list[tuple[str, bool]] = [
    ("permit(principal, action, resource);", True),
    (f'permit(principal, action == {A}"read", resource) when {{ resource.owner == principal }};',
     True),
    ('permit(principal, action, resource) when { principal.age > 3 };', False),
    ('permit(principal, action, resource) when { principal has age && principal.age > 3 };',
     True),
    ('permit(principal, action, resource) when { principal has age || principal.age > 3 };',
     False),
    ('permit(principal, action, resource) when { if principal has boss then '
     'principal.boss.name == "x" else false };', True),
    ('permit(principal, action, resource) when { principal has boss.age && '
     'principal.boss.age == 1 };', True),
    ('permit(principal, action, resource) when { principal.address.zip == "1" };', False),
    ('permit(principal, action, resource) when { principal.address has zip && '
     'principal.address.zip == "1" };', True),
    ('permit(principal, action, resource) when { principal.nope == 1 };', False),
    ('permit(principal, action, resource) when { principal has nope };', True),
    ('permit(principal, action, resource) when { context.mfa };', False),
    ('permit(principal, action, resource) when { context has mfa && context.mfa };', True),
    ('permit(principal, action, resource) when { context has nope };', True),
    (f'permit(principal, action in [{A}"read", {A}"write"], resource) '
     'when { context has mfa && context.mfa };', True),
    ('permit(principal, action, resource) when { 1 };', False),
    ('permit(principal, action, resource) when { [] == [] };', False),
    ('permit(principal, action, resource) when { false && [] == [] };', True),
    ('permit(principal, action, resource) when { [1, "a"].contains(1) };', False),
    ('permit(principal, action, resource) when { [1, 2].contains("a") };', False),
    ('permit(principal, action, resource) when { [1, 2].containsAll([3]) };', True),
    ('permit(principal, action, resource) when { 1 == "a" };', True),  # literals: False
    ('permit(principal, action, resource) when { context.n == "a" };', False),
    ('permit(principal, action, resource) when { principal == resource };', True),
    ('permit(principal, action, resource) when { if true then 1 else "a" };', False),
    ('permit(principal, action, resource) when { (if context.n > 0 then 1 else "a") == 1 };',
     False),
    ('permit(principal, action, resource) when { (if true then 1 else "a") == 1 };', True),
    ('permit(principal, action, resource) when { ip("1.2.3.4").isInRange(context.ip) };', True),
    ('permit(principal, action, resource) when { ip("1.2.3").isIpv4() };', False),
    ('permit(principal, action, resource) when { ip(principal.name).isIpv4() };', False),
    ('permit(principal, action, resource) when { resource.size.lessThan(decimal("1.5")) };',
     True),
    ('permit(principal, action, resource) when { context.when < datetime("2024-01-01") };',
     True),
    ('permit(principal, action, resource) when { context.when < duration("1h") };', False),
    ('permit(principal, action, resource) when { context.when.offset(duration("1h")) > '
     'context.when };', True),
    ('permit(principal, action, resource) when { principal.name like "a*" };', True),
    ('permit(principal, action, resource) when { principal.age like "a*" };', False),
    ('permit(principal, action, resource) when { principal is App::User };', True),
    ('permit(principal, action, resource) when { principal is App::Nope };', False),
    ('permit(principal is App::User in App::Group::"g", action, resource);', True),
    ('permit(principal is App::Doc, action, resource);', False),
    ('permit(principal in App::Org::"o", action, resource);', True),
    ('permit(principal, action, resource in App::Org::"o");', False),
    ('permit(principal, action, resource in App::User::"u");', False),
    ('permit(principal, action, resource == App::Kind::"public");', False),
    ('permit(principal, action, resource) when { App::Kind::"public" == App::Kind::"secret" };',
     True),
    ('permit(principal, action, resource) when { App::Kind::"other" == App::Kind::"secret" };',
     False),
    (f'permit(principal, action == {A}"nope", resource);', False),
    (f'permit(principal, action in {A}"write", resource) when {{ context.n > 1 }};', True),
    ('permit(principal, action, resource) when { principal.hasTag("a") && '
     'principal.getTag("a") == "x" };', True),
    ('permit(principal, action, resource) when { principal.getTag("a") == "x" };', False),
    ('permit(principal, action, resource) when { resource.hasTag("a") };', True),
    ('permit(principal, action, resource) when { resource.getTag("a") == "x" };', False),
    ('permit(principal, action, resource) when { action.foo == 1 };', False),
    ('permit(principal, action, resource) when { action has foo };', True),
    ('permit(principal, action, resource) when { {a: 1, b: "x"}.b == "x" };', True),
    ('permit(principal, action, resource) when { {a: 1}.b == "x" };', False),
    ('permit(principal, action, resource) when { principal in resource.readers };', True),
    ('permit(principal, action, resource) when { principal in [principal.manager, resource] };',
     False),
    ('permit(principal, action, resource) when { !(principal.name == "x") && -context.n < 2 };',
     True),
    ('permit(principal, action, resource) when { context.tags.isEmpty() || '
     'context.tags.containsAny(["a"]) };', True),
    ('permit(principal, action, resource) unless { principal.name };', False),
    ('permit(principal, action, resource) when { false };', True),  # impossible: a warning
    ('permit(principal, action, resource) when { decimal("1.0") < decimal("2.0") };', False),
    ('permit(principal, action, resource) when { {a: 1}.contains(1) };', False),
    ('permit(principal, action, resource) when { principal like "a" };', False),
    ('permit(principal, action, resource) when { action is App::Action };', True),
    ('permit(principal, action, resource) when { action in App::Action::"write" };', True),
    ('permit(principal, action, resource) when { action in App::Action::"gone" };', False),
    ('permit(principal, action, resource) when { context has n || 1 };', True),
    ('permit(principal, action, resource) when { (principal).hasTag("k") && '
     'principal.getTag("k") like "v*" };', True),
    ('permit(principal, action, resource) when { principal.hasTag("k") && '
     'principal.getTag("j") like "v*" };', False),
    ('permit(principal, action, resource) when { resource.owner.hasTag("k") && '
     'resource.owner.getTag("k") == "x" };', True),
    ('permit(principal, action, resource) when { if principal has age then true else '
     'principal.age > 1 };', False),
    ('permit(principal, action, resource) when { !(principal has age) || principal.age > 1 };',
     False),
    ('permit(principal, action, resource) unless { !(principal has age) } when '
     '{ principal.age > 1 };', False),
    ('permit(principal, action, resource) when { principal has age } when '
     '{ principal.age > 1 };', True),
    ('permit(principal, action, resource) when { context.when.toTime() < duration("1h") && '
     'context.when.durationSince(datetime("2024-01-01")).toDays() > 0 };', True),
    ('permit(principal, action, resource) when { 9223372036854775807 + 1 > 0 };', True),
    ('permit(principal == ?principal, action, resource) when { principal.name == "a" };',
     True),
    ('permit(principal == ?principal, action, resource) when { principal.nope == "a" };',
     False),
    ('permit(principal in ?principal, action, resource in ?resource);', True),
]


@pytest.fixture(scope="module")
def schema():  # noqa: ANN201
    return read_schema(SCHEMA, "app.cedarschema")


@pytest.mark.parametrize(("policy", "valid"), CASES)
def test_agrees_with_cedarpy(policy: str, valid: bool, schema) -> None:  # noqa: ANN001
    oracle = cedarpy.validate_policies(policy, SCHEMA)
    assert oracle.validation_passed == valid, [str(e) for e in oracle.errors]
    result = validate(parse_policies(policy, "p.cedar"), schema)
    assert result.passed == valid, [str(e) for e in result.errors]


def test_errors_carry_kind_and_position(schema) -> None:  # noqa: ANN001
    text = 'permit(principal, action, resource)\nwhen { principal.age > 3 };'
    [err] = validate(parse_policies(text, "p.cedar"), schema).errors
    assert err.kind is IssueKind.TYPE_ERROR and err.detail == "attrNotFound"
    assert (err.span.source, err.span.line, err.span.column) == ("p.cedar", 2, 8)
    assert "age" in err.message and "has" in err.message


def test_impossible_policy_is_a_warning(schema) -> None:  # noqa: ANN001
    result = validate(parse_policies('forbid(principal, action, resource) when { false };'),
                      schema)
    assert result.passed and [w.kind for w in result.warnings] == [IssueKind.IMPOSSIBLE_POLICY]


def test_singleton_booleans_and_capabilities(schema) -> None:  # noqa: ANN001
    env = TypeEnv(schema, schema.environments()[0])
    from assay.models.cedar.parser import parse_expression
    assert type_of(parse_expression("true && 1 == 1"), env)[0] is TRUE
    assert type_of(parse_expression("false && 1 == 1"), env)[0] is FALSE
    assert type_of(parse_expression("principal has age"), env)[0] is BOOL
    t, caps = type_of(parse_expression("principal has age"), env)
    assert len(caps) == 1
    assert type_of(parse_expression("principal.age"), env, caps)[0] is LONG


def test_ten_thousand_deep_expressions_do_not_recurse(schema) -> None:  # noqa: ANN001
    deep = "(" * 10_000 + "1" + " + 1)" * 10_000
    nested = "[" * 3000 + "1" + "]" * 3000
    text = (f"permit(principal, action, resource) when {{ {deep} > 0 }};\n"
            f"permit(principal, action, resource) when {{ {nested} == {nested} }};")
    result = validate(parse_policies(text), schema)
    assert result.passed, result.errors[:1]


def test_cli_exit_codes_and_json(tmp_path) -> None:  # noqa: ANN001
    (tmp_path / "s.cedarschema").write_text(SCHEMA)
    (tmp_path / "good.cedar").write_text(CASES[1][0])
    (tmp_path / "bad.cedar").write_text('@id("age")\npermit(principal, action, resource)\n'
                                        'when { principal.age > 3 };')
    run = [sys.executable, "-m", "assay", "cedar", "validate", "-s",
           str(tmp_path / "s.cedarschema"), "-p"]
    ok = subprocess.run([*run, str(tmp_path / "good.cedar")], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run([*run, str(tmp_path / "bad.cedar")], capture_output=True, text=True)
    assert bad.returncode == 3
    assert f"{tmp_path / 'bad.cedar'}:3:8" in bad.stdout and "`age`" in bad.stdout
    assert "\n       ^" in bad.stdout
    js = subprocess.run([*run, str(tmp_path / "bad.cedar"), "--json"], capture_output=True,
                        text=True)
    out = json.loads(js.stdout)
    assert js.returncode == 3 and out["errors"][0]["policy"] == "age"
    assert out["errors"][0]["line"] == 3
    (tmp_path / "broken.cedarschema").write_text("entity A = {")
    broken = subprocess.run([*run[:-2], str(tmp_path / "broken.cedarschema"), "-p",
                             str(tmp_path / "good.cedar")], capture_output=True, text=True)
    assert broken.returncode == 1 and "broken.cedarschema:1" in broken.stderr


def test_typed_environments_give_every_node_a_type(schema) -> None:  # noqa: ANN001
    from assay.models.cedar.validator import typed_environments
    [policy] = parse_policies('permit(principal, action == App::Action::"read", resource) '
                              'when { principal has age && principal.age > 3 && '
                              'principal has boss.age && principal is App::User in '
                              'App::Group::"g" };').policies
    [typed] = typed_environments(policy, schema)  # User x read x Doc only
    assert typed.env.action.id == "read" and typed.type is BOOL
    stack, seen = [typed.expr], 0
    while stack:
        node = stack.pop()
        assert id(node) in typed.types
        seen += 1
        from assay.models.cedar.ast import children
        stack += children(node)
    assert seen > 8


def test_template_links_are_validated(schema) -> None:  # noqa: ANN001
    from assay.models.cedar.ast import TemplateLink
    from assay.models.cedar.link import link_all
    from assay.models.cedar.values import EntityUID
    ps = parse_policies('permit(principal == ?principal, action, resource);')
    good = link_all(ps, [TemplateLink("policy0", "l1",
                                      (("?principal", EntityUID("App::User", "a")),))])
    assert validate(good, schema).passed
    for uid, kind in ((EntityUID("App::Nope", "a"), IssueKind.UNRECOGNIZED_ENTITY_TYPE),
                      (EntityUID("App::Doc", "d"), IssueKind.INVALID_ACTION_APPLICATION)):
        bad = link_all(ps, [TemplateLink("policy0", "l2", (("?principal", uid),))])
        [err] = validate(bad, schema).errors
        assert (err.policy_id, err.kind) == ("l2", kind)
