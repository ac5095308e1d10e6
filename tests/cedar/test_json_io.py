"""Cedar's JSON formats: values, entities (with ancestors), requests; errors name the place."""

from __future__ import annotations

import json

import pytest

from assay.core.errors import ParseError
from assay.models.cedar import CedarSet, EntityUID, Record, value_from_json, value_to_json
from assay.models.cedar.extensions import Datetime, Decimal, Duration
from assay.models.cedar.json_io import (
    entities_from_json,
    has_implicit_forms,
    load_json,
    request_from_json,
)
from assay.models.cedar.schema_types import read_schema_types


def test_values_both_ways() -> None:
    raw = {"a": [1, True, "s"], "e": {"__entity": {"type": "A::B", "id": "x"}},
           "d": {"__extn": {"fn": "decimal", "arg": "1.5"}},
           "t": {"__extn": {"fn": "offset", "args": [
               {"__extn": {"fn": "datetime", "arg": "1970-01-01"}},
               {"__extn": {"fn": "duration", "arg": "1000ms"}}]}},
           "r": {"nested": {"deep": []}}}
    v = value_from_json(raw)
    assert v["a"] == CedarSet([1, True, "s"]) and len(v["a"]) == 3
    assert v["e"] == EntityUID("A::B", "x")
    assert v["d"] == Decimal(15000)
    assert v["t"] == Datetime(1000)
    assert v["r"] == Record({"nested": Record({"deep": CedarSet()})})
    assert value_from_json(value_to_json(v)) == v


def test_bool_is_not_long() -> None:
    assert value_from_json([1, True]) != value_from_json([1])
    assert value_from_json({"a": True}) != value_from_json({"a": 1})


def test_deep_json_value() -> None:
    raw: object = 1
    for _ in range(5000):
        raw = [raw]
    v = value_from_json(raw)
    for _ in range(5000):
        (v,) = list(v)
    assert v == 1


def test_deep_entity_escape() -> None:
    raw: object = {"type": "A", "id": "b"}
    for _ in range(5000):
        raw = {"__entity": raw}
    assert value_from_json({"x": raw}) == Record({"x": EntityUID("A", "b")})


@pytest.mark.parametrize("raw, message", [
    (1.5, "floating-point"),
    (2**63, "64-bit"),
    ({"__extn": {"fn": "nope", "arg": "1"}}, "unknown extension function"),
    ({"__extn": {"fn": "decimal", "arg": 1}}, "decimal expects (String)"),
    ({"__extn": {"fn": "decimal", "arg": "1.23456"}}, "decimal"),
    ({"x": {"__entity": {"type": "A"}}}, "expected an entity UID"),
])
def test_bad_values(raw: object, message: str) -> None:
    with pytest.raises(ParseError) as info:
        entities_from_json([{"uid": {"type": "A", "id": "a"}, "attrs": {"v": raw}}], "e.json")
    assert message in str(info.value) and "e.json" in str(info.value)
    assert "$[0].attrs.v" in str(info.value)


def test_entities_and_ancestors() -> None:
    es = entities_from_json([
        {"uid": {"type": "U", "id": "a"}, "attrs": {}, "parents": [{"type": "G", "id": "g1"}]},
        {"uid": {"type": "G", "id": "g1"}, "attrs": {}, "parents": [{"type": "G", "id": "g2"}]},
        {"uid": {"type": "G", "id": "g2"}, "attrs": {}, "parents": [{"type": "G", "id": "g9"}]},
        {"uid": {"type": "G", "id": "g3"}, "tags": {"t": 1}},
    ])
    a = EntityUID("U", "a")
    assert es.ancestors(a) == {EntityUID("G", "g1"), EntityUID("G", "g2"), EntityUID("G", "g9")}
    assert es.is_in(a, EntityUID("G", "g2")) and es.is_in(a, a)
    assert not es.is_in(EntityUID("U", "ghost"), EntityUID("G", "g1"))
    assert es[EntityUID("G", "g3")].tags == Record({"t": 1})
    with pytest.raises(ParseError, match="duplicate entity"):
        entities_from_json([{"uid": {"type": "U", "id": "a"}}] * 2)
    with pytest.raises(ParseError, match="cycle"):  # as cedarpy: parents must form a DAG
        entities_from_json([{"uid": {"type": "G", "id": "x"}, "parents": [{"type": "G",
                                                                          "id": "y"}]},
                            {"uid": {"type": "G", "id": "y"}, "parents": [{"type": "G",
                                                                          "id": "x"}]}])


def test_json_syntax_errors_have_a_caret() -> None:
    with pytest.raises(ParseError) as info:
        load_json('[\n  {"uid": }\n]', "x.json")
    assert (info.value.line, info.value.column) == (2, 11)
    assert info.value.context.splitlines()[1] == " " * 10 + "^"
    with pytest.raises(ParseError, match="duplicate key"):
        load_json('{"a": 1, "a": 2}')


def test_requests() -> None:
    r = request_from_json({"principal": 'User::"a"', "action": {"type": "Action", "id": "v"},
                           "resource": {"__entity": {"type": "R", "id": "r"}},
                           "context": {"n": {"__extn": {"fn": "duration", "arg": "1s"}}}})
    assert r.principal == EntityUID("User", "a") and r.context["n"] == Duration(1000)
    with pytest.raises(ParseError, match="missing resource"):
        request_from_json({"principal": 'User::"a"', "action": 'Action::"v"'})


def test_schema_directed_implicit_forms() -> None:
    schema = read_schema_types("""
        namespace App {
          type Addr = { ip: ipaddr, owner: User };
          entity User in [Group] = { boss?: User, home: Addr, friends: Set<User> } tags Group;
          entity Group;
          action view appliesTo { principal: [User], resource: [Group] };
        }""")
    raw = [{"uid": {"type": "App::User", "id": "a"},
            "attrs": {"boss": {"type": "App::User", "id": "b"},
                      "home": {"ip": {"fn": "ip", "arg": "10.0.0.1"},
                               "owner": {"type": "App::User", "id": "a"}},
                      "friends": [{"type": "App::User", "id": "b"}]},
            "tags": {"t": {"type": "App::Group", "id": "g"}}}]
    assert has_implicit_forms(raw)
    e = entities_from_json(raw, schema=schema)[EntityUID("App::User", "a")]
    assert e.attrs["boss"] == EntityUID("App::User", "b")
    assert e.attrs["home"]["owner"] == EntityUID("App::User", "a")
    assert e.attrs["friends"] == CedarSet([EntityUID("App::User", "b")])
    assert e.tags["t"] == EntityUID("App::Group", "g")
    # without the schema the same JSON is records
    plain = entities_from_json(raw)[EntityUID("App::User", "a")]
    assert plain.attrs["boss"] == Record({"type": "App::User", "id": "b"})


def test_entity_errors_point_into_the_file(tmp_path) -> None:  # noqa: ANN001
    from assay.models.cedar.json_io import load_entities
    path = tmp_path / "entities.json"
    path.write_text('[\n  {"uid": {"type": "U", "id": "a"},\n'
                    '   "attrs": {"ok": [1, {"__extn": {"fn": "ip", "arg": "1.2.3"}}]}}\n]\n')
    with pytest.raises(ParseError) as info:
        load_entities(path)
    err = info.value
    assert (err.source, err.line) == (str(path), 3)
    assert err.context.splitlines()[1].index("^") == err.column - 1
    assert '"arg": "1.2.3"' in err.context.splitlines()[0][err.column - 1:]


def test_json_schema_format_gives_the_same_types() -> None:
    import cedarpy

    from assay.models.cedar.schema_types import read_json_schema_types
    text = """
        namespace App {
          type Addr = { ip: ipaddr, owner: User };
          entity User in [Group] = { boss?: User, home: Addr, friends: Set<User> } tags Group;
          entity Group;
          action view appliesTo { principal: [User], resource: [Group] };
        }"""
    as_json = {"App": {
        "commonTypes": {"Addr": {"type": "Record", "attributes": {
            "ip": {"type": "Extension", "name": "ipaddr"},
            "owner": {"type": "Entity", "name": "User"}}}},
        "entityTypes": {
            "User": {"memberOfTypes": ["Group"], "shape": {"type": "Record", "attributes": {
                "boss": {"type": "Entity", "name": "User", "required": False},
                "home": {"type": "Addr"},
                "friends": {"type": "Set", "element": {"type": "Entity", "name": "User"}}}},
                "tags": {"type": "Entity", "name": "Group"}},
            "Group": {}},
        "actions": {}}}
    cedarpy.Schema.from_json_str(json.dumps(as_json))  # a well-formed Cedar JSON schema
    cedarpy.Schema.from_str(text)
    assert read_json_schema_types(as_json).entity_attrs == read_schema_types(text).entity_attrs
    assert read_json_schema_types(as_json).entity_tags == read_schema_types(text).entity_tags


@pytest.mark.parametrize("entity, message", [
    ({"uid": {"type": "A", "id": "a"}, "attrs": {"r": {"s": [1, [2, 1.5]]}}},
     "$[1].attrs.r.s[1][1]: 1.5 is not a Cedar value (Cedar has no floating-point numbers)"),
    ({"uid": {"type": "A", "id": "a"}, "parents": [{"type": "G", "id": "g"}, {"type": "G"}]},
     "$[1].parents[1]: expected an entity UID {\"type\": ..., \"id\": ...}, got {'type': 'G'}"),
    ({"uid": {"__entity": {"type": "A", "id": 3}}},
     "$[1].uid.__entity: expected an entity UID {\"type\": ..., \"id\": ...}, "
     "got {'type': 'A', 'id': 3}"),
    ({"uid": 'A::"a"', "tags": {"t": {"__extn": {"fn": "offset", "args": [
        {"__extn": {"fn": "datetime", "arg": "1970-01-01"}}, 2**64]}}}},
     "$[1].tags.t.__extn.args[1]: 18446744073709551616 does not fit in a 64-bit Long"),
    ({"uid": 'A::"a"', "attrs": {"x": {"__extn": {"fn": "ip", "arg": "1.2.3.4"}, "y": 1}}},
     "$[1].attrs.x: an __extn object has no other keys"),
    ({"uid": 'A::"a"', "parents": {}}, "$[1].parents: expected an array of entity UIDs"),
    ({"uid": 'A::"a"', "extra": 1}, "$[1]: unexpected key(s) ['extra'] in an entity"),
])
def test_entity_error_paths_are_exact(entity: dict, message: str) -> None:
    """Error paths are built only on error (loading is lazy about them); they stay exact."""
    import gc
    ok = {"uid": {"type": "B", "id": "b"}, "attrs": {"n": 1}}
    with pytest.raises(ParseError) as info:
        entities_from_json([ok, entity], "e.json")
    assert str(info.value) == f"e.json: {message}"
    assert gc.isenabled()  # the collector, paused while loading, runs again after an error
