"""Cedar's JSON policy format (the EST) both ways: `policy_set_to_json`, `policy_set_from_json`.

Policy -> JSON gives what Cedar gives (`cedarpy.policies_to_json_str`), key order included:
`{"templates": {id: policy}, "staticPolicies": {id: policy}, "templateLinks": [...]}`, a policy
`{"effect", "principal", "action", "resource", "conditions", "annotations"?}`, an expression one
JSON object with a single key (`"Value"`, `"Var"`, `"Slot"`, an operator such as `"&&"` or `"."`,
`"if-then-else"`, `"Set"`, `"Record"`, or an extension function name with a list of arguments,
receiver first). Like Cedar, the JSON form writes `e has a.b` as `e has a && e.a has b`,
`action in [A]` as `action in A`, and sorts record and annotation keys; these details do not
survive JSON -> policy (`normalize` applies the same identifications to an AST).

JSON -> policy accepts everything Cedar's reader does that this AST can hold: `Value` holding
sets, records, `__entity` and `__extn` escapes; `has` with a list of attributes; `like`
literals of several characters. Malformed input raises `ESTError` naming the JSON path.
Both directions are iterative. Trusts: `ast.py` shapes and the extension function table.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from assay.core.errors import AssayError
from assay.models.cedar import ast
from assay.models.cedar.extensions import FUNCTIONS
from assay.models.cedar.values import EntityUID

__all__ = ["ESTError", "dumps", "expr_to_json", "policy_to_json", "policy_set_to_json", "expr_from_json",
           "policy_from_json", "policy_set_from_json", "link_to_json", "link_from_json",
           "normalize", "normalize_policy", "normalize_expr"]

Json = Any
BINARY_JSON = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "+": "+",
               "-": "-", "*": "*", "in": "in"}
PAIR_METHODS = ("contains", "containsAll", "containsAny", "getTag", "hasTag")
CONSTRUCTORS = ("decimal", "ip", "datetime", "duration")


class ESTError(AssayError):
    """Malformed JSON policy: the message names the JSON path of the offending part."""

    def __init__(self, message: str, path: str | JsonPath = "") -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {message}" if self.path else message)


class JsonPath:
    """Where a JSON part sits (`$.a[0].b`), built in O(1) per step and spelled out only for an
    error message: a string per node would cost quadratic time on deep documents."""

    __slots__ = ("parent", "step")

    def __init__(self, parent: JsonPath | None, step: str) -> None:
        self.parent, self.step = parent, step

    def __add__(self, step: str) -> JsonPath:
        return JsonPath(self, step)

    def __str__(self) -> str:
        steps, node = [], self
        while node is not None:
            steps.append(node.step)
            node = node.parent
        return "".join(reversed(steps))


# ------------------------------------------------------------------------- policy -> JSON

def _uid_json(uid: EntityUID) -> dict[str, str]:
    return {"type": uid.type, "id": uid.id}


def _has_chain(arg: ast.Expr, path: tuple[str, ...]) -> ast.Expr:
    """`e has a.b.c` as Cedar spells it: `e has a && e.a has b && e.a.b has c` (left-nested)."""
    result: ast.Expr = ast.Has(arg, path[:1])
    prefix = arg
    for prev, attr in zip(path, path[1:]):
        prefix = ast.GetAttr(prefix, prev)
        result = ast.And(result, ast.Has(prefix, (attr,)))
    return result


def expr_to_json(expr: ast.Expr) -> Json:
    """The EST of one expression. Children are filled into their parents' slots from a stack."""
    root: list[Json] = [None]
    stack: list[tuple[ast.Expr, Any, Any]] = [(expr, root, 0)]
    while stack:
        e, holder, key = stack.pop()
        node, kids = _node_json(e)
        holder[key] = node
        stack.extend(kids)
    return root[0]


def _node_json(e: ast.Expr) -> tuple[Json, list[tuple[ast.Expr, Any, Any]]]:
    """One node's JSON with `None` where children go, and (child, container, key) to fill."""
    def pair(op: str, a: ast.Expr, b: ast.Expr) -> tuple[Json, list]:
        body = {"left": None, "right": None}
        return {op: body}, [(a, body, "left"), (b, body, "right")]

    def listing(op: str, items: tuple[ast.Expr, ...]) -> tuple[Json, list]:
        body: list[Json] = [None] * len(items)
        return {op: body}, [(x, body, i) for i, x in enumerate(items)]

    match e:
        case ast.Lit(value=v):
            return {"Value": v}, []
        case ast.EntityLit(uid=uid):
            return {"Value": {"__entity": _uid_json(uid)}}, []
        case ast.Var(name=name):
            return {"Var": name}, []
        case ast.Slot(name=name):
            return {"Slot": name}, []
        case ast.Unary(op=op, arg=a):
            body = {"arg": None}
            return {"!" if op == "!" else "neg": body}, [(a, body, "arg")]
        case ast.Binary(op=op, left=a, right=b):
            return pair(BINARY_JSON[op], a, b)
        case ast.And(left=a, right=b):
            return pair("&&", a, b)
        case ast.Or(left=a, right=b):
            return pair("||", a, b)
        case ast.If(cond=c, then=t, else_=f):
            body = {"if": None, "then": None, "else": None}
            return {"if-then-else": body}, [(c, body, "if"), (t, body, "then"), (f, body, "else")]
        case ast.Has(arg=a, path=path) if len(path) > 1:
            return _node_json(_has_chain(a, path))
        case ast.Has(arg=a, path=(attr,)):
            body = {"left": None, "attr": attr}
            return {"has": body}, [(a, body, "left")]
        case ast.GetAttr(arg=a, attr=attr):
            body = {"left": None, "attr": attr}
            return {".": body}, [(a, body, "left")]
        case ast.Like(arg=a, pattern=pattern):
            elems = ["Wildcard" if isinstance(p, ast.Wildcard) else {"Literal": p}
                     for p in pattern]
            body = {"left": None, "pattern": elems}
            return {"like": body}, [(a, body, "left")]
        case ast.Is(arg=a, entity_type=t, in_=b):
            body = {"left": None, "entity_type": t}
            kids = [(a, body, "left")]
            if b is not None:
                body["in"] = None
                kids.append((b, body, "in"))
            return {"is": body}, kids
        case ast.MethodCall(name="isEmpty", receiver=r, args=()):
            body = {"arg": None}
            return {"isEmpty": body}, [(r, body, "arg")]
        case ast.MethodCall(name=name, receiver=r, args=(a,)) if name in PAIR_METHODS:
            return pair(name, r, a)
        case ast.MethodCall(name=name, receiver=r, args=args):
            return listing(name, (r, *args))
        case ast.FunctionCall(name=name, args=args):
            return listing(name, args)
        case ast.SetLit(elements=elements):
            return listing("Set", elements)
        case ast.RecordLit(entries=entries):
            record: dict[str, Json] = {k: None for k, _ in sorted(entries, key=lambda kv: kv[0])}
            return {"Record": record}, [(v, record, k) for k, v in entries]
    raise ESTError(f"no JSON form for {type(e).__name__}")


def _scope_json(scope: ast.Scope) -> Json:
    def ref(entity: EntityUID | ast.Slot | None) -> Json:
        if isinstance(entity, ast.Slot):
            return {"slot": entity.name}
        if isinstance(entity, EntityUID):
            return {"entity": _uid_json(entity)}
        raise ESTError(f"the {scope.var} scope `{scope.op}` has no entity")

    match scope.op:
        case "any":
            return {"op": "All"}
        case "==" | "in":
            return {"op": scope.op, **ref(scope.entity)}
        case "is":
            return {"op": "is", "entity_type": scope.entity_type}
        case "is in":
            return {"op": "is", "entity_type": scope.entity_type, "in": ref(scope.entity)}
        case "in list" if len(scope.entities) == 1:  # Cedar's AST does not tell these apart
            return {"op": "in", "entity": _uid_json(scope.entities[0])}
        case "in list":
            return {"op": "in", "entities": [_uid_json(u) for u in scope.entities]}
    raise ESTError(f"unknown scope operator {scope.op!r}")


def policy_to_json(policy: ast.Policy) -> Json:
    out = {
        "effect": policy.effect,
        "principal": _scope_json(policy.principal),
        "action": _scope_json(policy.action),
        "resource": _scope_json(policy.resource),
        "conditions": [{"kind": c.kind, "body": expr_to_json(c.body)} for c in policy.conditions],
    }
    if policy.annotations:
        out["annotations"] = {a.key: a.value for a in sorted(policy.annotations,
                                                              key=lambda a: a.key)}
    return out


def link_to_json(link: ast.TemplateLink) -> Json:
    return {"templateId": link.template_id, "newId": link.new_id,
            "values": {slot: _uid_json(uid) for slot, uid in link.values}}


def policy_set_to_json(policy_set: ast.PolicySet) -> Json:
    return {
        "templates": {t.id: policy_to_json(t) for t in policy_set.templates},
        "staticPolicies": {p.id: policy_to_json(p) for p in policy_set.policies},
        "templateLinks": [link_to_json(link) for link in policy_set.links],
    }


def dumps(doc: Json) -> str:
    """Compact JSON text as Cedar prints it (`{"a":1}`, non-ASCII kept). `json.dumps` gives
    up on documents nested a few thousand deep; those are written without recursion."""
    try:
        return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    except RecursionError:
        pass
    out: list[str] = []
    stack: list[Any] = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, _Raw):
            out.append(item.text)
        elif isinstance(item, dict):
            parts: list[Any] = [_Raw("{")]
            for i, (k, v) in enumerate(item.items()):
                parts += [_Raw(("," if i else "") + json.dumps(k, ensure_ascii=False) + ":"), v]
            parts.append(_Raw("}"))
            stack.extend(reversed(parts))
        elif isinstance(item, list):
            parts = [_Raw("[")]
            for i, v in enumerate(item):
                parts += [_Raw(","), v] if i else [v]
            parts.append(_Raw("]"))
            stack.extend(reversed(parts))
        else:
            out.append(json.dumps(item, ensure_ascii=False))
    return "".join(out)


class _Raw:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


# ------------------------------------------------------------------------- JSON -> policy

def _obj(x: Json, path: str | JsonPath, keys: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(x, dict):
        raise ESTError(f"expected a JSON object, got {type(x).__name__}", path)
    missing = [k for k in keys if k not in x]
    extra = [k for k in x if k not in keys and k not in optional]
    if missing or extra:
        raise ESTError(f"expected the keys {list(keys)}"
                       + (f" (optionally {list(optional)})" if optional else "")
                       + f", got {list(x)}", path)
    return x


def _str(x: Json, path: str | JsonPath) -> str:
    if not isinstance(x, str):
        raise ESTError(f"expected a string, got {json_type(x)}", path)
    return x


def json_type(x: Json) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "an array", dict: "an object", type(None): "null"}.get(type(x), type(x).__name__)


def uid_from_json(x: Json, path: str | JsonPath) -> EntityUID:
    if isinstance(x, dict) and set(x) == {"__entity"}:
        x, path = x["__entity"], path + ".__entity"
    o = _obj(x, path, ("type", "id"))
    return EntityUID(_str(o["type"], path + ".type"), _str(o["id"], path + ".id"))


def _single(x: Json, path: str | JsonPath) -> tuple[str, Json]:
    if not isinstance(x, dict) or len(x) != 1:
        what = f"{len(x)} keys" if isinstance(x, dict) else json_type(x)
        raise ESTError(f"an expression is a JSON object with exactly one key, got {what}", path)
    return next(iter(x.items()))


# A pending JSON -> AST step: ("expr", json, path) expands a node and schedules its children;
# ("build", builder, n) pops n finished children and builds the node.

def _plan(x: Json, path: str | JsonPath) -> tuple[list[tuple[Json, JsonPath]], Any]:
    """A node's children (JSON, path) and the function building it from their ASTs."""
    key, body = _single(x, path)
    at = path + f".{key}"
    if key == "Value":
        return _value_plan(body, at)
    if key in ("Var", "Slot"):
        name = _str(body, at)
        allowed = ast.VARIABLES if key == "Var" else ast.SLOTS
        if name not in allowed:
            raise ESTError(f"unknown {key.lower()} {name!r} (expected one of {allowed})", at)
        return [], (lambda: ast.Var(name)) if key == "Var" else (lambda: ast.Slot(name))
    if key in ("!", "neg", "isEmpty"):
        o = _obj(body, at, ("arg",))
        if key == "isEmpty":
            return [(o["arg"], at + ".arg")], lambda a: ast.MethodCall("isEmpty", a, ())
        op = "!" if key == "!" else "-"
        return [(o["arg"], at + ".arg")], lambda a: ast.Unary(op, a)
    if key in BINARY_JSON or key in ("&&", "||") or key in PAIR_METHODS:
        o = _obj(body, at, ("left", "right"))
        kids = [(o["left"], at + ".left"), (o["right"], at + ".right")]
        if key == "&&":
            return kids, ast.And
        if key == "||":
            return kids, ast.Or
        if key in PAIR_METHODS:
            return kids, lambda a, b: ast.MethodCall(key, a, (b,))
        return kids, lambda a, b: ast.Binary(key, a, b)
    if key in (".", "has"):
        o = _obj(body, at, ("left", "attr"))
        kid = [(o["left"], at + ".left")]
        if key == ".":
            attr = _str(o["attr"], at + ".attr")
            return kid, lambda a: ast.GetAttr(a, attr)
        attrs = o["attr"] if isinstance(o["attr"], list) else [o["attr"]]
        if not attrs:
            raise ESTError("`has` needs at least one attribute", at + ".attr")
        names = tuple(_str(a, at + ".attr") for a in attrs)
        return kid, lambda a: ast.Has(a, names)
    if key == "like":
        o = _obj(body, at, ("left", "pattern"))
        pattern = _pattern_from_json(o["pattern"], at + ".pattern")
        return [(o["left"], at + ".left")], lambda a: ast.Like(a, pattern)
    if key == "is":
        o = _obj(body, at, ("left", "entity_type"), ("in",))
        etype = _str(o["entity_type"], at + ".entity_type")
        kids = [(o["left"], at + ".left")]
        if "in" in o:
            kids.append((o["in"], at + ".in"))
        return kids, lambda a, b=None: ast.Is(a, etype, b)
    if key == "if-then-else":
        o = _obj(body, at, ("if", "then", "else"))
        return [(o[k], at + f".{k}") for k in ("if", "then", "else")], ast.If
    if key == "Set":
        items = _list(body, at)
        return [(v, at + f"[{i}]") for i, v in enumerate(items)], lambda *xs: ast.SetLit(xs)
    if key == "Record":
        if not isinstance(body, dict):
            raise ESTError(f"expected an object, got {json_type(body)}", at)
        keys = list(body)
        return ([(v, at + f".{k}") for k, v in body.items()],
                lambda *xs: ast.RecordLit(tuple(zip(keys, xs))))
    if key in FUNCTIONS:
        args = _list(body, at)
        if key in CONSTRUCTORS:
            return ([(v, at + f"[{i}]") for i, v in enumerate(args)],
                    lambda *xs: ast.FunctionCall(key, xs))
        if not args:
            raise ESTError(f"the method `{key}` needs its receiver as first argument", at)
        return ([(v, at + f"[{i}]") for i, v in enumerate(args)],
                lambda r, *xs: ast.MethodCall(key, r, xs))
    raise ESTError(f"unknown expression key {key!r}", path)


def _list(x: Json, path: str | JsonPath) -> list:
    if not isinstance(x, list):
        raise ESTError(f"expected an array, got {json_type(x)}", path)
    return x


def _pattern_from_json(x: Json, path: str | JsonPath) -> tuple[ast.PatternElem, ...]:
    out: list[ast.PatternElem] = []
    for i, elem in enumerate(_list(x, path)):
        if elem == "Wildcard":
            out.append(ast.WILDCARD)
        else:
            o = _obj(elem, path + f"[{i}]", ("Literal",))
            out.extend(_str(o["Literal"], path + f"[{i}].Literal"))
    return tuple(out)


def _value_plan(v: Json, path: str | JsonPath) -> tuple[list[tuple[Json, JsonPath]], Any]:
    """A JSON value (Cedar's value JSON) as an expression: literal, entity, set, record, call."""
    if isinstance(v, bool) or isinstance(v, str):
        return [], lambda: ast.Lit(v)
    if isinstance(v, int):
        if not -(2**63) <= v < 2**63:
            raise ESTError(f"integer {v} is out of the range of a Long", path)
        return [], lambda: ast.Lit(v)
    if isinstance(v, list):
        return ([({"Value": x}, path + f"[{i}]") for i, x in enumerate(v)],
                lambda *xs: ast.SetLit(xs))
    if isinstance(v, dict):
        if set(v) == {"__entity"}:
            uid = uid_from_json(v, path)
            return [], lambda: ast.EntityLit(uid)
        if set(v) == {"__extn"}:
            o = _obj(v["__extn"], path + ".__extn", ("fn",), ("arg", "args"))
            fn = _str(o["fn"], path + ".__extn.fn")
            if fn not in FUNCTIONS:
                raise ESTError(f"unknown extension function {fn!r}", path + ".__extn.fn")
            raw = [o["arg"]] if "arg" in o else _list(o.get("args", []), path + ".__extn.args")
            call = {fn: [{"Value": a} for a in raw]}
            return [(call, path + ".__extn")], lambda e: e
        keys = list(v)
        return ([({"Value": x}, path + f".{k}") for k, x in v.items()],
                lambda *xs: ast.RecordLit(tuple(zip(keys, xs))))
    raise ESTError(f"{json_type(v)} is not a Cedar value", path)


def expr_from_json(x: Json, path: str | JsonPath = "$") -> ast.Expr:
    """The AST of an EST expression (post-order over an explicit stack)."""
    root = JsonPath(None, path) if isinstance(path, str) else path
    work: list[tuple[str, Any, Any]] = [("expr", x, root)]
    done: list[ast.Expr] = []
    while work:
        kind, a, b = work.pop()
        if kind == "expr":
            kids, build = _plan(a, b)
            work.append(("build", build, len(kids)))
            work.extend(("expr", kx, kp) for kx, kp in reversed(kids))
        else:
            args = done[len(done) - b:] if b else []
            del done[len(done) - b:]
            done.append(a(*args))
    return done[0]


def _check_action(uid: EntityUID, path: str) -> None:
    if not ast.is_action_type(uid.type):
        raise ESTError(f"expected an entity of type `Action` (or `NS::Action`) in the action "
                       f"scope, got {uid}", path)


def _scope_from_json(x: Json, var: str, path: str) -> ast.Scope:
    o = _obj(x, path, ("op",), ("entity", "entities", "slot", "entity_type", "in"))
    op = o["op"]

    def ref(r: dict, at: str) -> EntityUID | ast.Slot:
        if "slot" in r:
            slot = _str(r["slot"], at + ".slot")
            if slot != f"?{var}":
                raise ESTError(f"the slot {slot!r} cannot constrain {var}", at + ".slot")
            return ast.Slot(slot)
        if "entity" in r:
            return uid_from_json(r["entity"], at + ".entity")
        raise ESTError("expected `entity` or `slot`", at)

    if op == "All":
        _obj(o, path, ("op",))
        return ast.Scope(var)
    if op in ("==", "in") and "entities" in o:
        if op != "in" or var != "action":
            raise ESTError("`entities` (a list) is only allowed in `action in [...]`", path)
        _obj(o, path, ("op", "entities"))
        uids = tuple(uid_from_json(u, f"{path}.entities[{i}]")
                     for i, u in enumerate(_list(o["entities"], path + ".entities")))
        for i, u in enumerate(uids):
            _check_action(u, f"{path}.entities[{i}]")
        return ast.Scope(var, "in list", entities=uids)
    if op in ("==", "in"):
        _obj(o, path, ("op",), ("entity", "slot"))
        entity = ref(o, path)
        if isinstance(entity, ast.Slot) and var == "action":
            raise ESTError("the action scope cannot hold a slot", path)
        if var == "action":
            _check_action(entity, path + ".entity")  # type: ignore[arg-type]
        return ast.Scope(var, op, entity)
    if op == "is" and var != "action":
        _obj(o, path, ("op", "entity_type"), ("in",))
        etype = _str(o["entity_type"], path + ".entity_type")
        if "in" in o:
            inner = _obj(o["in"], path + ".in", (), ("entity", "slot"))
            return ast.Scope(var, "is in", ref(inner, path + ".in"), etype)
        return ast.Scope(var, "is", entity_type=etype)
    raise ESTError(f"unknown {var} scope operator {op!r}", path + ".op")


def policy_from_json(x: Json, id: str = "policy0", path: str = "$") -> ast.Policy:
    o = _obj(x, path, ("effect", "principal", "action", "resource", "conditions"),
             ("annotations",))
    effect = o["effect"]
    if effect not in ("permit", "forbid"):
        raise ESTError(f"effect must be \"permit\" or \"forbid\", got {effect!r}", path + ".effect")
    conditions = []
    for i, c in enumerate(_list(o["conditions"], path + ".conditions")):
        at = f"{path}.conditions[{i}]"
        co = _obj(c, at, ("kind", "body"))
        if co["kind"] not in ("when", "unless"):
            raise ESTError(f"kind must be \"when\" or \"unless\", got {co['kind']!r}", at)
        conditions.append(ast.Condition(co["kind"], expr_from_json(co["body"], at + ".body")))
    raw = o.get("annotations") or {}
    if not isinstance(raw, dict):
        raise ESTError("annotations must be an object", path + ".annotations")
    annotations = []
    for k, v in raw.items():
        if v is not None:
            _str(v, f"{path}.annotations.{k}")
        annotations.append(ast.Annotation(k, v))
    return ast.Policy(effect, id, tuple(annotations),
                      _scope_from_json(o["principal"], "principal", path + ".principal"),
                      _scope_from_json(o["action"], "action", path + ".action"),
                      _scope_from_json(o["resource"], "resource", path + ".resource"),
                      tuple(conditions))


def link_from_json(x: Json, path: str = "$") -> ast.TemplateLink:
    o = _obj(x, path, ("templateId", "newId", "values"))
    values = o["values"]
    if not isinstance(values, dict):
        raise ESTError("`values` must map slots to entities", path + ".values")
    for slot in values:
        if slot not in ast.SLOTS:
            raise ESTError(f"unknown slot {slot!r}", path + ".values")
    return ast.TemplateLink(_str(o["templateId"], path + ".templateId"),
                            _str(o["newId"], path + ".newId"),
                            tuple((s, uid_from_json(u, f"{path}.values.{s}"))
                                  for s, u in values.items()))


def policy_set_from_json(x: Json) -> ast.PolicySet:
    """A policy set from its JSON form; a bare policy object is read as `policy0`."""
    if isinstance(x, dict) and "effect" in x:
        p = policy_from_json(x)
        return ast.PolicySet((p,) if not p.is_template else (), (p,) if p.is_template else ())
    o = _obj(x, "$", (), ("templates", "staticPolicies", "templateLinks"))
    statics, templates = [], []
    for group, target in (("staticPolicies", statics), ("templates", templates)):
        entries = o.get(group, {})
        if not isinstance(entries, dict):
            raise ESTError("expected an object mapping policy ids to policies", f"$.{group}")
        for pid, body in entries.items():
            p = policy_from_json(body, pid, f"$.{group}.{pid}")
            if p.is_template != (group == "templates"):
                raise ESTError("a template has slots; a static policy has none",
                               f"$.{group}.{pid}")
            target.append(p)
    links = tuple(link_from_json(v, f"$.templateLinks[{i}]")
                  for i, v in enumerate(_list(o.get("templateLinks", []), "$.templateLinks")))
    ids = [p.id for p in (*statics, *templates)] + [link.new_id for link in links]
    duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicates:
        raise ESTError(f"duplicate policy ids {duplicates}")
    return ast.PolicySet(tuple(statics), tuple(templates), links)


# ------------------------------------------------------------------ Cedar's identifications

def _rebuild(node: ast.Expr, kids: list[ast.Expr]) -> ast.Expr:
    """`node` with its children replaced, after the identifications the JSON form makes."""
    match node:
        case ast.If() | ast.And() | ast.Or():
            return type(node)(*kids)
        case ast.Binary(op=op) | ast.Unary(op=op):
            return type(node)(op, *kids)
        case ast.Has(path=path):
            return _has_chain(kids[0], path)
        case ast.Like(pattern=pattern):
            return ast.Like(kids[0], pattern)
        case ast.Is(entity_type=t):
            return ast.Is(kids[0], t, kids[1] if len(kids) > 1 else None)
        case ast.GetAttr(attr=attr):
            return ast.GetAttr(kids[0], attr)
        case ast.MethodCall(name=name):
            return ast.MethodCall(name, kids[0], tuple(kids[1:]))
        case ast.FunctionCall(name=name):
            return ast.FunctionCall(name, tuple(kids))
        case ast.SetLit():
            return ast.SetLit(tuple(kids))
        case ast.RecordLit(entries=entries):
            return ast.RecordLit(tuple(sorted(zip((k for k, _ in entries), kids),
                                              key=lambda kv: kv[0])))
    return node


def normalize_expr(expr: ast.Expr) -> ast.Expr:
    """`expr` as the JSON form sees it: `has` paths spelled out, record keys sorted."""
    work: list[tuple[ast.Expr, bool]] = [(expr, False)]
    done: list[ast.Expr] = []
    while work:
        node, expanded = work.pop()
        kids = ast.children(node)
        if expanded:
            args = done[len(done) - len(kids):] if kids else []
            del done[len(done) - len(kids):]
            done.append(_rebuild(node, args))
        else:
            work.append((node, True))
            work.extend((k, False) for k in reversed(kids))
    return done[0]


def normalize_policy(p: ast.Policy) -> ast.Policy:
    action = p.action
    if action.op == "in list" and len(action.entities) == 1:
        action = ast.Scope("action", "in", action.entities[0])
    return ast.Policy(p.effect, p.id, tuple(sorted(p.annotations, key=lambda a: a.key)),
                      p.principal, action, p.resource,
                      tuple(ast.Condition(c.kind, normalize_expr(c.body)) for c in p.conditions))


def normalize(policy_set: ast.PolicySet) -> ast.PolicySet:
    """The policy set that JSON -> policy gives back for `policy_set`'s JSON form."""
    return ast.PolicySet(tuple(map(normalize_policy, policy_set.policies)),
                         tuple(map(normalize_policy, policy_set.templates)), policy_set.links)
