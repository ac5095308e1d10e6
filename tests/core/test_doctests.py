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


def test_datatype_names_may_repeat_across_problems_but_not_in_one_query() -> None:
    from assay.core.errors import SolverError
    from assay.core.query import declarations
    from assay.core.sorts import INT, DatatypeSort
    from assay.core.terms import Var

    a = DatatypeSort("Shape", [("circle", [("r", INT)])])
    b = DatatypeSort("Shape", [("square", [("side", INT)])])
    assert a is not b
    x, y = Var("sa", a), Var("sb", b)
    assert declarations([x])  # one Shape alone is fine
    with pytest.raises(SolverError, match="two different sorts named 'Shape'"):
        declarations([x, y])
