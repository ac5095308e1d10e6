"""The schema model: both formats, Cedar's name resolution, and the schemas Cedar refuses.

Oracles: cedarpy (`Schema.from_str` / `from_json_str` accept exactly what Cedar accepts) and the
schemas of cedar-integration-tests (every one is a schema Cedar accepted).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cedarpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.models.cedar.conformance import discover, extract_corpus
from assay.models.cedar.schema import (
    SchemaError,
    load_schema_file,
    read_json_schema,
    read_schema,
)
from assay.models.cedar.validator_types import (
    BOOL,
    LONG,
    STRING,
    Attr,
    EntityType,
    ExtType,
    RecordType,
    SetType,
)
from assay.models.cedar.values import EntityUID

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "cedar-integration-tests"

APP = """
namespace App {
  type Addr = { ip: ipaddr, owner: User };
  entity User in [Group] = { boss?: User, home: Addr, friends: Set<User>, "odd key": Long }
      tags String;
  entity Group in [Org];
  entity Org;
  entity Color enum ["red", "green"];
  action view, "edit doc" appliesTo { principal: [User], resource: [Group, Org],
                                     context: { at: datetime } };
  action admin in [view, "edit doc"];
}
"""

APP_JSON = {"App": {
    "commonTypes": {"Addr": {"type": "Record", "attributes": {
        "ip": {"type": "Extension", "name": "ipaddr"},
        "owner": {"type": "Entity", "name": "User"}}}},
    "entityTypes": {
        "User": {"memberOfTypes": ["Group"], "shape": {"type": "Record", "attributes": {
            "boss": {"type": "Entity", "name": "User", "required": False},
            "home": {"type": "Addr"},
            "friends": {"type": "Set", "element": {"type": "Entity", "name": "User"}},
            "odd key": {"type": "Long"}}},
            "tags": {"type": "String"}},
        "Group": {"memberOfTypes": ["Org"]},
        "Org": {},
        "Color": {"enum": ["red", "green"]}},
    "actions": {
        "view": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Group", "Org"],
                               "context": {"type": "Record", "attributes": {
                                   "at": {"type": "Extension", "name": "datetime"}}}}},
        "edit doc": {"appliesTo": {"principalTypes": ["User"],
                                   "resourceTypes": ["Group", "Org"],
                                   "context": {"type": "Record", "attributes": {
                                       "at": {"type": "Extension", "name": "datetime"}}}}},
        "admin": {"memberOf": [{"id": "view"}, {"id": "edit doc"}]}}}}


def test_the_example_reads_as_cedar_reads_it() -> None:
    cedarpy.Schema.from_str(APP)
    s = read_schema(APP, "app.cedarschema")
    user = s.entity_types["App::User"]
    addr = RecordType({"ip": Attr(ExtType("ipaddr"), True),
                       "owner": Attr(EntityType("App::User"), True)})
    assert user.attrs is RecordType({
        "boss": Attr(EntityType("App::User"), False), "home": Attr(addr, True),
        "friends": Attr(SetType(EntityType("App::User")), True), "odd key": Attr(LONG, True)})
    assert user.tags is STRING and user.member_of == {"App::Group"}
    assert s.ancestors("App::User") == {"App::Group", "App::Org"}
    assert s.entity_types["App::Color"].enum == ("red", "green")
    view, edit = EntityUID("App::Action", "view"), EntityUID("App::Action", "edit doc")
    admin = EntityUID("App::Action", "admin")
    assert s.action_ancestors(admin) == {view, edit}
    assert s.actions[view].principals == ("App::User",)
    assert s.actions[view].resources == ("App::Group", "App::Org")
    assert s.actions[admin].principals == ()  # no appliesTo: applies to nothing
    assert len(s.environments()) == 4
    assert s.is_valid_entity_uid(EntityUID("App::Color", "red"))
    assert not s.is_valid_entity_uid(EntityUID("App::Color", "blue"))
    assert s.common_types["App::Addr"] is addr


def test_json_format_gives_the_same_schema() -> None:
    cedarpy.Schema.from_json_str(json.dumps(APP_JSON))
    a, b = read_schema(APP), read_json_schema(APP_JSON)
    assert a.entity_types == b.entity_types
    assert a.actions == b.actions
    assert a.common_types == b.common_types


def test_name_resolution_prefers_common_then_entity_then_empty_namespace() -> None:
    text = """
      type Gen = Long;
      entity Top;
      namespace N {
        type Name = String;
        entity Holder = { a: Name, b: Top, c: __cedar::Long, d: Bool, e: N::Name,
                          f: Set<Holder>, g: Gen };
      }"""
    cedarpy.Schema.from_str(text)
    attrs = read_schema(text).entity_types["N::Holder"].attrs
    assert attrs.get("a").type is STRING  # the namespace's own common type
    assert attrs.get("b").type is EntityType("Top")  # the empty namespace's entity type
    assert attrs.get("c").type is LONG and attrs.get("d").type is BOOL
    assert attrs.get("e").type is STRING
    assert attrs.get("f").type is SetType(EntityType("N::Holder"))
    assert attrs.get("g").type is LONG  # the empty namespace's common type


REFUSED = [
    ("entity A = { b: Missing };", "undeclared type Missing", 1),
    ("entity A in [Nope];", "undeclared entity type Nope", 1),
    ("entity A;\nentity A;", "declared twice", 2),
    ("type T = { a: U };\ntype U = T;\nentity A;", "in terms of itself", 1),
    ("entity A;\naction a in [b] appliesTo { principal: A, resource: A };", "undeclared action",
     2),
    ("entity A;\naction a in [b];\naction b in [a];", "cycle", 2),
    ("entity A;\naction a appliesTo { principal: A, resource: A, context: A };",
     "record type", 2),
    ("entity A = { a: Long ", "malformed schema", 1),
    ("@x @x entity A;", "duplicate annotations", 1),
    ("entity A in [B,];\nentity B;", "malformed", 1),
    ("entity A;\nentity B = { in: Long };", "reserved identifier", 2),
    ("entityA;", "malformed", 1),
    ("entity A;\naction a appliesTo { @p principal: A, resource: A };", "malformed", 2),
    ("entity A;\naction a appliesTo { principal: A, resource: A, context: [A] };",
     "record type", 2),
    ("entity Name;\nnamespace N { entity Name; }", "illegally shadows", 2),
    ("type Name = Long;\nnamespace N {\n type Name = String; }", "illegally shadows", 3),
    ("type Set = Long;", "reserved", 1),
    ("entity A = { a: Boolean };", "undeclared type Boolean", 1),
    ("namespace __cedar { entity A; }", "reserved", 1),
    ("entity A;\naction a appliesTo { principal: [], resource: A };", "invalid", 2),
    ("entity Action;", "may not be declared", 1),
]


@pytest.mark.parametrize(("text", "message", "line"), REFUSED)
def test_schemas_cedar_refuses_are_refused_with_a_position(text: str, message: str,
                                                           line: int) -> None:
    with pytest.raises(Exception):  # noqa: B017 - cedarpy raises its own error types
        cedarpy.Schema.from_str(text)
    with pytest.raises(SchemaError, match=message) as info:
        read_schema(text, "bad.cedarschema")
    assert info.value.source == "bad.cedarschema" and info.value.line == line
    assert "^" in (info.value.context or "")


def test_every_schema_of_the_integration_tests_reads() -> None:
    if not (SHARED / "corpus-tests.tar.gz").exists():
        pytest.fail(f"the Cedar corpus is missing: expected {SHARED.resolve()}")
    paths = sorted({Path(str(t).removesuffix(".json") + ".cedarschema")
                    for t, _ in discover(SHARED) if t.parent.name == "corpus-tests"})
    assert len(paths) == 7809
    sample = [*paths[::8], *sorted(SHARED.glob("sample-data/*/*.cedarschema"))]
    for p in sample:
        s = load_schema_file(p)
        assert s.entity_types or s.actions, p


JSON_REFUSED = [
    ({"": {"entityTypes": {"A": {"memberOf": []}}, "actions": {}}}, "unknown field `memberOf`"),
    ({"": {"entityTypes": {}, "actions": {}, "foo": 1}}, "unknown field `foo`"),
    ({"": {"entityTypes": {}}}, "missing field `actions`"),
    ({"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {}, "x": 1}}},
           "actions": {}}}, "unknown field `x`"),
    ({"": {"entityTypes": {"A": {}}, "actions": {"a": {"appliesTo": {
        "principalTypes": ["A"], "resourceTypes": ["A"], "ctx": {}}}}}}, "unknown field `ctx`"),
    ({"": {"entityTypes": {"A": {}}, "actions": {"a": {"appliesTo": {
        "principalTypes": ["A"]}}}}}, "missing field `resourceTypes`"),
    ({"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {
        "b": {"type": "Nope"}}}}}, "actions": {}}}, "undeclared type Nope"),
    ({"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {
        "b": {"type": "A"}}}}}, "actions": {}}}, "undeclared type A"),  # an entity type
    ({"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {
        "b": {"type": "Long", "name": "x"}}}}}, "actions": {}}}, "unknown field `name`"),
]


@pytest.mark.parametrize(("obj", "message"), JSON_REFUSED)
def test_json_schemas_cedar_refuses_are_refused(obj: dict, message: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 - cedarpy raises its own error types
        cedarpy.Schema.from_json_str(json.dumps(obj))
    with pytest.raises(SchemaError, match=message):
        read_json_schema(obj, "s.json")


JUNK = st.recursive(st.none() | st.booleans() | st.integers(-1, 1)
                    | st.sampled_from(["A", "Long", "Set", "Record", "Entity", "App::User"]),
                    lambda inner: st.lists(inner, max_size=2)
                    | st.dictionaries(st.sampled_from(["type", "name", "id", "element"]), inner,
                                      max_size=2), max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=6), JUNK)
def test_malformed_json_schemas_raise_schema_errors_only(path: list[int], junk: object) -> None:
    """Any value anywhere in a valid JSON schema: a SchemaError or a schema, never a crash."""
    doc = json.loads(json.dumps(APP_JSON))
    node: object = doc
    for step in path:  # walk down a pseudo-random path, then replace what is there
        keys = list(node) if isinstance(node, dict) else list(range(len(node))) \
            if isinstance(node, list) else []
        if not keys:
            break
        key = keys[step % len(keys)]
        child = node[key]  # type: ignore[index]
        if not isinstance(child, (dict, list)) or step % 3 == 0:
            node[key] = junk  # type: ignore[index]
            break
        node = child
    try:
        read_json_schema(doc, "s.json")
    except SchemaError:
        pass


def test_mutated_json_schemas_are_accepted_exactly_when_cedarpy_accepts_them() -> None:
    """Corpus schemas (as JSON) with a junk value put at a random place: Assay's reader and
    cedarpy's must accept and refuse the same ones."""
    import copy
    import random

    from assay.models.cedar.schema_raw import read_text_raw
    from assay.models.cedar.schema_translate import raw_to_json

    if not (SHARED / "corpus-tests.tar.gz").exists():
        pytest.fail(f"the Cedar corpus is missing: expected {SHARED.resolve()}")
    root = extract_corpus(SHARED / "corpus-tests.tar.gz")
    rng = random.Random(3)
    junk = [None, 1, "x", [], {}, True, {"type": "Set"}, {"type": "Long"}, ["A"], [{"id": "x"}],
            {"type": "String", "required": False}, {"type": "Record", "attributes": {}},
            {"type": "Entity", "name": "A"}, {"type": "Extension", "name": "nope"}]
    total = 0
    for path in sorted((root / "corpus-tests").glob("*.cedarschema"))[::400]:
        base = raw_to_json(read_text_raw(path.read_text()))
        for _ in range(25):
            doc = copy.deepcopy(base)
            node: Any = doc
            while isinstance(node, (dict, list)) and node:
                key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
                if rng.random() < 0.25 or not isinstance(node[key], (dict, list)) or not node[key]:
                    node[key] = copy.deepcopy(rng.choice(junk))
                    break
                node = node[key]
            try:
                cedarpy.Schema.from_json_str(json.dumps(doc))
                theirs = True
            except Exception:  # noqa: BLE001 - cedarpy's error types
                theirs = False
            try:
                read_json_schema(doc)
                ours = True
            except SchemaError:
                ours = False
            total += 1
            assert theirs == ours, json.dumps(doc)[:2000]
    assert total > 400


def test_mutated_text_schemas_are_accepted_exactly_when_cedarpy_accepts_them() -> None:
    """Corpus schemas with a token or two spliced in at random places: both readers accept
    and refuse the same ones (keywords inside identifiers, trailing commas, escapes...)."""
    import random

    if not (SHARED / "corpus-tests.tar.gz").exists():
        pytest.fail(f"the Cedar corpus is missing: expected {SHARED.resolve()}")
    root = extract_corpus(SHARED / "corpus-tests.tar.gz")
    rng = random.Random(5)
    pieces = ["entity", "action", "type", "in", "[", "]", "{", "}", "<", ">", ",", ";", ":",
              "?", '"', "@a", "::", "Set", "Long", "appliesTo", "principal", "context", "tags",
              "enum", "namespace", "__cedar::", "", " ", "Bool", "Boolean", "A", "Action", "=",
              '@a("b")', "type T = Long;", "entity Z;", 'action "q";', "\\u{41}", "\\u{ 1}"]
    accepted = total = 0
    for path in sorted((root / "corpus-tests").glob("*.cedarschema"))[::300]:
        text = path.read_text()
        for _ in range(20):
            t = text
            for _ in range(rng.randint(1, 2)):
                i = rng.randrange(len(t) + 1)
                t = t[:i] + rng.choice(pieces) + t[min(len(t), i + rng.randint(0, 6)):]
            try:
                cedarpy.Schema.from_str(t)
                theirs = True
            except Exception:  # noqa: BLE001 - cedarpy's error types
                theirs = False
            try:
                read_schema(t)
                ours = True
            except SchemaError:
                ours = False
            assert theirs == ours, t[:3000]
            total += 1
            accepted += ours
    assert total > 400 and accepted > 10
