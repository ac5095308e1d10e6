"""The abstract syntax of Cedar policies: frozen dataclasses, one class per expression form.

Shapes (every node has a keyword-only `span: Span | None`, excluded from equality and hashing):

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

from dataclasses import dataclass, field

from assay.models.cedar.values import EntityUID

VARIABLES = ("principal", "action", "resource", "context")
SLOTS = ("?principal", "?resource")
UNARY_OPS = ("!", "-")
BINARY_OPS = ("==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "in")
SCOPE_OPS = ("any", "==", "in", "is", "is in", "in list")
BUILTIN_METHODS = ("contains", "containsAll", "containsAny", "isEmpty", "hasTag", "getTag")


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Node:
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Wildcard:
    """The `*` of a `like` pattern (an escaped `\\*` is the character "*")."""

    def __repr__(self) -> str:
        return "WILDCARD"


WILDCARD = Wildcard()
PatternElem = str | Wildcard


# -- expressions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lit(Node):
    value: bool | int | str


@dataclass(frozen=True)
class EntityLit(Node):
    uid: EntityUID


@dataclass(frozen=True)
class Var(Node):
    name: str


@dataclass(frozen=True)
class Slot(Node):
    name: str


@dataclass(frozen=True)
class If(Node):
    cond: Expr
    then: Expr
    else_: Expr


@dataclass(frozen=True)
class And(Node):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Or(Node):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Unary(Node):
    op: str
    arg: Expr


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Has(Node):
    arg: Expr
    path: tuple[str, ...]


@dataclass(frozen=True)
class Like(Node):
    arg: Expr
    pattern: tuple[PatternElem, ...]


@dataclass(frozen=True)
class Is(Node):
    arg: Expr
    entity_type: str
    in_: Expr | None = None


@dataclass(frozen=True)
class GetAttr(Node):
    arg: Expr
    attr: str


@dataclass(frozen=True)
class MethodCall(Node):
    name: str
    receiver: Expr
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class FunctionCall(Node):
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class SetLit(Node):
    elements: tuple[Expr, ...]


@dataclass(frozen=True)
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

@dataclass(frozen=True)
class Scope(Node):
    var: str
    op: str = "any"
    entity: EntityUID | Slot | None = None
    entity_type: str | None = None
    entities: tuple[EntityUID, ...] = ()


@dataclass(frozen=True)
class Annotation(Node):
    key: str
    value: str | None = None


@dataclass(frozen=True)
class Condition(Node):
    kind: str
    body: Expr


@dataclass(frozen=True)
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
        return any(isinstance(s.entity, Slot) for s in (self.principal, self.resource))

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


@dataclass(frozen=True)
class TemplateLink(Node):
    template_id: str
    new_id: str
    values: tuple[tuple[str, EntityUID], ...]


@dataclass(frozen=True)
class PolicySet(Node):
    policies: tuple[Policy, ...] = ()
    templates: tuple[Policy, ...] = ()
    links: tuple[TemplateLink, ...] = ()
