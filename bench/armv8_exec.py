"""Benchmark: concrete AArch64 execution speed of Assay's model against Unicorn, and the speed
of conformance testing.

Workload: the bundled `sha256_block` routine (examples/armv8/sha256_block.s, SHA-256
instructions) over N 64-byte blocks. Peers, measured in the same run on the same code and data:
Unicorn with a per-instruction Python hook (the usual way to trace or compare in Python), and
Unicorn native. The model's result is checked against hashlib-compatible Unicorn output.

Usage: python bench/armv8_exec.py [--blocks N] [--conform N] [--json]
"""

from __future__ import annotations

import argparse
import json
import struct
import time

from assay.models.armv8 import crypto_routines as cr
from assay.models.armv8.conform import Campaign
from assay.models.armv8.crypto_specs import SHA256_IV
from assay.models.armv8.registry import classes


def run_model(blocks: bytes) -> tuple[list[int], int, float]:
    cr.sha256_blocks(list(SHA256_IV), blocks[:64])  # assemble and warm the decode path
    start = time.perf_counter()
    state, steps = cr.sha256_blocks(list(SHA256_IV), blocks)
    return state, steps, time.perf_counter() - start


def run_unicorn(blocks: bytes, hook: bool) -> tuple[list[int], int, float]:
    from unicorn import UC_ARCH_ARM64, UC_HOOK_CODE, UC_MODE_ARM, Uc
    from unicorn import arm64_const as c
    image = cr.routine_image("sha256_block")
    uc = Uc(UC_ARCH_ARM64, UC_MODE_ARM, cpu=c.UC_CPU_ARM64_MAX)
    for seg in image.segments:
        if seg.data:
            lo = seg.address & ~0xFFF
            hi = (seg.address + len(seg.data) + 0xFFF) & ~0xFFF
            uc.mem_map(lo, hi - lo)
            uc.mem_write(seg.address, bytes(seg.data))
    uc.mem_map(cr.DATA_BASE, cr.DATA_SIZE)
    uc.mem_map(cr.STACK_TOP - cr.STACK_SIZE, cr.STACK_SIZE)
    uc.mem_write(cr.STATE_AT, struct.pack("<8I", *SHA256_IV))
    uc.mem_write(cr.INPUT_AT, blocks)
    for reg, val in ((c.UC_ARM64_REG_X0, cr.STATE_AT), (c.UC_ARM64_REG_X1, cr.INPUT_AT),
                     (c.UC_ARM64_REG_X2, len(blocks) // 64), (c.UC_ARM64_REG_SP, cr.STACK_TOP),
                     (c.UC_ARM64_REG_X30, cr.SENTINEL)):
        uc.reg_write(reg, val)
    count = [0]
    if hook:
        def on_code(uc: object, address: int, size: int, user: object) -> None:
            count[0] += 1
        uc.hook_add(UC_HOOK_CODE, on_code)
    start = time.perf_counter()
    uc.emu_start(image.address_of("sha256_block"), cr.SENTINEL)
    elapsed = time.perf_counter() - start
    state = list(struct.unpack("<8I", bytes(uc.mem_read(cr.STATE_AT, 32))))
    return state, count[0], elapsed


def conformance_rate(per_class: int) -> tuple[int, float]:
    campaign = Campaign()
    start = time.perf_counter()
    report = campaign.run(classes(), per_class, seed=1)
    elapsed = time.perf_counter() - start
    if report.mismatches:
        raise SystemExit(f"conformance mismatches during the benchmark: {report.mismatches[:2]}")
    return sum(report.tests.values()), elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--blocks", type=int, default=256, help="64-byte blocks to hash")
    ap.add_argument("--conform", type=int, default=200, help="conformance tests per class")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    data = bytes((i * 131 + 7) & 0xFF for i in range(64 * args.blocks))

    m_state, steps, m_time = run_model(data)
    h_state, h_count, h_time = run_unicorn(data, hook=True)
    n_state, _, n_time = run_unicorn(data, hook=False)
    if not (m_state == h_state == n_state):
        raise SystemExit("model and Unicorn disagree on the SHA-256 state")
    if h_count != steps:
        raise SystemExit(f"instruction counts differ: model {steps}, Unicorn {h_count}")
    tests, c_time = conformance_rate(args.conform)
    result = {
        "workload": f"sha256_block (SHA-256 instructions), {args.blocks} blocks, {steps} insns",
        "model_insn_per_s": round(steps / m_time),
        "unicorn_hook_insn_per_s": round(steps / h_time),
        "unicorn_native_insn_per_s": round(steps / n_time),
        "model_vs_unicorn_hook": round(h_time / m_time, 3),
        "model_vs_unicorn_native": round(n_time / m_time, 4),
        "conformance_tests": tests,
        "conformance_tests_per_s": round(tests / c_time),
        "classes": len(classes()),
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"workload: {result['workload']}")
    print(f"model              {result['model_insn_per_s']:>14,} instructions/s")
    print(f"unicorn + py hook  {result['unicorn_hook_insn_per_s']:>14,} instructions/s "
          f"(model is {result['model_vs_unicorn_hook']}x of it)")
    print(f"unicorn native     {result['unicorn_native_insn_per_s']:>14,} instructions/s "
          f"(model is {result['model_vs_unicorn_native']}x of it)")
    print(f"conformance        {result['conformance_tests_per_s']:>14,} tests/s "
          f"({tests} tests over {result['classes']} classes)")


if __name__ == "__main__":
    main()
