"""mlkem-native's AArch64 assembly (ML-KEM arithmetic, Keccak) assembled by Assay and run in the model.

Give it a checkout of https://github.com/pq-code-package/mlkem-native (the directory holding
`mlkem/src/native/aarch64/src/*.S`). For every AArch64 arithmetic and Keccak file: the C
preprocessor (clang from the ziglang package) makes plain assembly; Assay's assembler and clang
assemble it, and the two objects must have the same section bytes, symbols and relocations. The constant
tables (twiddle factors, the rejection-sampling table, Keccak's round constants) come from
clang's objects of the C files `aarch64_zetas.c`, `rej_uniform_table.c` and
`keccakf1600_round_constants.c`. Then each function runs in the model from Assay's
object on random inputs, and its output is compared with a Python reference of ML-KEM's
arithmetic modulo q = 3329 (FIPS 203), under the conventions of mlkem-native's C reference code
(mlkem/src/poly.c, poly_k.c) and its contracts (arith_native_aarch64.h):
- ntt: the FIPS 203 NTT (Algorithm 9, output in bit-reversed order), congruent mod q, with
  |output| < 23595;
- intt: the FIPS 203 inverse NTT (Algorithm 10) times the Montgomery factor 2^16, |out| < 26625;
- poly_reduce: the canonical representative in [0, q);
- poly_tomont: input times 2^16 mod q, |output| < q;
- poly_mulcache_compute: cache[i] = b[2i+1] * zeta^(2 brv7(i) + 1), |cache| < q;
- polyvec_basemul_acc_montgomery_cached_k2/3/4: the sum over the vector of the products in
  Z_q[X]/(X^2 - zeta^(2 brv7(i) + 1)) of coefficient pairs, times 2^-16 (Montgomery);
- poly_tobytes: FIPS 203 ByteEncode_12;
- rej_uniform: SampleNTT's rejection step (12-bit candidates below q, at most 256);
- keccak_f1600_x1/x2/x4 (scalar, FEAT_SHA3 and hybrid files of fips202/native/aarch64): the
  Keccak-f[1600] permutation of FIPS 202 on 1, 2 or 4 consecutive states (the Python
  permutation is checked against hashlib's SHA3-256 first).
With `--lockstep`, every call also runs step by step against Unicorn. Prints instructions per
second of CPU time of the model's runs (without each call's set-up of a fresh state) per
function, or --json.

Usage: python bench/armv8_mlkem.py MLKEM_NATIVE_DIR [--calls N] [--seed S] [--lockstep]
       [--only NAME ...] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from armv8_assembly_bench import Mismatch, assemble_both, check_lockstep, zig

from assay.models.armv8 import crypto_routines as cr
from assay.models.armv8.loader import Image, Unit, read_object
from assay.models.armv8.machine import Machine
from assay.models.armv8.state import ArmError

Q = 3329
N = 256
D = cr.DATA_BASE  # argument buffers live at D + 0x1000 * k
DEFINES = ["-DMLK_CONFIG_USE_NATIVE_BACKEND_ARITH",
           '-DMLK_CONFIG_ARITH_BACKEND_FILE="native/meta.h"',
           "-DMLK_CONFIG_MULTILEVEL_WITH_SHARED", "-DMLK_CONFIG_PARAMETER_SET=768"]
KECCAK = ["-mcpu=neoverse_v1",  # FEAT_SHA3 (__ARM_FEATURE_SHA3) for the v84a files
          *(f"-DMLK_FIPS202_AARCH64_NEED_{v}" for v in
            ("X1_SCALAR", "X1_V84A", "X2_V84A", "X4_V8A_SCALAR_HYBRID",
             "X4_V8A_V84A_SCALAR_HYBRID"))]
TABLES = ("aarch64_ntt_zetas_layer12345", "aarch64_ntt_zetas_layer67",
          "aarch64_invntt_zetas_layer12345", "aarch64_invntt_zetas_layer67",
          "aarch64_zetas_mulcache_native", "aarch64_zetas_mulcache_twisted_native",
          "rej_uniform_table", "keccakf1600_round_constants")


def _short(symbol: str) -> str:
    """`PQCP_MLKEM_NATIVE_MLKEM768_ntt_aarch64_asm` -> `ntt`."""
    name = symbol.removesuffix("_aarch64_asm")
    for marker in ("_MLKEM512_", "_MLKEM768_", "_MLKEM1024_"):
        if marker in name:
            return name.split(marker, 1)[1]
    return name


class Library:
    """The preprocessed files, Assay's and clang's objects, images and constant tables."""

    def __init__(self, root: Path, work: Path) -> None:
        self.src = root / "mlkem" / "src" if (root / "mlkem" / "src").is_dir() else root
        self.work = work
        self.images: dict[str, tuple[Image, str]] = {}
        self.tables: dict[str, bytes] = {}
        self.files: list[dict[str, object]] = []

    def _flags(self) -> list[str]:
        return [f"-I{self.src.parent}", f"-I{self.src}", *DEFINES]

    def build(self) -> None:
        native = self.src / "native" / "aarch64" / "src"
        keccak = self.src / "fips202" / "native" / "aarch64" / "src"
        sources = [(p, []) for p in sorted(native.glob("*.S"))] + \
            [(p, KECCAK) for p in sorted(keccak.glob("*.S"))]
        if not sources:
            raise SystemExit(f"{self.src}: no native/aarch64/src/*.S (an mlkem-native checkout?)")
        for src, extra in sources:
            unit, same = assemble_both(src, self.work / f"{src.stem}.s",
                                       self.work / f"{src.stem}.clang.o",
                                       [*self._flags(), *extra], extra[:1])
            words = len(unit.section(".text").data) // 4
            self.files.append({"file": src.name, "words": words, "assembler": same})
            image = unit.link(cr.CODE_BASE)
            for sym in unit.symbols:
                if sym.binding != "local" and sym.section == ".text":  # no .type here
                    self.images[_short(sym.name)] = (image, sym.name)
        for c_file in sorted([*native.glob("*.c"), *keccak.glob("*.c")]):
            obj = self.work / f"{c_file.stem}.o"
            zig("cc", "-c", "-O1", "-target", "aarch64-linux-gnu", *self._flags(), *KECCAK,
                str(c_file), "-o", str(obj))
            self._read_tables(read_object(obj))
        missing = [t for t in TABLES if t not in self.tables]
        if missing:
            raise SystemExit(f"constant tables not found in the C files: {missing}")

    def _read_tables(self, unit: Unit) -> None:
        for sym in unit.symbols:
            if sym.kind == "object" and sym.size:
                data = unit.section(sym.section).data
                self.tables[_short(sym.name)] = bytes(data[sym.offset:sym.offset + sym.size])

    def call(self, name: str, args: list[int], memory: dict[int, bytes], *,
             check: bool) -> tuple[cr.Call, float]:
        """Run `name`; returns the call and the CPU seconds of the model's run (set-up of the
        fresh state excluded: these functions run only 500-4000 instructions)."""
        image, symbol = self.images[name]
        if check:
            check_lockstep(image, symbol, args, memory, 10_000_000, name)
        s = cr.call_state(image, symbol, args, memory)
        t0 = time.process_time()
        error = Machine(s).run(max_steps=10_000_000, stop_pc=cr.SENTINEL)
        cpu = time.process_time() - t0
        if error is not None or s.pc != cr.SENTINEL:
            raise ArmError(f"{name}: the run stopped at pc 0x{s.pc:x}: {error}")
        return cr.Call(s, s.steps), cpu


# -- the reference arithmetic (FIPS 203, modulo q) -----------------------------------------

def _brv7(k: int) -> int:
    return int(f"{k:07b}"[::-1], 2)


ZETA = [pow(17, _brv7(k), Q) for k in range(128)]
GAMMA = [pow(17, 2 * _brv7(i) + 1, Q) for i in range(128)]
MONT = pow(2, 16, Q)
MONT_INV = pow(2, -16, Q)


def ntt(f: list[int]) -> list[int]:
    """FIPS 203 Algorithm 9."""
    f, i, length = [x % Q for x in f], 1, 128
    while length >= 2:
        for start in range(0, N, 2 * length):
            z = ZETA[i]
            i += 1
            for j in range(start, start + length):
                t = z * f[j + length] % Q
                f[j + length], f[j] = (f[j] - t) % Q, (f[j] + t) % Q
        length //= 2
    return f


def intt(f: list[int]) -> list[int]:
    """FIPS 203 Algorithm 10."""
    f, i, length = [x % Q for x in f], 127, 2
    while length <= 128:
        for start in range(0, N, 2 * length):
            z = ZETA[i]
            i -= 1
            for j in range(start, start + length):
                t = f[j]
                f[j], f[j + length] = (t + f[j + length]) % Q, z * (f[j + length] - t) % Q
        length *= 2
    return [x * 3303 % Q for x in f]


def _poly(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 2}h", data))


def _pack(coeffs: list[int]) -> bytes:
    return struct.pack(f"<{len(coeffs)}h", *coeffs)


def _congruent(name: str, got: list[int], want: list[int], bound: int) -> None:
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        if (g - w) % Q or abs(g) >= bound:
            raise Mismatch(f"{name}: coefficient {i} is {g}, want {w} mod {Q} (|x| < {bound})")


# -- the functions and their checks ---------------------------------------------------------
Check = Callable[[Library, random.Random, bool], tuple[int, float]]


def _random_poly(rng: random.Random, bound: int) -> list[int]:
    return [rng.randrange(-bound + 1, bound) for _ in range(N)]


def ntt_check(lib: Library, rng: random.Random, check: bool) -> tuple[int, float]:
    p = _random_poly(rng, 8192)
    call, cpu = lib.call("ntt", [D, D + 0x1000, D + 0x2000],
                         {D: _pack(p), D + 0x1000: lib.tables["aarch64_ntt_zetas_layer12345"],
                          D + 0x2000: lib.tables["aarch64_ntt_zetas_layer67"]}, check=check)
    _congruent("ntt", _poly(call.state.mem.read_bytes(D, 2 * N)), ntt(p), 23595)
    return call.steps, cpu


def intt_check(lib: Library, rng: random.Random, check: bool) -> tuple[int, float]:
    p = _random_poly(rng, 1 << 15)
    call, cpu = lib.call("intt", [D, D + 0x1000, D + 0x2000],
                         {D: _pack(p),
                          D + 0x1000: lib.tables["aarch64_invntt_zetas_layer12345"],
                          D + 0x2000: lib.tables["aarch64_invntt_zetas_layer67"]}, check=check)
    want = [x * MONT % Q for x in intt(p)]
    _congruent("intt", _poly(call.state.mem.read_bytes(D, 2 * N)), want, 26625)
    return call.steps, cpu


def reduce_check(lib: Library, rng: random.Random, check: bool) -> tuple[int, float]:
    p = _random_poly(rng, 1 << 15)
    call, cpu = lib.call("poly_reduce", [D], {D: _pack(p)}, check=check)
    got = _poly(call.state.mem.read_bytes(D, 2 * N))
    if got != [x % Q for x in p]:
        raise Mismatch("poly_reduce: not the canonical representatives")
    return call.steps, cpu


def tomont_check(lib: Library, rng: random.Random, check: bool) -> tuple[int, float]:
    p = _random_poly(rng, 1 << 15)
    call, cpu = lib.call("poly_tomont", [D], {D: _pack(p)}, check=check)
    _congruent("poly_tomont", _poly(call.state.mem.read_bytes(D, 2 * N)),
               [x * MONT % Q for x in p], Q)
    return call.steps, cpu


def _mulcache(lib: Library, b: list[int], check: bool) -> tuple[list[int], cr.Call, float]:
    call, cpu = lib.call("poly_mulcache_compute", [D + 0x3000, D, D + 0x1000, D + 0x2000],
                         {D: _pack(b), D + 0x1000: lib.tables["aarch64_zetas_mulcache_native"],
                          D + 0x2000: lib.tables["aarch64_zetas_mulcache_twisted_native"]},
                         check=check)
    cache = _poly(call.state.mem.read_bytes(D + 0x3000, N))
    _congruent("poly_mulcache_compute", cache,
               [b[2 * i + 1] * GAMMA[i] % Q for i in range(128)], Q)
    return cache, call, cpu


def mulcache_check(lib: Library, rng: random.Random, check: bool) -> tuple[int, float]:
    _, call, cpu = _mulcache(lib, _random_poly(rng, 1 << 15), check)
    return call.steps, cpu


def basemul_check(k: int) -> Check:
    def run(lib: Library, rng: random.Random, check: bool) -> tuple[int, float]:
        a = [_random_poly(rng, 4096) for _ in range(k)]
        b = [_random_poly(rng, Q) for _ in range(k)]
        caches = [_mulcache(lib, bi, False)[0] for bi in b]
        want = []
        for i in range(128):
            t0 = sum(a[j][2 * i] * b[j][2 * i] + a[j][2 * i + 1] * b[j][2 * i + 1] * GAMMA[i]
                     for j in range(k))
            t1 = sum(a[j][2 * i] * b[j][2 * i + 1] + a[j][2 * i + 1] * b[j][2 * i]
                     for j in range(k))
            want += [t0 * MONT_INV % Q, t1 * MONT_INV % Q]
        name = f"polyvec_basemul_acc_montgomery_cached_k{k}"
        call, cpu = lib.call(name, [D, D + 0x1000, D + 0x3000, D + 0x5000],
                             {D + 0x1000: b"".join(map(_pack, a)),
                              D + 0x3000: b"".join(map(_pack, b)),
                              D + 0x5000: b"".join(map(_pack, caches))}, check=check)
        _congruent(name, _poly(call.state.mem.read_bytes(D, 2 * N)), want, 1 << 15)
        return call.steps, cpu
    return run


def tobytes_check(lib: Library, rng: random.Random, check: bool) -> tuple[int, float]:
    p = [rng.randrange(4096) for _ in range(N)]
    call, cpu = lib.call("poly_tobytes", [D + 0x1000, D], {D: _pack(p)}, check=check)
    want = bytearray()
    for i in range(0, N, 2):
        t = p[i] | p[i + 1] << 12
        want += t.to_bytes(3, "little")
    if call.state.mem.read_bytes(D + 0x1000, 384) != want:
        raise Mismatch("poly_tobytes: not ByteEncode_12")
    return call.steps, cpu


def rej_uniform_check(lib: Library, rng: random.Random, check: bool) -> tuple[int, float]:
    buf = rng.randbytes(24 * rng.choice([1, 7, 21, 22, 30]))
    call, cpu = lib.call("rej_uniform", [D, D + 0x1000, len(buf), D + 0x2000],
                         {D + 0x1000: buf, D + 0x2000: lib.tables["rej_uniform_table"]},
                         check=check)
    want = []
    for i in range(0, len(buf), 3):
        d1 = buf[i] | (buf[i + 1] & 15) << 8
        d2 = buf[i + 1] >> 4 | buf[i + 2] << 4
        want += [d for d in (d1, d2) if d < Q]
    want = want[:N]
    count = call.state.x[0]
    if count != len(want) or _poly(call.state.mem.read_bytes(D, 2 * count)) != want:
        raise Mismatch(f"rej_uniform: {count} values, want {len(want)} (or different values)")
    return call.steps, cpu


# -- Keccak-f[1600] (FIPS 202 section 3), the permutation under SHA-3 and SHAKE ------------

def _rol(v: int, k: int) -> int:
    return ((v << k) | (v >> (64 - k))) & (1 << 64) - 1 if k else v


def _keccak_constants() -> tuple[list[int], list[int]]:
    """The round constants (Algorithm 5, rc(t)) and the rho offsets by lane index x + 5y."""
    rho, (x, y) = [0] * 25, (1, 0)
    for t in range(24):
        rho[x + 5 * y] = (t + 1) * (t + 2) // 2 % 64
        x, y = y, (2 * x + 3 * y) % 5
    r, bits = 1, []
    for _ in range(7 * 24):
        bits.append(r & 1)
        r = (r << 1) ^ (0x171 if r & 0x80 else 0)
    rc = [sum(bits[7 * i + j] << ((1 << j) - 1) for j in range(7)) for i in range(24)]
    return rc, rho


KECCAK_RC, KECCAK_RHO = _keccak_constants()


def keccak_f1600(a: list[int]) -> list[int]:
    """theta, rho, pi, chi, iota for 24 rounds; lane (x, y) is a[x + 5y]."""
    for rc in KECCAK_RC:
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        b = [0] * 25
        for i in range(25):
            x, y = i % 5, i // 5
            b[y + 5 * ((2 * x + 3 * y) % 5)] = _rol(a[i] ^ d[x], KECCAK_RHO[i])
        a = [b[i] ^ (~b[(i + 1) % 5 + i - i % 5] & b[(i + 2) % 5 + i - i % 5])
             for i in range(25)]
        a[0] ^= rc
    return a


def _sha3_256_empty() -> bytes:
    """SHA3-256 of the empty message through `keccak_f1600` (checks it against hashlib)."""
    block = bytearray(136)
    block[0] ^= 0x06
    block[135] ^= 0x80
    state = keccak_f1600(list(struct.unpack("<17Q", bytes(block))) + [0] * 8)
    return struct.pack("<4Q", *state[:4])


def keccak_check(name: str, ways: int) -> Check:
    def run(lib: Library, rng: random.Random, check: bool) -> tuple[int, float]:
        states = [[rng.getrandbits(64) for _ in range(25)] for _ in range(ways)]
        data = b"".join(struct.pack("<25Q", *st) for st in states)
        call, cpu = lib.call(name, [D, D + 0x1000],
                             {D: data, D + 0x1000: lib.tables["keccakf1600_round_constants"]},
                             check=check)
        got = struct.unpack(f"<{25 * ways}Q", call.state.mem.read_bytes(D, 200 * ways))
        for k, st in enumerate(states):
            if list(got[25 * k:25 * k + 25]) != keccak_f1600(st):
                raise Mismatch(f"{name}: state {k} is not Keccak-f[1600] of the input")
        return call.steps, cpu
    return run


CHECKS: dict[str, Check] = {
    "ntt": ntt_check,
    "intt": intt_check,
    "poly_reduce": reduce_check,
    "poly_tomont": tomont_check,
    "poly_mulcache_compute": mulcache_check,
    "polyvec_basemul_acc_montgomery_cached_k2": basemul_check(2),
    "polyvec_basemul_acc_montgomery_cached_k3": basemul_check(3),
    "polyvec_basemul_acc_montgomery_cached_k4": basemul_check(4),
    "poly_tobytes": tobytes_check,
    "rej_uniform": rej_uniform_check,
    "keccak_f1600_x1_scalar": keccak_check("keccak_f1600_x1_scalar", 1),
    "keccak_f1600_x1_v84a": keccak_check("keccak_f1600_x1_v84a", 1),
    "keccak_f1600_x2_v84a": keccak_check("keccak_f1600_x2_v84a", 2),
    "keccak_f1600_x4_v8a_scalar_hybrid": keccak_check("keccak_f1600_x4_v8a_scalar_hybrid", 4),
    "keccak_f1600_x4_v8a_v84a_scalar_hybrid": keccak_check(
        "keccak_f1600_x4_v8a_v84a_scalar_hybrid", 4),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mlkem_native", type=Path, help="an mlkem-native checkout")
    ap.add_argument("--calls", type=int, default=20, help="random calls per function")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", nargs="*", help="run only these functions")
    ap.add_argument("--lockstep", action="store_true", help="also compare with Unicorn")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if _sha3_256_empty() != hashlib.sha3_256(b"").digest():
        raise SystemExit("the Python Keccak-f[1600] reference disagrees with hashlib")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(args.mlkem_native.resolve(), Path(tmp))
        lib.build()
    rows = []
    for name, run in CHECKS.items():
        if args.only and name not in args.only:
            continue
        if name not in lib.images:
            rows.append({"function": name, "result": "not in this checkout"})
            continue
        steps, cpu, result = 0, 0.0, "ok"
        try:
            for _ in range(args.calls):
                n, t = run(lib, rng, args.lockstep)
                steps, cpu = steps + n, cpu + t
        except (Mismatch, ArmError) as exc:
            result = f"FAIL: {exc}"
        rows.append({"function": name, "calls": args.calls, "result": result,
                     "instructions": steps, "instr_per_s": round(steps / cpu) if cpu else None})
    out = {"files": lib.files, "functions": rows,
           "failed": sum(1 for r in rows if r["result"].startswith("FAIL"))}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for f in lib.files:
            print(f"{f['file']:62} {f['words']:5} words, assembler: {f['assembler']}")
        for r in rows:
            rate = f"{r['instr_per_s']:>9,} instr/s" if r.get("instr_per_s") else ""
            print(f"{r['function']:42} {r['result'][:90]:6} {r.get('instructions', 0):>9,} "
                  f"instructions {rate}")
    return 1 if out["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
