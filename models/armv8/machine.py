"""The execution loop: fetch, decode (cached per address and word), execute, advance.

Decoded instructions are cached in `state.mem.decoded` by address; the memory empties that cache
when a page instructions came from is written. An instruction's `execute(s, o, d)` returns None to fall through to the next instruction, or
the next PC (a Python int) when it branches. A `StopRun` raised inside (unsupported, illegal,
fault) is recorded in `state.error` and ends the run; nothing after it executes.
"""

from __future__ import annotations

from typing import Any

from .bv import CONCRETE
from .registry import decode
from .state import Fault, State, StopReason, StopRun

MASK64 = (1 << 64) - 1


class Machine:
    """Runs a `State` with an `ops` interpretation (concrete by default)."""

    def __init__(self, state: State, ops: Any = CONCRETE) -> None:
        self.state = state
        self.ops = ops

    def run(self, max_steps: int = 1_000_000, stop_pc: int | None = None) -> StopReason | None:
        """Execute until `pc == stop_pc`, `max_steps` instructions, or an error (returned)."""
        s, o = self.state, self.ops
        get = s.mem.decoded.get
        pc = s.pc
        steps = 0
        try:
            # One iteration per instruction; `steps` counts the instructions completed (an
            # instruction that stops the run is not counted).
            for steps in range(max_steps):  # noqa: B007 (read after the loop)
                if pc == stop_pc:
                    break
                entry = get(pc)
                if entry is None:
                    entry = self._fetch(pc)
                execute, d = entry
                s.pc = pc
                npc = execute(s, o, d)
                pc = pc + 4 if npc is None else npc & MASK64
            else:
                steps = max(max_steps, 0)
        except StopRun as exc:
            s.error = StopReason(exc.kind, exc.message, pc)
        finally:
            s.pc = pc
            s.steps += steps
        return s.error

    def _fetch(self, pc: int) -> tuple[Any, Any]:
        mem = self.state.mem
        page = mem.pages.get(pc >> 12)
        if page is None or pc & 3:
            raise Fault(f"instruction fetch fault at pc 0x{pc:x}", pc)
        off = pc & 0xFFF
        e, d = decode(int.from_bytes(page[off:off + 4], "little"), pc)
        mem.exec_pages.add(pc >> 12)
        entry = mem.decoded[pc] = (e.execute, d)
        return entry

    def step(self) -> StopReason | None:
        return self.run(max_steps=1)
