"""`assay cedar format | translate-policy | link`: the `cedar` CLI's commands of the same names.

Flags and exit codes follow cedar-policy-cli: 0 success, 1 failure (bad input, or `format
--check` on text that is not formatted). Like the cedar CLI, Cedar text read by
`translate-policy` and `link` takes a policy's id from its `@id` annotation when it has one.
With `--json` every command prints one JSON object (its result, or `{"error": ...}`).
`cli.py` (part A) calls `register` with its sub-parsers object.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assay.core.errors import AssayError, ParseError
from assay.models.cedar import ast
from assay.models.cedar.est import (
    dumps,
    policy_set_from_json,
    policy_set_to_json,
    policy_to_json,
)
from assay.models.cedar.format import format_policy, format_policy_set
from assay.models.cedar.json_io import load_json, read_json_iterative
from assay.models.cedar.link import (
    LinkError,
    link,
    link_all,
    linked_policies,
    read_links_file,
    write_links_file,
)
from assay.models.cedar.parser import parse_entity_uid, parse_policies

SUCCESS, FAILURE = 0, 1

#: Former name of `json_io.load_json` (kept for callers); `read_json_iterative` likewise
#: moved to `json_io`.
load_json_text = load_json
__all__ = ["register", "load_json_text", "read_json_iterative", "read_policy_set",
           "rename_by_id_annotation"]


def _guarded(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except AssayError as exc:
            if args.json:
                print(json.dumps({"error": str(exc)}))
            else:
                print(f"assay cedar {args.cedar_extra}: error: {exc}", file=sys.stderr)
            return FAILURE
    return run


def _read(path: str | None, what: str) -> tuple[str, str]:
    if path is None or path == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        return Path(path).read_text(encoding="utf-8"), path
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ParseError(f"cannot read {what}: {reason}", source=path) from None


def rename_by_id_annotation(ps: ast.PolicySet) -> ast.PolicySet:
    """Ids from `@id("...")` annotations, as the cedar CLI assigns them to Cedar text."""
    def renamed(p: ast.Policy) -> ast.Policy:
        new = p.annotation("id") if any(a.key == "id" for a in p.annotations) else None
        if new is None:
            return p
        return ast.Policy(p.effect, new, p.annotations, p.principal, p.action, p.resource,
                          p.conditions, span=p.span)
    out = ast.PolicySet(tuple(map(renamed, ps.policies)), tuple(map(renamed, ps.templates)),
                        ps.links)
    counts = Counter(p.id for p in (*out.policies, *out.templates))
    clashes = sorted(i for i, n in counts.items() if n > 1)
    if clashes:
        raise ParseError(f"two policies have the id {clashes[0]!r} (from @id annotations)")
    return out


def read_policy_set(path: str | None, policy_format: str = "cedar") -> ast.PolicySet:
    text, source = _read(path, "policies")
    if policy_format == "json":
        return policy_set_from_json(load_json(text, source))
    return rename_by_id_annotation(parse_policies(text, source))


# ----------------------------------------------------------------------------------- format

def cmd_format(args: argparse.Namespace) -> int:
    if args.write and not args.policies:
        raise ParseError("--write needs --policies FILE")
    text, source = _read(args.policies, "policies")
    formatted = format_policy_set(parse_policies(text, source), args.indent_width,
                                  args.line_width)
    unchanged = formatted == text
    if args.write:
        try:
            Path(args.policies).write_text(formatted, encoding="utf-8")
        except OSError as exc:
            raise ParseError(f"cannot write: {exc.strerror}", source=args.policies) from None
    if args.json:
        print(json.dumps({"formatted": formatted, "unchanged": unchanged,
                          "written": bool(args.write)}))
    elif not args.write:
        sys.stdout.write(formatted)
    return FAILURE if args.check and not unchanged else SUCCESS


# --------------------------------------------------------------------------------- translate

def cmd_translate_policy(args: argparse.Namespace) -> int:
    if args.direction == "cedar-to-json":
        doc = policy_set_to_json(read_policy_set(args.policies))
        print(dumps(doc))
        return SUCCESS
    ps = read_policy_set(args.policies, "json")
    if ps.links:
        raise AssayError("unable to translate a policy set containing template-linked "
                         "policies to Cedar text (the text form has no links)")
    text = format_policy_set(ps)
    if args.json:
        print(json.dumps({"policies": text}))
    else:
        sys.stdout.write(text)
    return SUCCESS


# -------------------------------------------------------------------------------------- link

def _link_values(raw: str) -> dict[str, Any]:
    values = load_json(raw, "--arguments")
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise LinkError('--arguments must be a JSON object like {"?principal": "User::\\"a\\""}')
    for slot in values:
        if slot not in ast.SLOTS:
            raise LinkError(f"invalid slot {slot!r} in --arguments; expected ?principal or "
                            "?resource")
    return {slot: parse_entity_uid(v, f"--arguments {slot}") for slot, v in values.items()}


def cmd_link(args: argparse.Namespace) -> int:
    ps = read_policy_set(args.policies, args.policy_format)
    existing = read_links_file(args.template_linked) if args.template_linked else ()
    ps = link_all(ps, existing)
    ps = link(ps, args.template_id, args.new_id, _link_values(args.arguments))
    new = linked_policies(ast.PolicySet((), ps.templates, ps.links[-1:]))[0]
    if args.template_linked:
        write_links_file(args.template_linked, ps.links)
    if args.json:
        print(dumps({"linked": args.new_id, "policy": policy_to_json(new),
                     "links_file": args.template_linked}))
    else:
        print(f"Template-linked policy added: {format_policy(new)}")
    return SUCCESS


# ---------------------------------------------------------------------------------- register

def register(cedar_subparsers: Any) -> None:
    """Add `format`, `translate-policy` and `link` to `assay cedar`."""
    p = cedar_subparsers.add_parser(
        "format", help="print policies in Assay's canonical Cedar layout",
        description="Format a Cedar policy set. Comments are not kept.")
    p.add_argument("-p", "--policies", metavar="FILE", help="policies (default: stdin)")
    p.add_argument("-l", "--line-width", type=int, default=80, metavar="UINT",
                   help="conditions longer than this print one operand per line (80)")
    p.add_argument("-i", "--indent-width", type=int, default=2, metavar="INT")
    action = p.add_mutually_exclusive_group()
    action.add_argument("-w", "--write", action="store_true",
                        help="rewrite the --policies file in place")
    action.add_argument("-c", "--check", action="store_true",
                        help="exit 1 if the input is not already formatted")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=_guarded(cmd_format), cedar_extra="format")

    p = cedar_subparsers.add_parser(
        "translate-policy", help="translate policies between Cedar text and JSON (EST)",
        description="Translate a policy set between Cedar text and Cedar's JSON policy format. "
                    "Cedar text takes policy ids from @id annotations, as the cedar CLI does.")
    p.add_argument("--direction", required=True, choices=("cedar-to-json", "json-to-cedar"))
    p.add_argument("-p", "--policies", metavar="FILE", help="input (default: stdin)")
    p.add_argument("--json", action="store_true",
                   help="json-to-cedar: print {\"policies\": text}")
    p.set_defaults(func=_guarded(cmd_translate_policy), cedar_extra="translate-policy")

    p = cedar_subparsers.add_parser(
        "link", help="link a template with slot values",
        description="Link a template and record the link in the --template-linked file.")
    p.add_argument("-p", "--policies", metavar="FILE", help="policies (default: stdin)")
    p.add_argument("--policy-format", choices=("cedar", "json"), default="cedar")
    p.add_argument("-k", "--template-linked", metavar="FILE",
                   help="template-linked file to read and append the new link to")
    p.add_argument("--template-id", required=True)
    p.add_argument("-n", "--new-id", required=True)
    p.add_argument("-a", "--arguments", required=True, metavar="JSON",
                   help='slot values, e.g. {"?principal": "User::\\"alice\\""}')
    p.add_argument("--json", action="store_true", help="print the linked policy as JSON")
    p.set_defaults(func=_guarded(cmd_link), cedar_extra="link")
