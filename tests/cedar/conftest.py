"""Shared fixtures of the Cedar tests: the cedar-integration-tests corpus (read-only input
next to the repository, ../shared/cedar-integration-tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.models.cedar.conformance import discover

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "cedar-integration-tests"


@pytest.fixture(scope="module")
def corpus_files() -> list[tuple[Path, Path]]:
    """Every corpus test file with its root (`conformance.discover`); fails if absent."""
    if not (CORPUS / "corpus-tests.tar.gz").exists():
        pytest.fail(f"the Cedar corpus is missing: expected {CORPUS.resolve()} "
                    "with corpus-tests.tar.gz (see DESIGN.md, read-only inputs)")
    return list(discover(CORPUS))
