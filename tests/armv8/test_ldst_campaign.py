"""A long conformance campaign for the load/store classes (`pytest -m slow`): 10,000 random
cases per class against Unicorn, memory window included. CI runs the short fixed-size version
in test_conformance.py."""

from __future__ import annotations

import pytest

LDST_CLASSES = ["ldst_imm", "ldst_reg", "ldst_lit", "ldst_pair", "ldst_simd", "ldst_atomic"]


@pytest.mark.slow
@pytest.mark.parametrize("name", LDST_CLASSES)
def test_ldst_campaign(name: str) -> None:
    import unicorn  # noqa: F401  (an oracle from the test extra)

    from assay.models.armv8.conform import Campaign
    from assay.models.armv8.registry import class_named
    report = Campaign().run([class_named(name)], 10_000, seed=7)
    assert report.tests[name] == 10_000
    assert not report.mismatches, report.mismatches[:3]


def test_ldst_classes_are_registered() -> None:
    from assay.models.armv8.registry import classes
    names = {c.name for c in classes()}
    assert set(LDST_CLASSES) <= names
