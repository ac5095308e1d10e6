"""Hypothesis strategies for Cedar: schemas, entity stores, policies, policy sets and requests.

Public API (these strategies are part of Assay's interface, for users' own property tests):

    schemas()                    a `GenSchema`: entity types with attributes, hierarchy, tags,
                                 and actions with the types they apply to
    entity_stores(schema)        a tuple of `Entity` following the schema, with deep parent
                                 chains, and some parents and attribute references missing
    expressions(schema, typed)   condition expressions; `typed=True` draws mostly well-typed
                                 expressions from the schema, `typed=False` anything at all
    policies(schema, ...)        `Policy` objects over every scope form and expression form
    policy_sets(schema)          a `PolicySet` with unique ids
    requests(schema, entities)   `Request`s whose principal/resource are usually in the store
    worlds()                     everything at once: (schema, entities, policy set, requests)

Generation is biased towards the corners where implementations disagree: Long overflow at
2^63, missing entities and attributes, `like` patterns with escaped stars, extension literals
at their parsing limits, type errors inside `&&`/`||`/`if` short-circuits. Trusts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hypothesis import strategies as st

from assay.models.cedar import ast as A
from assay.models.cedar.entities import Entity, Request
from assay.models.cedar.extensions import Datetime, Decimal, Duration, IPAddr
from assay.models.cedar.values import LONG_MAX, LONG_MIN, CedarSet, EntityUID, Record

__all__ = [
    "GenSchema", "CType", "schemas", "entity_stores", "expressions", "policies",
    "policy_sets", "requests", "worlds", "values_of",
]

# A Cedar type, as generation sees it:
#   ("Bool",) ("Long",) ("String",) ("Entity", T) ("Set", t) ("Record", ((name, t), ...))
#   ("Ext", "decimal" | "ipaddr" | "datetime" | "duration")
CType = tuple[Any, ...]
BOOL: CType = ("Bool",)
LONG: CType = ("Long",)
STRING: CType = ("String",)
EXT_TYPES = ("decimal", "ipaddr", "datetime", "duration")

ENTITY_TYPES = ("User", "Group", "Document", "Folder", "App::Role")
ACTION_TYPE = "Action"
ACTION_IDS = ("view", "edit", "delete", "share", "admin")
ATTR_NAMES = ("name", "level", "owner", "tags", "active", "info", "ip", "created", "ttl",
              "score", "members", "nested")
IDS = ("alice", "bob", "carol", "dave", "", "a b", "ünï", "x\"y", "0")
# like patterns and strings share an alphabet, so that matches happen
CHARS = st.sampled_from(list("ab*\\\"é0 ") + ["\n", "☃"])
SHORT_TEXT = st.text(CHARS, max_size=6)

LONG_EDGES = (0, 1, -1, 2, 7, 100, LONG_MAX, LONG_MIN, LONG_MAX - 1, LONG_MIN + 1,
              2**32, -(2**32), 3037000499, 3037000500)
DECIMAL_TEXTS = ("0.0", "1.5", "-1.5", "12.3456", "922337203685477.5807",
                 "-922337203685477.5808", "922337203685477.5808", "1.23456", "1.", ".5",
                 "abc", "01.10", "-0.0001")
IP_TEXTS = ("10.0.0.1", "10.0.0.0/8", "192.168.1.1/24", "127.0.0.1", "::1", "ff00::1",
            "224.0.0.1", "::ffff:1.2.3.4", "1.2.3", "01.2.3.4", "2001:db8::/32",
            "10.0.0.0/33", "::", "0.0.0.0/0")
DATETIME_TEXTS = ("2024-01-01", "2024-02-29T12:30:00Z", "1970-01-01T00:00:00.001Z",
                  "2024-10-15T11:35:00+0100", "2023-02-29", "2024-1-1", "9999-12-31",
                  "0000-01-01", "2024-01-01T24:00:00Z", "2024-06-01T00:00:00.123-0230")
DURATION_TEXTS = ("1d", "2h30m", "-1s", "1ms", "1d2h3m4s5ms", "0ms", "1h1d", "",
                  "9223372036854775807ms", "106751991167d", "-106751991167d", "1.5h")


@dataclass(frozen=True)
class EntityTypeDecl:
    name: str
    attrs: tuple[tuple[str, CType, bool], ...]   # (name, type, required)
    parents: tuple[str, ...]                     # memberOf types
    tags: CType | None = None


@dataclass(frozen=True)
class ActionDecl:
    id: str
    principals: tuple[str, ...]
    resources: tuple[str, ...]
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class GenSchema:
    """A generated schema: enough structure to draw well-typed policies and entities."""

    entity_types: tuple[EntityTypeDecl, ...]
    actions: tuple[ActionDecl, ...]
    context: tuple[tuple[str, CType, bool], ...] = field(default=())

    def entity_type(self, name: str) -> EntityTypeDecl:
        for t in self.entity_types:
            if t.name == name:
                return t
        raise KeyError(name)

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.entity_types)

    def to_json(self) -> dict[str, Any]:
        """The schema in Cedar's JSON schema format (entity types in the empty namespace
        except `App::Role`, which lives in namespace `App`)."""
        spaces: dict[str, dict[str, Any]] = {}

        def space(name: str) -> dict[str, Any]:
            return spaces.setdefault(name, {"entityTypes": {}, "actions": {}})

        def split(qualified: str) -> tuple[str, str]:
            ns, _, base = qualified.rpartition("::")
            return ns, base

        for t in self.entity_types:
            ns, base = split(t.name)
            decl: dict[str, Any] = {
                "memberOfTypes": list(t.parents),
                "shape": _record_json(t.attrs),
            }
            if t.tags is not None:
                decl["tags"] = _type_json(t.tags)
            space(ns)["entityTypes"][base] = decl
        for a in self.actions:
            space("")["actions"][a.id] = {
                "appliesTo": {"principalTypes": list(a.principals),
                              "resourceTypes": list(a.resources),
                              "context": _record_json(self.context)},
                **({"memberOf": [{"id": p} for p in a.parents]} if a.parents else {}),
            }
        return spaces


def _type_json(t: CType) -> dict[str, Any]:
    kind = t[0]
    if kind in ("Bool", "Long", "String"):
        return {"type": "Boolean" if kind == "Bool" else kind}
    if kind == "Entity":
        return {"type": "Entity", "name": t[1]}
    if kind == "Set":
        return {"type": "Set", "element": _type_json(t[1])}
    if kind == "Record":
        return _record_json(tuple((n, ft, True) for n, ft in t[1]))
    return {"type": "Extension", "name": t[1]}


def _record_json(attrs: tuple[tuple[str, CType, bool], ...]) -> dict[str, Any]:
    return {"type": "Record",
            "attributes": {n: {**_type_json(t), "required": req} for n, t, req in attrs}}


# ------------------------------------------------------------------------------------ types

@cache
def _types(entity_types: tuple[str, ...], depth: int = 2) -> st.SearchStrategy[CType]:
    base = st.sampled_from([BOOL, LONG, STRING] + [("Ext", e) for e in EXT_TYPES]
                           + [("Entity", n) for n in entity_types])
    if depth == 0:
        return base
    inner = _types(entity_types, depth - 1)
    return st.one_of(
        base, base, base,
        inner.map(lambda t: ("Set", t)),
        st.lists(st.tuples(st.sampled_from(ATTR_NAMES), inner), max_size=3,
                 unique_by=lambda p: p[0]).map(lambda fs: ("Record", tuple(fs))),
    )


@cache
def _attr_decls(entity_types: tuple[str, ...]) -> st.SearchStrategy[tuple]:
    return st.lists(st.tuples(st.sampled_from(ATTR_NAMES), _types(entity_types), st.booleans()),
                    max_size=5, unique_by=lambda a: a[0]).map(tuple)


def draw_schemas(draw: st.DrawFn) -> GenSchema:
    """A schema over a few entity types, with a membership hierarchy and actions."""
    names = tuple(sorted(sample(draw, ENTITY_TYPES, 2, 5, unique=True)))
    decls = []
    for i, n in enumerate(names):
        parents = tuple(sample(draw, names[: i + 1], 0, 2, unique=True))
        tags = draw(_types(names, 0)) if draw(index(2)) else None
        decls.append(EntityTypeDecl(n, draw(_attr_decls(names)), parents, tags))
    action_ids = sample(draw, ACTION_IDS, 1, 4, unique=True)
    actions = []
    for i, a in enumerate(action_ids):
        actions.append(ActionDecl(
            a,
            tuple(sample(draw, names, 1, 3, unique=True)),
            tuple(sample(draw, names, 1, 3, unique=True)),
            tuple(sample(draw, action_ids[:i], 0, 1)) if i else (),
        ))
    context = draw(_attr_decls(names))
    return GenSchema(tuple(decls), tuple(actions), context)


# ------------------------------------------------------------------------------------ values

@cache
def _uid(names: tuple[str, ...], type_name: str | None = None) -> st.SearchStrategy[EntityUID]:
    types = st.just(type_name) if type_name else st.sampled_from(names)
    return st.builds(EntityUID, types, _ID_STRATEGY)


_ID_STRATEGY = st.sampled_from(IDS)


@cache
def _uid_lists(names: tuple[str, ...]) -> st.SearchStrategy[list[EntityUID]]:
    return st.lists(_uid(names), min_size=1, max_size=12, unique=True)


@cache
def index(n: int) -> st.SearchStrategy[int]:
    """Integers in [0, n): a cached strategy, for drawing among n options."""
    return st.integers(0, n - 1)


def sample(draw: st.DrawFn, options: tuple[Any, ...] | list[Any], min_size: int = 0,
           max_size: int = 1, unique: bool = False) -> list[Any]:
    """A few of `options`, drawn by index (no strategy is built per call: this is hot)."""
    if not options:
        return []
    if unique:
        max_size = min(max_size, len(options))
    n = min_size + draw(index(max_size - min_size + 1))
    out: list[Any] = []
    pool = list(options)
    for _ in range(n):
        if not pool:
            break
        x = pool[draw(index(len(pool)))]
        out.append(x)
        if unique:
            pool.remove(x)
    return out


@cache
def _ext_value(name: str) -> st.SearchStrategy[Any]:
    if name == "decimal":
        return st.integers(-(10**8), 10**8).map(Decimal)
    if name == "ipaddr":
        return st.sampled_from([t for t in IP_TEXTS if _parses(IPAddr, t)]).map(IPAddr.parse)
    if name == "datetime":
        return st.sampled_from([t for t in DATETIME_TEXTS if _parses(Datetime, t)]).map(
            Datetime.parse)
    return st.sampled_from([t for t in DURATION_TEXTS if _parses(Duration, t)]).map(
        Duration.parse)


def _parses(cls: Any, text: str) -> bool:
    try:
        cls.parse(text)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not a valid literal"
        return False


def values_of(schema: GenSchema, t: CType, depth: int = 2) -> st.SearchStrategy[Any]:
    """Values of type `t` (entity references may point at missing entities)."""
    return _values(schema.type_names, t, depth)


@cache
def _values(names: tuple[str, ...], t: CType, depth: int) -> st.SearchStrategy[Any]:
    kind = t[0]
    if kind == "Bool":
        return st.booleans()
    if kind == "Long":
        return st.one_of(st.sampled_from(LONG_EDGES), st.integers(-1000, 1000))
    if kind == "String":
        return SHORT_TEXT
    if kind == "Entity":
        return _uid(names, t[1])
    if kind == "Ext":
        return _ext_value(t[1])
    if kind == "Set":
        if depth == 0:
            return st.just(CedarSet())
        return st.lists(_values(names, t[1], depth - 1), max_size=3).map(CedarSet)
    fields = t[1]
    if depth == 0:
        return st.just(Record())
    return st.fixed_dictionaries({n: _values(names, ft, depth - 1) for n, ft in fields}
                                 ).map(Record)


@cache
def _any_value(names: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return _types(names, 1).flatmap(lambda t: _values(names, t, 2))


def draw_entity_stores(draw: st.DrawFn, schema: GenSchema, typed: bool = True) -> tuple[Entity, ...]:
    """Entities of the schema's types; parents follow `memberOfTypes` and form chains up to
    10 deep; some referenced entities are absent from the store."""
    uids = draw(_uid_lists(schema.type_names))
    out = []
    for i, uid in enumerate(uids):
        decl = schema.entity_type(uid.type)
        earlier = [u for u in uids[:i] if u.type in decl.parents] if typed else uids[:i]
        # the previous entity as parent builds deep chains
        parents = set(sample(draw, earlier, 0, 2))
        if draw(index(10)) == 0:
            extra = draw(_uid(schema.type_names))  # maybe missing from the store
            # a later entity (or itself) as parent makes a cycle, which Cedar rejects: rarely
            if extra not in uids[i:] or draw(index(20)) == 0:
                parents.add(extra)
        attrs: dict[str, Any] = {}
        for name, t, required in decl.attrs:
            if required or draw(st.booleans()):
                attrs[name] = draw(values_of(schema, t) if typed else _any_value(schema.type_names))
        tags: dict[str, Any] = {}
        if decl.tags is not None:
            for key in sample(draw, ATTR_NAMES[:4], 0, 2, unique=True):
                tags[key] = draw(values_of(schema, decl.tags))
        out.append(Entity(uid, Record(attrs), frozenset(parents), Record(tags)))
    # actions with their hierarchy
    for a in schema.actions:
        parents = frozenset(EntityUID(ACTION_TYPE, p) for p in a.parents)
        out.append(Entity(EntityUID(ACTION_TYPE, a.id), Record(), parents, Record()))
    return tuple(out)


from assay.models.cedar.strategies_expr import (  # noqa: E402
    draw_policy_sets,
    expressions,
    policies,
    policy_sets,
)


def draw_requests(draw: st.DrawFn, schema: GenSchema, entities: tuple[Entity, ...],
             typed: bool = True) -> Request:
    action = schema.actions[draw(index(len(schema.actions)))]
    stored = [e.uid for e in entities if e.uid.type != ACTION_TYPE]

    def pick(types: tuple[str, ...]) -> EntityUID:
        fitting = [u for u in stored if u.type in types] if typed else stored
        if fitting and draw(index(10)) > 0:
            return fitting[draw(index(len(fitting)))]
        return draw(_uid(schema.type_names, types[draw(index(len(types)))]))

    context: dict[str, Any] = {}
    for name, t, required in schema.context:
        if required or draw(st.booleans()):
            context[name] = draw(values_of(schema, t) if typed else _any_value(schema.type_names))
    return Request(pick(action.principals), EntityUID(ACTION_TYPE, action.id),
                   pick(action.resources), Record(context))


def draw_worlds(draw: st.DrawFn, typed: bool | None = None, max_requests: int = 4
           ) -> tuple[GenSchema, tuple[Entity, ...], A.PolicySet, tuple[Request, ...]]:
    """A schema, an entity store, a policy set and a few requests."""
    if typed is None:
        typed = draw(index(4)) > 0
    schema = draw_schemas(draw)
    entities = draw_entity_stores(draw, schema, typed)
    pset = draw_policy_sets(draw, schema, typed=typed)
    reqs = tuple(draw_requests(draw, schema, entities, typed)
                 for _ in range(1 + draw(index(max_requests))))
    return schema, entities, pset, reqs


schemas = st.composite(draw_schemas)


entity_stores = st.composite(draw_entity_stores)


requests = st.composite(draw_requests)


worlds = st.composite(draw_worlds)
