"""Benchmark: Cedar policy parsing, Assay's hand-written parser against the lark (LALR) parser it
replaced (kept as the test oracle in tests/cedar/lark_oracle.py) and against cedarpy's parser
(Rust, `PolicySet` from text), measured in the same run.

Workloads: the integration-test corpus file by file, the corpus as one text, and a generated
policy file (`--mb` megabytes, the generator of tests/cedar/test_parser.py). Figures are CPU
time (`time.process_time`), best of `--repeat`; MB/s and the ratio to each peer are printed.

Usage: python bench/cedar_parse.py [CORPUS_DIR] [--mb 2] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "cedar"))
from lark_oracle import parse_policies as lark_parse_policies  # noqa: E402
from test_parser import _generated  # noqa: E402

from assay.models.cedar.conformance import discover  # noqa: E402
from assay.models.cedar.parser import parse_policies  # noqa: E402


def _cedarpy() -> Callable[[str, str], object] | None:
    try:
        import cedarpy
    except ImportError:
        return None
    return lambda text, name: cedarpy.PolicySet.from_str(text)


def best_time(parse: Callable[[str, str], object], inputs: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        for text in inputs:
            parse(text, "bench.cedar")
        runs.append(time.process_time() - start)
    return min(runs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path,
                    default=ROOT / ".." / "shared" / "cedar-integration-tests")
    ap.add_argument("--mb", type=float, default=2.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    tests = list(discover(args.corpus))
    cache = next((t.parent for t, _ in tests if t.parent.name == "corpus-tests"), None)
    files = sorted({*(cache.glob("*.cedar") if cache else ()), *args.corpus.rglob("*.cedar")})
    texts = [f.read_text(encoding="utf-8") for f in files]
    joined = "\n".join(texts)
    generated = _generated(int(args.mb * 1_000_000))
    workloads = {"corpus, file by file": texts, "corpus, one text": [joined],
                 f"generated {args.mb:g} MB": [generated]}
    parsers = {"assay": parse_policies, "lark": lark_parse_policies}
    cedarpy_parse = _cedarpy()
    if cedarpy_parse is not None:
        parsers["cedarpy"] = cedarpy_parse
    rows = []
    for name, inputs in workloads.items():
        mb = sum(len(t.encode()) for t in inputs) / 1e6
        times = {p: best_time(f, inputs, args.repeat) for p, f in parsers.items()}
        rows.append({"workload": name, "mb": round(mb, 3),
                     **{f"{p}_mb_per_s": round(mb / t, 3) for p, t in times.items()},
                     **{f"assay_vs_{p}": round(t / times["assay"], 2)
                        for p, t in times.items() if p != "assay"}})
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            peers = ", ".join(f"{k[9:]} {v}x" for k, v in r.items() if k.startswith("assay_vs_"))
            speeds = ", ".join(f"{k[:-9]} {v} MB/s" for k, v in r.items()
                               if k.endswith("_mb_per_s"))
            print(f"{r['workload']}: {r['mb']} MB; {speeds}; Assay's speed relative to: {peers}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
