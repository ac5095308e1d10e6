"""Assay's model of Cedar: syntax, values, evaluator and authorizer, in Python.

    >>> from assay.models.cedar import parse_policies, Authorizer, Entities, Request, EntityUID
    >>> ps = parse_policies('permit(principal == User::"alice", action, resource);')
    >>> alice = EntityUID("User", "alice")
    >>> r = Authorizer(ps).is_authorized(Request(alice, EntityUID("Action", "view"), alice),
    ...                                  Entities())
    >>> r.decision, sorted(r.reasons)
    ('allow', ['policy0'])

Semantics follow Cedar 4.x (cedarpy 4.12); the corpus of cedar-integration-tests passes in full
(`assay cedar run-tests`). Modules: `ast` (syntax), `parser` (with `lexer`, `parser_expr`),
`values`, `entities`, `json_io` (Cedar's JSON formats), `est` (the JSON policy format), `format`,
`link` (templates; the package exports the function `link`, so import the module's other
names from `assay.models.cedar.link`), `extensions` (decimal, ipaddr, datetime, duration),
`evaluator`, `authorizer`, `conformance`, `strategies` (Hypothesis; loaded on first use), `cli`.
Validation (Cedar's strict mode): `schema` (both schema formats; `load_schema` tells them
apart), `typechecker`, `validator` (`validate(policy_set, schema)`), `request_validator`
(entities and requests against a schema).

    >>> from assay.models.cedar import load_schema, validate
    >>> schema = load_schema('entity User; action view appliesTo { principal: User, '
    ...                      'resource: User };')
    >>> validate(ps, schema).passed
    True
    >>> [i.message for i in validate(parse_policies('permit(principal, action, resource) '
    ...     'when { principal.age > 3 };'), schema).errors]
    ['attribute `age` on entity type `User` not found']
"""

from typing import Any

from assay.models.cedar.ast import Policy, PolicySet, Span, TemplateLink
from assay.models.cedar.authorizer import (
    Authorizer,
    PolicyError,
    Response,
    evaluate_policy,
    is_authorized,
)
from assay.models.cedar.entities import Entities, Entity, Request
from assay.models.cedar.est import (
    expr_from_json,
    expr_to_json,
    policy_from_json,
    policy_set_from_json,
    policy_set_to_json,
    policy_to_json,
)
from assay.models.cedar.evaluator import ErrorKind, EvalError, UnsetVariable, evaluate
from assay.models.cedar.format import format_expr, format_policy, format_policy_set
from assay.models.cedar.json_io import (
    context_from_json,
    entities_from_json,
    request_from_json,
    value_from_json,
    value_to_json,
)
from assay.models.cedar.link import LinkError, link, link_all, linked_policies
from assay.models.cedar.parser import (
    parse_entity_uid,
    parse_expression,
    parse_policies,
    parse_policies_file,
    parse_policy,
)
from assay.models.cedar.schema import Schema, SchemaError, load_schema, load_schema_file
from assay.models.cedar.validator import ValidationResult, validate
from assay.models.cedar.values import CedarSet, EntityUID, Record

__all__ = [
    "Authorizer", "CedarSet", "Entities", "Entity", "EntityUID", "ErrorKind", "EvalError",
    "LinkError", "Policy", "PolicyError", "PolicySet", "Record", "Request", "Response", "Schema",
    "SchemaError", "Span", "TemplateLink", "UnsetVariable", "ValidationResult",
    "context_from_json", "entities_from_json", "evaluate", "evaluate_policy", "expr_from_json",
    "expr_to_json", "format_expr", "format_policy", "format_policy_set", "is_authorized", "link",
    "link_all", "linked_policies", "load_schema", "load_schema_file", "parse_entity_uid",
    "parse_expression", "parse_policies", "parse_policies_file", "parse_policy",
    "policy_from_json", "policy_set_from_json", "policy_set_to_json", "policy_to_json",
    "request_from_json", "strategies", "validate", "value_from_json", "value_to_json",
]


def __getattr__(name: str) -> Any:
    """`strategies` (Hypothesis strategies) is imported on first use, not with the package:
    the CLI imports this package and should not pay for importing Hypothesis."""
    if name == "strategies":
        import importlib
        return importlib.import_module("assay.models.cedar.strategies")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
