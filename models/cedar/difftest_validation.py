"""Differential testing of the validator against cedarpy's `validate_policies`.

Two sources of inputs, the same check (`check_validation`): a policy set validated against a
schema by Assay and by cedarpy must fail on exactly the same policies (ids `policyN` of the
same text); the error kinds are compared too and counted, not required to match.

    run_validation(count, seed)      generated worlds (`strategies`): the schema of the world,
                                     or another generated schema (unknown types, attributes and
                                     actions), and the world's policy set
    run_corpus_mutations(root, count, seed)
                                     policies of cedar-integration-tests with random textual
                                     mutations (`&&`/`||`, `==`/`!=`, dropped guards, swapped
                                     variables...), against their own (rich) schemas

A mismatch is shrunk by Hypothesis (generated worlds) and saved like `difftest`'s.
Trusts cedarpy as the oracle.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from assay.core.errors import AssayError
from assay.models.cedar import ast as A
from assay.models.cedar.difftest import (
    Mismatch,
    Report,
    _cedarpy,
    campaign,
    count_constructs,
    save_case,
)
from assay.models.cedar.format import format_policy_set
from assay.models.cedar.strategies import schemas, worlds


def _issue_kind(message: str) -> str:
    """The validator issue kind a cedarpy error message names (`validator.IssueKind` values)."""
    for needle, kind in (("unrecognized entity type", "unrecognizedEntityType"),
                         ("unrecognized action", "unrecognizedActionId"),
                         ("applicable action", "invalidActionApplication"),
                         ("enumerated entity", "invalidEnumEntity"),
                         ("enum entity", "invalidEnumEntity")):
        if needle in message:
            return kind
    return "typeError"


def check_validation(schema_json: dict[str, Any], pset: A.PolicySet) -> dict[str, Any]:
    """Validate `pset` against `schema_json` both ways; raise `Mismatch` when the set of failing
    policies differs. Returns {"policies", "failing", "kinds_agree"} for the report."""
    return check_validation_text(format_policy_set(pset), json.dumps(schema_json))


def check_validation_text(text: str, schema_text: str, parsed: Any = None) -> dict[str, Any]:
    """`check_validation` on policy text and schema text (either schema format); `parsed`
    is the schema model when the caller has it already."""
    from assay.models.cedar.parser import parse_policies
    from assay.models.cedar.schema import load_schema
    from assay.models.cedar.validator import validate

    cedarpy = _cedarpy()
    theirs = cedarpy.validate_policies(text, schema_text)
    their_fail: dict[str, set[str]] = {}
    for e in theirs.errors:
        their_fail.setdefault(str(e.policy_id), set()).add(_issue_kind(str(e.error)))
    try:
        pset = parse_policies(text)
        result = validate(pset, parsed if parsed is not None else load_schema(schema_text))
        ours: dict[str, set[str]] = {}
        for i in result.errors:
            ours.setdefault(i.policy_id, set()).add(i.kind.value)
        refused = None
    except AssayError as exc:
        ours, refused = {}, str(exc)
    if refused is not None or set(ours) != set(their_fail) \
            or theirs.validation_passed != (not ours):
        raise Mismatch({"mode": "validation", "schema": schema_text, "policies": text,
                        "cedarpy": {"passed": theirs.validation_passed,
                                    "errors": [str(e.error) for e in theirs.errors]},
                        "assay": {"refused": refused} if refused is not None else
                        {"passed": not ours, "errors": [str(i) for i in result.errors]}})
    agree = all(ours[p] & their_fail[p] for p in ours)
    n = len(pset.policies) + len(pset.templates)
    return {"policies": n, "failing": len(ours), "kinds_agree": agree}


def _record(pset: A.PolicySet, stats: dict[str, Any]) -> Callable[[Report], None]:
    """How one validated policy set counts into a report."""
    def record(report: Report) -> None:
        count_constructs(pset, report.coverage)
        report.decisions["valid policies"] += stats["policies"] - stats["failing"]
        report.decisions["invalid policies"] += stats["failing"]
        report.decisions["error kinds agree" if stats["kinds_agree"]
                         else "error kinds differ"] += 1
    return record


def run_validation(count: int, seed: int = 0, save_dir: Path | None = None,
                   progress: Callable[[int], None] | None = None) -> Report:
    """`count` generated (schema, policy set) pairs validated by Assay and by cedarpy; stops at
    (and shrinks) the first pair where the failing policies differ. `decisions` counts valid
    and invalid policies and whether the error kinds matched too."""
    def check(drawn: Any) -> Callable[[Report], None]:
        world, other, foreign = drawn
        schema, _entities, pset, _reqs = world
        if foreign:  # policies written for another schema: unknown types, attributes, actions
            schema = other
        return _record(pset, check_validation(schema.to_json(), pset))

    return campaign(count, seed, st.tuples(worlds(max_requests=1), schemas(), st.booleans()),
                    check, save_dir, progress)


#: Textual mutations of corpus policies: (what, replacement) at a random occurrence.
MUTATIONS = (("&&", "||"), ("||", "&&"), ("==", "!="), ("<", ">="), ("true", "false"),
             ("false", "true"), ("if ", "if !"), ("principal", "resource"),
             ("resource", "principal"), ("context", "principal"), ("action ==", "action in"),
             ("then", "then 1 == 1 &&"), ("[", "[1, "), ('"', '"x'), (" has ", " has x.y || "),
             ("when {", "when { context has a && context.a && "))


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        old, new = MUTATIONS[rng.randrange(len(MUTATIONS))]
        spots = [i for i in range(len(text)) if text.startswith(old, i)]
        if spots:
            i = spots[rng.randrange(len(spots))]
            text = text[:i] + new + text[i + len(old):]
    return text


def run_corpus_mutations(corpus: Path, count: int, seed: int = 0, save_dir: Path | None = None,
                         progress: Callable[[int], None] | None = None) -> Report:
    """`count` mutated corpus policy files (those that still parse, for Assay and cedarpy)
    validated against their schemas both ways; stops at the first disagreement."""
    from assay.models.cedar.conformance import discover
    from assay.models.cedar.json_io import load_json_file
    from assay.models.cedar.parser import parse_policies
    from assay.models.cedar.schema import load_schema

    rng = random.Random(seed)
    tests = [t for t, _ in discover(corpus) if t.parent.name == "corpus-tests"]
    if not tests:
        raise AssayError(f"{corpus}: no corpus-tests found")
    report = Report()
    models: dict[str, Any] = {}
    start = time.perf_counter()
    while report.examples < count:
        test = tests[rng.randrange(len(tests))]
        spec = load_json_file(test)
        base = test.parent.parent
        text = mutate((base / spec["policies"]).read_text(encoding="utf-8"), rng)
        schema_text = (base / spec["schema"]).read_text(encoding="utf-8")
        try:
            pset = parse_policies(text)
        except AssayError:
            report.decisions["mutants that do not parse"] += 1
            continue
        if schema_text not in models:
            models[schema_text] = load_schema(schema_text, str(base / spec["schema"]))
        try:
            stats = check_validation_text(text, schema_text, models[schema_text])
        except Mismatch as exc:
            report.mismatch = {**exc.case, "from": test.name}
            if save_dir is not None:
                report.saved = save_case(report.mismatch, save_dir)
            break
        except Exception as exc:  # noqa: BLE001 - cedarpy refusing a mutant Assay parsed
            if "parse" not in str(exc).lower():
                raise
            report.decisions["mutants cedarpy does not parse"] += 1
            continue
        report.examples += 1
        _record(pset, stats)(report)
        if progress:
            progress(report.examples)
    report.seconds = time.perf_counter() - start
    return report
