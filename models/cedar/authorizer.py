"""The Cedar authorizer: decision, determining policies and erroring policies.

The specification (cedar-spec, `Cedar/Spec/Authorizer.lean`) in a few lines: a policy is
satisfied when its scope holds and every `when` body is true and every `unless` body false; a
policy whose evaluation errors is an erroring policy (it neither permits nor forbids). If some
forbid is satisfied the decision is deny, determined by the satisfied forbids; otherwise, if some
permit is satisfied, allow, determined by the satisfied permits; otherwise deny with no
determining policies. That is `decide` below.

For speed, `Authorizer` indexes policies by scope: each policy is filed under one anchor, the
most selective of its scope constraints (an entity for `==`/`in`, an entity type for `is`), and
a request only evaluates the policies filed under an anchor it can match: the request's
principal, resource and action, their ancestors and their types. Ancestor sets are cached by the
entity store. The index only prunes: every candidate is still checked against its full scope.

Trusts: `evaluator`, `entities` (ancestor sets) and `link` (part B) for template links.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from assay.models.cedar import ast
from assay.models.cedar.entities import Entities, Request
from assay.models.cedar.evaluator import ErrorKind, EvalError, evaluate
from assay.models.cedar.link import linked_policies
from assay.models.cedar.values import EntityUID


@dataclass(frozen=True)
class PolicyError:
    policy_id: str
    error: EvalError


@dataclass(frozen=True)
class Response:
    decision: str  # "allow" | "deny"
    reasons: frozenset[str] = frozenset()  # determining policy ids
    errors: tuple[PolicyError, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.decision == "allow"

    @property
    def erroring_ids(self) -> frozenset[str]:
        return frozenset(e.policy_id for e in self.errors)


def decide(satisfied: Iterable[ast.Policy], errors: Iterable[PolicyError]) -> Response:
    sat = list(satisfied)
    forbids = frozenset(p.id for p in sat if p.effect == "forbid")
    permits = frozenset(p.id for p in sat if p.effect == "permit")
    if not forbids and permits:
        return Response("allow", permits, tuple(errors))
    return Response("deny", forbids, tuple(errors))


# -- scope -------------------------------------------------------------------------------------

def scope_holds(scope: ast.Scope, uid: EntityUID, es: Entities) -> bool:
    """Does the request's `uid` satisfy a (linked) scope constraint?"""
    op = scope.op
    if op == "any":
        return True
    if op == "==":
        return uid == scope.entity
    if op == "in":
        return es.is_in(uid, scope.entity)  # type: ignore[arg-type]
    if op == "is":
        return uid.type == scope.entity_type
    if op == "is in":
        return uid.type == scope.entity_type and es.is_in(uid, scope.entity)  # type: ignore
    if op == "in list":
        return any(es.is_in(uid, e) for e in scope.entities)
    raise ValueError(f"unknown scope operator {op!r}")


def _unlinked(policy: ast.Policy) -> bool:
    return (policy.principal.entity.__class__ is ast.Slot
            or policy.resource.entity.__class__ is ast.Slot)


def evaluate_policy(policy: ast.Policy, req: Request, es: Entities) -> bool | EvalError:
    """True if satisfied, False if not, or the error that stopped its evaluation."""
    if _unlinked(policy):
        return EvalError(ErrorKind.UNLINKED_SLOT, f"{policy.id} has unlinked slots")
    if not (scope_holds(policy.principal, req.principal, es)
            and scope_holds(policy.action, req.action, es)
            and scope_holds(policy.resource, req.resource, es)):
        return False
    for cond in policy.conditions:
        v = evaluate(cond.body, req, es)
        if isinstance(v, EvalError):
            return v
        if v.__class__ is not bool:
            return EvalError(ErrorKind.TYPE_ERROR, f"a {cond.kind} condition is not a Bool")
        if v != (cond.kind == "when"):
            return False
    return True


def is_authorized(req: Request, policies: Iterable[ast.Policy], es: Entities) -> Response:
    """The specification: evaluate every policy, then `decide`."""
    satisfied, errors = [], []
    for p in policies:
        r = evaluate_policy(p, req, es)
        if isinstance(r, EvalError):
            errors.append(PolicyError(p.id, r))
        elif r:
            satisfied.append(p)
    return decide(satisfied, errors)


# -- indexing ------------------------------------------------------------------------------

def active_policies(ps: ast.PolicySet) -> list[ast.Policy]:
    """Static policies and linked templates (templates themselves are never evaluated)."""
    return [*ps.policies, *linked_policies(ps)]


def _anchors(p: ast.Policy) -> list[tuple[str, object]]:
    for s in (p.principal, p.resource):
        if s.op in ("==", "in", "is in") and isinstance(s.entity, EntityUID):
            return [(s.var, s.entity)]
    for s in (p.principal, p.resource):
        if s.op == "is":
            return [(s.var + " type", s.entity_type)]
    if p.action.op in ("==", "in") and isinstance(p.action.entity, EntityUID):
        return [("action", p.action.entity)]
    if p.action.op == "in list":
        return [("action", e) for e in p.action.entities]
    return []


@dataclass
class Authorizer:
    """A policy set prepared for many requests (see the module docstring)."""

    policy_set: ast.PolicySet
    policies: list[ast.Policy] = field(init=False)
    _unanchored: list[int] = field(init=False)
    _index: dict[tuple[str, object], list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.policies = active_policies(self.policy_set)
        self._unanchored, self._index = [], {}
        for i, p in enumerate(self.policies):
            keys = _anchors(p)
            if not keys:
                self._unanchored.append(i)
            for k in keys:
                self._index.setdefault(k, []).append(i)

    def candidates(self, req: Request, es: Entities) -> list[ast.Policy]:
        found = set(self._unanchored)
        index = self._index
        for var, uid in (("principal", req.principal), ("resource", req.resource),
                         ("action", req.action)):
            for a in (uid, *es.ancestors(uid)):
                hit = index.get((var, a))
                if hit:
                    found.update(hit)
            hit = index.get((var + " type", uid.type))
            if hit:
                found.update(hit)
        return [self.policies[i] for i in sorted(found)]

    def is_authorized(self, req: Request, es: Entities) -> Response:
        return is_authorized(req, self.candidates(req, es), es)
