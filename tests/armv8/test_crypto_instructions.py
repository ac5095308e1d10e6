"""Crypto classes beyond the generic table/capstone/Unicorn tests: hand-checked words, the
FIPS-197 worked example through AESE/AESMC/AESD/AESIMC, and unallocated or unmodelled
encodings that must stop a run instead of computing something."""

from __future__ import annotations

import pytest

from assay.models.armv8.asm import assemble_instruction
from assay.models.armv8.bv import CONCRETE
from assay.models.armv8.crypto_functions import AESMixColumns
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.machine import Machine
from assay.models.armv8.state import State

# (word, capstone 5 text)
WORDS = [
    (0x4E284820, "aese v0.16b, v1.16b"), (0x4E285820, "aesd v0.16b, v1.16b"),
    (0x4E286820, "aesmc v0.16b, v1.16b"), (0x4E287820, "aesimc v0.16b, v1.16b"),
    (0x5E020020, "sha1c q0, s1, v2.4s"), (0x5E280820, "sha1h s0, s1"),
    (0x5E023020, "sha1su0 v0.4s, v1.4s, v2.4s"), (0x5E281820, "sha1su1 v0.4s, v1.4s"),
    (0x5E024020, "sha256h q0, q1, v2.4s"), (0x5E025020, "sha256h2 q0, q1, v2.4s"),
    (0x5E282820, "sha256su0 v0.4s, v1.4s"), (0x5E026020, "sha256su1 v0.4s, v1.4s, v2.4s"),
    (0xCE628020, "sha512h q0, q1, v2.2d"), (0xCE628420, "sha512h2 q0, q1, v2.2d"),
    (0xCEC08020, "sha512su0 v0.2d, v1.2d"), (0xCE628820, "sha512su1 v0.2d, v1.2d, v2.2d"),
    (0xCE020C20, "eor3 v0.16b, v1.16b, v2.16b, v3.16b"),
    (0xCE220C20, "bcax v0.16b, v1.16b, v2.16b, v3.16b"),
    (0xCE822820, "xar v0.2d, v1.2d, v2.2d, #0xa"), (0xCE628C20, "rax1 v0.2d, v1.2d, v2.2d"),
    (0x0EE2E020, "pmull v0.1q, v1.1d, v2.1d"), (0x4EE2E020, "pmull2 v0.1q, v1.2d, v2.2d"),
    (0x0E22E020, "pmull v0.8h, v1.8b, v2.8b"), (0x4E22E020, "pmull2 v0.8h, v1.16b, v2.16b"),
]


@pytest.mark.parametrize(("word", "text"), WORDS, ids=[t for _, t in WORDS])
def test_words_print_and_assemble(word: int, text: str) -> None:
    assert disassemble(word) == text
    assert assemble_instruction(text) == word


def _le(hex_text: str) -> int:
    """A FIPS-197 block (bytes in order) as the 128-bit register value LD1 would load."""
    return int.from_bytes(bytes.fromhex(hex_text), "little")


def _run(word: int, v: dict[int, int]) -> State:
    s = State()
    s.mem.map(0x1000, 0x1000)
    s.mem.write(0x1000, 4, word)
    s.pc = 0x1000
    for i, val in v.items():
        s.v[i] = val
    Machine(s).run(max_steps=1)
    return s


def test_fips_197_appendix_b_first_round() -> None:
    """input xor key -> SubBytes -> ShiftRows (AESE), then MixColumns (AESMC), and back."""
    pt, key = _le("3243f6a8885a308d313198a2e0370734"), _le("2b7e151628aed2a6abf7158809cf4f3c")
    after_shift_rows = _le("d4bf5d30e0b452aeb84111f11e2798e5")
    after_mix = _le("046681e5e0cb199a48f8d37a2806264c")
    assert _run(0x4E284820, {0: pt, 1: key}).v[0] == after_shift_rows  # aese v0, v1
    assert _run(0x4E286820, {1: after_shift_rows}).v[0] == after_mix  # aesmc v0, v1
    assert _run(0x4E287820, {1: after_mix}).v[0] == after_shift_rows  # aesimc v0, v1
    # aesd v0, v1 with a zero key: InvShiftRows, InvSubBytes give back input xor key
    assert _run(0x4E285820, {0: after_shift_rows, 1: 0}).v[0] == pt ^ key


@pytest.mark.parametrize(("word", "kind"), [
    (0x4E684820, "unsupported"),  # AESE with size = 01: no crypto row claims it
    (0x0E62E020, "illegal"),      # PMULL with size = 01: reserved in the PMULL row
    (0xCE60C020, "unsupported"),  # SM3PARTW1 (O = 1): not modelled
    (0x0F00F401, "unsupported"),  # FMOV (vector, immediate): not modelled
])
def test_unallocated_and_unmodelled_words_stop_the_run(word: int, kind: str) -> None:
    s = _run(word, {0: 5, 1: 7})
    assert s.error is not None and s.error.kind == kind
    assert f"0x{word:08x} at pc 0x1000" in s.error.message
    assert s.pc == 0x1000 and s.v[0] == 5 and s.v[1] == 7  # nothing executed


def test_pmull_64_is_carry_less() -> None:
    # (x + 1) * (x + 1) = x^2 + 1 over GF(2): no carry into bit 1
    assert _run(0x0EE2E020, {1: 3, 2: 3}).v[0] == 5
    top = 1 << 63
    assert _run(0x0EE2E020, {1: top, 2: top}).v[0] == 1 << 126
    # PMULL2 reads the upper halves
    assert _run(0x4EE2E020, {1: 3 << 64, 2: 6 << 64}).v[0] == 10


def test_rewritten_instruction_is_decoded_again() -> None:
    """The machine caches decode per pc; rewriting the word in place must be seen."""
    s = State()
    s.mem.map(0x1000, 0x1000)
    s.v[1], s.v[2], s.v[3] = 0x1234, 0xFF00, 0x0F0F
    m = Machine(s)
    s.mem.write(0x1000, 4, 0x4E286820)  # aesmc v0.16b, v1.16b
    s.pc = 0x1000
    m.run(max_steps=1)
    assert s.v[0] == AESMixColumns(CONCRETE, 0x1234)
    s.mem.write(0x1000, 4, 0xCE020C20)  # eor3 v0.16b, v1.16b, v2.16b, v3.16b
    s.pc = 0x1000
    m.run(max_steps=1)
    assert s.v[0] == 0x1234 ^ 0xFF00 ^ 0x0F0F
