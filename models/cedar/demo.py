"""`assay demo`, Cedar section: the bundled DocCloud example (examples/cedar).

1. Validation: the policies typecheck against the example's schema (`schema.cedarschema`,
   Cedar's strict mode), and its entities and requests conform to it.
2. Authorization: each request's decision, explained by its determining and erroring policies.
When cedarpy is installed, both the validation verdict and every answer are checked against it.

Trusts: the model under demonstration; cedarpy, when present, is the independent check.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from assay.core.errors import AssayError
from assay.models.cedar.authorizer import Authorizer, Response
from assay.models.cedar.json_io import entities_from_json, load_json_file, request_from_json
from assay.models.cedar.parser import parse_policies
from assay.models.cedar.request_validator import validate_entities, validate_request
from assay.models.cedar.schema import load_schema
from assay.models.cedar.schema_types import from_schema
from assay.models.cedar.validator import validate

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cedar"
SCHEMA = "schema.cedarschema"
_POLICY_ID = re.compile(r"policy `([^`]*)`")


def _cedarpy_answer(policies: str, entities: Any, request: dict[str, Any]) -> tuple | None:
    try:
        import cedarpy
    except ImportError:
        return None
    r = cedarpy.is_authorized(request, policies, entities)
    errors = frozenset(m.group(1) for e in r.diagnostics.errors
                       for m in [_POLICY_ID.search(str(e))] if m)
    return ("allow" if r.allowed else "deny", frozenset(r.diagnostics.reasons), errors)


def _cedarpy_validation(policies: str, schema: str) -> frozenset[str] | None:
    """The ids of the policies cedarpy's validator rejects (None without cedarpy)."""
    try:
        import cedarpy
    except ImportError:
        return None
    return frozenset(str(e.policy_id) for e in cedarpy.validate_policies(policies, schema).errors)


def validate_example(folder: Path) -> dict[str, Any]:
    """Validate the policies of an example folder against its schema, and check its entities
    and requests against the schema; `cedarpy` is "agrees", "DIFFERS" or "n/a" (its validator
    rejecting the same policies, or not installed)."""
    schema_text = (folder / SCHEMA).read_text(encoding="utf-8")
    schema = load_schema(schema_text, SCHEMA)
    policies_text = (folder / "policies.cedar").read_text(encoding="utf-8")
    policy_set = parse_policies(policies_text, "policies.cedar")
    result = validate(policy_set, schema)
    entities = entities_from_json(load_json_file(folder / "entities.json"), "entities.json",
                                  from_schema(schema))
    requests = load_json_file(folder / "requests.json")
    data = [f"entities.json: {m}" for m in validate_entities(entities, schema)]
    data += [f"requests.json[{i}]: {m}" for i, r in enumerate(requests)
             for m in validate_request(request_from_json(r), schema)]
    theirs = _cedarpy_validation(policies_text, schema_text)
    rejected = sorted({i.policy_id for i in result.errors})
    return {"policies": len(policy_set.policies) + len(policy_set.templates),
            "entities": len(entities), "requests": len(requests), "rejected": rejected,
            "errors": [str(i) for i in result.errors],
            "warnings": [str(i) for i in result.warnings], "data_errors": data,
            "cedarpy": ("n/a" if theirs is None else
                        "agrees" if theirs == frozenset(rejected) else "DIFFERS")}


def _show_validation(console: Console, v: dict[str, Any], names: dict[str, str]) -> bool:
    for line in v["errors"] + v["data_errors"]:
        console.print(f"[red]error:[/] {line}", highlight=False)
    for line in v["warnings"]:
        console.print(f"[yellow]warning:[/] {line}", highlight=False)
    rejected = ", ".join(f"{names.get(i, i)} ({i})" for i in v["rejected"]) or "none"
    cedarpy = {"agrees": "[green]cedarpy agrees[/]", "DIFFERS": "[red]cedarpy DIFFERS[/]",
               "n/a": "cedarpy not installed: no second opinion"}[v["cedarpy"]]
    conform = ("[red]do not all conform[/]" if v["data_errors"] else "conform")
    console.print(f"Validation against {SCHEMA} (strict): {v['policies']} policies, rejected: "
                  f"{rejected}; {len(v['warnings'])} warnings; {v['entities']} entities and "
                  f"{v['requests']} requests {conform}; {cedarpy}", highlight=False)
    return not v["data_errors"] and v["cedarpy"] != "DIFFERS"


def demo(console: Console, out: Path) -> bool:
    if not EXAMPLE.is_dir():
        console.print(f"[red]the Cedar example is missing: {EXAMPLE}[/]")
        return False
    policies_text = (EXAMPLE / "policies.cedar").read_text()
    policy_set = parse_policies(policies_text, str(EXAMPLE / "policies.cedar"))
    names = {p.id: p.annotation("id") or p.id for p in policy_set.policies}
    try:
        validation: dict[str, Any] | None = validate_example(EXAMPLE)
    except (AssayError, OSError) as exc:
        console.print(f"[red]validation could not run: {exc}[/]")
        validation = None
    else:
        (out / "cedar_validation.json").write_text(json.dumps(validation, indent=2))
    valid = validation is not None and _show_validation(console, validation, names)
    raw_entities = load_json_file(EXAMPLE / "entities.json")
    entities = entities_from_json(raw_entities, "entities.json")
    requests = load_json_file(EXAMPLE / "requests.json")
    authorizer = Authorizer(policy_set)
    console.print(f"DocCloud: {len(names)} policies, {len(entities)} entities, "
                  f"{len(requests)} requests")
    table = Table(show_lines=True)
    for col in ("request", "decision", "because of", "erroring policies", "cedarpy"):
        table.add_column(col)
    ok, results, erring = True, [], set()
    for r in requests:
        resp: Response = authorizer.is_authorized(request_from_json(r), entities)
        because = ", ".join(f"{names[i]} ({i})" for i in sorted(resp.reasons)) or \
            "no policy applies: deny by default"
        errors = "\n".join(f"{names[e.policy_id]}: {e.error}" for e in resp.errors) or "-"
        erring |= resp.erroring_ids
        theirs = _cedarpy_answer(policies_text, raw_entities, r)
        ours = (resp.decision, resp.reasons, resp.erroring_ids)
        agree = "n/a" if theirs is None else ("agrees" if theirs == ours else "DIFFERS")
        good = resp.decision == r.get("expected", resp.decision) and agree != "DIFFERS"
        ok = ok and good
        colour = "green" if resp.allowed else "yellow"
        table.add_row(r["description"], f"[{colour}]{resp.decision.upper()}[/]", because,
                      errors, agree if good else f"[red]{agree}[/]")
        results.append({"request": r["description"], "decision": resp.decision,
                        "reasons": sorted(resp.reasons), "errors": sorted(resp.erroring_ids),
                        "cedarpy": agree})
    console.print(table)
    (out / "cedar_decisions.json").write_text(json.dumps(results, indent=2))
    return ok and valid and _errors_were_predicted(console, validation, erring, names)


def _errors_were_predicted(console: Console, validation: dict[str, Any] | None,
                           erring: set[str], names: dict[str, str]) -> bool:
    """The example's point about validation: the policies that error at run time are the ones
    the validator rejected (a well-typed policy cannot raise a type error)."""
    if validation is None:
        return False
    shown = ", ".join(f"{names.get(i, i)} ({i})" for i in sorted(erring)) or "none"
    if set(validation["rejected"]) == erring:
        console.print(f"Policies that errored at run time: {shown}; the validator rejected "
                      "exactly these, before any request.", highlight=False)
        return True
    console.print(f"[red]policies that errored at run time: {shown}; the validator rejected "
                  f"{', '.join(validation['rejected']) or 'none'}[/]", highlight=False)
    return False
