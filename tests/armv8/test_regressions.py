"""Replays saved conformance mismatches (tests/armv8/regressions/*.json) against Unicorn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("unicorn")
FILES = sorted((Path(__file__).parent / "regressions").glob("*.json"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_regression_replays(path: Path) -> None:
    from assay.models.armv8.conform import Campaign, Case
    case = Case.from_json(json.loads(path.read_text()))
    assert Campaign().check(case) == []
