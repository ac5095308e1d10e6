"""The semantics are interpretation-independent: instructions from every class run over core
terms with symbolic inputs (registers, flags, memory bytes), and the ground evaluator, given
random concrete inputs, reproduces the concrete run exactly.

Inputs that decide control flow or addresses (branch conditions, base registers) are made
concrete only when the symbolic run reports a `SymbolicDecision` there.
"""

from __future__ import annotations

import random

import pytest

from assay.core.evaluate import evaluate_many
from assay.core.sorts import BVSort
from assay.core.terms import BV, Var
from assay.models.armv8.bv import CONCRETE
from assay.models.armv8.bv_terms import TERMS, SymbolicDecision, TermState
from assay.models.armv8.conform import WINDOW, WINDOW_SIZE, random_case, random_word
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.registry import classes, find
from assay.models.armv8.state import Memory, State, StopRun

REQUIRED = ("add", "subs", "csel", "ldp", "ext", "sha256h", "sha512su1", "aese", "pmull2",
            "eor3", "sqdmulh", "sqdmlal")
PER_CLASS = 6
PC = 0x10000


class WindowBytes(dict):  # type: ignore[type-arg]
    """Memory bytes of the window as symbols, created on first read (with their model value)."""

    def __init__(self, window: bytes, model: dict) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.window, self.model = window, model

    def __missing__(self, address: int):  # type: ignore[no-untyped-def]
        k = address - WINDOW
        if not 0 <= k < WINDOW_SIZE:
            raise KeyError(address)
        b = self[address] = Var(f"m{k}", BVSort(8))
        self.model[b] = self.window[k]
        return b


def _concrete(word: int, case) -> tuple[State, int | None, str | None]:  # type: ignore[no-untyped-def]
    mem = Memory()
    mem.map(WINDOW, WINDOW_SIZE)
    mem.write_bytes(WINDOW, case.window)
    s = State(mem)
    s.x, s.v, s.nzcv, s.pc = list(case.x), list(case.v), case.nzcv, PC
    s.monitor = case.monitor
    e, d = find(word)  # type: ignore[misc]
    try:
        return s, e.execute(s, CONCRETE, d), None
    except StopRun as exc:
        return s, None, exc.kind


def _symbolic(word: int, case, level: int):  # type: ignore[no-untyped-def]
    """level 0: everything symbolic; 1: GPRs concrete; 2: GPRs and flags concrete."""
    s = TermState()
    model = {}
    for i in range(32):
        if level == 0:
            s.x[i] = Var(f"x{i}", BVSort(64))
            model[s.x[i]] = case.x[i]
        else:
            s.x[i] = BV(case.x[i], 64)
        s.v[i] = Var(f"v{i}", BVSort(128))
        model[s.v[i]] = case.v[i]
    if level < 2:
        s.nzcv = Var("nzcv", BVSort(4))
        model[s.nzcv] = case.nzcv
    else:
        s.nzcv = BV(case.nzcv, 4)
    s.bytes = WindowBytes(case.window, model)
    s.pc, s.monitor = PC, case.monitor
    e, d = find(word)  # type: ignore[misc]
    npc = e.execute(s, TERMS, d)
    return s, npc, model


def _check(word: int, rng: random.Random, cls) -> int:  # type: ignore[no-untyped-def]
    case = random_case(cls, rng)
    case.word = word
    e, d = find(word)  # type: ignore[misc]
    if e.conform is not None:
        e.conform(d, case, rng)
    conc, npc, err = _concrete(word, case)
    for level in range(3):
        try:
            sym, snpc, model = _symbolic(word, case, level)
            break
        except SymbolicDecision:
            continue
        except StopRun as exc:
            assert exc.kind == err, f"{disassemble(word)}: symbolic {exc.kind}, concrete {err}"
            return level
    else:
        pytest.fail(f"{disassemble(word)}: control flow stays symbolic with concrete GPRs/flags")
    assert err is None, f"{disassemble(word)}: concrete stopped ({err}) but symbolic did not"
    outs = [*sym.x, *sym.v, TERMS.const(0, 4) if isinstance(sym.nzcv, int) else sym.nzcv]
    addrs = sorted(a for a in sym.bytes if WINDOW <= a < WINDOW + WINDOW_SIZE)
    outs += [sym.bytes[a] for a in addrs]
    vals = evaluate_many(outs, model)
    text = disassemble(word, PC)
    assert vals[:32] == conc.x, f"{text}: GPRs differ"
    assert vals[32:64] == conc.v, f"{text}: V registers differ"
    if not isinstance(sym.nzcv, int):
        assert vals[64] == conc.nzcv, f"{text}: NZCV differs"
    window = conc.mem.read_bytes(WINDOW, WINDOW_SIZE)
    assert bytes(vals[65:]) == bytes(window[a - WINDOW] for a in addrs), f"{text}: memory"
    touched = {a - WINDOW for a in addrs}
    assert all(window[k] == case.window[k] for k in range(WINDOW_SIZE) if k not in touched), \
        f"{text}: the concrete run wrote memory the symbolic run did not"
    assert snpc == npc, f"{text}: next pc differs"
    return level


@pytest.mark.parametrize("cls", classes(), ids=lambda c: c.name)
def test_class_runs_symbolically(cls) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(f"sym:{cls.name}")
    for i in range(PER_CLASS):
        e = cls.encodings[(i * 7919 + rng.randrange(1 << 20)) % len(cls.encodings)]
        w = random_word(e, rng)
        if w is not None:
            _check(w, rng, cls)


@pytest.mark.parametrize("mnemonic", REQUIRED)
def test_required_instruction_runs_symbolically(mnemonic: str) -> None:
    rng = random.Random(f"sym:{mnemonic}")
    rows = [(c, e) for c in classes() for e in c.encodings
            if e.mnemonic == mnemonic or any(a.mnemonic == mnemonic for a in e.aliases)]
    assert rows, f"no table row for {mnemonic}"
    checked = 0
    for _ in range(400):
        c, e = rng.choice(rows)
        w = random_word(e, rng)
        if w is None or disassemble(w).split()[0] != mnemonic:
            continue
        level = _check(w, rng, c)
        checked += 1
        if mnemonic not in ("ldp",):
            assert level == 0, f"{mnemonic} needed concrete registers"
        if checked == 4:
            break
    assert checked, f"no random word printed as {mnemonic}"
