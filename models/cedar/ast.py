"""The abstract syntax of Cedar policies: frozen dataclasses, one class per expression form.

Shapes (every node has a keyword-only `span: Span | None`, excluded from equality and hashing).
`==` and `hash` are structural and safe on 10,000-deep trees: `==` recurses in C to a small depth
and finishes deeper subtrees with the iterative `same(a, b)`; `hash` is the iterative, cached
`structural_hash`.

Expressions (`Expr` is the union of these):
    Lit(value)                      bool | int (Long) | str literal
    EntityLit(uid)                  entity UID literal `Type::"id"`; uid is values.EntityUID
    Var(name)                       name in VARIABLES: principal, action, resource, context
    Slot(name)                      name in SLOTS: "?principal", "?resource"
    If(cond, then, else_)           if-then-else
    And(left, right), Or(left, right)
    Unary(op, arg)                  op in UNARY_OPS: "!" (not), "-" (negation)
    Binary(op, left, right)         op in BINARY_OPS: == != < <= > >= + - * in
    Has(arg, path)                  `arg has a.b.c`; path is a non-empty tuple of attribute names
    Like(arg, pattern)              pattern: tuple of single characters (str) and WILDCARD
    Is(arg, entity_type, in_)       `arg is T` (in_ None) or `arg is T in in_`
    GetAttr(arg, attr)              `arg.attr` and `arg["attr"]`
    MethodCall(name, receiver, args)  `receiver.name(args)`: builtin methods (contains,
                                    containsAll, containsAny, isEmpty, hasTag, getTag) and
                                    extension methods (lessThan, isInRange, offset, ...)
    FunctionCall(name, args)        `name(args)`: extension functions (decimal, ip, datetime, ...)
    SetLit(elements)                `[e1, e2]`; elements is a tuple
    RecordLit(entries)              `{"a": e}`; entries is a tuple of (key, expr), keys distinct

Scope constraints: Scope(var, op, entity, entity_type, entities)
    var in "principal" | "action" | "resource"; op in SCOPE_OPS:
    "any"      `principal`
    "=="       `principal == E`          entity: EntityUID or Slot
    "in"       `principal in E`          entity: EntityUID or Slot
    "is"       `principal is T`          entity_type: T
    "is in"    `principal is T in E`     entity_type and entity
    "in list"  `action in [E1, E2]`      entities: tuple of EntityUID (action only)

Policies: Policy(effect, id, annotations, principal, action, resource, conditions)
    effect "permit" | "forbid"; annotations a tuple of Annotation(key, value or None) in source
    order; conditions a tuple of Condition(kind "when" | "unless", body). A policy whose scope
    mentions a Slot is a template (`policy.is_template`).
TemplateLink(template_id, new_id, values): values is a tuple of (slot name, EntityUID).
PolicySet(policies, templates, links): static policies, templates and links, each in source
    order; ids are unique across all three.

Trusts: nothing (plain data; `values.EntityUID` for entity literals).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from assay.models.cedar.values import EntityUID

VARIABLES = ("principal", "action", "resource", "context")
SLOTS = ("?principal", "?resource")
UNARY_OPS = ("!", "-")
BINARY_OPS = ("==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "in")
SCOPE_OPS = ("any", "==", "in", "is", "is in", "in list")
BUILTIN_METHODS = ("contains", "containsAll", "containsAny", "isEmpty", "hasTag", "getTag")


@dataclass(frozen=True, slots=True)
class Span:
    """A region of source text: 1-based line and column, 0-based character offsets."""

    source: str | None
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.source or '<input>'}:{self.line}:{self.column}"


@dataclass(frozen=True, eq=False)
class Node:
    """Base of every AST node. Equality and hashing are structural (spans ignored) and
    iterative (`same`, `structural_hash`): nodes nest 10,000+ deep, too deep for the recursive
    `__eq__` and `__hash__` that dataclasses generate, so subclasses are declared `eq=False`."""

    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __eq__(self, other: object) -> bool:
        cls = self.__class__
        if other.__class__ is not cls:
            return False if isinstance(other, Node) else NotImplemented
        if _EQ_DEPTH[0] >= _FAST_EQ_DEPTH:  # deep: finish this subtree without recursion
            return same(self, other)
        key = _KEYS.get(cls) or _key_function(cls)
        _EQ_DEPTH[0] += 1
        try:  # shallow: compare field tuples in C, recursing through __eq__ of children
            return key(self) == key(other)
        finally:
            _EQ_DEPTH[0] -= 1

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return structural_hash(self)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _CONTAINERS.add(cls)


_FIELDS: dict[type, tuple[str, ...]] = {}
_CONTAINERS: set[type] = {tuple}  # tuple and every Node class (see Node.__init_subclass__)


# `==` recurses (fast) down to this depth, then switches to the iterative `same`.
_FAST_EQ_DEPTH = 64
_EQ_DEPTH = [0]
_KEYS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _key_function(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple `==` compares for a node of class `cls`: its compared fields (for `Lit`, the
    value's class too, so that True is not 1)."""
    names = _compared_fields(cls)
    if names == ("value",) and cls.__name__ == "Lit":
        key: Callable[[Any], tuple[Any, ...]] = lambda n: (n.value.__class__, n.value)  # noqa: E731
    elif len(names) == 1:
        only = names[0]
        key = lambda n: (getattr(n, only),)  # noqa: E731
    else:
        key = attrgetter(*names)
    _KEYS[cls] = key
    return key


def _compared_fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.compare)
    return names


def same(a: object, b: object) -> bool:
    """Structural equality of two ASTs (or tuples of them), spans ignored, without recursion.

    Leaves compare with `==` after a class check, so `Lit(True)` is not `Lit(1)`."""
    containers = _CONTAINERS
    todo: list[tuple[Any, Any]] = [(a, b)]
    pop, push = todo.pop, todo.append
    while todo:
        x, y = pop()
        cls = x.__class__
        if cls is not y.__class__:
            return False
        if cls is tuple:
            if len(x) != len(y):
                return False
            pairs: Any = zip(x, y)
        elif cls in containers:
            names = _FIELDS.get(cls) or _compared_fields(cls)
            pairs = ((getattr(x, n), getattr(y, n)) for n in names)
        else:
            if x != y:
                return False
            continue
        for u, v in pairs:
            if u is v:
                continue
            c = u.__class__
            if c is not v.__class__:
                return False
            if c in containers:
                push((u, v))
            elif u != v:
                return False
    return True


def structural_hash(root: object) -> int:
    """A hash consistent with `same`, computed bottom-up without recursion and cached on each
    node: hash((class name, *field hashes)), a tuple's hash is hash((length, *element hashes))."""
    containers = _CONTAINERS
    out: list[int] = []
    todo: list[tuple[Any, Any]] = [(root, None)]
    pop, push = todo.pop, todo.append
    while todo:
        x, built = pop()
        if built is not None:  # children's hashes are the last len(built) entries of `out`
            n = len(built)
            h = hash((built[0], *out[len(out) - n + 1:])) if n > 1 else hash((built[0],))
            if n > 1:
                del out[len(out) - n + 1:]
            if x is not None:
                object.__setattr__(x, "_structural_hash", h)
            out.append(h)
            continue
        cls = x.__class__
        if cls is tuple:
            items: Any = x
            push((None, (len(x), *x)))
        elif cls in containers:
            cached = x.__dict__.get("_structural_hash")
            if cached is not None:
                out.append(cached)
                continue
            items = [getattr(x, f) for f in (_FIELDS.get(cls) or _compared_fields(cls))]
            push((x, (cls.__name__, *items)))
        else:
            out.append(hash(x))
            continue
        for c in reversed(items):
            push((c, None))
    return out[0]


@dataclass(frozen=True)
class Wildcard:
    """The `*` of a `like` pattern (an escaped `\\*` is the character "*")."""

    def __repr__(self) -> str:
        return "WILDCARD"


WILDCARD = Wildcard()
PatternElem = str | Wildcard


# -- expressions ---------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Lit(Node):
    value: bool | int | str


@dataclass(frozen=True, eq=False)
class EntityLit(Node):
    uid: EntityUID


@dataclass(frozen=True, eq=False)
class Var(Node):
    name: str


@dataclass(frozen=True, eq=False)
class Slot(Node):
    name: str


@dataclass(frozen=True, eq=False)
class If(Node):
    cond: Expr
    then: Expr
    else_: Expr


@dataclass(frozen=True, eq=False)
class And(Node):
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False)
class Or(Node):
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False)
class Unary(Node):
    op: str
    arg: Expr


@dataclass(frozen=True, eq=False)
class Binary(Node):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False)
class Has(Node):
    arg: Expr
    path: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Like(Node):
    arg: Expr
    pattern: tuple[PatternElem, ...]


@dataclass(frozen=True, eq=False)
class Is(Node):
    arg: Expr
    entity_type: str
    in_: Expr | None = None


@dataclass(frozen=True, eq=False)
class GetAttr(Node):
    arg: Expr
    attr: str


@dataclass(frozen=True, eq=False)
class MethodCall(Node):
    name: str
    receiver: Expr
    args: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class FunctionCall(Node):
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class SetLit(Node):
    elements: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class RecordLit(Node):
    entries: tuple[tuple[str, Expr], ...]


Expr = (Lit | EntityLit | Var | Slot | If | And | Or | Unary | Binary | Has | Like | Is | GetAttr
        | MethodCall | FunctionCall | SetLit | RecordLit)


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of `expr`, left to right (for iterative walkers)."""
    match expr:
        case If(cond=c, then=t, else_=e):
            return (c, t, e)
        case And(left=a, right=b) | Or(left=a, right=b) | Binary(left=a, right=b):
            return (a, b)
        case Unary(arg=a) | Has(arg=a) | Like(arg=a) | GetAttr(arg=a):
            return (a,)
        case Is(arg=a, in_=i):
            return (a,) if i is None else (a, i)
        case MethodCall(receiver=r, args=args):
            return (r, *args)
        case FunctionCall(args=args) | SetLit(elements=args):
            return args
        case RecordLit(entries=entries):
            return tuple(v for _, v in entries)
    return ()


# -- policies ------------------------------------------------------------------------------------

def is_action_type(entity_type: str) -> bool:
    """Cedar: the action scope names entities of type `Action` or `NS::Action` only."""
    return entity_type == "Action" or entity_type.endswith("::Action")


@dataclass(frozen=True, eq=False)
class Scope(Node):
    var: str
    op: str = "any"
    entity: EntityUID | Slot | None = None
    entity_type: str | None = None
    entities: tuple[EntityUID, ...] = ()


@dataclass(frozen=True, eq=False)
class Annotation(Node):
    key: str
    value: str | None = None


@dataclass(frozen=True, eq=False)
class Condition(Node):
    kind: str
    body: Expr


@dataclass(frozen=True, eq=False)
class Policy(Node):
    effect: str
    id: str
    annotations: tuple[Annotation, ...]
    principal: Scope
    action: Scope
    resource: Scope
    conditions: tuple[Condition, ...] = ()

    @property
    def is_template(self) -> bool:
        return isinstance(self.principal.entity, Slot) or isinstance(self.resource.entity, Slot)

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(s.entity.name for s in (self.principal, self.resource)
                     if isinstance(s.entity, Slot))

    def annotation(self, key: str) -> str | None:
        for a in self.annotations:
            if a.key == key:
                return a.value if a.value is not None else ""
        return None


Template = Policy  # a Policy whose scope mentions ?principal or ?resource


@dataclass(frozen=True, eq=False)
class TemplateLink(Node):
    template_id: str
    new_id: str
    values: tuple[tuple[str, EntityUID], ...]


@dataclass(frozen=True, eq=False)
class PolicySet(Node):
    policies: tuple[Policy, ...] = ()
    templates: tuple[Policy, ...] = ()
    links: tuple[TemplateLink, ...] = ()
