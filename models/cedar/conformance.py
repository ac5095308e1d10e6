"""Run Cedar's integration-test JSON format (cedar-integration-tests) against Assay.

A test file names a policies file, an entities file and a schema, and lists requests with the
expected decision, reason (determining policy ids) and erroring policy ids. Paths in a test file
are relative to the corpus root. For a corpus folder, `discover` finds the handwritten
`tests/**/*.json` and extracts `corpus-tests.tar.gz` once into a cache folder.

A schema is read for the declared attribute types that interpret implicit entity and extension
JSON, and for its action groups, which join the entity store as in Cedar. Each test's
`shouldValidate` is checked separately (`validate_test_file`): the policies are validated
against the schema (`validator.validate`) and must pass exactly when Cedar's validator did.

Trusts: the test files as the oracle (they record Cedar's own answers); the code under test
is the parser, JSON readers, authorizer, schema reader and validator.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.core.errors import AssayError, ParseError
from assay.models.cedar.authorizer import Authorizer
from assay.models.cedar.entities import Request
from assay.models.cedar.json_io import (
    context_from_json,
    entities_from_json,
    entity_uid_from_json,
    has_implicit_forms,
    load_json_file,
)
from assay.models.cedar.parser import parse_policies_file
from assay.models.cedar.schema import Schema, load_schema
from assay.models.cedar.schema_types import read_schema_types
from assay.models.cedar.validator import validate

_ACTION_GROUPS = re.compile(r"\baction\b[^;{]*\bin\b")


@dataclass
class Mismatch:
    test: str
    request: str
    field: str
    expected: Any
    got: Any


@dataclass
class Summary:
    tests: int = 0
    requests: int = 0
    passed: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    validated: int = 0  # tests whose shouldValidate was checked
    validation_matches: int = 0

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.errors and self.requests > 0


def cache_dir() -> Path:
    """$ASSAY_CACHE, else $XDG_CACHE_HOME/assay, else ~/.cache/assay, else the temp folder."""
    explicit = os.environ.get("ASSAY_CACHE")
    if explicit:
        return Path(explicit) / "cedar-corpus"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assay"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.access(base, os.W_OK):
            return base / "cedar-corpus"
    except OSError:
        pass
    return Path(tempfile.gettempdir()) / "assay-cache" / "cedar-corpus"


def extract_corpus(tarball: Path) -> Path:
    """Extract `corpus-tests.tar.gz` into the cache (once per tarball content); return its root."""
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()[:16]
    root = cache_dir() / digest
    done = root / ".complete"
    if not done.exists():
        tmp = root.with_name(f"{digest}.tmp{os.getpid()}")
        tmp.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as tf:
            tf.extractall(tmp, filter="data")
        (tmp / ".complete").touch()
        try:
            tmp.rename(root)
        except OSError:  # another process got there first
            shutil.rmtree(tmp, ignore_errors=True)
    return root


def discover(path: Path) -> Iterator[tuple[Path, Path]]:
    """(test file, root its paths are relative to) for a test file or a corpus folder."""
    if path.is_file():
        yield path, path.parent
        return
    if not path.is_dir():
        raise AssayError(f"{path}: no such test file or folder")
    handwritten = sorted((path / "tests").glob("**/*.json")) if (path / "tests").is_dir() else []
    for f in handwritten:
        yield f, path
    tarball = path / "corpus-tests.tar.gz"
    if tarball.exists():
        root = extract_corpus(tarball)
        for f in sorted((root / "corpus-tests").glob("*.json")):
            if not f.name.endswith(".entities.json"):
                yield f, root
    elif not handwritten:
        for f in sorted(path.glob("*.json")):
            if not f.name.endswith(".entities.json"):
                yield f, path


def _resolve(root: Path, rel: str, test: Path) -> Path:
    """`rel` against the corpus root, else against the test file's folder and its parents."""
    for base in (root, *test.resolve().parents):
        p = base / rel
        if p.exists():
            return p
    return root / rel


def run_test_file(test: Path, root: Path, summary: Summary) -> None:
    spec = load_json_file(test)
    if not isinstance(spec, dict) or "requests" not in spec:
        return
    summary.tests += 1
    name = str(test.relative_to(root)) if test.is_relative_to(root) else str(test)
    try:
        policies = parse_policies_file(_resolve(root, spec["policies"], test))
        entities_path = _resolve(root, spec["entities"], test)
        raw = load_json_file(entities_path)
        schema = None
        schema_path = _resolve(root, spec["schema"], test) if spec.get("schema") else None
        schema_text = schema_path.read_text() if schema_path and schema_path.exists() else ""
        # As Cedar's harness parses entities with the schema: implicit forms need it, and the
        # schema's action groups join the store (read only when the schema declares some).
        if has_implicit_forms(raw) or _ACTION_GROUPS.search(schema_text):
            schema = read_schema_types(schema_text, str(schema_path))
        entities = entities_from_json(raw, str(entities_path), schema)
        if schema is not None:
            entities = entities.with_entities(schema.action_entities())
    except AssayError as exc:
        summary.errors.append(f"{name}: {exc}")
        return
    authorizer = Authorizer(policies)
    for i, r in enumerate(spec["requests"]):
        summary.requests += 1
        label = r.get("description", f"request {i}")
        try:
            req = Request(entity_uid_from_json(r["principal"]), entity_uid_from_json(r["action"]),
                          entity_uid_from_json(r["resource"]), context_from_json(r["context"]))
        except ParseError as exc:
            summary.errors.append(f"{name}: {label}: {exc}")
            continue
        resp = authorizer.is_authorized(req, entities)
        got = {"decision": resp.decision, "reason": sorted(resp.reasons),
               "errors": sorted(resp.erroring_ids)}
        want = {"decision": r["decision"], "reason": sorted(r["reason"]),
                "errors": sorted(r["errors"])}
        bad = [k for k in got if got[k] != want[k]]
        for k in bad:
            summary.mismatches.append(Mismatch(name, label, k, want[k], got[k]))
        if not bad:
            summary.passed += 1


_SCHEMAS: dict[str, Schema] = {}  # corpus tests share schemas: 4,659 distinct of 7,809


def _schema(path: Path) -> Schema:
    text = path.read_text(encoding="utf-8")
    found = _SCHEMAS.get(text)
    if found is None:
        found = _SCHEMAS[text] = load_schema(text, str(path))
    return found


def validate_test_file(test: Path, root: Path, summary: Summary) -> None:
    """Check a test's `shouldValidate`: do its policies validate against its schema?"""
    spec = load_json_file(test)
    if not isinstance(spec, dict) or "shouldValidate" not in spec or not spec.get("schema"):
        return
    name = str(test.relative_to(root)) if test.is_relative_to(root) else str(test)
    summary.validated += 1
    try:
        policies = parse_policies_file(_resolve(root, spec["policies"], test))
        schema = _schema(_resolve(root, spec["schema"], test))
    except (AssayError, OSError) as exc:
        summary.errors.append(f"{name}: {exc}")
        return
    result = validate(policies, schema)
    if result.passed == bool(spec["shouldValidate"]):
        summary.validation_matches += 1
    else:
        got = "passes" if result.passed else f"fails: {result.errors[0]}"
        summary.mismatches.append(Mismatch(name, "validation", "shouldValidate",
                                           spec["shouldValidate"], got))


def run_tests(path: Path, progress: Callable[[int, int], None] | None = None,
              validation: bool = True) -> Summary:
    """Run every test under `path`: its requests, and (with `validation`) its shouldValidate."""
    summary = Summary()
    files = list(discover(path))
    for n, (test, root) in enumerate(files, 1):
        try:
            run_test_file(test, root, summary)
            if validation:
                validate_test_file(test, root, summary)
        except (AssayError, KeyError, TypeError) as exc:
            summary.errors.append(f"{test}: {type(exc).__name__}: {exc}")
        if progress:
            progress(n, len(files))
    return summary


def summary_json(s: Summary) -> str:
    return json.dumps({"tests": s.tests, "requests": s.requests, "passed": s.passed,
                       "validated": s.validated, "validation_matches": s.validation_matches,
                       "mismatches": [m.__dict__ for m in s.mismatches[:100]],
                       "errors": s.errors[:100], "ok": s.ok}, indent=2, default=str)
