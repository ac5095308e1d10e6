"""A long conformance campaign for the AdvSIMD and crypto classes (`pytest -m slow`): 10,000
random cases per class against Unicorn, plus the bundled routines on many random inputs. CI runs
the short fixed-size version in test_conformance.py and the vectors in test_routines.py."""

from __future__ import annotations

import hashlib
import random

import pytest

from assay.models.armv8 import crypto_routines as cr
from assay.models.armv8.bv import CONCRETE
from assay.models.armv8.crypto_specs import aes128_encrypt_block, aes128_expand_key, ghash_mult

SIMD_CRYPTO_CLASSES = [
    "crypto_aes", "crypto_sha", "crypto_sha3", "crypto_sha512", "simd_across", "simd_by_element",
    "simd_copy", "simd_fmov_gen", "simd_modified_imm", "simd_permute", "simd_shift_imm",
    "simd_three_diff", "simd_three_same", "simd_two_reg_misc",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", SIMD_CRYPTO_CLASSES)
def test_simd_crypto_campaign(name: str) -> None:
    import unicorn  # noqa: F401  (an oracle from the test extra)

    from assay.models.armv8.conform import Campaign
    from assay.models.armv8.registry import class_named
    report = Campaign().run([class_named(name)], 10_000, seed=11)
    assert report.tests[name] == 10_000
    assert not report.mismatches, report.mismatches[:3]


@pytest.mark.slow
def test_routines_on_random_inputs() -> None:
    rng = random.Random(2026)
    for _ in range(20):
        message = rng.randbytes(rng.randrange(600))
        assert cr.sha256(message) == hashlib.sha256(message).digest()
        assert cr.sha512(message) == hashlib.sha512(message).digest()
        key, block = rng.randbytes(16), rng.randbytes(16)
        rk = cr.aes128_expand_key(key)
        spec_rk = aes128_expand_key(CONCRETE, list(key))
        assert rk == bytes(b for r in spec_rk for b in r)
        ct = cr.aes128_encrypt(block, rk)
        assert ct == bytes(aes128_encrypt_block(CONCRETE, list(block), spec_rk))
        assert cr.aes128_decrypt(ct, rk) == block
        x, h = rng.randbytes(16), rng.randbytes(16)
        product = ghash_mult(CONCRETE, int.from_bytes(x, "big"), int.from_bytes(h, "big"))
        assert cr.ghash_gmult(x, h) == product.to_bytes(16, "big")


def test_simd_crypto_classes_are_registered() -> None:
    from assay.models.armv8.registry import classes
    names = {c.name for c in classes()}
    assert set(SIMD_CRYPTO_CLASSES) == {n for n in names if n.startswith(("simd_", "crypto_"))}
