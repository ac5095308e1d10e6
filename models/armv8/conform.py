"""Conformance against Unicorn (`UC_CPU_ARM64_MAX`): random valid encodings from the tables,
random register state, a random memory window; compare every GPR, SP, PC, NZCV, FPCR, FPSR,
TPIDR_EL0, every V register and the window after each instruction. The local exclusive monitor
(not readable in Unicorn) is set up in both before a case that gives one, and its effect is
compared through the store-exclusives that read it. Mismatches are shrunk and saved as JSON.

Trusted: nothing here is part of the model; Unicorn (QEMU) is the independent oracle.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .encoding import Encoding, InstructionClass, Unallocated
from .isa_sysreg import FPCR_MASK, FPSR_MASK
from .machine import Machine
from .registry import classes, find
from .state import ArmError, Memory, State

CODE = 0x10000          # instructions are placed in this 64 KiB region
CODE_SIZE = 0x10000
WINDOW = 0x200000       # the memory window loads and stores see
WINDOW_SIZE = 0x2000
MASK64 = (1 << 64) - 1
SPECIAL64 = (0, 1, 2, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, MASK64, 0xFFFFFFFF,
             0x80000000, 0x7FFFFFFF, 0x100000000)


@dataclass
class Case:
    """One conformance test: a word at `pc`, registers, flags, window contents."""

    word: int
    pc: int
    x: list[int]              # x0..x30, then sp at index 31
    v: list[int]
    nzcv: int
    window: bytes
    cls: str = ""
    fpcr: int = 0
    fpsr: int = 0
    tpidr_el0: int = 0
    monitor: tuple[int, int] | None = None  # (address, size) marked by a load-exclusive

    def to_json(self) -> dict[str, Any]:
        out = {"class": self.cls, "word": f"0x{self.word:08x}", "pc": hex(self.pc),
               "x": [hex(r) for r in self.x], "v": [hex(r) for r in self.v],
               "nzcv": self.nzcv, "window": self.window.hex(), "fpcr": hex(self.fpcr),
               "fpsr": hex(self.fpsr), "tpidr_el0": hex(self.tpidr_el0)}
        if self.monitor is not None:
            out["monitor"] = [hex(self.monitor[0]), self.monitor[1]]
        return out

    @staticmethod
    def from_json(j: dict[str, Any]) -> Case:
        monitor = j.get("monitor")
        return Case(int(j["word"], 16), int(j["pc"], 16), [int(r, 16) for r in j["x"]],
                    [int(r, 16) for r in j["v"]], int(j["nzcv"]),
                    bytes.fromhex(j["window"]), j.get("class", ""),
                    int(j.get("fpcr", "0"), 16), int(j.get("fpsr", "0"), 16),
                    int(j.get("tpidr_el0", "0"), 16),
                    None if monitor is None else (int(monitor[0], 16), int(monitor[1])))


@dataclass
class Outcome:
    x: list[int]
    v: list[int]
    nzcv: int
    pc: int
    window: bytes
    error: str | None  # "fault" / "illegal" / None
    system: tuple[int, int, int] = (0, 0, 0)  # FPCR, FPSR, TPIDR_EL0

    def diff(self, other: Outcome) -> list[str]:
        out = []
        if (self.error is None) != (other.error is None):
            return [f"error: model {self.error} vs unicorn {other.error}"]
        if self.error is not None:
            return []  # both stopped (fault/exception): agreement
        for i in range(32):
            if self.x[i] != other.x[i]:
                out.append(f"{'sp' if i == 31 else f'x{i}'}: 0x{self.x[i]:x} vs 0x{other.x[i]:x}")
        for i in range(32):
            if self.v[i] != other.v[i]:
                out.append(f"v{i}: 0x{self.v[i]:032x} vs 0x{other.v[i]:032x}")
        if self.nzcv != other.nzcv:
            out.append(f"nzcv: {self.nzcv:04b} vs {other.nzcv:04b}")
        for name, ours, theirs in zip(("fpcr", "fpsr", "tpidr_el0"), self.system, other.system,
                                      strict=True):
            if ours != theirs:
                out.append(f"{name}: 0x{ours:x} vs 0x{theirs:x}")
        if self.pc != other.pc:
            out.append(f"pc: 0x{self.pc:x} vs 0x{other.pc:x}")
        if self.window != other.window:
            i = next(k for k in range(len(self.window)) if self.window[k] != other.window[k])
            out.append(f"memory window differs first at 0x{WINDOW + i:x}")
        return out


class UnicornOracle:
    """One Unicorn instance, memory mapped once; each test resets registers and the window."""

    def __init__(self) -> None:
        try:
            from unicorn import UC_ARCH_ARM64, UC_MODE_ARM, Uc
            from unicorn import arm64_const as c
        except ImportError:
            raise ArmError("conformance campaigns need unicorn (pip install '.[test]')") from None
        self.c = c
        self.uc = Uc(UC_ARCH_ARM64, UC_MODE_ARM, cpu=c.UC_CPU_ARM64_MAX)
        self.uc.mem_map(CODE, CODE_SIZE)
        self.uc.mem_map(WINDOW, WINDOW_SIZE)
        self.xregs = [c.UC_ARM64_REG_X0 + i for i in range(29)] + [c.UC_ARM64_REG_X29,
                                                                   c.UC_ARM64_REG_X30]
        self.qregs = [c.UC_ARM64_REG_Q0 + i for i in range(32)]
        self.last_pc: int | None = None
        self.monitor_open = True  # no load-exclusive has run since the last CLREX
        self._batch_buffers()

    def _batch_buffers(self) -> None:
        """One ctypes buffer for all registers, transferred with uc_reg_{read,write}_batch:
        X0-X30, SP, NZCV, PC as 8 bytes each, then Q0-Q31 as 16 bytes each, then FPCR, FPSR,
        TPIDR_EL0 as 8 bytes each (the Python binding's per-register conversion costs more than
        the emulation itself)."""
        import ctypes
        c = self.c
        ids = [*self.xregs, c.UC_ARM64_REG_SP, c.UC_ARM64_REG_NZCV, c.UC_ARM64_REG_PC,
               *self.qregs, c.UC_ARM64_REG_FPCR, c.UC_ARM64_REG_FPSR, c.UC_ARM64_REG_TPIDR_EL0]
        self._count = len(ids)
        self._buf = ctypes.create_string_buffer(8 * 34 + 16 * 32 + 8 * 3)
        base = ctypes.addressof(self._buf)
        offsets = [8 * i for i in range(34)] + [8 * 34 + 16 * i for i in range(32)] \
            + [8 * 34 + 16 * 32 + 8 * i for i in range(3)]
        self._ids = (ctypes.c_int * len(ids))(*ids)
        self._ptrs = (ctypes.c_void_p * len(ids))(*(base + o for o in offsets))
        self._cint = ctypes.c_int(len(ids))

    def _write_regs(self, case: Case) -> None:
        import struct
        data = struct.pack("<34Q", *case.x[:31], case.x[31], case.nzcv << 28, case.pc)
        data += b"".join(v.to_bytes(16, "little") for v in case.v)
        data += struct.pack("<3Q", case.fpcr, case.fpsr, case.tpidr_el0)
        self._buf.raw = data
        from unicorn import UcError
        status = self.uc._do_reg_write_batch(self._ids, self._ptrs, self._cint)
        if status:
            raise UcError(status)

    def _read_regs(self) -> tuple[list[int], list[int], int, int, tuple[int, int, int]]:
        import struct

        from unicorn import UcError
        status = self.uc._do_reg_read_batch(self._ids, self._ptrs, self._cint)
        if status:
            raise UcError(status)
        raw = self._buf.raw
        g = struct.unpack_from("<34Q", raw)
        v = [int.from_bytes(raw[272 + 16 * i:288 + 16 * i], "little") for i in range(32)]
        system = struct.unpack_from("<3Q", raw, 272 + 16 * 32)
        return list(g[:32]), v, (g[32] >> 28) & 0xF, g[33], system

    def run(self, case: Case) -> Outcome:
        from unicorn import UcError
        from unicorn.unicorn_const import UC_ERR_FETCH_UNMAPPED
        c, uc = self.c, self.uc
        if self.last_pc is not None:
            uc.mem_write(self.last_pc, b"\0\0\0\0")
            uc.ctl_remove_cache(self.last_pc, self.last_pc + 4)
        uc.mem_write(case.pc, case.word.to_bytes(4, "little"))
        uc.ctl_remove_cache(case.pc, case.pc + 4)
        self.last_pc = case.pc
        if _may_mark_monitor(case.word):
            self.monitor_open = False
        uc.mem_write(WINDOW, case.window)
        if case.monitor is not None or not self.monitor_open:
            self._set_monitor(case)
        self._write_regs(case)
        error = None
        try:
            uc.emu_start(case.pc, 0, count=1)
        except UcError as exc:
            if exc.errno != UC_ERR_FETCH_UNMAPPED or uc.reg_read(c.UC_ARM64_REG_PC) == case.pc:
                error = str(exc)
        x, v, nzcv, pc, system = self._read_regs()
        return Outcome(x, v, nzcv, pc, bytes(uc.mem_read(WINDOW, WINDOW_SIZE)), error, system)

    def _set_monitor(self, case: Case) -> None:
        """Open Unicorn's exclusive monitor (CLREX) or mark `case.monitor` with the matching
        load-exclusive, run from a spare word of the code region (the window already holds
        the case's bytes: QEMU's store-exclusive compares memory with what that load read)."""
        c, uc = self.c, self.uc
        at = CODE + CODE_SIZE - (8 if case.pc == CODE + CODE_SIZE - 4 else 4)
        if case.monitor is None:
            word = 0xD5033F5F  # clrex
        else:
            address, size = case.monitor
            # ldxrb/ldxrh/ldxr w0/ldxr x0 [x1], or ldxp x0, x2, [x1] for 16 bytes
            word = 0xC87F0820 if size == 16 else \
                0x085F7C20 | {1: 0, 2: 1, 4: 2, 8: 3}[size] << 30
            uc.reg_write(c.UC_ARM64_REG_X1, address)
        uc.mem_write(at, word.to_bytes(4, "little"))
        uc.ctl_remove_cache(at, at + 4)
        uc.emu_start(at, at + 4)
        self.monitor_open = case.monitor is None


class ModelRunner:
    """The model with the same memory layout as the oracle."""

    def __init__(self) -> None:
        mem = Memory()
        mem.map(CODE, CODE_SIZE)
        mem.map(WINDOW, WINDOW_SIZE)
        self.state = State(mem)
        # Unicorn's MAX CPU runs with the pointer-authentication keys disabled, so PACIASP and
        # the other FEAT_PAuth hints leave every register alone there: the model's NOP reading.
        self.state.pauth_as_nop = True
        self.last_pc: int | None = None

    def run(self, case: Case) -> Outcome:
        s = self.state
        if self.last_pc is not None:
            s.mem.write(self.last_pc, 4, 0)
        s.mem.write(case.pc, 4, case.word)
        self.last_pc = case.pc
        s.mem.write_bytes(WINDOW, case.window)
        s.x = list(case.x)
        s.v = list(case.v)
        s.nzcv, s.pc, s.error = case.nzcv, case.pc, None
        s.fpcr, s.fpsr, s.tpidr_el0, s.monitor = case.fpcr, case.fpsr, case.tpidr_el0, \
            case.monitor
        Machine(s).run(max_steps=1)
        err = s.error.kind if s.error else None
        return Outcome(list(s.x), list(s.v), s.nzcv, s.pc,
                       s.mem.read_bytes(WINDOW, WINDOW_SIZE), err,
                       (s.fpcr, s.fpsr, s.tpidr_el0))


def _may_mark_monitor(word: int) -> bool:
    """Load-exclusives (LDXR/LDAXR/LDXP/LDAXP of every size) mark the monitor."""
    return (word & 0x3FC00000) == 0x08400000  # size 001000 o2=0 L=1


def random_value(rng: random.Random, bits: int = 64) -> int:
    r = rng.random()
    if r < 0.15:
        return rng.choice(SPECIAL64) & ((1 << bits) - 1)
    if r < 0.35:
        return rng.randrange(64)
    if r < 0.5:
        return (WINDOW + rng.randrange(WINDOW_SIZE)) & ((1 << bits) - 1)
    return rng.getrandbits(bits)


def random_word(e: Encoding, rng: random.Random, tries: int = 200) -> int | None:
    """A random word of row `e` that decodes back to `e` (None if none found, or if the row
    is not sampled: it decodes only to stop the run with a clear message)."""
    if not e.sample:
        return None
    for _ in range(tries):
        w = e.value
        for f in e.var_fields:
            w |= rng.getrandbits(f.width) << f.lo
        r = find(w)
        if r is not None and r[0] is e:
            return w
    return None


def random_case(cls: InstructionClass, rng: random.Random) -> Case:
    while True:
        e = rng.choice(cls.encodings)
        w = random_word(e, rng)
        if w is not None:
            break
    x = [random_value(rng) for _ in range(32)]
    x[31] = WINDOW + WINDOW_SIZE // 2 + 16 * rng.randrange(-64, 64) if rng.random() < 0.8 \
        else random_value(rng)
    v = [rng.getrandbits(128) if rng.random() < 0.8 else rng.choice((0, (1 << 128) - 1))
         for _ in range(32)]
    case = Case(w, CODE + 4 * rng.randrange(CODE_SIZE // 4), x, v, rng.getrandbits(4),
                rng.randbytes(WINDOW_SIZE), cls.name)
    # FPCR, FPSR, TPIDR_EL0 from a generator of their own, so that adding them left the
    # cases of every class as they were; FPCR/FPSR hold only bits the CPU implements.
    aux = random.Random(w << 64 | case.pc)
    case.fpcr = aux.getrandbits(32) & FPCR_MASK
    case.fpsr = aux.getrandbits(32) & FPSR_MASK
    case.tpidr_el0 = random_value(aux)
    if e.conform is not None:
        try:
            e.conform(e.decode(w), case, rng)
        except Unallocated:
            pass
    return case


def shrink(case: Case, failing: Callable[[Case], bool]) -> Case:
    """Simplify registers, flags and window while the case still fails."""
    best = case
    for i in range(32):
        for val in (0, 1):
            if best.x[i] != val:
                trial = replace(best, x=[*best.x[:i], val, *best.x[i + 1:]])
                if failing(trial):
                    best = trial
                    break
    for i in range(32):
        if best.v[i]:
            trial = replace(best, v=[*best.v[:i], 0, *best.v[i + 1:]])
            if failing(trial):
                best = trial
    for attempt in (dict(nzcv=0), dict(window=bytes(WINDOW_SIZE)), dict(pc=CODE),
                    dict(fpcr=0), dict(fpsr=0), dict(tpidr_el0=0)):
        trial = replace(best, **attempt)  # type: ignore[arg-type]
        if failing(trial):
            best = trial
    return best


@dataclass
class Report:
    tests: dict[str, int] = field(default_factory=dict)
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    both_stopped: int = 0


class Campaign:
    """Run conformance cases through the model and Unicorn and collect mismatches."""

    def __init__(self, save_dir: Path | None = None) -> None:
        self.oracle = UnicornOracle()
        self.model = ModelRunner()
        self.save_dir = save_dir

    def check(self, case: Case) -> list[str]:
        model = self.model.run(case)
        target = model.pc - WINDOW
        if model.error is None and 0 <= target < WINDOW_SIZE:
            # A branch into the window: Unicorn translates the random bytes there before it
            # stops, and some of them (fp16 three-same) abort QEMU's translator, killing the
            # process. Zero the words from the target on (UDF, never executed) in both runs.
            start = target & ~3
            end = min(WINDOW_SIZE, start + 64)
            if any(case.window[start:end]):
                case = replace(case, window=case.window[:start] + bytes(end - start)
                               + case.window[end:])
                model = self.model.run(case)
        return model.diff(self.oracle.run(case))

    def run(self, class_list: Iterable[InstructionClass], count: int, seed: int,
            progress: Callable[[int], None] | None = None) -> Report:
        from .disasm import disassemble
        report = Report()
        for cls in class_list:
            rng = random.Random(f"{seed}:{cls.name}")
            n = 0
            for _ in range(count):
                case = random_case(cls, rng)
                diff = self.check(case)
                n += 1
                if diff:
                    # Shrink while the same thing differs (not into another disagreement).
                    small = shrink(case, self._differs_in(_diff_key(diff[0])))
                    entry = {**small.to_json(), "asm": disassemble(small.word, small.pc),
                             "diff": self.check(small)}
                    report.mismatches.append(entry)
                    self._save(entry)
                if progress:
                    progress(1)
            report.tests[cls.name] = n
        return report

    def _differs_in(self, key: str) -> Callable[[Case], bool]:
        return lambda c: any(_diff_key(x) == key for x in self.check(c))

    def _save(self, entry: dict[str, Any]) -> None:
        if self.save_dir is None:
            return
        self.save_dir.mkdir(parents=True, exist_ok=True)
        path = self.save_dir / f"{entry['class']}_{entry['word'][2:]}.json"
        path.write_text(json.dumps(entry, indent=1) + "\n")


def _diff_key(line: str) -> str:
    """What a diff line is about: a register name, or the whole line for a stop."""
    return line if line.startswith("error") else line.split(":", 1)[0]


def all_classes() -> tuple[InstructionClass, ...]:
    return classes()
