"""Differential test of the validator: generated schemas and policy sets, and mutated corpus
policies, validated by Assay and by cedarpy's `validate_policies` must fail on the same policies
(a fixed CI budget; run more with `assay cedar difftest --validation [--corpus DIR] --count N`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.models.cedar import difftest
from assay.models.cedar import difftest_validation as dv
from assay.models.cedar.parser import parse_policies


def test_generated_worlds_validate_as_cedarpy_does() -> None:
    report = dv.run_validation(80, seed=3)
    assert report.mismatch is None, json.dumps(report.mismatch, indent=2)[:3000]
    assert report.examples == 80
    assert report.decisions["valid policies"] > 20 and report.decisions["invalid policies"] > 20


def test_a_disagreement_is_reported(monkeypatch) -> None:  # noqa: ANN001
    schema = {"": {"entityTypes": {"User": {}},
                   "actions": {"view": {"appliesTo": {"principalTypes": ["User"],
                                                      "resourceTypes": ["User"]}}}}}
    ok = parse_policies("permit(principal, action, resource) when { principal == resource };")
    assert dv.check_validation(schema, ok)["failing"] == 0
    bad = parse_policies('permit(principal, action, resource) when { principal.name == "a" };')
    assert dv.check_validation(schema, bad)["failing"] == 1
    from assay.models.cedar import validator
    monkeypatch.setattr(validator, "validate", lambda *_: validator.ValidationResult())
    with pytest.raises(difftest.Mismatch, match="property `name`|name"):
        dv.check_validation(schema, bad)


def test_mutated_corpus_policies_validate_as_cedarpy_does() -> None:
    corpus = Path(__file__).resolve().parents[2] / ".." / "shared" / "cedar-integration-tests"
    if not (corpus / "corpus-tests.tar.gz").exists():
        pytest.fail(f"the Cedar corpus is missing: expected {corpus.resolve()}")
    report = dv.run_corpus_mutations(corpus, 150, seed=5)
    assert report.mismatch is None, json.dumps(report.mismatch, indent=2)[:3000]
    assert report.examples == 150 and report.decisions["invalid policies"] > 10
