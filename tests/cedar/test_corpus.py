"""Conformance: every request of cedar-integration-tests (the 7,809 generated corpus tests and the
handwritten tests) gets Cedar's decision, determining policies and erroring policies.

The corpus is read from ../shared/cedar-integration-tests next to the repository (the `corpus_files`
fixture of conftest.py); the work is split in shards so that `pytest -n 2` runs it on both cores.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.models.cedar.conformance import Summary, run_test_file

SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_corpus_shard(shard: int, corpus_files: list[tuple[Path, Path]]) -> None:
    summary = Summary()
    for i, (test, root) in enumerate(corpus_files):
        if i % SHARDS == shard:
            run_test_file(test, root, summary)
    assert summary.errors == []
    assert summary.mismatches == []
    assert summary.passed == summary.requests > 10_000


def test_corpus_size(corpus_files: list[tuple[Path, Path]]) -> None:
    corpus = [t for t, _ in corpus_files if t.parent.name == "corpus-tests"]
    handwritten = [t for t, _ in corpus_files if t.parent.name != "corpus-tests"]
    assert len(corpus) == 7809
    assert len(handwritten) >= 20
