"""`assay cedar translate-policy` both directions, as the cedar CLI (ids from @id)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.cli import main
from assay.models.cedar.parser import parse_policies

cedarpy = pytest.importorskip("cedarpy")

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
