"""Shared helpers for the Cedar tests: cedarpy as the oracle, and a small entity store."""

from __future__ import annotations

import re
from typing import Any

import cedarpy

from assay.models.cedar import Authorizer, entities_from_json, parse_policies, request_from_json

_POLICY_ID = re.compile(r"policy `([^`]*)`")

ENTITIES: list[dict[str, Any]] = [
    {"uid": {"type": "User", "id": "alice"},
     "attrs": {"age": 30, "name": "alice", "dept": {"__entity": {"type": "Dept", "id": "eng"}},
               "tags": ["a", "b"], "profile": {"level": 3, "nick": "al"},
               "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.7"}},
               "score": {"__extn": {"fn": "decimal", "arg": "1.25"}}},
     "parents": [{"type": "Group", "id": "admins"}], "tags": {"color": "red", "n": 3}},
    {"uid": {"type": "User", "id": "bob"}, "attrs": {"age": 17},
     "parents": [{"type": "Group", "id": "staff"}]},
    {"uid": {"type": "Group", "id": "admins"}, "attrs": {},
     "parents": [{"type": "Group", "id": "staff"}]},
    {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": []},
    {"uid": {"type": "Dept", "id": "eng"}, "attrs": {"budget": 100}, "parents": []},
    {"uid": {"type": "Doc", "id": "d1"}, "attrs": {"owner": {"__entity":
                                                             {"type": "User", "id": "alice"}},
                                                   "private": False},
     "parents": [{"type": "Folder", "id": "f"}]},
    {"uid": {"type": "Action", "id": "read"}, "attrs": {},
     "parents": [{"type": "Action", "id": "all"}]},
]

REQUEST: dict[str, Any] = {
    "principal": 'User::"alice"', "action": 'Action::"read"', "resource": 'Doc::"d1"',
    "context": {"n": 5, "flag": True, "s": "hello*world", "set": [1, 2, 3],
                "rec": {"a": 1, "b": {"c": "x"}},
                "when": {"__extn": {"fn": "datetime", "arg": "2024-06-01T12:00:00Z"}},
                "d": {"__extn": {"fn": "duration", "arg": "1h30m"}}},
}


def cedarpy_response(policies: str, entities: list[dict[str, Any]],
                     request: dict[str, Any]) -> tuple[str, frozenset[str], frozenset[str]]:
    r = cedarpy.is_authorized(request, policies, entities)
    errors = frozenset(m.group(1) for e in r.diagnostics.errors
                       for m in [_POLICY_ID.search(str(e))] if m)
    return ("allow" if r.allowed else "deny", frozenset(r.diagnostics.reasons), errors)


def assay_response(policies: str, entities: list[dict[str, Any]],
                   request: dict[str, Any]) -> tuple[str, frozenset[str], frozenset[str]]:
    resp = Authorizer(parse_policies(policies)).is_authorized(
        request_from_json(request), entities_from_json(entities))
    return (resp.decision, resp.reasons, resp.erroring_ids)
