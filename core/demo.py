"""The prover core's section of `assay demo`: certified bit-vector proofs and a counterexample.

Proves a few bit-vector identities through the kernel (LRAT-checked when the `sat` backend is
installed), proves an integer/string fact with z3 and a second opinion from cvc5, refutes a
false claim with a concrete counterexample replayed through the ground evaluator, exports the
theorems as a proof bundle and re-checks the bundle the way `assay check` does.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from assay.core import terms as T
from assay.core.backends import sat_available
from assay.core.bundle import check_bundle, export_bundle
from assay.core.cli_check import print_report
from assay.core.evaluate import evaluate
from assay.core.kernel import Theorem
from assay.core.printer import value_to_smtlib
from assay.core.prove import prove
from assay.core.sorts import INT, STRING, BVSort


def _facts() -> list[tuple[str, T.Term]]:
    x, y, z = (T.Var(n, BVSort(64)) for n in "xyz")
    a, b = T.Var("a", BVSort(32)), T.Var("b", BVSort(32))
    return [
        ("x*(y+z) = x*y + x*z  (64-bit)",
         T.Eq(T.BVMul(x, T.BVAdd(y, z)), T.BVAdd(T.BVMul(x, y), T.BVMul(x, z)))),
        ("(a & b) + (a | b) = a + b  (32-bit)",
         T.Eq(T.BVAdd(T.BVAnd(a, b), T.BVOr(a, b)), T.BVAdd(a, b))),
        ("-x = ~x + 1  (64-bit)", T.Eq(T.BVNeg(x), T.BVAdd(T.BVNot(x), T.BV(1, 64)))),
        ("a <=s b  or  b <s a  (32-bit)", T.Or(T.BVSLE(a, b), T.BVSLT(b, a))),
    ]


def demo(console: Console, out: Path) -> bool:
    ok = True
    backend = "sat" if sat_available() else "z3"
    table = Table(title=f"bit-vector facts proved with the `{backend}` backend")
    for col in ("fact", "result", "trusts", "seconds"):
        table.add_column(col)
    theorems: list[Theorem] = []
    names: list[str] = []
    for name, goal in _facts():
        outcome = prove(goal, backend=backend, timeout=60)
        seconds = outcome.result.seconds if outcome.result else 0.0
        if outcome.theorem is None:
            ok = False
            table.add_row(name, f"[red]{outcome.status}[/] {outcome.reason}", "", "")
            continue
        theorems.append(outcome.theorem)
        names.append(name)
        table.add_row(name, "[green]proved[/]", ", ".join(sorted(outcome.theorem.trusts)),
                      f"{seconds:.3f}")
    console.print(table)

    s, i = T.Var("s", STRING), T.Var("i", INT)
    smt_goal = T.Implies(T.And(T.StrPrefixOf(T.String("ab"), s), T.Eq(T.StrLen(s), i)),
                         T.LE(T.Int(2), i))
    outcome = prove(smt_goal, backend="z3", timeout=60, second_opinions=("cvc5",))
    if outcome.theorem is None:
        ok = False
        console.print(f"[red]string fact not proved[/]: {outcome.status} {outcome.reason}")
    else:
        theorems.append(outcome.theorem)
        names.append("prefix 'ab' implies length >= 2")
        console.print(f"[green]proved[/] {smt_goal}\n  trusts: "
                      f"{', '.join(sorted(outcome.theorem.trusts))}")

    ok = _counterexample(console, backend) and ok

    folder = out / "core-bundle"
    export_bundle(theorems, folder, names)
    console.print(f"\ncertificate bundle: [bold]{folder}[/] "
                  f"({len(list(folder.iterdir()))} files); re-checking it as "
                  f"`assay check {folder}` would:")
    report = check_bundle(folder, timeout=60)
    print_report(report, console)
    return ok and report.ok


def _counterexample(console: Console, backend: str) -> bool:
    x = T.Var("x", BVSort(32))
    claim = T.BVULT(x, T.BVAdd(x, T.BV(1, 32)))
    console.print(f"\nclaim: {claim}   (x < x + 1 for every 32-bit x?)")
    outcome = prove(claim, backend=backend, timeout=60)
    if outcome.counterexample is None:
        console.print(f"[red]expected a counterexample, got {outcome.status}[/]")
        return False
    model = outcome.counterexample
    lhs, rhs = x, T.BVAdd(x, T.BV(1, 32))
    shown = ", ".join(f"{k} = {value_to_smtlib(v, k.sort)}" for k, v in model.items()
                      if isinstance(k, T.Term))
    values = [value_to_smtlib(evaluate(t, model), t.sort) for t in (lhs, rhs)]
    holds = evaluate(claim, model)
    console.print(f"[yellow]refuted[/]: {shown}; replayed through the evaluator: "
                  f"x = {values[0]}, x + 1 = {values[1]}, claim evaluates to {holds}")
    return holds is False
