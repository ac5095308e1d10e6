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
- `run_symbolic(call)` runs a `RoutineCall` (`CALLS` has one per bundled routine: the
  `crypto_routines` layout and calling convention, which regions are symbolic) and returns a
  `SymbolicRun` with the final state, the step count and timings.
  `symbolic_call_state` / `concrete_call_state` set a call up without running it (to step
  it, or time the concrete run alone); `run_concrete` is the concrete peer.
- `dag_stats` counts the distinct nodes of terms, by operator.
- `literal_sha256hash` is the Arm ARM's SHA256hash loop as written there, for experiments that
  substitute it for the model's (`isa_crypto_sha.SHA256hash`) in a run.

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
from assay.core.terms import BV, Concat, Extract, Var
from assay.core.walkers import postorder

from . import crypto_functions as cf
from . import crypto_routines as cr
from .bv_terms import TERMS, TermState
from .loader import Image
from .machine import Machine
from .state import PAGE_BITS, PAGE_MASK, ArmError, Memory, State

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
            word = Concat(*[Extract(word, 8 * j + 7, 8 * j) for j in range(nbytes)])
        out.append(word)
    return out


@dataclass(frozen=True)
class Region:
    """`count` words of `width` bits at `address`, in little- or big-endian byte order."""

    name: str
    address: int
    count: int
    width: int
    big_endian: bool = False

    def pack(self, values: list[int]) -> bytes:
        order = "big" if self.big_endian else "little"
        return b"".join(v.to_bytes(self.width // 8, order) for v in values)

    def unpack(self, data: bytes) -> list[int]:
        n, order = self.width // 8, "big" if self.big_endian else "little"
        return [int.from_bytes(data[i:i + n], order) for i in range(0, len(data), n)]


@dataclass(frozen=True)
class RoutineCall:
    """A call of a routine: its arguments (x0.., ints or 64-bit terms), the symbolic input
    regions, and the regions that hold its results afterwards. The routine is the bundled one
    of that name unless `image` (any loaded `Image`, e.g. from `loader.load_elf`) is given."""

    routine: str
    args: tuple[int | Term, ...]
    inputs: tuple[Region, ...]
    outputs: tuple[Region, ...]
    image: Image | None = None

    def code(self) -> Image:
        return self.image if self.image is not None else cr.routine_image(self.routine)


def sha_call(width: int, blocks: int = 1) -> RoutineCall:
    """sha256_block (width 32) or sha512_block (64): the chaining state h0..h7 (native order)
    and `blocks` message blocks as big-endian words w0.. (FIPS 180-4's M words)."""
    state = Region("h", cr.STATE_AT, 8, width)
    return RoutineCall(f"sha{8 * width}_block", (cr.STATE_AT, cr.INPUT_AT, blocks),
                       (state, Region("w", cr.INPUT_AT, 16 * blocks, width, True)), (state,))


def aes_call(routine: str = "aes128_encrypt") -> RoutineCall:
    """aes128_encrypt/aes128_decrypt: the block p0..p15 and the round-key bytes k0..k175."""
    return RoutineCall(routine, (cr.INPUT_AT, cr.OUT_AT, cr.KEYS_AT),
                       (Region("p", cr.INPUT_AT, 16, 8), Region("k", cr.KEYS_AT, 176, 8)),
                       (Region("c", cr.OUT_AT, 16, 8),))


def expand_key_call() -> RoutineCall:
    return RoutineCall("aes128_expand_key", (cr.INPUT_AT, cr.KEYS_AT),
                       (Region("key", cr.INPUT_AT, 16, 8),), (Region("rk", cr.KEYS_AT, 176, 8),))


def ghash_call() -> RoutineCall:
    """ghash_gmult: Xi (x0..x15) and H (H0..H15) as the specification's byte strings."""
    return RoutineCall("ghash_gmult", (cr.INPUT_AT, cr.OUT_AT),
                       (Region("x", cr.INPUT_AT, 16, 8), Region("H", cr.OUT_AT, 16, 8)),
                       (Region("y", cr.INPUT_AT, 16, 8),))


CALLS = {
    "sha256_block": lambda: sha_call(32),
    "sha512_block": lambda: sha_call(64),
    "aes128_encrypt": lambda: aes_call("aes128_encrypt"),
    "aes128_decrypt": lambda: aes_call("aes128_decrypt"),
    "aes128_expand_key": expand_key_call,
    "ghash_gmult": ghash_call,
}


@dataclass
class SymbolicRun:
    """The final state of a routine run over terms, with its cost, inputs and outputs."""

    state: TermState
    steps: int
    seconds: float
    inputs: dict[str, list[Term]] = field(default_factory=dict)
    outputs: list[Term] = field(default_factory=list)


def symbolic_call_state(call: RoutineCall) -> tuple[TermState, dict[str, list[Term]]]:
    """A `TermState` about to make `call`: its input regions hold fresh variables (named after
    the region, numbered; returned by region name), everything else in memory is the concrete
    image; x0.. the arguments, SP the private stack, LR the sentinel, PC the routine."""
    image = call.code()
    s = symbolic_state(cr.new_state(image).mem)
    inputs = {r.name: symbolic_words(s, r.address, r.name, r.count, r.width, r.big_endian)
              for r in call.inputs}
    for i, a in enumerate(call.args):
        s.x[i] = BV(a, 64) if isinstance(a, int) else a
    s.x[31], s.x[30] = BV(cr.STACK_TOP, 64), BV(cr.SENTINEL, 64)
    s.pc = image.address_of(call.routine)
    return s, inputs


def concrete_call_state(call: RoutineCall, values: dict[str, list[int]]) -> State:
    """A concrete state about to make `call` with the input regions holding `values` (by
    region name; the arguments must be ints): `crypto_routines.call_state`."""
    args = []
    for i, a in enumerate(call.args):
        if not isinstance(a, int):
            raise ArmError(f"{call.routine}: argument x{i} is symbolic; a concrete run needs ints")
        args.append(a)
    return cr.call_state(call.code(), call.routine, args,
                         {r.address: r.pack(values[r.name]) for r in call.inputs})


def run_symbolic(call: RoutineCall, max_steps: int = 10_000_000) -> SymbolicRun:
    """Run `call` over terms: its input regions hold fresh variables (named after the region,
    numbered), everything else in memory is the concrete image; stops at the sentinel
    return address. `outputs` are the words of the output regions afterwards."""
    s, inputs = symbolic_call_state(call)
    start = time.perf_counter()
    error = Machine(s, TERMS).run(max_steps=max_steps, stop_pc=cr.SENTINEL)
    seconds = time.perf_counter() - start
    if error is not None:
        raise ArmError(f"{call.routine}: the symbolic run stopped: {error.kind}: "
                       f"{error.message}")
    if s.pc != cr.SENTINEL:
        raise ArmError(f"{call.routine}: no return within {max_steps} steps (pc 0x{s.pc:x})")
    outputs = [w for r in call.outputs
               for w in read_words(s, r.address, r.count, r.width, r.big_endian)]
    return SymbolicRun(s, s.steps, seconds, inputs, outputs)


def run_concrete(call: RoutineCall, values: dict[str, list[int]],
                 max_steps: int = 10_000_000) -> tuple[list[int], int]:
    """The same call run concretely with the input regions holding `values` (by region
    name; the arguments must be ints): the output words and the step count."""
    s = concrete_call_state(call, values)
    error = Machine(s).run(max_steps=max_steps, stop_pc=cr.SENTINEL)
    if error is not None or s.pc != cr.SENTINEL:
        raise ArmError(f"{call.routine}: the concrete run did not return: {error}")
    out = [w for r in call.outputs
           for w in r.unpack(s.mem.read_bytes(r.address, r.count * r.width // 8))]
    return out, s.steps


def dag_stats(terms: Iterable[Term]) -> tuple[int, Counter[str]]:
    """(distinct nodes reachable from `terms`, nodes per operator name)."""
    by_op: Counter[str] = Counter()
    n = 0
    for t in postorder(*terms):
        n += 1
        by_op[t.op.value] += 1
    return n, by_op


def literal_sha256hash(o: Any, x: Any, y: Any, w: Any, part1: bool) -> Any:
    """The Arm ARM's SHA256hash loop as written there: SHAchoose, SHAmajority,
    T1 = h + SHAhashSIGMA1(e) + Ch + W, in that grouping (the model's
    `crypto_functions.SHA256hash` groups the sums otherwise and, concretely, computes the
    majority as a selection by b EOR c). Same arguments and value as the model's."""
    a, b, c, d = cf.lanes(o, x, 32, 4)
    e, f, g, h = cf.lanes(o, y, 32, 4)
    ws = cf.lanes(o, w, 32, 4)
    add = o.bvadd
    for i in range(4):
        t = add(add(add(h, cf.SHAhashSIGMA1(o, e), 32), cf.SHAchoose(o, e, f, g), 32), ws[i], 32)
        a, b, c, d, e, f, g, h = (add(add(t, cf.SHAhashSIGMA0(o, a), 32),
                                      cf.SHAmajority(o, a, b, c), 32),
                                  a, b, c, add(t, d, 32), e, f, g)
    return cf.join(o, [a, b, c, d] if part1 else [e, f, g, h], 32)
