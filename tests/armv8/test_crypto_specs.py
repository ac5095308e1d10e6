"""The executable specifications in `crypto_specs` against their oracles: hashlib for SHA-256
and SHA-512 (Hypothesis over messages), FIPS-197's worked examples for AES-128, and the GCM
specification's test cases (the authentication tag = E(K, Y0) xor GHASH) for GHASH."""

from __future__ import annotations

import hashlib
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.models.armv8.bv import CONCRETE as o
from assay.models.armv8.crypto_functions import INV_SBOX, SBOX
from assay.models.armv8.crypto_specs import (
    SHA256_IV,
    SHA512_IV,
    SHA512_K,
    aes128_decrypt_block,
    aes128_encrypt_block,
    aes128_expand_key,
    ghash_mult,
    sha256_compress,
    sha512_compress,
)

# -- helpers shared with the routine tests ------------------------------------------------


def sha_pad(message: bytes, block: int) -> bytes:
    """FIPS 180-4 padding for 64-byte (SHA-256) or 128-byte (SHA-512) blocks."""
    length = 8 * len(message)
    tail = block // 8
    padded = message + b"\x80" + b"\0" * ((block - tail - 1 - len(message)) % block)
    return padded + length.to_bytes(tail, "big")


def spec_sha256(message: bytes) -> bytes:
    state = list(SHA256_IV)
    padded = sha_pad(message, 64)
    for i in range(0, len(padded), 64):
        state = sha256_compress(o, state, list(struct.unpack(">16I", padded[i:i + 64])))
    return struct.pack(">8I", *state)


def spec_sha512(message: bytes) -> bytes:
    state = list(SHA512_IV)
    padded = sha_pad(message, 128)
    for i in range(0, len(padded), 128):
        state = sha512_compress(o, state, list(struct.unpack(">16Q", padded[i:i + 128])))
    return struct.pack(">8Q", *state)


def spec_aes_encrypt(key: bytes, block: bytes) -> bytes:
    return bytes(aes128_encrypt_block(o, list(block), aes128_expand_key(o, list(key))))


def spec_ghash(h: bytes, aad: bytes, ciphertext: bytes) -> bytes:
    """GHASH_H(A, C) of SP 800-38D: zero-padded A and C blocks, then the bit lengths."""
    def blocks(data: bytes) -> list[bytes]:
        data += b"\0" * (-len(data) % 16)
        return [data[i:i + 16] for i in range(0, len(data), 16)]
    lengths = struct.pack(">QQ", 8 * len(aad), 8 * len(ciphertext))
    y, hv = 0, int.from_bytes(h, "big")
    for blk in [*blocks(aad), *blocks(ciphertext), lengths]:
        y = ghash_mult(o, y ^ int.from_bytes(blk, "big"), hv)
    return y.to_bytes(16, "big")


# GCM specification (McGrew and Viega), test cases 2, 3 and 4: K, IV (96 bits), A, C, T
K3 = "feffe9928665731c6d6a8f9467308308"
C3 = ("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985")
GCM_CASES = [
    ("00" * 16, "00" * 12, "", "0388dace60b6a392f328c2b971b2fe78",
     "ab6e47d42cec13bdf53a67b21257bddf"),
    (K3, "cafebabefacedbaddecaf888", "", C3, "4d5c2af327cd64a62cf35abd2ba6fab4"),
    (K3, "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2", C3[:120],
     "5bc94fbc3221a5db94fae95ae7121a47"),
]


def gcm_ghash_vectors() -> list[tuple[bytes, bytes, bytes, bytes]]:
    """(H, A, C, GHASH) per test case, GHASH derived from the published tag: T xor E(K, Y0)."""
    out = []
    for k, iv, a, c, t in GCM_CASES:
        key = bytes.fromhex(k)
        h = spec_aes_encrypt(key, bytes(16))
        ek_y0 = spec_aes_encrypt(key, bytes.fromhex(iv) + b"\0\0\0\1")
        ghash = bytes(x ^ y for x, y in zip(bytes.fromhex(t), ek_y0))
        out.append((h, bytes.fromhex(a), bytes.fromhex(c), ghash))
    return out


# -- SHA-2 ------------------------------------------------------------------------------


def test_sha512_constants_match_fips_180_4() -> None:
    assert SHA512_K[0] == 0x428A2F98D728AE22 and SHA512_K[1] == 0x7137449123EF65CD
    assert SHA512_K[79] == 0x6C44198C4A475817 and len(SHA512_K) == 80


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=300))
def test_sha256_spec_is_hashlib(message: bytes) -> None:
    assert spec_sha256(message) == hashlib.sha256(message).digest()


@settings(max_examples=20, deadline=None)
@given(st.binary(max_size=400))
def test_sha512_spec_is_hashlib(message: bytes) -> None:
    assert spec_sha512(message) == hashlib.sha512(message).digest()


# -- AES ----------------------------------------------------------------------------------


def test_sbox_matches_fips_197() -> None:
    assert SBOX[0x00] == 0x63 and SBOX[0x53] == 0xED and SBOX[0xFF] == 0x16
    assert all(INV_SBOX[SBOX[i]] == i for i in range(256))


def test_key_expansion_fips_197_appendix_a1() -> None:
    rk = aes128_expand_key(o, list(bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")))
    assert bytes(rk[1]).hex() == "a0fafe1788542cb123a339392a6c7605"
    assert bytes(rk[10]).hex() == "d014f9a8c9ee2589e13f0cc8b6630ca6"


def test_cipher_fips_197_examples() -> None:
    c1 = spec_aes_encrypt(bytes(range(16)), bytes.fromhex("00112233445566778899aabbccddeeff"))
    assert c1.hex() == "69c4e0d86a7b0430d8cdb78070b4c55a"  # appendix C.1
    key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
    b = spec_aes_encrypt(key, bytes.fromhex("3243f6a8885a308d313198a2e0370734"))
    assert b.hex() == "3925841d02dc09fbdc118597196a0b32"  # appendix B
    rk = aes128_expand_key(o, list(key))
    assert bytes(aes128_decrypt_block(o, list(b), rk)).hex() == \
        "3243f6a8885a308d313198a2e0370734"


@settings(max_examples=15, deadline=None)
@given(st.binary(min_size=16, max_size=16), st.binary(min_size=16, max_size=16))
def test_decrypt_inverts_encrypt(key: bytes, block: bytes) -> None:
    rk = aes128_expand_key(o, list(key))
    assert aes128_decrypt_block(o, aes128_encrypt_block(o, list(block), rk), rk) == list(block)


# -- GHASH --------------------------------------------------------------------------------


def test_ghash_gcm_test_cases() -> None:
    vectors = gcm_ghash_vectors()
    # H of test case 2 (K = 0) and test cases 3/4, as printed in the GCM specification
    assert vectors[0][0].hex() == "66e94bd4ef8a2c3b884cfa59ca342b2e"
    assert vectors[1][0].hex() == "b83b533708bf535d0aa6e52980d53b78"
    for h, a, c, ghash in vectors:
        assert spec_ghash(h, a, c) == ghash


def test_ghash_mult_is_commutative_and_has_unit() -> None:
    one = 1 << 127  # the polynomial 1: the first bit of the block
    x, y = 0x0123456789ABCDEF0FEDCBA987654321, 0xDEADBEEFCAFEBABE0011223344556677
    assert ghash_mult(o, x, one) == x
    assert ghash_mult(o, x, y) == ghash_mult(o, y, x)
