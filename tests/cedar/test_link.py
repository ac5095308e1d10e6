"""Template linking against cedarpy's `PolicySet.with_linked`, and the template-linked file."""

from __future__ import annotations

import json
from pathlib import Path

import cedarpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.core.errors import AssayError
from assay.models.cedar import ast
from assay.models.cedar.authorizer import Authorizer
from assay.models.cedar.entities import Entities, Request
from assay.models.cedar.link import (
    LinkError,
    instantiate,
    link,
    link_all,
    linked_policies,
    links_from_json,
    read_links_file,
    write_links_file,
)
from assay.models.cedar.parser import parse_policies, parse_policy
from assay.models.cedar.values import EntityUID

TEXT = """
permit(principal == ?principal, action, resource in ?resource) when { context.ok };
forbid(principal in ?principal, action == Action::"delete", resource);
permit(principal, action, resource is Photo in ?resource);
permit(principal, action, resource);
"""
ALICE, BOB = EntityUID("User", "alice"), EntityUID("User", "bob")
ALBUM = EntityUID("Album", "a\"1")
SLOT_VALUES = st.dictionaries(st.sampled_from(["?principal", "?resource"]),
                              st.sampled_from([ALICE, BOB, ALBUM]), max_size=2)


def cedarpy_link(template_id: str, new_id: str, values: dict[str, EntityUID]) -> str | None:
    try:
        linked = cedarpy.PolicySet.from_str(TEXT).with_linked(
            template_id, new_id, {k: str(v) for k, v in values.items()})
    except ValueError:
        return None
    return str(linked)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["policy0", "policy1", "policy2", "policy3", "nope"]),
       st.sampled_from(["L", "policy3", "policy0"]), SLOT_VALUES)
def test_link_agrees_with_cedarpy(template_id: str, new_id: str,
                                  values: dict[str, EntityUID]) -> None:
    ps = parse_policies(TEXT)
    theirs = cedarpy_link(template_id, new_id, values)
    try:
        linked = link(ps, template_id, new_id, values)
    except LinkError:
        assert theirs is None
        return
    assert theirs is not None
    [mine] = linked_policies(linked)
    # cedarpy prints static policies and then the linked one; the last policy is the link
    printed = parse_policies(theirs)
    expected = printed.policies[-1]
    assert mine == ast.Policy(expected.effect, new_id, expected.annotations, expected.principal,
                              expected.action, expected.resource, expected.conditions)


def test_linked_policies_authorize_like_cedarpy() -> None:
    ps = link_all(parse_policies(TEXT), [
        ast.TemplateLink("policy0", "L0", (("?principal", ALICE), ("?resource", ALBUM))),
        ast.TemplateLink("policy1", "L1", (("?principal", BOB),)),
    ])
    theirs = cedarpy.PolicySet.from_str(TEXT).with_linked(
        "policy0", "L0", {"?principal": str(ALICE), "?resource": str(ALBUM)}).with_linked(
        "policy1", "L1", {"?principal": str(BOB)})
    auth = Authorizer(ps)
    for who in (ALICE, BOB):
        for act in ("view", "delete"):
            req = Request(who, EntityUID("Action", act), ALBUM)
            mine = auth.is_authorized(req, Entities())
            r = cedarpy.is_authorized({"principal": str(who), "action": f'Action::"{act}"',
                                       "resource": str(ALBUM), "context": {}}, theirs, [])
            assert mine.decision == r.decision.value.lower()
            assert mine.reasons == set(r.diagnostics.reasons)
            assert mine.erroring_ids == {e.split("`")[1] for e in r.diagnostics.errors}


def test_instantiate_keeps_everything_but_slots() -> None:
    t = parse_policy('@a("b") permit(principal is U in ?principal, action, resource);', id="t")
    p = instantiate(t, "new", {"?principal": ALICE})
    assert p.id == "new" and p.annotations == t.annotations and not p.is_template
    assert p.principal == ast.Scope("principal", "is in", ALICE, "U")
    with pytest.raises(LinkError, match="no value for"):
        instantiate(t, "x", {})
    with pytest.raises(LinkError, match="no such slot"):
        instantiate(t, "x", {"?principal": ALICE, "?resource": ALBUM})


def test_ids_must_be_fresh_across_links() -> None:
    ps = link(parse_policies(TEXT), "policy1", "L", {"?principal": ALICE})
    with pytest.raises(LinkError, match="already exists"):
        link(ps, "policy1", "L", {"?principal": BOB})


def test_links_file_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    assert read_links_file(path) == ()
    path.write_text("")
    assert read_links_file(path) == ()
    links = (ast.TemplateLink("policy0", "L0", (("?principal", ALICE), ("?resource", ALBUM))),)
    write_links_file(path, links)
    raw = json.loads(path.read_text())
    assert raw == [{"template_id": "policy0", "link_id": "L0",
                    "args": {"?principal": 'User::"alice"', "?resource": 'Album::"a\\"1"'}}]
    assert read_links_file(path) == links


@pytest.mark.parametrize("raw", [
    {}, [1], [{"template_id": "t", "link_id": "l"}],
    [{"template_id": "t", "link_id": "l", "args": {"?who": 'User::"a"'}}],
    [{"template_id": "t", "link_id": "l", "args": {"?principal": "User:a"}}],
    [{"template_id": "t", "link_id": "l", "args": {"?principal": {"type": "U", "id": "a"}}}],
])
def test_bad_links_json(raw: object) -> None:
    with pytest.raises(LinkError):
        links_from_json(raw, "links.json")


def test_bad_links_file_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    path.write_text("[{")
    with pytest.raises(AssayError):
        read_links_file(path)
