"""The ground evaluator: the value of any term under an assignment of its free symbols.

Every model a solver returns is confirmed here before anyone sees it, and the smart
constructors fold constants with the same `SEMANTICS` table. Trusted.

>>> from assay.core.terms import Var, BVAdd, BV
>>> from assay.core.sorts import BVSort
>>> x = Var("x", BVSort(8))
>>> evaluate(BVAdd(x, BV(1, 8)), {x: 255})
0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.core.errors import EvaluationError
from assay.core.ops import Op
from assay.core.semantics import SEMANTICS, IntDivisionByZero
from assay.core.sorts import Sort, SortKind
from assay.core.term import FunctionSymbol, Term
from assay.core.values import ArrayValue, DTValue, FuncValue, Regex, UValue
from assay.core.walkers import postorder

Model = Mapping[Any, Any]  # Term (a Var) or FunctionSymbol -> value


def default_value(sort: Sort) -> Any:
    """A fixed value of each sort, used to complete partial models."""
    k = sort.kind
    if k is SortKind.BOOL:
        return False
    if k in (SortKind.BV, SortKind.INT):
        return 0
    if k is SortKind.STRING:
        return ""
    if k is SortKind.REGLAN:
        return Regex("(?!)")
    if k is SortKind.ARRAY:
        return ArrayValue.make(default_value(sort.element))
    if k is SortKind.SET:
        return frozenset()
    if k is SortKind.UNINTERPRETED:
        return UValue(sort.name, 0)
    if k is SortKind.DATATYPE:
        for cname, fields in sort.constructors:
            return DTValue(cname, tuple(default_value(s) for _, s in fields))
    raise EvaluationError(f"no default value for sort {sort}")


def evaluate(term: Term, model: Model, *, complete: bool = False) -> Any:
    """The value of `term`; free symbols missing from `model` raise `EvaluationError`, or take
    `default_value` when `complete` is set."""
    return evaluate_many([term], model, complete=complete)[0]


def evaluate_many(terms: list[Term], model: Model, *, complete: bool = False) -> list[Any]:
    values: dict[Term, Any] = {}
    for t in postorder(*terms):
        op = t.op
        if op is Op.CONST:
            values[t] = t.payload
        elif op is Op.VAR:
            if t in model:
                values[t] = model[t]
            elif complete:
                values[t] = default_value(t.sort)
            else:
                raise EvaluationError(f"no value for {t.payload} (sort {t.sort}) in the model")
        elif op is Op.APPLY:
            values[t] = _apply(t.payload, tuple(values[a] for a in t.args), model, complete)
        elif op is Op.ITE:
            c, a, b = t.args
            values[t] = values[a] if values[c] else values[b]
        else:
            try:
                values[t] = SEMANTICS[op]([values[a] for a in t.args], t.payload,
                                          tuple(a.sort for a in t.args), t.sort)
            except IntDivisionByZero:
                raise EvaluationError(
                    f"integer division by zero in {t!r}: SMT-LIB leaves its value "
                    "unspecified, so this model cannot be confirmed") from None
    return [values[t] for t in terms]


def _apply(f: FunctionSymbol, args: tuple[Any, ...], model: Model, complete: bool) -> Any:
    interp = model.get(f)
    if interp is None:
        if complete:
            return default_value(f.range)
        raise EvaluationError(f"no interpretation of function {f.name} in the model")
    if isinstance(interp, FuncValue):
        return interp.apply(args)
    if callable(interp):
        return interp(*args)
    raise EvaluationError(f"the interpretation of {f.name} is not a function: {interp!r}")
