"""The bundled crypto routines (examples/armv8/*.s):

- Assay's assembler and clang (ziglang) produce the same bytes from the same source, and
  clang's relocatable object, loaded with its relocations resolved, computes the same results;
- run in the model they give hashlib's SHA-256/SHA-512, the FIPS-197 and SP 800-38A AES
  vectors and the GCM specification's GHASH values, on single and multiple blocks;
- run in the model and in Unicorn side by side, every register agrees after every instruction
  and the memory they write agrees at the end.
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assay.models.armv8 import crypto_routines as cr
from assay.models.armv8.crypto_specs import SHA256_IV, SHA512_IV
from assay.models.armv8.loader import Image, load_elf
from assay.models.armv8.machine import Machine
from assay.models.armv8.state import ArmError

from .test_crypto_specs import gcm_ghash_vectors

FIPS_KEY = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
# SP 800-38A F.1.1 (ECB-AES128.Encrypt): four blocks under FIPS_KEY
ECB = [("6bc1bee22e409f96e93d7e117393172a", "3ad77bb40d7a3660a89ecaf32466ef97"),
       ("ae2d8a571e03ac9c9eb76fac45af8e51", "f5d3d58503b9699de785895a96fdbaaf"),
       ("30c81c46a35ce411e5fbc1191a0a52ef", "43b1cd7f598ece23881b00e3ed030688"),
       ("f69f2445df4f9b17ad2b417be66c3710", "7b0c785e27e8ad3f8223207104725dd4")]


# -- results in the model -------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 3, 55, 56, 64, 119, 200])
def test_sha256_routine_is_hashlib(length: int) -> None:
    message = bytes((7 * i + length) & 0xFF for i in range(length))
    assert cr.sha256(message) == hashlib.sha256(message).digest()


@pytest.mark.parametrize("length", [0, 111, 112, 128, 300])
def test_sha512_routine_is_hashlib(length: int) -> None:
    message = bytes((5 * i + length) & 0xFF for i in range(length))
    assert cr.sha512(message) == hashlib.sha512(message).digest()


def test_sha_routines_with_zero_blocks_leave_the_state() -> None:
    assert cr.sha256_blocks(list(SHA256_IV), b"")[0] == list(SHA256_IV)
    assert cr.sha512_blocks(list(SHA512_IV), b"")[0] == list(SHA512_IV)


def test_aes_key_expansion_fips_197_appendix_a1() -> None:
    rk = cr.aes128_expand_key(FIPS_KEY)
    assert rk[:16] == FIPS_KEY
    assert rk[16:32].hex() == "a0fafe1788542cb123a339392a6c7605"
    assert rk[160:].hex() == "d014f9a8c9ee2589e13f0cc8b6630ca6"


def test_aes_encrypt_decrypt_fips_197() -> None:
    rk = cr.aes128_expand_key(bytes(range(16)))
    pt = bytes.fromhex("00112233445566778899aabbccddeeff")
    ct = cr.aes128_encrypt(pt, rk)
    assert ct.hex() == "69c4e0d86a7b0430d8cdb78070b4c55a"  # appendix C.1
    assert cr.aes128_decrypt(ct, rk) == pt
    rk = cr.aes128_expand_key(FIPS_KEY)
    b = cr.aes128_encrypt(bytes.fromhex("3243f6a8885a308d313198a2e0370734"), rk)
    assert b.hex() == "3925841d02dc09fbdc118597196a0b32"  # appendix B


def test_aes_multiple_blocks_sp800_38a_ecb() -> None:
    rk = cr.aes128_expand_key(FIPS_KEY)
    for pt, ct in ECB:
        assert cr.aes128_encrypt(bytes.fromhex(pt), rk).hex() == ct
        assert cr.aes128_decrypt(bytes.fromhex(ct), rk).hex() == pt


def _ghash_input(aad: bytes, c: bytes) -> bytes:
    def pad(x: bytes) -> bytes:
        return x + b"\0" * (-len(x) % 16)
    return pad(aad) + pad(c) + struct.pack(">QQ", 8 * len(aad), 8 * len(c))


def test_ghash_routine_gcm_vectors() -> None:
    """Test case 2 (two blocks), 3 (five) and 4 (seven, with AAD)."""
    for h, aad, c, expected in gcm_ghash_vectors():
        assert cr.ghash(h, _ghash_input(aad, c)) == expected


def test_ghash_gmult_single_products() -> None:
    for i in range(4):
        x = bytes((13 * i + 7 * j) & 0xFF for j in range(16))
        h = bytes((29 * i + 3 * j + 1) & 0xFF for j in range(16))
        assert cr.ghash_gmult(x, h) == _gf_mult(x, h)


def _gf_mult(x: bytes, h: bytes) -> bytes:
    from assay.models.armv8.bv import CONCRETE
    from assay.models.armv8.crypto_specs import ghash_mult
    v = ghash_mult(CONCRETE, int.from_bytes(x, "big"), int.from_bytes(h, "big"))
    return v.to_bytes(16, "big")


def test_unknown_routine_is_reported() -> None:
    with pytest.raises(ArmError, match="no bundled routine"):
        cr.routine_path("md5_block")


@pytest.mark.parametrize(("call", "message"), [
    (lambda: cr.aes128_expand_key(b"short"), "16 bytes"),
    (lambda: cr.aes128_encrypt(bytes(16), bytes(100)), "176 bytes"),
    (lambda: cr.sha256_blocks([0] * 8, bytes(65)), "multiple of 64"),
    (lambda: cr.ghash(bytes(16), bytes(17)), "multiple of 16"),
])
def test_wrong_sizes_are_reported(call: Any, message: str) -> None:
    with pytest.raises(ArmError, match=message):
        call()


# -- clang builds the same bytes -------------------------------------------------------------


def _clang(tmp: Path, name: str) -> Path:
    import ziglang  # noqa: F401  (an oracle from the test extra)
    src = tmp / f"{name}.S"
    shutil.copy(cr.routine_path(name), src)
    obj = tmp / f"{name}.o"
    subprocess.run([sys.executable, "-m", "ziglang", "cc", "-c", "-g0", "-target",
                    "aarch64-linux-gnu", "-mcpu=neoverse_v1", str(src), "-o", str(obj)],
                   check=True, capture_output=True, timeout=300)
    return obj


@pytest.fixture(scope="module")
def clang_images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Image]:
    tmp = tmp_path_factory.mktemp("clang")
    return {name: load_elf(_clang(tmp, name), base=cr.CODE_BASE) for name in cr.ROUTINES}


def _bytes_of(image: Image) -> dict[str, bytes]:
    return {seg.name: bytes(seg.data) for seg in image.segments if seg.data}


@pytest.mark.parametrize("name", cr.ROUTINES)
def test_assay_assembler_matches_clang(name: str, clang_images: dict[str, Image]) -> None:
    ours, theirs = _bytes_of(cr.routine_image(name)), _bytes_of(clang_images[name])
    assert ours[".text"] == theirs[".text"]
    assert ours.get(".rodata") == theirs.get(".rodata")


def test_clang_object_with_relocations_runs_in_the_model(clang_images: dict[str, Image],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """sha512_block addresses its constants with ADRP/ADD: clang leaves two relocations."""
    images = dict(clang_images)
    monkeypatch.setattr(cr, "routine_image", lambda name: images[name])
    message = b"relocations resolved at load" * 7
    assert cr.sha512(message) == hashlib.sha512(message).digest()
    assert cr.sha256(message) == hashlib.sha256(message).digest()


# -- instruction by instruction against Unicorn ---------------------------------------------


class UnicornRun:
    """The same image, stack and data in Unicorn (UC_CPU_ARM64_MAX)."""

    def __init__(self, image: Image, memory: dict[int, bytes]) -> None:
        from unicorn import UC_ARCH_ARM64, UC_MODE_ARM, Uc
        from unicorn import arm64_const as c
        self.c = c
        self.uc = uc = Uc(UC_ARCH_ARM64, UC_MODE_ARM, cpu=c.UC_CPU_ARM64_MAX)
        lo = min(s.address for s in image.segments) & ~0xFFF
        hi = (max(s.end for s in image.segments) + 0xFFF) & ~0xFFF
        uc.mem_map(lo, hi - lo)
        for seg in image.segments:
            uc.mem_write(seg.address, bytes(seg.data))
        uc.mem_map(cr.DATA_BASE, cr.DATA_SIZE)
        uc.mem_map(cr.STACK_TOP - cr.STACK_SIZE, cr.STACK_SIZE)
        for address, data in memory.items():
            uc.mem_write(address, data)
        self.x = [c.UC_ARM64_REG_X0 + i for i in range(29)] + [c.UC_ARM64_REG_X29,
                                                               c.UC_ARM64_REG_X30]
        self.q = [c.UC_ARM64_REG_Q0 + i for i in range(32)]

    def registers(self) -> list[int]:
        c = self.c
        vals = self.uc.reg_read_batch([*self.x, c.UC_ARM64_REG_SP, *self.q, c.UC_ARM64_REG_PC,
                                       c.UC_ARM64_REG_NZCV])
        return [*vals[:-1], (vals[-1] >> 28) & 0xF]

    def set(self, args: list[int], pc: int) -> None:
        c = self.c
        self.uc.reg_write_batch([*zip(self.x, args), (c.UC_ARM64_REG_SP, cr.STACK_TOP),
                                 (c.UC_ARM64_REG_X30, cr.SENTINEL), (c.UC_ARM64_REG_NZCV, 0)])
        self.pc = pc

    def step(self) -> None:
        self.uc.emu_start(self.pc, cr.SENTINEL, count=1)
        self.pc = self.uc.reg_read(self.c.UC_ARM64_REG_PC)


def _model_registers(s: Any) -> list[int]:
    return [*s.x[:31], s.x[31], *s.v, s.pc, s.nzcv]


def _lockstep(name: str, args: list[int], memory: dict[int, bytes],
              out: tuple[int, int]) -> int:
    """Run both, comparing all registers after every instruction; returns the step count."""
    import unicorn  # noqa: F401  (an oracle from the test extra)
    image = cr.routine_image(name)
    s = cr.call_state(image, name, args, memory)
    uc = UnicornRun(image, memory)
    uc.set(args, s.pc)
    machine = Machine(s)
    steps = 0
    names = [f"x{i}" for i in range(31)] + ["sp"] + [f"v{i}" for i in range(32)] + ["pc", "nzcv"]
    while s.pc != cr.SENTINEL:
        assert steps < 100_000, "no return"
        pc = s.pc
        assert machine.step() is None, s.error
        uc.step()
        ours, theirs = _model_registers(s), uc.registers()
        if ours != theirs:
            diff = [f"{n}: 0x{a:x} vs 0x{b:x}" for n, a, b in zip(names, ours, theirs) if a != b]
            pytest.fail(f"{name}: step {steps} at pc 0x{pc:x}: model vs unicorn: {diff[:4]}")
        steps += 1
    assert s.mem.read_bytes(*out) == bytes(uc.uc.mem_read(*out))
    return steps


def test_lockstep_sha256_two_blocks() -> None:
    data = cr.sha_pad(b"lockstep" * 10, 64)
    assert len(data) == 128
    steps = _lockstep("sha256_block", [cr.STATE_AT, cr.INPUT_AT, 2],
                      {cr.STATE_AT: struct.pack("<8I", *SHA256_IV), cr.INPUT_AT: data},
                      (cr.STATE_AT, 32))
    assert steps > 200


def test_lockstep_sha512_two_blocks() -> None:
    data = cr.sha_pad(b"lockstep" * 20, 128)
    assert len(data) == 256
    _lockstep("sha512_block", [cr.STATE_AT, cr.INPUT_AT, 2],
              {cr.STATE_AT: struct.pack("<8Q", *SHA512_IV), cr.INPUT_AT: data},
              (cr.STATE_AT, 64))


def test_lockstep_aes() -> None:
    _lockstep("aes128_expand_key", [cr.INPUT_AT, cr.KEYS_AT], {cr.INPUT_AT: FIPS_KEY},
              (cr.KEYS_AT, 176))
    rk = cr.aes128_expand_key(FIPS_KEY)
    block = bytes.fromhex(ECB[0][0])
    for name in ("aes128_encrypt", "aes128_decrypt"):
        _lockstep(name, [cr.INPUT_AT, cr.OUT_AT, cr.KEYS_AT],
                  {cr.INPUT_AT: block, cr.KEYS_AT: rk}, (cr.OUT_AT, 16))


def test_lockstep_ghash() -> None:
    h, _, c, _ = gcm_ghash_vectors()[1]
    _lockstep("ghash_gmult", [cr.INPUT_AT, cr.OUT_AT], {cr.INPUT_AT: c[:16], cr.OUT_AT: h},
              (cr.INPUT_AT, 16))
