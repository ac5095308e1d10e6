"""Whole-run conformance: run the model and Unicorn (`UC_CPU_ARM64_MAX`) side by side from the
same state, one instruction at a time, comparing every GPR, SP, PC, NZCV, FPCR, FPSR,
TPIDR_EL0 and V register after each step and all mapped memory at the end.

Trusted: nothing; Unicorn is the independent oracle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .disasm import disassemble
from .machine import Machine
from .state import PAGE_SIZE, ArmError, State


@dataclass
class LockstepReport:
    steps: int = 0
    divergence: list[str] = field(default_factory=list)  # empty when the runs agree
    pc: int | None = None  # address of the diverging instruction
    text: str = ""

    @property
    def agrees(self) -> bool:
        return not self.divergence


def _registers_model(s: State) -> list[int]:
    return [*s.x, *s.v, s.fpcr, s.fpsr, s.tpidr_el0, s.nzcv, s.pc]


NAMES = [f"x{i}" for i in range(31)] + ["sp"] + [f"v{i}" for i in range(32)] \
    + ["fpcr", "fpsr", "tpidr_el0", "nzcv", "pc"]


class _Unicorn:
    def __init__(self, s: State) -> None:
        try:
            from unicorn import UC_ARCH_ARM64, UC_MODE_ARM, Uc
            from unicorn import arm64_const as c
        except ImportError:
            raise ArmError("lockstep runs need unicorn (pip install '.[test]')") from None
        self.c = c
        self.uc = Uc(UC_ARCH_ARM64, UC_MODE_ARM, cpu=c.UC_CPU_ARM64_MAX)
        for page, data in sorted(s.mem.pages.items()):
            self.uc.mem_map(page * PAGE_SIZE, PAGE_SIZE)
            self.uc.mem_write(page * PAGE_SIZE, bytes(data))
        x = [c.UC_ARM64_REG_X0 + i for i in range(29)] + [c.UC_ARM64_REG_X29,
                                                          c.UC_ARM64_REG_X30]
        self.ids = [*x, c.UC_ARM64_REG_SP, *[c.UC_ARM64_REG_Q0 + i for i in range(32)],
                    c.UC_ARM64_REG_FPCR, c.UC_ARM64_REG_FPSR, c.UC_ARM64_REG_TPIDR_EL0,
                    c.UC_ARM64_REG_NZCV, c.UC_ARM64_REG_PC]
        vals = [*s.x, *s.v, s.fpcr, s.fpsr, s.tpidr_el0, s.nzcv << 28, s.pc]
        self.uc.reg_write_batch(list(zip(self.ids, vals)))

    def step(self, pc: int, stop_pc: int) -> str | None:
        from unicorn import UcError
        try:
            self.uc.emu_start(pc, stop_pc, count=1)
        except UcError as exc:
            return str(exc)
        return None

    def registers(self) -> list[int]:
        vals = list(self.uc.reg_read_batch(self.ids))
        vals[-2] = (vals[-2] >> 28) & 0xF
        return vals


def lockstep(s: State, stop_pc: int, max_steps: int = 1_000_000) -> LockstepReport:
    """Run `s` (modified in place) and Unicorn from a copy of it until `stop_pc`."""
    uc = _Unicorn(s)
    m = Machine(s)
    report = LockstepReport()
    while s.pc != stop_pc and report.steps < max_steps:
        pc = s.pc
        err = m.run(max_steps=1, stop_pc=stop_pc)
        uerr = uc.step(pc, stop_pc)
        if err is not None or uerr is not None:
            if err is None or uerr is None:
                report.divergence = [f"model: {err.message if err else 'ran'}; "
                                     f"unicorn: {uerr or 'ran'}"]
                report.pc, report.text = pc, _text(s, pc)
            return report
        ours, theirs = _registers_model(s), uc.registers()
        if ours != theirs:
            report.divergence = [f"{n}: 0x{a:x} vs 0x{b:x}"
                                 for n, a, b in zip(NAMES, ours, theirs) if a != b]
            report.pc, report.text = pc, _text(s, pc)
            return report
        report.steps += 1
    for page, data in sorted(s.mem.pages.items()):
        if bytes(data) != bytes(uc.uc.mem_read(page * PAGE_SIZE, PAGE_SIZE)):
            report.divergence = [f"memory page 0x{page * PAGE_SIZE:x} differs at the end"]
            break
    return report


def _text(s: State, pc: int) -> str:
    try:
        return disassemble(s.mem.read(pc, 4), pc)
    except ArmError:
        return "?"
