"""Template linking: fill a template's slots (`?principal`, `?resource`) to make a policy.

`link(ps, template_id, new_id, values)` adds a `TemplateLink` to a policy set after Cedar's
checks: the template exists (a static policy is not a template), the new id is not taken by a
policy, template or link, and the values bind exactly the template's slots (none missing, none
extra). `instantiate` gives the linked policy itself (the template with entities in place of
its slots, under the link's id); `linked_policies` gives all of a set's links instantiated.

The cedar CLI keeps links in a "template-linked" JSON file, a list of
`{"template_id": T, "link_id": L, "args": {"?principal": "User::\\"alice\\"", ...}}` whose
arguments are entity UIDs in Cedar syntax; `read_links_file`, `links_from_json` and
`links_to_json` read and write it. Trusts: the parser (for entity UIDs) and `ast.py`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from assay.core.errors import AssayError, ParseError
from assay.models.cedar import ast
from assay.models.cedar.json_io import json_int
from assay.models.cedar.parser import parse_entity_uid
from assay.models.cedar.values import EntityUID

__all__ = ["LinkError", "link", "link_all", "instantiate", "linked_policies", "links_from_json",
           "links_to_json", "read_links_file", "write_links_file"]


class LinkError(AssayError):
    """A template link that Cedar would refuse (unknown template, id clash, wrong slots)."""


def _fill(scope: ast.Scope, values: Mapping[str, EntityUID]) -> ast.Scope:
    if isinstance(scope.entity, ast.Slot):
        return ast.Scope(scope.var, scope.op, values[scope.entity.name], scope.entity_type,
                         scope.entities, span=scope.span)
    return scope


def check_binding(template: ast.Policy, values: Mapping[str, EntityUID]) -> None:
    unbound = [s for s in template.slots if s not in values]
    extra = sorted(s for s in values if s not in template.slots)
    problems = []
    if unbound:
        problems.append(f"no value for {', '.join(unbound)}")
    if extra:
        problems.append(f"{', '.join(extra)} given but the template has no such slot")
    if problems:
        have = ", ".join(template.slots) or "none"
        raise LinkError(f"cannot link template {template.id!r}: {'; '.join(problems)} "
                        f"(its slots: {have})")


def instantiate(template: ast.Policy, new_id: str,
                values: Mapping[str, EntityUID]) -> ast.Policy:
    """The policy that linking `template` with `values` under `new_id` stands for."""
    check_binding(template, values)
    return ast.Policy(template.effect, new_id, template.annotations,
                      _fill(template.principal, values), template.action,
                      _fill(template.resource, values), template.conditions, span=template.span)


def link(policy_set: ast.PolicySet, template_id: str, new_id: str,
         values: Mapping[str, EntityUID]) -> ast.PolicySet:
    """`policy_set` with one more link, checked as Cedar checks it."""
    return link_all(policy_set, [ast.TemplateLink(template_id, new_id, tuple(values.items()))])


def link_all(policy_set: ast.PolicySet, links: Iterable[ast.TemplateLink]) -> ast.PolicySet:
    """`policy_set` with `links` added in order, each checked against the set so far."""
    templates = {t.id: t for t in policy_set.templates}
    statics = {p.id for p in policy_set.policies}
    taken = statics | set(templates) | {k.new_id for k in policy_set.links}
    added = list(policy_set.links)
    for new in links:
        if new.template_id not in templates:
            what = "a static policy, not a template" if new.template_id in statics else "unknown"
            raise LinkError(f"cannot link {new.new_id!r}: template {new.template_id!r} is {what}")
        if new.new_id in taken:
            raise LinkError(f"cannot link {new.new_id!r}: a policy with that id already exists")
        slots = [s for s, _ in new.values]
        if len(set(slots)) != len(slots):
            raise LinkError(f"cannot link {new.new_id!r}: a slot is given twice")
        check_binding(templates[new.template_id], dict(new.values))
        taken.add(new.new_id)
        added.append(new)
    return ast.PolicySet(policy_set.policies, policy_set.templates, tuple(added))


def linked_policies(policy_set: ast.PolicySet) -> list[ast.Policy]:
    """Every link of the set as the policy it stands for."""
    templates = {t.id: t for t in policy_set.templates}
    out = []
    for k in policy_set.links:
        if k.template_id not in templates:
            raise LinkError(f"link {k.new_id!r} names unknown template {k.template_id!r}")
        out.append(instantiate(templates[k.template_id], k.new_id, dict(k.values)))
    return out


# ------------------------------------------------------------------ template-linked files

def links_from_json(raw: Any, source: str | None = None) -> tuple[ast.TemplateLink, ...]:
    """Links from the cedar CLI's template-linked JSON (already decoded)."""
    def fail(message: str) -> LinkError:
        return LinkError(f"{source or '<links>'}: {message}")

    if not isinstance(raw, list):
        raise fail("expected a JSON array of {\"template_id\", \"link_id\", \"args\"} objects")
    links = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) != {"template_id", "link_id", "args"}:
            raise fail(f"$[{i}]: expected exactly the keys template_id, link_id and args")
        tid, lid, args = item["template_id"], item["link_id"], item["args"]
        if not isinstance(tid, str) or not isinstance(lid, str) or not isinstance(args, dict):
            raise fail(f"$[{i}]: template_id and link_id are strings, args an object")
        values = []
        for slot, text in args.items():
            if slot not in ast.SLOTS:
                raise fail(f"$[{i}].args: invalid slot {slot!r}; expected ?principal|?resource")
            if not isinstance(text, str):
                raise fail(f"$[{i}].args.{slot}: expected an entity UID string like "
                           "'User::\"alice\"'")
            try:
                values.append((slot, parse_entity_uid(text, f"$[{i}].args.{slot}")))
            except ParseError as exc:
                raise fail(f"$[{i}].args.{slot}: {exc}") from None
        links.append(ast.TemplateLink(tid, lid, tuple(values)))
    return tuple(links)


def links_to_json(links: Iterable[ast.TemplateLink]) -> list[dict[str, Any]]:
    return [{"template_id": k.template_id, "link_id": k.new_id,
             "args": {slot: str(uid) for slot, uid in k.values}} for k in links]


def read_links_file(path: str | Path) -> tuple[ast.TemplateLink, ...]:
    """Links from a template-linked file; a missing or empty file has none (as in Cedar)."""
    p = Path(path)
    if not p.exists():
        return ()
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise LinkError(f"cannot read links file {p}: {exc.strerror}") from None
    if not text.strip():
        return ()
    try:
        raw = json.loads(text, parse_int=json_int)
    except json.JSONDecodeError as exc:
        raise ParseError(f"malformed JSON: {exc.msg}", source=str(p), line=exc.lineno,
                         column=exc.colno) from None
    return links_from_json(raw, str(p))


def write_links_file(path: str | Path, links: Iterable[ast.TemplateLink]) -> None:
    try:
        Path(path).write_text(json.dumps(links_to_json(links)), encoding="utf-8")
    except OSError as exc:
        raise LinkError(f"cannot write links file {path}: {exc.strerror}") from None
