"""Expression and policy strategies (the half of `strategies` that builds ASTs).

`expressions(schema, typed)` draws condition expressions over every expression form, operator,
builtin method and extension function; `typed=True` follows the schema's types most of the time
(so that evaluation gets past type errors and reaches the interesting cases), `typed=False`
ignores them. Trusts nothing; see `strategies` for the public face.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st

from assay.models.cedar import ast as A
from assay.models.cedar.values import EntityUID

CType = tuple[Any, ...]
BOOL: CType = ("Bool",)
LONG: CType = ("Long",)
STRING: CType = ("String",)


def _s():  # late import: strategies imports this module at its end
    from assay.models.cedar import strategies as S
    return S


class _Gen:
    """Draws one expression tree; `typed` decides how often requested types are honoured."""

    def __init__(self, draw: st.DrawFn, schema: Any, typed: bool) -> None:
        self.draw, self.schema, self.typed = draw, schema, typed
        self.S = _s()

    # -- helpers ------------------------------------------------------------------------
    def pick(self, options: list[Any]) -> Any:
        return options[self.draw(self.S.index(len(options)))]

    def chance(self, n: int) -> bool:
        """True with probability 1/n."""
        return self.draw(self.S.index(n)) == 0

    def any_type(self) -> CType:
        return self.draw(self.S._types(self.schema.type_names, 1))

    def uid(self, type_name: str | None = None) -> EntityUID:
        return self.draw(self.S._uid(self.schema.type_names, type_name))

    def entity_types_with(self, t: CType) -> list[tuple[str, str]]:
        return [(d.name, n) for d in self.schema.entity_types for n, at, _ in d.attrs if at == t]

    # -- expressions ----------------------------------------------------------------------
    def expr(self, t: CType, depth: int) -> A.Expr:
        if not self.typed or self.chance(12):
            t = self.any_type() if self.chance(2) else t
        if depth <= 0 or self.chance(4):
            return self.leaf(t)
        kind = t[0]
        makers = [self.leaf, self.attr_of, self.ite]
        if kind == "Bool":
            makers += [self.logic, self.logic, self.compare, self.compare, self.membership,
                       self.has, self.like, self.is_, self.set_method, self.tag_method,
                       self.ext_predicate, self.not_]
        elif kind == "Long":
            makers += [self.arith, self.arith, self.neg, self.duration_to_long]
        elif kind == "Set":
            makers += [self.set_lit]
        elif kind == "Record":
            makers += [self.record_lit]
        elif kind == "Ext":
            makers += [self.ext_ctor, self.ext_ctor, self.ext_arith]
        elif kind == "Entity":
            makers += [self.get_tag]
        return self.pick(makers)(t, depth)

    def leaf(self, t: CType, depth: int = 0) -> A.Expr:
        kind = t[0]
        if kind == "Entity":
            options = [A.EntityLit(self.uid(t[1]))]
            options += [A.Var("principal"), A.Var("resource")]
            return self.pick(options)
        if kind == "Record" and self.chance(2):
            return A.Var("context")
        if kind == "Ext":
            return self.ext_ctor(t, 0)
        if self.chance(6):
            return A.Var(self.pick(["principal", "action", "resource", "context"]))
        value = self.draw(self.S.values_of(self.schema, t, 1))
        return value_to_expr(value)

    def attr_of(self, t: CType, depth: int) -> A.Expr:
        owners = self.entity_types_with(t)
        if owners and self.typed:
            type_name, attr = self.pick(owners)
            receiver = self.pick([A.Var("principal"), A.Var("resource"),
                                  A.EntityLit(self.uid(type_name))])
        else:
            attr = self.pick(list(self.S.ATTR_NAMES))
            receiver = self.expr(("Entity", self.pick(list(self.schema.type_names))), depth - 1)
            if self.chance(3):
                receiver = A.Var("context")
        return A.GetAttr(receiver, attr)

    def ite(self, t: CType, depth: int) -> A.Expr:
        return A.If(self.expr(BOOL, depth - 1), self.expr(t, depth - 1), self.expr(t, depth - 1))

    def logic(self, t: CType, depth: int) -> A.Expr:
        cls = self.pick([A.And, A.Or])
        return cls(self.expr(BOOL, depth - 1), self.expr(BOOL, depth - 1))

    def not_(self, t: CType, depth: int) -> A.Expr:
        return A.Unary("!", self.expr(BOOL, depth - 1))

    def compare(self, t: CType, depth: int) -> A.Expr:
        op = self.pick(["==", "!=", "<", "<=", ">", ">="])
        if op in ("==", "!="):
            operand = self.any_type()
        else:
            operand = self.pick([LONG, LONG, ("Ext", "datetime"), ("Ext", "duration")])
        return A.Binary(op, self.expr(operand, depth - 1), self.expr(operand, depth - 1))

    def membership(self, t: CType, depth: int) -> A.Expr:
        lhs = self.expr(("Entity", self.pick(list(self.schema.type_names))), depth - 1)
        target_type = ("Entity", self.pick(list(self.schema.type_names)))
        rhs = (self.expr(("Set", target_type), depth - 1) if self.chance(3)
               else self.expr(target_type, depth - 1))
        if self.chance(4):
            lhs = A.Var("action")
            rhs = A.EntityLit(EntityUID("Action", self.pick([a.id for a in self.schema.actions])))
        return A.Binary("in", lhs, rhs)

    def has(self, t: CType, depth: int) -> A.Expr:
        receiver = self.pick([A.Var("principal"), A.Var("resource"), A.Var("context")])
        if self.chance(3):
            receiver = self.expr(self.any_type(), depth - 1)
        path = tuple(self.draw(_PATHS()))
        return A.Has(receiver, path)

    def like(self, t: CType, depth: int) -> A.Expr:
        pattern = tuple(self.draw(_PATTERNS()))
        return A.Like(self.expr(STRING, depth - 1), pattern)

    def is_(self, t: CType, depth: int) -> A.Expr:
        arg = self.expr(("Entity", self.pick(list(self.schema.type_names))), depth - 1)
        type_name = self.pick(list(self.schema.type_names) + ["Action"])
        in_ = None
        if self.chance(3):
            in_ = self.expr(("Entity", self.pick(list(self.schema.type_names))), depth - 1)
        return A.Is(arg, type_name, in_)

    def set_method(self, t: CType, depth: int) -> A.Expr:
        elem = self.any_type() if self.chance(2) else LONG
        receiver = self.expr(("Set", elem), depth - 1)
        name = self.pick(["contains", "containsAll", "containsAny", "isEmpty"])
        if name == "contains":
            args: tuple[A.Expr, ...] = (self.expr(elem, depth - 1),)
        elif name == "isEmpty":
            args = ()
        else:
            args = (self.expr(("Set", elem), depth - 1),)
        return A.MethodCall(name, receiver, args)

    def tag_method(self, t: CType, depth: int) -> A.Expr:
        receiver = self.expr(("Entity", self.pick(list(self.schema.type_names))), depth - 1)
        key = self.expr(STRING, depth - 1)
        if self.chance(2):
            return A.MethodCall("hasTag", receiver, (key,))
        return A.Binary("==", A.MethodCall("getTag", receiver, (key,)),
                        self.expr(self.any_type(), depth - 1))

    def get_tag(self, t: CType, depth: int) -> A.Expr:
        receiver = self.expr(("Entity", self.pick(list(self.schema.type_names))), depth - 1)
        return A.MethodCall("getTag", receiver, (self.expr(STRING, depth - 1),))

    def arith(self, t: CType, depth: int) -> A.Expr:
        op = self.pick(["+", "-", "*"])
        return A.Binary(op, self.expr(LONG, depth - 1), self.expr(LONG, depth - 1))

    def neg(self, t: CType, depth: int) -> A.Expr:
        return A.Unary("-", self.expr(LONG, depth - 1))

    def duration_to_long(self, t: CType, depth: int) -> A.Expr:
        name = self.pick(["toDays", "toHours", "toMinutes", "toSeconds", "toMilliseconds"])
        return A.MethodCall(name, self.expr(("Ext", "duration"), depth - 1), ())

    def set_lit(self, t: CType, depth: int) -> A.Expr:
        n = self.draw(self.S.index(4))
        return A.SetLit(tuple(self.expr(t[1], depth - 1) for _ in range(n)))

    def record_lit(self, t: CType, depth: int) -> A.Expr:
        return A.RecordLit(tuple((name, self.expr(ft, depth - 1)) for name, ft in t[1]))

    def ext_ctor(self, t: CType, depth: int) -> A.Expr:
        S = self.S
        texts = {"decimal": S.DECIMAL_TEXTS, "ipaddr": S.IP_TEXTS,
                 "datetime": S.DATETIME_TEXTS, "duration": S.DURATION_TEXTS}
        kind = t[1] if t[0] == "Ext" else self.pick(list(S.EXT_TYPES))
        fname = "ip" if kind == "ipaddr" else kind
        arg: A.Expr = A.Lit(self.pick(list(texts[kind])))
        if depth > 0 and self.chance(5):
            arg = self.expr(STRING, depth - 1)
        return A.FunctionCall(fname, (arg,))

    def ext_arith(self, t: CType, depth: int) -> A.Expr:
        kind = t[1]
        if kind == "datetime":
            name = self.pick(["offset", "toDate"])
            args = (self.expr(("Ext", "duration"), depth - 1),) if name == "offset" else ()
            return A.MethodCall(name, self.expr(("Ext", "datetime"), depth - 1), args)
        if kind == "duration":
            name = self.pick(["durationSince", "toTime"])
            receiver = self.expr(("Ext", "datetime"), depth - 1)
            args = (self.expr(("Ext", "datetime"), depth - 1),) if name == "durationSince" else ()
            return A.MethodCall(name, receiver, args)
        return self.ext_ctor(t, depth)

    def ext_predicate(self, t: CType, depth: int) -> A.Expr:
        kind = self.pick(["decimal", "ipaddr"])
        if kind == "decimal":
            name = self.pick(["lessThan", "lessThanOrEqual", "greaterThan",
                              "greaterThanOrEqual"])
            return A.MethodCall(name, self.expr(("Ext", "decimal"), depth - 1),
                                (self.expr(("Ext", "decimal"), depth - 1),))
        name = self.pick(["isIpv4", "isIpv6", "isLoopback", "isMulticast", "isInRange"])
        args = (self.expr(("Ext", "ipaddr"), depth - 1),) if name == "isInRange" else ()
        return A.MethodCall(name, self.expr(("Ext", "ipaddr"), depth - 1), args)


@cache
def _PATHS() -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(_s().ATTR_NAMES), min_size=1, max_size=2)


@cache
def _PATTERNS() -> st.SearchStrategy[list[Any]]:
    return st.lists(st.one_of(_s().CHARS, st.just(A.WILDCARD)), max_size=5)


def _choice(draw: st.DrawFn, options: list[Any] | tuple[Any, ...]) -> Any:
    return options[draw(_s().index(len(options)))]


def value_to_expr(value: Any) -> A.Expr:
    """A literal expression denoting a generated value."""
    from assay.models.cedar.extensions import Datetime, Decimal, Duration, IPAddr
    from assay.models.cedar.values import CedarSet, Record
    if isinstance(value, bool | int | str):
        return A.Lit(value)
    if isinstance(value, EntityUID):
        return A.EntityLit(value)
    if isinstance(value, CedarSet):
        return A.SetLit(tuple(value_to_expr(v) for v in value))
    if isinstance(value, Record):
        return A.RecordLit(tuple((k, value_to_expr(v)) for k, v in value.items()))
    if isinstance(value, Decimal | IPAddr | Datetime | Duration):
        name = {Decimal: "decimal", IPAddr: "ip", Datetime: "datetime",
                Duration: "duration"}[type(value)]
        return A.FunctionCall(name, (A.Lit(str(value)),))
    raise TypeError(f"no literal for {value!r}")


def draw_expressions(draw: st.DrawFn, schema: Any, typed: bool = True, depth: int = 4) -> A.Expr:
    """A Boolean condition expression (when typed) over the schema's vocabulary."""
    return _Gen(draw, schema, typed).expr(BOOL, depth)


def draw_scope(draw: st.DrawFn, schema: Any, var: str, template: bool) -> A.Scope:
    S = _s()
    types = list(schema.type_names)
    if var == "action":
        ids = [a.id for a in schema.actions]
        form = _choice(draw, ["any", "==", "in", "in list"])
        if form == "any":
            return A.Scope("action")
        if form == "in list":
            picked = _s().sample(draw, ids, 0, 3)
            return A.Scope("action", "in list", entities=tuple(EntityUID("Action", i)
                                                               for i in picked))
        return A.Scope("action", form, entity=EntityUID("Action", _choice(draw, ids)))
    form = _choice(draw, ["any", "==", "in", "is", "is in"])
    if form == "any":
        return A.Scope(var)
    if template and form != "is" and draw(st.booleans()):
        entity: EntityUID | A.Slot = A.Slot("?" + var)
    else:
        entity = draw(S._uid(schema.type_names))
    if form in ("==", "in"):
        return A.Scope(var, form, entity=entity)
    type_name = _choice(draw, types)
    if form == "is":
        return A.Scope(var, "is", entity_type=type_name)
    return A.Scope(var, "is in", entity=entity, entity_type=type_name)


def draw_policies(draw: st.DrawFn, schema: Any, policy_id: str = "policy0", typed: bool = True,
             template: bool = False) -> A.Policy:
    """One policy (or, with `template=True`, possibly a template with slots)."""
    annotations = tuple(
        A.Annotation(k, draw(st.one_of(st.none(), st.text(_s().CHARS, max_size=4))))
        for k in _s().sample(draw, ("advice", "note", "owner"), 0, 2, unique=True))
    conditions = tuple(
        A.Condition(_choice(draw, ["when", "unless"]),
                    draw_expressions(draw, schema, typed, 1 + draw(_s().index(4))))
        for _ in range(draw(_s().index(3))))
    return A.Policy(
        effect=_choice(draw, ["permit", "permit", "forbid"]),
        id=policy_id,
        annotations=annotations,
        principal=draw_scope(draw, schema, "principal", template),
        action=draw_scope(draw, schema, "action", False),
        resource=draw_scope(draw, schema, "resource", template),
        conditions=conditions,
    )


def draw_policy_sets(draw: st.DrawFn, schema: Any, typed: bool = True, max_policies: int = 5,
                templates: bool = False) -> A.PolicySet:
    """Static policies named policy0, policy1, ... (as Cedar names a parsed policy set)."""
    n = 1 + draw(_s().index(max_policies))
    pols = tuple(draw_policies(draw, schema, f"policy{i}", typed) for i in range(n))
    if not templates:
        return A.PolicySet(pols)
    tmpls = []
    links = []
    for j in range(draw(_s().index(3))):
        t = draw_policies(draw, schema, f"template{j}", typed, template=True)
        if not t.is_template:
            continue
        tmpls.append(t)
        for k in range(draw(_s().index(3))):
            values = tuple((slot, draw(_s()._uid(schema.type_names))) for slot in t.slots)
            links.append(A.TemplateLink(t.id, f"link{j}_{k}", values))
    return A.PolicySet(pols, tuple(tmpls), tuple(links))


expressions = st.composite(draw_expressions)


_scope = st.composite(draw_scope)


policies = st.composite(draw_policies)


policy_sets = st.composite(draw_policy_sets)
