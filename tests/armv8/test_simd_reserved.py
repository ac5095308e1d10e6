"""Reserved encodings: every word that matches the fixed bits of an AdvSIMD/crypto row but
that the row's decode rejects (size = 11 with Q = 0, imm5 = x0000, PMULL with 16/32-bit
elements, ...) must also be rejected by Unicorn, and stop a model run as illegal or
unsupported without touching the state. (The accepted words are covered by conformance.)"""

from __future__ import annotations

import random

import pytest

from assay.models.armv8.machine import Machine
from assay.models.armv8.registry import classes, find
from assay.models.armv8.state import State

MY_CLASSES = [c for c in classes() if c.name.startswith(("simd_", "crypto_"))]


@pytest.mark.parametrize("cls", MY_CLASSES, ids=lambda c: c.name)
def test_reserved_words_are_rejected_like_unicorn(cls) -> None:  # type: ignore[no-untyped-def]
    import unicorn  # noqa: F401  (an oracle from the test extra)

    from assay.models.armv8.conform import CODE, WINDOW_SIZE, Case, UnicornOracle
    oracle = UnicornOracle()
    rng = random.Random(cls.name)
    for e in cls.encodings:
        for _ in range(60):
            word = e.value
            for f in e.var_fields:
                word |= rng.getrandbits(f.width) << f.lo
            if find(word) is not None:
                continue
            out = oracle.run(Case(word, CODE, [0] * 32, [7] * 32, 0, bytes(WINDOW_SIZE)))
            assert out.error is not None, f"{e.name}: unicorn executes 0x{word:08x}"
            s = State()
            s.mem.map(CODE, 0x1000)
            s.mem.write(CODE, 4, word)
            s.pc, s.v = CODE, [7] * 32
            Machine(s).run(max_steps=1)
            assert s.error is not None and s.error.kind in ("illegal", "unsupported")
            assert s.pc == CODE and s.v == [7] * 32
