"""The authorizer: the scope index changes nothing (it agrees with the plain specification on
generated policy sets), templates link as Cedar links them, and decisions match cedarpy."""

from __future__ import annotations

import json

from cedar_oracle import ENTITIES, REQUEST, assay_response, cedarpy_response
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.models.cedar import (
    Authorizer,
    Entities,
    Entity,
    EntityUID,
    Request,
    entities_from_json,
    is_authorized,
    parse_policies,
    request_from_json,
)
from assay.models.cedar.ast import PolicySet, TemplateLink
from assay.models.cedar.authorizer import active_policies

USERS = [EntityUID("User", n) for n in ("alice", "bob", "carol")]
GROUPS = [EntityUID("Group", n) for n in ("admins", "staff", "all")]
DOCS = [EntityUID("Doc", n) for n in ("d1", "d2")]
FOLDERS = [EntityUID("Folder", n) for n in ("f1", "f2")]
ACTIONS = [EntityUID("Action", n) for n in ("read", "write", "any")]


def _store() -> Entities:
    parents = {
        USERS[0]: {GROUPS[0]}, USERS[1]: {GROUPS[1]}, GROUPS[0]: {GROUPS[1]},
        GROUPS[1]: {GROUPS[2]}, DOCS[0]: {FOLDERS[0]}, DOCS[1]: {FOLDERS[1]},
        FOLDERS[1]: {FOLDERS[0]}, ACTIONS[0]: {ACTIONS[2]}, ACTIONS[1]: {ACTIONS[2]},
    }
    return Entities(Entity(u, parents=frozenset(ps)) for u, ps in parents.items())


def _ref(u: EntityUID) -> str:
    return f'{u.type}::"{u.id}"'


principal_scopes = st.one_of(
    st.just("principal"),
    st.sampled_from(USERS + GROUPS).map(lambda u: f"principal == {_ref(u)}"),
    st.sampled_from(USERS + GROUPS).map(lambda u: f"principal in {_ref(u)}"),
    st.sampled_from(["User", "Group"]).map(lambda t: f"principal is {t}"),
    st.sampled_from(GROUPS).map(lambda g: f"principal is User in {_ref(g)}"),
)
action_scopes = st.one_of(
    st.just("action"),
    st.sampled_from(ACTIONS).map(lambda a: f"action == {_ref(a)}"),
    st.sampled_from(ACTIONS).map(lambda a: f"action in {_ref(a)}"),
    st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=2).map(
        lambda xs: "action in [" + ", ".join(map(_ref, xs)) + "]"),
)
resource_scopes = st.one_of(
    st.just("resource"),
    st.sampled_from(DOCS + FOLDERS).map(lambda u: f"resource == {_ref(u)}"),
    st.sampled_from(DOCS + FOLDERS).map(lambda u: f"resource in {_ref(u)}"),
    st.just("resource is Doc"),
)
conditions = st.sampled_from(["", " when { true }", " unless { true }", " when { 1 + true }",
                              " when { principal has x }", " when { context.k == 1 }"])
policies = st.lists(st.tuples(st.sampled_from(["permit", "forbid"]), principal_scopes,
                              action_scopes, resource_scopes, conditions),
                    min_size=1, max_size=12).map(
    lambda ps: "\n".join(f"{e}({p}, {a}, {r}){c};" for e, p, a, r, c in ps))
requests = st.builds(Request, st.sampled_from(USERS + GROUPS), st.sampled_from(ACTIONS),
                     st.sampled_from(DOCS + FOLDERS))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies, st.lists(requests, min_size=1, max_size=5))
def test_index_agrees_with_specification(text: str, reqs: list[Request]) -> None:
    ps = parse_policies(text)
    store = _store()
    auth = Authorizer(ps)
    for req in reqs:
        assert auth.is_authorized(req, store) == is_authorized(req, ps.policies, store)


@settings(max_examples=60, deadline=None)
@given(policies, requests)
def test_generated_policies_agree_with_cedarpy(text: str, req: Request) -> None:
    store = [{"uid": {"type": u.type, "id": u.id}, "attrs": {},
              "parents": [{"type": p.type, "id": p.id} for p in e.parents]}
             for u, e in _store().items()]
    request = {"principal": _ref(req.principal), "action": _ref(req.action),
               "resource": _ref(req.resource), "context": {"k": 1}}
    assert assay_response(text, store, request) == cedarpy_response(text, store, request)


def test_template_links_behave_as_static_policies() -> None:
    text = ('permit(principal == ?principal, action, resource in ?resource) '
            'when { context.n > 1 };\nforbid(principal in ?principal, action, resource);')
    ps = parse_policies(text)
    assert [t.id for t in ps.templates] == ["policy0", "policy1"]
    link = TemplateLink("policy0", "alice-docs", (("?principal", USERS[0]),
                                                  ("?resource", FOLDERS[0])))
    linked = PolicySet(ps.policies, ps.templates, (link,))
    static = parse_policies('permit(principal == User::"alice", action, resource in '
                            'Folder::"f1") when { context.n > 1 };')
    (ours,) = active_policies(linked)
    assert ours.id == "alice-docs"
    assert (ours.principal, ours.resource, ours.conditions) == (
        static.policies[0].principal, static.policies[0].resource, static.policies[0].conditions)
    req = request_from_json({"principal": 'User::"alice"', "action": 'Action::"read"',
                             "resource": 'Doc::"d1"', "context": {"n": 2}})
    resp = Authorizer(linked).is_authorized(req, _store())
    assert resp.decision == "allow" and resp.reasons == {"alice-docs"}
    # templates themselves never apply
    assert Authorizer(ps).is_authorized(req, _store()).decision == "deny"


def test_reasons_and_errors_against_cedarpy() -> None:
    text = ('permit(principal, action, resource) when { principal.age > 18 };\n'
            'permit(principal in Group::"staff", action, resource);\n'
            'forbid(principal, action, resource) when { resource.private };\n'
            'forbid(principal, action, resource) when { principal.nope };\n'
            'permit(principal, action == Action::"read", resource) unless { context.n == 5 };')
    ours = assay_response(text, ENTITIES, REQUEST)
    assert ours == cedarpy_response(text, ENTITIES, REQUEST)
    assert ours == ("allow", frozenset({"policy0", "policy1"}), frozenset({"policy3"}))
    assert json.dumps(sorted(ours[1])) == '["policy0", "policy1"]'


def test_missing_entities_are_not_errors_in_scope() -> None:
    store = entities_from_json([])
    req = Request(EntityUID("User", "ghost"), ACTIONS[0], DOCS[0])
    ps = parse_policies('permit(principal in Group::"g", action, resource);')
    assert Authorizer(ps).is_authorized(req, store).decision == "deny"
