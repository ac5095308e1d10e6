"""Declared attribute types from a Cedar schema (human-readable format), for JSON parsing.

Both schema formats are read: the human-readable one (`read_schema_types`) and JSON
(`read_json_schema_types`). Cedar's entity JSON lets an attribute whose schema type is an entity type be written
`{"type": T, "id": I}` and an extension value `{"fn": F, "arg": A}`; without the schema these are
records. This module reads just enough of a schema — namespaces, entity declarations (attributes
and tags), common types, actions and their groups — to say which is meant, and to give the
action entities Cedar adds to the store when it has a schema. It is not a validator: it accepts every schema
of the integration-test corpus and ignores what it does not need (actions' `appliesTo`).

Types are tuples: ("Bool",), ("Long",), ("String",), ("ext", function), ("entity", name),
("set", T), ("record", {attr: T}), ("unknown", name).

Trusts: lark (grammar `schema_types.lark`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from assay.core.errors import ParseError
from assay.models.cedar.entities import Entity
from assay.models.cedar.parser import _unescape, context_at
from assay.models.cedar.values import EntityUID

Type = tuple[Any, ...]

_BUILTINS: dict[str, Type] = {
    "Bool": ("Bool",), "Boolean": ("Bool",), "Long": ("Long",), "String": ("String",),
    "ipaddr": ("ext", "ip"), "decimal": ("ext", "decimal"), "datetime": ("ext", "datetime"),
    "duration": ("ext", "duration"),
}

_PARSER = Lark(Path(__file__).with_name("schema_types.lark").read_text(), parser="lalr",
               start="schema", cache=True)


@dataclass
class SchemaTypes:
    entity_attrs: dict[str, Type] = field(default_factory=dict)
    entity_tags: dict[str, Type] = field(default_factory=dict)
    common: dict[str, Tree | Token] = field(default_factory=dict)
    actions: dict[EntityUID, frozenset[EntityUID]] = field(default_factory=dict)

    def action_entities(self) -> list[Entity]:
        """The declared actions as entities with their declared parents (`action a in [b]`),
        which Cedar adds to the entity store when it is given a schema."""
        return [Entity(uid, parents=ps) for uid, ps in self.actions.items()]


def _action_uid(type_path: str, ns: str, name: str) -> EntityUID:
    # `Action::"x"` inside namespace N is N::Action::"x"; a longer path is taken as written
    return EntityUID(_qualify(ns, "Action") if type_path == "Action" else type_path, name)


def _path(t: Tree) -> str:
    parts: list[str] = []
    node: Any = t
    while isinstance(node, Tree) and node.data == "path":
        *rest, last = node.children
        parts.append(str(last.children[0]) if isinstance(last, Tree) else str(last))
        node = rest[0] if rest else None
    return "::".join(reversed(parts))


def _qualify(ns: str, name: str) -> str:
    return f"{ns}::{name}" if ns else name


class _Reader:
    def __init__(self, tree: Tree) -> None:
        self.out = SchemaTypes()
        self.entities: set[str] = set()
        self.pending: list[tuple[str, str, Tree, str]] = []  # (kind, entity, type tree, ns)
        for item in tree.children:
            if item.data == "namespace":
                ns = _path(next(c for c in item.children if isinstance(c, Tree)
                                and c.data == "path"))
                for decl in item.children:
                    if isinstance(decl, Tree) and decl.data.endswith("_decl"):
                        self.decl(decl, ns)
            else:
                self.decl(item, "")
        for kind, ety, t, ns in self.pending:
            target = self.out.entity_attrs if kind == "attrs" else self.out.entity_tags
            target[ety] = self.resolve(t, ns, 0)

    def decl(self, d: Tree, ns: str) -> None:
        if d.data in ("entity_decl", "enum_decl"):
            idents = next(c for c in d.children if isinstance(c, Tree) and c.data == "idents")
            names = [_qualify(ns, str(t)) for t in idents.children]
            self.entities.update(names)
            if d.data == "entity_decl":
                rec = next((c for c in d.children if isinstance(c, Tree)
                            and c.data == "record_type"), None)
                tags_at = [i for i, c in enumerate(d.children)
                           if isinstance(c, Token) and c.type == "TAGS"]
                for n in names:
                    if rec is not None:
                        self.pending.append(("attrs", n, rec, ns))
                    if tags_at:
                        self.pending.append(("tags", n, d.children[tags_at[0] + 1], ns))
        elif d.data == "action_decl":
            names = next(c for c in d.children if isinstance(c, Tree) and c.data == "names")
            refs = next((c for c in d.children if isinstance(c, Tree)
                         and c.data == "action_refs"), None)
            parents = frozenset(self.action_ref(r, ns) for r in (refs.children if refs else ())
                                if isinstance(r, Tree))
            for n in names.children:
                self.out.actions[_action_uid("Action", ns, self.name(n))] = parents
        elif d.data == "type_decl":
            ident = next(c for c in d.children if isinstance(c, Token) and c.type == "IDENT")
            self.out.common[_qualify(ns, str(ident))] = (d.children[-1], ns)  # type: ignore

    @staticmethod
    def name(n: Any) -> str:
        if isinstance(n, Token) and n.type == "STR":
            return "".join(str(x) for x in _unescape(n[1:-1], None))
        return str(n.children[0]) if isinstance(n, Tree) else str(n)

    def action_ref(self, r: Tree, ns: str) -> EntityUID:
        if len(r.children) == 1:
            return _action_uid("Action", ns, self.name(r.children[0]))
        return _action_uid(_path(r.children[0]), ns, self.name(r.children[1]))

    def resolve(self, t: Any, ns: str, depth: int) -> Type:
        if depth > 64:
            return ("unknown", "<cyclic common type>")
        if t.data == "set_type":
            return ("set", self.resolve(t.children[-1], ns, depth + 1))
        if t.data == "record_type":
            attrs: dict[str, Type] = {}
            for a in t.children:
                if not isinstance(a, Tree):
                    continue
                key = next(c for c in a.children if (isinstance(c, Token) and c.type == "STR")
                           or (isinstance(c, Tree) and c.data == "any_ident"))
                name = ("".join(str(x) for x in _unescape(key[1:-1], None))
                        if isinstance(key, Token) else str(key.children[0]))
                attrs[name] = self.resolve(a.children[-1], ns, depth + 1)
            return ("record", attrs)
        name = _path(t.children[0]) if t.data == "named_type" else _path(t)
        if name.startswith("__cedar::"):
            return _BUILTINS.get(name[len("__cedar::"):], ("unknown", name))
        for cand in ((_qualify(ns, name), name) if "::" not in name else (name,)):
            if cand in self.out.common:
                body, body_ns = self.out.common[cand]  # type: ignore[misc]
                return self.resolve(body, body_ns, depth + 1)
            if cand in self.entities:
                return ("entity", cand)
            if cand == name and name in _BUILTINS:
                return _BUILTINS[name]
        return ("entity", name)


_JSON_PRIMS = {"Long": ("Long",), "String": ("String",), "Boolean": ("Bool",), "Bool": ("Bool",)}


class _JsonReader:
    """The same information from a schema in Cedar's JSON format."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.out = SchemaTypes()
        self.entities: set[str] = set()
        self.common: dict[str, tuple[Any, str]] = {}
        for ns, body in schema.items():
            for name in (body.get("entityTypes") or {}):
                self.entities.add(_qualify(ns, name))
            for name, t in (body.get("commonTypes") or {}).items():
                self.common[_qualify(ns, name)] = (t, ns)
        for ns, body in schema.items():
            for name, decl in (body.get("entityTypes") or {}).items():
                ety = _qualify(ns, name)
                if isinstance(decl, dict) and decl.get("shape") is not None:
                    self.out.entity_attrs[ety] = self.resolve(decl["shape"], ns, 0)
                if isinstance(decl, dict) and decl.get("tags") is not None:
                    self.out.entity_tags[ety] = self.resolve(decl["tags"], ns, 0)
            for name, decl in (body.get("actions") or {}).items():
                member_of = (decl or {}).get("memberOf") or [] if isinstance(decl, dict) else []
                parents = frozenset(_action_uid(str(m.get("type", "Action")), ns, str(m["id"]))
                                    for m in member_of if isinstance(m, dict) and "id" in m)
                self.out.actions[_action_uid("Action", ns, name)] = parents

    def named(self, name: str, ns: str, depth: int) -> Type:
        for cand in ((_qualify(ns, name), name) if "::" not in name else (name,)):
            if cand in self.common:
                body, body_ns = self.common[cand]
                return self.resolve(body, body_ns, depth + 1)
            if cand in self.entities:
                return ("entity", cand)
        bare = name.removeprefix("__cedar::")
        return _JSON_PRIMS.get(bare) or _BUILTINS.get(bare) or ("entity", name)

    def resolve(self, t: Any, ns: str, depth: int) -> Type:
        if depth > 64 or not isinstance(t, dict):
            return ("unknown", repr(t)[:40])
        kind = t.get("type")
        if kind == "Set":
            return ("set", self.resolve(t.get("element"), ns, depth + 1))
        if kind == "Record":
            return ("record", {k: self.resolve(v, ns, depth + 1)
                               for k, v in (t.get("attributes") or {}).items()})
        if kind == "Entity":
            name = t.get("name", "")
            return ("entity", _qualify(ns, name) if "::" not in name
                    and _qualify(ns, name) in self.entities else name)
        if kind == "Extension":
            return _BUILTINS.get(t.get("name", ""), ("unknown", str(t.get("name"))))
        if kind == "EntityOrCommon":
            return self.named(str(t.get("name", "")), ns, depth)
        return self.named(str(kind), ns, depth)


def read_json_schema_types(schema: Any, source: str | None = None) -> SchemaTypes:
    """Declared types from a schema in Cedar's JSON format (already decoded)."""
    if not isinstance(schema, dict) or not all(isinstance(v, dict) for v in schema.values()):
        raise ParseError("a JSON schema maps namespaces to {\"entityTypes\", \"actions\", ...}",
                         source=source)
    return _JsonReader(schema).out


def read_schema_types(text: str, source: str | None = None) -> SchemaTypes:
    try:
        tree = _PARSER.parse(text)
    except UnexpectedInput as exc:
        line, col = getattr(exc, "line", 0) or 0, getattr(exc, "column", 0) or 0
        raise ParseError("malformed schema", source=source, line=line, column=col,
                         context=context_at(text, line, col)) from None
    return _Reader(tree).out
