"""Word-level normalisation before bit-blasting: constant folding, AC ordering, and ring
normalisation of bvadd, bvsub, bvneg, bvmul (and bvnot, shift-left by a constant inside sums).

Arithmetic subterms of width n become polynomials over Z/2^n: a map from monomials (sorted
tuples of atom keys, with repetition) to coefficients mod 2^n; atoms are the normalised
non-arithmetic subterms. Sums and products are computed on polynomials and turned back into
terms in one canonical order, so `x*(y+z)` and `x*y + x*z` become the same term and their
equality folds to true without a circuit. An equation between arithmetic terms becomes
`p - q` compared with a constant. Products whose expansion would exceed `EXPANSION_LIMIT`
monomials stay products of atoms, so normalisation never blows up.

Everything is rebuilt through the smart constructors (`assay.core.rebuild`), which fold
constants, and the order of arguments of commutative operators follows
`assay.core.bitblast.canonical_keys`, never creation order, so the result depends on the
structure of the input alone. Iterative, memoised. Trusted by the kernel as part of the `sat`
encoding; its soundness is tested against the ground evaluator.
"""

from __future__ import annotations

from assay.core import terms as T
from assay.core.bitblast import canonical_keys
from assay.core.ops import COMMUTATIVE, Op
from assay.core.rebuild import rebuild
from assay.core.term import Term
from assay.core.walkers import postorder

__all__ = ["normalize", "Normalizer", "EXPANSION_LIMIT", "eliminate_definitions"]

EXPANSION_LIMIT = 64
ELIMINATION_ROUNDS = 8

Monomial = tuple[bytes, ...]
Poly = dict[Monomial, int]

ARITH = frozenset({Op.BVADD, Op.BVSUB, Op.BVNEG, Op.BVMUL})


def normalize(term: Term) -> Term:
    """The normal form of `term` (same value under every assignment).

    >>> from assay.core.sorts import BVSort
    >>> x, y, z = (T.Var(n, BVSort(64)) for n in "xyz")
    >>> lhs = T.BVMul(x, T.BVAdd(y, z))
    >>> normalize(T.Eq(lhs, T.BVAdd(T.BVMul(x, y), T.BVMul(z, x)))).is_true()
    True
    """
    return Normalizer().run(term)


class Normalizer:
    """One normalisation session; its memo tables are shared between calls to `run`."""

    def __init__(self) -> None:
        self.norm: dict[Term, Term] = {}
        self.poly: dict[Term, Poly] = {}
        self.atoms: dict[bytes, Term] = {}
        self.keys: dict[Term, bytes] = {}
        self.term_poly: dict[Term, Poly] = {}

    # -- polynomials ------------------------------------------------------------------------
    def _key(self, t: Term) -> bytes:
        key = self.keys.get(t)
        if key is None:
            canonical_keys(t, self.keys)
            key = self.keys[t]
        return key

    def _atom(self, t: Term) -> Poly:
        if t.op is Op.CONST:
            return {(): t.payload} if t.payload else {}
        key = self._key(t)
        self.atoms[key] = t
        return {(key,): 1}

    def _poly_of(self, t: Term) -> Poly:
        """The polynomial of an original subterm whose normal form is known."""
        p = self.poly.get(t)
        if p is not None:
            return p
        mask = (1 << t.sort.width) - 1
        if t.op is Op.BVNOT:  # ~a = -a - 1
            inner = self._poly_of(t.args[0])
            return _add(_scale(inner, mask, mask), {(): mask}, mask)
        return self._atom(self.norm[t])

    def _arith(self, t: Term) -> Poly:
        mask = (1 << t.sort.width) - 1
        args = [self._poly_of(a) for a in t.args]
        if t.op is Op.BVADD:
            out: Poly = {}
            for p in args:
                out = _add(out, p, mask)
            return out
        if t.op is Op.BVSUB:
            return _add(args[0], _scale(args[1], mask, mask), mask)
        if t.op is Op.BVNEG:
            return _scale(args[0], mask, mask)
        out = args[0]
        for p in args[1:]:
            out = self._mul(out, p, mask)
        return out

    def _mul(self, p: Poly, q: Poly, mask: int) -> Poly:
        if len(p) * len(q) > EXPANSION_LIMIT:
            width = mask.bit_length()
            p = self._atom(self._term(p, width)) if len(p) > 1 else p
            q = self._atom(self._term(q, width)) if len(q) > 1 else q
        out: Poly = {}
        for m1, c1 in p.items():
            for m2, c2 in q.items():
                m = tuple(sorted(m1 + m2))
                c = (out.get(m, 0) + c1 * c2) & mask
                if c:
                    out[m] = c
                else:
                    out.pop(m, None)
        return out

    def _term(self, p: Poly, width: int) -> Term:
        """The canonical term of a polynomial: monomials in key order, the constant last."""
        mask = (1 << width) - 1
        parts: list[Term] = []
        for mono in sorted(p):
            if not mono:
                continue
            coef = p[mono]
            product = self.atoms[mono[0]] if len(mono) == 1 else \
                T.BVMul(*[self.atoms[k] for k in mono])
            if coef == 1:
                parts.append(product)
            elif coef == mask:
                parts.append(T.BVNeg(product))
            else:
                parts.append(T.BVMul(T.BV(coef, width), product))
        if () in p or not parts:
            parts.append(T.BV(p.get((), 0), width))
        term = parts[0] if len(parts) == 1 else T.BVAdd(*parts)
        self.term_poly.setdefault(term, p)
        return term

    # -- the walk -------------------------------------------------------------------------
    def run(self, root: Term) -> Term:
        norm = self.norm
        for t in postorder(root):
            if t in norm:
                continue
            if t.op in ARITH and t.sort.is_bv:
                p = self._arith(t)
                self.poly[t] = p
                norm[t] = self._term(p, t.sort.width)
            elif t.op is Op.BVSHL and t.args[1].op is Op.CONST and t.sort.is_bv:
                width = t.sort.width
                amount = t.args[1].payload
                factor = (1 << amount) & ((1 << width) - 1) if amount < width else 0
                p = _scale(self._poly_of(t.args[0]), factor, (1 << width) - 1)
                self.poly[t] = p
                norm[t] = self._term(p, width)
            elif t.op is Op.EQ and t.args[0].sort.is_bv and \
                    any(a.op in ARITH for a in t.args):
                norm[t] = self._equation(t)
            elif t.args:
                args = [norm[a] for a in t.args]
                if t.op in COMMUTATIVE:
                    args.sort(key=self._key)
                norm[t] = rebuild(t, args)
            else:
                norm[t] = t
        return norm[root]

    def _equation(self, t: Term) -> Term:
        a, b = sorted(t.args, key=self._key)  # not creation order: the sign of p - q
        width = a.sort.width
        mask = (1 << width) - 1
        diff = _add(self._poly_of(a), _scale(self._poly_of(b), mask, mask), mask)
        if diff and set(diff) != {()} and any(
                self.atoms[k].op is Op.BVUREM for m in diff for k in m):
            expanded = self._expand_remainders(diff, mask)
            if set(expanded) <= {()}:
                return T.Bool(not expanded)
        constant = (-diff.pop((), 0)) & mask
        if not diff:
            return T.Bool(constant == 0)
        lead = diff[min(diff)]
        if (-lead) & mask < lead:  # d = k and -d = -k are one equation: pick one sign
            diff = _scale(diff, mask, mask)
            constant = (-constant) & mask
        return T.Eq(self._term(diff, width), T.BV(constant, width))

    def _expand_remainders(self, p: Poly, mask: int) -> Poly:
        """`p` with every atom `bvurem s t` replaced by `s - t * bvudiv s t`: an identity of
        SMT-LIB's semantics, including t = 0 (then bvudiv is ~0, t * ~0 = 0 and bvurem is s).
        Used only when it makes an equation collapse to a constant."""
        out: Poly = {}
        for mono, coef in p.items():
            term: Poly = {(): coef}
            for key in mono:
                atom = self.atoms[key]
                if atom.op is Op.BVUREM:
                    s, t = atom.args
                    factor = _add(self._poly_of_normal(s), _scale(self._mul(
                        self._poly_of_normal(t), self._atom(T.BVUDiv(s, t)), mask), mask, mask),
                        mask)
                else:
                    factor = {(key,): 1}
                term = self._mul(term, factor, mask)
            out = _add(out, term, mask)
        return out

    def _poly_of_normal(self, n: Term) -> Poly:
        """The polynomial of a term this normaliser produced (an atom if it is not a sum)."""
        p = self.term_poly.get(n)
        return p if p is not None else self._atom(n)


def _add(p: Poly, q: Poly, mask: int) -> Poly:
    out = dict(p)
    for m, c in q.items():
        s = (out.get(m, 0) + c) & mask
        if s:
            out[m] = s
        else:
            out.pop(m, None)
    return out


def _scale(p: Poly, factor: int, mask: int) -> Poly:
    out: Poly = {}
    for m, c in p.items():
        s = (c * factor) & mask
        if s:
            out[m] = s
    return out


# -- variable elimination -------------------------------------------------------------------

def eliminate_definitions(formula: Term) -> tuple[Term, dict[Term, Term]]:
    """Solve top-level definitions `(= v e)`, `p`, `(not p)` by substitution.

    Returns the formula with every defined variable replaced by its definition, and the map from
    eliminated variables to definitions, in elimination order: an assignment to the remaining
    variables that satisfies the result extends to the original by evaluating the definitions
    in reverse order (a later round's variables may occur in an earlier round's definitions). A
    definition is taken in conjunct order when its variable is not defined yet and would not
    depend on itself; between two variables the one with the larger canonical key is defined,
    so the result depends on the structure of `formula` only.

    >>> from assay.core.sorts import BVSort
    >>> x, y = T.Var("x", BVSort(8)), T.Var("y", BVSort(8))
    >>> reduced, defs = eliminate_definitions(T.And(T.Eq(y, T.BVAdd(x, T.BV(1, 8))),
    ...                                             T.BVULT(y, x)))
    >>> reduced, list(defs)
    ((bvult (bvadd x #x01) x), [y])
    """
    definitions: dict[Term, Term] = {}
    for _ in range(ELIMINATION_ROUNDS):  # a substitution can turn a conjunct into a definition
        formula, found = _eliminate_once(formula)
        if not found:
            break
        definitions.update(found)
    return formula, definitions


def conjuncts(formula: Term) -> list[Term]:
    """The conjuncts of `formula`, nested conjunctions flattened (iteratively, in order): the
    constructors keep `And(And(a, b), c)` nested, and `(assert (and ...))` nests too."""
    out: list[Term] = []
    stack = [formula]
    while stack:
        t = stack.pop()
        if t.op is Op.AND:
            stack.extend(reversed(t.args))
        else:
            out.append(t)
    return out


def _eliminate_once(formula: Term) -> tuple[Term, dict[Term, Term]]:
    conjuncts_ = conjuncts(formula)
    solver = Normalizer()
    defs: dict[Term, Term] = {}
    depends: dict[Term, set[Term]] = {}
    used: set[int] = set()
    for index, c in enumerate(conjuncts_):
        for var, value in _definitions(c, solver):
            if var in defs:
                continue
            free = {t for t in postorder(value) if t.op is Op.VAR}
            if _reaches(free, var, depends):
                continue
            defs[var] = value
            depends[var] = free
            used.add(index)
            break
    if not defs:
        return formula, {}
    resolved = _resolve(list(defs.values()) + conjuncts_, defs)
    rest = [resolved[c] for i, c in enumerate(conjuncts_) if i not in used]
    return T.And(*rest), {v: resolved[v] for v in defs}


def _definitions(c: Term, solver: Normalizer) -> list[tuple[Term, Term]]:
    """Ways to read conjunct `c` as `v = value`, best first (each equivalent to `c`)."""
    if c.op is Op.VAR:
        return [(c, T.TRUE)]
    if c.op is Op.NOT and c.args[0].op is Op.VAR:
        return [(c.args[0], T.FALSE)]
    if c.op is not Op.EQ:
        return []
    a, b = sorted(c.args, key=solver._key)
    found = [(v, e) for v, e in ((a, b), (b, a)) if v.op is Op.VAR]
    found.sort(key=lambda ve: solver._key(ve[0]), reverse=True)
    if a.sort.is_bv and (a.op in ARITH or b.op in ARITH):
        found.extend(_linear_solutions(a, b, solver))
    return found


def _linear_solutions(a: Term, b: Term, solver: Normalizer) -> list[tuple[Term, Term]]:
    """Solve `a = b` (over Z/2^n) for each variable with an odd coefficient, degree one, that
    occurs nowhere else: `c*v + rest = 0` gives `v = -c^-1 * rest` (odd numbers are units)."""
    width = a.sort.width
    mask = (1 << width) - 1
    solver.run(a)
    solver.run(b)
    diff = _add(solver._poly_of(a), _scale(solver._poly_of(b), mask, mask), mask)
    out: list[tuple[Term, Term]] = []
    for mono in sorted(diff):
        coef = diff[mono]
        if len(mono) != 1 or not coef & 1:
            continue
        var = solver.atoms[mono[0]]
        if var.op is not Op.VAR:
            continue
        rest = {m: c for m, c in diff.items() if m != mono}
        if any(var in set(postorder(solver.atoms[k])) for m in rest for k in m):
            continue
        factor = (-pow(coef, -1, mask + 1)) & mask
        out.append((var, solver._term(_scale(rest, factor, mask), width)))
    return out


def _reaches(start: set[Term], target: Term, depends: dict[Term, set[Term]]) -> bool:
    """Whether `target` is among `start` or the variables their definitions depend on."""
    seen: set[Term] = set()
    stack = list(start)
    while stack:
        v = stack.pop()
        if v is target:
            return True
        if v in seen:
            continue
        seen.add(v)
        stack.extend(depends.get(v, ()))
    return False


def _resolve(roots: list[Term], defs: dict[Term, Term]) -> dict[Term, Term]:
    """Substitute definitions into `roots` (and into each other) in one memoised walk; a
    defined variable's only child is its definition (acyclic by construction)."""
    memo: dict[Term, Term] = {}
    for root in roots:
        stack: list[tuple[Term, bool]] = [(root, False)]
        while stack:
            t, ready = stack.pop()
            if t in memo:
                continue
            children = (defs[t],) if t in defs else t.args
            if ready:
                if t in defs:
                    memo[t] = memo[defs[t]]
                else:
                    memo[t] = rebuild(t, [memo[a] for a in t.args]) if t.args else t
                continue
            stack.append((t, True))
            stack.extend((a, False) for a in children if a not in memo)
    return memo
