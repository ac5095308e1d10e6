"""A shared table of example formulas with their expected satisfiability (pySMT style).

Every backend's tests run these: `status` is what any correct decision procedure must answer
for the conjunction of `assertions`. The statuses are checked against z3 on the printed SMT-LIB
text by tests/core/test_smtlib_examples.py, so the table itself is tested.
"""

from __future__ import annotations

from dataclasses import dataclass

from assay.core import terms as T
from assay.core.sorts import BOOL, INT, STRING, ArraySort, BVSort, SetSort, UninterpretedSort
from assay.core.term import Term


@dataclass(frozen=True)
class Example:
    name: str
    term: Term
    status: str        # "sat" or "unsat"
    fragment: str      # "bool", "bv", "int", "array", "uf", "string", "set"

    @property
    def assertions(self) -> list[Term]:
        return [self.term]


BV8, BV16, BV32, BV64 = BVSort(8), BVSort(16), BVSort(32), BVSort(64)
p, q, r = T.Var("p", BOOL), T.Var("q", BOOL), T.Var("r", BOOL)
ph = [[T.Var(f"pigeon{a}_hole{h}", BOOL) for h in range(2)] for a in range(3)]
x8, y8, z8 = T.Var("x8", BV8), T.Var("y8", BV8), T.Var("z8", BV8)
x16 = T.Var("x16", BV16)
x32, y32 = T.Var("x32", BV32), T.Var("y32", BV32)
x64, y64, z64 = T.Var("x64", BV64), T.Var("y64", BV64), T.Var("z64", BV64)
i, j, k = T.Var("i", INT), T.Var("j", INT), T.Var("k", INT)
s, u = T.Var("s", STRING), T.Var("u", STRING)
mem = T.Var("mem", ArraySort(BV32, BV8))
arr = T.Var("arr", ArraySort(INT, INT))
f = T.Function("f", [BV8], BV8)
g = T.Function("g", [INT, INT], INT)
U = UninterpretedSort("U")
a_u, b_u, c_u = T.Var("a_u", U), T.Var("b_u", U), T.Var("c_u", U)
h = T.Function("h", [U], U)
SetBV8 = SetSort(BV8)
A, B = T.Var("A", SetBV8), T.Var("B", SetBV8)


def _not_valid(t: Term) -> Term:
    """The negation of a claimed validity: unsat exactly when `t` is valid."""
    return T.Not(t)


def _ex(name: str, term: Term, status: str, fragment: str) -> Example:
    return Example(name, term, status, fragment)


EXAMPLES: list[Example] = [
    # Boolean
    _ex("pigeonhole-3-2", T.And(*[T.Or(ph[a][0], ph[a][1]) for a in range(3)],
                                *[T.Not(T.And(ph[a][h], ph[b][h])) for h in range(2)
                                  for a in range(3) for b in range(a + 1, 3)]),
        "unsat", "bool"),
    _ex("and-or", T.And(T.Or(p, q), T.Not(p)), "sat", "bool"),
    _ex("xor-chain", T.And(T.Xor(p, q), T.Xor(q, r), T.Xor(p, r)), "unsat", "bool"),
    _ex("ite-bool", T.Eq(T.Ite(p, q, r), T.And(T.Not(q), T.Not(r))), "sat", "bool"),
    _ex("de-morgan", _not_valid(T.Eq(T.Not(T.And(p, q)), T.Or(T.Not(p), T.Not(q)))),
        "unsat", "bool"),
    # bit-vectors
    _ex("bvadd-commutes", _not_valid(T.Eq(T.BVAdd(x32, y32), T.BVAdd(y32, x32))), "unsat", "bv"),
    _ex("distributivity-64", _not_valid(T.Eq(T.BVMul(x64, T.BVAdd(y64, z64)),
                                             T.BVAdd(T.BVMul(x64, y64), T.BVMul(x64, z64)))),
        "unsat", "bv"),
    _ex("bvudiv-by-zero", _not_valid(T.Eq(T.BVUDiv(x8, T.BV(0, 8)), T.BV(255, 8))),
        "unsat", "bv"),
    _ex("bvurem-by-zero", _not_valid(T.Eq(T.BVURem(x8, T.BV(0, 8)), x8)), "unsat", "bv"),
    _ex("overflow-exists", T.BVULT(T.BVAdd(x8, y8), x8), "sat", "bv"),
    _ex("absorption", _not_valid(T.Eq(T.BVAnd(x32, T.BVOr(x32, y32)), x32)), "unsat", "bv"),
    _ex("shift-is-mul", _not_valid(T.Eq(T.BVShl(x16, T.BV(3, 16)),
                                        T.BVMul(x16, T.BV(8, 16)))), "unsat", "bv"),
    _ex("signed-vs-unsigned", T.And(T.BVSLT(x8, y8), T.BVUGT(x8, y8)), "sat", "bv"),
    _ex("sdiv-identity", _not_valid(T.Eq(
        T.BVAdd(T.BVMul(T.BVSDiv(x8, y8), y8), T.BVSRem(x8, y8)), x8)), "unsat", "bv"),
    _ex("extract-concat", _not_valid(T.Eq(
        T.Extract(T.BVAdd(T.Concat(x8, y8), T.Concat(T.BV(0, 8), z8)), 7, 0),
        T.BVAdd(y8, z8))), "unsat", "bv"),
    _ex("sign-extend-order", _not_valid(T.Eq(T.BVSLT(x8, y8),
                                             T.BVSLT(T.SignExt(x8, 8), T.SignExt(y8, 8)))),
        "unsat", "bv"),
    _ex("rotate-inverse", _not_valid(T.Eq(T.RotateRight(T.RotateLeft(x32, 7), 7), x32)),
        "unsat", "bv"),
    _ex("square-is-two", T.Eq(T.BVMul(x8, x8), T.BV(2, 8)), "unsat", "bv"),
    _ex("square-is-nine", T.Eq(T.BVMul(x8, x8), T.BV(9, 8)), "sat", "bv"),
    _ex("neg-is-not-plus-one", _not_valid(T.Eq(T.BVNeg(x64), T.BVAdd(T.BVNot(x64),
                                                                    T.BV(1, 64)))),
        "unsat", "bv"),
    _ex("ashr-sign", T.And(T.BVSLT(x8, T.BV(0, 8)),
                           T.Eq(T.BVAShr(x8, T.BV(7, 8)), T.BV(0, 8))), "unsat", "bv"),
    _ex("smod-sign", T.And(T.BVSGT(y8, T.BV(0, 8)),
                           T.BVSLT(T.BVSMod(x8, y8), T.BV(0, 8))), "unsat", "bv"),
    _ex("bv-distinct-3", T.And(T.Distinct(x8, y8, z8), T.BVULT(x8, T.BV(2, 8)),
                               T.BVULT(y8, T.BV(2, 8)), T.BVULT(z8, T.BV(2, 8))),
        "unsat", "bv"),
    # integers
    _ex("int-order", T.And(T.LT(i, j), T.LT(j, k), T.LT(k, i)), "unsat", "int"),
    _ex("int-linear", T.And(T.Eq(T.Plus(T.Times(T.Int(3), i), T.Times(T.Int(5), j)),
                                 T.Int(7)), T.GE(i, T.Int(0)), T.GE(j, T.Int(0))),
        "unsat", "int"),
    _ex("int-linear-sat", T.And(T.Eq(T.Plus(T.Times(T.Int(3), i), T.Times(T.Int(5), j)),
                                     T.Int(8)), T.GE(i, T.Int(0))), "sat", "int"),
    _ex("int-parity", T.Eq(T.Times(T.Int(2), i), T.Plus(T.Times(T.Int(2), j), T.Int(1))),
        "unsat", "int"),
    _ex("int-mod", T.And(T.Eq(T.Mod(i, T.Int(4)), T.Int(3)), T.Eq(T.Mod(i, T.Int(2)), T.Int(0))),
        "unsat", "int"),
    _ex("int-abs", T.And(T.Eq(T.Abs(i), T.Int(5)), T.LT(i, T.Int(0))), "sat", "int"),
    # arrays
    _ex("read-over-write", T.And(T.Eq(x32, y32),
                                 T.Not(T.Eq(T.Select(T.Store(mem, x32, x8), y32), x8))),
        "unsat", "array"),
    _ex("write-other-index", T.And(T.Not(T.Eq(x32, y32)),
                                   T.Not(T.Eq(T.Select(T.Store(mem, x32, x8), y32),
                                              T.Select(mem, y32)))), "unsat", "array"),
    _ex("array-update-sat", T.And(T.Eq(T.Select(arr, i), T.Int(1)),
                                  T.Eq(T.Select(T.Store(arr, j, T.Int(2)), i), T.Int(2))),
        "sat", "array"),
    _ex("const-array", T.And(T.Eq(T.Select(T.Store(T.ConstArray(BV32, T.BV(7, 8)), y32, x8),
                                          x32), T.BV(8, 8)),
                             T.Not(T.Eq(x8, T.BV(8, 8)))), "unsat", "array"),
    # uninterpreted functions
    _ex("congruence", T.And(T.Eq(x8, y8), T.Not(T.Eq(f(x8), f(y8)))), "unsat", "uf"),
    _ex("uf-sat", T.And(T.Eq(f(x8), y8), T.Not(T.Eq(f(y8), x8))), "sat", "uf"),
    _ex("uf-int", T.And(T.Eq(g(i, j), T.Int(1)), T.Eq(g(j, i), T.Int(2)), T.Eq(i, j)),
        "unsat", "uf"),
    _ex("uninterpreted-sort", T.And(T.Eq(h(a_u), b_u), T.Eq(h(b_u), a_u),
                                    T.Not(T.Eq(h(h(a_u)), a_u))), "unsat", "uf"),
    _ex("pigeons-in-U", T.And(T.Distinct(a_u, b_u, c_u), T.Eq(h(a_u), h(b_u))), "sat", "uf"),
    # strings
    _ex("str-concat-len", _not_valid(T.Eq(T.StrLen(T.StrConcat(s, u)),
                                          T.Plus(T.StrLen(s), T.StrLen(u)))),
        "unsat", "string"),
    _ex("str-prefix", T.And(T.StrPrefixOf(T.String("ab"), s), T.Eq(T.StrLen(s), T.Int(1))),
        "unsat", "string"),
    _ex("str-regex", T.And(T.StrInRe(s, T.ReStar(T.StrToRe(T.String("ab")))),
                           T.Eq(T.StrLen(s), T.Int(4))), "sat", "string"),
    _ex("str-contains", T.And(T.StrContains(s, T.String("x")), T.Eq(s, T.String("abc"))),
        "unsat", "string"),
    # sets
    _ex("set-member-union", _not_valid(T.Implies(T.SetMember(x8, A),
                                                 T.SetMember(x8, T.SetUnion(A, B)))),
        "unsat", "set"),
    _ex("set-minus", T.And(T.SetMember(x8, T.SetMinus(A, B)), T.SetMember(x8, B)),
        "unsat", "set"),
    _ex("set-subset", T.And(T.SetSubset(A, B), T.SetMember(x8, A),
                            T.Not(T.SetMember(x8, T.SetInter(A, B)))), "unsat", "set"),
    _ex("set-insert", T.SetMember(x8, T.SetInsert(T.BV(3, 8), A)), "sat", "set"),
]

EXAMPLES_BY_NAME = {e.name: e for e in EXAMPLES}


def examples(*fragments: str) -> list[Example]:
    """The examples of the given fragments (all when none are given)."""
    return [e for e in EXAMPLES if not fragments or e.fragment in fragments]
