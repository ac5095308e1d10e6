"""Authorization throughput of Assay's Cedar model against cedarpy, measured in the same run.

(a) the integration-test corpus: every request of ../shared/cedar-integration-tests;
(b) a generated application: 10,000 policies (mostly principal/resource scope constraints, some
    with conditions), 50,000 entities in a group hierarchy 10 levels deep, 10,000 requests.

Both sides get pre-parsed inputs: cedarpy a `PolicySet` and an `Entities` handle with
`is_authorized_batch`; Assay an `Authorizer` (policies indexed by scope) and an `Entities` store.
Parsing and set-up are timed separately from authorization. Every decision is compared: the
benchmark fails loudly if the two sides disagree. Usage: python bench/cedar_authz.py [--json]
[--quick] [--corpus PATH].
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import cedarpy
from rich.console import Console
from rich.table import Table

from assay.models.cedar.authorizer import Authorizer
from assay.models.cedar.conformance import discover
from assay.models.cedar.difftest import entities_json, request_json
from assay.models.cedar.entities import Entity, Request
from assay.models.cedar.json_io import (
    context_from_json,
    entities_from_json,
    entity_uid_from_json,
    has_implicit_forms,
    load_json_file,
)
from assay.models.cedar.parser import parse_policies
from assay.models.cedar.schema_types import read_schema_types
from assay.models.cedar.values import EntityUID, Record

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "cedar-integration-tests"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _decision(r: Any) -> str:
    return "allow" if str(r.decision).endswith("Allow") else "deny"


# -- (a) corpus ------------------------------------------------------------------------------

def bench_corpus(corpus: Path, limit: int | None) -> dict[str, Any]:
    ours = theirs = 0.0
    n = disagreements = 0
    files = 0
    for test, root in discover(corpus):
        spec = load_json_file(test)
        if not isinstance(spec, dict) or "requests" not in spec or not spec["requests"]:
            continue
        base = root if (root / spec["policies"]).exists() else test.parent
        policy_text = (base / spec["policies"]).read_text()
        raw = load_json_file(base / spec["entities"])
        schema_text = None
        schema = None
        if spec.get("schema") and (base / spec["schema"]).exists():
            schema_text = (base / spec["schema"]).read_text()
            if has_implicit_forms(raw):
                schema = read_schema_types(schema_text, spec["schema"])
        try:
            pset = parse_policies(policy_text)
            store = entities_from_json(raw, None, schema)
            ps = cedarpy.PolicySet.from_str(policy_text)
            es = cedarpy.Entities.from_json_str(json.dumps(raw), schema=schema_text)
        except Exception:  # noqa: BLE001 - inputs that either side refuses are not timed
            continue
        reqs = [Request(entity_uid_from_json(r["principal"]), entity_uid_from_json(r["action"]),
                        entity_uid_from_json(r["resource"]), context_from_json(r["context"]))
                for r in spec["requests"]]
        authorizer = Authorizer(pset)
        t0 = time.perf_counter()
        mine = [authorizer.is_authorized(r, store) for r in reqs]
        t1 = time.perf_counter()
        other = cedarpy.is_authorized_batch([request_json(r) for r in reqs], ps, es)
        t2 = time.perf_counter()
        ours += t1 - t0
        theirs += t2 - t1
        n += len(reqs)
        disagreements += sum(m.decision != _decision(o) for m, o in zip(mine, other))
        files += 1
        if limit and files >= limit:
            break
    return {"files": files, "requests": n, "assay_s": ours, "cedarpy_s": theirs,
            "disagreements": disagreements}


# -- (b) a generated application -------------------------------------------------------------

def make_app(rng: random.Random, n_policies: int, n_entities: int, n_requests: int,
             depth: int = 10) -> tuple[str, list[Entity], list[Request]]:
    n_groups = n_entities // 5
    n_docs = n_entities // 5
    n_users = n_entities - n_groups - n_docs
    per_level = max(1, n_groups // depth)
    groups: list[list[EntityUID]] = [[EntityUID("Group", f"g{lvl}_{i}") for i in range(per_level)]
                                     for lvl in range(depth)]
    folders = [EntityUID("Folder", f"f{i}") for i in range(max(1, n_docs // 20))]
    entities: list[Entity] = []
    for lvl, level in enumerate(groups):
        for g in level:
            parents = frozenset({rng.choice(groups[lvl - 1])}) if lvl else frozenset()
            entities.append(Entity(g, Record(), parents))
    for f in folders:
        entities.append(Entity(f, Record()))
    users = [EntityUID("User", f"u{i}") for i in range(n_users)]
    for u in users:
        member_of = frozenset(rng.sample(groups[-1], k=min(2, len(groups[-1]))))
        entities.append(Entity(u, Record({"level": rng.randrange(10),
                                          "dept": rng.choice(["eng", "ops", "hr"])}), member_of))
    docs = [EntityUID("Document", f"d{i}") for i in range(n_docs)]
    for d in docs:
        entities.append(Entity(d, Record({"owner": rng.choice(users),
                                          "classification": rng.randrange(5)}),
                               frozenset({rng.choice(folders)})))
    actions = ["view", "edit", "delete", "share"]
    for a in actions:
        entities.append(Entity(EntityUID("Action", a), Record()))
    policies = []
    for _ in range(n_policies):
        kind = rng.random()
        act = rng.choice(actions)
        if kind < 0.45:
            g = rng.choice(rng.choice(groups))
            f = rng.choice(folders)
            text = (f'permit (principal in {g}, action == Action::"{act}", resource in {f});')
        elif kind < 0.75:
            u, d = rng.choice(users), rng.choice(docs)
            text = f'permit (principal == {u}, action == Action::"{act}", resource == {d});'
        elif kind < 0.9:
            g = rng.choice(rng.choice(groups))
            text = (f'permit (principal in {g}, action, resource is Document) when '
                    f'{{ resource.classification <= principal.level && '
                    f'context.mfa == true }};')
        elif kind < 0.97:
            d = rng.choice(docs)
            text = (f'forbid (principal, action == Action::"delete", resource == {d}) '
                    f'unless {{ resource.owner == principal }};')
        else:
            text = (f'permit (principal is User, action == Action::"{act}", resource) when '
                    f'{{ resource has owner && resource.owner == principal }};')
        policies.append(text)
    requests = [Request(rng.choice(users), EntityUID("Action", rng.choice(actions)),
                        rng.choice(docs), Record({"mfa": rng.random() < 0.7}))
                for _ in range(n_requests)]
    return "\n".join(policies), entities, requests


def bench_app(n_policies: int, n_entities: int, n_requests: int) -> dict[str, Any]:
    rng = random.Random(20261126)
    text, ents, reqs = make_app(rng, n_policies, n_entities, n_requests)
    ents_json = json.dumps(entities_json(ents))
    # Set-up is timed without tracemalloc (which multiplies the cost of every allocation, and
    # parsing allocates millions of objects); peak memory is measured in a second, untimed pass.
    t0 = time.perf_counter()
    pset = parse_policies(text)
    tp = time.perf_counter()
    store = entities_from_json(json.loads(ents_json))
    te = time.perf_counter()
    authorizer = Authorizer(pset)
    t1 = time.perf_counter()
    tracemalloc.start()
    Authorizer(parse_policies(text)), entities_from_json(json.loads(ents_json))
    assay_setup_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rss0 = rss_mb()
    t2 = time.perf_counter()
    ps = cedarpy.PolicySet.from_str(text)
    es = cedarpy.Entities.from_json_str(ents_json)
    t3 = time.perf_counter()
    rss1 = rss_mb()
    t4 = time.perf_counter()
    mine = [authorizer.is_authorized(r, store) for r in reqs]
    t5 = time.perf_counter()
    other = cedarpy.is_authorized_batch([request_json(r) for r in reqs], ps, es)
    t6 = time.perf_counter()
    disagreements = sum(m.decision != _decision(o) or set(m.reasons) != set(o.diagnostics.reasons)
                        for m, o in zip(mine, other))
    return {"policies": n_policies, "entities": len(ents), "requests": n_requests,
            "assay_setup_s": t1 - t0, "cedarpy_setup_s": t3 - t2,
            "assay_parse_s": tp - t0, "assay_entities_s": te - tp, "assay_index_s": t1 - te,
            "policy_text_mb": len(text.encode()) / 1e6, "entities_json_mb": len(ents_json) / 1e6,
            "assay_s": t5 - t4, "cedarpy_s": t6 - t5,
            "assay_peak_mb": assay_setup_peak, "cedarpy_rss_growth_mb": max(0.0, rss1 - rss0),
            "allowed": sum(m.allowed for m in mine), "disagreements": disagreements}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    console = Console(stderr=True)
    out: dict[str, Any] = {}
    if args.corpus.exists():
        console.print("(a) corpus ...")
        out["corpus"] = bench_corpus(args.corpus, 200 if args.quick else None)
    else:
        console.print(f"[yellow]corpus not found at {args.corpus}; skipping (a)")
    console.print("(b) generated application ...")
    sizes = (500, 2500, 500) if args.quick else (10_000, 50_000, 10_000)
    out["app"] = bench_app(*sizes)
    for part in out.values():
        part["assay_us_per_request"] = 1e6 * part["assay_s"] / max(1, part["requests"])
        part["cedarpy_us_per_request"] = 1e6 * part["cedarpy_s"] / max(1, part["requests"])
        part["ratio_cedarpy_over_assay"] = part["cedarpy_s"] / max(part["assay_s"], 1e-9)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        table = Table(title="Cedar authorization: Assay vs cedarpy (same run)")
        for col in ("workload", "requests", "Assay µs/req", "cedarpy µs/req",
                    "speed ratio (cedarpy time / Assay time)", "disagreements"):
            table.add_column(col)
        for name, part in out.items():
            table.add_row(name, str(part["requests"]), f"{part['assay_us_per_request']:.1f}",
                          f"{part['cedarpy_us_per_request']:.1f}",
                          f"{part['ratio_cedarpy_over_assay']:.2f}", str(part["disagreements"]))
        Console().print(table)
        app = out["app"]
        Console().print(f"app set-up: Assay {app['assay_setup_s']:.2f} s (parse "
                        f"{app['policy_text_mb']:.1f} MB of policies {app['assay_parse_s']:.2f} s, "
                        f"entities {app['entities_json_mb']:.1f} MB of JSON "
                        f"{app['assay_entities_s']:.2f} s, index {app['assay_index_s']:.2f} s; "
                        f"peak {app['assay_peak_mb']:.0f} MiB traced), cedarpy "
                        f"{app['cedarpy_setup_s']:.2f} s (RSS +{app['cedarpy_rss_growth_mb']:.0f} MiB)")
    bad = sum(p["disagreements"] for p in out.values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
