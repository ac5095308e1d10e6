"""Executable specifications of the bundled crypto routines, straight from the standards and
written over the bit-vector interface `o` (so a symbolic run can be compared with them):

- `sha256_compress` / `sha512_compress`: FIPS 180-4 sections 6.2.2 and 6.4.2, one block;
- `aes128_expand_key`, `aes128_encrypt_block`, `aes128_decrypt_block`: FIPS-197 sections 5.2,
  5.1 and 5.3 (the straightforward inverse cipher), on 16 bytes;
- `ghash_mult`: NIST SP 800-38D Algorithm 1 (bit by bit, with GCM's reflected bit order).

They work on lists of words or bytes as the standards do, deliberately not on the packed
128-bit registers the instructions use, so a routine checked against them is checked against
a second formulation. The AES S-box table is shared with `crypto_functions` (built from the
GF(2^8) inverse and affine map, and checked against FIPS-197 by the tests).

Trusted: these are the meaning of "correct" for the routines; the tests check them against
hashlib and the published vectors.
"""

from __future__ import annotations

from typing import Any

from .crypto_functions import INV_SBOX, SBOX, SHAchoose, SHAmajority, table_lookup

Ops = Any
V = Any

SHA256_K = (
    0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4,
    0xAB1C5ED5, 0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE,
    0x9BDC06A7, 0xC19BF174, 0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F,
    0x4A7484AA, 0x5CB0A9DC, 0x76F988DA, 0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7,
    0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967, 0x27B70A85, 0x2E1B2138, 0x4D2C6DFC,
    0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85, 0xA2BFE8A1, 0xA81A664B,
    0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070, 0x19A4C116,
    0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
    0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7,
    0xC67178F2,
)
SHA256_IV = (0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
             0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19)


def _primes(count: int) -> list[int]:
    out: list[int] = []
    k = 2
    while len(out) < count:
        if all(k % p for p in out):
            out.append(k)
        k += 1
    return out


def _icbrt(n: int) -> int:
    lo, hi = 0, 1
    while hi ** 3 <= n:
        hi *= 2
    while lo < hi - 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if mid ** 3 <= n else (lo, mid)
    return lo


# FIPS 180-4 4.2.3: the first 64 bits of the fractional parts of the cube roots of the first
# 80 primes (the tests check the first and last against the standard's table).
SHA512_K = tuple(_icbrt(p << 192) & ((1 << 64) - 1) for p in _primes(80))
SHA512_IV = (0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
             0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179)

# (Sigma0, Sigma1, sigma0, sigma1) rotation/shift amounts; the last of a sigma is a shift
_SHA256_ROT = ((2, 13, 22), (6, 11, 25), (7, 18, 3), (17, 19, 10))
_SHA512_ROT = ((28, 34, 39), (14, 18, 41), (1, 8, 7), (19, 61, 6))


def _compress(o: Ops, state: list[V], block: list[V], k: tuple[int, ...], rot: Any,
              n: int) -> list[V]:
    """FIPS 180-4's compression function, for word size n (32 or 64)."""
    add, xor, ror = o.bvadd, o.bvxor, o.rotate_right

    def big(x: V, r: tuple[int, int, int]) -> V:
        return xor(xor(ror(x, r[0], n), ror(x, r[1], n), n), ror(x, r[2], n), n)

    def small(x: V, r: tuple[int, int, int]) -> V:
        return xor(xor(ror(x, r[0], n), ror(x, r[1], n), n), o.bvlshr(x, r[2], n), n)

    w = list(block)
    for t in range(16, len(k)):
        w.append(add(add(small(w[t - 2], rot[3]), w[t - 7], n),
                     add(small(w[t - 15], rot[2]), w[t - 16], n), n))
    a, b, c, d, e, f, g, h = state
    for t in range(len(k)):
        t1 = add(add(add(h, big(e, rot[1]), n), add(SHAchoose(o, e, f, g, n), o.const(k[t], n),
                                                     n), n), w[t], n)
        t2 = add(big(a, rot[0]), SHAmajority(o, a, b, c, n), n)
        a, b, c, d, e, f, g, h = add(t1, t2, n), a, b, c, add(d, t1, n), e, f, g
    return [add(x, y, n) for x, y in zip(state, (a, b, c, d, e, f, g, h))]


def sha256_compress(o: Ops, state: list[V], block: list[V]) -> list[V]:
    """The new eight 32-bit state words after one block of sixteen 32-bit (big-endian) words."""
    return _compress(o, state, block, SHA256_K, _SHA256_ROT, 32)


def sha512_compress(o: Ops, state: list[V], block: list[V]) -> list[V]:
    return _compress(o, state, block, SHA512_K, _SHA512_ROT, 64)


# -- AES-128 on byte lists (byte i of a block = row i mod 4 of column i div 4) ---------------


def _xtime(o: Ops, b: V) -> V:
    return o.bvxor(o.bvshl(b, 1, 8), o.ite(o.bit(b, 7), o.const(0x1B, 8), o.const(0, 8)), 8)


def _gmul(o: Ops, b: V, k: int) -> V:
    """b * k in GF(2^8) for a small constant k, by doubling and adding."""
    acc, p = o.const(0, 8), b
    while k:
        if k & 1:
            acc = o.bvxor(acc, p, 8)
        p, k = _xtime(o, p), k >> 1
    return acc


def _mix(o: Ops, s: list[V], m: tuple[int, int, int, int]) -> list[V]:
    out = []
    for c in range(4):
        col = s[4 * c:4 * c + 4]
        for r in range(4):
            acc = o.const(0, 8)
            for j in range(4):
                acc = o.bvxor(acc, _gmul(o, col[j], m[(j - r) % 4]), 8)
            out.append(acc)
    return out


def _add_round_key(o: Ops, s: list[V], rk: list[V]) -> list[V]:
    return [o.bvxor(a, b, 8) for a, b in zip(s, rk)]


def aes128_expand_key(o: Ops, key: list[V]) -> list[list[V]]:
    """The 11 round keys (16 bytes each) of a 16-byte key."""
    w = [key[4 * i:4 * i + 4] for i in range(4)]
    rcon = 1
    for i in range(4, 44):
        t = list(w[i - 1])
        if i % 4 == 0:
            t = [table_lookup(o, SBOX, x, 8, 8) for x in t[1:] + t[:1]]
            t[0] = o.bvxor(t[0], o.const(rcon, 8), 8)
            rcon = ((rcon << 1) ^ (0x11B if rcon & 0x80 else 0)) & 0xFF
        w.append([o.bvxor(a, b, 8) for a, b in zip(w[i - 4], t)])
    return [sum(w[4 * r:4 * r + 4], []) for r in range(11)]


def aes128_encrypt_block(o: Ops, block: list[V], round_keys: list[list[V]]) -> list[V]:
    s = _add_round_key(o, block, round_keys[0])
    for r in range(1, 11):
        s = [table_lookup(o, SBOX, x, 8, 8) for x in s]
        s = [s[4 * ((i // 4 + i % 4) % 4) + i % 4] for i in range(16)]  # ShiftRows
        if r < 10:
            s = _mix(o, s, (2, 3, 1, 1))
        s = _add_round_key(o, s, round_keys[r])
    return s


def aes128_decrypt_block(o: Ops, block: list[V], round_keys: list[list[V]]) -> list[V]:
    s = _add_round_key(o, block, round_keys[10])
    for r in range(9, -1, -1):
        s = [s[4 * ((i // 4 - i % 4) % 4) + i % 4] for i in range(16)]  # InvShiftRows
        s = [table_lookup(o, INV_SBOX, x, 8, 8) for x in s]
        s = _add_round_key(o, s, round_keys[r])
        if r > 0:
            s = _mix(o, s, (14, 11, 13, 9))
    return s


# -- GHASH ------------------------------------------------------------------------------------


def ghash_mult(o: Ops, x: V, y: V) -> V:
    """X * Y in GF(2^128) by SP 800-38D Algorithm 1; X and Y are 128-bit values holding the
    blocks big-endian (byte 0 of the block in bits 127..120), as the specification writes
    them. R = 11100001 || 0^120."""
    r = o.const(0xE1 << 120, 128)
    z = o.const(0, 128)
    v = y
    zero = o.const(0, 128)
    for i in range(127, -1, -1):
        z = o.bvxor(z, o.ite(o.bit(x, i), v, zero), 128)
        v = o.bvxor(o.bvlshr(v, 1, 128), o.ite(o.bit(v, 0), r, zero), 128)
    return z
