"""The `z3` backend: a converter walker from Assay terms to z3 terms, and z3 models back to values.

Every operator has a `walk_<op>` handler: Booleans, bit-vectors, integers, strings and regular
expressions, arrays, finite sets (z3 sets are arrays to Bool), uninterpreted sorts and functions,
and datatypes. A `sat` answer is returned only after the ground evaluator has confirmed the model
on the original terms; a model it cannot confirm, a timeout and z3's `unknown` are all `unknown`.
An `unsat` answer carries an `SmtCertificate`: the canonical SMT-LIB query, z3's version and,
when asked, second opinions from cvc5 and bitwuzla. Trusts z3 for unsat; trusts nothing for sat.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import z3

from assay.core import terms as T  # first: terms must load before walkers (import cycle)
from assay.core.backend import Opinion, Result, SmtCertificate, Status, Stopwatch
from assay.core.errors import EvaluationError, SolverError
from assay.core.evaluate import default_value, evaluate
from assay.core.ops import Op
from assay.core.sorts import Sort, SortKind
from assay.core.term import FunctionSymbol, Term
from assay.core.values import ArrayValue, DTValue, FuncValue, UValue
from assay.core.walkers import DagWalker, postorder

__all__ = ["Z3Backend", "Z3Converter", "z3_version"]


def z3_version() -> str:
    return z3.get_version_string()


class Z3Converter(DagWalker):
    """Converts terms to z3 expressions in one z3 context (memoised per converter)."""

    def __init__(self, ctx: z3.Context | None = None) -> None:
        super().__init__()
        self.ctx = ctx or z3.Context()
        self._sorts: dict[Sort, z3.SortRef] = {}
        self._funcs: dict[FunctionSymbol, z3.FuncDeclRef] = {}

    # -- sorts ------------------------------------------------------------------------------
    def sort(self, s: Sort) -> z3.SortRef:
        found = self._sorts.get(s)
        if found is not None:
            return found
        ctx, k = self.ctx, s.kind
        if k is SortKind.BOOL:
            out: z3.SortRef = z3.BoolSort(ctx)
        elif k is SortKind.BV:
            out = z3.BitVecSort(s.width, ctx)
        elif k is SortKind.INT:
            out = z3.IntSort(ctx)
        elif k is SortKind.STRING:
            out = z3.StringSort(ctx)
        elif k is SortKind.REGLAN:
            out = z3.ReSort(z3.StringSort(ctx))
        elif k is SortKind.ARRAY:
            out = z3.ArraySort(self.sort(s.index), self.sort(s.element))
        elif k is SortKind.SET:
            out = z3.ArraySort(self.sort(s.element), z3.BoolSort(ctx))
        elif k is SortKind.UNINTERPRETED:
            out = z3.DeclareSort(s.name, ctx)
        elif k is SortKind.DATATYPE:
            dt = z3.Datatype(s.name, ctx)
            for cname, fields in s.constructors:
                dt.declare(cname, *[(fn, self.sort(fs)) for fn, fs in fields])
            out = dt.create()
        else:  # pragma: no cover - the sort kinds are closed
            raise SolverError(f"z3 backend: no z3 sort for {s}")
        self._sorts[s] = out
        return out

    def close(self) -> None:
        """Release every z3 object this converter holds, while its context is still alive.

        z3 frees a context that still has live expressions in time quadratic in their depth,
        so a converter must be closed before its context is dropped."""
        self.memo.clear()
        self._handlers.clear()
        self._sorts.clear()
        self._funcs.clear()

    def _datatype(self, s: Sort) -> z3.DatatypeSortRef:
        return self.sort(s)  # type: ignore[return-value]

    def _constructor(self, s: Sort, name: str) -> z3.FuncDeclRef:
        dt = self._datatype(s)
        idx = [c for c, _ in s.constructors].index(name)
        return dt.constructor(idx)

    def func(self, f: FunctionSymbol) -> z3.FuncDeclRef:
        found = self._funcs.get(f)
        if found is None:
            found = z3.Function(f.name, *[self.sort(d) for d in f.domain], self.sort(f.range))
            self._funcs[f] = found
        return found

    # -- leaves -----------------------------------------------------------------------------
    def walk_var(self, t: Term, args: list[Any]) -> Any:
        return z3.Const(t.payload, self.sort(t.sort))

    def walk_const(self, t: Term, args: list[Any]) -> Any:
        k, v, ctx = t.sort.kind, t.payload, self.ctx
        if k is SortKind.BOOL:
            return z3.BoolVal(v, ctx)
        if k is SortKind.BV:
            return z3.BitVecVal(v, t.sort.width, ctx)
        if k is SortKind.INT:
            return z3.IntVal(v, ctx)
        if k is SortKind.STRING:
            return _string_val(v, ctx)
        raise SolverError(f"z3 backend: no literal of sort {t.sort}")

    # -- Boolean ----------------------------------------------------------------------------
    def walk_not(self, t: Term, a: list[Any]) -> Any:
        return z3.Not(a[0])

    def walk_and(self, t: Term, a: list[Any]) -> Any:
        return z3.And(*a)

    def walk_or(self, t: Term, a: list[Any]) -> Any:
        return z3.Or(*a)

    def walk_xor(self, t: Term, a: list[Any]) -> Any:
        acc = a[0]
        for x in a[1:]:
            acc = z3.Xor(acc, x)
        return acc

    def walk_ite(self, t: Term, a: list[Any]) -> Any:
        return z3.If(a[0], a[1], a[2])

    def walk_eq(self, t: Term, a: list[Any]) -> Any:
        return a[0] == a[1]

    # -- bit-vectors ------------------------------------------------------------------------
    def walk_bvnot(self, t: Term, a: list[Any]) -> Any:
        return ~a[0]

    def walk_bvneg(self, t: Term, a: list[Any]) -> Any:
        return -a[0]

    def walk_bvand(self, t: Term, a: list[Any]) -> Any:
        return _fold(a, lambda x, y: x & y)

    def walk_bvor(self, t: Term, a: list[Any]) -> Any:
        return _fold(a, lambda x, y: x | y)

    def walk_bvxor(self, t: Term, a: list[Any]) -> Any:
        return _fold(a, lambda x, y: x ^ y)

    def walk_bvadd(self, t: Term, a: list[Any]) -> Any:
        return _fold(a, lambda x, y: x + y)

    def walk_bvmul(self, t: Term, a: list[Any]) -> Any:
        return _fold(a, lambda x, y: x * y)

    def walk_bvsub(self, t: Term, a: list[Any]) -> Any:
        return a[0] - a[1]

    def walk_bvudiv(self, t: Term, a: list[Any]) -> Any:
        return z3.UDiv(a[0], a[1])

    def walk_bvurem(self, t: Term, a: list[Any]) -> Any:
        return z3.URem(a[0], a[1])

    def walk_bvsdiv(self, t: Term, a: list[Any]) -> Any:
        return a[0] / a[1]

    def walk_bvsrem(self, t: Term, a: list[Any]) -> Any:
        return z3.SRem(a[0], a[1])

    def walk_bvsmod(self, t: Term, a: list[Any]) -> Any:
        return a[0] % a[1]

    def walk_bvshl(self, t: Term, a: list[Any]) -> Any:
        return a[0] << a[1]

    def walk_bvlshr(self, t: Term, a: list[Any]) -> Any:
        return z3.LShR(a[0], a[1])

    def walk_bvashr(self, t: Term, a: list[Any]) -> Any:
        return a[0] >> a[1]

    def walk_concat(self, t: Term, a: list[Any]) -> Any:
        return z3.Concat(*a)

    def walk_extract(self, t: Term, a: list[Any]) -> Any:
        return z3.Extract(t.payload[0], t.payload[1], a[0])

    def walk_zero_extend(self, t: Term, a: list[Any]) -> Any:
        return z3.ZeroExt(t.payload[0], a[0])

    def walk_sign_extend(self, t: Term, a: list[Any]) -> Any:
        return z3.SignExt(t.payload[0], a[0])

    def walk_rotate_left(self, t: Term, a: list[Any]) -> Any:
        return z3.RotateLeft(a[0], t.payload[0])

    def walk_rotate_right(self, t: Term, a: list[Any]) -> Any:
        return z3.RotateRight(a[0], t.payload[0])

    def walk_bvult(self, t: Term, a: list[Any]) -> Any:
        return z3.ULT(a[0], a[1])

    def walk_bvule(self, t: Term, a: list[Any]) -> Any:
        return z3.ULE(a[0], a[1])

    def walk_bvslt(self, t: Term, a: list[Any]) -> Any:
        return a[0] < a[1]

    def walk_bvsle(self, t: Term, a: list[Any]) -> Any:
        return a[0] <= a[1]

    def walk_bv2nat(self, t: Term, a: list[Any]) -> Any:
        return z3.BV2Int(a[0], is_signed=False)

    def walk_int2bv(self, t: Term, a: list[Any]) -> Any:
        return z3.Int2BV(a[0], t.payload[0])

    # -- integers ---------------------------------------------------------------------------
    def walk_add(self, t: Term, a: list[Any]) -> Any:
        return z3.Sum(*a)

    def walk_sub(self, t: Term, a: list[Any]) -> Any:
        return a[0] - a[1]

    def walk_mul(self, t: Term, a: list[Any]) -> Any:
        return z3.Product(*a)

    def walk_neg(self, t: Term, a: list[Any]) -> Any:
        return -a[0]

    def walk_idiv(self, t: Term, a: list[Any]) -> Any:
        return a[0] / a[1]  # z3's integer `/` is SMT-LIB `div`

    def walk_mod(self, t: Term, a: list[Any]) -> Any:
        return a[0] % a[1]

    def walk_abs(self, t: Term, a: list[Any]) -> Any:
        return z3.If(a[0] >= 0, a[0], -a[0])

    def walk_le(self, t: Term, a: list[Any]) -> Any:
        return a[0] <= a[1]

    def walk_lt(self, t: Term, a: list[Any]) -> Any:
        return a[0] < a[1]

    # -- strings and regular languages ------------------------------------------------------
    def walk_str_concat(self, t: Term, a: list[Any]) -> Any:
        return z3.Concat(*a)

    def walk_str_len(self, t: Term, a: list[Any]) -> Any:
        return z3.Length(a[0])

    def walk_str_prefixof(self, t: Term, a: list[Any]) -> Any:
        return z3.PrefixOf(a[0], a[1])

    def walk_str_suffixof(self, t: Term, a: list[Any]) -> Any:
        return z3.SuffixOf(a[0], a[1])

    def walk_str_contains(self, t: Term, a: list[Any]) -> Any:
        return z3.Contains(a[0], a[1])

    def walk_str_lt(self, t: Term, a: list[Any]) -> Any:
        return a[0] < a[1]

    def walk_str_le(self, t: Term, a: list[Any]) -> Any:
        return a[0] <= a[1]

    def walk_str_in_re(self, t: Term, a: list[Any]) -> Any:
        return z3.InRe(a[0], a[1])

    def walk_str_to_re(self, t: Term, a: list[Any]) -> Any:
        return z3.Re(a[0])

    def walk_re_concat(self, t: Term, a: list[Any]) -> Any:
        return z3.Concat(*a)

    def walk_re_union(self, t: Term, a: list[Any]) -> Any:
        return z3.Union(*a)

    def walk_re_star(self, t: Term, a: list[Any]) -> Any:
        return z3.Star(a[0])

    def walk_re_allchar(self, t: Term, a: list[Any]) -> Any:
        return z3.AllChar(self.sort(t.sort))

    def walk_re_all(self, t: Term, a: list[Any]) -> Any:
        return z3.Full(self.sort(t.sort))

    def walk_re_none(self, t: Term, a: list[Any]) -> Any:
        return z3.Empty(self.sort(t.sort))

    # -- arrays and sets --------------------------------------------------------------------
    def walk_select(self, t: Term, a: list[Any]) -> Any:
        return z3.Select(a[0], a[1])

    def walk_store(self, t: Term, a: list[Any]) -> Any:
        return z3.Store(a[0], a[1], a[2])

    def walk_const_array(self, t: Term, a: list[Any]) -> Any:
        return z3.K(self.sort(t.sort.index), a[0])

    def walk_set_empty(self, t: Term, a: list[Any]) -> Any:
        return z3.EmptySet(self.sort(t.sort.element))

    def walk_set_insert(self, t: Term, a: list[Any]) -> Any:
        return z3.SetAdd(a[1], a[0])

    def walk_set_union(self, t: Term, a: list[Any]) -> Any:
        return z3.SetUnion(a[0], a[1])

    def walk_set_inter(self, t: Term, a: list[Any]) -> Any:
        return z3.SetIntersect(a[0], a[1])

    def walk_set_minus(self, t: Term, a: list[Any]) -> Any:
        return z3.SetDifference(a[0], a[1])

    def walk_set_member(self, t: Term, a: list[Any]) -> Any:
        return z3.IsMember(a[0], a[1])

    def walk_set_subset(self, t: Term, a: list[Any]) -> Any:
        return z3.IsSubset(a[0], a[1])

    # -- uninterpreted functions and datatypes ----------------------------------------------
    def walk_apply(self, t: Term, a: list[Any]) -> Any:
        return self.func(t.payload)(*a)

    def walk_dt_cons(self, t: Term, a: list[Any]) -> Any:
        return self._constructor(t.sort, t.payload)(*a)

    def walk_dt_select(self, t: Term, a: list[Any]) -> Any:
        s = t.args[0].sort
        cname, pos, _ = s.accessor(t.payload)
        idx = [c for c, _ in s.constructors].index(cname)
        return self._datatype(s).accessor(idx, pos)(a[0])

    def walk_dt_test(self, t: Term, a: list[Any]) -> Any:
        s = t.args[0].sort
        idx = [c for c, _ in s.constructors].index(t.payload)
        return self._datatype(s).recognizer(idx)(a[0])


def _fold(args: list[Any], f: Any) -> Any:
    acc = args[0]
    for x in args[1:]:
        acc = f(acc, x)
    return acc


def _string_val(s: str, ctx: z3.Context) -> z3.SeqRef:
    # z3.StringVal reads escape sequences; spell every character out so the literal is exact.
    if all(0x20 <= ord(c) < 0x7F and c != "\\" for c in s):
        return z3.StringVal(s, ctx)
    parts = [z3.StringVal(c, ctx) if 0x20 <= ord(c) < 0x7F and c != "\\"
             else z3.Unit(z3.CharVal(ord(c), ctx)) for c in s]
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


# -- models ---------------------------------------------------------------------------------

class CoFiniteSet(SolverError):
    """z3 chose a set with infinitely many members, which no Assay value can represent."""


class _ModelReader:
    """Reads z3 model values back as Assay values (iteratively over store chains)."""

    def __init__(self, conv: Z3Converter, model: z3.ModelRef) -> None:
        self.conv, self.model = conv, model
        self._universe: dict[Sort, list[Any]] = {}

    def value(self, expr: Any, sort: Sort) -> Any:
        v = self.model.eval(expr, model_completion=True)
        return self.literal(v, sort)

    def literal(self, v: Any, sort: Sort) -> Any:
        k = sort.kind
        if k is SortKind.BOOL:
            if z3.is_true(v):
                return True
            if z3.is_false(v):
                return False
        elif k is SortKind.BV and z3.is_bv_value(v):
            return v.as_long()
        elif k is SortKind.INT and z3.is_int_value(v):
            return v.as_long()
        elif k is SortKind.STRING and z3.is_string_value(v):
            return _decode_string(v)
        elif k is SortKind.ARRAY:
            default, entries = self._array(v, sort.index, sort.element)
            return ArrayValue.make(default, entries)
        elif k is SortKind.SET:
            default, entries = self._array(v, sort.element, T.BOOL)
            if default is not False:
                raise CoFiniteSet(f"z3 returned a co-finite set {v}; Assay sets are finite")
            return frozenset(e for e, inside in entries.items() if inside)
        elif k is SortKind.UNINTERPRETED:
            universe = self._universe.get(sort)
            if universe is None:
                universe = list(self.model.get_universe(self.conv.sort(sort)) or [])
                self._universe[sort] = universe
            for i, u in enumerate(universe):
                if u.eq(v):
                    return UValue(sort.name, i)
        elif k is SortKind.DATATYPE and z3.is_app(v):
            name = v.decl().name()
            for cname, fields in sort.constructors:
                if cname == name:
                    return DTValue(cname, tuple(self.literal(v.arg(i), fs)
                                                for i, (_, fs) in enumerate(fields)))
        raise SolverError(f"cannot read the z3 value {v} as a value of sort {sort}")

    def _array(self, v: Any, index: Sort, element: Sort) -> tuple[Any, dict[Any, Any]]:
        stores: list[tuple[Any, Any]] = []
        while True:
            if z3.is_app_of(v, z3.Z3_OP_STORE):
                stores.append((v.arg(1), v.arg(2)))
                v = v.arg(0)
            elif z3.is_app_of(v, z3.Z3_OP_CONST_ARRAY):
                default = self.literal(v.arg(0), element)
                break
            elif z3.is_as_array(v):
                interp = self.model[z3.get_as_array_func(v)]
                for entry in interp.as_list()[:-1]:
                    stores.append((entry[0], entry[1]))
                default = self.literal(interp.else_value(), element)
                stores.reverse()  # function entries: the first one wins
                break
            else:
                raise SolverError(f"cannot read the z3 array value {v}")
        entries: dict[Any, Any] = {}
        for i, e in reversed(stores):  # innermost store first, outer stores overwrite
            entries[self.literal(i, index)] = self.literal(e, element)
        return default, entries


def _decode_string(v: Any) -> str:
    text = v.as_string()
    if "\\u" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("\\u{", i):
            end = text.index("}", i)
            out.append(chr(int(text[i + 3:end], 16)))
            i = end + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def read_model(conv: Z3Converter, model: z3.ModelRef, roots: Sequence[Term]) -> dict[Any, Any]:
    """Values for the free variables and function symbols of `roots` under a z3 model."""
    reader = _ModelReader(conv, model)
    out: dict[Any, Any] = {}
    points: dict[FunctionSymbol, dict[tuple[Any, ...], Any]] = {}
    for t in postorder(*roots):
        if t.op is Op.VAR:
            out[t] = reader.value(conv.walk(t), t.sort)
        elif t.op is Op.APPLY:
            f: FunctionSymbol = t.payload
            key = tuple(reader.value(conv.walk(a), a.sort) for a in t.args)
            points.setdefault(f, {})[key] = reader.value(conv.walk(t), f.range)
    for f, table in points.items():
        out[f] = FuncValue.make(_function_default(reader, conv, f), table)
    return out


def _finite_sets(conv: Z3Converter, goal: Term) -> list[Any]:
    """Constraints that bound every set variable by the element terms of its sort in `goal`
    plus fresh witnesses, one per set (dis)equality or subset atom: for quantifier-free set
    formulas that is enough room for a finite model whenever there is one."""
    nodes = list(postorder(goal))
    out = []
    bounds: dict[Sort, Any] = {}
    for t in nodes:
        if t.op is not Op.VAR or t.sort.kind is not SortKind.SET:
            continue
        elem = t.sort.element
        if elem not in bounds:
            bound = z3.EmptySet(conv.sort(elem))
            for e in nodes:
                if e.sort is elem:
                    bound = z3.SetAdd(bound, conv.walk(e))
            atoms = sum(1 for a in nodes if a.op in (Op.EQ, Op.SET_SUBSET)
                        and a.args[0].sort is t.sort)
            for n in range(atoms + 1):
                bound = z3.SetAdd(bound, z3.Const(f"assay!witness!{elem}!{n}", conv.sort(elem)))
            bounds[elem] = bound
        out.append(z3.IsSubset(conv.walk(t), bounds[elem]))
    return out


def _function_default(reader: _ModelReader, conv: Z3Converter, f: FunctionSymbol) -> Any:
    interp = reader.model[conv.func(f)] if conv.func(f) in reader.model else None
    if interp is not None:
        try:
            return reader.literal(interp.else_value(), f.range)
        except (SolverError, z3.Z3Exception):
            pass
    return default_value(f.range)


# -- the backend ----------------------------------------------------------------------------

class Z3Backend:
    """z3 behind the `Backend` interface. `second_opinions` names solvers ("cvc5", "bitwuzla")
    asked to re-decide every unsat query; their answers are recorded in the certificate."""

    name = "z3"

    def __init__(self, second_opinions: Sequence[str] = ()) -> None:
        self.second_opinions = tuple(second_opinions)
        self._ctx: z3.Context | None = None

    def interrupt(self) -> None:
        """Ask a running `check` (from another thread) to stop; it then answers unknown."""
        if self._ctx is not None:
            self._ctx.interrupt()

    def check(self, assertions: Sequence[Term], *, timeout: float | None = None,
              certify_dir: Path | None = None) -> Result:
        with Stopwatch() as watch:
            result = self._check(list(assertions), timeout, certify_dir)
        result.seconds = watch.seconds
        return result

    def _check(self, assertions: list[Term], timeout: float | None,
               certify_dir: Path | None) -> Result:
        goal = T.And(*assertions)
        if goal.is_false():
            return self._unsat(goal, 0.0, timeout, certify_dir)
        self._ctx = ctx = z3.Context()
        conv = Z3Converter(ctx)
        try:
            return self._solve(goal, conv, timeout, certify_dir)
        finally:
            conv.close()
            self._ctx = None

    def _solve(self, goal: Term, conv: Z3Converter, timeout: float | None,
               certify_dir: Path | None) -> Result:
        solver = z3.Solver(ctx=conv.ctx)
        if timeout is not None:
            solver.set("timeout", max(1, int(timeout * 1000)))
        solver.add(conv.walk(goal))
        with Stopwatch() as watch:
            answer = solver.check()
        if answer == z3.unsat:
            return self._unsat(goal, watch.seconds, timeout, certify_dir)
        if answer == z3.sat:
            try:
                try:
                    model = read_model(conv, solver.model(), [goal])
                except CoFiniteSet:
                    # Look for a model whose sets hold only elements the goal mentions.
                    solver.add(*_finite_sets(conv, goal))
                    if solver.check() != z3.sat:
                        return Result(Status.UNKNOWN, self.name,
                                      reason="z3 found only models with infinite sets")
                    model = read_model(conv, solver.model(), [goal])
                confirmed = evaluate(goal, model, complete=True) is True
            except (SolverError, EvaluationError, z3.Z3Exception) as exc:
                return Result(Status.UNKNOWN, self.name, reason=f"model not readable: {exc}")
            if not confirmed:
                return Result(Status.UNKNOWN, self.name,
                              reason="z3's model was not confirmed by the ground evaluator")
            return Result(Status.SAT, self.name, model=model,
                          stats={"solve_seconds": watch.seconds})
        return Result(Status.UNKNOWN, self.name, reason=solver.reason_unknown() or "unknown",
                      stats={"solve_seconds": watch.seconds})

    def _unsat(self, goal: Term, seconds: float, timeout: float | None,
               certify_dir: Path | None) -> Result:
        from assay.core.backend_smtcli import second_opinion
        from assay.core.query import query_text
        text = query_text([goal])
        primary = Opinion("z3", z3_version(), "unsat", seconds)
        others = tuple(second_opinion(name, text, timeout=timeout)
                       for name in self.second_opinions)
        cert = SmtCertificate(text, primary, others)
        if certify_dir is not None:
            certify_dir.mkdir(parents=True, exist_ok=True)
            (certify_dir / "query.smt2").write_text(text)
        return Result(Status.UNSAT, self.name, certificate=cert,
                      stats={"solve_seconds": seconds})
