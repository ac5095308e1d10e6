"""`assay demo`, Cedar section: authorize the requests of the bundled DocCloud example
(examples/cedar) and explain each decision by its determining and erroring policies; when
cedarpy is installed, every answer is checked against it.

Trusts: the model under demonstration; cedarpy, when present, is the independent check.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from assay.models.cedar.authorizer import Authorizer, Response
from assay.models.cedar.json_io import entities_from_json, load_json_file, request_from_json
from assay.models.cedar.parser import parse_policies

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cedar"
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


def demo(console: Console, out: Path) -> bool:
    if not EXAMPLE.is_dir():
        console.print(f"[red]the Cedar example is missing: {EXAMPLE}[/]")
        return False
    policies_text = (EXAMPLE / "policies.cedar").read_text()
    policy_set = parse_policies(policies_text, str(EXAMPLE / "policies.cedar"))
    names = {p.id: p.annotation("id") or p.id for p in policy_set.policies}
    raw_entities = load_json_file(EXAMPLE / "entities.json")
    entities = entities_from_json(raw_entities, "entities.json")
    requests = load_json_file(EXAMPLE / "requests.json")
    authorizer = Authorizer(policy_set)
    console.print(f"DocCloud: {len(names)} policies, {len(entities)} entities, "
                  f"{len(requests)} requests")
    table = Table(show_lines=True)
    for col in ("request", "decision", "because of", "erroring policies", "cedarpy"):
        table.add_column(col)
    ok, results = True, []
    for r in requests:
        resp: Response = authorizer.is_authorized(request_from_json(r), entities)
        because = ", ".join(f"{names[i]} ({i})" for i in sorted(resp.reasons)) or \
            "no policy applies: deny by default"
        errors = "\n".join(f"{names[e.policy_id]}: {e.error}" for e in resp.errors) or "-"
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
    return ok
