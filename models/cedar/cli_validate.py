"""`assay cedar validate` and `translate-schema`, as the cedar CLI's commands of those names.

    assay cedar validate --schema S --policies P [--schema-format cedar|json]
                         [--deny-warnings] [--validation-mode strict] [--json]
                         [--entities E] [--request-json R]

With `--entities` / `--request-json` (an Assay extension) the entity store and the request
are checked against the schema too, as Cedar checks them when `authorize` is given a schema
(`request_validator`).

Each error prints its policy id, `file:line:column`, the source line with a caret and the
message. Exit codes as the cedar CLI: 0 valid, 3 validation failed (with `--deny-warnings`,
warnings fail too), 1 bad input (unreadable or malformed schema or policies).

    assay cedar translate-schema --direction cedar-to-json|json-to-cedar -s S [--json]

prints the schema in the other format (exit 0, or 1 on a malformed schema).

Trusts: `schema`, `validator`, `schema_translate`, and the policy reader of `cli`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assay.core.errors import AssayError
from assay.models.cedar.schema import load_schema, read_json_schema, read_schema
from assay.models.cedar.schema_raw import context_at
from assay.models.cedar.validator import Issue, validate

SUCCESS, FAILURE, VALIDATION_FAILURE = 0, 1, 3


def _issue_json(i: Issue) -> dict[str, Any]:
    out: dict[str, Any] = {"policy": i.policy_id, "kind": i.kind.value, "message": i.message}
    if i.detail:
        out["typeError"] = i.detail
    if i.span is not None:
        out.update(source=i.span.source, line=i.span.line, column=i.span.column)
    return out


def _show(i: Issue, level: str, texts: dict[str | None, str]) -> str:
    head = f"{level}: policy `{i.policy_id}`: {i.message}"
    if i.span is None:
        return head
    lines = [f"{i.span}: {head}"]
    text = texts.get(i.span.source)
    if text is not None:
        lines.append(context_at(text, i.span.line, i.span.column))
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    from assay.models.cedar.cli import _read, load_policy_set

    if args.validation_mode != "strict":
        raise AssayError(f"validation mode `{args.validation_mode}` is not supported "
                         "(Assay implements Cedar's strict mode only)")
    schema_text, schema_source = _read(args.schema, "schema")
    if args.schema_format == "json":
        from assay.models.cedar.json_io import load_json
        schema = read_json_schema(load_json(schema_text, schema_source), schema_source)
    elif args.schema_format == "cedar":
        schema = read_schema(schema_text, schema_source)
    else:
        schema = load_schema(schema_text, schema_source)
    policies = load_policy_set(args.policies, args.template_linked, args.policy_format)
    result = validate(policies, schema)
    data = _data_errors(args, schema)
    failed = bool(result.errors) or bool(data) or (args.deny_warnings and bool(result.warnings))
    if args.json:
        print(json.dumps({"passed": not failed, "errors": [_issue_json(i) for i in result.errors],
                          "warnings": [_issue_json(i) for i in result.warnings],
                          "data_errors": data}, indent=2))
    else:
        texts: dict[str | None, str] = {}
        if args.policies and args.policies != "-" and args.policy_format == "cedar":
            try:
                texts[args.policies] = Path(args.policies).read_text(encoding="utf-8")
            except OSError:
                pass
        for i in result.errors:
            print(_show(i, "error", texts))
        for i in result.warnings:
            print(_show(i, "warning", texts))
        for d in data:
            print(f"error: {d}")
        n = len(policies.policies) + len(policies.templates)
        print(f"validation {'failed' if failed else 'passed'}: {n} policies, "
              f"{len(result.errors)} errors, {len(result.warnings)} warnings"
              + (f", {len(data)} entity/request errors" if data else ""))
    return VALIDATION_FAILURE if failed else SUCCESS


def _data_errors(args: argparse.Namespace, schema: Any) -> list[str]:
    """Entities and request (if given) checked against the schema."""
    from assay.models.cedar.json_io import entities_from_json, read_json_file, request_from_json
    from assay.models.cedar.request_validator import validate_entities, validate_request
    from assay.models.cedar.schema_types import from_schema

    out: list[str] = []
    if args.entities:
        raw, text = read_json_file(args.entities)
        store = entities_from_json(raw, args.entities, from_schema(schema), text)
        out += [f"entities: {m}" for m in validate_entities(store, schema)]
    if args.request_json:
        obj, text = read_json_file(args.request_json)
        req = request_from_json(obj, args.request_json, text)
        out += [f"request: {m}" for m in validate_request(req, schema)]
    return out


def cmd_translate_schema(args: argparse.Namespace) -> int:
    from assay.models.cedar.cli import _read
    from assay.models.cedar.schema_translate import translate_schema

    text, source = _read(args.schema, "schema")
    out = translate_schema(text, args.direction, source)
    if args.json:
        print(out if args.direction == "cedar-to-json" else json.dumps({"schema": out}))
    else:
        print(out, end="")
    return SUCCESS


def register(sub: argparse._SubParsersAction) -> None:
    from assay.models.cedar.cli import _guard

    p = sub.add_parser("translate-schema", help="translate a schema between the Cedar and "
                                                "JSON formats")
    p.add_argument("--direction", choices=("cedar-to-json", "json-to-cedar"), required=True)
    p.add_argument("-s", "--schema", metavar="FILE", help="schema file (default: stdin)")
    p.add_argument("--json", action="store_true",
                   help="print JSON (json-to-cedar: {\"schema\": text})")
    p.set_defaults(func=_guard(cmd_translate_schema))

    p = sub.add_parser("validate", help="validate policies against a schema (exit 0 valid, "
                                        "3 invalid, 1 bad input)")
    p.add_argument("-s", "--schema", metavar="FILE", required=True,
                   help="schema file (Cedar or JSON format)")
    p.add_argument("--schema-format", choices=("auto", "cedar", "json"), default="auto",
                   help="schema format (default: JSON when the file starts with `{`)")
    p.add_argument("-p", "--policies", metavar="FILE", help="policies file (default: stdin)")
    p.add_argument("--policy-format", choices=("cedar", "json"), default="cedar")
    p.add_argument("-k", "--template-linked", metavar="FILE",
                   help="JSON file of template links (templates are validated; links are "
                        "checked as `link` does)")
    p.add_argument("--deny-warnings", action="store_true",
                   help="fail on warnings (impossible policies) too")
    p.add_argument("--validation-mode", choices=("strict", "permissive", "partial"),
                   default="strict", help="only strict is implemented")
    p.add_argument("--entities", metavar="FILE",
                   help="also check this entities JSON file against the schema")
    p.add_argument("--request-json", metavar="FILE",
                   help="also check this request JSON file against the schema")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=_guard(cmd_validate))
