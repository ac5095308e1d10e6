"""Differential tests against cedarpy: saved regression cases, and a fixed-size generated run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.core.errors import AssayError
from assay.models.cedar import ast as A
from assay.models.cedar import difftest
from assay.models.cedar.authorizer import Authorizer
from assay.models.cedar.json_io import entities_from_json, request_from_json
from assay.models.cedar.parser import parse_entity_uid, parse_policies

REGRESSIONS = sorted((Path(__file__).parent / "regressions").glob("*.json"))


def _replay(case: dict) -> difftest.Verdict:
    pset = parse_policies(case["policies"])
    links = tuple(A.TemplateLink(ln["template_id"], ln["link_id"],
                                 tuple((s, parse_entity_uid(u)) for s, u in ln["args"].items()))
                  for ln in case.get("links", []))
    pset = A.PolicySet(pset.policies, pset.templates, pset.links + links)
    try:
        store = entities_from_json(case["entities"])
    except AssayError:
        return difftest.REJECTED
    req = request_from_json(case["request"])
    return difftest.assay_verdict(Authorizer(pset), req, store)


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.stem for p in REGRESSIONS])
def test_regression_case_agrees_with_cedarpy(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    pset = parse_policies(case["policies"])
    theirs = difftest.cedarpy_verdicts(pset, case["entities"], [case["request"]])[0]
    assert theirs.to_json() == case["cedarpy"], "cedarpy changed its answer on a saved case"
    assert _replay(case) == theirs


def test_generated_worlds_agree_with_cedarpy() -> None:
    report = difftest.run(count=120, seed=20261126)
    assert report.mismatch is None, json.dumps(report.mismatch, indent=2)
    assert report.examples == 120
    assert report.coverage["expr:Binary"] > 0 and report.coverage["scope:action:in list"] > 0


def test_mismatch_is_detected_and_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deliberately wrong authorizer must be caught, shrunk and saved."""
    real = difftest.assay_verdict

    def flipped(authorizer, req, store):
        v = real(authorizer, req, store)
        return difftest.Verdict("deny" if v.decision == "allow" else "allow", v.reasons, v.errors)

    monkeypatch.setattr(difftest, "assay_verdict", flipped)
    report = difftest.run(count=20, seed=1, save_dir=tmp_path)
    assert report.mismatch is not None
    assert report.saved is not None and report.saved.exists()
    saved = json.loads(report.saved.read_text())
    assert saved["assay"]["decision"] != saved["cedarpy"]["decision"]
