"""Conformance of the validator: every test of cedar-integration-tests records whether Cedar's
validator accepted its policies against its schema (`shouldValidate`, 6,190 true and 1,619
false in the 7,809 corpus tests); Assay must agree on each. Sharded for `pytest -n 2`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.models.cedar.conformance import Summary, validate_test_file

SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_should_validate_shard(shard: int, corpus_files: list[tuple[Path, Path]]) -> None:
    summary = Summary()
    for i, (test, root) in enumerate(corpus_files):
        if i % SHARDS == shard:
            validate_test_file(test, root, summary)
    assert summary.errors == []
    assert summary.mismatches == []
    assert summary.validation_matches == summary.validated > 1900
