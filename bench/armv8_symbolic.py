"""Benchmark: symbolic execution of the bundled AArch64 routines over core terms.

For each routine (examples/armv8), the data inputs are free symbols (message words, chaining
state, block, key or round-key bytes; pointers and lengths concrete, see
`assay.models.armv8.symexec.CALLS`), and the routine runs over terms (`symexec.run_symbolic`).
Reported per routine: instructions, symbolic instructions per second, the DAG size of the
outputs (distinct term nodes) and of the whole term table, the and-inverter graph the `sat`
backend's bit-blaster makes of the outputs (AND gates), the peak resident memory of the
process, the time to evaluate the outputs once with the ground evaluator, and the concrete
model's instructions per second on the same routine and inputs, measured in the same child
process (the peer for the ratio). Every symbolic result is checked: its evaluation at the
random input must equal the concrete run, or the row says FAIL.

Each routine runs in a fresh child process, so that the hash-consing table starts empty and the
peak memory is the routine's own. Times are CPU time (`time.process_time`), the best of
`--repeat` children: the machine is shared, wall-clock time measures the other tenants.

`--spec` runs the experiment the program proofs need instead: are the sha256_block outputs the
very terms (hash-consed, so identity) that FIPS 180-4's compression function
(`crypto_specs.sha256_compress`) gives over the same variables? Counted per group of four
rounds (the state after each SHA256H2 against the specification cut after as many rounds),
raw and after the `sat` backend's word-level normaliser (one `Normalizer` session), for the
model as it is and with the Arm ARM's literal SHA256hash loop (SHAchoose, SHAmajority,
T1 = h + Sigma1(e) + Ch + W) substituted for the run; and the AES and GHASH routines' output
bytes against FIPS-197's and SP 800-38D's (`crypto_specs`), raw and in the bit-level algebraic
normal form of `assay.models.armv8.gf2_normal`.

Usage: python bench/armv8_symbolic.py [--routines a,b] [--blocks N] [--repeat N] [--spec] [--json]
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

    from assay.core.bitblast import BitBlaster
    t0 = time.process_time()
    blaster = BitBlaster()
    for t in run.outputs:
        blaster.blast(t)
    blast_cpu, gates = time.process_time() - t0, blaster.aig.num_ands

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
    for _ in range(max(3, 20_000 // max(steps, 1))):
        s = sx.concrete_call_state(call, values)
        t0 = time.process_time()
        Machine(s).run(max_steps=10_000_000, stop_pc=cr.SENTINEL)
        best = min(best, time.process_time() - t0)
    return {
        "routine": name, "blocks": blocks if name.startswith("sha") else 1,
        "instructions": run.steps, "symbolic_seconds": sym_cpu,
        "symbolic_ips": run.steps / sym_cpu if sym_cpu else None,
        "concrete_ips": steps / best if best else None,
        "dag_outputs": dag, "dag_by_op": dict(by_op.most_common(8)),
        "term_table": len(Term._table), "aig_gates": gates, "bitblast_seconds": blast_cpu, "peak_rss_mb": rss / 1024,
        "run_rss_mb": (rss - base_rss) / 1024, "evaluate_seconds": eval_cpu,
        "agrees": got == expected,
    }


def spec_gap(literal: bool) -> dict[str, Any]:
    """Identical words between the symbolic sha256_block run and the specification."""
    from assay.core.normalize import Normalizer
    from assay.models.armv8 import crypto_functions as cf
    from assay.models.armv8 import crypto_routines as cr
    from assay.models.armv8 import crypto_specs as cs
    from assay.models.armv8 import isa_crypto_sha as sha
    from assay.models.armv8 import symexec as sx
    from assay.models.armv8.bv_terms import TERMS as o
    from assay.models.armv8.machine import Machine
    from assay.models.armv8.registry import decode

    call = sx.sha_call(32)
    s, inputs = sx.symbolic_call_state(call)
    hv, wv = inputs["h"], inputs["w"]
    saved, machine, groups = sha.SHA256hash, Machine(s, o), []
    if literal:
        sha.SHA256hash = sx.literal_sha256hash
    try:
        while s.pc != cr.SENTINEL:
            e, _ = decode(s.mem.read(s.pc, 4), s.pc)
            if machine.run(max_steps=1) is not None:
                raise RuntimeError(str(s.error))
            if e.mnemonic.upper() == "SHA256H2":  # the state after four more rounds, fed forward
                words = cf.lanes(o, s.v[0], 32, 4) + cf.lanes(o, s.v[1], 32, 4)
                groups.append([o.bvadd(x, y, 32) for x, y in zip(hv, words)])
    finally:
        sha.SHA256hash = saved
    spec = [cs._compress(o, hv, wv, cs.SHA256_K[:4 * (r + 1)], cs._SHA256_ROT, 32)
            for r in range(len(groups))]
    raw = [sum(x is y for x, y in zip(g, sp)) for g, sp in zip(groups, spec)]
    t0 = time.process_time()
    norm = Normalizer()
    same = [sum(norm.run(x) is norm.run(y) for x, y in zip(g, sp))
            for g, sp in zip(groups, spec)]
    return {"variant": "Arm ARM literal SHA256hash" if literal else "model as is",
            "identical_raw_per_group": raw, "identical_normalised_per_group": same,
            "normalise_seconds": time.process_time() - t0}


def aes_gap(name: str) -> dict[str, Any]:
    """Identical output bytes between an AES/GHASH routine run over terms and its
    specification's."""
    from assay.models.armv8 import crypto_specs as cs
    from assay.models.armv8 import symexec as sx
    from assay.models.armv8.bv_terms import TERMS
    from assay.models.armv8.gf2_normal import Gf2Normal

    run = sx.run_symbolic(sx.CALLS[name]())
    if name == "ghash_gmult":
        from assay.core.terms import Concat, Extract
        y = cs.ghash_mult(TERMS, Concat(*run.inputs["x"]), Concat(*run.inputs["H"]))
        spec = [Extract(y, 127 - 8 * i, 120 - 8 * i) for i in range(16)]
    elif name == "aes128_expand_key":
        spec = [b for rk in cs.aes128_expand_key(TERMS, run.inputs["key"]) for b in rk]
    else:
        k = run.inputs["k"]
        keys = [k[16 * r:16 * r + 16] for r in range(11)]
        block = cs.aes128_encrypt_block if name == "aes128_encrypt" else cs.aes128_decrypt_block
        spec = block(TERMS, run.inputs["p"], keys)
    t0 = time.process_time()
    norm = Gf2Normal()
    ours, theirs = norm.run(*run.outputs), norm.run(*spec)
    return {"variant": name, "bytes": len(spec),
            "identical_raw": sum(a is b for a, b in zip(run.outputs, spec)),
            "identical_gf2_normal": sum(a == b for a, b in zip(ours, theirs)),
            "normalise_seconds": time.process_time() - t0, "atoms": len(norm.atoms)}


def sha_both_gap(width: int) -> dict[str, Any]:
    """The model's sha256_block/sha512_block against FIPS 180-4 after the ring normaliser
    (sums) and then the algebraic normal form (the majority function)."""
    from assay.core.normalize import Normalizer
    from assay.models.armv8 import crypto_specs as cs
    from assay.models.armv8 import symexec as sx
    from assay.models.armv8.bv_terms import TERMS
    from assay.models.armv8.gf2_normal import Gf2Normal

    run = sx.run_symbolic(sx.sha_call(width))
    compress = cs.sha256_compress if width == 32 else cs.sha512_compress
    spec = compress(TERMS, run.inputs["h"], run.inputs["w"])
    t0 = time.process_time()
    ring = Normalizer()
    ours, theirs = [ring.run(t) for t in run.outputs], [ring.run(t) for t in spec]
    ring_same = sum(a is b for a, b in zip(ours, theirs))
    norm = Gf2Normal()
    fa, fb = norm.run(*ours), norm.run(*theirs)
    return {"variant": f"sha{8 * width}_block, ring normaliser then algebraic normal form",
            "bytes": 8, "identical_raw": sum(a is b for a, b in zip(run.outputs, spec)),
            "identical_ring": ring_same, "identical_gf2_normal": sum(a == b for a, b in zip(fa, fb)),
            "normalise_seconds": time.process_time() - t0, "atoms": len(norm.atoms)}


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
    ap.add_argument("--spec", action="store_true",
                    help="compare the sha256_block terms with the specification's")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.spec:
        gaps = [spec_gap(False), spec_gap(True)]
        aes = [aes_gap(n) for n in ("ghash_gmult", "aes128_expand_key", "aes128_encrypt",
                                    "aes128_decrypt")] + [sha_both_gap(32), sha_both_gap(64)]
        if args.json:
            print(json.dumps(gaps + aes, indent=1))
            return
        for g in gaps:
            print(f"sha256_block, {g['variant']}: identical words of 8 per 4-round group, raw "
                  f"{g['identical_raw_per_group']}, normalised "
                  f"{g['identical_normalised_per_group']} ({g['normalise_seconds']:.1f} s)")
        for g in aes:
            unit = "words" if "sha" in g["variant"] else "bytes"
            print(f"{g['variant']}: identical output {unit} raw {g['identical_raw']}/{g['bytes']}, "
                  f"in algebraic normal form {g['identical_gf2_normal']}/{g['bytes']} "
                  f"({g['normalise_seconds']:.1f} s, {g['atoms']:,} atoms)")
        return
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
                "AIG gates", "term table", "peak RSS MB", "eval s", "check"):
        table.add_column(col, justify="left" if col == "routine" else "right")
    for r in rows:
        if "error" in r:
            table.add_row(r["routine"], *[""] * 9, f"error: {r['error']}")
            continue
        ratio = r["concrete_ips"] / r["symbolic_ips"] if r["symbolic_ips"] else 0
        table.add_row(f"{r['routine']} x{r['blocks']}", str(r["instructions"]),
                      f"{r['symbolic_ips']:,.0f}", f"{r['concrete_ips']:,.0f}", f"{ratio:,.0f}x",
                      f"{r['dag_outputs']:,}", f"{r['aig_gates']:,}", f"{r['term_table']:,}",
                      f"{r['peak_rss_mb']:.0f}",
                      f"{r['evaluate_seconds']:.3f}", "ok" if r["agrees"] else "FAIL")
    Console(width=max(Console().width, 130)).print(table)


if __name__ == "__main__":
    main()
