"""Benchmark: symbolic execution of the bundled AArch64 routines over core terms.

For each routine (examples/armv8), the data inputs are free symbols (message words, chaining
state, block, key or round-key bytes; pointers and lengths concrete, see
`assay.models.armv8.symexec.CALLS`), and the routine runs over terms (`symexec.run_symbolic`).
Reported per routine: instructions, symbolic instructions per second, the DAG size of the
outputs (distinct term nodes) and of the whole term table, the peak resident memory of the
process, the time to evaluate the outputs once with the ground evaluator, and the concrete
model's instructions per second on the same routine and inputs, measured in the same child
process (the peer for the ratio). Every symbolic result is checked: its evaluation at the
random input must equal the concrete run, or the row says FAIL.

Each routine runs in a fresh child process, so that the hash-consing table starts empty and the
peak memory is the routine's own. Times are CPU time (`time.process_time`), the best of
`--repeat` children: the machine is shared, wall-clock time measures the other tenants.

Usage: python bench/armv8_symbolic.py [--routines a,b] [--blocks N] [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from typing import Any

ROUTINES = ("sha256_block", "sha512_block", "aes128_encrypt", "aes128_decrypt",
            "aes128_expand_key", "ghash_gmult")


def child(name: str, blocks: int, seed: int) -> dict[str, Any]:
    from assay.core.evaluate import evaluate_many
    from assay.core.term import Term
    from assay.models.armv8 import crypto_routines as cr
    from assay.models.armv8 import symexec as sx
    from assay.models.armv8.machine import Machine

    call = sx.sha_call(32 if name == "sha256_block" else 64, blocks) \
        if name.startswith("sha") else sx.CALLS[name]()
    cr.routine_image(call.routine)  # assemble before any clock starts
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.process_time()
    run = sx.run_symbolic(call)
    sym_cpu = time.process_time() - t0
    dag, by_op = sx.dag_stats(run.outputs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    rng = random.Random(seed)
    values = {r.name: [rng.getrandbits(r.width) for _ in range(r.count)] for r in call.inputs}
    model = {v: values[r.name][i] for r in call.inputs
             for i, v in enumerate(run.inputs[r.name])}
    t0 = time.process_time()
    got = evaluate_many(run.outputs, model)
    eval_cpu = time.process_time() - t0
    expected, steps = sx.run_concrete(call, values)

    # the concrete model on the same call: the run alone, best of several
    best = float("inf")
    image = cr.routine_image(call.routine)
    for _ in range(max(3, 20_000 // max(steps, 1))):
        s = cr.new_state(image)
        for r in call.inputs:
            s.mem.write_bytes(r.address, r.pack(values[r.name]))
        for i, a in enumerate(call.args):
            s.x[i] = a
        s.sp, s.x[30], s.pc = cr.STACK_TOP, cr.SENTINEL, image.address_of(call.routine)
        t0 = time.process_time()
        Machine(s).run(max_steps=10_000_000, stop_pc=cr.SENTINEL)
        best = min(best, time.process_time() - t0)
    return {
        "routine": name, "blocks": blocks if name.startswith("sha") else 1,
        "instructions": run.steps, "symbolic_seconds": sym_cpu,
        "symbolic_ips": run.steps / sym_cpu if sym_cpu else None,
        "concrete_ips": steps / best if best else None,
        "dag_outputs": dag, "dag_by_op": dict(by_op.most_common(8)),
        "term_table": len(Term._table), "peak_rss_mb": rss / 1024,
        "run_rss_mb": (rss - base_rss) / 1024, "evaluate_seconds": eval_cpu,
        "agrees": got == expected,
    }


def run_child(name: str, blocks: int, seed: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", name, "--blocks", str(blocks),
                          "--seed", str(seed)], capture_output=True, text=True, check=False)
    if out.returncode:
        return {"routine": name, "error": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--routines", default=",".join(ROUTINES))
    ap.add_argument("--blocks", type=int, default=1, help="message blocks for the SHA routines")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.blocks, args.seed)))
        return
    rows = []
    for name in args.routines.split(","):
        runs = [run_child(name, args.blocks, args.seed) for _ in range(args.repeat)]
        ok = [r for r in runs if "error" not in r]
        rows.append(min(ok, key=lambda r: r["symbolic_seconds"]) if ok else runs[0])
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    from rich.console import Console
    from rich.table import Table
    table = Table(title="Symbolic runs over core terms (CPU time, best of "
                        f"{args.repeat}; inputs symbolic, pointers concrete)")
    for col in ("routine", "instr", "sym instr/s", "conc instr/s", "ratio", "DAG (outputs)",
                "term table", "peak RSS MB", "eval s", "check"):
        table.add_column(col, justify="left" if col == "routine" else "right")
    for r in rows:
        if "error" in r:
            table.add_row(r["routine"], *[""] * 8, f"error: {r['error']}")
            continue
        ratio = r["concrete_ips"] / r["symbolic_ips"] if r["symbolic_ips"] else 0
        table.add_row(f"{r['routine']} x{r['blocks']}", str(r["instructions"]),
                      f"{r['symbolic_ips']:,.0f}", f"{r['concrete_ips']:,.0f}", f"{ratio:,.0f}x",
                      f"{r['dag_outputs']:,}", f"{r['term_table']:,}", f"{r['peak_rss_mb']:.0f}",
                      f"{r['evaluate_seconds']:.3f}", "ok" if r["agrees"] else "FAIL")
    Console(width=max(Console().width, 130)).print(table)


if __name__ == "__main__":
    main()
