"""`assay check BUNDLE`: re-verify a proof bundle and print what each theorem trusts.

Exit status 0 when every theorem re-checks, 1 when any fails, 2 on unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from assay.core.bundle import THEOREMS, BundleReport, check_bundle


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "check", help="re-verify a proof bundle (LRAT proofs, SMT queries) through the kernel",
        description="Re-verify every theorem of a proof bundle using only the kernel, the LRAT "
                    "checker and the SMT solvers, and print what each theorem trusts.")
    p.add_argument("bundle", type=Path, help="folder with theorems.jsonl and certificate files")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds per SMT solver re-run (default 60)")
    p.add_argument("--no-admit", action="store_true",
                   help="reject theorems that rest on `admit`")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.bundle
    total = _count(folder)
    show = not args.json and sys.stderr.isatty()
    with Progress(console=Console(stderr=True), disable=not show, transient=True) as bar:
        task = bar.add_task("checking theorems", total=total)
        report = check_bundle(folder, timeout=args.timeout, allow_admit=not args.no_admit,
                              progress=lambda: bar.advance(task))
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print_report(report, Console())
    return 0 if report.ok else 1


def _count(folder: Path) -> int:
    path = folder / THEOREMS
    if not path.is_file():
        return 0
    return sum(1 for ln in path.read_text().splitlines() if ln.strip())


def print_report(report: BundleReport, console: Console) -> None:
    table = Table(title=f"proof bundle {report.folder}")
    for col in ("id", "name", "rule", "conclusion", "trusts", "result"):
        table.add_column(col, overflow="fold")
    for t in report.theorems:
        conclusion = t.conclusion if len(t.conclusion) <= 70 else t.conclusion[:67] + "..."
        result = "[green]ok[/]" if t.ok else f"[red]REJECTED[/] {t.error}"
        if t.notes:
            result += "\n" + "\n".join(t.notes)
        table.add_row(str(t.id), t.name + (" *" if t.exported else ""), t.rule, conclusion,
                      ", ".join(t.trusts) or "kernel only", result)
    console.print(table)
    bad = sum(1 for t in report.theorems if not t.ok)
    if report.ok:
        console.print(f"[green]all {len(report.theorems)} theorems re-checked[/]")
    else:
        console.print(f"[red]{bad} of {len(report.theorems)} theorems rejected[/]")
