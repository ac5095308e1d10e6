"""`assay cedar ...`: the Cedar subcommands, following the `cedar` CLI's flags and exit codes.

Exit codes as cedar-policy-cli has them: 0 success (ALLOW), 1 failure (bad input), 2 DENY,
3 validation failure. Errors print `file:line:column`, the line and a caret, never a traceback.
Subcommands here: authorize, evaluate, check-parse, run-tests; part B's `cli_extra` adds more,
`cli_validate` adds validate and translate-schema.

Trusts: the modules it calls; it only reads arguments and files and prints.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assay.core.errors import AssayError, ParseError
from assay.models.cedar import ast
from assay.models.cedar.authorizer import Authorizer, Response
from assay.models.cedar.cli_extra import read_policy_set
from assay.models.cedar.entities import Entities, Request
from assay.models.cedar.evaluator import EvalError, evaluate
from assay.models.cedar.extensions import Datetime, Duration
from assay.models.cedar.json_io import (
    context_from_json,
    entities_from_json,
    read_json_file,
    read_text_file,
    request_from_json,
    value_to_json,
)
from assay.models.cedar.link import link_all, read_links_file
from assay.models.cedar.parser import parse_entity_uid, parse_expression
from assay.models.cedar.schema import load_schema
from assay.models.cedar.schema_types import from_schema
from assay.models.cedar.values import CedarSet, EntityUID, Record

SUCCESS, FAILURE, DENY, VALIDATION_FAILURE = 0, 1, 2, 3


def _guard(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Cedar's CLI exits 1 on bad input (assay's default for errors would be 2 = DENY here)."""
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except AssayError as exc:
            if getattr(args, "json", False):
                print(json.dumps({"error": str(exc)}))
            else:
                print(f"assay cedar: error: {exc}", file=sys.stderr)
            return FAILURE
    return run


def _read(path: str | None, what: str) -> tuple[str, str]:
    if path is None or path == "-":
        return sys.stdin.read(), "<stdin>"
    return read_text_file(path, what), path


def load_policy_set(path: str | None, links_path: str | None = None,
                    policy_format: str = "cedar") -> ast.PolicySet:
    """A policy set as the cedar CLI reads one for the user: Cedar text takes each policy's id
    from its `@id` annotation (`cli_extra.read_policy_set`), then the links of the
    template-linked file are added with Cedar's checks (`link.link_all`: unknown template, id
    clashing with a policy or link, wrong slots). Unlike `link`, a missing links file is an
    error. `run-tests` does not come here: the corpus expects Cedar's `policyN` ids."""
    ps = read_policy_set(path, policy_format)
    if links_path:
        if not Path(links_path).is_file():
            raise ParseError(f"cannot read template-linked file {links_path}: no such file",
                             source=links_path)
        ps = link_all(ps, read_links_file(links_path))
    return ps


def load_entities_arg(path: str | None, schema_path: str | None) -> Entities:
    if path is None:
        return Entities()
    raw, raw_text = read_json_file(path)
    schema = None
    if schema_path:
        text, source = _read(schema_path, "schema")
        schema = from_schema(load_schema(text, source))
    entities = entities_from_json(raw, path, schema, raw_text)
    if schema is not None:  # as Cedar: the schema's actions join the store
        entities = entities.with_entities(schema.action_entities())
    return entities


def build_request(args: argparse.Namespace) -> Request:
    if args.request_json:
        obj, text = read_json_file(args.request_json)
        return request_from_json(obj, args.request_json, text)
    missing = [f"--{k}" for k in ("principal", "action", "resource") if not getattr(args, k)]
    if missing:
        raise ParseError(f"missing {', '.join(missing)} (or give --request-json)")
    context = (context_from_json(*_with_text(args.context)) if args.context
               else context_from_json({}))
    return Request(parse_entity_uid(args.principal, "--principal"),
                   parse_entity_uid(args.action, "--action"),
                   parse_entity_uid(args.resource, "--resource"), context)


def _with_text(path: str) -> tuple[Any, str, str]:
    obj, text = read_json_file(path)
    return obj, path, text


def _response_json(resp: Response) -> dict[str, Any]:
    return {"decision": resp.decision.upper(), "reason": sorted(resp.reasons),
            "errors": [{"policy": e.policy_id, "error": str(e.error)} for e in resp.errors]}


# -- commands ------------------------------------------------------------------------------------

def cmd_authorize(args: argparse.Namespace) -> int:
    ps = load_policy_set(args.policies, args.template_linked, args.policy_format)
    entities = load_entities_arg(args.entities, args.schema)
    req = build_request(args)
    start = time.perf_counter()
    resp = Authorizer(ps).is_authorized(req, entities)
    elapsed = time.perf_counter() - start
    if args.json:
        print(json.dumps(_response_json(resp), indent=2))
    else:
        print("ALLOW" if resp.allowed else "DENY")
        if resp.errors:
            print()
            for e in resp.errors:
                print(f"error while evaluating policy `{e.policy_id}`: {e.error}")
        if args.verbose:
            print()
            if not resp.reasons:
                print("note: no policies applied to this request")
            else:
                print("note: this decision was due to the following policies:")
                for r in sorted(resp.reasons):
                    print(f"  {r}")
        if args.timing:
            print(f"Authorization Time (micro seconds) : {int(elapsed * 1e6)}")
    return SUCCESS if resp.allowed else DENY


def cmd_evaluate(args: argparse.Namespace) -> int:
    entities = load_entities_arg(args.entities, args.schema)
    expr = parse_expression(args.expression, "<expression>")
    unset: frozenset[str] = frozenset()
    if args.request_json:
        req = build_request(args)
    else:
        # The cedar CLI (4.x) refuses to evaluate unless all of principal, action and resource
        # are given; Assay evaluates what it can: a variable not given is unset, and reading it
        # is an error that says so (never a placeholder value). Context defaults to {}.
        unset = frozenset(k for k in ("principal", "action", "resource") if not getattr(args, k))
        given = {k: parse_entity_uid(getattr(args, k), f"--{k}")
                 for k in ("principal", "action", "resource") if k not in unset}
        unused = EntityUID("__cedar::unset", "")  # never read: `evaluate` refuses unset vars
        req = Request(given.get("principal", unused), given.get("action", unused),
                      given.get("resource", unused),
                      context_from_json(*_with_text(args.context)) if args.context
                      else context_from_json({}))
    v = evaluate(expr, req, entities, unset=unset)
    if isinstance(v, EvalError):
        if args.json:
            print(json.dumps({"error": str(v), "kind": v.kind.value}))
        else:
            print(f"error while evaluating the expression: {v}")
        return FAILURE
    print(json.dumps(value_to_json(v)) if args.json else _show(v))
    return SUCCESS


def value_to_expr(v: Any) -> ast.Expr:
    """A literal expression whose value is `v` (iterative, post-order)."""
    out: list[Any] = []
    todo: list[tuple[bool, Any]] = [(False, v)]
    while todo:
        built, x = todo.pop()
        if isinstance(x, CedarSet | Record) and not built:
            todo.append((True, x))
            todo.extend((False, c) for c in reversed(list(x.values() if isinstance(x, Record)
                                                          else x)))
        elif isinstance(x, CedarSet):
            n = len(x)
            kids, out[len(out) - n:] = out[len(out) - n:], []
            out.append(ast.SetLit(tuple(kids)))
        elif isinstance(x, Record):
            n = len(x)
            kids, out[len(out) - n:] = out[len(out) - n:], []
            out.append(ast.RecordLit(tuple(zip(x.keys(), kids))))
        elif isinstance(x, EntityUID):
            out.append(ast.EntityLit(x))
        elif x.__class__ in (bool, int, str):
            out.append(ast.Lit(x))
        else:
            out.append(_extension_expr(x))
    return out[0]


def _extension_expr(x: Any) -> ast.Expr:
    if isinstance(x, Datetime):
        epoch = ast.FunctionCall("datetime", (ast.Lit("1970-01-01"),))
        if x.epoch_ms == 0:
            return epoch
        return ast.MethodCall("offset", epoch, (_extension_expr(Duration(x.epoch_ms)),))
    fn, args = x.canonical_call()
    return ast.FunctionCall(fn, tuple(ast.Lit(a) for a in args))


def _show(v: Any) -> str:
    """A value in Cedar syntax, as the cedar CLI prints it."""
    from assay.models.cedar.format import format_expr
    return format_expr(value_to_expr(v))


def cmd_check_parse(args: argparse.Namespace) -> int:
    ps = load_policy_set(args.policies, None, args.policy_format)
    n = len(ps.policies) + len(ps.templates)
    if args.json:
        print(json.dumps({"ok": True, "policies": len(ps.policies),
                          "templates": len(ps.templates)}))
    else:
        print(f"parsed {n} policies ({len(ps.templates)} templates)")
    return SUCCESS


def cmd_run_tests(args: argparse.Namespace) -> int:
    from assay.models.cedar.conformance import run_tests, summary_json

    progress = None
    bar = None
    if not args.json and sys.stderr.isatty():
        from rich.progress import Progress
        bar = Progress(transient=True)
        task = bar.add_task("running Cedar integration tests", total=None)
        bar.start()

        def progress(n: int, total: int) -> None:
            bar.update(task, completed=n, total=total)
    start = time.perf_counter()
    try:
        summary = run_tests(Path(args.path), progress)
    finally:
        if bar is not None:
            bar.stop()
    elapsed = time.perf_counter() - start
    if args.json:
        print(summary_json(summary))
    else:
        for m in summary.mismatches[:50]:
            print(f"MISMATCH {m.test}: {m.request}: {m.field}: expected {m.expected}, "
                  f"got {m.got}")
        for e in summary.errors[:50]:
            print(f"ERROR {e}")
        print(f"{summary.tests} tests, {summary.requests} requests: {summary.passed} passed, "
              f"{len(summary.mismatches)} mismatches, {len(summary.errors)} errors; "
              f"shouldValidate: {summary.validation_matches}/{summary.validated} agree "
              f"({elapsed:.1f} s)")
    return SUCCESS if summary.ok else FAILURE


# -- registration ------------------------------------------------------------------------------

def _request_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-l", "--principal", help='principal entity UID, e.g. User::"alice"')
    p.add_argument("-a", "--action", help='action entity UID, e.g. Action::"view"')
    p.add_argument("-r", "--resource", help='resource entity UID, e.g. File::"a.txt"')
    p.add_argument("-c", "--context", metavar="FILE", help="JSON file with the context record")
    p.add_argument("--request-json", metavar="FILE",
                   help='JSON file with the whole request: {"principal", "action", '
                        '"resource", "context"}; replaces --principal, --action, ...')
    p.add_argument("-s", "--schema", metavar="FILE",
                   help="schema (Cedar or JSON format): adds its action entities (with their "
                        "groups) to the store and interprets implicit entity and extension "
                        "forms in the entities JSON. Requests and entities are not validated "
                        "against it; `assay cedar validate` validates policies")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def register(subparsers: argparse._SubParsersAction) -> None:
    cedar = subparsers.add_parser("cedar", help="Cedar policies: authorize, evaluate, test")
    sub = cedar.add_subparsers(dest="cedar_command", metavar="SUBCOMMAND")
    cedar.set_defaults(func=lambda _args: cedar.print_help() or FAILURE)

    p = sub.add_parser("authorize", help="evaluate an authorization request (exit 0 ALLOW, "
                                         "2 DENY, 1 error)")
    p.add_argument("-p", "--policies", metavar="FILE", help="policies file (default: stdin)")
    p.add_argument("--policy-format", choices=("cedar", "json"), default="cedar",
                   help="policies in Cedar text (ids from @id annotations) or JSON (EST)")
    p.add_argument("-k", "--template-linked", metavar="FILE",
                   help="JSON file of template links (the cedar CLI's format)")
    p.add_argument("--entities", metavar="FILE", required=True, help="entities JSON file")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="name the policies that determined the decision")
    p.add_argument("-t", "--timing", action="store_true", help="report authorization time")
    _request_args(p)
    p.set_defaults(func=_guard(cmd_authorize))

    p = sub.add_parser("evaluate", help="evaluate a Cedar expression",
                       description="Evaluate a Cedar expression. Variables not given "
                                   "(--principal, --action, --resource) are unset: an "
                                   "expression that reads one is an error; context is {} "
                                   "unless --context is given.")
    p.add_argument("expression", help="the expression")
    p.add_argument("--entities", metavar="FILE", help="entities JSON file (default: none)")
    _request_args(p)
    p.set_defaults(func=_guard(cmd_evaluate))

    p = sub.add_parser("check-parse", help="check that policies parse (and that their @id "
                                           "annotations name distinct policies)")
    p.add_argument("-p", "--policies", metavar="FILE", help="policies file (default: stdin)")
    p.add_argument("--policy-format", choices=("cedar", "json"), default="cedar")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=_guard(cmd_check_parse))

    p = sub.add_parser("run-tests", help="run Cedar integration tests (a JSON test file or "
                                         "a cedar-integration-tests folder)")
    p.add_argument("path", help="test file or corpus folder")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(func=_guard(cmd_run_tests))

    for name in ("assay.models.cedar.cli_extra", "assay.models.cedar.cli_difftest",
                 "assay.models.cedar.cli_validate"):
        try:
            extra = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
        else:
            extra.register(sub)
