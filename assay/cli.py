"""The `assay` command: one entry point, a subcommand per area.

Each area registers its own subcommands (`assay.core.cli`, `assay.models.cedar.cli`,
`assay.models.armv8.cli`); this module only assembles them and turns `AssayError`s into
messages and exit codes, so that bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from assay import __version__
from assay.core.errors import AssayError

# Modules that define `register(subparsers)`; each adds its subcommands with a `func` default.
AREAS = (
    "assay.core.cli",
    "assay.core.cli_check",
    "assay.models.cedar.cli",
    "assay.models.armv8.cli",
    "assay.demo",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assay",
        description="Assay: certified proofs about Cedar policies and AArch64 code.",
    )
    parser.add_argument("--version", action="version", version=f"assay {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show Python tracebacks for internal errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in AREAS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # an area that has not landed yet
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except AssayError as exc:
        print(f"assay: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("assay: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence: no traceback for users
        if args.debug:
            raise
        print(f"assay: internal error: {type(exc).__name__}: {exc} "
              "(rerun with --debug for a traceback, and please report it)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
