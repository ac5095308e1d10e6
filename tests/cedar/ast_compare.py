"""Compare two Cedar ASTs node by node, spans included, without recursion (test helper)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from assay.models.cedar import ast

_SCOPE_SPANS = (".principal.span", ".action.span", ".resource.span")


def first_difference(a: Any, b: Any, *, scope_span_start_only: bool = False) -> str | None:
    """None when `a` and `b` are equal in every field AND every span; else where they differ.

    With `scope_span_start_only`, a Scope's span is compared by its start only: the lark parser
    gave a scope constraint (`principal in Group::"g"`) the span of the variable alone (its
    span join dropped the entity's span), the hand-written parser spans the whole constraint."""
    todo: list[tuple[Any, Any, str]] = [(a, b, "root")]
    while todo:
        x, y, where = todo.pop()
        if scope_span_start_only and x.__class__ is ast.Span and where.endswith(_SCOPE_SPANS):
            x, y = (x.source, x.line, x.column, x.start), (y.source, y.line, y.column, y.start)
        if x.__class__ is not y.__class__:
            return f"{where}: {x.__class__.__name__} vs {y.__class__.__name__}"
        if isinstance(x, (tuple, list)):
            if len(x) != len(y):
                return f"{where}: length {len(x)} vs {len(y)}"
            todo.extend((u, v, f"{where}[{i}]") for i, (u, v) in enumerate(zip(x, y)))
        elif isinstance(x, ast.Node):
            for f in fields(x):
                todo.append((getattr(x, f.name), getattr(y, f.name), f"{where}.{f.name}"))
        elif x != y:
            return f"{where}: {x!r} vs {y!r}"
    return None
