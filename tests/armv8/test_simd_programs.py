"""Random straight-line programs of AdvSIMD and crypto instructions, run in the model and in
Unicorn side by side: every register must agree after every instruction. Single-instruction
conformance starts each case from fresh state; programs also check what one instruction leaves
for the next (e.g. SHA256H followed by SHA256H2 on the same or on changed inputs, which the
model evaluates once when the inputs repeat)."""

from __future__ import annotations

import random

import pytest

from assay.models.armv8.asm import assemble_instruction
from assay.models.armv8.conform import random_word
from assay.models.armv8.machine import Machine
from assay.models.armv8.registry import classes
from assay.models.armv8.state import State

CODE = 0x10000
MY_ROWS = [e for c in classes() if c.name.startswith(("simd_", "crypto_")) for e in c.encodings]
SHA256_PAIR = ["mov v2.16b, v0.16b", "sha256h q0, q1, v16.4s", "sha256h2 q1, q2, v16.4s"]


def _program(rng: random.Random, length: int) -> list[int]:
    words: list[int] = []
    while len(words) < length:
        if rng.random() < 0.1:  # the SHA-256 round idiom, sometimes with W changed in between
            pair = [assemble_instruction(t) for t in SHA256_PAIR]
            if rng.random() < 0.5:
                pair.insert(2, assemble_instruction("add v16.4s, v16.4s, v17.4s"))
            words += pair
        else:
            w = random_word(rng.choice(MY_ROWS), rng)
            if w is not None:
                words.append(w)
    return words


@pytest.mark.parametrize("seed", range(4))
def test_random_programs_agree_with_unicorn_step_by_step(seed: int) -> None:
    import unicorn  # noqa: F401  (an oracle from the test extra)
    from unicorn import UC_ARCH_ARM64, UC_MODE_ARM, Uc
    from unicorn import arm64_const as c
    rng = random.Random(seed)
    words = _program(rng, 150)
    code = b"".join(w.to_bytes(4, "little") for w in words)
    x = [rng.getrandbits(64) for _ in range(31)]
    v = [rng.getrandbits(128) for _ in range(32)]

    s = State()
    s.mem.map(CODE, 0x1000)
    s.mem.write_bytes(CODE, code)
    s.x[:31], s.v, s.pc = list(x), list(v), CODE
    uc = Uc(UC_ARCH_ARM64, UC_MODE_ARM, cpu=c.UC_CPU_ARM64_MAX)
    uc.mem_map(CODE, 0x1000)
    uc.mem_write(CODE, code)
    xregs = [c.UC_ARM64_REG_X0 + i for i in range(29)] + [c.UC_ARM64_REG_X29, c.UC_ARM64_REG_X30]
    qregs = [c.UC_ARM64_REG_Q0 + i for i in range(32)]
    uc.reg_write_batch([*zip(xregs, x), *zip(qregs, v), (c.UC_ARM64_REG_SP, 0),
                        (c.UC_ARM64_REG_NZCV, 0)])
    machine, pc = Machine(s), CODE
    for i, word in enumerate(words):
        assert machine.step() is None, s.error
        uc.emu_start(pc, CODE + 4 * len(words), count=1)
        pc = uc.reg_read(c.UC_ARM64_REG_PC)
        theirs = uc.reg_read_batch([*xregs, *qregs])
        if [*s.x[:31], *s.v] != list(theirs) or s.pc != pc:
            diff = [n for n, a, b in zip([f"x{k}" for k in range(31)] + [f"v{k}" for k in range(32)],
                                        [*s.x[:31], *s.v], theirs) if a != b]
            pytest.fail(f"seed {seed}, instruction {i} (0x{word:08x}): {diff[:5]}")
