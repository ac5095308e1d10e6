"""Differential test of the validator: generated schemas and policy sets validated by Assay and
by cedarpy's `validate_policies` must fail on the same policies (a fixed CI budget; run more
with `assay cedar difftest --validation --count N`)."""

from __future__ import annotations

import json

import pytest

from assay.models.cedar import difftest
from assay.models.cedar.parser import parse_policies


def test_generated_worlds_validate_as_cedarpy_does() -> None:
    report = difftest.run_validation(80, seed=3)
    assert report.mismatch is None, json.dumps(report.mismatch, indent=2)[:3000]
    assert report.examples == 80
    assert report.decisions["valid policies"] > 20 and report.decisions["invalid policies"] > 20


def test_a_disagreement_is_reported(monkeypatch) -> None:  # noqa: ANN001
    schema = {"": {"entityTypes": {"User": {}},
                   "actions": {"view": {"appliesTo": {"principalTypes": ["User"],
                                                      "resourceTypes": ["User"]}}}}}
    ok = parse_policies("permit(principal, action, resource) when { principal == resource };")
    assert difftest.check_validation(schema, ok)["failing"] == 0
    bad = parse_policies('permit(principal, action, resource) when { principal.name == "a" };')
    assert difftest.check_validation(schema, bad)["failing"] == 1
    from assay.models.cedar import validator
    monkeypatch.setattr(validator, "validate", lambda *_: validator.ValidationResult())
    with pytest.raises(difftest.Mismatch, match="property `name`|name"):
        difftest.check_validation(schema, bad)
