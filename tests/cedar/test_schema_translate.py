"""translate-schema: human-readable <-> JSON, checked by round trip (the same schema model read
back, both ways) on corpus schemas, with cedarpy accepting every translation it is shown."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cedarpy
import pytest

from assay.models.cedar.conformance import extract_corpus
from assay.models.cedar.schema import Schema, read_json_schema, read_schema
from assay.models.cedar.schema_raw import read_json_raw, read_text_raw
from assay.models.cedar.schema_translate import raw_to_json, raw_to_text, translate_schema

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "cedar-integration-tests"


def same(a: Schema, b: Schema) -> bool:
    return (a.entity_types, a.actions, a.common_types) == (b.entity_types, b.actions,
                                                            b.common_types)


@pytest.fixture(scope="module")
def corpus_schemas() -> list[Path]:
    if not (SHARED / "corpus-tests.tar.gz").exists():
        pytest.fail(f"the Cedar corpus is missing: expected {SHARED.resolve()}")
    root = extract_corpus(SHARED / "corpus-tests.tar.gz")
    return [*sorted((root / "corpus-tests").glob("*.cedarschema"))[::80],
            *sorted(SHARED.glob("sample-data/*/*.cedarschema"))]


def test_round_trips_on_corpus_schemas(corpus_schemas: list[Path]) -> None:
    assert len(corpus_schemas) > 95
    for i, path in enumerate(corpus_schemas):
        text = path.read_text()
        model = read_schema(text)
        as_json = raw_to_json(read_text_raw(text))
        assert same(read_json_schema(as_json), model), path
        back = raw_to_text(read_json_raw(as_json))
        assert same(read_schema(back), model), path
        assert raw_to_json(read_text_raw(back)) == as_json, path  # annotations too
        if i % 4 == 0:  # Cedar itself accepts both translations
            cedarpy.Schema.from_json_str(json.dumps(as_json))
            cedarpy.Schema.from_str(back)


def test_names_keep_their_meaning() -> None:
    text = """
      type Gen = { n: Long };
      entity ipaddr;
      @doc("the app")
      namespace N {
        @doc("where") type Addr = { @unit("ip") ip: __cedar::ipaddr, host: ipaddr, g: Gen,
                                   "odd key"?: Bool };
        @owner("me") @flag
        entity User in [Group] = { addr: Addr, tags: Set<String>, "in": Bool } tags Long;
        entity Group;
        entity Color enum ["red", "a\\"b"];
        action "read it" appliesTo { principal: User, resource: Group, context: Addr };
        action other in ["read it"] appliesTo { principal: User, resource: Group };
      }"""
    model = read_schema(text)
    as_json = json.loads(translate_schema(text, "cedar-to-json"))
    cedarpy.Schema.from_json_str(json.dumps(as_json))
    assert same(read_json_schema(as_json), model)
    back = translate_schema(json.dumps(as_json), "json-to-cedar")
    cedarpy.Schema.from_str(back)
    assert same(read_schema(back), model)
    assert "__cedar::ipaddr" in back  # the entity type `ipaddr` shadows the builtin
    assert as_json["N"]["annotations"] == {"doc": "the app"}
    assert as_json["N"]["entityTypes"]["User"]["annotations"] == {"owner": "me", "flag": ""}
    addr = as_json["N"]["commonTypes"]["Addr"]
    assert addr["annotations"] == {"doc": "where"}
    assert addr["attributes"]["ip"]["annotations"] == {"unit": "ip"}
    assert json.loads(translate_schema(back, "cedar-to-json")) == as_json


def test_cli(tmp_path: Path) -> None:
    src = tmp_path / "s.cedarschema"
    src.write_text("entity A = { n?: Long };\naction a appliesTo { principal: A, resource: A };")
    run = [sys.executable, "-m", "assay", "cedar", "translate-schema"]
    out = subprocess.run([*run, "--direction", "cedar-to-json", "-s", str(src)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    as_json = json.loads(out.stdout)
    assert as_json[""]["entityTypes"]["A"]["shape"]["attributes"]["n"] == {
        "type": "Long", "required": False}
    (tmp_path / "s.json").write_text(out.stdout)
    back = subprocess.run([*run, "--direction", "json-to-cedar", "-s", str(tmp_path / "s.json")],
                          capture_output=True, text=True)
    assert back.returncode == 0 and "entity A = {n?: Long};" in back.stdout
    src.write_text("entity A = { n: Nope };")  # translation reads, it does not resolve
    bad = subprocess.run([*run, "--direction", "cedar-to-json", "-s", str(src)],
                         capture_output=True, text=True)
    assert bad.returncode == 0
    src.write_text("entity A = {")
    bad = subprocess.run([*run, "--direction", "cedar-to-json", "-s", str(src)],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "s.cedarschema:1" in bad.stderr
