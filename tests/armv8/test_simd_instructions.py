"""AdvSIMD classes beyond the generic tests: capstone's spellings (aliases, hex element
indices, the 64-bit MOVI immediate), the other spellings the assembler accepts, and edge values
(shift by the element size, table indices past the table, half-register writes) run in the
model and in Unicorn from chosen register values."""

from __future__ import annotations

import random

import pytest

from assay.models.armv8.asm import AsmError, assemble_instruction
from assay.models.armv8.disasm import disassemble

# (word, capstone 5 text)
WORDS = [
    (0x4EA11C20, "mov v0.16b, v1.16b"), (0x4EA21C20, "orr v0.16b, v1.16b, v2.16b"),
    (0x6E205820, "mvn v0.16b, v1.16b"), (0x0E205820, "cnt v0.8b, v1.8b"),
    (0x6E605820, "rbit v0.16b, v1.16b"), (0x4EA00820, "rev64 v0.4s, v1.4s"),
    (0x4E212820, "xtn2 v0.16b, v1.8h"), (0x4F410420, "sshr v0.2d, v1.2d, #0x3f"),
    (0x6F385420, "sli v0.4s, v1.4s, #0x18"), (0x2F20A420, "ushll v0.2d, v1.2s, #0"),
    (0x7F7D0420, "ushr d0, d1, #3"), (0x6E024020, "ext v0.16b, v1.16b, v2.16b, #8"),
    (0x4E0223E0, "tbl v0.16b, {v31.16b, v0.16b}, v2.16b"),
    (0x0E027020, "tbx v0.8b, {v1.16b, v2.16b, v3.16b, v4.16b}, v2.8b"),
    (0x4E1C0466, "dup v6.4s, v3.s[3]"), (0x4E080C82, "dup v2.2d, x4"),
    (0x4E0C1C40, "mov v0.s[1], w2"), (0x6E073C20, "mov v0.b[3], v1.b[7]"),
    (0x0E0C3C20, "mov w0, v1.s[1]"), (0x0E033C20, "umov w0, v1.b[1]"),
    (0x0E173CCD, "umov w13, v6.b[0xb]"), (0x4E0C2C20, "smov x0, v1.s[1]"),
    (0x5E180420, "mov d0, v1.d[1]"), (0x6F00E400, "movi v0.2d, #0000000000000000"),
    (0x2F00E56D, "movi d13, #0x000000ff00ffff"), (0x4F00C761, "movi v1.4s, #0x1b, msl #8"),
    (0x6F004761, "mvni v1.4s, #0x1b, lsl #16"), (0x6F009761, "bic v1.8h, #0x1b"),
    (0x9EAF0020, "fmov v0.d[1], x1"), (0x1E260020, "fmov w0, s1"),
    (0x4EB1B820, "addv s0, v1.4s"), (0x5EF1B820, "addp d0, v1.2d"),
    (0x6EA28C20, "cmeq v0.4s, v1.4s, v2.4s"), (0x7EE28C20, "cmeq d0, d1, d2"),
    (0x6EA2C020, "umull2 v0.2d, v1.4s, v2.4s"), (0x0E628020, "smlal v0.4s, v1.4h, v2.4h"),
    (0x6E221020, "uaddw2 v0.8h, v1.8h, v2.16b"), (0x4EE24420, "sshl v0.2d, v1.2d, v2.2d"),
    (0x7EE24420, "ushl d0, d1, d2"), (0x4E629420, "mla v0.8h, v1.8h, v2.8h"),
    (0x6EA26C20, "umin v0.4s, v1.4s, v2.4s"), (0x6E70A820, "umaxv h0, v1.8h"),
    (0x6EB03820, "uaddlv d0, v1.4s"), (0x6EA06820, "uadalp v0.2d, v1.4s"),
    (0x4EA04820, "cls v0.4s, v1.4s"), (0x6E204820, "clz v0.16b, v1.16b"),
]


@pytest.mark.parametrize(("word", "text"), WORDS, ids=[t for _, t in WORDS])
def test_words_print_as_capstone_and_assemble(word: int, text: str) -> None:
    assert disassemble(word) == text
    assert assemble_instruction(text) == word


@pytest.mark.parametrize(("text", "word"), [
    ("orr v0.8b, v1.8b, v1.8b", 0x0EA11C20),        # the mov alias's underlying form
    ("not v0.16b, v1.16b", 0x6E205820),             # printed mvn
    ("ins v0.d[1], x2", 0x4E181C40),                # printed mov
    ("umov x0, v1.d[1]", 0x4E183C20),
    ("tbl v0.16b, {v1.16b-v2.16b}, v2.16b", 0x4E022020),  # a register range
    ("movi v0.2d, #0", 0x6F00E400),
    ("movi v0.2d, #0xff00ff00ff00ff00", 0x6F05E540),
    ("mov v0.b[11], w1", 0x4E171C20),               # a decimal index
    ("MOVI V1.4S, #0x1B, LSL #8", 0x4F002761),      # upper case
    ("uxtl v0.2d, v1.2s", 0x2F20A420),              # assembler-only aliases of xSHLL #0
    ("sxtl2 v0.4s, v1.8h", 0x4F10A420),
])
def test_other_spellings_assemble(text: str, word: int) -> None:
    assert assemble_instruction(text) == word


@pytest.mark.parametrize("text", [
    "add v0.2d, v1.2d, v2.4s",          # mixed arrangements
    "add v0.1d, v1.1d, v2.1d",          # reserved: size 11 with Q = 0
    "shl v0.4s, v1.4s, #32",            # shift out of range
    "sshr v0.4s, v1.4s, #0",
    "movi v0.2d, #0x1234",              # not bytes of 0x00/0xff
    "mov v0.s[4], w1",                  # index out of range
    "tbl v0.16b, {v1.16b, v3.16b}, v2.16b",  # not consecutive
    "dup v0.2d, w1",                    # 64-bit elements need an X register
    "uxtl v0.2d, v1.2d",                # UXTL widens: the source is the narrow arrangement
])
def test_bad_operands_are_rejected(text: str) -> None:
    with pytest.raises(AsmError):
        assemble_instruction(text)


# -- edge values, model against Unicorn -----------------------------------------------------

EDGES = [
    "sshr v0.4s, v1.4s, #32", "ushr v0.2d, v1.2d, #64", "sri v0.8h, v1.8h, #16",
    "usra v0.16b, v1.16b, #8", "sli v0.2d, v1.2d, #63", "shl d0, d1, #63",
    "sshll2 v0.2d, v1.4s, #31", "shrn2 v0.16b, v1.8h, #8", "xtn2 v0.4s, v1.2d",
    "tbl v0.16b, {v30.16b, v31.16b, v0.16b}, v2.16b", "tbx v0.8b, {v1.16b}, v2.8b",
    "tbx v0.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v0.16b", "ext v0.8b, v1.8b, v2.8b, #7",
    "fmov v3.d[1], xzr", "fmov h0, w1", "fmov x2, h3", "smov x0, v1.b[15]", "umov w0, v1.h[7]",
    "mov v0.d[1], v0.d[0]", "dup v0.8b, v0.b[15]", "movi v3.2s, #0xff, msl #16",
    "bic v3.4s, #0xff, lsl #24", "addv b0, v1.16b", "addp v0.2d, v0.2d, v0.2d",
    "cmge v0.2d, v1.2d, #0", "abs v0.16b, v1.16b", "neg v0.2d, v1.2d",
    "cmhi v0.8b, v1.8b, v2.8b", "bsl v0.16b, v1.16b, v2.16b", "bif v0.8b, v1.8b, v2.8b",
    "xar v0.2d, v1.2d, v2.2d, #0", "xar v0.2d, v1.2d, v2.2d, #63", "sha1h s0, s0",
    "pmull v0.8h, v0.8b, v0.8b", "sshl v0.16b, v1.16b, v2.16b", "ushl v0.2d, v1.2d, v2.2d",
    "sshl d0, d1, d2", "smlsl2 v0.2d, v1.4s, v2.4s", "umull v0.8h, v1.8b, v2.8b",
    "sminv b0, v1.16b", "saddlv s0, v1.8h", "cls v0.8b, v1.8b", "saddlp v0.1d, v1.2s",
]


@pytest.fixture(scope="module")
def campaign():  # type: ignore[no-untyped-def]
    import unicorn  # noqa: F401  (an oracle from the test extra)

    from assay.models.armv8.conform import Campaign
    return Campaign()


@pytest.mark.parametrize("text", EDGES)
def test_edge_values_agree_with_unicorn(text: str, campaign) -> None:  # type: ignore[no-untyped-def]
    from assay.models.armv8.conform import CODE, WINDOW_SIZE, Case
    word = assemble_instruction(text)
    rng = random.Random(text)
    special = [0, (1 << 128) - 1, 1 << 127, 0x8000000080000000_8000000080000000,
               0x0F0E0D0C0B0A09080706050403020100, 0x1F101F1020202020_0001FF0F10112030]
    for trial in range(12):
        v = [rng.choice(special) if trial % 2 else rng.getrandbits(128) for _ in range(32)]
        x = [rng.getrandbits(64) for _ in range(32)]
        case = Case(word, CODE, x, v, rng.getrandbits(4), bytes(WINDOW_SIZE))
        assert campaign.check(case) == [], (text, trial)
