"""`assay smt`: the prover core's SMT-LIB front end (`assay check` is in `cli_check`).
`assay/cli.py` calls `register(subparsers)`."""

from __future__ import annotations

import argparse
from pathlib import Path

from assay.core.backends import BACKENDS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "smt", help="run an SMT-LIB 2.6 script like an SMT solver",
        description="Run the commands of an SMT-LIB 2.6 script in order: each check-sat prints "
                    "sat, unsat or unknown; get-model and get-value print SMT-LIB values. "
                    "Models are confirmed by the ground evaluator before they are printed.")
    p.add_argument("file", type=Path, help="an .smt2 script ('-' reads standard input)")
    p.add_argument("--backend", choices=BACKENDS, default="auto",
                   help="decision procedure (default auto)")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="seconds per check-sat (on expiry the answer is unknown)")
    p.add_argument("--certify", type=Path, default=None, metavar="DIR",
                   help="write certificates (DIMACS+LRAT or the SMT-LIB query) to DIR; "
                        "check-sat number k > 1 writes to DIR/check-sat-k")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_run_smt)


def _run_smt(args: argparse.Namespace) -> int:
    from assay.core.smtlib.driver import run_smt
    return run_smt(args.file, backend=args.backend, timeout=args.timeout,
                   certify_dir=args.certify, as_json=args.json)
