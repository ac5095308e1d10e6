"""Runs the doctests of the core modules through the installed `assay.core` package."""

import doctest
import importlib

import pytest

MODULES = ["assay.core.terms", "assay.core.sorts", "assay.core.evaluate"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0, f"{name} has no doctests"
    assert failed == 0
