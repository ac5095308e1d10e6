"""Every class agrees with Unicorn on a fixed number of random cases (CI size)."""

from __future__ import annotations

import pytest
import unicorn  # noqa: F401  (an oracle from the test extra)

from assay.models.armv8.registry import classes

PER_CLASS = 300


@pytest.mark.parametrize("cls", classes(), ids=lambda c: c.name)
def test_conforms_to_unicorn(cls) -> None:  # type: ignore[no-untyped-def]
    from assay.models.armv8.conform import Campaign
    report = Campaign().run([cls], PER_CLASS, seed=2026)
    assert report.tests[cls.name] == PER_CLASS
    assert not report.mismatches, report.mismatches[:3]
