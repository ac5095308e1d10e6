"""Validation throughput of Assay's Cedar validator against cedarpy, measured in the same run.

(a) the integration-test corpus: each of the 7,809 tests' policies validated against its
    schema (schemas read once per distinct text on both sides: Assay's `Schema`, cedarpy's
    `Schema` handle); the verdicts must agree with each other and with `shouldValidate`;
(b) a generated policy set: N policies with scope constraints and conditions over a schema
    with a group hierarchy, validated as one set.

cedarpy's time includes parsing the policy text (its API takes text); so does Assay's in (a),
while (b) reports Assay's parsing and validation apart. Usage: python bench/cedar_validate.py [--quick] [--json].
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import cedarpy

from assay.models.cedar.conformance import discover
from assay.models.cedar.json_io import load_json_file
from assay.models.cedar.parser import parse_policies
from assay.models.cedar.schema import load_schema
from assay.models.cedar.validator import validate

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "cedar-integration-tests"

SCHEMA = """
namespace App {
  type Ctx = { ip: ipaddr, mfa?: Bool, tags: Set<String>, n: Long };
  entity Org; entity Group in [Group, Org] = { level: Long };
  entity User in [Group] = { name: String, age?: Long, manager: User } tags String;
  entity Doc in [Org] = { owner: User, readers: Set<User>, size: decimal };
  action read, write appliesTo { principal: [User], resource: [Doc], context: Ctx };
  action delete in [write] appliesTo { principal: User, resource: Doc, context: Ctx };
  action admin appliesTo { principal: User, resource: [Group, Org], context: Ctx };
}
"""

CONDITIONS = (
    'resource.owner == principal',
    'principal has age && principal.age > {i}',
    'context.tags.contains("t{i}") || context.n < {i}',
    'principal.hasTag("k") && principal.getTag("k") == "v{i}"',
    'resource.size.lessThan(decimal("{i}.5"))',
    'context has mfa && context.mfa && context.ip.isInRange(ip("10.0.0.0/8"))',
)


def generated(n: int) -> str:
    out = []
    for i in range(n):
        scope = ('principal in App::Group::"g{i}", action == App::Action::"read", resource'
                 if i % 3 else 'principal, action in [App::Action::"write", '
                 'App::Action::"read"], resource in App::Org::"o{i}"').format(i=i)
        cond = CONDITIONS[i % len(CONDITIONS)].format(i=i)
        out.append(f"permit({scope}) when {{ {cond} }};")
    return "\n".join(out)


def corpus(quick: bool) -> dict[str, Any]:
    tests = [t for t, _ in discover(CORPUS) if t.parent.name == "corpus-tests"]
    tests = tests[::10] if quick else tests
    cases = []
    for t in tests:
        spec = load_json_file(t)
        base = t.parent.parent
        cases.append(((base / spec["policies"]).read_text(), (base / spec["schema"]).read_text(),
                      spec["shouldValidate"]))
    ours_s: dict[str, Any] = {}
    theirs_s: dict[str, Any] = {}
    start = time.perf_counter()
    for _, schema, _ in cases:
        if schema not in ours_s:
            ours_s[schema] = load_schema(schema)
    assay_schema = time.perf_counter() - start
    start = time.perf_counter()
    for _, schema, _ in cases:
        if schema not in theirs_s:
            theirs_s[schema] = cedarpy.Schema.from_str(schema)
    cedarpy_schema = time.perf_counter() - start
    start = time.perf_counter()
    ours = [validate(parse_policies(p), ours_s[s]).passed for p, s, _ in cases]
    assay_time = time.perf_counter() - start
    start = time.perf_counter()
    theirs = [cedarpy.validate_policies(p, theirs_s[s]).validation_passed for p, s, _ in cases]
    cedarpy_time = time.perf_counter() - start
    expected = [e for _, _, e in cases]
    if ours != theirs or ours != expected:
        sys.exit("validators disagree on the corpus")
    return {"tests": len(cases), "schemas": len(ours_s), "assay_schema_s": assay_schema,
            "cedarpy_schema_s": cedarpy_schema, "assay_s": assay_time,
            "cedarpy_s": cedarpy_time, "ratio": assay_time / cedarpy_time}


def big(n: int) -> dict[str, Any]:
    text = generated(n)
    schema = load_schema(SCHEMA)
    handle = cedarpy.Schema.from_str(SCHEMA)
    start = time.perf_counter()
    parsed = parse_policies(text)
    parse_time = time.perf_counter() - start
    start = time.perf_counter()
    ours = validate(parsed, schema)
    assay_time = time.perf_counter() - start
    start = time.perf_counter()
    theirs = cedarpy.validate_policies(text, handle)
    cedarpy_time = time.perf_counter() - start
    if ours.passed != theirs.validation_passed:
        sys.exit("validators disagree on the generated policy set")
    return {"policies": n, "passed": ours.passed, "assay_parse_s": parse_time,
            "assay_validate_s": assay_time, "cedarpy_s": cedarpy_time,
            "ratio_with_parse": (parse_time + assay_time) / cedarpy_time}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a tenth of the corpus, 1,000 policies")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = {"corpus": corpus(args.quick), "generated": big(1000 if args.quick else 10_000)}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    c, g = result["corpus"], result["generated"]
    print(f"(a) corpus: {c['tests']} tests ({c['schemas']} schemas): Assay {c['assay_s']:.2f} s, "
          f"cedarpy {c['cedarpy_s']:.2f} s, ratio {c['ratio']:.2f}; schemas read: Assay "
          f"{c['assay_schema_s']:.2f} s, cedarpy {c['cedarpy_schema_s']:.2f} s")
    print(f"(b) {g['policies']} generated policies: Assay parse {g['assay_parse_s']:.2f} s + "
          f"validate {g['assay_validate_s']:.2f} s, cedarpy {g['cedarpy_s']:.2f} s, ratio "
          f"{g['ratio_with_parse']:.2f} (valid: {g['passed']})")


if __name__ == "__main__":
    main()
