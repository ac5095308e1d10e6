"""Benchmark: concrete AArch64 execution speed of Assay's model against Unicorn, and the speed
of conformance testing.

Workloads, each over N 64-byte blocks: the bundled `sha256_block` routine
(examples/armv8/sha256_block.s, SHA-256 instructions), and an integer-only SHA-256
(bench/armv8_sha256_int.py: rotates, logic, adds, loads, stores, branches). Peers, measured in
the same run on the same code and data: Unicorn with a per-instruction Python hook (the usual
way to trace or compare in Python), and Unicorn native. Results are checked against hashlib.

Usage: python bench/armv8_exec.py [--blocks N] [--conform N] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import struct
import sys
import time
from pathlib import Path

from assay.models.armv8 import crypto_routines as cr
from assay.models.armv8.asm import assemble_lines
from assay.models.armv8.conform import Campaign
from assay.models.armv8.crypto_specs import SHA256_IV
from assay.models.armv8.loader import load_raw
from assay.models.armv8.machine import Machine
from assay.models.armv8.registry import classes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from armv8_sha256_int import source as int_sha256_source  # noqa: E402


def int_image():  # type: ignore[no-untyped-def]
    image = load_raw(assemble_lines(int_sha256_source(), cr.CODE_BASE), cr.CODE_BASE,
                     "sha256_int")
    return image


def run_model_int(blocks: bytes) -> tuple[list[int], int, float]:
    image = int_image()
    s = cr.new_state(image)
    s.mem.write_bytes(cr.STATE_AT, struct.pack("<8I", *SHA256_IV))
    s.mem.write_bytes(cr.INPUT_AT, blocks)
    s.x[0], s.x[1], s.x[2] = cr.STATE_AT, cr.INPUT_AT, len(blocks) // 64
    s.sp, s.x[30], s.pc = cr.STACK_TOP, cr.SENTINEL, cr.CODE_BASE
    start = time.perf_counter()
    err = Machine(s).run(max_steps=10**9, stop_pc=cr.SENTINEL)
    elapsed = time.perf_counter() - start
    if err is not None:
        raise SystemExit(f"integer SHA-256 stopped: {err.message}")
    return list(struct.unpack("<8I", s.mem.read_bytes(cr.STATE_AT, 32))), s.steps, elapsed


def run_model(blocks: bytes) -> tuple[list[int], int, float]:
    cr.sha256_blocks(list(SHA256_IV), blocks[:64])  # assemble and warm the decode path
    start = time.perf_counter()
    state, steps = cr.sha256_blocks(list(SHA256_IV), blocks)
    return state, steps, time.perf_counter() - start


def run_unicorn(blocks: bytes, hook: bool, image=None,  # type: ignore[no-untyped-def]
                entry: str = "sha256_block") -> tuple[list[int], int, float]:
    from unicorn import UC_ARCH_ARM64, UC_HOOK_CODE, UC_MODE_ARM, Uc
    from unicorn import arm64_const as c
    image = image or cr.routine_image("sha256_block")
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
    uc.emu_start(image.address_of(entry), cr.SENTINEL)
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
    message = bytes((i * 131 + 7) & 0xFF for i in range(64 * args.blocks - 9))
    _MESSAGE[0] = message
    data = cr.sha_pad(message, 64)

    expected = _reference_state(data)
    result: dict[str, object] = {"blocks": args.blocks}
    for label, model_run, image, entry in (
            ("sha256_block (SHA-256 instructions)", run_model, None, "sha256_block"),
            ("integer SHA-256 (no SHA instructions)", run_model_int, int_image(), "sha256_int")):
        m_state, steps, m_time = model_run(data)
        h_state, h_count, h_time = run_unicorn(data, True, image, entry)
        n_state, _, n_time = run_unicorn(data, False, image, entry)
        if not (m_state == h_state == n_state == expected):
            raise SystemExit(f"{label}: model, Unicorn and hashlib disagree")
        if h_count != steps:
            raise SystemExit(f"{label}: instruction counts differ: {steps} vs {h_count}")
        result[label] = {
            "instructions": steps,
            "model_insn_per_s": round(steps / m_time),
            "unicorn_hook_insn_per_s": round(steps / h_time),
            "unicorn_native_insn_per_s": round(steps / n_time),
            "model_vs_unicorn_hook": round(h_time / m_time, 3),
        }
    tests, c_time = conformance_rate(args.conform)
    result["conformance"] = {"tests": tests, "classes": len(classes()),
                             "tests_per_s": round(tests / c_time)}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for label, r in result.items():
        if not isinstance(r, dict) or "instructions" not in r:
            continue
        print(f"{label}: {args.blocks} blocks, {r['instructions']:,} instructions")
        print(f"  model              {r['model_insn_per_s']:>12,} instructions/s")
        print(f"  unicorn + py hook  {r['unicorn_hook_insn_per_s']:>12,} instructions/s "
              f"(model runs at {r['model_vs_unicorn_hook']}x of it)")
        print(f"  unicorn native     {r['unicorn_native_insn_per_s']:>12,} instructions/s")
    conf = result["conformance"]
    assert isinstance(conf, dict)
    print(f"conformance: {conf['tests_per_s']:,} tests/s ({conf['tests']} tests over "
          f"{conf['classes']} classes)")


def _reference_state(data: bytes) -> list[int]:
    """The expected state: `data` is one padded message, so the state after its blocks is
    hashlib's digest of that message."""
    return list(struct.unpack(">8I", hashlib.sha256(_MESSAGE[0]).digest()))


_MESSAGE: list[bytes] = [b""]


if __name__ == "__main__":
    main()
