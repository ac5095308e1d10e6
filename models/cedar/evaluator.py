"""The Cedar evaluator: what an expression means for a request and an entity store.

It follows Cedar's Lean specification (cedar-spec, `Cedar/Spec/Evaluator.lean`): one case per
expression form, one row per (operator, value shape) and a type-error catch-all. Errors are
values of the closed enum `ErrorKind`; `evaluate` returns either a Cedar value or an `EvalError`.
`&&`, `||`, `if` and `is ... in` short-circuit as Cedar does. Cedar has no error recovery: the
first error ends the evaluation.

The expression walk is iterative: an explicit stack holds expressions still to evaluate and
continuations (`_k_*`) that combine the values of sub-expressions, so nesting depth costs no
Python recursion. Trusts: `extensions` (part B) for the extension functions.
"""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assay.core.errors import AssayError
from assay.models.cedar import ast, extensions
from assay.models.cedar.entities import Entities, Request
from assay.models.cedar.values import (
    LONG_MAX,
    LONG_MIN,
    CedarSet,
    EntityUID,
    Record,
    cedar_eq,
    type_name,
)


class ErrorKind(enum.Enum):
    ENTITY_DOES_NOT_EXIST = "entityDoesNotExist"
    ATTRIBUTE_DOES_NOT_EXIST = "attrDoesNotExist"
    TAG_DOES_NOT_EXIST = "tagDoesNotExist"
    TYPE_ERROR = "typeError"
    ARITH_OVERFLOW = "arithBoundsError"
    EXTENSION_ERROR = "extensionError"
    UNLINKED_SLOT = "unlinkedSlot"


@dataclass(frozen=True)
class EvalError:
    kind: ErrorKind
    message: str

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.message}"


class _Fail(Exception):
    """Internal: unwinds the evaluation loop; `evaluate` turns it into an `EvalError`."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        self.error = EvalError(kind, message)


def _type_error(what: str, *vs: Any) -> _Fail:
    shown = ", ".join(type_name(v) for v in vs)
    return _Fail(ErrorKind.TYPE_ERROR, f"{what} cannot be applied to ({shown})")


def _is_long(v: Any) -> bool:
    return v.__class__ is int


def _long(n: int) -> int:
    if LONG_MIN <= n <= LONG_MAX:
        return n
    raise _Fail(ErrorKind.ARITH_OVERFLOW, f"integer overflow: {n} does not fit in a Long")


_ORDERED = (extensions.Datetime, extensions.Duration)


def _comparable(a: Any, b: Any) -> bool:
    return (_is_long(a) and _is_long(b)) or (a.__class__ is b.__class__ and
                                             isinstance(a, _ORDERED))


# -- operators: one row per (operator, value shape) ---------------------------------------------

def apply_unary(op: str, v: Any) -> Any:
    if op == "!" and v.__class__ is bool:
        return not v
    if op == "-" and _is_long(v):
        return _long(-v)
    raise _type_error(f"`{op}`", v)


def _in(a: EntityUID, b: Any, es: Entities) -> bool:
    if isinstance(b, EntityUID):
        return es.is_in(a, b)
    if isinstance(b, CedarSet):
        targets = list(b)
        if not all(isinstance(t, EntityUID) for t in targets):
            raise _type_error("`in` on a set with non-entity elements", a, b)
        return a in targets or not es.ancestors(a).isdisjoint(targets)
    raise _type_error("`in`", a, b)


def apply_binary(op: str, a: Any, b: Any, es: Entities) -> Any:
    if op == "==":
        return cedar_eq(a, b)
    if op == "!=":
        return not cedar_eq(a, b)
    if op in ("<", "<=", ">", ">=") and _comparable(a, b):
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if op == "+" and _is_long(a) and _is_long(b):
        return _long(a + b)
    if op == "-" and _is_long(a) and _is_long(b):
        return _long(a - b)
    if op == "*" and _is_long(a) and _is_long(b):
        return _long(a * b)
    if op == "in" and isinstance(a, EntityUID):
        return _in(a, b, es)
    raise _type_error(f"`{op}`", a, b)


def _attrs_of(v: Any, es: Entities, *, missing_ok: bool) -> Record:
    if isinstance(v, Record):
        return v
    if isinstance(v, EntityUID):
        entity = es.get(v)
        if entity is not None:
            return entity.attrs
        if missing_ok:
            return Record()
        raise _Fail(ErrorKind.ENTITY_DOES_NOT_EXIST, f"entity {v} does not exist")
    raise _type_error("attribute access", v)


def has_attr(v: Any, attr: str, es: Entities) -> bool:
    return attr in _attrs_of(v, es, missing_ok=True)


def get_attr(v: Any, attr: str, es: Entities) -> Any:
    attrs = _attrs_of(v, es, missing_ok=False)
    if attr in attrs:
        return attrs[attr]
    what = f"entity {v}" if isinstance(v, EntityUID) else "record"
    raise _Fail(ErrorKind.ATTRIBUTE_DOES_NOT_EXIST, f"{what} has no attribute {attr!r}")


def _tags_of(v: EntityUID, es: Entities) -> Record:
    entity = es.get(v)
    return entity.tags if entity is not None else Record()


def call_method(name: str, args: list[Any], es: Entities) -> Any:
    """Builtin methods, then extension methods; the receiver is args[0]."""
    match name, args:
        case "contains", [CedarSet() as s, v]:
            return v in s
        case "containsAll", [CedarSet() as s, CedarSet() as t]:
            return t.keys() <= s.keys()
        case "containsAny", [CedarSet() as s, CedarSet() as t]:
            return not s.keys().isdisjoint(t.keys())
        case "isEmpty", [CedarSet() as s]:
            return len(s) == 0
        case "hasTag", [EntityUID() as e, str() as tag]:
            return tag in _tags_of(e, es)
        case "getTag", [EntityUID() as e, str() as tag]:
            tags = _tags_of(e, es)
            if tag in tags:
                return tags[tag]
            raise _Fail(ErrorKind.TAG_DOES_NOT_EXIST, f"entity {e} has no tag {tag!r}")
        case ("contains" | "containsAll" | "containsAny" | "isEmpty" | "hasTag" | "getTag"), _:
            raise _type_error(f"`{name}`", *args)
    return call_extension(name, args)


def call_extension(name: str, args: list[Any]) -> Any:
    fn = extensions.FUNCTIONS.get(name)
    if fn is None:
        raise _Fail(ErrorKind.EXTENSION_ERROR, f"unknown extension function `{name}`")
    if len(args) != len(fn.arg_kinds):
        raise _Fail(ErrorKind.TYPE_ERROR, f"`{name}` takes {len(fn.arg_kinds)} argument(s), "
                                          f"got {len(args)}")
    if any(extensions.kind_of(a) != k for a, k in zip(args, fn.arg_kinds)):
        raise _type_error(f"`{name}`", *args)
    try:
        return fn.impl(*args)
    except extensions.ExtensionError as exc:
        raise _Fail(ErrorKind.EXTENSION_ERROR, f"{name}: {exc}") from None


_LIKE_CACHE: dict[tuple[ast.PatternElem, ...], re.Pattern[str]] = {}


def wildcard_match(s: str, pattern: tuple[ast.PatternElem, ...]) -> bool:
    rx = _LIKE_CACHE.get(pattern)
    if rx is None:
        rx = re.compile("".join(".*" if p is ast.WILDCARD or isinstance(p, ast.Wildcard)
                                else re.escape(p) for p in pattern), re.DOTALL)
        _LIKE_CACHE[pattern] = rx
    return rx.fullmatch(s) is not None


# -- expressions: one case per form; continuations combine sub-results ------------------------

class UnsetVariable(AssayError):
    """The expression read `principal`, `action`, `resource` or `context` where the caller
    left it unset (`evaluate(..., unset=...)`): a usage error, not a Cedar evaluation error."""


class _Machine:
    __slots__ = ("req", "es", "values", "todo", "unset")

    def __init__(self, req: Request, es: Entities, unset: frozenset[str] = frozenset()) -> None:
        self.req, self.es, self.unset = req, es, unset
        self.values: list[Any] = []
        self.todo: list[Any] = []

    def run(self, expr: ast.Expr) -> Any:
        values, todo = self.values, self.todo
        todo.append(expr)
        while todo:
            item = todo.pop()
            if item.__class__ is tuple:
                item[0](self, item[1])
            else:
                _EVAL[item.__class__](self, item)
        return values.pop()

    def _bool(self, what: str) -> bool:
        v = self.values.pop()
        if v.__class__ is not bool:
            raise _type_error(what, v)
        return v

    def _pop(self, n: int) -> list[Any]:
        if n == 0:
            return []
        vs = self.values[-n:]
        del self.values[-n:]
        return vs

    # forms
    def lit(self, e: ast.Lit) -> None:
        self.values.append(e.value)

    def entity_lit(self, e: ast.EntityLit) -> None:
        self.values.append(e.uid)

    def var(self, e: ast.Var) -> None:
        if self.unset and e.name in self.unset:
            raise UnsetVariable(f"the expression uses `{e.name}`, which is not set: give "
                                f"--{e.name} (or --request-json)")
        r = self.req
        self.values.append({"principal": r.principal, "action": r.action,
                            "resource": r.resource, "context": r.context}[e.name])

    def slot(self, e: ast.Slot) -> None:
        raise _Fail(ErrorKind.UNLINKED_SLOT, f"the template slot {e.name} is not linked")

    def if_(self, e: ast.If) -> None:
        self.todo += ((_Machine._k_if, e), e.cond)

    def _k_if(self, e: ast.If) -> None:
        self.todo.append(e.then if self._bool("`if`") else e.else_)

    def and_(self, e: ast.And) -> None:
        self.todo += ((_Machine._k_and, e), e.left)

    def _k_and(self, e: ast.And) -> None:
        if self._bool("`&&`"):
            self.todo += ((_Machine._k_bool, "`&&`"), e.right)
        else:
            self.values.append(False)

    def or_(self, e: ast.Or) -> None:
        self.todo += ((_Machine._k_or, e), e.left)

    def _k_or(self, e: ast.Or) -> None:
        if self._bool("`||`"):
            self.values.append(True)
        else:
            self.todo += ((_Machine._k_bool, "`||`"), e.right)

    def _k_bool(self, what: str) -> None:
        self.values.append(self._bool(what))

    def unary(self, e: ast.Unary) -> None:
        self.todo += ((_Machine._k_unary, e), e.arg)

    def _k_unary(self, e: ast.Unary) -> None:
        self.values.append(apply_unary(e.op, self.values.pop()))

    def binary(self, e: ast.Binary) -> None:
        self.todo += ((_Machine._k_binary, e), e.right, e.left)

    def _k_binary(self, e: ast.Binary) -> None:
        b = self.values.pop()
        a = self.values.pop()
        self.values.append(apply_binary(e.op, a, b, self.es))

    def has(self, e: ast.Has) -> None:
        self.todo += ((_Machine._k_has, e), e.arg)

    def _k_has(self, e: ast.Has) -> None:
        # `e has a.b` is `e has a && e.a has b`
        v = self.values.pop()
        for i, attr in enumerate(e.path):
            if not has_attr(v, attr, self.es):
                self.values.append(False)
                return
            if i + 1 < len(e.path):
                v = get_attr(v, attr, self.es)
        self.values.append(True)

    def like(self, e: ast.Like) -> None:
        self.todo += ((_Machine._k_like, e), e.arg)

    def _k_like(self, e: ast.Like) -> None:
        v = self.values.pop()
        if not isinstance(v, str):
            raise _type_error("`like`", v)
        self.values.append(wildcard_match(v, e.pattern))

    def is_(self, e: ast.Is) -> None:
        self.todo += ((_Machine._k_is, e), e.arg)

    def _k_is(self, e: ast.Is) -> None:
        # `x is T in y` is `x is T && x in y`
        v = self.values.pop()
        if not isinstance(v, EntityUID):
            raise _type_error("`is`", v)
        if v.type != e.entity_type or e.in_ is None:
            self.values.append(v.type == e.entity_type)
        else:
            self.todo += ((_Machine._k_is_in, v), e.in_)

    def _k_is_in(self, v: EntityUID) -> None:
        self.values.append(apply_binary("in", v, self.values.pop(), self.es))

    def get_attr(self, e: ast.GetAttr) -> None:
        self.todo += ((_Machine._k_get_attr, e), e.arg)

    def _k_get_attr(self, e: ast.GetAttr) -> None:
        self.values.append(get_attr(self.values.pop(), e.attr, self.es))

    def method_call(self, e: ast.MethodCall) -> None:
        self.todo += ((_Machine._k_method, e), *reversed(e.args), e.receiver)

    def _k_method(self, e: ast.MethodCall) -> None:
        self.values.append(call_method(e.name, self._pop(len(e.args) + 1), self.es))

    def function_call(self, e: ast.FunctionCall) -> None:
        self.todo += ((_Machine._k_function, e), *reversed(e.args))

    def _k_function(self, e: ast.FunctionCall) -> None:
        self.values.append(call_extension(e.name, self._pop(len(e.args))))

    def set_lit(self, e: ast.SetLit) -> None:
        self.todo += ((_Machine._k_set, e), *reversed(e.elements))

    def _k_set(self, e: ast.SetLit) -> None:
        self.values.append(CedarSet(self._pop(len(e.elements))))

    def record_lit(self, e: ast.RecordLit) -> None:
        self.todo += ((_Machine._k_record, e), *(v for _, v in reversed(e.entries)))

    def _k_record(self, e: ast.RecordLit) -> None:
        vs = self._pop(len(e.entries))
        self.values.append(Record(zip((k for k, _ in e.entries), vs)))


_EVAL: dict[type, Callable[[_Machine, Any], None]] = {
    ast.Lit: _Machine.lit, ast.EntityLit: _Machine.entity_lit, ast.Var: _Machine.var,
    ast.Slot: _Machine.slot, ast.If: _Machine.if_, ast.And: _Machine.and_, ast.Or: _Machine.or_,
    ast.Unary: _Machine.unary, ast.Binary: _Machine.binary, ast.Has: _Machine.has,
    ast.Like: _Machine.like, ast.Is: _Machine.is_, ast.GetAttr: _Machine.get_attr,
    ast.MethodCall: _Machine.method_call, ast.FunctionCall: _Machine.function_call,
    ast.SetLit: _Machine.set_lit, ast.RecordLit: _Machine.record_lit,
}


class ValueTooDeep(AssayError):
    """Comparing or hashing values nested thousands deep exceeded Python's recursion limit.

    The walk over expressions is iterative, but equality and hashing of `CedarSet` and `Record`
    use Python's own recursive comparison; rather than give a wrong answer, this is reported as
    unsupported."""


def evaluate(expr: ast.Expr, request: Request, entities: Entities, *,
             unset: frozenset[str] = frozenset()) -> Any:
    """The value of `expr`, or an `EvalError` (never raises for Cedar-level errors).

    Variables named in `unset` have no value: reading one (when evaluation reaches it) raises
    `UnsetVariable`; their fields of `request` are never looked at."""
    try:
        return _Machine(request, entities, unset).run(expr)
    except _Fail as fail:
        return fail.error
    except RecursionError:
        raise ValueTooDeep("unsupported: a value nested too deeply to compare or hash "
                           f"(Python's recursion limit is {sys.getrecursionlimit()})") from None
