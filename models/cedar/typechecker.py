"""Cedar's strict-mode typechecker: the type of an expression in one request environment.

It follows Cedar's Lean specification (cedar-spec, `Cedar/Validation/Typechecker.lean`), one
case per expression form, on Assay's AST (surface forms are read as Cedar desugars them:
`a != b` is `!(a == b)`, `a > b` is `b < a`, `e has a.b` is `e has a && e.a has b`,
`e is T in f` is `e is T && e in f`, extension methods are calls with the receiver first).

    type_of(expr, env) -> (type, capabilities)      or raises TypeCheckError

Booleans carry singleton types (`True`, `False`) so that `false && e` and `if true then a else
b` type only what can run. Capabilities are the facts proved by `has` and `hasTag` tests
(`(e, "attr", a)`, `(e, "tag", t)`, keyed by the expression structurally): after `e has a`,
`e.a` may be read in the right conjunct of `&&` and in the then-branch of `if`; optional
attributes and tags need one. The `action` variable stands for the environment's action UID
(Cedar substitutes it as a literal before typing).

The walk is iterative — an explicit stack of pending expressions and continuations — so a
10,000-deep expression costs no Python recursion. A `record` dict, when given, receives the
type of every expression typed (keyed by `id(node)`), for passes that need a typed AST.

Trusts: `schema` (declared types), `extensions` (which literal strings the constructors accept).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assay.models.cedar import ast, extensions
from assay.models.cedar.schema import RequestEnv, Schema
from assay.models.cedar.validator_types import (
    BOOL,
    FALSE,
    LONG,
    STRING,
    TRUE,
    Attr,
    BoolType,
    CedarType,
    EntityType,
    ExtType,
    RecordType,
    SetType,
    TypeCheckError,
    TypeErrorKind,
    bool_not,
    display,
    lub,
)
from assay.models.cedar.values import EntityUID

Caps = frozenset[tuple[Any, str, Any]]
NO_CAPS: Caps = frozenset()


@dataclass(frozen=True)
class TypeEnv:
    """A schema and one request environment (Lean's `TypeEnv`)."""

    schema: Schema
    request: RequestEnv


_CMP = {"<", "<=", ">", ">="}
_ORDERED = (LONG, ExtType("datetime"), ExtType("duration"))
_ARITH = {"+", "-", "*"}
_KIND_TYPES: dict[str, CedarType] = {
    "Bool": BOOL, "Long": LONG, "String": STRING,
    **{k: ExtType(k) for k in ("decimal", "ipaddr", "datetime", "duration")}}


def _literal(x: Any, env: TypeEnv) -> Any:
    """The literal value of `x` as Lean sees it (the action variable is its UID), else None."""
    if isinstance(x, ast.Lit):
        return (x.value.__class__, x.value)
    if isinstance(x, ast.EntityLit):
        return (EntityUID, x.uid)
    if isinstance(x, ast.Var) and x.name == "action":
        return (EntityUID, env.request.action)
    return None


def _uid(x: Any, env: TypeEnv) -> EntityUID | None:
    lit = _literal(x, env)
    return lit[1] if lit is not None and lit[0] is EntityUID else None


class _Checker:
    def __init__(self, env: TypeEnv, record: dict[int, CedarType] | None) -> None:
        self.env, self.schema, self.record = env, env.schema, record
        self.todo: list[tuple[Callable[[Any, Caps, Any], None], Any, Caps, Any]] = []
        self.vals: list[tuple[CedarType, Caps]] = []

    def fail(self, kind: TypeErrorKind, message: str, node: Any) -> TypeCheckError:
        return TypeCheckError(kind, message, node)

    def put(self, x: Any, t: CedarType, caps: Caps = NO_CAPS) -> None:
        if self.record is not None:
            self.record[id(x)] = t
        self.vals.append((t, caps))

    def run(self, root: Any, caps: Caps) -> tuple[CedarType, Caps]:
        self.todo.append((self.eval, root, caps, None))
        todo = self.todo
        while todo:
            fn, x, c, extra = todo.pop()
            fn(x, c, extra)
        return self.vals.pop()

    def push(self, fn: Callable[[Any, Caps, Any], None], x: Any, c: Caps, extra: Any = None
             ) -> None:
        self.todo.append((fn, x, c, extra))

    # -- one case per expression form -----------------------------------------------------
    def eval(self, x: Any, c: Caps, _: Any) -> None:
        case = _CASES.get(x.__class__)
        if case is None:  # pragma: no cover - the AST is closed
            raise self.fail(TypeErrorKind.UNEXPECTED_TYPE,
                            f"unknown expression {x.__class__.__name__}", x)
        case(self, x, c)

    def e_lit(self, x: Any, c: Caps) -> None:
        v = x.value
        self.put(x, (TRUE if v else FALSE) if v.__class__ is bool
                 else LONG if v.__class__ is int else STRING)

    def e_entity_lit(self, x: Any, c: Caps) -> None:
        if not self.schema.is_valid_entity_uid(x.uid):
            raise self.fail(TypeErrorKind.UNKNOWN_ENTITY,
                            f"entity {x.uid} is not declared in the schema", x)
        self.put(x, EntityType(x.uid.type))

    def e_var(self, x: Any, c: Caps) -> None:
        r = self.env.request
        self.put(x, {"principal": EntityType(r.principal), "resource": EntityType(r.resource),
                     "action": EntityType(r.action.type), "context": r.context}[x.name])

    def e_if(self, x: Any, c: Caps) -> None:
        self.push(self.k_if, x, c)
        self.push(self.eval, x.cond, c)

    def e_and(self, x: Any, c: Caps) -> None:
        self.push(self.k_and1, x, c)
        self.push(self.eval, x.left, c)

    def e_or(self, x: Any, c: Caps) -> None:
        self.push(self.k_or1, x, c)
        self.push(self.eval, x.left, c)

    def e_unary(self, x: Any, c: Caps) -> None:
        self.push(self.k_unary, x, c)
        self.push(self.eval, x.arg, c)

    def e_binary(self, x: Any, c: Caps) -> None:
        if x.right.__class__ is ast.Slot:  # a template's scope: any linked entity may do
            self.push(self.k_slot, x, c)
            self.push(self.eval, x.left, c)
        else:
            self.binary(x, x.op, x.left, x.right, c)

    def e_has(self, x: Any, c: Caps) -> None:
        if len(x.path) > 1:
            self.push(self.k_alias, x, c)
            self.push(self.eval, _desugar_has(x), c)
        else:
            self.push(self.k_has, x, c)
            self.push(self.eval, x.arg, c)

    def e_like(self, x: Any, c: Caps) -> None:
        self.push(self.k_like, x, c)
        self.push(self.eval, x.arg, c)

    def e_is(self, x: Any, c: Caps) -> None:
        if x.in_ is not None:  # `e is T in f` is `e is T && e in f`
            self.push(self.k_alias, x, c)
            self.push(self.eval, ast.And(ast.Is(x.arg, x.entity_type, span=x.span),
                                         ast.Binary("in", x.arg, x.in_, span=x.span),
                                         span=x.span), c)
        else:
            self.push(self.k_is, x, c)
            self.push(self.eval, x.arg, c)

    def e_getattr(self, x: Any, c: Caps) -> None:
        self.push(self.k_getattr, x, c)
        self.push(self.eval, x.arg, c)

    def e_method(self, x: Any, c: Caps) -> None:
        if x.name in ("contains", "containsAll", "containsAny", "hasTag", "getTag"):
            self.binary(x, x.name, x.receiver, x.args[0], c)
        elif x.name == "isEmpty":
            self.push(self.k_unary, x, c)
            self.push(self.eval, x.receiver, c)
        else:
            self.call(x, x.name, (x.receiver, *x.args), c)

    def e_function(self, x: Any, c: Caps) -> None:
        self.call(x, x.name, x.args, c)

    def e_set(self, x: Any, c: Caps) -> None:
        if not x.elements:
            raise self.fail(TypeErrorKind.EMPTY_SET,
                            "empty set literals are forbidden in policies", x)
        self.push(self.k_set, x, c)
        for e in reversed(x.elements):
            self.push(self.eval, e, c)

    def e_record(self, x: Any, c: Caps) -> None:
        self.push(self.k_record, x, c)
        for _, e in reversed(x.entries):
            self.push(self.eval, e, c)

    def e_slot(self, x: Any, c: Caps) -> None:
        raise self.fail(TypeErrorKind.UNEXPECTED_TYPE,
                        f"the slot {x.name} may appear only in the policy scope", x)

    def k_alias(self, x: Any, c: Caps, _: Any) -> None:
        """`x` was typed as its desugaring: record that type for `x` too."""
        if self.record is not None:
            self.record[id(x)] = self.vals[-1][0]

    def unexpected(self, x: Any, t: CedarType, expected: str) -> TypeCheckError:
        return self.fail(TypeErrorKind.UNEXPECTED_TYPE,
                         f"unexpected type: expected {expected} but saw {display(t)}", x)

    def k_if(self, x: Any, c: Caps, _: Any) -> None:
        t1, c1 = self.vals.pop()
        if t1 is TRUE:
            self.push(self.k_if_done, x, c1 | c, (t1, c1))
            self.push(self.eval, x.then, c | c1)
        elif t1 is FALSE:
            self.push(self.k_if_done, x, c, (t1, None))
            self.push(self.eval, x.else_, c)
        elif t1 is BOOL:
            self.push(self.k_if_done, x, c, (t1, c1))
            self.push(self.eval, x.else_, c)
            self.push(self.eval, x.then, c | c1)
        else:
            raise self.unexpected(x.cond, t1, "Bool")

    def k_if_done(self, x: Any, c: Caps, info: Any) -> None:
        t1, c1 = info
        if t1 is TRUE:
            t2, c2 = self.vals.pop()
            self.put(x, t2, c1 | c2)
        elif t1 is FALSE:
            t3, c3 = self.vals.pop()
            self.put(x, t3, c3)
        else:
            t3, c3 = self.vals.pop()
            t2, c2 = self.vals.pop()
            t = lub(t2, t3)
            if t is None:
                raise self.fail(TypeErrorKind.LUB, f"the types {display(t2)} and {display(t3)} "
                                "are not compatible (the branches of `if`)", x)
            self.put(x, t, (c1 | c2) & c3)

    def k_and1(self, x: Any, c: Caps, _: Any) -> None:
        t1, c1 = self.vals.pop()
        if t1 is FALSE:
            self.put(x, FALSE)
        elif isinstance(t1, BoolType):
            self.push(self.k_and2, x, c, (t1, c1))
            self.push(self.eval, x.right, c | c1)
        else:
            raise self.unexpected(x.left, t1, "Bool")

    def k_and2(self, x: Any, c: Caps, info: Any) -> None:
        t1, c1 = info
        t2, c2 = self.vals.pop()
        if t2 is FALSE:
            self.put(x, FALSE)
        elif t2 is TRUE:
            self.put(x, t1, c1 | c2)
        elif t2 is BOOL:
            self.put(x, BOOL, c1 | c2)
        else:
            raise self.unexpected(x.right, t2, "Bool")

    def k_or1(self, x: Any, c: Caps, _: Any) -> None:
        t1, c1 = self.vals.pop()
        if t1 is TRUE:
            self.put(x, TRUE)
        elif isinstance(t1, BoolType):
            self.push(self.k_or2, x, c, (t1, c1))
            self.push(self.eval, x.right, c)
        else:
            raise self.unexpected(x.left, t1, "Bool")

    def k_or2(self, x: Any, c: Caps, info: Any) -> None:
        t1, c1 = info
        t2, c2 = self.vals.pop()
        if not isinstance(t2, BoolType):
            raise self.unexpected(x.right, t2, "Bool")
        if t1 is FALSE:
            self.put(x, t2, c2)
        elif t2 is TRUE:
            self.put(x, TRUE)
        elif t2 is FALSE:
            self.put(x, BOOL, c1)
        else:
            self.put(x, BOOL, c1 & c2)

    def k_unary(self, x: Any, c: Caps, _: Any) -> None:
        t, _c = self.vals.pop()
        if isinstance(x, ast.MethodCall):  # isEmpty
            if not isinstance(t, SetType):
                raise self.unexpected(x.receiver, t, "a set")
            self.put(x, BOOL)
        elif x.op == "!":
            if not isinstance(t, BoolType):
                raise self.unexpected(x.arg, t, "Bool")
            self.put(x, bool_not(t))
        else:
            if t is not LONG:
                raise self.unexpected(x.arg, t, "Long")
            self.put(x, LONG)

    def k_slot(self, x: Any, c: Caps, _: Any) -> None:
        t, _c = self.vals.pop()
        if not isinstance(t, EntityType):
            raise self.unexpected(x.left, t, "an entity")
        self.put(x, BOOL)

    def k_like(self, x: Any, c: Caps, _: Any) -> None:
        t, _c = self.vals.pop()
        if t is not STRING:
            raise self.unexpected(x.arg, t, "String")
        self.put(x, BOOL)

    def k_is(self, x: Any, c: Caps, _: Any) -> None:
        t, _c = self.vals.pop()
        if not isinstance(t, EntityType):
            raise self.unexpected(x.arg, t, "an entity")
        self.put(x, TRUE if t.name == x.entity_type else FALSE)

    # -- binary operators ---------------------------------------------------------------------
    def binary(self, x: Any, op: str, left: Any, right: Any, c: Caps) -> None:
        self.push(self.k_binary, x, c, (op, left, right))
        self.push(self.eval, right, c)
        self.push(self.eval, left, c)

    def k_binary(self, x: Any, c: Caps, info: Any) -> None:
        op, x1, x2 = info
        t2, _c2 = self.vals.pop()
        t1, _c1 = self.vals.pop()
        if op in ("==", "!="):
            t = self.type_of_eq(x, t1, t2, x1, x2)
            self.put(x, t if op == "==" else bool_not(t))  # type: ignore[arg-type]
        elif op == "in":
            self.put(x, self.type_of_in(x, t1, t2, x1, x2))
        elif op in _CMP:
            if not (t1 is t2 and t1 in _ORDERED):
                raise self.fail(TypeErrorKind.UNEXPECTED_TYPE,
                                f"`{op}` compares two Longs, datetimes or durations, not "
                                f"{display(t1)} and {display(t2)}", x)
            self.put(x, BOOL)
        elif op in _ARITH:
            bad = (x1, t1) if t1 is not LONG else (x2, t2)
            if bad[1] is not LONG:
                raise self.unexpected(bad[0], bad[1], "Long")
            self.put(x, LONG)
        elif op == "contains":
            if not isinstance(t1, SetType):
                raise self.unexpected(x1, t1, "a set")
            self.lub_then_bool(x, t2, t1.element)
        elif op in ("containsAll", "containsAny"):
            if not isinstance(t1, SetType):
                raise self.unexpected(x1, t1, "a set")
            if not isinstance(t2, SetType):
                raise self.unexpected(x2, t2, "a set")
            self.lub_then_bool(x, t1.element, t2.element)
        elif op == "hasTag":
            self.put(x, *self.type_of_has_tag(x, t1, t2, x1, x2, c))
        else:  # getTag
            self.put(x, self.type_of_get_tag(x, t1, t2, x1, x2, c))

    def lub_then_bool(self, x: Any, a: CedarType, b: CedarType) -> None:
        if lub(a, b) is None:
            raise self.fail(TypeErrorKind.LUB,
                            f"the types {display(a)} and {display(b)} are not compatible", x)
        self.put(x, BOOL)

    def type_of_eq(self, x: Any, t1: CedarType, t2: CedarType, x1: Any, x2: Any) -> CedarType:
        l1, l2 = _literal(x1, self.env), _literal(x2, self.env)
        if l1 is not None and l2 is not None:
            return TRUE if l1 == l2 else FALSE
        if lub(t1, t2) is not None:
            return BOOL
        if isinstance(t1, EntityType) and isinstance(t2, EntityType):
            return FALSE
        raise self.fail(TypeErrorKind.LUB,
                        f"the types {display(t1)} and {display(t2)} are not compatible", x)

    def descendent_of(self, ety1: str, ety2: str) -> bool:
        if ety1 == ety2:
            return True
        s = self.schema
        if ety1 in s.entity_types:
            return ety2 in s.ancestors(ety1)
        return any(u.type == ety1 and any(a.type == ety2 for a in s.action_ancestors(u))
                   for u in s.actions)

    def action_descendent(self, u1: EntityUID, u2: EntityUID) -> bool:
        return u1 == u2 or u2 in self.schema.action_ancestors(u1)

    def type_of_in(self, x: Any, t1: CedarType, t2: CedarType, x1: Any, x2: Any) -> CedarType:
        if not isinstance(t1, EntityType):
            raise self.unexpected(x1, t1, "an entity")
        u1 = _uid(x1, self.env)
        act1 = u1 if u1 is not None and u1 in self.schema.actions else None
        if isinstance(t2, EntityType):
            u2 = _uid(x2, self.env)
            if act1 is not None and u2 is not None:
                return TRUE if self.action_descendent(act1, u2) else FALSE
            return BOOL if self.descendent_of(t1.name, t2.name) else FALSE
        if isinstance(t2, SetType) and isinstance(t2.element, EntityType):
            uids = ([_uid(e, self.env) for e in x2.elements]
                    if isinstance(x2, ast.SetLit) else [None])
            if act1 is not None and None not in uids:
                return TRUE if any(self.action_descendent(act1, u) for u in uids) else FALSE
            return BOOL if self.descendent_of(t1.name, t2.element.name) else FALSE
        raise self.unexpected(x2, t2, "an entity or a set of entities")

    def tags_of(self, x: Any, t1: CedarType, t2: CedarType, x1: Any, x2: Any
                ) -> tuple[str, CedarType | None, bool]:
        if not isinstance(t1, EntityType):
            raise self.unexpected(x1, t1, "an entity")
        if t2 is not STRING:
            raise self.unexpected(x2, t2, "String")
        decl = self.schema.entity_types.get(t1.name)
        return t1.name, (decl.tags if decl is not None and decl.enum is None else None), \
            decl is not None

    def type_of_has_tag(self, x: Any, t1: CedarType, t2: CedarType, x1: Any, x2: Any, c: Caps
                        ) -> tuple[CedarType, Caps]:
        ety, tags, declared = self.tags_of(x, t1, t2, x1, x2)
        if not declared:
            if ety in self.schema.action_types():
                return FALSE, NO_CAPS
            raise self.fail(TypeErrorKind.UNKNOWN_ENTITY, f"unknown entity type {ety}", x1)
        if tags is None:
            return FALSE, NO_CAPS
        key = (x1, "tag", x2)
        return (TRUE, NO_CAPS) if key in c else (BOOL, frozenset((key,)))

    def type_of_get_tag(self, x: Any, t1: CedarType, t2: CedarType, x1: Any, x2: Any, c: Caps
                        ) -> CedarType:
        ety, tags, declared = self.tags_of(x, t1, t2, x1, x2)
        if not declared:
            raise self.fail(TypeErrorKind.UNKNOWN_ENTITY,
                            f"entity type {ety} has no declared attributes or tags", x1)
        if tags is None or (x1, "tag", x2) not in c:
            raise self.fail(TypeErrorKind.TAG_NOT_FOUND,
                            f"unable to guarantee safety of access to a tag of {ety}"
                            if tags is not None else f"entity type {ety} has no tags", x)
        return tags

    # -- attributes ---------------------------------------------------------------------------
    def attrs_of(self, x: Any, t: CedarType, arg: Any, has: bool) -> RecordType | None:
        """The attributes a record or entity type declares; None for an action type under
        `has` (actions have no attributes: `has` is False, reading one an error)."""
        if isinstance(t, RecordType):
            return t
        if isinstance(t, EntityType):
            decl = self.schema.entity_types.get(t.name)
            if decl is not None:
                return decl.attrs
            if has and t.name in self.schema.action_types():
                return None
            raise self.fail(TypeErrorKind.UNKNOWN_ENTITY,
                            f"attribute `{x.path[0] if has else x.attr}` on entity type "
                            f"`{t.name}` not found (it declares no attributes)", x)
        raise self.unexpected(arg, t, "an entity or a record")

    def k_has(self, x: Any, c: Caps, _: Any) -> None:
        t, _c = self.vals.pop()
        rty = self.attrs_of(x, t, x.arg, True)
        a = x.path[0]
        found = rty.get(a) if rty is not None else None
        if found is None:
            self.put(x, FALSE)
            return
        key = (x.arg, "attr", a)
        if key in c or (found.required and isinstance(t, RecordType)):
            self.put(x, TRUE)
        else:
            self.put(x, BOOL, frozenset((key,)))

    def k_getattr(self, x: Any, c: Caps, _: Any) -> None:
        t, _c = self.vals.pop()
        rty = self.attrs_of(x, t, x.arg, False)
        assert rty is not None
        found = rty.get(x.attr)
        if found is not None and (found.required or (x.arg, "attr", x.attr) in c):
            self.put(x, found.type)
            return
        owner = f"entity type `{t.name}`" if isinstance(t, EntityType) else "the record"
        if found is None:
            raise self.fail(TypeErrorKind.ATTR_NOT_FOUND,
                            f"attribute `{x.attr}` on {owner} not found", x)
        raise self.fail(TypeErrorKind.ATTR_NOT_FOUND,
                        f"unable to guarantee safety of access to optional attribute "
                        f"`{x.attr}` on {owner}; test it first with `has`", x)

    # -- sets, records, extension calls ----------------------------------------------------
    def k_set(self, x: Any, c: Caps, _: Any) -> None:
        n = len(x.elements)
        tys = [t for t, _ in self.vals[len(self.vals) - n:]]
        del self.vals[len(self.vals) - n:]
        acc: CedarType | None = tys[0]
        for t in tys[1:]:
            acc = lub(acc, t) if acc is not None else None
        if acc is None:
            raise self.fail(TypeErrorKind.INCOMPATIBLE_SET,
                            "the elements of a set literal must have compatible types, not "
                            + ", ".join(dict.fromkeys(display(t, 80) for t in tys)), x)
        self.put(x, SetType(acc))

    def k_record(self, x: Any, c: Caps, _: Any) -> None:
        n = len(x.entries)
        tys = [t for t, _ in self.vals[len(self.vals) - n:]] if n else []
        if n:
            del self.vals[len(self.vals) - n:]
        self.put(x, RecordType((k, Attr(t, True)) for (k, _), t in zip(x.entries, tys)))

    def call(self, x: Any, name: str, args: tuple[Any, ...], c: Caps) -> None:
        self.push(self.k_call, x, c, (name, args))
        for a in reversed(args):
            self.push(self.eval, a, c)

    def k_call(self, x: Any, c: Caps, info: Any) -> None:
        name, args = info
        n = len(args)
        tys = [t for t, _ in self.vals[len(self.vals) - n:]] if n else []
        if n:
            del self.vals[len(self.vals) - n:]
        fn = extensions.FUNCTIONS.get(name)
        if fn is None:
            raise self.fail(TypeErrorKind.EXTENSION, f"unknown extension function {name}", x)
        if not fn.is_method:  # a constructor: one literal string that parses
            if len(args) != 1:
                raise self.fail(TypeErrorKind.EXTENSION, f"wrong number of arguments in "
                                f"extension function application: {name} takes 1", x)
            if not (isinstance(args[0], ast.Lit) and args[0].value.__class__ is str):
                raise self.fail(TypeErrorKind.EXTENSION, "extension constructors may not be "
                                f"called with non-literal arguments: {name}(...)", x)
            try:
                fn.impl(args[0].value)
            except (extensions.ExtensionError, ValueError, OverflowError):
                raise self.fail(TypeErrorKind.EXTENSION, f"error during extension function "
                                f"argument validation: {name}({args[0].value!r}) is not "
                                "a valid value", x) from None
            self.put(x, _KIND_TYPES[fn.result_kind])
            return
        want = [_KIND_TYPES[k] for k in fn.arg_kinds]
        if len(want) != len(tys):
            raise self.fail(TypeErrorKind.EXTENSION, f"wrong number of arguments in extension "
                            f"function application: {name} takes {len(want) - 1}", x)
        for a, t, w in zip(args, tys, want):
            if t is not w:
                raise self.unexpected(a, t, display(w))
        self.put(x, _KIND_TYPES[fn.result_kind])


_CASES: dict[type, Callable[[_Checker, Any, Caps], None]] = {
    ast.Lit: _Checker.e_lit, ast.EntityLit: _Checker.e_entity_lit, ast.Var: _Checker.e_var,
    ast.If: _Checker.e_if, ast.And: _Checker.e_and, ast.Or: _Checker.e_or,
    ast.Unary: _Checker.e_unary, ast.Binary: _Checker.e_binary, ast.Has: _Checker.e_has,
    ast.Like: _Checker.e_like, ast.Is: _Checker.e_is, ast.GetAttr: _Checker.e_getattr,
    ast.MethodCall: _Checker.e_method, ast.FunctionCall: _Checker.e_function,
    ast.SetLit: _Checker.e_set, ast.RecordLit: _Checker.e_record, ast.Slot: _Checker.e_slot,
}


def _desugar_has(x: ast.Has) -> ast.Expr:
    """`e has a.b.c` as Cedar reads it: `e has a && (e.a has b && e.a.b has c)`."""
    prefix: ast.Expr = x.arg
    tests: list[ast.Expr] = []
    for a in x.path:
        tests.append(ast.Has(prefix, (a,), span=x.span))
        prefix = ast.GetAttr(prefix, a, span=x.span)
    out = tests[-1]
    for t in reversed(tests[:-1]):
        out = ast.And(t, out, span=x.span)
    return out


def type_of(expr: ast.Expr, env: TypeEnv, caps: Caps = NO_CAPS,
            record: dict[int, CedarType] | None = None) -> tuple[CedarType, Caps]:
    """The type of `expr` in `env` and the capabilities it proves; raises TypeCheckError."""
    return _Checker(env, record).run(expr, caps)
