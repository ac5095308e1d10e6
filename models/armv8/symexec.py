"""Straight-line symbolic runs of whole routines over core terms.

The same instruction semantics that run on Python ints run here over `bv_terms.TERMS`: the
program counter, every address and every branch decision must be concrete (they are, for the
bundled crypto routines once the pointers and lengths are fixed); the data (message blocks,
chaining state, keys, round keys) are free symbols. A branch or address that depends on a
symbol stops the run with `SymbolicDecision` (no forking here: that is the simulator's job).

- `SymbolicMemory` holds memory as byte terms at concrete addresses; a byte never written
  reads as the constant in the concrete memory image (code, constant tables, zeroed data), so
  only the inputs need to be declared.
- `symbolic_words` declares a region of n-bit words as variables (`name0`, `name1`, ...),
  stored with a given byte order: a routine that reads them back as whole words (or after a
  byte reversal) sees the variables themselves, because the constructors merge adjacent
  extracts of one term (`assay.core.bvterms.Concat`).
- `run_symbolic` runs a routine (`crypto_routines` layout and calling convention) and returns a
  `SymbolicRun` with the final state, the step count and timings.
- `dag_stats` counts the distinct nodes of terms, by operator.

Trusts the semantics (checked against Unicorn) and the core constructors; the tests evaluate
every symbolic result with the ground evaluator and compare with the concrete run.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assay.core.sorts import BVSort
from assay.core.term import Term
from assay.core.terms import BV, Extract, Var
from assay.core.walkers import postorder

from . import crypto_routines as cr
from .bv_terms import TERMS, TermState
from .machine import Machine
from .state import PAGE_BITS, PAGE_MASK, ArmError, Memory

ADDR_MASK = (1 << 64) - 1
_BYTES = [BV(b, 8) for b in range(256)]


class SymbolicMemory(dict):  # type: ignore[type-arg]
    """Address -> byte term. A missing address inside a mapped page of `image` reads as that
    page's concrete byte; outside every page it is a fault (`KeyError`, as `TermState` expects)."""

    def __init__(self, image: Memory) -> None:
        super().__init__()
        self.image = image

    def __missing__(self, address: int) -> Term:
        page = self.image.pages.get(address >> PAGE_BITS)
        if page is None:
            raise KeyError(address)
        return _BYTES[page[address & PAGE_MASK]]


def symbolic_state(image: Memory | None = None) -> TermState:
    """A `TermState` whose code is fetched from `image` and whose data memory is `image`'s
    bytes as constants until written."""
    s = TermState()
    if image is not None:
        s.mem = image
    s.bytes = SymbolicMemory(s.mem)
    return s


def symbolic_words(s: TermState, address: int, name: str, count: int, width: int,
                   big_endian: bool = False) -> list[Term]:
    """Declare `count` words of `width` bits at `address` as variables name0, name1, ...;
    each stored in memory with the given byte order. Returns the variables."""
    if width % 8:
        raise ArmError(f"symbolic words must be whole bytes, got width {width}")
    nbytes = width // 8
    out = []
    for i in range(count):
        v = Var(f"{name}{i}", BVSort(width))
        out.append(v)
        for j in range(nbytes):
            k = nbytes - 1 - j if big_endian else j
            s.bytes[(address + i * nbytes + j) & ADDR_MASK] = \
                v if width == 8 else Extract(v, 8 * k + 7, 8 * k)
    return out


def read_words(s: TermState, address: int, count: int, width: int,
               big_endian: bool = False) -> list[Term]:
    """`count` words of `width` bits read from the symbolic memory."""
    nbytes = width // 8
    out = []
    for i in range(count):
        word = s.mem_read(address + i * nbytes, nbytes)
        if big_endian and nbytes > 1:
            from assay.core.terms import Concat
            word = Concat(*[Extract(word, 8 * j + 7, 8 * j) for j in range(nbytes)])
        out.append(word)
    return out


@dataclass
class SymbolicRun:
    """The final state of a routine run over terms, with its cost."""

    state: TermState
    steps: int
    seconds: float
    inputs: dict[str, list[Term]] = field(default_factory=dict)


def run_symbolic(name: str, args: list[int],
                 declare: Any = None, max_steps: int = 1_000_000) -> SymbolicRun:
    """Run bundled routine `name` over terms with x0.. = `args` (concrete pointers/lengths).
    `declare(state) -> dict[str, list[Term]]` declares the symbolic inputs in memory (see
    `symbolic_words`) before the run; the run stops at the sentinel return address."""
    image = cr.routine_image(name)
    concrete = cr.new_state(image)
    s = symbolic_state(concrete.mem)
    inputs = declare(s) if declare is not None else {}
    for i, a in enumerate(args):
        s.x[i] = BV(a, 64)
    s.x[31], s.x[30] = BV(cr.STACK_TOP, 64), BV(cr.SENTINEL, 64)
    s.pc = image.address_of(name)
    start = time.perf_counter()
    error = Machine(s, TERMS).run(max_steps=max_steps, stop_pc=cr.SENTINEL)
    seconds = time.perf_counter() - start
    if error is not None:
        raise ArmError(f"{name}: the symbolic run stopped: {error.kind}: {error.message}")
    if s.pc != cr.SENTINEL:
        raise ArmError(f"{name}: no return within {max_steps} steps (pc 0x{s.pc:x})")
    return SymbolicRun(s, s.steps, seconds, inputs)


def dag_stats(terms: Iterable[Term]) -> tuple[int, Counter[str]]:
    """(distinct nodes reachable from `terms`, nodes per operator name)."""
    by_op: Counter[str] = Counter()
    n = 0
    for t in postorder(*terms):
        n += 1
        by_op[t.op.value] += 1
    return n, by_op
