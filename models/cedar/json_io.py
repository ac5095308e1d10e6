"""Cedar's JSON formats for values, entities, contexts and requests, both ways.

Values: JSON true/false, integers (64-bit), strings, arrays (sets), objects (records), and the
escapes `{"__entity": {"type": T, "id": I}}` and `{"__extn": {"fn": F, "arg": A}}` (or
`"args": [...]`). Entities: a list of `{"uid", "attrs", "parents", "tags"}`. Entity UIDs may be
written `{"type", "id"}`, `{"__entity": ...}` or as the Cedar string `T::"id"`.
Malformed input raises `ParseError` naming the JSON path and, for JSON syntax errors, the
line and column with a caret.

Trusts: the `json` module, `extensions` (part B) for `__extn` values, `parser` for
entity UIDs written as strings.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assay.core.errors import ParseError
from assay.models.cedar import extensions
from assay.models.cedar.entities import EMPTY_RECORD, Entities, Entity, Request
from assay.models.cedar.lexer import context_at
from assay.models.cedar.schema_types import SchemaTypes
from assay.models.cedar.values import LONG_MAX, LONG_MIN, CedarSet, EntityUID, Record

# A JSON path is built lazily: a string, or a pair (parent path, step) where a str step is an
# object key (`parent.key`) and an int step an array index (`parent[3]`). Loading an entity
# store makes a path for every value it reads and renders one only for an error message.
JSONPath = str | tuple[Any, str | int]


def render_path(path: JSONPath) -> str:
    """The text of a lazy JSON path, as error messages write it: `$[3].attrs.age`."""
    steps: list[str | int] = []
    while isinstance(path, tuple):
        path, step = path
        steps.append(step)
    return path + "".join(f".{s}" if isinstance(s, str) else f"[{s}]" for s in reversed(steps))


class _Bad(Exception):
    def __init__(self, path: JSONPath, message: str) -> None:
        self.path = render_path(path)
        super().__init__(f"{self.path}: {message}")


def _error_at(message: str, source: str | None, text: str, offset: int) -> ParseError:
    """A ParseError at character `offset` of `text`, with its line, column and caret."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return ParseError(message, source=source, line=line, column=column,
                      context=context_at(text, line, column))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: loading an entity store allocates a few objects per
    value, none in a cycle, and every collection would scan all of them again (50,504 entities
    loaded in 0.56 s instead of 0.89 s); the policy parser pauses it the same way."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r} in a JSON object")
        out[k] = v
    return out


class HugeJSONInt(int):
    """A JSON integer too long for `int()` (Python refuses more than 4,300 digits): it is out
    of Cedar's Long range anyway, so it stands in as LONG_MAX + 1 (or LONG_MIN - 1), which
    every reader rejects as out of range, and prints as the digits it had."""

    text: str

    def __new__(cls, text: str) -> HugeJSONInt:
        obj = super().__new__(cls, LONG_MIN - 1 if text.startswith("-") else LONG_MAX + 1)
        obj.text = text
        return obj

    def __str__(self) -> str:
        return f"{self.text[:20]}... ({len(self.text.lstrip('-'))} digits)"

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return str(self)


def json_int(text: str) -> int:
    """`parse_int` for `json.loads`: ints of any length, without Python's 4,300-digit error."""
    return int(text) if len(text) <= 40 else HugeJSONInt(text)


def load_json(text: str, source: str | None = None) -> Any:
    """Parse JSON text; syntax errors and duplicate keys become `ParseError`s with a caret.
    Documents nested too deep for the `json` module go through `read_json_iterative`."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_int=json_int)
    except RecursionError:
        return read_json_iterative(text, source or "<input>")
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc.msg}", source=source, line=exc.lineno,
                         column=exc.colno, context=context_at(text, exc.lineno, exc.colno)) from None
    except ValueError as exc:
        raise ParseError(f"invalid JSON: {exc}", source=source) from None


_READER_TOKEN = re.compile(r"""
    (?P<punct>[{}\[\],:])
  | (?P<string>"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")
  | (?P<number>-?(?:0|[1-9][0-9]*)(?P<frac>\.[0-9]+)?(?P<exp>[eE][+-]?[0-9]+)?)
  | (?P<word>true|false|null)
""", re.VERBOSE)
_READER_WORDS = {"true": True, "false": False, "null": None}
_READER_WS = re.compile(r"[ \t\n\r]*")


def read_json_iterative(text: str, source: str) -> Any:
    """JSON text to Python, without recursion (`json.loads` fails on deep documents), with
    `file:line:column` errors and duplicate object keys rejected (as Cedar does)."""
    def fail(message: str, at: int) -> ParseError:
        return _error_at(message, source, text, at)

    # stack entries: [container, state, key]; states: "first", "key", "colon", "next"
    stack: list[list[Any]] = []
    pos, want_value = 0, True
    while True:
        pos = _READER_WS.match(text, pos).end()  # type: ignore[union-attr]
        m = _READER_TOKEN.match(text, pos)
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
            value: Any = (json.loads(tok) if kind == "string" else _READER_WORDS[tok] if kind == "word"
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
            end = _READER_WS.match(text, pos).end()  # type: ignore[union-attr]
            if end != len(text):
                raise fail("malformed JSON: text after the document", end)
            return value
        top = stack[-1]
        if isinstance(top[0], dict):
            top[0][top[2]] = value
        else:
            top[0].append(value)
        top[1] = "after"



def read_text_file(path: str | Path, what: str = "") -> str:
    """A UTF-8 text file's contents; an unreadable or non-UTF-8 file is a ParseError."""
    p = Path(path)
    name = f"{what} {p}" if what else str(p)
    try:
        return p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParseError(f"cannot read {name}: {exc.strerror}", source=str(p)) from None
    except UnicodeDecodeError as exc:
        raise ParseError(f"cannot read {name}: not UTF-8 text (byte {exc.start})",
                         source=str(p)) from None


def read_json_file(path: str | Path) -> tuple[Any, str]:
    """The parsed JSON of a file and its text (for error positions)."""
    text = read_text_file(path)
    return load_json(text, str(path)), text


def load_json_file(path: str | Path) -> Any:
    return read_json_file(path)[0]


_JSON_TOKEN = re.compile(r'\s*(?:("(?:\\.|[^"\\])*")|(-?[0-9][0-9.eE+-]*|true|false|null)'
                         r'|([{}\[\]:,]))')


def json_position(text: str, target: str) -> int | None:
    """The offset in JSON `text` of the value at `target` (a path as the errors here write
    it, e.g. `$[3].attrs.age`), found by an iterative scan; None if it is not there."""
    stack: list[list[Any]] = []  # [kind, path, index or key, wants_key]
    pos = 0
    while True:
        m = _JSON_TOKEN.match(text, pos)
        if m is None:
            return None
        start, pos = m.start(m.lastindex or 0), m.end()
        string, scalar, punct = m.groups()
        top = stack[-1] if stack else None
        if top is not None and top[0] == "obj" and top[3]:
            if string is not None:
                top[2], top[3] = json.loads(string), False
            elif punct == "}":
                stack.pop()
            continue
        if punct in (":", ","):
            if punct == "," and top is not None:
                if top[0] == "arr":
                    top[2] += 1
                else:
                    top[3] = True
            continue
        if punct in ("}", "]"):
            stack.pop()
            continue
        if top is None:
            path = "$"
        elif top[0] == "arr":
            path = f"{top[1]}[{top[2]}]"
        else:
            path = f"{top[1]}.{top[2]}"
        if path == target:
            return start
        if punct == "{":
            stack.append(["obj", path, None, True])
        elif punct == "[":
            stack.append(["arr", path, 0, False])


def _wrap(source: str | None, fn: Any, *args: Any, text: str | None = None) -> Any:
    try:
        return fn(*args)
    except _Bad as exc:
        where = f"{source}: " if source else ""
        offset = json_position(text, exc.path) if text is not None else None
        if offset is None:
            raise ParseError(f"{where}{exc}", source=source) from None
        raise _error_at(str(exc), source, text, offset) from None  # type: ignore[arg-type]


# -- JSON -> Cedar -------------------------------------------------------------------------------

def _uid(obj: Any, path: JSONPath) -> EntityUID:
    while isinstance(obj, dict) and len(obj) == 1 and "__entity" in obj:  # a loop: no recursion
        obj, path = obj["__entity"], (path, "__entity")
    if isinstance(obj, dict):
        if len(obj) == 2 and "type" in obj and "id" in obj:
            t, i = obj["type"], obj["id"]
            if isinstance(t, str) and isinstance(i, str):
                return EntityUID(t, i)
    elif isinstance(obj, str):
        from assay.models.cedar.parser import parse_entity_uid
        try:
            return parse_entity_uid(obj)
        except ParseError as exc:
            raise _Bad(path, f"not an entity UID: {exc.message}") from None
    raise _Bad(path, f'expected an entity UID {{"type": ..., "id": ...}}, got {obj!r:.80}')


def _extension(obj: Any, path: JSONPath) -> Any:
    if not isinstance(obj, dict) or "fn" not in obj or not (set(obj) <= {"fn", "arg", "args"}):
        raise _Bad(path, f'expected {{"fn": ..., "arg": ...}}, got {obj!r:.80}')
    name = obj["fn"]
    fn = extensions.FUNCTIONS.get(name) if isinstance(name, str) else None
    if fn is None:
        raise _Bad(path, f"unknown extension function {name!r}")
    raw = obj["args"] if "args" in obj else [obj.get("arg")]
    if not isinstance(raw, list):
        raise _Bad(path, '"args" must be an array')
    where: list[JSONPath] = ([((path, "args"), i) for i in range(len(raw))] if "args" in obj
                             else [(path, "arg")])
    args = [value_from_json(a, w) for a, w in zip(raw, where)]
    kinds = tuple(extensions.kind_of(a) for a in args)
    if kinds != fn.arg_kinds:
        raise _Bad(path, f"{name} expects ({', '.join(fn.arg_kinds)}), got ({', '.join(kinds)})")
    try:
        return fn.impl(*args)
    except extensions.ExtensionError as exc:
        raise _Bad(path, str(exc)) from None


def value_from_json(obj: Any, path: JSONPath = "$", expected: Any = None) -> Any:
    """A Cedar value from its JSON form (iterative in nesting depth).

    `expected` is a schema type (see `schema_types`); it lets `{"type", "id"}` stand for an
    entity and `{"fn", "arg"}` for an extension value, as Cedar allows with a schema.
    """
    # Containers are filled after their children: a stack of (obj, parent's path, slot to fill,
    # type); a value's path is (parent's path, its key or index), made only when it is needed.
    result: dict[Any, Any] = {}
    todo: list[tuple[Any, JSONPath, Any, Any, Any]] = [(obj, path, result, None, expected)]
    pending: list[tuple[Any, Any, str, Any]] = []
    while todo:
        o, parent, target, key, ty = todo.pop()
        if o is True or o is False or isinstance(o, str):
            target[key] = o
        elif isinstance(o, int):
            if not LONG_MIN <= o <= LONG_MAX:
                raise _Bad(parent if key is None else (parent, key),
                           f"{o} does not fit in a 64-bit Long")
            target[key] = o
        elif isinstance(o, list):
            p = parent if key is None else (parent, key)
            items: list[Any] = [None] * len(o)
            pending.append((target, key, "set", items))
            elem = ty[1] if ty and ty[0] == "set" else None
            todo.extend((x, p, items, i, elem) for i, x in enumerate(o))
        elif isinstance(o, dict):
            p = parent if key is None else (parent, key)
            kind = ty[0] if ty else None
            if "__entity" in o or (kind == "entity" and len(o) == 2 and "type" in o
                                   and "id" in o):
                target[key] = _uid(o, p)
            elif "__extn" in o:
                if len(o) != 1:
                    raise _Bad(p, "an __extn object has no other keys")
                target[key] = _extension(o["__extn"], (p, "__extn"))
            elif kind == "ext" and "fn" in o:
                target[key] = _extension(o, p)
            else:
                fields: dict[str, Any] = dict.fromkeys(o)
                pending.append((target, key, "record", fields))
                attrs = ty[1] if kind == "record" else {}
                todo.extend((v, p, fields, k, attrs.get(k)) for k, v in o.items())
        elif isinstance(o, float):
            raise _Bad(parent if key is None else (parent, key),
                       f"{o} is not a Cedar value (Cedar has no floating-point numbers)")
        else:
            raise _Bad(parent if key is None else (parent, key), f"{o!r:.40} is not a Cedar value")
    # Children were all filled before any parent that was pushed earlier: build in reverse.
    for target, key, kind, items in reversed(pending):
        target[key] = CedarSet(items) if kind == "set" else Record(items)
    return result[None]


def entity_uid_from_json(obj: Any, source: str | None = None) -> EntityUID:
    return _wrap(source, _uid, obj, "$")


def _record(obj: Any, path: JSONPath, expected: Any = None) -> Record:
    if not isinstance(obj, dict):
        raise _Bad(path, f"expected a JSON object, got {obj!r:.80}")
    if not obj:
        return EMPTY_RECORD
    v = value_from_json(obj, path, expected)
    if not isinstance(v, Record):
        raise _Bad(path, "expected a record, not an entity or extension value")
    return v


def context_from_json(obj: Any, source: str | None = None, text: str | None = None) -> Record:
    return _wrap(source, _record, obj, "$", text=text)


_ENTITY_KEYS = frozenset({"uid", "attrs", "parents", "tags"})


def _entity(obj: Any, path: JSONPath, schema: SchemaTypes | None) -> Entity:
    if not isinstance(obj, dict) or "uid" not in obj:
        raise _Bad(path, 'expected an entity {"uid": ..., "attrs": ..., "parents": [...]}')
    if not _ENTITY_KEYS.issuperset(obj):
        extra = set(obj) - _ENTITY_KEYS
        raise _Bad(path, f"unexpected key(s) {sorted(extra)} in an entity")
    uid = _uid(obj["uid"], (path, "uid"))
    attrs_type = tags_type = None
    if schema is not None:
        attrs_type = schema.entity_attrs.get(uid.type)
        tag = schema.entity_tags.get(uid.type)
        if tag is not None and isinstance(obj.get("tags"), dict):
            tags_type = ("record", dict.fromkeys(obj["tags"], tag))
    attrs = _record(obj.get("attrs", {}), (path, "attrs"), attrs_type)
    tags = _record(obj["tags"], (path, "tags"), tags_type) if "tags" in obj else EMPTY_RECORD
    parents = obj.get("parents", [])
    if not isinstance(parents, list):
        raise _Bad((path, "parents"), "expected an array of entity UIDs")
    if not parents:
        return Entity(uid, attrs, frozenset(), tags)
    where = (path, "parents")
    return Entity(uid, attrs, frozenset([_uid(x, (where, i)) for i, x in enumerate(parents)]),
                  tags)


def _entities(obj: Any, schema: SchemaTypes | None) -> Entities:
    if not isinstance(obj, list):
        raise _Bad("$", "expected a JSON array of entities")
    seen: set[EntityUID] = set()
    out = []
    for i, x in enumerate(obj):
        e = _entity(x, ("$", i), schema)
        if e.uid in seen:
            raise _Bad(("$", i), f"duplicate entity {e.uid}")
        seen.add(e.uid)
        out.append(e)
    cycle = find_cycle(out)
    if cycle is not None:
        raise _Bad("$", f"the entity hierarchy has a cycle through {cycle} "
                   "(Cedar requires parents to form a DAG)")
    return Entities(out)


def find_cycle(entities: list[Entity]) -> EntityUID | None:
    """An entity on a cycle of the parent relation, or None (iterative three-colour DFS)."""
    parents = {e.uid: e.parents for e in entities}
    state: dict[EntityUID, int] = {}  # 1 = on the current path, 2 = done
    for root in parents:
        if root in state:
            continue
        stack = [(root, iter(parents[root]))]
        state[root] = 1
        while stack:
            uid, todo = stack[-1]
            nxt = next(todo, None)
            if nxt is None:
                state[uid] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return nxt
            elif nxt not in state and nxt in parents:
                state[nxt] = 1
                stack.append((nxt, iter(parents[nxt])))
    return None


def entities_from_json(obj: Any, source: str | None = None,
                       schema: SchemaTypes | None = None, text: str | None = None) -> Entities:
    """Entities from Cedar's entity JSON; `schema` resolves the implicit forms; `text`, the
    JSON source, lets errors point at a line and column."""
    with gc_paused():
        return _wrap(source, _entities, obj, schema, text=text)


def has_implicit_forms(obj: Any) -> bool:
    """Does entity JSON contain `{"type", "id"}` or `{"fn", ...}` objects outside UIDs, which
    only a schema can interpret?"""
    todo = [v for e in obj if isinstance(e, dict) for k, v in e.items()
            if k in ("attrs", "tags")] if isinstance(obj, list) else []
    while todo:
        o = todo.pop()
        if isinstance(o, dict):
            if "__entity" in o or "__extn" in o:
                continue
            if set(o) == {"type", "id"} or "fn" in o:
                return True
            todo.extend(o.values())
        elif isinstance(o, list):
            todo.extend(o)
    return False


def load_entities(path: str | Path, schema: SchemaTypes | None = None) -> Entities:
    obj, text = read_json_file(path)
    return entities_from_json(obj, str(path), schema, text)


def _request(obj: Any) -> Request:
    if not isinstance(obj, dict):
        raise _Bad("$", "expected a request object")
    missing = [k for k in ("principal", "action", "resource") if k not in obj]
    if missing:
        raise _Bad("$", f"missing {', '.join(missing)}")
    return Request(_uid(obj["principal"], "$.principal"), _uid(obj["action"], "$.action"),
                   _uid(obj["resource"], "$.resource"), _record(obj.get("context", {}),
                                                                 "$.context"))


def request_from_json(obj: Any, source: str | None = None, text: str | None = None) -> Request:
    return _wrap(source, _request, obj, text=text)


# -- Cedar -> JSON -------------------------------------------------------------------------------

def value_to_json(v: Any) -> Any:
    """The JSON form of a Cedar value (extension values as `__extn`)."""
    if v is True or v is False or isinstance(v, int | str):
        return v
    if isinstance(v, EntityUID):
        return {"__entity": {"type": v.type, "id": v.id}}
    if isinstance(v, CedarSet):
        return [value_to_json(x) for x in v]
    if isinstance(v, Record):
        return {k: value_to_json(x) for k, x in v.items()}
    if isinstance(v, extensions.Datetime) and v.epoch_ms == 0:
        return {"__extn": {"fn": "datetime", "arg": "1970-01-01"}}
    call = getattr(v, "canonical_call", None)
    if call is not None:
        fn, args = call()
        if len(args) == 1:
            return {"__extn": {"fn": fn, "arg": value_to_json(args[0])}}
        return {"__extn": {"fn": fn, "args": [value_to_json(a) for a in args]}}
    return {"__extn": {"fn": type(v).__name__.lower(), "arg": str(v)}}
