"""SMT-LIB theory symbols: for each function symbol of the supported theories, how many
arguments and indices it takes and which smart constructor builds it.

SMT-LIB's attributes are applied here: `:left-assoc` (`bvadd a b c`), `:right-assoc` (`=>`),
`:chainable` (`= a b c`, `< a b c`) and `:pairwise` (`distinct`). Symbols the term layer has no
operator for but can express (bvugt, bvnand, repeat, re.+, set.singleton, ...) are rewritten by
the constructors. Trusts the smart constructors of `assay.core.terms`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce

from assay.core import terms as T
from assay.core.errors import SortError
from assay.core.sorts import SetSort
from assay.core.term import Term

Builder = Callable[[Sequence[Term], tuple[int, ...]], Term]


@dataclass(frozen=True)
class TheorySymbol:
    name: str
    build: Builder
    min_args: int
    max_args: int | None   # None: unbounded
    indices: int = 0       # number of numeral indices in `(_ name i ...)`


def _left(f: Callable[[Term, Term], Term]) -> Builder:
    return lambda args, idx: reduce(f, args)


def _right(f: Callable[[Term, Term], Term]) -> Builder:
    return lambda args, idx: reduce(lambda acc, a: f(a, acc), reversed(args[:-1]), args[-1])


def _chain(f: Callable[[Term, Term], Term]) -> Builder:
    return lambda args, idx: T.And(*[f(a, b) for a, b in zip(args, args[1:])])


def _nary(f: Callable[..., Term]) -> Builder:
    return lambda args, idx: f(*args)


def _indexed(f: Callable[..., Term]) -> Builder:
    return lambda args, idx: f(args[0], *idx)


def _minus(args: Sequence[Term], idx: tuple[int, ...]) -> Term:
    if len(args) == 1:
        return T.Neg(args[0])
    return reduce(T.Minus, args)


def _xor(args: Sequence[Term], idx: tuple[int, ...]) -> Term:
    return reduce(T.Xor, args)


def _re_power(r: Term, n: int) -> Term:
    return T.ReConcat(*([r] * n)) if n else T.StrToRe(T.String(""))


def _re_loop(args: Sequence[Term], idx: tuple[int, ...]) -> Term:
    lo, hi = idx
    if lo > hi:
        return T.ReNone()
    return T.ReUnion(*[_re_power(args[0], k) for k in range(lo, hi + 1)])


def _set_insert(args: Sequence[Term], idx: tuple[int, ...]) -> Term:
    s = args[-1]
    for e in reversed(args[:-1]):
        s = T.SetInsert(e, s)
    return s


def _set_singleton(args: Sequence[Term], idx: tuple[int, ...]) -> Term:
    e = args[0]
    return T.SetInsert(e, T.EmptySet(SetSort(e.sort)))


def _repeat(args: Sequence[Term], idx: tuple[int, ...]) -> Term:
    return T.Repeat(args[0], idx[0])


def _sym(name: str, build: Builder, lo: int, hi: int | None, indices: int = 0) -> TheorySymbol:
    return TheorySymbol(name, build, lo, hi, indices)


def _fixed(name: str, f: Callable[..., Term], n: int) -> TheorySymbol:
    return _sym(name, _nary(f), n, n)


_SYMBOLS: list[TheorySymbol] = [
    # Core
    _fixed("not", T.Not, 1),
    _sym("and", _nary(T.And), 0, None),
    _sym("or", _nary(T.Or), 0, None),
    _sym("xor", _xor, 2, None),
    _sym("=>", _right(T.Implies), 2, None),
    _sym("=", _chain(T.Eq), 2, None),
    _fixed("iff", T.Iff, 2),  # SMT-LIB 1.x, still found in old benchmarks
    _sym("distinct", _nary(T.Distinct), 2, None),
    _fixed("ite", T.Ite, 3),
    # FixedSizeBitVectors and QF_BV's extensions
    _fixed("bvnot", T.BVNot, 1),
    _fixed("bvneg", T.BVNeg, 1),
    _sym("bvand", _nary(T.BVAnd), 2, None),
    _sym("bvor", _nary(T.BVOr), 2, None),
    _sym("bvxor", _nary(T.BVXor), 2, None),
    _sym("bvadd", _nary(T.BVAdd), 2, None),
    _sym("bvmul", _nary(T.BVMul), 2, None),
    _sym("bvsub", _left(T.BVSub), 2, None),
    _fixed("bvnand", T.BVNand, 2),
    _fixed("bvnor", T.BVNor, 2),
    _fixed("bvxnor", T.BVXnor, 2),
    _fixed("bvcomp", T.BVComp, 2),
    _fixed("bvudiv", T.BVUDiv, 2),
    _fixed("bvurem", T.BVURem, 2),
    _fixed("bvsdiv", T.BVSDiv, 2),
    _fixed("bvsrem", T.BVSRem, 2),
    _fixed("bvsmod", T.BVSMod, 2),
    _fixed("bvshl", T.BVShl, 2),
    _fixed("bvlshr", T.BVLShr, 2),
    _fixed("bvashr", T.BVAShr, 2),
    _sym("concat", _nary(T.Concat), 2, None),
    _fixed("bvult", T.BVULT, 2),
    _fixed("bvule", T.BVULE, 2),
    _fixed("bvugt", T.BVUGT, 2),
    _fixed("bvuge", T.BVUGE, 2),
    _fixed("bvslt", T.BVSLT, 2),
    _fixed("bvsle", T.BVSLE, 2),
    _fixed("bvsgt", T.BVSGT, 2),
    _fixed("bvsge", T.BVSGE, 2),
    _fixed("bv2nat", T.BV2Nat, 1),
    _sym("extract", _indexed(T.Extract), 1, 1, 2),
    _sym("zero_extend", _indexed(T.ZeroExt), 1, 1, 1),
    _sym("sign_extend", _indexed(T.SignExt), 1, 1, 1),
    _sym("rotate_left", _indexed(T.RotateLeft), 1, 1, 1),
    _sym("rotate_right", _indexed(T.RotateRight), 1, 1, 1),
    _sym("repeat", _repeat, 1, 1, 1),
    _sym("int2bv", _indexed(T.Int2BV), 1, 1, 1),
    # Ints
    _sym("+", _nary(T.Plus), 2, None),
    _sym("-", _minus, 1, None),
    _sym("*", _nary(T.Times), 2, None),
    _sym("div", _left(T.IDiv), 2, None),
    _fixed("mod", T.Mod, 2),
    _fixed("abs", T.Abs, 1),
    _sym("<=", _chain(T.LE), 2, None),
    _sym("<", _chain(T.LT), 2, None),
    _sym(">=", _chain(T.GE), 2, None),
    _sym(">", _chain(T.GT), 2, None),
    # Strings and regular languages
    _sym("str.++", _nary(T.StrConcat), 2, None),
    _fixed("str.len", T.StrLen, 1),
    _fixed("str.prefixof", T.StrPrefixOf, 2),
    _fixed("str.suffixof", T.StrSuffixOf, 2),
    _fixed("str.contains", T.StrContains, 2),
    _sym("str.<", _chain(T.StrLT), 2, None),
    _sym("str.<=", _chain(T.StrLE), 2, None),
    _fixed("str.in_re", T.StrInRe, 2),
    _fixed("str.to_re", T.StrToRe, 1),
    _sym("re.++", _nary(T.ReConcat), 2, None),
    _sym("re.union", _nary(T.ReUnion), 2, None),
    _fixed("re.*", T.ReStar, 1),
    _sym("re.+", lambda a, i: T.ReConcat(a[0], T.ReStar(a[0])), 1, 1),
    _sym("re.opt", lambda a, i: T.ReUnion(T.StrToRe(T.String("")), a[0]), 1, 1),
    _sym("re.^", lambda a, i: _re_power(a[0], i[0]), 1, 1, 1),
    _sym("re.loop", _re_loop, 1, 1, 2),
    _fixed("re.allchar", T.ReAllChar, 0),
    _fixed("re.all", T.ReAll, 0),
    _fixed("re.none", T.ReNone, 0),
    # ArraysEx
    _fixed("select", T.Select, 2),
    _fixed("store", T.Store, 3),
    # finite sets, cvc5's names
    _sym("set.insert", _set_insert, 2, None),
    _sym("set.singleton", _set_singleton, 1, 1),
    _fixed("set.union", T.SetUnion, 2),
    _fixed("set.inter", T.SetInter, 2),
    _fixed("set.minus", T.SetMinus, 2),
    _fixed("set.member", T.SetMember, 2),
    _fixed("set.subset", T.SetSubset, 2),
]

THEORY: dict[str, TheorySymbol] = {s.name: s for s in _SYMBOLS}

#: SMT-LIB symbols of theories Assay's term layer does not model: rejected as unsupported.
UNSUPPORTED = frozenset({
    "str.at", "str.substr", "str.indexof", "str.replace", "str.replace_all", "str.replace_re",
    "str.replace_re_all", "str.is_digit", "str.to_code", "str.from_code", "str.to_int",
    "str.from_int", "re.range", "re.comp", "re.diff", "re.inter", "/", "to_real", "to_int",
    "is_int", "set.complement", "set.card", "set.choose", "set.is_empty", "set.universe",
    "fp", "fp.add", "fp.eq", "seq.unit", "seq.len", "bvnego", "bvuaddo", "bvsaddo", "bvumulo",
    "bvsmulo", "ubv_to_int", "sbv_to_int", "int_to_bv",
})


def apply_theory(sym: TheorySymbol, args: Sequence[Term], indices: tuple[int, ...]) -> Term:
    """Check the argument and index counts of `sym`, then build the term."""
    n = len(args)
    if len(indices) != sym.indices:
        if sym.indices == 0:
            raise SortError(f"{sym.name} is not an indexed symbol; write ({sym.name} ...)")
        raise SortError(f"(_ {sym.name} ...) takes {sym.indices} numeral indices, "
                        f"got {len(indices)}")
    if n < sym.min_args or (sym.max_args is not None and n > sym.max_args):
        if sym.max_args == sym.min_args:
            want = f"exactly {sym.min_args}"
        elif sym.max_args is None:
            want = f"at least {sym.min_args}"
        else:
            want = f"{sym.min_args} to {sym.max_args}"
        raise SortError(f"{sym.name} takes {want} argument{'s' if want != 'exactly 1' else ''}, "
                        f"got {n}")
    return sym.build(args, indices)
