"""Requests and entities against a schema: Assay's `request_validator` must accept exactly what
cedarpy accepts (`is_authorized(..., schema=...)` answers NoDecision for a request or entity
store that does not conform) on generated worlds, typed and untyped."""

from __future__ import annotations

import json

import cedarpy
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hseed

from assay.core.errors import AssayError
from assay.models.cedar.difftest import entities_json, request_json
from assay.models.cedar.entities import Entities, Entity, Request
from assay.models.cedar.json_io import entities_from_json
from assay.models.cedar.request_validator import validate_entities, validate_request
from assay.models.cedar.schema import read_json_schema, read_schema
from assay.models.cedar.schema_types import from_schema
from assay.models.cedar.strategies import worlds
from assay.models.cedar.values import CedarSet, EntityUID, Record


@settings(max_examples=120, deadline=None, database=None, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck))
@hseed(11)
@given(worlds())
def test_conformance_agrees_with_cedarpy(world) -> None:  # noqa: ANN001
    gen, entities, _pset, reqs = world
    schema_json = gen.to_json()
    schema = read_json_schema(schema_json)
    ents = entities_json(entities)
    try:
        store = entities_from_json(ents, schema=from_schema(schema))
        entity_errors = validate_entities(store, schema)
    except AssayError as exc:
        entity_errors = [str(exc)]
    for r in reqs:
        ctx = request_json(r)["context"]
        res = cedarpy.is_authorized({"principal": str(r.principal), "action": str(r.action),
                                     "resource": str(r.resource), "context": ctx},
                                    "permit(principal, action, resource);", json.dumps(ents),
                                    schema=json.dumps(schema_json))
        refused = str(res.decision).endswith("NoDecision")
        ours = entity_errors + validate_request(r, schema)
        assert refused == bool(ours), ([str(e) for e in res.diagnostics.errors], ours)


SCHEMA = read_schema("""
    entity Org; entity Group in [Org]; entity User in [Group] = { age?: Long, tags: Set<String> }
        tags Long;
    entity Kind enum ["a", "b"];
    action read appliesTo { principal: User, resource: [Kind], context: { n: Long, k?: Kind } };
""")


KIND_A = EntityUID("Kind", "a")


def _req(principal: str = "User", resource: EntityUID = KIND_A,
         context: dict | None = None) -> Request:
    return Request(EntityUID(principal, "u"), EntityUID("Action", "read"), resource,
                   Record(context if context is not None else {"n": 1}))


def test_request_rules() -> None:
    assert validate_request(_req(), SCHEMA) == []
    assert validate_request(_req(context={"n": 1, "k": EntityUID("Kind", "b")}), SCHEMA) == []
    assert "principal type `Org`" in validate_request(_req("Org"), SCHEMA)[0]
    assert "enumerated" in validate_request(_req(resource=EntityUID("Kind", "z")), SCHEMA)[0]
    assert "required attribute `n`" in validate_request(_req(context={}), SCHEMA)[0]
    assert "undeclared attribute `m`" in validate_request(_req(context={"n": 1, "m": 2}),
                                                          SCHEMA)[0]
    assert "`n` should have type Long" in validate_request(_req(context={"n": "1"}), SCHEMA)[0]
    gone = Request(EntityUID("User", "u"), EntityUID("Action", "gone"), EntityUID("Kind", "a"))
    assert "not declared" in validate_request(gone, SCHEMA)[0]


def test_entity_rules() -> None:
    u = EntityUID("User", "u")
    ok = Entity(u, Record({"tags": CedarSet(["x"])}), frozenset({EntityUID("Org", "o")}),
                Record({"t": 1}))
    assert validate_entities(Entities([ok]), SCHEMA) == []  # Org is an allowed ancestor
    bad = [Entity(u, Record({})),
           Entity(u, Record({"tags": CedarSet([1])})),
           Entity(u, Record({"tags": CedarSet()}), frozenset({EntityUID("Kind", "a")})),
           Entity(u, Record({"tags": CedarSet()}), tags=Record({"t": "x"})),
           Entity(EntityUID("Nope", "n")),
           Entity(EntityUID("Kind", "c")),
           Entity(EntityUID("Action", "read"), parents=frozenset({EntityUID("Action", "x")}))]
    for e in bad:
        assert len(validate_entities(Entities([e]), SCHEMA)) == 1, e


def test_cli_checks_entities_and_request(tmp_path) -> None:  # noqa: ANN001
    import subprocess
    import sys
    (tmp_path / "s.cedarschema").write_text(
        "entity User = { age: Long };\naction read appliesTo { principal: User, resource: User };")
    (tmp_path / "p.cedar").write_text("permit(principal, action, resource);")
    (tmp_path / "e.json").write_text('[{"uid": {"type": "User", "id": "a"}, '
                                     '"attrs": {"age": "old"}, "parents": []}]')
    (tmp_path / "r.json").write_text('{"principal": {"type": "User", "id": "a"}, "action": '
                                     '{"type": "Action", "id": "read"}, "resource": '
                                     '{"type": "User", "id": "a"}, "context": {}}')
    run = [sys.executable, "-m", "assay", "cedar", "validate", "-s", str(tmp_path / "s.cedarschema"),
           "-p", str(tmp_path / "p.cedar"), "--request-json", str(tmp_path / "r.json")]
    ok = subprocess.run(run, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run([*run, "--entities", str(tmp_path / "e.json"), "--json"],
                         capture_output=True, text=True)
    assert bad.returncode == 3
    assert json.loads(bad.stdout)["data_errors"] == [
        'entities: User::"a": attributes do not conform to the schema: `age` should have type '
        "Long, got 'old'"]
