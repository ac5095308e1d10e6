"""Canonical SMT-LIB 2.6 text for terms, sorts and values.

Shared subterms are printed once, bound by `let` (a DAG with 10^5 shared nodes prints in linear
size), and printing is iterative, so any depth is fine. The SMT-LIB parser reads this text back
to the identical term: `parse_term(to_smtlib(t)) is t`.
"""

from __future__ import annotations

import re
from typing import Any

from assay.core.ops import INDEXED, Op
from assay.core.sorts import Sort, SortKind
from assay.core.term import Term
from assay.core.values import ArrayValue, DTValue, UValue
from assay.core.walkers import postorder

_SIMPLE = re.compile(r"^[a-zA-Z~!@$%^&*_+=<>.?/\-][0-9a-zA-Z~!@$%^&*_+=<>.?/\-]*$")
RESERVED = frozenset({
    "BINARY", "DECIMAL", "HEXADECIMAL", "NUMERAL", "STRING", "_", "!", "as", "let", "exists",
    "forall", "match", "par", "assert", "check-sat", "declare-const", "declare-fun",
    "define-fun", "exit", "get-model", "push", "pop", "set-info", "set-logic", "set-option",
    "declare-sort", "declare-datatypes", "get-value", "reset", "echo",
})


def symbol(name: str) -> str:
    """`name` as an SMT-LIB symbol, quoted with |...| when it is not a simple symbol."""
    if _SIMPLE.match(name) and name not in RESERVED:
        return name
    return f"|{name}|"


def sort_text(s: Sort) -> str:
    """`s` in SMT-LIB syntax, with uninterpreted and datatype names quoted where needed
    (`Sort.smtlib()` leaves names as they are)."""
    k = s.kind
    if k in (SortKind.UNINTERPRETED, SortKind.DATATYPE):
        return symbol(s.name)
    if k is SortKind.ARRAY:
        return f"(Array {sort_text(s.index)} {sort_text(s.element)})"
    if k is SortKind.SET:
        return f"(Set {sort_text(s.element)})"
    return s.smtlib()


def string_literal(s: str) -> str:
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == '"':
            out.append('""')
        elif ch == "\\" or code < 0x20 or code > 0x7E:
            out.append(f"\\u{{{code:x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def bv_literal(value: int, width: int) -> str:
    if width % 4 == 0:
        return f"#x{value:0{width // 4}x}"
    return f"#b{value:0{width}b}"


def int_literal(value: int) -> str:
    return str(value) if value >= 0 else f"(- {-value})"


def const_text(t: Term) -> str:
    """A Bool, bit-vector, Int or String constant as a literal."""
    return value_to_smtlib(t.payload, t.sort)


def head(t: Term) -> str:
    """The operator part of an application (what follows the opening parenthesis)."""
    op = t.op
    if op in INDEXED:
        return f"(_ {op.value} {' '.join(map(str, t.payload))})"
    if op is Op.NEG:
        return "-"
    if op is Op.CONST_ARRAY:
        return f"(as const {sort_text(t.sort)})"
    if op is Op.APPLY:
        return symbol(t.payload.name)
    if op is Op.DT_CONS or op is Op.DT_SELECT:
        return symbol(t.payload)
    if op is Op.DT_TEST:
        return f"(_ is {symbol(t.payload)})"
    return op.value


def leaf_text(t: Term, dialect: str = "smtlib") -> str | None:
    """Text of a node without arguments, or None when it has arguments."""
    if t.args:
        return None
    op = t.op
    if op is Op.CONST:
        return value_to_smtlib(t.payload, t.sort, dialect)
    if op is Op.VAR:
        return symbol(t.payload)
    if op is Op.SET_EMPTY:
        return _empty_set(t.sort, dialect)
    if op is Op.DT_CONS:
        return f"(as {symbol(t.payload)} {sort_text(t.sort)})"
    return head(t)


def shared_nodes(root: Term) -> list[Term]:
    """Nodes with arguments that occur under more than one parent, children first."""
    parents: dict[Term, int] = {}
    order: list[Term] = []
    for t in postorder(root):
        order.append(t)
        for a in t.args:
            if a.args:
                parents[a] = parents.get(a, 0) + 1
    return [t for t in order if parents.get(t, 0) > 1]


# z3 reads finite sets as arrays to Bool and names their operations its own way; cvc5 (and the
# canonical text) use the `set.` theory's names. `dialect="z3"` prints what z3's parser reads.
Z3_SET_HEADS = {Op.SET_UNION: "union", Op.SET_INTER: "intersection",
                Op.SET_MINUS: "setminus", Op.SET_SUBSET: "subset"}


def _empty_set(sort: Sort, dialect: str) -> str:
    if dialect == "z3":
        return f"((as const {sort_text(sort)}) false)"
    return f"(as set.empty {sort_text(sort)})"


def to_smtlib(root: Term, *, share: bool = True, dialect: str = "smtlib") -> str:
    """SMT-LIB text of `root`, binding shared subterms with nested lets. `dialect="z3"` spells
    set operations as z3 reads them (arrays to Bool: select/store, union, ...)."""
    names: dict[Term, str] = {}
    bound = shared_nodes(root) if share else []
    if bound:
        taken = {t.payload for t in postorder(root) if t.op is Op.VAR}
        n = 0
        for t in bound:
            name = f"?t{n}"
            while name in taken:
                n += 1
                name = f"?t{n}"
            names[t] = name
            n += 1
    out: list[str] = []
    for t in bound:
        out.append(f"(let (({names[t]} ")
        _emit(t, names, out, top=True, dialect=dialect)
        out.append(")) ")
    _emit(root, names, out, top=True, dialect=dialect)
    out.append(")" * len(bound))
    return "".join(out)


def _emit(root: Term, names: dict[Term, str], out: list[str], *, top: bool,
          dialect: str = "smtlib") -> None:
    stack: list[Any] = [root]
    first = True
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        t: Term = item
        if not (first and top) and t in names:
            out.append(names[t])
            first = False
            continue
        first = False
        leaf = leaf_text(t, dialect)
        if leaf is not None:
            out.append(leaf)
            continue
        args = t.args
        if dialect == "z3" and t.op in (Op.SET_MEMBER, Op.SET_INSERT):
            # (set.member e s) is (select s e); (set.insert e s) is (store s e true)
            out.append("(select" if t.op is Op.SET_MEMBER else "(store")
            stack.append(")" if t.op is Op.SET_MEMBER else " true)")
            args = (args[1], args[0])
        else:
            h = Z3_SET_HEADS.get(t.op) if dialect == "z3" else None
            out.append("(" + (h or head(t)))
            stack.append(")")
        for a in reversed(args):
            stack.append(a)
            stack.append(" ")


def value_to_smtlib(value: Any, sort: Sort, dialect: str = "smtlib") -> str:
    """A model value as SMT-LIB text (arrays as nested stores over a constant array)."""
    k = sort.kind
    if k is SortKind.BOOL:
        return "true" if value else "false"
    if k is SortKind.BV:
        return bv_literal(value, sort.width)
    if k is SortKind.INT:
        return int_literal(value)
    if k is SortKind.STRING:
        return string_literal(value)
    if k is SortKind.ARRAY and isinstance(value, ArrayValue):
        text = (f"((as const {sort_text(sort)}) "
                f"{value_to_smtlib(value.default, sort.element, dialect)})")
        for i, v in value.entries:
            text = (f"(store {text} {value_to_smtlib(i, sort.index, dialect)} "
                    f"{value_to_smtlib(v, sort.element, dialect)})")
        return text
    if k is SortKind.SET:
        text = _empty_set(sort, dialect)
        for e in sorted(value, key=repr):
            element = value_to_smtlib(e, sort.element, dialect)
            text = (f"(store {text} {element} true)" if dialect == "z3"
                    else f"(set.insert {element} {text})")
        return text
    if k is SortKind.UNINTERPRETED and isinstance(value, UValue):
        return symbol(str(value))
    if k is SortKind.DATATYPE and isinstance(value, DTValue):
        _, fields = sort.constructor(value.constructor)
        if not fields:
            return symbol(value.constructor)
        parts = " ".join(value_to_smtlib(v, s, dialect)
                         for v, (_, s) in zip(value.fields, fields))
        return f"({symbol(value.constructor)} {parts})"
    return repr(value)
