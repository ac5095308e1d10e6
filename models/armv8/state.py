"""AArch64 machine state: registers, flags, sparse memory, and the error field that stops a run.

`x` holds X0-X30 and, at index 31, the stack pointer (instructions that read register 31 as the
zero register go through `pseudocode.rx`, which returns 0 for it). `v` holds V0-V31 as 128-bit
values, `nzcv` the flags as a 4-bit value (N is bit 3); `fpcr`, `fpsr` and `tpidr_el0` are the
system registers EL0 code reads and writes with MRS/MSR (isa_sysreg.py), `monitor` the local
exclusive monitor (isa_exclusive.py): None (open) or the (address, size in bytes) the last
load-exclusive marked. Memory is byte-addressed, little-endian,
and sparse: only mapped 4 KiB pages exist, and an access outside them is a fault, never a silent
zero. Values here are whatever the run's `ops` interpretation uses (ints for concrete runs).

Trusted: the concrete run's meaning of memory and registers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assay.core.errors import AssayError

PAGE_BITS = 12
PAGE_SIZE = 1 << PAGE_BITS
PAGE_MASK = PAGE_SIZE - 1
ADDR_MASK = (1 << 64) - 1


class ArmError(AssayError):
    """Base of errors raised by the AArch64 model."""


class StopRun(ArmError):
    """Raised inside an instruction to stop the run; recorded in `State.error`."""

    kind = "error"

    def __init__(self, message: str, pc: int | None = None) -> None:
        self.message = message
        self.pc = pc
        super().__init__(message)


class Unsupported(StopRun):
    kind = "unsupported"


class Illegal(StopRun):
    kind = "illegal"


class Fault(StopRun):
    kind = "fault"


@dataclass(frozen=True)
class StopReason:
    kind: str  # "unsupported" | "illegal" | "fault"
    message: str
    pc: int


class Memory:
    """Sparse little-endian byte memory made of mapped 4 KiB pages."""

    def __init__(self) -> None:
        self.pages: dict[int, bytearray] = {}
        # Decoded instructions by address (filled by the machine); a write to a page that
        # instructions were fetched from empties it, so self-modifying code stays correct.
        self.decoded: dict[int, tuple[Any, Any]] = {}
        self.exec_pages: set[int] = set()

    def _code_written(self, address: int, size: int) -> None:
        first, last = address >> PAGE_BITS, (address + size - 1) >> PAGE_BITS
        if first in self.exec_pages or last in self.exec_pages:
            self.decoded.clear()
            self.exec_pages.clear()

    def map(self, address: int, size: int) -> None:
        """Map (zero-filled) every page overlapping [address, address+size)."""
        if size <= 0:
            return
        first = address >> PAGE_BITS
        last = (address + size - 1) >> PAGE_BITS
        for p in range(first, last + 1):
            if p not in self.pages:
                self.pages[p] = bytearray(PAGE_SIZE)

    def is_mapped(self, address: int, size: int = 1) -> bool:
        first = address >> PAGE_BITS
        last = (address + size - 1) >> PAGE_BITS
        return all(p in self.pages for p in range(first, last + 1))

    def read_bytes(self, address: int, size: int) -> bytes:
        off = address & PAGE_MASK
        page = self.pages.get(address >> PAGE_BITS)
        if page is not None and off + size <= PAGE_SIZE:
            return bytes(page[off:off + size])
        out = bytearray()
        a = address
        while len(out) < size:
            page = self.pages.get((a & ADDR_MASK) >> PAGE_BITS)
            if page is None:
                raise Fault(f"memory fault reading {size} bytes at 0x{address:x} "
                            f"(0x{a & ADDR_MASK:x} is not mapped)")
            off = a & PAGE_MASK
            take = min(PAGE_SIZE - off, size - len(out))
            out += page[off:off + take]
            a += take
        return bytes(out)

    def write_bytes(self, address: int, data: bytes) -> None:
        if self.exec_pages:
            self._code_written(address, len(data))
        off = address & PAGE_MASK
        page = self.pages.get(address >> PAGE_BITS)
        if page is not None and off + len(data) <= PAGE_SIZE:
            page[off:off + len(data)] = data
            return
        if not self.is_mapped(address, len(data)):
            raise Fault(f"memory fault writing {len(data)} bytes at 0x{address:x}")
        done = 0
        while done < len(data):
            a = (address + done) & ADDR_MASK
            off = a & PAGE_MASK
            take = min(PAGE_SIZE - off, len(data) - done)
            self.pages[a >> PAGE_BITS][off:off + take] = data[done:done + take]
            done += take

    def read(self, address: int, size: int) -> int:
        """A little-endian value of `size` bytes."""
        off = address & PAGE_MASK
        page = self.pages.get(address >> PAGE_BITS)
        if page is not None and off + size <= PAGE_SIZE:
            return int.from_bytes(page[off:off + size], "little")
        return int.from_bytes(self.read_bytes(address, size), "little")

    def write(self, address: int, size: int, value: int) -> None:
        if self.exec_pages:
            self._code_written(address, size)
        off = address & PAGE_MASK
        page = self.pages.get(address >> PAGE_BITS)
        if page is not None and off + size <= PAGE_SIZE:
            page[off:off + size] = value.to_bytes(size, "little")
            return
        self.write_bytes(address, value.to_bytes(size, "little"))


class State:
    """Registers, flags, memory and the error field of one AArch64 run."""

    def __init__(self, memory: Memory | None = None) -> None:
        self.x: list[Any] = [0] * 32  # x[31] is SP
        self.v: list[Any] = [0] * 32
        self.nzcv: Any = 0
        self.pc: int = 0
        self.mem = memory if memory is not None else Memory()
        self.error: StopReason | None = None
        self.steps = 0
        # The CPU modelled for the FEAT_PAuth hints (isa_hint.py): False stops the run at
        # PACIASP/AUTIASP/...; True runs them as NOPs, as a CPU without FEAT_PAuth does.
        self.pauth_as_nop = False
        self.fpcr: Any = 0
        self.fpsr: Any = 0
        self.tpidr_el0: Any = 0
        self.monitor: tuple[Any, int] | None = None

    @property
    def sp(self) -> Any:
        return self.x[31]

    @sp.setter
    def sp(self, value: Any) -> None:
        self.x[31] = value

    # Memory access used by load/store semantics (addresses and values are `ops` values).
    # The common case, an access inside one mapped page (of data, for a write), is served
    # here; everything else (page crossings, faults, writes to code pages) by `Memory`.
    def mem_read(self, address: int, size: int) -> int:
        off = address & PAGE_MASK
        if off + size <= PAGE_SIZE:
            page = self.mem.pages.get(address >> PAGE_BITS)
            if page is not None:
                return int.from_bytes(page[off:off + size], "little")
        return self.mem.read(address, size)

    def mem_write(self, address: int, size: int, value: int) -> None:
        off = address & PAGE_MASK
        mem = self.mem
        if off + size <= PAGE_SIZE and (address >> PAGE_BITS) not in mem.exec_pages:
            page = mem.pages.get(address >> PAGE_BITS)
            if page is not None:
                page[off:off + size] = value.to_bytes(size, "little")
                return
        mem.write(address, size, value)

    def copy(self) -> State:
        m = Memory()
        m.pages = {k: bytearray(p) for k, p in self.mem.pages.items()}
        s = State(m)
        s.x = list(self.x)
        s.v = list(self.v)
        s.nzcv, s.pc, s.error, s.steps = self.nzcv, self.pc, self.error, self.steps
        s.pauth_as_nop = self.pauth_as_nop
        s.fpcr, s.fpsr, s.tpidr_el0 = self.fpcr, self.fpsr, self.tpidr_el0
        s.monitor = self.monitor
        return s

    def registers(self) -> dict[str, int]:
        """Concrete register file as a name -> int dict (x0..x30, sp, pc, nzcv, v0..v31, fpcr,
        fpsr, tpidr_el0)."""
        out = {f"x{i}": self.x[i] for i in range(31)}
        out["sp"] = self.x[31]
        out["pc"] = self.pc
        out["nzcv"] = self.nzcv
        out.update({f"v{i}": self.v[i] for i in range(32)})
        out.update(fpcr=self.fpcr, fpsr=self.fpsr, tpidr_el0=self.tpidr_el0)
        return out
