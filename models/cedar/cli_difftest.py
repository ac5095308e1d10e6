"""`assay cedar difftest`: differential testing against cedarpy, with a coverage table."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from assay.models.cedar import difftest

DEFAULT_SAVE = Path("tests/cedar/regressions")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("difftest", help="generate inputs, compare Assay with cedarpy, shrink "
                       "and save any mismatch")
    p.add_argument("--count", type=int, default=1000, help="generated worlds (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--save-dir", type=Path, default=DEFAULT_SAVE,
                   help=f"where a shrunk mismatch is saved (default {DEFAULT_SAVE})")
    p.add_argument("--validation", action="store_true",
                   help="compare the validator with cedarpy's validate_policies instead "
                        "(generated schema and policy set; the failing policies must agree)")
    p.add_argument("--corpus", type=Path, metavar="DIR",
                   help="with --validation: mutate the policies of this cedar-integration-tests "
                        "folder instead of generating worlds")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def _runner(args: argparse.Namespace) -> Any:
    if not args.validation:
        return difftest.run
    from assay.models.cedar import difftest_validation as dv
    if args.corpus is not None:
        return lambda *a, **k: dv.run_corpus_mutations(args.corpus, *a, **k)
    return dv.run_validation


def run(args: argparse.Namespace) -> int:
    if args.count < 1:
        print("assay cedar difftest: error: --count must be at least 1", file=sys.stderr)
        return 1
    err = Console(stderr=True)
    show = err.is_terminal and not args.json
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, disable=not show) as bar:
        task = bar.add_task("difftest vs cedarpy", total=args.count)
        report = _runner(args)(args.count, args.seed, args.save_dir,
                               progress=lambda n: bar.update(task, completed=n))
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return 0 if report.mismatch is None else 1
    out = Console()
    table = Table(title=f"constructs exercised in {report.examples} worlds")
    table.add_column("construct")
    table.add_column("count", justify="right")
    for key in sorted(set(difftest.EXPECTED) | set(report.coverage)):
        n = report.coverage.get(key, 0)
        table.add_row(key, str(n) if n else "[red]0[/]")
    out.print(table)
    what = "validated" if args.validation else f"{report.requests} requests"
    out.print(f"{report.examples} worlds, {what} in {report.seconds:.1f} s; "
              f"{'policies' if args.validation else 'decisions'} {dict(report.decisions)}")
    if report.missing:
        out.print(f"[yellow]not exercised:[/] {', '.join(report.missing)}")
    if report.mismatch is not None:
        out.print("[red]MISMATCH[/] (shrunk):")
        out.print_json(json.dumps(report.mismatch, ensure_ascii=False))
        if report.saved:
            out.print(f"saved as a regression case: {report.saved}")
        return 1
    out.print("[green]no mismatch[/]")
    return 0
