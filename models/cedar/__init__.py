"""Assay's model of Cedar: syntax, values, evaluator and authorizer, in Python.

    >>> from assay.models.cedar import parse_policies, Authorizer, Entities, Request, EntityUID
    >>> ps = parse_policies('permit(principal == User::"alice", action, resource);')
    >>> alice = EntityUID("User", "alice")
    >>> r = Authorizer(ps).is_authorized(Request(alice, EntityUID("Action", "view"), alice),
    ...                                  Entities())
    >>> r.decision, sorted(r.reasons)
    ('allow', ['policy0'])

Semantics follow Cedar 4.x (cedarpy 4.12); the corpus of cedar-integration-tests passes in full
(`assay cedar run-tests`). Modules: `ast` (syntax), `parser` (lark grammar `cedar.lark`),
`values`, `entities`, `json_io` (Cedar's JSON formats), `extensions` (decimal, ipaddr, datetime,
duration), `evaluator`, `authorizer`, `conformance`, `cli`.
"""

from assay.models.cedar.ast import Policy, PolicySet, Span, TemplateLink
from assay.models.cedar.authorizer import (
    Authorizer,
    PolicyError,
    Response,
    evaluate_policy,
    is_authorized,
)
from assay.models.cedar.entities import Entities, Entity, Request
from assay.models.cedar.evaluator import ErrorKind, EvalError, evaluate
from assay.models.cedar.json_io import (
    context_from_json,
    entities_from_json,
    request_from_json,
    value_from_json,
    value_to_json,
)
from assay.models.cedar.parser import (
    parse_entity_uid,
    parse_expression,
    parse_policies,
    parse_policy,
)
from assay.models.cedar.values import CedarSet, EntityUID, Record

__all__ = [
    "Authorizer", "CedarSet", "Entities", "Entity", "EntityUID", "ErrorKind", "EvalError",
    "Policy", "PolicyError", "PolicySet", "Record", "Request", "Response", "Span",
    "TemplateLink", "context_from_json", "entities_from_json", "evaluate", "evaluate_policy",
    "is_authorized", "parse_entity_uid", "parse_expression", "parse_policies", "parse_policy",
    "request_from_json", "value_from_json", "value_to_json",
]
