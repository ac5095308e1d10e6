"""BoringSSL's own AArch64 assembly, assembled by Assay and run in the model against oracles.

Give it a BoringSSL checkout (`git clone https://boringssl.googlesource.com/boringssl`; the
generated files under gen/ are what it reads). For every `gen/**/*armv8*-linux.S`: the C preprocessor (clang from the ziglang package, with the checkout's
include/) makes plain assembly; Assay's assembler and clang assemble it, and the two objects
must have the same section bytes, symbols and relocations; every word of .text is decoded.
Then the exported functions with an oracle run in the model from Assay's object, each on
random inputs, and their results are compared with:
- hashlib (sha1/sha256/sha512 `_block_data_order_nohw` and `_hw`),
- the FIPS-197 vectors (aes_hw_* and vpaes_* key set-up, encrypt, decrypt; 128/192/256-bit),
- a Python ChaCha20 (RFC 8439) for `ChaCha20_ctr32_nohw` and `_neon`,
- a Python GF(2^128) multiply (SP 800-38D) for gcm_init_v8 + gcm_gmult_v8 / gcm_ghash_v8,
- Python integers for P-256 field/order Montgomery arithmetic and bn_mul_mont_words.
With `--lockstep`, every call also runs step by step against Unicorn (registers after each
instruction, memory at the end). Prints a table (function, calls, result, instructions,
instructions/s of CPU time including each call's set-up of a fresh state) or --json.

Usage: python bench/armv8_boringssl.py BORINGSSL_DIR [--seed S] [--lockstep] [--json]
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

from armv8_assembly_bench import Mismatch, assemble_both, check_lockstep

from assay.models.armv8 import crypto_routines as cr
from assay.models.armv8.crypto_specs import SHA256_IV, SHA512_IV
from assay.models.armv8.loader import Image
from assay.models.armv8.registry import decode
from assay.models.armv8.state import ArmError

SHA1_IV = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
D = cr.DATA_BASE  # argument buffers live at D + 0x1000 * k
P256 = 2**256 - 2**224 + 2**192 + 2**96 - 1
P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
AES_VECTORS = {  # FIPS-197 appendix C: key, plaintext, ciphertext
    128: ("000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff",
          "69c4e0d86a7b0430d8cdb78070b4c55a"),
    192: ("000102030405060708090a0b0c0d0e0f1011121314151617",
          "00112233445566778899aabbccddeeff", "dda97ca4864cdfe06eaf70a0ec0d7191"),
    256: ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
          "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089"),
}


class Library:
    """The preprocessed files, Assay's and clang's objects, and images to call into."""

    def __init__(self, root: Path, work: Path) -> None:
        self.root, self.work = root, work
        self.images: dict[str, Image] = {}
        self.files: list[dict[str, object]] = []

    def build(self) -> None:
        sources = sorted(p for p in (self.root / "gen").rglob("*-linux.S") if "armv8" in p.name)
        if not sources:
            raise SystemExit(f"{self.root}: no gen/**/*-armv8-linux.S (a BoringSSL checkout?)")
        for src in sources:
            stem = src.name[:-len("-linux.S")]
            unit, same = assemble_both(src, self.work / f"{stem}.s",
                                       self.work / f"{stem}.clang.o",
                                       [f"-I{self.root / 'include'}"], ["-mcpu=neoverse_v1"])
            text = bytes(unit.section(".text").data)
            words = len(text) // 4
            bad = 0
            for i in range(0, len(text), 4):
                try:
                    decode(int.from_bytes(text[i:i + 4], "little"), i)
                except ArmError:
                    bad += 1
            self.files.append({"file": src.name, "words": words, "undecodable": bad,
                               "assembler": same})
            image = unit.link(cr.CODE_BASE)
            for sym in unit.symbols:
                if sym.kind == "func" and sym.binding != "local":
                    self.images[sym.name] = image

    def call(self, name: str, args: list[int], memory: dict[int, bytes], *,
             check: bool) -> cr.Call:
        image = self.images[name]
        if check:
            check_lockstep(image, name, args, memory, 50_000_000, name)
        return cr.call_image(image, name, args, memory, 50_000_000)


def _read(call: cr.Call, address: int, size: int) -> bytes:
    return call.state.mem.read_bytes(address, size)


# -- oracles ------------------------------------------------------------------------------
def _chacha20(key: bytes, counter: int, nonce: bytes, data: bytes) -> bytes:
    def rotl(v: int, n: int) -> int:
        return ((v << n) | (v >> (32 - n))) & 0xFFFFFFFF

    def quarter(s: list[int], a: int, b: int, c: int, d: int) -> None:
        s[a] = (s[a] + s[b]) & 0xFFFFFFFF
        s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & 0xFFFFFFFF
        s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & 0xFFFFFFFF
        s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & 0xFFFFFFFF
        s[b] = rotl(s[b] ^ s[c], 7)

    out = bytearray()
    for i in range(0, len(data), 64):
        init = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574,
                *struct.unpack("<8I", key), (counter + i // 64) & 0xFFFFFFFF,
                *struct.unpack("<3I", nonce)]
        s = list(init)
        for _ in range(10):
            for q in ((0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15),
                      (0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14)):
                quarter(s, *q)
        stream = struct.pack("<16I", *((a + b) & 0xFFFFFFFF for a, b in zip(s, init,
                                                                              strict=True)))
        out += bytes(x ^ y for x, y in zip(data[i:i + 64], stream, strict=False))
    return bytes(out)


def _gf128_mul(x: int, y: int) -> int:
    """SP 800-38D multiplication; blocks as big-endian integers (bit 0 of the block = MSB)."""
    r, z, v = 0xE1 << 120, 0, y
    for i in range(127, -1, -1):
        if (x >> i) & 1:
            z ^= v
        v = (v >> 1) ^ r if v & 1 else v >> 1
    return z


def _limbs(v: int, n: int) -> bytes:
    return v.to_bytes(8 * n, "little")


def _int(b: bytes) -> int:
    return int.from_bytes(b, "little")


# -- the functions and their checks -------------------------------------------------------
Check = Callable[[Library, random.Random, bool], int]


def sha_check(name: str, block: int, iv: tuple[int, ...], word: str, digest: Callable) -> Check:
    def run(lib: Library, rng: random.Random, check: bool) -> int:
        msg = rng.randbytes(rng.randrange(0, 3 * block))
        blocks = cr.sha_pad(msg, block)
        st = struct.pack(f"<{len(iv)}{word}", *iv)
        call = lib.call(name, [D, D + 0x1000, len(blocks) // block],
                           {D: st, D + 0x1000: blocks}, check=check)
        got = struct.unpack(f"<{len(iv)}{word}", _read(call, D, len(st)))
        want = digest(msg).digest()
        if struct.pack(f">{len(iv)}{word}", *got) != want:
            raise Mismatch(f"{name}: wrong digest for a {len(msg)}-byte message")
        return call.steps
    return run


def aes_check(prefix: str) -> Check:
    def run(lib: Library, rng: random.Random, check: bool) -> int:
        bits = rng.choice(sorted(AES_VECTORS))
        key, pt, ct = (bytes.fromhex(h) for h in AES_VECTORS[bits])
        steps = 0
        for direction, src, want in (("encrypt", pt, ct), ("decrypt", ct, pt)):
            call = lib.call(f"{prefix}_set_{direction}_key", [D, bits, D + 0x1000],
                               {D: key, D + 0x1000: bytes(244)}, check=check)
            if call.state.x[0] != 0:
                raise Mismatch(f"{prefix}_set_{direction}_key returned {call.state.x[0]}")
            schedule = _read(call, D + 0x1000, 244)
            call2 = lib.call(f"{prefix}_{direction}", [D + 0x2000, D + 0x3000, D + 0x1000],
                                {D + 0x1000: schedule, D + 0x2000: src}, check=check)
            if _read(call2, D + 0x3000, 16) != want:
                raise Mismatch(f"{prefix}_{direction}: wrong block for AES-{bits}")
            steps += call.steps + call2.steps
        return steps
    return run


def chacha_check(name: str) -> Check:
    def run(lib: Library, rng: random.Random, check: bool) -> int:
        key, nonce = rng.randbytes(32), rng.randbytes(12)
        counter = rng.randrange(1 << 32 - 4)
        data = rng.randbytes(rng.choice([1, 63, 64, 65, 128, 255, 256, 300, 512, 700]))
        ctr = struct.pack("<I", counter) + nonce
        call = lib.call(name, [D + 0x2000, D, len(data), D + 0x1000, D + 0x1100],
                           {D: data, D + 0x1000: key, D + 0x1100: ctr}, check=check)
        if _read(call, D + 0x2000, len(data)) != _chacha20(key, counter, nonce, data):
            raise Mismatch(f"{name}: wrong key stream for {len(data)} bytes")
        return call.steps
    return run


def ghash_check(lib: Library, rng: random.Random, check: bool) -> int:
    h, xi = rng.randbytes(16), rng.randbytes(16)
    hwords = struct.pack("<2Q", int.from_bytes(h[:8], "big"), int.from_bytes(h[8:], "big"))
    call = lib.call("gcm_init_v8", [D + 0x1000, D], {D: hwords, D + 0x1000: bytes(256)},
                       check=check)
    table = _read(call, D + 0x1000, 256)
    call2 = lib.call("gcm_gmult_v8", [D, D + 0x1000], {D: xi, D + 0x1000: table},
                        check=check)
    hv = int.from_bytes(h, "big")
    if int.from_bytes(_read(call2, D, 16), "big") != _gf128_mul(int.from_bytes(xi, "big"), hv):
        raise Mismatch("gcm_gmult_v8: wrong product")
    data = rng.randbytes(16 * rng.randrange(1, 9))
    call3 = lib.call("gcm_ghash_v8", [D, D + 0x1000, D + 0x2000, len(data)],
                        {D: xi, D + 0x1000: table, D + 0x2000: data}, check=check)
    acc = int.from_bytes(xi, "big")
    for i in range(0, len(data), 16):
        acc = _gf128_mul(acc ^ int.from_bytes(data[i:i + 16], "big"), hv)
    if int.from_bytes(_read(call3, D, 16), "big") != acc:
        raise Mismatch(f"gcm_ghash_v8: wrong hash of {len(data)} bytes")
    return call.steps + call2.steps + call3.steps


def p256_check(name: str, arity: int, modulus: int,
               want: Callable[[int, int], int]) -> Check:
    def run(lib: Library, rng: random.Random, check: bool) -> int:
        a, b = rng.randrange(modulus), rng.randrange(modulus)
        args = [D + 0x2000, D, D + 0x1000][:arity + 1]
        call = lib.call(name, args, {D: _limbs(a, 4), D + 0x1000: _limbs(b, 4)},
                           check=check)
        if _int(_read(call, D + 0x2000, 32)) != want(a, b):
            raise Mismatch(f"{name}: wrong result for a=0x{a:x} b=0x{b:x}")
        return call.steps
    return run


def mont_check(lib: Library, rng: random.Random, check: bool) -> int:
    num = rng.choice([4, 6, 8, 16])
    n = rng.randrange(1 << (64 * num - 1), 1 << 64 * num) | 1
    a, b = rng.randrange(n), rng.randrange(n)
    n0 = (-pow(n, -1, 1 << 64)) % (1 << 64)
    call = lib.call("bn_mul_mont_words", [D + 0x4000, D, D + 0x1000, D + 0x2000,
                                             D + 0x3000, num],
                       {D: _limbs(a, num), D + 0x1000: _limbs(b, num),
                        D + 0x2000: _limbs(n, num), D + 0x3000: _limbs(n0, 1)}, check=check)
    r_inv = pow(1 << 64 * num, -1, n)
    if _int(_read(call, D + 0x4000, 8 * num)) != a * b * r_inv % n:
        raise Mismatch(f"bn_mul_mont_words: wrong product ({num} words)")
    return call.steps


R_INV = pow(1 << 256, -1, P256)
RN_INV = pow(1 << 256, -1, P256_N)
CHECKS: dict[str, Check] = {
    "sha1_block_data_order_nohw": sha_check("sha1_block_data_order_nohw", 64, SHA1_IV, "I",
                                            hashlib.sha1),
    "sha1_block_data_order_hw": sha_check("sha1_block_data_order_hw", 64, SHA1_IV, "I",
                                          hashlib.sha1),
    "sha256_block_data_order_nohw": sha_check("sha256_block_data_order_nohw", 64, SHA256_IV,
                                              "I", hashlib.sha256),
    "sha256_block_data_order_hw": sha_check("sha256_block_data_order_hw", 64, SHA256_IV, "I",
                                            hashlib.sha256),
    "sha512_block_data_order_nohw": sha_check("sha512_block_data_order_nohw", 128, SHA512_IV,
                                              "Q", hashlib.sha512),
    "sha512_block_data_order_hw": sha_check("sha512_block_data_order_hw", 128, SHA512_IV, "Q",
                                            hashlib.sha512),
    "aes_hw_encrypt": aes_check("aes_hw"),
    "vpaes_encrypt": aes_check("vpaes"),
    "ChaCha20_ctr32_nohw": chacha_check("ChaCha20_ctr32_nohw"),
    "ChaCha20_ctr32_neon": chacha_check("ChaCha20_ctr32_neon"),
    "gcm_gmult_v8": ghash_check,
    "ecp_nistz256_mul_mont": p256_check("ecp_nistz256_mul_mont", 2, P256,
                                        lambda a, b: a * b * R_INV % P256),
    "ecp_nistz256_sqr_mont": p256_check("ecp_nistz256_sqr_mont", 1, P256,
                                        lambda a, b: a * a * R_INV % P256),
    "ecp_nistz256_sub": p256_check("ecp_nistz256_sub", 2, P256, lambda a, b: (a - b) % P256),
    "ecp_nistz256_neg": p256_check("ecp_nistz256_neg", 1, P256, lambda a, b: -a % P256),
    "ecp_nistz256_mul_by_2": p256_check("ecp_nistz256_mul_by_2", 1, P256,
                                        lambda a, b: 2 * a % P256),
    "ecp_nistz256_mul_by_3": p256_check("ecp_nistz256_mul_by_3", 1, P256,
                                        lambda a, b: 3 * a % P256),
    "ecp_nistz256_div_by_2": p256_check("ecp_nistz256_div_by_2", 1, P256,
                                        lambda a, b: a * pow(2, -1, P256) % P256),
    "ecp_nistz256_ord_mul_mont": p256_check("ecp_nistz256_ord_mul_mont", 2, P256_N,
                                            lambda a, b: a * b * RN_INV % P256_N),
    "bn_mul_mont_words": mont_check,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("boringssl", type=Path, help="a BoringSSL checkout")
    ap.add_argument("--calls", type=int, default=5, help="random calls per function")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lockstep", action="store_true", help="also compare with Unicorn")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(args.boringssl.resolve(), Path(tmp))
        lib.build()
    rows = []
    for name, run in CHECKS.items():
        if name not in lib.images:
            rows.append({"function": name, "result": "not in this checkout"})
            continue
        steps, t0, result = 0, time.process_time(), "ok"
        try:
            for _ in range(args.calls):
                steps += run(lib, rng, args.lockstep)
        except (Mismatch, ArmError) as exc:
            result = f"FAIL: {exc}"
        cpu = time.process_time() - t0
        rows.append({"function": name, "calls": args.calls, "result": result,
                     "instructions": steps,
                     "instr_per_s": round(steps / cpu) if cpu and not args.lockstep else None})
    out = {"files": lib.files, "functions": rows,
           "failed": sum(1 for r in rows if r["result"].startswith("FAIL"))}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for f in lib.files:
            print(f"{f['file']:40} {f['words']:5} words, {f['undecodable']} undecodable "
                  f"(data in .text), assembler: {f['assembler']}")
        for r in rows:
            rate = f"{r['instr_per_s']:,} instr/s" if r.get("instr_per_s") else ""
            print(f"{r['function']:32} {r['result'][:90]:12} {r.get('instructions', 0):>9,} "
                  f"instructions {rate}")
    return 1 if out["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
