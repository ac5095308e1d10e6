"""`assay cedar translate-policy` both directions, as the cedar CLI (ids from @id)."""

from __future__ import annotations

import json
from pathlib import Path

import cedarpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_format import same_tree

from assay.cli import main
from assay.core.errors import ParseError
from assay.models.cedar.cli_extra import load_json_text, read_json_iterative
from assay.models.cedar.est import dumps
from assay.models.cedar.parser import parse_policies

TEXT = ('permit(principal == User::"a", action in [Action::"r", Action::"w"], resource) '
        'when { context.ip.isInRange(ip("10.0.0.0/8")) };\n'
        '@id("tpl") forbid(principal in ?principal, action, resource) unless { false };\n')


def test_cedar_to_json_to_cedar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "p.cedar"
    src.write_text(TEXT)
    assert main(["cedar", "translate-policy", "--direction", "cedar-to-json", "-p",
                 str(src)]) == 0
    out = capsys.readouterr().out
    doc = json.loads(out)
    assert set(doc["templates"]) == {"tpl"}  # the cedar CLI names policies by @id
    theirs = json.loads(cedarpy.policies_to_json_str(TEXT))
    assert doc["staticPolicies"] == theirs["staticPolicies"]
    assert doc["templates"]["tpl"] == theirs["templates"]["policy1"]
    js = tmp_path / "p.json"
    js.write_text(out)
    assert main(["cedar", "translate-policy", "--direction", "json-to-cedar", "-p",
                 str(js)]) == 0
    back = capsys.readouterr().out
    assert parse_policies(back) == parse_policies(TEXT)


def test_json_errors_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    js = tmp_path / "p.json"
    for bad in ('{"staticPolicies": {"p": {"effect": "permit"}}}', "{", '{"a": 1, "a": 2}',
                '{"templates": {}, "staticPolicies": {}, "templateLinks": '
                '[{"templateId": "t", "newId": "n", "values": {}}]}'):
        js.write_text(bad)
        assert main(["cedar", "translate-policy", "--direction", "json-to-cedar", "-p",
                     str(js), "--json"]) == 1
        assert "error" in json.loads(capsys.readouterr().out)


def test_duplicate_id_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "p.cedar"
    src.write_text('@id("x") permit(principal, action, resource);\n'
                   '@id("x") forbid(principal, action, resource);\n')
    assert main(["cedar", "translate-policy", "--direction", "cedar-to-json", "-p",
                 str(src)]) == 1
    assert "'x'" in capsys.readouterr().err


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda sub: st.lists(sub, max_size=4) | st.dictionaries(st.text(max_size=3), sub, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from([None, 1, 2]))
def test_json_reader_agrees_with_json_module(value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert read_json_iterative(text, "x") == value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[],:"0123456789.eE+-tfrunlas \\', max_size=12))
def test_json_reader_rejects_what_json_rejects(text: str) -> None:
    try:
        expected = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        with pytest.raises(ParseError):
            read_json_iterative(text, "x")
        with pytest.raises(ParseError):
            load_json_text(text, "x")
        return
    assert read_json_iterative(text, "x") == expected


def test_json_reader_depth_and_duplicates() -> None:
    deep = "[" * 50_000 + "]" * 50_000
    value = load_json_text(deep, "x")
    for _ in range(49_999):
        value = value[0]
    assert value == []
    for read in (load_json_text, read_json_iterative):
        with pytest.raises(ParseError, match="duplicate key"):
            read('{"a": {"b": 1, "a": 2, "b": 3}}', "x")
    with pytest.raises(ParseError) as info:
        load_json_text('{\n  "a": tru\n}', "f.json")
    assert (info.value.line, info.value.column) == (2, 8)


def test_deep_policy_through_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    depth = 10_000
    text = ("permit(principal, action, resource) when { "
            + " && ".join(["!context.b"] * depth) + " };\n")  # JSON nested 4 * depth deep
    src, js = tmp_path / "deep.cedar", tmp_path / "deep.json"
    src.write_text(text)
    assert main(["cedar", "translate-policy", "--direction", "cedar-to-json", "-p",
                 str(src)]) == 0
    js.write_text(capsys.readouterr().out)
    assert main(["cedar", "translate-policy", "--direction", "json-to-cedar", "-p",
                 str(js)]) == 0
    back = parse_policies(capsys.readouterr().out)
    assert same_tree(back.policies[0].conditions, parse_policies(text).policies[0].conditions)


@settings(max_examples=30, deadline=None)
@given(json_values)
def test_dumps_is_compact_json(value: object) -> None:
    assert dumps(value) == json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    deep: object = {"k": value, "é": [1, None]}
    for _ in range(5000):
        deep = [deep]
    assert dumps(deep) == "[" * 5000 + dumps(value_wrapper(value)) + "]" * 5000


def value_wrapper(value: object) -> object:
    return {"k": value, "é": [1, None]}
