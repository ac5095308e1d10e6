"""The raw form of a Cedar schema: what the two formats say, before names are resolved.

`read_text_raw` (human-readable format, through lark and `schema_types.lark`) and
`read_json_raw` (Cedar's JSON format) both produce a `Raw`: entity, action and common-type
declarations with their namespace and source position, types as tuples

    ("name", N)    a type name to resolve       ("entity", N)   an entity type name
    ("set", R)     Set<R>                       ("builtin", N)  Bool, Long, String, ipaddr, ...
    ("common", N)  a common or builtin type name (JSON's bare `{"type": N}`)
    ("record", ((attr, required, R, annotations), ...))

Annotations (`@key("value")`; `@key` is `@key("")`) are kept on namespaces, entity types,
actions, common types and record attributes, for translation; the model ignores them.

`schema` resolves a `Raw` into the schema model; `schema_translate` prints one in either
format. Every walk over type trees is iterative (`fold`).

Trusts: lark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from assay.core.errors import ParseError
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
                digits = body[i + 3:end]
                if not 0 < len(digits) <= 6 or digits.strip("0123456789abcdefABCDEF"):
                    raise ValueError(digits)
                code = int(digits, 16)
                if 0xD800 <= code <= 0xDFFF:
                    raise ValueError(code)
                out.append(chr(code))
            except ValueError:
                raise SchemaError(f"invalid escape {body[i:end + 1]!r} in {token}") from None
            i = end + 1
        else:
            raise SchemaError(f"invalid escape {body[i:i + 2]!r} in {token}")
    return "".join(out)




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


def qualify(ns: str, name: str) -> str:
    return f"{ns}::{name}" if ns else name


# -- the raw form both formats are read into -------------------------------------------------
# Raw types: ("name", N) a type name to resolve, ("entity", N) an entity type name, ("set", R),
# ("record", ((attr, required, R), ...)), ("builtin", N).

@dataclass
class RawEntity:
    names: list[str]
    member_of: list[str]
    attrs: Any
    tags: Any
    enum: tuple[str, ...] | None
    ns: str
    where: Where
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass
class RawAction:
    uid: EntityUID
    member_of: list[EntityUID]
    principals: list[str] | None
    resources: list[str] | None
    context: Any
    ns: str
    where: Where
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass
class Raw:
    entities: list[RawEntity] = field(default_factory=list)
    actions: list[RawAction] = field(default_factory=list)
    common: dict[str, tuple[Any, str, Where]] = field(default_factory=dict)
    common_annotations: dict[str, dict[str, str]] = field(default_factory=dict)
    namespace_annotations: dict[str, dict[str, str]] = field(default_factory=dict)


def fold(root: Any, kids: Callable[[Any], Iterable[Any]], make: Callable[[Any, list[Any]], Any]
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
               start="schema", cache=True)


# Cedar's reserved identifiers: never a name, unless quoted.
RESERVED_IDENTS = frozenset({"true", "false", "if", "then", "else", "in", "like", "has", "is",
                             "__cedar"})


def _ident(tok: Any) -> str:
    if str(tok) in RESERVED_IDENTS:
        raise SchemaError(f"`{tok}` is a reserved identifier", line=getattr(tok, "line", None),
                          column=getattr(tok, "column", None))
    return str(tok)


def _path(t: Tree) -> str:
    toks: list[Any] = []
    node: Any = t
    while isinstance(node, Tree) and node.data == "path":
        *rest, last = node.children
        toks.append(last.children[0] if isinstance(last, Tree) else last)
        node = rest[0] if rest else None
    toks.reverse()
    for i, tok in enumerate(toks):  # `__cedar::Long` names a builtin
        if not (i == 0 and len(toks) > 1 and str(tok) == "__cedar"):
            _ident(tok)
    return "::".join(map(str, toks))


def _name(n: Any) -> str:
    if isinstance(n, Token) and n.type == "STR":
        return unquote(str(n))
    return str(n.children[0]) if isinstance(n, Tree) else str(n)


def _trees(t: Tree, data: str) -> list[Tree]:
    return [c for c in t.children if isinstance(c, Tree) and c.data == data]


class _TextReader:
    def __init__(self, text: str, source: str | None) -> None:
        self.text, self.source = text, source
        self.raw = Raw()

    def where(self, t: Any) -> Where:
        """The position of the first token of `t` (lark's position propagation costs 40%)."""
        todo = [t]
        while todo:
            x = todo.pop()
            if isinstance(x, Token):
                return Where(self.source, x.line, x.column, self.text)
            if isinstance(x, Tree):
                todo += reversed(x.children)
        return Where(self.source, None, None, self.text)

    def annotations(self, t: Tree) -> dict[str, str]:
        out: dict[str, str] = {}
        for a in _trees(t, "annotation"):
            key = _name(a.children[0])
            if key in out:
                raise self.where(a).error(f"duplicate annotations: `{key}`")
            value = a.children[1] if len(a.children) > 1 else None
            out[key] = _name(value) if value is not None else ""
        return out

    def read(self, tree: Tree) -> Raw:
        for item in tree.children:
            if item.data == "namespace":
                ns = _path(_trees(item, "path")[0])
                if ns == "__cedar" or ns.startswith("__cedar::"):
                    raise self.where(item).error("the `__cedar` namespace is reserved")
                notes = self.annotations(item)
                if notes:
                    self.raw.namespace_annotations.setdefault(ns, {}).update(notes)
                for decl in item.children:
                    if isinstance(decl, Tree) and decl.data.endswith("_decl"):
                        self.decl(decl, ns)
            else:
                self.decl(item, "")
        return self.raw

    def decl(self, d: Tree, ns: str) -> None:
        w = self.where(d)
        if d.data in ("entity_decl", "enum_decl"):
            names = [qualify(ns, _ident(t)) for t in _trees(d, "idents")[0].children]
            if d.data == "enum_decl":
                ids = tuple(_name(c) for c in d.children
                            if isinstance(c, Token) and c.type == "STR")
                self.raw.entities.append(RawEntity(names, [], None, None, ids, ns, w,
                                                   self.annotations(d)))
                return
            parents = [_path(p) for e in (*_trees(d, "ent_or_types"), *_trees(d, "ent_type"))
                       for p in e.children
                       if isinstance(p, Tree)]
            rec = next(iter(_trees(d, "record_type")), None)
            tags_at = [i for i, c in enumerate(d.children)
                       if isinstance(c, Token) and c.type == "TAGS"]
            tags = self.type(d.children[tags_at[0] + 1]) if tags_at else None
            self.raw.entities.append(RawEntity(
                names, parents, self.type(rec) if rec is not None else None, tags, None, ns, w,
                self.annotations(d)))
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
                                 if isinstance(body, Tree)
                                 and body.data in ("ent_or_types", "ent_type")
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
                        if isinstance(body, Tree) and body.data == "ent_type":
                            context = ("name", _path(body.children[0]))
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
                uid = EntityUID(qualify(ns, "Action"), _name(n))
                self.raw.actions.append(RawAction(uid, parents, principals, resources,
                                                  context, ns, self.where(n),
                                                  self.annotations(d)))
        elif d.data == "type_decl":
            ident = next(c for c in d.children if isinstance(c, Token) and c.type == "IDENT")
            _ident(ident)
            if str(ident) in RESERVED_TYPE_NAMES:
                raise w.error(f"`{ident}` is a reserved schema keyword, not a common type name")
            name = qualify(ns, str(ident))
            if name in self.raw.common:
                raise w.error(f"common type {name} is declared twice")
            self.raw.common[name] = (self.type(d.children[-1]), ns, w)
            notes = self.annotations(d)
            if notes:
                self.raw.common_annotations[name] = notes

    @staticmethod
    def action_ref(r: Tree, ns: str) -> EntityUID:
        if len(r.children) == 1:
            return EntityUID(qualify(ns, "Action"), _name(r.children[0]))
        ty = _path(r.children[0])
        return EntityUID(qualify(ns, "Action") if ty == "Action" else ty, _name(r.children[1]))

    def type(self, t: Tree) -> Any:
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
                    if isinstance(key, Tree):
                        _ident(key.children[0])
                    attrs.append((_name(key), not optional, ty, self.annotations(a)))
                return ("record", tuple(attrs))
            return ("name", _path(n.children[0]) if n.data == "named_type" else _path(n))
        return fold(t, kids, make)


# -- JSON format -----------------------------------------------------------------------------

_JSON_PRIMS = {"Long": "Long", "String": "String", "Boolean": "Bool"}
# Names a common type may not take (Cedar: "this uses a reserved schema keyword").
RESERVED_TYPE_NAMES = frozenset({"Bool", "Boolean", "Long", "String", "Set", "Record", "Entity",
                                 "Extension"})


_TYPE_KEYS = {"type", "element", "attributes", "additionalAttributes", "name", "required",
              "annotations"}
_KIND_KEYS = {"Set": {"element"}, "Record": {"attributes", "additionalAttributes"},
              "Entity": {"name"}, "Extension": {"name"}, "EntityOrCommon": {"name"}}


def _keys(obj: Any, allowed: set[str], what: str, where: Where,
          required: tuple[str, ...] = ()) -> dict[str, Any]:
    """`obj` as a dict with only `allowed` keys and every `required` one (Cedar's JSON schema
    reader refuses unknown fields). Like Cedar's reader (serde), `[]` reads as `{}`."""
    if obj == []:
        obj = {}
    if not isinstance(obj, dict):
        raise where.error(f"{what}: expected a JSON object, got {obj!r:.60}")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise where.error(f"{what}: unknown field `{unknown[0]}`, expected one of "
                          + ", ".join(f"`{k}`" for k in sorted(allowed)))
    missing = [k for k in required if k not in obj]
    if missing:
        raise where.error(f"{what}: missing field `{missing[0]}`")
    return obj


def _strings(obj: Any, what: str, where: Where) -> list[str]:
    if not isinstance(obj, list) or not all(isinstance(x, str) for x in obj):
        raise where.error(f"{what}: expected a JSON array of strings, got {obj!r:.60}")
    return list(obj)


def _mapping(obj: Any, what: str, where: Where) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise where.error(f"{what}: expected a JSON object, got {obj!r:.60}")
    return obj


def _json_type(t: Any, where: Where) -> Any:
    """A raw type from JSON; `required` is a field of record attributes only."""
    if isinstance(t, dict) and "required" in t:
        raise where.error("`required` is allowed on record attributes only")

    def kids(n: Any) -> list[Any]:
        if not isinstance(n, dict) or not isinstance(n.get("type"), str):
            raise where.error(f"a schema type needs a string `type`, got {n!r:.60}")
        if not isinstance(n.get("required", True), bool):
            raise where.error(f"`required` is true or false, got {n['required']!r:.40}")
        _keys(n, _TYPE_KEYS, "a schema type", where)
        if not isinstance(n.get("type"), str):
            raise where.error(f"a schema type needs a string `type`, got {n!r:.60}")
        _keys(n, {"type", "required", "annotations", *_KIND_KEYS.get(n["type"], ())},
              f"a {n['type']} type", where)
        if n.get("type") in ("Entity", "Extension", "EntityOrCommon") \
                and not isinstance(n.get("name"), str):
            raise where.error(f"a {n['type']} type needs a string `name`, got {n!r:.60}")
        if n.get("additionalAttributes"):
            raise where.error("`additionalAttributes: true` is not supported")
        kind = n.get("type")
        if kind == "Set":
            if "element" not in n:
                raise where.error("a Set type needs an `element`")
            if isinstance(n["element"], dict) and "required" in n["element"]:
                raise where.error("`required` is allowed on record attributes only")
            return [n["element"]]
        if kind == "Record":
            attrs = n.get("attributes")
            if not isinstance(attrs, dict):
                raise where.error("a Record type needs an `attributes` object")
            return list(attrs.values())
        return []

    def make(n: Any, args: list[Any]) -> Any:
        kind = n.get("type")
        if kind == "Set":
            return ("set", args[0])
        if kind == "Record":
            return ("record", tuple((k, bool(v.get("required", True)), r,
                                     _json_notes(v, where))
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
        return ("common", kind)
    return fold(t, kids, make)


def _json_notes(obj: Any, where: Where) -> dict[str, str]:
    if not isinstance(obj, dict) or "annotations" not in obj:
        return {}
    notes = obj["annotations"]
    if not isinstance(notes, dict) or not all(isinstance(v, str) or v is None
                                              for v in notes.values()):
        raise where.error('"annotations" maps names to strings')
    return {k: v or "" for k, v in notes.items()}


def read_json_raw(schema: Any, source: str | None = None) -> Raw:
    where = Where(source)
    if not isinstance(schema, dict) or not all(isinstance(v, dict) for v in schema.values()):
        raise where.error('a JSON schema maps namespaces to {"entityTypes", "actions", ...}')
    raw = Raw()
    for ns, body in schema.items():
        if ns == "__cedar" or ns.startswith("__cedar::"):
            raise where.error("the `__cedar` namespace is reserved")
        _keys(body, {"commonTypes", "entityTypes", "actions", "annotations"},
              f"namespace {ns!r}", where, ("entityTypes", "actions"))
        if _json_notes(body, where):
            raw.namespace_annotations[ns] = _json_notes(body, where)
        for name, t in _mapping(body.get("commonTypes", {}), "commonTypes", where).items():
            if name in RESERVED_TYPE_NAMES:
                raise where.error(f"`{name}` is a reserved schema keyword, not a common type "
                                  "name")
            raw.common[qualify(ns, name)] = (_json_type(t, where), ns, where)
            if _json_notes(t, where):
                raw.common_annotations[qualify(ns, name)] = _json_notes(t, where)
        for name, decl in _mapping(body["entityTypes"], "entityTypes", where).items():
            decl = dict(_keys(decl, {"memberOfTypes", "shape", "tags", "enum", "annotations"},
                              f"entity type {name!r}", where))
            enum = (tuple(_strings(decl["enum"], f"enum of {name!r}", where))
                    if "enum" in decl else None)
            if enum is not None and not enum:
                raise where.error(f"enum of {name!r}: at least one id is needed")
            raw.entities.append(RawEntity(
                [qualify(ns, name)],
                _strings(decl.get("memberOfTypes", []), f"memberOfTypes of {name!r}", where),
                _json_type(decl["shape"], where) if "shape" in decl else None,
                _json_type(decl["tags"], where) if "tags" in decl else None,
                enum, ns, where,
                _json_notes(decl, where)))
        for name, decl in _mapping(body["actions"], "actions", where).items():
            if isinstance(decl, dict) and "attributes" in decl:
                raise where.error(f"action {name!r}: action attributes are not supported")
            decl = dict(_keys(decl, {"memberOf", "appliesTo", "annotations"},
                              f"action {name!r}", where))
            parents = []
            member_of = [] if decl.get("memberOf") is None else decl["memberOf"]
            if not isinstance(member_of, list):
                raise where.error(f"memberOf of action {name!r}: expected a JSON array")
            for m in member_of:
                m = _keys(m, {"id", "type"}, f"memberOf of action {name!r}", where, ("id",))
                if not isinstance(m["id"], str) or not isinstance(m.get("type", ""), str):
                    raise where.error(f"memberOf of action {name!r}: `id` and `type` are strings")
                ty = m.get("type", "Action")
                parents.append(EntityUID(qualify(ns, "Action") if ty == "Action" else ty, m["id"]))
            applies = decl.get("appliesTo")
            principals = resources = None
            context = None
            if applies is not None:
                _keys(applies, {"principalTypes", "resourceTypes", "context"},
                      f"appliesTo of action {name!r}", where, ("principalTypes", "resourceTypes"))
                principals = _strings(applies["principalTypes"], "principalTypes", where)
                resources = _strings(applies["resourceTypes"], "resourceTypes", where)
                if "context" in applies:
                    context = _json_type(applies["context"], where)
            raw.actions.append(RawAction(EntityUID(qualify(ns, "Action"), str(name)), parents,
                                         principals, resources, context, ns, where,
                                         _json_notes(decl, where)))
    return raw



def read_text_raw(text: str, source: str | None = None) -> Raw:
    """The declarations of a schema in the human-readable format."""
    try:
        tree = _PARSER.parse(text)
    except UnexpectedInput as exc:
        line, col = getattr(exc, "line", 0) or 0, getattr(exc, "column", 0) or 0
        raise SchemaError("malformed schema", source=source, line=line, column=col,
                          context=context_at(text, line, col)) from None
    try:
        return _TextReader(text, source).read(tree)
    except SchemaError as exc:
        if exc.context is not None or not exc.line:
            raise
        raise SchemaError(exc.message, source=source, line=exc.line, column=exc.column,
                          context=context_at(text, exc.line, exc.column or 1)) from None

