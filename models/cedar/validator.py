"""Cedar's policy validator (strict mode): does a policy set typecheck against a schema?

For each policy (static policies and templates), as Cedar's validator does:
  1. every entity type, entity literal (enum ids included) and action the policy names must be
     declared (Lean's `checkEntities`; Rust's unrecognized-entity-type / action-id passes);
  2. some request environment of the schema must satisfy the scope (Rust's "unable to find an
     applicable action given the policy scope constraints");
  3. in every environment (principal type, action, resource type, context) the policy —
     scope && conditions, Lean's `Policy.toExpr` — must typecheck to a boolean
     (`typechecker.type_of`).
A policy that is `False` in every environment is *impossible*: a warning, as in Cedar's Rust
validator (the Lean model makes it an error; Cedar's CLI and cedarpy pass it).

    validate(policy_set, schema) -> ValidationResult(errors, warnings)
    typed_environments(policy, schema) -> [TypedPolicy(env, expr, types)]

`typed_environments` is the interface for analyses that, like Cedar's symbolic compiler, work
on well-typed policies: for each request environment the scope allows, the policy as one
expression (`policy_expr`) and the type of each of its nodes (`types[id(node)]`; nodes that a
short-circuit leaves unevaluated, as `e` in `false && e`, have none).

Template links are validated as the policies they stand for, for the errors a link can add
(undeclared entities, an inapplicable scope); their bodies are their templates'.
Not modelled: permissive and partial validation modes (`request_validator` checks requests and
entities against the schema).

Trusts: `schema`, `typechecker`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from assay.models.cedar import ast
from assay.models.cedar.schema import RequestEnv, Schema
from assay.models.cedar.typechecker import TypeCheckError, TypeEnv, type_of
from assay.models.cedar.validator_types import BOOL, FALSE, CedarType, display, is_subtype


class IssueKind(enum.Enum):
    UNRECOGNIZED_ENTITY_TYPE = "unrecognizedEntityType"
    UNRECOGNIZED_ACTION = "unrecognizedActionId"
    INVALID_ENUM_ENTITY = "invalidEnumEntity"
    INVALID_ACTION_APPLICATION = "invalidActionApplication"
    TYPE_ERROR = "typeError"
    IMPOSSIBLE_POLICY = "impossiblePolicy"


@dataclass(frozen=True)
class Issue:
    """One validation error or warning; `detail` is the type error's Lean name, if any."""

    policy_id: str
    kind: IssueKind
    message: str
    span: ast.Span | None = None
    detail: str | None = None

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span else ""
        return f"{where}policy `{self.policy_id}`: {self.message}"


@dataclass
class ValidationResult:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.errors


def scope_expr(policy: ast.Policy) -> ast.Expr:
    """The scope as an expression (Lean's `Scope.toExpr`), nodes carrying the scope's spans."""
    parts: list[ast.Expr] = []
    for s in (policy.principal, policy.action, policy.resource):
        var = ast.Var(s.var, span=s.span)
        ent: Any = s.entity
        target = (ent if isinstance(ent, ast.Slot) else
                  ast.EntityLit(ent, span=s.span) if ent is not None else None)
        if s.op == "any":
            parts.append(ast.Lit(True, span=s.span))
        elif s.op == "==":
            parts.append(ast.Binary("==", var, target, span=s.span))
        elif s.op == "in":
            parts.append(ast.Binary("in", var, target, span=s.span))
        elif s.op == "is":
            parts.append(ast.Is(var, s.entity_type or "", span=s.span))
        elif s.op == "is in":
            parts.append(ast.Is(var, s.entity_type or "", target, span=s.span))
        else:  # in list
            parts.append(ast.Binary("in", var, ast.SetLit(tuple(
                ast.EntityLit(u, span=s.span) for u in s.entities), span=s.span), span=s.span))
    return ast.And(parts[0], ast.And(parts[1], parts[2], span=policy.span), span=policy.span)


def condition_expr(policy: ast.Policy) -> ast.Expr:
    """The conditions as one expression: `when {a} unless {b}` is `a && !b`."""
    bodies = [c.body if c.kind == "when" else ast.Unary("!", c.body, span=c.span)
              for c in policy.conditions]
    if not bodies:
        return ast.Lit(True, span=policy.span)
    out = bodies[-1]
    for b in reversed(bodies[:-1]):
        out = ast.And(b, out, span=b.span)
    return out


def policy_expr(policy: ast.Policy) -> ast.Expr:
    """Lean's `Policy.toExpr`: principal && (action && (resource && conditions))."""
    scope = scope_expr(policy)
    assert isinstance(scope, ast.And) and isinstance(scope.right, ast.And)
    return ast.And(scope.left, ast.And(scope.right.left, ast.And(
        scope.right.right, condition_expr(policy), span=policy.span), span=policy.span),
        span=policy.span)


def check_entities(policy: ast.Policy, schema: Schema) -> list[Issue]:
    """Every entity type, entity and action the policy names is declared (iterative walk)."""
    out: list[Issue] = []
    actions = schema.action_types()
    todo: list[Any] = [policy_expr(policy)]
    while todo:
        x = todo.pop()
        if isinstance(x, ast.EntityLit):
            uid = x.uid
            decl = schema.entity_types.get(uid.type)
            if decl is not None:
                if decl.enum is not None and uid.id not in decl.enum:
                    out.append(Issue(policy.id, IssueKind.INVALID_ENUM_ENTITY,
                                     f"entity {uid} is not a member of the enumerated entity "
                                     f"type {uid.type} ({', '.join(map(repr, decl.enum))})",
                                     x.span))
            elif uid.type in actions:
                if uid not in schema.actions:
                    out.append(Issue(policy.id, IssueKind.UNRECOGNIZED_ACTION,
                                     f"unrecognized action {uid}", x.span))
            else:
                out.append(Issue(policy.id, IssueKind.UNRECOGNIZED_ENTITY_TYPE,
                                 f"unrecognized entity type `{uid.type}`", x.span))
        elif isinstance(x, ast.Is) and x.entity_type not in schema.entity_types \
                and x.entity_type not in actions:
            out.append(Issue(policy.id, IssueKind.UNRECOGNIZED_ENTITY_TYPE,
                             f"unrecognized entity type `{x.entity_type}`", x.span))
        todo += ast.children(x)
    return list(dict.fromkeys(out))


def _env_type(expr: ast.Expr, env: TypeEnv) -> CedarType | TypeCheckError:
    try:
        return type_of(expr, env)[0]
    except TypeCheckError as exc:
        return exc


def validate_policy(policy: ast.Policy, schema: Schema, envs: list[RequestEnv] | None = None,
                    typecheck: bool = True) -> ValidationResult:
    """Steps 1-3 of the module docstring for one policy; without `typecheck`, steps 1-2 only
    (a template link, whose body its template's validation typechecks)."""
    result = ValidationResult()
    result.errors += check_entities(policy, schema)
    if result.errors:  # as Lean's validator: undeclared names end the policy's check
        return result
    envs = schema.environments() if envs is None else envs
    scope = scope_expr(policy)
    applicable = [e for e in envs if _env_type(scope, TypeEnv(schema, e)) is not FALSE]
    if not applicable:
        result.errors.append(Issue(policy.id, IssueKind.INVALID_ACTION_APPLICATION,
                                   "unable to find an applicable action given the policy scope "
                                   "constraints", policy.span))
        return result
    if not typecheck:
        return result
    expr = policy_expr(policy)
    types: list[CedarType] = []
    seen: set[tuple[str, str, Any]] = set()
    for env in applicable:
        t = _env_type(expr, TypeEnv(schema, env))
        if isinstance(t, TypeCheckError):
            span = getattr(t.node, "span", None) or policy.span  # (`[]` may have no span)
            key = (t.kind.value, t.message, span)
            if key not in seen:
                seen.add(key)
                result.errors.append(Issue(policy.id, IssueKind.TYPE_ERROR, t.message, span,
                                           t.kind.value))
        elif not is_subtype(t, BOOL):
            result.errors.append(Issue(policy.id, IssueKind.TYPE_ERROR,
                                       f"the policy has type {display(t)}, not Bool",
                                       policy.span, "unexpectedType"))
        else:
            types.append(t)
    if not result.errors and types and all(t is FALSE for t in types):
        result.warnings.append(Issue(policy.id, IssueKind.IMPOSSIBLE_POLICY,
                                     "policy is impossible: the policy expression evaluates to "
                                     "false for all valid requests", policy.span))
    return result


@dataclass(frozen=True)
class TypedPolicy:
    env: RequestEnv
    expr: ast.Expr
    types: dict[int, CedarType]

    @property
    def type(self) -> CedarType:
        return self.types[id(self.expr)]


def typed_environments(policy: ast.Policy, schema: Schema) -> list[TypedPolicy]:
    """The policy typed in every environment its scope allows; raises `TypeCheckError` when
    it does not typecheck in one (validate first for the full report)."""
    expr = policy_expr(policy)
    scope = scope_expr(policy)
    out = []
    for env in schema.environments():
        tenv = TypeEnv(schema, env)
        if _env_type(scope, tenv) is FALSE:
            continue
        types: dict[int, CedarType] = {}
        type_of(expr, tenv, record=types)
        out.append(TypedPolicy(env, expr, types))
    return out


def validate(policies: ast.PolicySet, schema: Schema) -> ValidationResult:
    """Validate every static policy and template of `policies` against `schema`."""
    result = ValidationResult()
    envs = schema.environments()
    for p in (*policies.policies, *policies.templates):
        r = validate_policy(p, schema, envs)
        result.errors += r.errors
        result.warnings += r.warnings
    if policies.links:  # a link's entities must be declared and its scope applicable; its
        from assay.models.cedar.link import linked_policies  # body is its template's
        for p in linked_policies(policies):
            result.errors += validate_policy(p, schema, envs, typecheck=False).errors
    return result
