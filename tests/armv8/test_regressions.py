"""Replays saved conformance mismatches (tests/armv8/regressions/*.json) against Unicorn:
each was a real disagreement once; each must agree now."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import unicorn  # noqa: F401  (an oracle from the test extra)

FILES = sorted((Path(__file__).parent / "regressions").glob("*.json"))


@pytest.fixture(scope="module")
def campaign():  # type: ignore[no-untyped-def]
    from assay.models.armv8.conform import Campaign
    return Campaign()


def test_regressions_exist() -> None:
    assert FILES, "tests/armv8/regressions/ holds the saved mismatches"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_regression_replays(path: Path, campaign) -> None:  # type: ignore[no-untyped-def]
    from assay.models.armv8.conform import Case
    from assay.models.armv8.registry import find
    case = Case.from_json(json.loads(path.read_text()))
    assert find(case.word) is not None, f"{path.name}: word no longer decodes"
    assert campaign.check(case) == []
