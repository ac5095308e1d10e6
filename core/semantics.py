"""The meaning of every operator on concrete values: one function per `Op`.

Used by the ground evaluator and by the smart constructors' constant folding, so the two can
never disagree. Bit-vector operators follow SMT-LIB 2.6 exactly, including division by zero
(`bvudiv x 0 = ~0`, `bvurem x 0 = x`). Integer `div`/`mod` by zero are unspecified in SMT-LIB;
here they give 0 and the dividend, and the evaluator reports such a model as unconfirmable
(see `evaluate.DIV_BY_ZERO`), so no answer ever depends on this choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from assay.core.ops import Op
from assay.core.sorts import Sort
from assay.core.values import ArrayValue, DTValue, Regex


class IntDivisionByZero(ArithmeticError):
    """Integer div/mod by zero: SMT-LIB leaves the result unspecified."""


def signed(v: int, w: int) -> int:
    """Two's complement reading of a `w`-bit value."""
    return v - (1 << w) if v >> (w - 1) else v


def udiv(a: int, b: int, w: int) -> int:
    return (1 << w) - 1 if b == 0 else a // b


def urem(a: int, b: int, w: int) -> int:
    return a if b == 0 else a % b


def sdiv(a: int, b: int, w: int) -> int:
    m = (1 << w) - 1
    ma, mb = a >> (w - 1), b >> (w - 1)
    if not ma and not mb:
        return udiv(a, b, w)
    if ma and not mb:
        return -udiv(-a & m, b, w) & m
    if not ma and mb:
        return -udiv(a, -b & m, w) & m
    return udiv(-a & m, -b & m, w)


def srem(a: int, b: int, w: int) -> int:
    m = (1 << w) - 1
    ma, mb = a >> (w - 1), b >> (w - 1)
    if not ma and not mb:
        return urem(a, b, w)
    if ma and not mb:
        return -urem(-a & m, b, w) & m
    if not ma and mb:
        return urem(a, -b & m, w)
    return -urem(-a & m, -b & m, w) & m


def smod(a: int, b: int, w: int) -> int:
    m = (1 << w) - 1
    ma, mb = a >> (w - 1), b >> (w - 1)
    u = urem(-a & m if ma else a, -b & m if mb else b, w)
    if u == 0 or (not ma and not mb):
        return u
    if ma and not mb:
        return (-u + b) & m
    if not ma and mb:
        return (u + b) & m
    return -u & m


def rotl(a: int, k: int, w: int) -> int:
    k %= w
    return ((a << k) | (a >> (w - k))) & ((1 << w) - 1) if k else a


def int_div(a: int, b: int) -> int:
    if b == 0:
        raise IntDivisionByZero
    r = a % abs(b)
    return (a - r) // b


def int_mod(a: int, b: int) -> int:
    if b == 0:
        raise IntDivisionByZero
    return a % abs(b)


def _bvw(sorts: tuple[Sort, ...]) -> int:
    return sorts[0].width


Fn = Callable[[list[Any], Any, tuple[Sort, ...], Sort], Any]


def _fold_nary(f: Callable[[int, int], int]) -> Fn:
    def go(v: list[Any], p: Any, s: tuple[Sort, ...], r: Sort) -> Any:
        acc = v[0]
        m = (1 << r.width) - 1
        for x in v[1:]:
            acc = f(acc, x) & m
        return acc
    return go


def _concat(v: list[Any], p: Any, s: tuple[Sort, ...], r: Sort) -> int:
    acc = 0
    for x, srt in zip(v, s):
        acc = (acc << srt.width) | x
    return acc


def _shl(v: list[Any], p: Any, s: tuple[Sort, ...], r: Sort) -> int:
    w = r.width
    return 0 if v[1] >= w else (v[0] << v[1]) & ((1 << w) - 1)


def _lshr(v: list[Any], p: Any, s: tuple[Sort, ...], r: Sort) -> int:
    return 0 if v[1] >= r.width else v[0] >> v[1]


def _ashr(v: list[Any], p: Any, s: tuple[Sort, ...], r: Sort) -> int:
    w = r.width
    return (signed(v[0], w) >> min(v[1], w - 1)) & ((1 << w) - 1)


def _sign_extend(v: list[Any], p: Any, s: tuple[Sort, ...], r: Sort) -> int:
    return signed(v[0], s[0].width) & ((1 << r.width) - 1)


def _re_concat(v: list[Any], *_: Any) -> Regex:
    return Regex("".join(f"(?:{x.pattern})" for x in v))


def _re_union(v: list[Any], *_: Any) -> Regex:
    return Regex("|".join(f"(?:{x.pattern})" for x in v))


def _select(v: list[Any], *_: Any) -> Any:
    return v[0].select(v[1])


def _dt_select(v: list[Any], p: Any, s: tuple[Sort, ...], r: Sort) -> Any:
    cname, pos, _ = s[0].accessor(p)
    val: DTValue = v[0]
    if val.constructor != cname:
        # SMT-LIB leaves a wrong-constructor selection unspecified; choose a fixed default.
        from assay.core.evaluate import default_value
        return default_value(r)
    return val.fields[pos]


SEMANTICS: dict[Op, Fn] = {
    Op.NOT: lambda v, p, s, r: not v[0],
    Op.AND: lambda v, p, s, r: all(v),
    Op.OR: lambda v, p, s, r: any(v),
    Op.XOR: lambda v, p, s, r: (sum(1 for x in v if x) & 1) == 1,
    Op.ITE: lambda v, p, s, r: v[1] if v[0] else v[2],
    Op.EQ: lambda v, p, s, r: v[0] == v[1],
    Op.BVNOT: lambda v, p, s, r: ~v[0] & ((1 << r.width) - 1),
    Op.BVNEG: lambda v, p, s, r: -v[0] & ((1 << r.width) - 1),
    Op.BVAND: _fold_nary(lambda a, b: a & b),
    Op.BVOR: _fold_nary(lambda a, b: a | b),
    Op.BVXOR: _fold_nary(lambda a, b: a ^ b),
    Op.BVADD: _fold_nary(lambda a, b: a + b),
    Op.BVMUL: _fold_nary(lambda a, b: a * b),
    Op.BVSUB: lambda v, p, s, r: (v[0] - v[1]) & ((1 << r.width) - 1),
    Op.BVUDIV: lambda v, p, s, r: udiv(v[0], v[1], r.width),
    Op.BVUREM: lambda v, p, s, r: urem(v[0], v[1], r.width),
    Op.BVSDIV: lambda v, p, s, r: sdiv(v[0], v[1], r.width),
    Op.BVSREM: lambda v, p, s, r: srem(v[0], v[1], r.width),
    Op.BVSMOD: lambda v, p, s, r: smod(v[0], v[1], r.width),
    Op.BVSHL: _shl,
    Op.BVLSHR: _lshr,
    Op.BVASHR: _ashr,
    Op.CONCAT: _concat,
    Op.EXTRACT: lambda v, p, s, r: (v[0] >> p[1]) & ((1 << (p[0] - p[1] + 1)) - 1),
    Op.ZERO_EXTEND: lambda v, p, s, r: v[0],
    Op.SIGN_EXTEND: _sign_extend,
    Op.ROTATE_LEFT: lambda v, p, s, r: rotl(v[0], p[0], r.width),
    Op.ROTATE_RIGHT: lambda v, p, s, r: rotl(v[0], r.width - p[0] % r.width, r.width),
    Op.BVULT: lambda v, p, s, r: v[0] < v[1],
    Op.BVULE: lambda v, p, s, r: v[0] <= v[1],
    Op.BVSLT: lambda v, p, s, r: signed(v[0], _bvw(s)) < signed(v[1], _bvw(s)),
    Op.BVSLE: lambda v, p, s, r: signed(v[0], _bvw(s)) <= signed(v[1], _bvw(s)),
    Op.BV2NAT: lambda v, p, s, r: v[0],
    Op.INT2BV: lambda v, p, s, r: v[0] & ((1 << p[0]) - 1),
    Op.ADD: lambda v, p, s, r: sum(v),
    Op.SUB: lambda v, p, s, r: v[0] - v[1],
    Op.MUL: lambda v, p, s, r: _product(v),
    Op.NEG: lambda v, p, s, r: -v[0],
    Op.IDIV: lambda v, p, s, r: int_div(v[0], v[1]),
    Op.MOD: lambda v, p, s, r: int_mod(v[0], v[1]),
    Op.ABS: lambda v, p, s, r: abs(v[0]),
    Op.LE: lambda v, p, s, r: v[0] <= v[1],
    Op.LT: lambda v, p, s, r: v[0] < v[1],
    Op.STR_CONCAT: lambda v, p, s, r: "".join(v),
    Op.STR_LEN: lambda v, p, s, r: len(v[0]),
    Op.STR_PREFIXOF: lambda v, p, s, r: v[1].startswith(v[0]),
    Op.STR_SUFFIXOF: lambda v, p, s, r: v[1].endswith(v[0]),
    Op.STR_CONTAINS: lambda v, p, s, r: v[1] in v[0],
    Op.STR_LT: lambda v, p, s, r: v[0] < v[1],
    Op.STR_LE: lambda v, p, s, r: v[0] <= v[1],
    Op.STR_IN_RE: lambda v, p, s, r: v[1].matches(v[0]),
    Op.STR_TO_RE: lambda v, p, s, r: Regex(re.escape(v[0])),
    Op.RE_CONCAT: _re_concat,
    Op.RE_UNION: _re_union,
    Op.RE_STAR: lambda v, p, s, r: Regex(f"(?:{v[0].pattern})*"),
    Op.RE_ALLCHAR: lambda v, p, s, r: Regex("."),
    Op.RE_ALL: lambda v, p, s, r: Regex(".*"),
    Op.RE_NONE: lambda v, p, s, r: Regex("(?!)"),
    Op.SELECT: _select,
    Op.STORE: lambda v, p, s, r: v[0].store(v[1], v[2]),
    Op.CONST_ARRAY: lambda v, p, s, r: ArrayValue.make(v[0]),
    Op.SET_EMPTY: lambda v, p, s, r: frozenset(),
    Op.SET_INSERT: lambda v, p, s, r: v[1] | {v[0]},
    Op.SET_UNION: lambda v, p, s, r: v[0] | v[1],
    Op.SET_INTER: lambda v, p, s, r: v[0] & v[1],
    Op.SET_MINUS: lambda v, p, s, r: v[0] - v[1],
    Op.SET_MEMBER: lambda v, p, s, r: v[0] in v[1],
    Op.SET_SUBSET: lambda v, p, s, r: v[0] <= v[1],
    Op.DT_CONS: lambda v, p, s, r: DTValue(p, tuple(v)),
    Op.DT_SELECT: _dt_select,
    Op.DT_TEST: lambda v, p, s, r: v[0].constructor == p,
}


def _product(v: list[int]) -> int:
    acc = 1
    for x in v:
        acc *= x
    return acc
