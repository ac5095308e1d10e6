"""Differential smoke test: the handwritten integration tests, run through cedarpy and through
Assay, give the same decision, determining policies and erroring policies (and both agree with
the expectations written in the test files)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import cedarpy
import pytest

from assay.models.cedar import Authorizer, Request, context_from_json, parse_policies
from assay.models.cedar.json_io import entities_from_json, entity_uid_from_json
from assay.models.cedar.schema_types import read_schema_types

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "cedar-integration-tests"
HANDWRITTEN = sorted((CORPUS / "tests").glob("*/*.json")) if (CORPUS / "tests").is_dir() else []
_POLICY_ID = re.compile(r"policy `([^`]*)`")


def test_handwritten_tests_exist() -> None:
    assert len(HANDWRITTEN) >= 20, f"handwritten Cedar tests not found under {CORPUS}"


@pytest.mark.parametrize("test", HANDWRITTEN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_handwritten_against_cedarpy(test: Path) -> None:
    spec = json.loads(test.read_text())
    policies = (CORPUS / spec["policies"]).read_text()
    entities_json = json.loads((CORPUS / spec["entities"]).read_text())
    schema_text = (CORPUS / spec["schema"]).read_text()
    entities = entities_from_json(entities_json, schema=read_schema_types(schema_text))
    auth = Authorizer(parse_policies(policies))
    for r in spec["requests"]:
        req = Request(*(entity_uid_from_json(r[k]) for k in ("principal", "action", "resource")),
                      context_from_json(r["context"]))
        ours = auth.is_authorized(req, entities)
        theirs = cedarpy.is_authorized(
            {k: f'{r[k]["type"]}::{json.dumps(r[k]["id"])}'
             for k in ("principal", "action", "resource")} | {"context": r["context"]},
            policies, json.dumps(entities_json), schema=schema_text)
        their_errors = {m.group(1) for e in theirs.diagnostics.errors
                        for m in [_POLICY_ID.search(str(e))] if m}
        assert (ours.decision == "allow") == theirs.allowed == (r["decision"] == "allow")
        assert set(ours.reasons) == set(theirs.diagnostics.reasons) == set(r["reason"])
        assert set(ours.erroring_ids) == their_errors == set(r["errors"])
