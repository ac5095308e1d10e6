"""`assay cedar link`: links a template, appends to the template-linked file, and the result
authorizes through `assay cedar authorize --template-linked`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.cli import main

# `link` and `authorize` both name the template "viewers" from its @id, as the cedar CLI does.
TEXT = ('@id("viewers")\n'
        'permit(principal in ?principal, action == Action::"view", resource in ?resource);\n')


def test_link_then_authorize(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pol, links = tmp_path / "p.cedar", tmp_path / "links.json"
    pol.write_text(TEXT)
    args = ["cedar", "link", "-p", str(pol), "-k", str(links), "--template-id", "viewers"]
    assert main([*args, "-n", "alice-docs", "-a",
                 '{"?principal": "User::\\"alice\\"", "?resource": "Folder::\\"docs\\""}']) == 0
    assert "Template-linked policy added" in capsys.readouterr().out
    assert main([*args, "-n", "bob-docs", "--json", "-a",
                 '{"?principal": "User::\\"bob\\"", "?resource": "Folder::\\"docs\\""}']) == 0
    assert json.loads(capsys.readouterr().out)["linked"] == "bob-docs"
    saved = json.loads(links.read_text())
    assert [x["link_id"] for x in saved] == ["alice-docs", "bob-docs"]
    assert saved[0]["args"]["?principal"] == 'User::"alice"'
    # the same id twice, a missing slot, an unknown template: exit 1 with a message
    assert main([*args, "-n", "bob-docs", "-a",
                 '{"?principal": "User::\\"c\\"", "?resource": "Folder::\\"d\\""}']) == 1
    assert main([*args, "-n", "x", "-a", '{"?principal": "User::\\"c\\""}']) == 1
    assert main(["cedar", "link", "-p", str(pol), "--template-id", "nope", "-n", "y", "-a",
                 "{}"]) == 1
    assert "error" in capsys.readouterr().err
    entities = tmp_path / "entities.json"
    entities.write_text("[]")
    request = ["cedar", "authorize", "--policies", str(pol), "--template-linked", str(links),
               "--entities", str(entities),
               "--principal", 'User::"alice"', "--action", 'Action::"view"',
               "--resource", 'Folder::"docs"']
    code = main(request)
    out = capsys.readouterr().out
    if code not in (0, 2):
        pytest.fail(f"authorize failed: {out}")
    assert code == 0 and "ALLOW" in out
    assert main([*request, "-v"]) == 0 and "alice-docs" in capsys.readouterr().out
    # a missing links file is an error for authorize (link creates it; authorize reads it)
    assert main([*request[:5], str(tmp_path / "none.json"), *request[6:]]) == 1
    assert "none.json" in capsys.readouterr().err


def test_authorize_checks_links_as_cedar(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    pol, links, entities = tmp_path / "p.cedar", tmp_path / "links.json", tmp_path / "e.json"
    pol.write_text('@id("static") permit(principal, action, resource) when { false };\n' + TEXT)
    entities.write_text("[]")
    request = ["cedar", "authorize", "--policies", str(pol), "--template-linked", str(links),
               "--entities", str(entities), "-l", 'User::"a"', "-a", 'Action::"view"',
               "-r", 'Folder::"d"']
    args = {"?principal": 'User::"a"', "?resource": 'Folder::"d"'}
    for bad in ({"template_id": "viewers", "link_id": "static", "args": args},  # id of a policy
                {"template_id": "viewers", "link_id": "viewers", "args": args},  # of a template
                {"template_id": "static", "link_id": "x", "args": args},  # not a template
                {"template_id": "policy1", "link_id": "x", "args": args},  # renamed by @id
                {"template_id": "viewers", "link_id": "x", "args": {"?principal": 'User::"a"'}}):
        links.write_text(json.dumps([bad]))
        assert main(request) == 1, bad
        assert "cannot link" in capsys.readouterr().err
    links.write_text(json.dumps([{"template_id": "viewers", "link_id": "x", "args": args}] * 2))
    assert main(request) == 1 and "already exists" in capsys.readouterr().err
    links.write_text(json.dumps([{"template_id": "viewers", "link_id": "x", "args": args}]))
    assert main(request) == 0


def test_link_by_id_annotation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pol, links = tmp_path / "p.cedar", tmp_path / "links.json"
    pol.write_text(TEXT)
    assert main(["cedar", "link", "-p", str(pol), "-k", str(links), "--template-id", "viewers",
                 "-n", "v1", "-a", '{"?principal": "User::\\"a\\"", '
                 '"?resource": "Folder::\\"b\\""}']) == 0
    assert json.loads(links.read_text())[0]["template_id"] == "viewers"


def test_link_json_policies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pol = tmp_path / "p.json"
    template = {"effect": "permit", "principal": {"op": "==", "slot": "?principal"},
                "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": []}
    pol.write_text(json.dumps({"templates": {"t": template}, "staticPolicies": {},
                               "templateLinks": []}))
    assert main(["cedar", "link", "-p", str(pol), "--policy-format", "json", "--template-id",
                 "t", "-n", "u", "--json", "-a", '{"?principal": "User::\\"a\\""}']) == 0
    linked = json.loads(capsys.readouterr().out)["policy"]
    assert linked["principal"] == {"op": "==", "entity": {"type": "User", "id": "a"}}
