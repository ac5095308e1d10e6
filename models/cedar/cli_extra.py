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
import re
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
from assay.models.cedar.json_io import json_int
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


_JSON_TOKEN = re.compile(r"""
    (?P<punct>[{}\[\],:])
  | (?P<string>"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")
  | (?P<number>-?(?:0|[1-9][0-9]*)(?P<frac>\.[0-9]+)?(?P<exp>[eE][+-]?[0-9]+)?)
  | (?P<word>true|false|null)
""", re.VERBOSE)
_WORDS = {"true": True, "false": False, "null": None}
_WS = re.compile(r"[ \t\n\r]*")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ParseError(f"duplicate key {k!r} in a JSON object")
        out[k] = v
    return out


def load_json_text(text: str, source: str) -> Any:
    """JSON text to Python with duplicate object keys rejected (as Cedar does): the `json`
    module when it copes, `read_json_iterative` for documents nested too deep for it."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_int=json_int)
    except RecursionError:
        return read_json_iterative(text, source)
    except json.JSONDecodeError:
        return read_json_iterative(text, source)  # for its error message and position
    except ParseError as exc:
        raise ParseError(exc.message, source=source) from None


def read_json_iterative(text: str, source: str) -> Any:
    """JSON text to Python, without recursion (`json.loads` fails on deep documents), with
    `file:line:column` errors and duplicate object keys rejected (as Cedar does)."""
    def fail(message: str, at: int) -> ParseError:
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        row = text.splitlines()[line - 1] if text.splitlines()[line - 1:] else ""
        return ParseError(message, source=source, line=line, column=column,
                          context=f"{row}\n{' ' * (column - 1)}^")

    # stack entries: [container, state, key]; states: "first", "key", "colon", "next"
    stack: list[list[Any]] = []
    pos, want_value = 0, True
    while True:
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        m = _JSON_TOKEN.match(text, pos)
        if m is None:
            what = "end of input" if pos >= len(text) else repr(text[pos])
            raise fail(f"malformed JSON: unexpected {what}", pos)
        tok, kind, pos = m.group(), m.lastgroup, m.end()
        if want_value or (stack and stack[-1][1] == "first" and isinstance(stack[-1][0], list)
                          and tok != "]"):
            if tok in "{[" and kind == "punct":
                stack.append([{} if tok == "{" else [], "first", None])
                want_value = False
                continue
            if kind == "punct":
                raise fail(f"malformed JSON: expected a value, got {tok!r}", m.start())
            value: Any = (json.loads(tok) if kind == "string" else _WORDS[tok] if kind == "word"
                          else float(tok) if m.group("frac") or m.group("exp")
                          else json_int(tok))
        else:
            top = stack[-1]
            container, state = top[0], top[1]
            if isinstance(container, dict) and state in ("first", "key"):
                if tok == "}" and state == "first":
                    value = stack.pop()[0]
                elif kind == "string":
                    top[1], top[2] = "colon", json.loads(tok)
                    if top[2] in container:
                        raise fail(f"duplicate key {top[2]!r} in a JSON object", m.start())
                    continue
                else:
                    raise fail(f"malformed JSON: expected a key string, got {tok!r}", m.start())
            elif state == "colon":
                if tok != ":":
                    raise fail(f"malformed JSON: expected ':', got {tok!r}", m.start())
                want_value = True
                continue
            elif tok == ",":
                top[1] = "key" if isinstance(container, dict) else "next"
                want_value = isinstance(container, list)
                continue
            elif tok == ("}" if isinstance(container, dict) else "]"):
                value = stack.pop()[0]
            else:
                raise fail(f"malformed JSON: unexpected {tok!r}", m.start())
        want_value = False
        if not stack:
            end = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if end != len(text):
                raise fail("malformed JSON: text after the document", end)
            return value
        top = stack[-1]
        if isinstance(top[0], dict):
            top[0][top[2]] = value
        else:
            top[0].append(value)
        top[1] = "after"


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
        return policy_set_from_json(load_json_text(text, source))
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
    values = load_json_text(raw, "--arguments")
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
