"""Differential testing of Assay's Cedar model against cedarpy (the Rust implementation).

Hypothesis draws worlds (schema, entities, policy set, requests) from `strategies`; each request
is authorized by Assay's `Authorizer` and by cedarpy on the same input (policies as formatted
Cedar text, entities and context as Cedar JSON), and the decision, the determining policies and
the erroring policy ids must agree. On a mismatch Hypothesis shrinks the world, and the smallest
one is saved as a regression case (JSON) that `tests/cedar/test_regressions.py` replays. A
coverage table records which expression forms, operators, methods and extension functions the
run exercised. Trusts cedarpy as the oracle; trusts nothing of Assay's but what it tests.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hseed

from assay.core.errors import AssayError
from assay.models.cedar import ast as A
from assay.models.cedar.authorizer import Authorizer
from assay.models.cedar.entities import Entity, Request
from assay.models.cedar.extensions import FUNCTIONS
from assay.models.cedar.format import format_policy_set
from assay.models.cedar.json_io import entities_from_json, value_to_json
from assay.models.cedar.strategies import worlds

_ERROR_ID = re.compile(r"policy `([^`]*)`")

#: What the coverage table must show exercised.
EXPECTED = (
    [f"expr:{c}" for c in ("Lit", "EntityLit", "Var", "If", "And", "Or", "Unary", "Binary",
                           "Has", "Like", "Is", "GetAttr", "MethodCall", "FunctionCall",
                           "SetLit", "RecordLit")]
    + [f"op:unary{o}" for o in A.UNARY_OPS] + [f"op:{o}" for o in A.BINARY_OPS]
    + [f"method:{m}" for m in A.BUILTIN_METHODS]
    + [f"extension:{f}" for f in FUNCTIONS]
    + [f"scope:{v}:{o}" for v in ("principal", "resource") for o in ("any", "==", "in", "is",
                                                                       "is in")]
    + [f"scope:action:{o}" for o in ("any", "==", "in", "in list")]
)


class CedarpyUnavailable(AssayError):
    """cedarpy (the test extra) is not installed."""


@dataclass(frozen=True)
class Verdict:
    decision: str
    reasons: frozenset[str]
    errors: frozenset[str]

    def to_json(self) -> dict[str, Any]:
        return {"decision": self.decision, "reasons": sorted(self.reasons),
                "errors": sorted(self.errors)}


#: The verdict when the input itself is refused (cedarpy's NoDecision, Assay's AssayError).
REJECTED = Verdict("rejected", frozenset(), frozenset())


class Mismatch(AssertionError):
    """Assay and cedarpy disagree on one request."""

    def __init__(self, case: dict[str, Any]) -> None:
        self.case = case
        super().__init__(json.dumps(case, indent=2, ensure_ascii=False))


@dataclass
class Report:
    examples: int = 0
    requests: int = 0
    seconds: float = 0.0
    coverage: Counter[str] = field(default_factory=Counter)
    decisions: Counter[str] = field(default_factory=Counter)
    mismatch: dict[str, Any] | None = None
    saved: Path | None = None

    @property
    def missing(self) -> list[str]:
        return [k for k in EXPECTED if not self.coverage.get(k)]

    def to_json(self) -> dict[str, Any]:
        return {"examples": self.examples, "requests": self.requests,
                "seconds": round(self.seconds, 2), "mismatch": self.mismatch,
                "saved": str(self.saved) if self.saved else None,
                "decisions": dict(self.decisions), "coverage": dict(sorted(self.coverage.items())),
                "not_exercised": self.missing}


# -- inputs in cedarpy's formats ---------------------------------------------------------------

def uid_json(uid: Any) -> dict[str, str]:
    return {"type": uid.type, "id": uid.id}


def entities_json(entities: Iterable[Entity]) -> list[dict[str, Any]]:
    return [{"uid": uid_json(e.uid), "attrs": value_to_json(e.attrs),
             "parents": [uid_json(p) for p in sorted(e.parents, key=lambda u: (u.type, u.id))],
             "tags": value_to_json(e.tags)} for e in entities]


def request_json(req: Request) -> dict[str, Any]:
    return {"principal": uid_json(req.principal), "action": uid_json(req.action),
            "resource": uid_json(req.resource), "context": value_to_json(req.context)}


def _cedarpy() -> Any:
    try:
        import cedarpy
    except ImportError:
        raise CedarpyUnavailable("difftest needs cedarpy: pip install -e '.[test]'") from None
    return cedarpy


def cedarpy_policies(pset: A.PolicySet) -> Any:
    """cedarpy's policy set for `pset`: parsed text plus template links."""
    cedarpy = _cedarpy()
    handle = cedarpy.PolicySet.from_str(format_policy_set(pset))
    for link in pset.links:
        handle = handle.with_linked(link.template_id, link.new_id,
                                    {slot: str(uid) for slot, uid in link.values})
    return handle


def cedarpy_verdicts(pset: A.PolicySet, entities: list[dict[str, Any]],
                     reqs: list[dict[str, Any]]) -> list[Verdict]:
    cedarpy = _cedarpy()
    results = cedarpy.is_authorized_batch(reqs, cedarpy_policies(pset), json.dumps(entities))
    out = []
    for r in results:
        if str(r.decision).endswith("NoDecision"):
            out.append(REJECTED)  # cedarpy refused the input (e.g. a cycle among parents)
            continue
        errors = frozenset(m.group(1) for e in r.diagnostics.errors
                           for m in [_ERROR_ID.search(str(e))] if m)
        decision = "allow" if str(r.decision).endswith("Allow") else "deny"
        out.append(Verdict(decision, frozenset(r.diagnostics.reasons), errors))
    return out


def assay_verdict(authorizer: Authorizer, req: Request, store: Any) -> Verdict:
    r = authorizer.is_authorized(req, store)
    return Verdict(r.decision, frozenset(r.reasons), frozenset(r.erroring_ids))


# -- one world ---------------------------------------------------------------------------------

def check_world(entities: tuple[Entity, ...], pset: A.PolicySet,
                reqs: tuple[Request, ...]) -> list[Verdict]:
    """Authorize every request both ways; raise `Mismatch` on the first disagreement."""
    ents_json = entities_json(entities)
    reqs_json = [request_json(r) for r in reqs]
    theirs = cedarpy_verdicts(pset, ents_json, reqs_json)
    authorizer = Authorizer(pset)
    try:
        store = entities_from_json(ents_json)
        ours = [assay_verdict(authorizer, r, store) for r in reqs]
    except AssayError:
        ours = [REJECTED] * len(reqs)
    for req_json, mine, other in zip(reqs_json, ours, theirs):
        if mine != other:
            raise Mismatch({"policies": format_policy_set(pset),
                            "links": [{"template_id": ln.template_id, "link_id": ln.new_id,
                                       "args": {s: str(u) for s, u in ln.values}}
                                      for ln in pset.links],
                            "entities": ents_json, "request": req_json,
                            "cedarpy": other.to_json(), "assay": mine.to_json()})
    return ours


def count_constructs(pset: A.PolicySet, into: Counter[str]) -> None:
    for p in (*pset.policies, *pset.templates):
        for s in (p.principal, p.action, p.resource):
            into[f"scope:{s.var}:{s.op}"] += 1
        stack: list[A.Expr] = [c.body for c in p.conditions]
        while stack:
            e = stack.pop()
            into[f"expr:{type(e).__name__}"] += 1
            if isinstance(e, A.Binary):
                into[f"op:{e.op}"] += 1
            elif isinstance(e, A.Unary):
                into[f"op:unary{e.op}"] += 1
            elif isinstance(e, A.MethodCall):
                kind = "method" if e.name in A.BUILTIN_METHODS else "extension"
                into[f"{kind}:{e.name}"] += 1
            elif isinstance(e, A.FunctionCall):
                into[f"extension:{e.name}"] += 1
            stack.extend(A.children(e))


def save_case(case: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(case, indent=2, ensure_ascii=False, sort_keys=True)
    path = folder / f"mismatch-{hashlib.sha256(text.encode()).hexdigest()[:12]}.json"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def campaign(count: int, seed: int, strategy: Any,
             check: Callable[[Any], Callable[[Report], None]], save_dir: Path | None = None,
             progress: Callable[[int], None] | None = None) -> Report:
    """Draw `count` examples of `strategy`; `check(example)` raises `Mismatch` or returns how
    to count the example into the report (called only while generating, not while shrinking).
    Stops at (and shrinks) the first mismatch, saved in `save_dir` when given."""
    report = Report()
    generating = [True]

    @settings(max_examples=count, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink],
              report_multiple_bugs=False)
    @hseed(seed)
    @given(strategy)
    def one(example: Any) -> None:
        try:
            record = check(example)
        except Mismatch:
            generating[0] = False  # what follows is shrinking
            raise
        if generating[0]:
            report.examples += 1
            record(report)
            if progress:
                progress(report.examples)

    start = time.perf_counter()
    try:
        one()
    except Mismatch as exc:
        report.mismatch = exc.case
        if save_dir is not None:
            report.saved = save_case(exc.case, save_dir)
    finally:
        generating[0] = False
        report.seconds = time.perf_counter() - start
    return report


def run(count: int, seed: int = 0, save_dir: Path | None = None,
        progress: Callable[[int], None] | None = None) -> Report:
    """Run `count` generated worlds; stop at (and shrink) the first mismatch."""
    def check(world: Any) -> Callable[[Report], None]:
        _schema, entities, pset, reqs = world
        verdicts = check_world(entities, pset, reqs)

        def record(report: Report) -> None:
            report.requests += len(reqs)
            count_constructs(pset, report.coverage)
            for v in verdicts:
                report.decisions[v.decision] += 1
                if v.errors:
                    report.decisions["with errors"] += 1
        return record

    return campaign(count, seed, worlds(), check, save_dir, progress)
