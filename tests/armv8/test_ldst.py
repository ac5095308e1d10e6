"""Load/store classes: hand-picked semantics (interleaving, lanes, replication, sign extension,
writeback), CONSTRAINED UNPREDICTABLE encodings rejected, routine-shaped sequences compared with
Unicorn step by step, and a Hypothesis property: STn then LDn restores the registers."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.models.armv8.asm import assemble_lines
from assay.models.armv8.conform import WINDOW, WINDOW_SIZE, Case, ModelRunner, UnicornOracle
from assay.models.armv8.machine import Machine
from assay.models.armv8.registry import find
from assay.models.armv8.state import Memory, State

CODE, DATA = 0x10000, 0x20000
M128 = (1 << 128) - 1


def run(text: str, x: dict[int, int] | None = None, v: dict[int, int] | None = None,
        data: bytes = b"") -> State:
    s = State(Memory())
    code = assemble_lines(text, CODE)
    s.mem.map(CODE, 0x1000)
    s.mem.write_bytes(CODE, code)
    s.mem.map(DATA, 0x1000)
    s.mem.write_bytes(DATA, data)
    for i, val in (x or {}).items():
        s.x[i] = val
    for i, val in (v or {}).items():
        s.v[i] = val
    s.pc = CODE
    Machine(s).run(max_steps=len(code) // 4)
    assert s.error is None, s.error
    return s


def lanes(value: int, esize: int) -> list[int]:
    return [(value >> (esize * i)) & ((1 << esize) - 1) for i in range(128 // esize)]


def test_ld2_deinterleaves_and_st2_interleaves() -> None:
    data = bytes(range(32))
    s = run("ld2 {v0.8h, v1.8h}, [x0], #32\nst2 {v0.8h, v1.8h}, [x1]",
            x={0: DATA, 1: DATA + 0x100}, data=data)
    halves = [int.from_bytes(data[i:i + 2], "little") for i in range(0, 32, 2)]
    assert lanes(s.v[0], 16) == halves[0::2]
    assert lanes(s.v[1], 16) == halves[1::2]
    assert s.x[0] == DATA + 32
    assert s.mem.read_bytes(DATA + 0x100, 32) == data


def test_ld1_lane_keeps_other_lanes_and_ld1r_replicates() -> None:
    data = bytes.fromhex("efbeadde") + bytes(12)
    s = run("ld1 {v0.s}[2], [x0]\nld1r {v1.4h}, [x0], x2",
            x={0: DATA, 2: 6}, v={0: M128, 1: M128}, data=data)
    assert lanes(s.v[0], 32) == [0xFFFFFFFF, 0xFFFFFFFF, 0xDEADBEEF, 0xFFFFFFFF]
    assert s.v[1] == 0xBEEF_BEEF_BEEF_BEEF  # a 64-bit arrangement clears the upper half
    assert s.x[0] == DATA + 6


def test_sign_extension_and_writeback() -> None:
    data = bytes.fromhex("80ff7f00fffffffe")
    s = run("""ldrsb x1, [x0]
               ldrsb w2, [x0]
               ldrsh x3, [x0, #2]
               ldpsw x4, x5, [x0], #8
               ldr w6, [x7, #-4]!""",
            x={0: DATA, 7: DATA + 8}, data=data)
    assert s.x[1] == 0xFFFFFFFFFFFFFF80
    assert s.x[2] == 0xFFFFFF80
    assert s.x[3] == 0x7F
    assert (s.x[4], s.x[5]) == (0x007FFF80, 0xFFFFFFFFFEFFFFFF)
    assert s.x[0] == DATA + 8
    assert (s.x[6], s.x[7]) == (0xFEFFFFFF, DATA + 4)


def test_register_offset_extends() -> None:
    s = run("str x1, [x0, w2, sxtw #3]\nldrb w3, [x0, x4, lsl #0]",
            x={0: DATA + 0x80, 1: 0x1122334455667788, 2: 0xFFFFFFFE, 4: 0x7A},
            data=bytes(range(256)))
    assert s.mem.read(DATA + 0x80 - 16, 8) == 0x1122334455667788
    assert s.x[3] == 0xFA


@pytest.mark.parametrize("text, word", [
    ("ldr x0, [x0], #8", 0xF8408400),        # writeback into the loaded register
    ("str x1, [x1, #16]!", 0xF8010C21),      # writeback into the stored register
    ("ldp x0, x0, [x2]", 0xA9400040),        # the same register loaded twice
    ("ldp x2, x3, [x2], #16", 0xA8C10C42),   # writeback into a loaded pair register
])
def test_constrained_unpredictable_is_rejected(text: str, word: int) -> None:
    assert find(word) is None, f"{text} should not decode"
    s = State(Memory())
    s.mem.map(CODE, 0x1000)
    s.mem.write(CODE, 4, word)
    s.pc = CODE
    Machine(s).run(max_steps=1)
    assert s.error is not None and s.error.kind == "illegal"
    assert "unallocated instruction" in s.error.message


ROUTINE = """
    stp x29, x30, [sp, #-32]!
    ldp q0, q1, [x0], #32
    ld1 {v2.16b, v3.16b, v4.16b, v5.16b}, [x0], #64
    ld4 {v16.s, v17.s, v18.s, v19.s}[1], [x1]
    st3 {v2.4s, v3.4s, v4.4s}, [x1], x3
    ldr x4, [x0, x5, lsl #3]
    ldrsh w6, [x0, #-2]!
    str q5, [sp, #16]
    ld1r {v20.8h}, [sp]
    ldp x29, x30, [sp], #32
    stnp d0, d1, [x1, #-16]
    ldur w7, [x1, #-3]
"""


def test_routine_agrees_with_unicorn_step_by_step() -> None:
    import unicorn  # noqa: F401  (an oracle from the test extra)

    from assay.models.armv8.conform import CODE as CCODE
    code = assemble_lines(ROUTINE, CCODE)
    words = [int.from_bytes(code[i:i + 4], "little") for i in range(0, len(code), 4)]
    rng = random.Random(7)
    model, oracle = ModelRunner(), UnicornOracle()
    x = [rng.getrandbits(64) for _ in range(32)]
    x[0], x[1], x[3], x[5] = WINDOW + 0x100, WINDOW + 0x800, 48, 3
    x[31] = WINDOW + WINDOW_SIZE - 0x100
    v = [rng.getrandbits(128) for _ in range(32)]
    window, nzcv = rng.randbytes(WINDOW_SIZE), 0
    for k, w in enumerate(words):
        case = Case(w, CCODE + 4 * k, x, v, nzcv, window)
        ours, theirs = model.run(case), oracle.run(case)
        assert ours.error is None and not ours.diff(theirs), (k, ours.diff(theirs))
        x, v, nzcv, window = ours.x, ours.v, ours.nzcv, ours.window


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 4), arrangement=st.sampled_from(["16b", "8h", "4s", "2d", "8b", "2s"]),
       first=st.integers(0, 31), values=st.lists(st.integers(0, M128), min_size=4, max_size=4))
def test_store_then_load_structures_restores_registers(n: int, arrangement: str, first: int,
                                                       values: list[int]) -> None:
    regs = [(first + i) % 32 for i in range(n)]
    listing = ", ".join(f"v{r}.{arrangement}" for r in regs)
    mask = M128 if arrangement in ("16b", "8h", "4s", "2d") else (1 << 64) - 1
    start = {r: values[i] & mask for i, r in enumerate(regs)}
    s = run(f"st{n} {{{listing}}}, [x0]\n" + "".join(f"movi v{r}.2d, #0\n" for r in regs)
            + f"ld{n} {{{listing}}}, [x0], #{n * (16 if mask == M128 else 8)}",
            x={0: DATA}, v=start)
    assert {r: s.v[r] for r in regs} == start


@pytest.mark.parametrize("text, old, value, new", [
    # Arm ARM LDSMAX/LDSMIN: signed comparison at the access size (Unicorn 2.1 compares these
    # sub-64-bit operands unsigned, hence hand-computed expectations here).
    ("ldsmax w1, w2, [x0]", 0xFFFFFFF0, 3, 3),
    ("ldsmax w1, w2, [x0]", 0x80000000, 0x7FFFFFFF, 0x7FFFFFFF),
    ("ldsmin w1, w2, [x0]", 3, 0xFFFFFFF0, 0xFFFFFFF0),
    ("ldsmaxb w1, w2, [x0]", 0x80, 0x7F, 0x7F),
    ("ldsminh w1, w2, [x0]", 0x7FFF, 0x8000, 0x8000),
    ("ldumax w1, w2, [x0]", 0xFFFFFFF0, 3, 0xFFFFFFF0),
    ("ldclr x1, x2, [x0]", 0xFF, 0x0F, 0xF0),
    ("ldeorh w1, w2, [x0]", 0x1234, 0xFFFF, 0xEDCB),
    ("swpb w1, w2, [x0]", 0x11, 0x22, 0x22),
])
def test_atomic_operations(text: str, old: int, value: int, new: int) -> None:
    s = run(text, x={0: DATA, 1: value | 0xABCD_0000_0000_0000}, data=old.to_bytes(8, "little"))
    size = {"b": 1, "h": 2}.get(text.split()[0][-1], 8 if "x1" in text else 4)
    assert s.mem.read(DATA, size) == new
    assert s.x[2] == old  # the old value, zero-extended


def test_compare_and_swap() -> None:
    s = run("cas x1, x2, [x0]\ncas x3, x4, [x5]",
            x={0: DATA, 1: 7, 2: 99, 3: 1, 4: 55, 5: DATA + 8},
            data=(7).to_bytes(8, "little") + (8).to_bytes(8, "little"))
    assert (s.mem.read(DATA, 8), s.x[1]) == (99, 7)      # equal: stored, Rs = old
    assert (s.mem.read(DATA + 8, 8), s.x[3]) == (8, 8)   # different: kept, Rs = old


def test_atomic_alignment() -> None:
    s = State(Memory())
    s.mem.map(CODE, 0x1000)
    s.mem.map(DATA, 0x1000)
    s.mem.write_bytes(CODE, assemble_lines("ldar x1, [x0]\nldadd w2, w3, [x0]", CODE))
    s.x[0], s.pc = DATA + 2, CODE
    Machine(s).run(max_steps=2)
    assert s.error is not None and s.error.kind == "fault" and s.error.pc == CODE + 4
    assert "alignment fault" in s.error.message


def test_store_aliases_print_and_assemble() -> None:
    from assay.models.armv8.asm import assemble_instruction
    from assay.models.armv8.disasm import disassemble
    word = assemble_instruction("staddl x1, [x2]")
    assert word == 0xF861005F and disassemble(word) == "staddl x1, [x2]"
    assert disassemble(assemble_instruction("ldadda x1, xzr, [x2]")) == "ldadda x1, xzr, [x2]"
