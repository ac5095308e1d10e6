"""`assay demo`: the main job on bundled examples, one section per capability.

Each area contributes a `demo(console, workdir) -> bool` function in its `demo` module; a section
returns False when something it shows did not come out as expected, and the command then exits 1.
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
from pathlib import Path

from rich.console import Console

SECTIONS = (
    ("Prover core: certified bit-vector proofs", "assay.core.demo"),
    ("Cedar: authorization with explanations", "assay.models.cedar.demo"),
    ("AArch64: crypto routines and conformance", "assay.models.armv8.demo"),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="run the bundled examples end to end")
    p.add_argument("--out", type=Path, default=None,
                   help="folder for certificates (default: a fresh temporary folder)")
    p.add_argument("--only", choices=["core", "cedar", "armv8"], default=None,
                   help="run one section only")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    console = Console()
    out = args.out or Path(tempfile.mkdtemp(prefix="assay-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    ok = True
    for title, name in SECTIONS:
        if args.only and args.only not in name:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        console.rule(f"[bold]{title}")
        ok = module.demo(console, out) and ok
    console.rule()
    console.print(f"certificates and artefacts are in [bold]{out}[/]")
    console.print("[green]demo finished[/]" if ok else "[red]demo finished with failures[/]")
    return 0 if ok else 1
