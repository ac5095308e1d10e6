"""Cedar schemas, read from both formats (human-readable `.cedarschema` and JSON) into one model.

A `Schema` holds, with every name fully qualified:
    entity_types   name -> EntityDecl(member_of, attrs: RecordType, tags, enum ids or None)
    actions        EntityUID -> ActionDecl(member_of, principals, resources, context)
    common_types   name -> CedarType (type aliases, resolved)
and the derived relations the validator needs: `ancestors(entity type)` and
`action_ancestors(uid)` (transitive), and `environments()` (the request types every action's
`appliesTo` allows).

Names resolve as Cedar 4 resolves them: an unqualified name `N` in namespace `NS` is the common
type `NS::N`, else the entity type `NS::N`, else the common type `N` of the empty namespace, else
the entity type `N`, else the builtin `__cedar::N` (Bool, Long, String, ipaddr, decimal,
datetime, duration). `Action::"a"` in namespace NS names `NS::Action::"a"`. What Cedar refuses is
refused here with a `SchemaError` (file:line:column and a caret when the text is known):
undeclared types and actions, duplicate declarations, cyclic common types or action groups, a
context that is not a record.

Every walk over type trees is iterative (a schema may nest types thousands deep).
Trusts: lark (grammar `schema_types.lark`, shared with `schema_types`), `validator_types`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from assay.core.errors import ParseError
from assay.models.cedar.validator_types import (
    BOOL,
    EMPTY_RECORD,
    LONG,
    STRING,
    Attr,
    CedarType,
    EntityType,
    ExtType,
    RecordType,
    SetType,
)
from assay.models.cedar.values import EntityUID


class SchemaError(ParseError):
    """A schema Cedar would refuse (malformed, or naming what it does not declare)."""


def context_at(text: str, line: int, column: int) -> str:
    """The source line `line` (1-based) with a caret under `column` (1-based)."""
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    return f"{src}\n{' ' * max(column - 1, 0)}^"


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "0": "\0", "'": "'", '"': '"'}


def unquote(token: str) -> str:
    """The text of a quoted Cedar string (escapes \\n \\r \\t \\0 \\\\ \\' \\" \\u{hex})."""
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1:i + 2]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "u" and body[i + 2:i + 3] == "{" and "}" in body[i + 3:i + 10]:
            end = body.index("}", i + 3)
            try:
                out.append(chr(int(body[i + 3:end], 16)))
            except ValueError:
                raise SchemaError(f"invalid escape {body[i:end + 1]!r} in {token}") from None
            i = end + 1
        else:
            raise SchemaError(f"invalid escape {body[i:i + 2]!r} in {token}")
    return "".join(out)


BUILTINS: dict[str, CedarType] = {
    "Bool": BOOL, "Long": LONG, "String": STRING,
    "ipaddr": ExtType("ipaddr"), "decimal": ExtType("decimal"),
    "datetime": ExtType("datetime"), "duration": ExtType("duration"),
}


@dataclass(frozen=True)
class Where:
    """Where a declaration is, for error messages."""

    source: str | None = None
    line: int | None = None
    column: int | None = None
    text: str | None = None

    def error(self, message: str) -> SchemaError:
        context = (context_at(self.text, self.line, self.column or 1)
                   if self.text is not None and self.line else None)
        return SchemaError(message, source=self.source, line=self.line, column=self.column,
                           context=context)


@dataclass(frozen=True)
class EntityDecl:
    name: str
    member_of: frozenset[str] = frozenset()
    attrs: RecordType = EMPTY_RECORD
    tags: CedarType | None = None
    enum: tuple[str, ...] | None = None
    where: Where = field(default=Where(), compare=False, repr=False)


@dataclass(frozen=True)
class ActionDecl:
    uid: EntityUID
    member_of: frozenset[EntityUID] = frozenset()
    principals: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    context: RecordType = EMPTY_RECORD
    where: Where = field(default=Where(), compare=False, repr=False)


@dataclass(frozen=True)
class RequestEnv:
    """One request type: the principal and resource entity types, the action, the context."""

    principal: str
    action: EntityUID
    resource: str
    context: RecordType


@dataclass
class Schema:
    entity_types: dict[str, EntityDecl] = field(default_factory=dict)
    actions: dict[EntityUID, ActionDecl] = field(default_factory=dict)
    common_types: dict[str, CedarType] = field(default_factory=dict)
    _anc: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _act_anc: dict[EntityUID, frozenset[EntityUID]] = field(default_factory=dict, repr=False)

    def ancestors(self, ety: str) -> frozenset[str]:
        """Entity types an entity of type `ety` may be a (transitive) member of."""
        if not self._anc:
            self._anc.update(_closure({n: d.member_of for n, d in self.entity_types.items()}))
        return self._anc.get(ety, frozenset())

    def action_ancestors(self, uid: EntityUID) -> frozenset[EntityUID]:
        if not self._act_anc:
            self._act_anc.update(_closure({u: d.member_of for u, d in self.actions.items()}))
        return self._act_anc.get(uid, frozenset())

    def action_types(self) -> frozenset[str]:
        return frozenset(u.type for u in self.actions)

    def is_valid_entity_uid(self, uid: EntityUID) -> bool:
        decl = self.entity_types.get(uid.type)
        if decl is not None:
            return decl.enum is None or uid.id in decl.enum
        return uid in self.actions

    def environments(self) -> list[RequestEnv]:
        return [RequestEnv(p, uid, r, a.context) for uid, a in self.actions.items()
                for p in a.principals for r in a.resources]

    def action_entities(self) -> list[Any]:
        """The declared actions as entities with their parents (Cedar adds them to the store)."""
        from assay.models.cedar.entities import Entity
        return [Entity(uid, parents=a.member_of) for uid, a in self.actions.items()]


def _closure(edges: dict[Any, frozenset[Any]]) -> dict[Any, frozenset[Any]]:
    out: dict[Any, frozenset[Any]] = {}
    for start in edges:
        seen: set[Any] = set()
        todo = list(edges[start])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo += edges.get(x, ())
        out[start] = frozenset(seen)
    return out


def _qualify(ns: str, name: str) -> str:
    return f"{ns}::{name}" if ns else name


# -- the raw form both formats are read into -------------------------------------------------
# Raw types: ("name", N) a type name to resolve, ("entity", N) an entity type name, ("set", R),
# ("record", ((attr, required, R), ...)), ("builtin", N).

@dataclass
class _RawEntity:
    names: list[str]
    member_of: list[str]
    attrs: Any
    tags: Any
    enum: tuple[str, ...] | None
    ns: str
    where: Where


@dataclass
class _RawAction:
    uid: EntityUID
    member_of: list[EntityUID]
    principals: list[str] | None
    resources: list[str] | None
    context: Any
    ns: str
    where: Where


@dataclass
class _Raw:
    entities: list[_RawEntity] = field(default_factory=list)
    actions: list[_RawAction] = field(default_factory=list)
    common: dict[str, tuple[Any, str, Where]] = field(default_factory=dict)


def _fold(root: Any, kids: Callable[[Any], Iterable[Any]], make: Callable[[Any, list[Any]], Any]
          ) -> Any:
    """Bottom-up fold of a tree without recursion: make(node, folded children)."""
    out: list[Any] = []
    todo: list[tuple[Any, int]] = [(root, -1)]
    while todo:
        node, n = todo.pop()
        if n >= 0:
            args = out[len(out) - n:] if n else []
            del out[len(out) - n:]
            out.append(make(node, args))
            continue
        ks = list(kids(node))
        todo.append((node, len(ks)))
        todo += [(k, -1) for k in reversed(ks)]
    return out[0]


# -- human-readable format -------------------------------------------------------------------

_PARSER = Lark(Path(__file__).with_name("schema_types.lark").read_text(), parser="lalr",
               start="schema", propagate_positions=True, cache=True)


def _path(t: Tree) -> str:
    parts: list[str] = []
    node: Any = t
    while isinstance(node, Tree) and node.data == "path":
        *rest, last = node.children
        parts.append(str(last.children[0]) if isinstance(last, Tree) else str(last))
        node = rest[0] if rest else None
    return "::".join(reversed(parts))


def _name(n: Any) -> str:
    if isinstance(n, Token) and n.type == "STR":
        return unquote(str(n))
    return str(n.children[0]) if isinstance(n, Tree) else str(n)


def _trees(t: Tree, data: str) -> list[Tree]:
    return [c for c in t.children if isinstance(c, Tree) and c.data == data]


class _TextReader:
    def __init__(self, text: str, source: str | None) -> None:
        self.text, self.source = text, source
        self.raw = _Raw()

    def where(self, t: Any) -> Where:
        meta = getattr(t, "meta", None)
        line = getattr(meta, "line", None) if meta is not None and not meta.empty else None
        col = getattr(meta, "column", None) if line else None
        if isinstance(t, Token):
            line, col = t.line, t.column
        return Where(self.source, line, col, self.text)

    def read(self, tree: Tree) -> _Raw:
        for item in tree.children:
            if item.data == "namespace":
                ns = _path(_trees(item, "path")[0])
                if ns == "__cedar" or ns.startswith("__cedar::"):
                    raise self.where(item).error("the `__cedar` namespace is reserved")
                for decl in item.children:
                    if isinstance(decl, Tree) and decl.data.endswith("_decl"):
                        self.decl(decl, ns)
            else:
                self.decl(item, "")
        return self.raw

    def decl(self, d: Tree, ns: str) -> None:
        w = self.where(d)
        if d.data in ("entity_decl", "enum_decl"):
            names = [_qualify(ns, str(t)) for t in _trees(d, "idents")[0].children]
            if d.data == "enum_decl":
                ids = tuple(_name(c) for c in d.children
                            if isinstance(c, Token) and c.type == "STR")
                self.raw.entities.append(_RawEntity(names, [], None, None, ids, ns, w))
                return
            parents = [_path(p) for e in _trees(d, "ent_or_types") for p in e.children
                       if isinstance(p, Tree)]
            rec = next(iter(_trees(d, "record_type")), None)
            tags_at = [i for i, c in enumerate(d.children)
                       if isinstance(c, Token) and c.type == "TAGS"]
            tags = self.type(d.children[tags_at[0] + 1]) if tags_at else None
            self.raw.entities.append(_RawEntity(
                names, parents, self.type(rec) if rec is not None else None, tags, None, ns, w))
        elif d.data == "action_decl":
            refs = next(iter(_trees(d, "action_refs")), None)
            parents = [self.action_ref(r, ns) for r in (refs.children if refs else ())
                       if isinstance(r, Tree)]
            applies = next(iter(_trees(d, "applies_to")), None)
            principals: list[str] | None = None
            resources: list[str] | None = None
            context: Any = None
            if applies is not None:
                for it in _trees(applies, "applies_item"):
                    key = _name(next(c for c in it.children if isinstance(c, Tree)
                                     and c.data == "any_ident"))
                    body = [c for c in it.children if c is not None][-1]
                    if key in ("principal", "resource"):
                        types = ([_path(p) for p in body.children if isinstance(p, Tree)]
                                 if isinstance(body, Tree) and body.data == "ent_or_types"
                                 else None)
                        if types is None:
                            raise self.where(it).error(f"`{key}` takes entity types")
                        if not types:
                            raise self.where(it).error(f"`{key}` is `[]`, which is invalid: "
                                                       "omit the action's appliesTo instead")
                        if key == "principal":
                            principals = types
                        else:
                            resources = types
                    elif key == "context":
                        if isinstance(body, Tree) and body.data == "ent_or_types":
                            paths = [p for p in body.children if isinstance(p, Tree)]
                            if len(paths) != 1 or "[" in self.text[
                                    body.meta.start_pos:body.meta.end_pos]:
                                raise self.where(it).error("the context must be a record type")
                            context = ("name", _path(paths[0]))
                        elif isinstance(body, Tree) and body.data == "record_type":
                            context = self.type(body)
                        else:
                            raise self.where(it).error("the context must be a record type")
                    else:
                        raise self.where(it).error(
                            f"unknown appliesTo key `{key}` (expected principal, resource or "
                            "context)")
                if principals is None or resources is None:
                    missing = "principal" if principals is None else "resource"
                    raise self.where(applies).error(f"appliesTo without `{missing}` types")
            for n in _trees(d, "names")[0].children:
                uid = EntityUID(_qualify(ns, "Action"), _name(n))
                self.raw.actions.append(_RawAction(uid, parents, principals, resources,
                                                   context, ns, self.where(n)))
        elif d.data == "type_decl":
            ident = next(c for c in d.children if isinstance(c, Token) and c.type == "IDENT")
            if str(ident) in RESERVED_TYPE_NAMES:
                raise w.error(f"`{ident}` is a reserved schema keyword, not a common type name")
            name = _qualify(ns, str(ident))
            if name in self.raw.common:
                raise w.error(f"common type {name} is declared twice")
            self.raw.common[name] = (self.type(d.children[-1]), ns, w)

    @staticmethod
    def action_ref(r: Tree, ns: str) -> EntityUID:
        if len(r.children) == 1:
            return EntityUID(_qualify(ns, "Action"), _name(r.children[0]))
        ty = _path(r.children[0])
        return EntityUID(_qualify(ns, "Action") if ty == "Action" else ty, _name(r.children[1]))

    @staticmethod
    def type(t: Tree) -> Any:
        def kids(n: Any) -> list[Any]:
            if n.data == "set_type":
                return [n.children[-1]]
            if n.data == "record_type":
                return [a.children[-1] for a in n.children if isinstance(a, Tree)]
            return []

        def make(n: Any, args: list[Any]) -> Any:
            if n.data == "set_type":
                return ("set", args[0])
            if n.data == "record_type":
                attrs = []
                for a, ty in zip([a for a in n.children if isinstance(a, Tree)], args):
                    key = next(c for c in a.children if (isinstance(c, Token) and c.type == "STR")
                               or (isinstance(c, Tree) and c.data == "any_ident"))
                    optional = any(isinstance(c, Token) and c.type == "OPTIONAL"
                                   for c in a.children)
                    attrs.append((_name(key), not optional, ty))
                return ("record", tuple(attrs))
            return ("name", _path(n.children[0]) if n.data == "named_type" else _path(n))
        return _fold(t, kids, make)


# -- JSON format -----------------------------------------------------------------------------

_JSON_PRIMS = {"Long": "Long", "String": "String", "Boolean": "Bool"}
# Names a common type may not take (Cedar: "this uses a reserved schema keyword").
RESERVED_TYPE_NAMES = frozenset({"Bool", "Boolean", "Long", "String", "Set", "Record", "Entity",
                                 "Extension"})


def _json_type(t: Any, where: Where) -> Any:
    def kids(n: Any) -> list[Any]:
        if not isinstance(n, dict):
            raise where.error(f"a schema type is a JSON object, got {n!r:.60}")
        kind = n.get("type")
        if kind == "Set":
            if "element" not in n:
                raise where.error("a Set type needs an `element`")
            return [n["element"]]
        if kind == "Record":
            attrs = n.get("attributes") or {}
            if not isinstance(attrs, dict):
                raise where.error("`attributes` of a Record type is an object")
            return list(attrs.values())
        return []

    def make(n: Any, args: list[Any]) -> Any:
        kind = n.get("type")
        if kind == "Set":
            return ("set", args[0])
        if kind == "Record":
            return ("record", tuple((k, bool(v.get("required", True)), r)
                                    for (k, v), r in zip((n.get("attributes") or {}).items(),
                                                         args)))
        if kind == "Entity":
            return ("entity", str(n.get("name", "")))
        if kind == "Extension":
            name = str(n.get("name", ""))
            if name not in ("ipaddr", "decimal", "datetime", "duration"):
                raise where.error(f"unknown extension type {name!r}")
            return ("builtin", name)
        if kind == "EntityOrCommon":
            return ("name", str(n.get("name", "")))
        if kind in _JSON_PRIMS:
            return ("builtin", _JSON_PRIMS[kind])
        if not isinstance(kind, str):
            raise where.error(f"a schema type needs a string `type`, got {n!r:.60}")
        return ("name", kind)
    return _fold(t, kids, make)


def _json_raw(schema: Any, source: str | None) -> _Raw:
    where = Where(source)
    if not isinstance(schema, dict) or not all(isinstance(v, dict) for v in schema.values()):
        raise where.error('a JSON schema maps namespaces to {"entityTypes", "actions", ...}')
    raw = _Raw()
    for ns, body in schema.items():
        if ns == "__cedar" or ns.startswith("__cedar::"):
            raise where.error("the `__cedar` namespace is reserved")
        for name, t in (body.get("commonTypes") or {}).items():
            if name in RESERVED_TYPE_NAMES:
                raise where.error(f"`{name}` is a reserved schema keyword, not a common type "
                                  "name")
            raw.common[_qualify(ns, name)] = (_json_type(t, where), ns, where)
        for name, decl in (body.get("entityTypes") or {}).items():
            decl = decl or {}
            enum = decl.get("enum")
            shape = decl.get("shape")
            raw.entities.append(_RawEntity(
                [_qualify(ns, name)], [str(m) for m in decl.get("memberOfTypes") or []],
                _json_type(shape, where) if shape is not None else None,
                _json_type(decl["tags"], where) if decl.get("tags") is not None else None,
                tuple(str(e) for e in enum) if enum is not None else None, ns, where))
        for name, decl in (body.get("actions") or {}).items():
            decl = decl or {}
            parents = [EntityUID(_qualify(ns, "Action") if m.get("type", "Action") == "Action"
                                 else str(m["type"]), str(m["id"]))
                       for m in decl.get("memberOf") or [] if isinstance(m, dict)]
            applies = decl.get("appliesTo")
            principals = resources = None
            context = None
            if applies is not None:
                principals = [str(p) for p in applies.get("principalTypes") or []]
                resources = [str(r) for r in applies.get("resourceTypes") or []]
                if applies.get("context") is not None:
                    context = _json_type(applies["context"], where)
            raw.actions.append(_RawAction(EntityUID(_qualify(ns, "Action"), str(name)), parents,
                                          principals, resources, context, ns, where))
    return raw


# -- resolution -------------------------------------------------------------------------------

class _Resolver:
    def __init__(self, raw: _Raw) -> None:
        self.raw = raw
        self.entities: set[str] = set()
        for e in raw.entities:
            for n in e.names:
                if n in self.entities:
                    raise e.where.error(f"entity type {n} is declared twice")
                if n.rsplit("::", 1)[-1] == "Action":
                    raise e.where.error(f"entity type `{n}` may not be declared: `Action` "
                                        "names the action entity type")
                self.entities.add(n)
        empty_ns = {n for n in (*self.entities, *raw.common) if "::" not in n}
        for e in raw.entities:
            self.shadowing(e.names, e.ns, empty_ns, e.where)
        for n, (_, ns, where) in raw.common.items():
            self.shadowing([n], ns, empty_ns, where)
        self.common: dict[str, CedarType] = {}
        self.resolve_common()

    @staticmethod
    def shadowing(names: list[str], ns: str, empty_ns: set[str], where: Where) -> None:
        for n in names:
            bare = n.rsplit("::", 1)[-1]
            if ns and bare in empty_ns:
                raise where.error(f"definition of `{n}` illegally shadows the existing "
                                  f"definition of `{bare}`")

    def lookup(self, name: str, ns: str, where: Where, entity_only: bool = False
               ) -> tuple[str, str]:
        """("common" | "entity" | "builtin", qualified name) for a type name."""
        if name.startswith("__cedar::") and not entity_only:
            bare = name[len("__cedar::"):]
            if bare in BUILTINS:
                return ("builtin", bare)
            raise where.error(f"unknown builtin type {name}")
        spaces = (ns, "") if "::" not in name and ns else ("",)
        for space in spaces:
            full = _qualify(space, name)
            if not entity_only and full in self.raw.common:
                return ("common", full)
            if full in self.entities:
                return ("entity", full)
        if not entity_only and name in BUILTINS:
            return ("builtin", name)
        what = "entity type" if entity_only else "type"
        raise where.error(f"undeclared {what} {name}" + (f" (in namespace {ns})" if ns else ""))

    def resolve_common(self) -> None:
        deps: dict[str, list[str]] = {}
        for name, (t, ns, where) in self.raw.common.items():
            refs: list[str] = []
            todo = [t]
            while todo:
                r = todo.pop()
                if r[0] == "set":
                    todo.append(r[1])
                elif r[0] == "record":
                    todo += [a[2] for a in r[1]]
                elif r[0] == "name":
                    kind, full = self.lookup(r[1], ns, where)
                    if kind == "common":
                        refs.append(full)
            deps[name] = refs
        state: dict[str, int] = {}
        for start in deps:
            todo: list[tuple[str, bool]] = [(start, False)]
            while todo:
                n, done = todo.pop()
                if done:
                    state[n] = 2
                    t, ns, where = self.raw.common[n]
                    self.common[n] = self.type(t, ns, where)
                    continue
                if state.get(n) == 2:
                    continue
                if state.get(n) == 1:
                    raise self.raw.common[n][2].error(f"common type {n} is defined in terms "
                                                      "of itself")
                state[n] = 1
                todo.append((n, True))
                todo += [(d, False) for d in deps[n] if state.get(d) != 2]

    def entity(self, name: str, ns: str, where: Where) -> str:
        return self.lookup(name, ns, where, entity_only=True)[1]

    def type(self, raw: Any, ns: str, where: Where) -> CedarType:
        def kids(r: Any) -> list[Any]:
            return [r[1]] if r[0] == "set" else [a[2] for a in r[1]] if r[0] == "record" else []

        def make(r: Any, args: list[Any]) -> CedarType:
            if r[0] == "set":
                return SetType(args[0])
            if r[0] == "record":
                return RecordType((a[0], Attr(t, a[1])) for a, t in zip(r[1], args))
            if r[0] == "builtin":
                return BUILTINS[r[1]]
            if r[0] == "entity":
                return EntityType(self.entity(r[1], ns, where))
            kind, full = self.lookup(r[1], ns, where)
            if kind == "common":
                return self.common[full]
            return EntityType(full) if kind == "entity" else BUILTINS[full]
        return _fold(raw, kids, make)

    def schema(self) -> Schema:
        out = Schema(common_types=dict(self.common))
        for e in self.raw.entities:
            parents = frozenset(self.entity(p, e.ns, e.where) for p in e.member_of)
            attrs = self.type(e.attrs, e.ns, e.where) if e.attrs is not None else EMPTY_RECORD
            if not isinstance(attrs, RecordType):
                raise e.where.error("an entity's attributes are a record type")
            tags = self.type(e.tags, e.ns, e.where) if e.tags is not None else None
            for n in e.names:
                out.entity_types[n] = EntityDecl(n, parents, attrs, tags, e.enum, e.where)
        for a in self.raw.actions:
            if a.uid in out.actions:
                raise a.where.error(f"action {a.uid} is declared twice")
            ctx = self.type(a.context, a.ns, a.where) if a.context is not None else EMPTY_RECORD
            if not isinstance(ctx, RecordType):
                raise a.where.error(f"the context of {a.uid} must be a record type")
            out.actions[a.uid] = ActionDecl(
                a.uid, frozenset(a.member_of),
                tuple(dict.fromkeys(self.entity(p, a.ns, a.where) for p in a.principals or ())),
                tuple(dict.fromkeys(self.entity(r, a.ns, a.where) for r in a.resources or ())),
                ctx, a.where)
        for a in out.actions.values():
            for p in a.member_of:
                if p not in out.actions:
                    raise a.where.error(f"action {a.uid} is a member of the undeclared "
                                        f"action {p}")
        for uid in out.actions:
            if uid in out.action_ancestors(uid):
                raise out.actions[uid].where.error(f"action {uid} is its own ancestor "
                                                   "(a cycle in the action groups)")
        return out


def read_schema(text: str, source: str | None = None) -> Schema:
    """A schema in the human-readable format."""
    try:
        tree = _PARSER.parse(text)
    except UnexpectedInput as exc:
        line, col = getattr(exc, "line", 0) or 0, getattr(exc, "column", 0) or 0
        raise SchemaError("malformed schema", source=source, line=line, column=col,
                          context=context_at(text, line, col)) from None
    return _Resolver(_TextReader(text, source).read(tree)).schema()


def read_json_schema(obj: Any, source: str | None = None) -> Schema:
    """A schema in Cedar's JSON format (already decoded)."""
    return _Resolver(_json_raw(obj, source)).schema()


def load_schema(text: str, source: str | None = None) -> Schema:
    """A schema in either format: JSON when the text starts with `{`."""
    if text.lstrip().startswith("{"):
        from assay.models.cedar.json_io import load_json
        return read_json_schema(load_json(text, source), source)
    return read_schema(text, source)


def load_schema_file(path: str | Path) -> Schema:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"cannot read schema {path}: {exc.strerror}", source=str(path)) from None
    return load_schema(text, str(path))


__all__ = ["ActionDecl", "EntityDecl", "RequestEnv", "Schema", "SchemaError", "load_schema",
           "load_schema_file", "read_json_schema", "read_schema"]
