"""`assay cedar ...`: exit codes of the cedar CLI (0 allow, 2 deny, 1 error), positions in error
messages, JSON output, run-tests, and the demo section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from assay.cli import main
from assay.models.cedar import demo

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cedar"
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "cedar-integration-tests"


def _authorize(*extra: str) -> list[str]:
    return ["cedar", "authorize", "--policies", str(EXAMPLE / "policies.cedar"),
            "--entities", str(EXAMPLE / "entities.json"), *extra]


def test_authorize_allow_and_deny(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ctx = tmp_path / "ctx.json"
    ctx.write_text(json.dumps({"time": {"__extn": {"fn": "datetime",
                                                   "arg": "2024-01-01T09:00:00Z"}},
                               "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}}))
    args = ["-l", 'User::"bob"', "-a", 'Action::"read"', "-c", str(ctx), "-v"]
    assert main(_authorize(*args, "-r", 'Document::"handbook"')) == 0
    out = capsys.readouterr().out
    assert out.startswith("ALLOW") and "public-read" in out  # named by @id, as the cedar CLI
    assert main(_authorize(*args, "-r", 'Document::"plan"')) == 2
    assert "DENY" in capsys.readouterr().out


def test_authorize_request_json_and_json_output(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (req,) = [r for r in json.loads((EXAMPLE / "requests.json").read_text())
              if "no IP" in r["description"]]
    path = tmp_path / "req.json"
    path.write_text(json.dumps(req))
    assert main(_authorize("--request-json", str(path), "--json")) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["decision"] == "ALLOW" and out["reason"] == ["owner-all"]
    assert [e["policy"] for e in out["errors"]] == ["contractor-network"]


def test_template_linked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pol = tmp_path / "p.cedar"
    pol.write_text("permit(principal == ?principal, action, resource in ?resource);")
    links = tmp_path / "links.json"
    links.write_text(json.dumps([{"template_id": "policy0", "link_id": "bob-hr",
                                  "args": {"?principal": 'User::"bob"',
                                           "?resource": 'Folder::"hr"'}}]))
    base = ["cedar", "authorize", "--policies", str(pol), "--entities",
            str(EXAMPLE / "entities.json"), "-l", 'User::"bob"', "-a", 'Action::"read"',
            "-r", 'Document::"salaries"', "-v"]
    assert main(base) == 2
    capsys.readouterr()
    assert main([*base, "--template-linked", str(links)]) == 0
    assert "bob-hr" in capsys.readouterr().out


def test_bad_policy_exits_1_with_position(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.cedar"
    bad.write_text("permit(principal, action, resource)\n  when { context.a < };\n")
    assert main(["cedar", "check-parse", "--policies", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2:22:" in err and "^" in err and "Traceback" not in err
    assert main(_authorize("-l", "User::bob", "-a", 'Action::"read"',
                           "-r", 'Document::"plan"')) == 1
    assert "--principal" in capsys.readouterr().err


def test_check_parse_and_evaluate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cedar", "check-parse", "--policies", str(EXAMPLE / "policies.cedar"),
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["policies"] == 6
    assert main(["cedar", "evaluate", "--json", "[1, 2].containsAll([2]) && 3 * 4 == 12"]) == 0
    assert json.loads(capsys.readouterr().out) is True
    assert main(["cedar", "evaluate", "--entities", str(EXAMPLE / "entities.json"),
                 "-l", 'User::"alice"', "-a", 'Action::"read"', "-r", 'Document::"plan"',
                 "--json", "resource.owner"]) == 0
    assert json.loads(capsys.readouterr().out) == {"__entity": {"type": "User", "id": "carol"}}
    assert main(["cedar", "evaluate", "1 + true"]) == 1
    assert "typeError" in capsys.readouterr().out


def test_run_tests_on_one_file(capsys: pytest.CaptureFixture[str]) -> None:
    test = CORPUS / "tests" / "decimal" / "1.json"
    if not test.exists():
        pytest.fail(f"Cedar integration tests missing at {CORPUS}")
    assert main(["cedar", "run-tests", str(test), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["tests"] == 1 and summary["passed"] == summary["requests"] > 0
    assert main(["cedar", "run-tests", str(CORPUS / "tests" / "decimal")]) == 0
    assert " 0 mismatches, 0 errors" in capsys.readouterr().out


def test_demo_section(tmp_path: Path) -> None:
    console = Console(file=open(tmp_path / "out.txt", "w"), width=120)  # noqa: SIM115
    assert demo.demo(console, tmp_path)
    decisions = json.loads((tmp_path / "cedar_decisions.json").read_text())
    assert len(decisions) == 8 and all(d["cedarpy"] == "agrees" for d in decisions)


@pytest.mark.parametrize("text", [
    '{a: [1, decimal("1.5")], "b c": ip("10.0.0.1/8"), d: User::"x"}',
    '[datetime("2024-01-01T10:00:00Z"), datetime("1970-01-01"), duration("-1h"), -5, "q\\"\\n"]',
    "[" * 300 + "{}" + "]" * 300,
])
def test_evaluate_prints_values_cedar_reads_back(text: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from assay.models.cedar import Entities, EntityUID, Request, evaluate, parse_expression
    assert main(["cedar", "evaluate", text]) == 0
    printed = capsys.readouterr().out.strip()
    req = Request(EntityUID("U", "a"), EntityUID("A", "a"), EntityUID("R", "a"))
    assert evaluate(parse_expression(printed), req, Entities()) == \
        evaluate(parse_expression(text), req, Entities())


def test_schema_actions_join_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import cedarpy
    schema = ('entity User; entity Doc;\naction readOnly;\n'
              'action view in [readOnly] appliesTo { principal: [User], resource: [Doc] };')
    policies = 'permit(principal, action in Action::"readOnly", resource);'
    entities = [{"uid": {"type": "User", "id": "a"}, "attrs": {}, "parents": []},
                {"uid": {"type": "Doc", "id": "d"}, "attrs": {}, "parents": []}]
    for name, text in (("s.cedarschema", schema), ("p.cedar", policies),
                       ("e.json", json.dumps(entities))):
        (tmp_path / name).write_text(text)
    args = ["cedar", "authorize", "--policies", str(tmp_path / "p.cedar"), "--entities",
            str(tmp_path / "e.json"), "-l", 'User::"a"', "-a", 'Action::"view"',
            "-r", 'Doc::"d"']
    theirs = cedarpy.is_authorized({"principal": 'User::"a"', "action": 'Action::"view"',
                                    "resource": 'Doc::"d"', "context": {}},
                                   policies, entities, schema=schema)
    assert theirs.allowed
    assert main([*args, "--schema", str(tmp_path / "s.cedarschema")]) == 0
    assert main(args) == 2  # without the schema, view is not in readOnly
    capsys.readouterr()


def test_policy_ids_come_from_id_annotations(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    pol, entities = tmp_path / "p.cedar", tmp_path / "e.json"
    pol.write_text('@id("everyone") permit(principal, action, resource);\n'
                   'permit(principal == User::"a", action, resource);\n'
                   '@id("") @advice("x") permit(principal, action, resource);\n')
    entities.write_text("[]")
    req = ["cedar", "authorize", "--policies", str(pol), "--entities", str(entities), "--json",
           "-l", 'User::"a"', "-a", 'Action::"v"', "-r", 'R::"r"']
    assert main(req) == 0
    assert json.loads(capsys.readouterr().out)["reason"] == ["", "everyone", "policy1"]
    # the same policies in JSON (EST) keep the ids of the JSON document
    est = tmp_path / "p.json"
    assert main(["cedar", "translate-policy", "--direction", "cedar-to-json", "-p",
                 str(pol)]) == 0
    est.write_text(capsys.readouterr().out)
    assert main([*req[:3], str(est), "--policy-format", "json", *req[4:]]) == 0
    assert json.loads(capsys.readouterr().out)["reason"] == ["", "everyone", "policy1"]
    # two policies named alike: an error, as in the cedar CLI (authorize and check-parse)
    pol.write_text('@id("policy1") permit(principal, action, resource);\n'
                   'permit(principal, action, resource);\n')
    assert main(req) == 1
    assert "policy1" in capsys.readouterr().out
    assert main(["cedar", "check-parse", "-p", str(pol)]) == 1


def test_run_tests_keeps_cedar_policy_n_ids(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    pol, entities, test = tmp_path / "p.cedar", tmp_path / "e.json", tmp_path / "t.json"
    pol.write_text('@id("named") permit(principal, action, resource);')
    entities.write_text("[]")
    test.write_text(json.dumps({
        "policies": str(pol), "entities": str(entities), "schema": None,
        "shouldValidate": False,
        "requests": [{"description": "r", "principal": {"type": "U", "id": "a"},
                      "action": {"type": "Action", "id": "v"},
                      "resource": {"type": "R", "id": "r"}, "context": {},
                      "validateRequest": False, "decision": "allow", "reason": ["policy0"],
                      "errors": []}]}))
    code = main(["cedar", "run-tests", str(test)])
    out = capsys.readouterr().out
    assert code == 0, out


def test_evaluate_unset_variables_are_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cedar", "evaluate", "principal"]) == 1
    err = capsys.readouterr().err
    assert "`principal`" in err and "not set" in err and "--principal" in err
    assert main(["cedar", "evaluate", "principal == principal", "--json"]) == 1
    assert "not set" in json.loads(capsys.readouterr().out)["error"]
    assert main(["cedar", "evaluate", "1 + 2 == 3 && context == {}"]) == 0
    assert capsys.readouterr().out.strip() == "true"
    assert main(["cedar", "evaluate", 'false && resource == R::"x"']) == 0  # never read
    assert capsys.readouterr().out.strip() == "false"
    assert main(["cedar", "evaluate", "-l", 'User::"a"', "principal"]) == 0
    assert capsys.readouterr().out.strip() == 'User::"a"'
    assert main(["cedar", "evaluate", "-l", 'User::"a"', "[principal, action]"]) == 1
    assert "`action`" in capsys.readouterr().err


def test_json_integers_too_long_for_python_are_out_of_range(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = "1" * 5000  # int() refuses more than 4,300 digits; Cedar: out of range
    pol, entities, est = tmp_path / "p.cedar", tmp_path / "e.json", tmp_path / "p.json"
    pol.write_text("permit(principal, action, resource);")
    entities.write_text('[{"uid": {"type": "U", "id": "a"}, "attrs": {"n": -HUGE}, '
                        '"parents": []}]'.replace("HUGE", huge))
    assert main(["cedar", "authorize", "-p", str(pol), "--entities", str(entities),
                 "-l", 'U::"a"', "-a", 'Action::"v"', "-r", 'U::"a"']) == 1
    err = capsys.readouterr().err
    assert "e.json:1:" in err and "$[0].attrs.n" in err and "5000 digits" in err
    est.write_text('{"staticPolicies": {"p": {"effect": "permit", "principal": {"op": "All"}, '
                   '"action": {"op": "All"}, "resource": {"op": "All"}, "conditions": '
                   '[{"kind": "when", "body": {"Value": HUGE}}]}}}'.replace("HUGE", huge))
    assert main(["cedar", "translate-policy", "--direction", "json-to-cedar", "-p",
                 str(est)]) == 1
    assert "conditions[0].body.Value" in capsys.readouterr().err
    assert main(["cedar", "evaluate", huge]) == 1
    assert "out of range" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--entities", "--policies", "--schema"])
def test_a_file_that_is_not_utf8_is_an_error_not_a_crash(
        option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b'permit(principal, action, resource) when { "\xff" };')
    args = ["cedar", "authorize", "--policies", str(EXAMPLE / "policies.cedar"),
            "--entities", str(EXAMPLE / "entities.json"), "-l", 'User::"bob"',
            "-a", 'Action::"read"', "-r", 'Document::"plan"', option, str(bad)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "cannot read" in err and "internal error" not in err
