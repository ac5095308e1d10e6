"""Translate Cedar schemas between the human-readable format and JSON, as `cedar
translate-schema` does.

Both directions print the raw declarations (`schema_raw.Raw`), so names stay as written and
common types stay common types: a type name whose kind the text format leaves open becomes
`{"type": "EntityOrCommon", "name": N}` in JSON, which Cedar resolves the same way. Reading the
translation back gives the same schema model (`tests/cedar/test_schema_translate.py` checks
this on the corpus schemas). Annotations are carried over.

Trusts: `schema_raw` (the readers); the printers are iterative over type depth.
"""

from __future__ import annotations

import json
import re
from typing import Any

from assay.models.cedar.schema_raw import (
    RESERVED_IDENTS,
    Raw,
    fold,
    qualify,
    read_json_raw,
    read_text_raw,
)
from assay.models.cedar.validator_types import EXTENSION_TYPES
from assay.models.cedar.values import quote_string as quote

_IDENT = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")


def _kids(r: Any) -> list[Any]:
    return [r[1]] if r[0] == "set" else [a[2] for a in r[1]] if r[0] == "record" else []


# -- to JSON ------------------------------------------------------------------------------------

def _type_json(raw: Any, ns: str = "", names: tuple[set[str], set[str]] = (set(), set())
               ) -> dict[str, Any]:
    """The JSON form of a raw type; `names` (common types, entity types) let a type name be
    written as what Cedar would resolve it to (EntityOrCommon only for common types)."""
    common, entities = names

    def named(n: str) -> dict[str, Any]:
        bare = n.removeprefix("__cedar::")
        if bare != n:
            return builtin(bare)
        for space in ((ns, "") if ns and "::" not in n else ("",)):
            full = qualify(space, n)
            if full in common:
                return {"type": "EntityOrCommon", "name": n}
            if full in entities:
                return {"type": "Entity", "name": n}
        if n in ("Bool", "Long", "String", *EXTENSION_TYPES):
            return builtin(n)
        return {"type": "EntityOrCommon", "name": n}

    def builtin(b: str) -> dict[str, Any]:
        if b in EXTENSION_TYPES:
            return {"type": "Extension", "name": b}
        return {"type": "Boolean" if b == "Bool" else b}

    def make(r: Any, args: list[Any]) -> dict[str, Any]:
        kind = r[0]
        if kind == "set":
            return {"type": "Set", "element": args[0]}
        if kind == "record":
            attrs: dict[str, Any] = {}
            for (name, required, _, notes), t in zip(r[1], args):
                attrs[name] = {**t, "required": required} if not required else t
                if notes:
                    attrs[name] = {**attrs[name], "annotations": dict(notes)}
            return {"type": "Record", "attributes": attrs}
        if kind == "builtin":
            return builtin(r[1])
        if kind == "entity":
            return {"type": "Entity", "name": r[1]}
        if kind == "common":
            return {"type": r[1]}
        return named(r[1])
    return fold(raw, _kids, make)


def raw_to_json(raw: Raw) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}

    def space(ns: str) -> dict[str, Any]:
        return out.setdefault(ns, {"entityTypes": {}, "actions": {}})

    names = (set(raw.common), {n for e in raw.entities for n in e.names})
    for ns, notes in raw.namespace_annotations.items():
        space(ns)["annotations"] = dict(notes)

    for name, (t, ns, _) in raw.common.items():
        body = _type_json(t, ns, names)
        if raw.common_annotations.get(name):
            body = {**body, "annotations": dict(raw.common_annotations[name])}
        space(ns).setdefault("commonTypes", {})[_base(name, ns)] = body
    for e in raw.entities:
        for n in e.names:
            decl: dict[str, Any]
            if e.enum is not None:
                decl = {"enum": list(e.enum)}
            else:
                decl = {"memberOfTypes": list(e.member_of)}
                if e.attrs is not None:
                    decl["shape"] = _type_json(e.attrs, e.ns, names)
                if e.tags is not None:
                    decl["tags"] = _type_json(e.tags, e.ns, names)
            if e.annotations:
                decl["annotations"] = dict(e.annotations)
            space(e.ns)["entityTypes"][_base(n, e.ns)] = decl
    for a in raw.actions:
        act: dict[str, Any] = {"annotations": dict(a.annotations)} if a.annotations else {}
        if a.member_of:
            act["memberOf"] = [{"id": p.id} if p.type == qualify(a.ns, "Action")
                               else {"type": p.type, "id": p.id} for p in a.member_of]
        if a.principals is not None:
            applies: dict[str, Any] = {"principalTypes": list(a.principals),
                                       "resourceTypes": list(a.resources or [])}
            if a.context is not None:
                applies["context"] = _type_json(a.context, a.ns, names)
            act["appliesTo"] = applies
        space(a.ns)["actions"][a.uid.id] = act
    return out


def _base(name: str, ns: str) -> str:
    return name[len(ns) + 2:] if ns else name


# -- to the human-readable format --------------------------------------------------------------

def _type_text(raw: Any, shadowed: set[str]) -> str:
    def make(r: Any, args: list[str]) -> str:
        kind = r[0]
        if kind == "set":
            return f"Set<{args[0]}>"
        if kind == "record":
            if not args:
                return "{}"
            fields = [f"{_notes(notes, ' ')}{_attr(name)}{'' if required else '?'}: {t}"
                      for (name, required, _, notes), t in zip(r[1], args)]
            return "{" + ", ".join(fields) + "}"
        if kind == "builtin":
            return f"__cedar::{r[1]}" if r[1] in shadowed else r[1]
        return r[1]
    return fold(raw, _kids, make)


def _attr(name: str) -> str:
    return name if _IDENT.fullmatch(name) and name not in RESERVED_IDENTS else quote(name)


def _notes(notes: dict[str, str], sep: str) -> str:
    return "".join(f"@{k}({quote(v)}){sep}" for k, v in notes.items())


def _action_name(name: str) -> str:
    return quote(name)


def raw_to_text(raw: Raw) -> str:
    spaces: dict[str, list[str]] = {}
    declared = {n.rsplit("::", 1)[-1] for e in raw.entities for n in e.names}
    declared |= {n.rsplit("::", 1)[-1] for n in raw.common}
    shadowed = {b for b in ("Bool", "Long", "String", *EXTENSION_TYPES) if b in declared}

    def ty(t: Any) -> str:
        return _type_text(t, shadowed)

    for name, (t, ns, _) in raw.common.items():
        notes = _notes(raw.common_annotations.get(name, {}), "\n  ")
        spaces.setdefault(ns, []).append(f"{notes}type {_base(name, ns)} = {ty(t)};")
    for e in raw.entities:
        names = ", ".join(_base(n, e.ns) for n in e.names)
        notes = _notes(e.annotations, "\n  ")
        if e.enum is not None:
            spaces.setdefault(e.ns, []).append(
                f"{notes}entity {names} enum [{', '.join(quote(x) for x in e.enum)}];")
            continue
        text = f"{notes}entity {names}"
        if e.member_of:
            text += f" in [{', '.join(e.member_of)}]"
        if e.attrs is not None:
            text += f" = {ty(e.attrs)}"
        if e.tags is not None:
            text += f" tags {ty(e.tags)}"
        spaces.setdefault(e.ns, []).append(text + ";")
    for a in raw.actions:
        text = f"{_notes(a.annotations, chr(10) + '  ')}action {_action_name(a.uid.id)}"
        if a.member_of:
            refs = [quote(p.id) if p.type == qualify(a.ns, "Action") else f"{p.type}::{quote(p.id)}"
                    for p in a.member_of]
            text += f" in [{', '.join(refs)}]"
        if a.principals is not None and a.principals and a.resources:
            items = [f"principal: [{', '.join(a.principals)}]",
                     f"resource: [{', '.join(a.resources or [])}]"]
            if a.context is not None:
                items.append(f"context: {ty(a.context)}")
            text += " appliesTo {\n    " + ",\n    ".join(items) + "\n  }"
        spaces.setdefault(a.ns, []).append(text + ";")
    out: list[str] = []
    for ns, decls in spaces.items():
        if ns:
            notes = _notes(raw.namespace_annotations.get(ns, {}), "\n")
            out.append(f"{notes}namespace {ns} {{\n" + "".join(f"  {d}\n" for d in decls) + "}")
        else:
            out.append("\n".join(decls))
    return "\n\n".join(x for x in out if x) + "\n"


def translate_schema(text: str, direction: str, source: str | None = None) -> str:
    """`direction` is "cedar-to-json" or "json-to-cedar" (the cedar CLI's names)."""
    if direction == "cedar-to-json":
        return json.dumps(raw_to_json(read_text_raw(text, source)), indent=2,
                          ensure_ascii=False) + "\n"
    from assay.models.cedar.json_io import load_json
    return raw_to_text(read_json_raw(load_json(text, source), source))
