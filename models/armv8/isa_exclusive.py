"""Load/store exclusive: LDXR/LDAXR and STXR/STLXR (B, H, W, X) and the pairs LDXP/LDAXP and
STXP/STLXP (W, X). Arm ARM C4.1.94 "Load/store exclusive register" and "... pair":
`size 001000 o2=0 L o1 Rs o0 Rt2 Rn Rt`. (LDAR/STLR, the LSE atomics and CAS are in
isa_ldst_atomic.py.)

The local exclusive monitor of the one PE is `State.monitor`: None (Open Access) or the
(address, size in bytes) the last load-exclusive marked (Exclusive Access).
- A load-exclusive reads like a plain load and marks its (address, size).
- A store-exclusive succeeds iff the monitor holds exactly its (address, size): it then stores
  and writes 0 to Ws; otherwise it stores nothing and writes 1. Either way the monitor is
  open afterwards. CLREX (isa_barrier.py) opens it too.
- Every exclusive access must be aligned to its whole size (a pair: to twice the register
  size), else an alignment fault stops the run; the Arm ARM checks alignment before the
  monitor (AArch64.ExclusiveMonitorsPass).
- Acquire/release (LDAXR, STLXR, ...) adds nothing on one PE with no other observer.
- CONSTRAINED UNPREDICTABLE encodings are rejected (the run stops as illegal): a
  store-exclusive whose status register is a transfer register or a base other than SP, a
  load-exclusive pair into one register twice. Rs (loads) and Rt2 (single registers) must be
  11111; other values are not decoded.

Where the Arm ARM leaves a choice the model takes the strict one, and Unicorn (QEMU) the other:
- a store-exclusive to the marked address with another size than the load-exclusive is
  CONSTRAINED UNPREDICTABLE; the model fails it, QEMU succeeds when memory still holds what the
  load read;
- a misaligned store-exclusive when the monitor does not hold its address: the model faults
  (as the Arm ARM's pseudocode does), QEMU returns status 1 without an alignment check;
- a plain store by the PE to the marked address between the two: whether it opens the monitor
  is IMPLEMENTATION DEFINED; the model keeps it marked, QEMU fails the store-exclusive when the
  value changed (it compares memory with the loaded value).
The conformance campaign draws no case from these corners (`prepare`); tests/armv8/
test_exclusive.py checks each of them by hand against both.

Trusted: the table and the monitor reading above.
"""

from __future__ import annotations

from typing import Any

from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .isa_ldst_atomic import check_aligned
from .operands import Reg
from .operands_mem import MemImm, conform_base, window_address
from .pseudocode import rx, wx

SUFFIX = {0: "B", 1: "H", 2: "", 3: ""}
MEM = MemImm("post", None)


def _single(size: int, load: int, ordered: int) -> str:
    """Rt2 is 11111; so is Rs for a load (the status register of a store)."""
    rs = "11111" if load else "Rs"
    return f"size={size:02b} 001000 0 L={load} 0 {rs} o0={ordered} 11111 Rn Rt"


def _pair(sz: int, load: int, ordered: int) -> str:
    rs = "11111" if load else "Rs"
    return f"1 sz={sz} 001000 0 L={load} 1 {rs} o0={ordered} Rt2 Rn Rt"


def decode_single(d: Decoded) -> None:
    d.esize = 8 << d.size
    d.nbytes = 1 << d.size


def decode_pair(d: Decoded) -> None:
    d.esize = 64 if d.sz else 32
    d.nbytes = d.esize // 4  # both registers


def decode_load_pair(d: Decoded) -> None:
    decode_pair(d)
    if d.Rt == d.Rt2:
        raise Unallocated  # CONSTRAINED UNPREDICTABLE


def _check_status(d: Decoded, *transfer: int) -> None:
    if d.Rs in transfer or (d.Rs == d.Rn and d.Rn != 31):
        raise Unallocated  # CONSTRAINED UNPREDICTABLE


def decode_store_single(d: Decoded) -> None:
    decode_single(d)
    _check_status(d, d.Rt)


def decode_store_pair(d: Decoded) -> None:
    decode_pair(d)
    _check_status(d, d.Rt, d.Rt2)


def _width(o: Any, v: Any, bits: int) -> Any:
    return v if bits == 64 else o.extract(bits - 1, 0, v)


def exec_load(s: Any, o: Any, d: Decoded) -> None:
    address = s.x[d.Rn]
    check_aligned(s, o, address, d.nbytes)
    data = s.mem_read(address, d.nbytes)
    wx(s, o, d.Rt, data if d.nbytes == 8 else o.zero_extend(data, 8 * d.nbytes, 64), 64)
    s.monitor = (address, d.nbytes)


def exec_load_pair(s: Any, o: Any, d: Decoded) -> None:
    address = s.x[d.Rn]
    check_aligned(s, o, address, d.nbytes)
    half = d.nbytes // 2
    first = s.mem_read(address, half)
    second = s.mem_read(o.bvadd(address, half, 64), half)
    if half == 8:
        wx(s, o, d.Rt, first, 64)
        wx(s, o, d.Rt2, second, 64)
    else:
        wx(s, o, d.Rt, o.zero_extend(first, 32, 64), 64)
        wx(s, o, d.Rt2, o.zero_extend(second, 32, 64), 64)
    s.monitor = (address, d.nbytes)


def monitor_passes(s: Any, o: Any, address: Any, nbytes: int) -> bool:
    """Alignment first (a fault), then: does the monitor hold exactly (address, nbytes)?
    Opens the monitor."""
    check_aligned(s, o, address, nbytes)
    marked, s.monitor = s.monitor, None
    if marked is None or marked[1] != nbytes:
        return False
    return bool(o.decide(o.eq(marked[0], address)))


def exec_store(s: Any, o: Any, d: Decoded) -> None:
    address = s.x[d.Rn]
    data = _width(o, rx(s, o, d.Rt, 64), d.esize)
    passed = monitor_passes(s, o, address, d.nbytes)
    if passed:
        s.mem_write(address, d.nbytes, data)
    wx(s, o, d.Rs, o.const(0 if passed else 1, 32), 32)


def exec_store_pair(s: Any, o: Any, d: Decoded) -> None:
    address = s.x[d.Rn]
    half = d.nbytes // 2
    first = _width(o, rx(s, o, d.Rt, 64), d.esize)
    second = _width(o, rx(s, o, d.Rt2, 64), d.esize)
    passed = monitor_passes(s, o, address, d.nbytes)
    if passed:
        s.mem_write(address, half, first)
        s.mem_write(o.bvadd(address, half, 64), half, second)
    wx(s, o, d.Rs, o.const(0 if passed else 1, 32), 32)


def prepare_load(d: Decoded, case: Any, rng: Any) -> None:
    address = window_address(rng, 128)
    if rng.random() < 0.85:
        address &= ~(d.nbytes - 1)  # mostly aligned; misaligned ones fault in both
    conform_base(case, d.Rn, address)
    if rng.random() < 0.5:  # a stale mark, which the load replaces
        case.monitor = ((case.x[d.Rn] & ~7) ^ 0x40, 8)


def prepare_store(d: Decoded, case: Any, rng: Any) -> None:
    """Aligned addresses only, and a monitor that is open, marks this (address, size), or
    marks another address with this size (see the module docstring for the other corners)."""
    conform_base(case, d.Rn, window_address(rng, 64) & ~(d.nbytes - 1))
    address = case.x[d.Rn]
    r = rng.random()
    if r < 0.5:
        case.monitor = (address, d.nbytes)
    elif r < 0.75:
        case.monitor = (address + d.nbytes * rng.choice((-2, -1, 1, 2)), d.nbytes)
    else:
        case.monitor = None


def _rows() -> list[Encoding]:
    rows = []
    for size in range(4):
        regsize = 64 if size == 3 else 32
        for ordered, (ld, st) in enumerate((("LDXR", "STXR"), ("LDAXR", "STLXR"))):
            sx = SUFFIX[size]
            rows.append(Encoding(f"{ld}{sx}", _single(size, 1, ordered),
                                 [Reg("Rt", regsize), MEM], exec_load, decode_single,
                                 name=f"{ld}{sx}_{size}", conform=prepare_load))
            rows.append(Encoding(f"{st}{sx}", _single(size, 0, ordered),
                                 [Reg("Rs", 32), Reg("Rt", regsize), MEM], exec_store,
                                 decode_store_single, name=f"{st}{sx}_{size}",
                                 conform=prepare_store))
    for sz in range(2):
        regsize = 64 if sz else 32
        for ordered, (ld, st) in enumerate((("LDXP", "STXP"), ("LDAXP", "STLXP"))):
            rows.append(Encoding(ld, _pair(sz, 1, ordered), [Reg("Rt", regsize), Reg("Rt2", regsize), MEM],
                                 exec_load_pair, decode_load_pair, name=f"{ld}_{sz}",
                                 conform=prepare_load))
            rows.append(Encoding(st, _pair(sz, 0, ordered),
                                 [Reg("Rs", 32), Reg("Rt", regsize), Reg("Rt2", regsize), MEM],
                                 exec_store_pair, decode_store_pair, name=f"{st}_{sz}",
                                 conform=prepare_store))
    return rows


CLASS = InstructionClass("exclusive", "Load/store exclusive with a single-PE local monitor",
                         _rows())
