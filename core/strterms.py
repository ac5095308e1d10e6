"""Smart constructors for strings and regular languages (re-exported by `assay.core.terms`).

Strings are SMT-LIB's Unicode strings; regular languages are built from `str.to_re`,
concatenation, union, star and the constants `re.allchar`, `re.all`, `re.none`. Membership of a
constant string in a closed language is decided at construction. Trusted by the kernel.
"""

from __future__ import annotations

from assay.core.ops import Op
from assay.core.sorts import BOOL, INT, REGLAN, STRING
from assay.core.term import Term
from assay.core.terms import Bool, String, _build, _mk, _of


def _str(t: object, what: str) -> Term:
    return _of(t, STRING, what)


def _re(t: object, what: str) -> Term:
    return _of(t, REGLAN, what)


def StrConcat(*args: Term) -> Term:
    items = tuple(_str(a, "str.++") for a in args)
    items = tuple(a for a in items if not (a.op is Op.CONST and a.payload == ""))
    if not items:
        return String("")
    return items[0] if len(items) == 1 else _build(Op.STR_CONCAT, items, None, STRING)


def StrLen(a: Term) -> Term:
    return _build(Op.STR_LEN, (_str(a, "str.len"),), None, INT)


def StrPrefixOf(prefix: Term, s: Term) -> Term:
    return _build(Op.STR_PREFIXOF, (_str(prefix, "str.prefixof"), _str(s, "str.prefixof")),
                  None, BOOL)


def StrSuffixOf(suffix: Term, s: Term) -> Term:
    return _build(Op.STR_SUFFIXOF, (_str(suffix, "str.suffixof"), _str(s, "str.suffixof")),
                  None, BOOL)


def StrContains(s: Term, sub: Term) -> Term:
    return _build(Op.STR_CONTAINS, (_str(s, "str.contains"), _str(sub, "str.contains")),
                  None, BOOL)


def StrLT(a: Term, b: Term) -> Term:
    return _build(Op.STR_LT, (_str(a, "str.<"), _str(b, "str.<")), None, BOOL)


def StrLE(a: Term, b: Term) -> Term:
    return _build(Op.STR_LE, (_str(a, "str.<="), _str(b, "str.<=")), None, BOOL)


def StrInRe(s: Term, r: Term) -> Term:
    s, r = _str(s, "str.in_re"), _re(r, "str.in_re")
    if s.op is Op.CONST and _closed(r):
        from assay.core.evaluate import evaluate
        return Bool(evaluate(_mk(Op.STR_IN_RE, (s, r), None, BOOL), {}))
    return _mk(Op.STR_IN_RE, (s, r), None, BOOL)


def _closed(t: Term) -> bool:
    stack = [t]
    while stack:
        x = stack.pop()
        if x.op is Op.VAR or x.op is Op.APPLY:
            return False
        stack.extend(x.args)
    return True


def StrToRe(s: Term) -> Term:
    return _mk(Op.STR_TO_RE, (_str(s, "str.to_re"),), None, REGLAN)


def ReConcat(*args: Term) -> Term:
    items = tuple(_re(a, "re.++") for a in args)
    if len(items) == 1:
        return items[0]
    if not items:
        return StrToRe(String(""))
    return _mk(Op.RE_CONCAT, items, None, REGLAN)


def ReUnion(*args: Term) -> Term:
    items = tuple(_re(a, "re.union") for a in args)
    if len(items) == 1:
        return items[0]
    if not items:
        return ReNone()
    return _mk(Op.RE_UNION, items, None, REGLAN)


def ReStar(r: Term) -> Term:
    return _mk(Op.RE_STAR, (_re(r, "re.*"),), None, REGLAN)


def ReAllChar() -> Term:
    return _mk(Op.RE_ALLCHAR, (), None, REGLAN)


def ReAll() -> Term:
    return _mk(Op.RE_ALL, (), None, REGLAN)


def ReNone() -> Term:
    return _mk(Op.RE_NONE, (), None, REGLAN)
