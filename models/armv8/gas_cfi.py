"""Call-frame information: `.cfi_*` directives to an `.eh_frame` section, laid out as LLVM's
integrated assembler does for AArch64 (one CIE: version 1, augmentation "zR", code alignment 1,
data alignment -4, return address x30, PC-relative signed 4-byte FDE pointers, initial rule
CFA = sp + 0; FDEs padded to 4 bytes, the last one to 8; PC ranges through R_AARCH64_PREL32).

Unwind tables have no effect on what code computes; they are emitted so that objects written by
Assay match clang's and unwind correctly in debuggers. Personality routines, LSDAs and
`.cfi_startproc simple` are reported as unsupported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assay.models.armv8 import reloc

if TYPE_CHECKING:
    from assay.models.armv8.gas import Assembler

DATA_ALIGN = -4
CIE = bytes.fromhex("00000000" "01" "7a5200" "01" "7c" "1e" "01" "1b" "0c1f00")


def uleb(v: int) -> bytes:
    out = bytearray()
    while True:
        byte, v = v & 0x7F, v >> 7
        out.append(byte | (0x80 if v else 0))
        if not v:
            return bytes(out)


def sleb(v: int) -> bytes:
    out = bytearray()
    while True:
        byte, v = v & 0x7F, v >> 7
        done = (v == 0 and not byte & 0x40) or (v == -1 and byte & 0x40)
        out.append(byte | (0 if done else 0x80))
        if done:
            return bytes(out)


def dwarf_register(text: str) -> int | None:
    """AArch64 DWARF register numbers: x0-x30 = 0-30, sp = 31, v0-v31 = 64-95."""
    t = text.strip().lower()
    named = {"sp": 31, "wsp": 31, "fp": 29, "lr": 30}
    if t in named:
        return named[t]
    m = re.fullmatch(r"[xw](\d+)", t)
    if m and int(m.group(1)) <= 30:
        return int(m.group(1))
    if t.isdigit() and int(t) < 128:
        return int(t)  # a DWARF register number written directly
    m = re.fullmatch(r"[vqdshb](\d+)", t)
    if m and int(m.group(1)) <= 31:
        return 64 + int(m.group(1))
    return None


@dataclass
class _Frame:
    section: str
    start: int
    line: int
    program: bytearray = field(default_factory=bytearray)
    location: int = 0  # offset of the last advance
    end: int = 0


class CfiBuilder:
    def __init__(self, asm: Assembler) -> None:
        self.asm = asm
        self.frames: list[_Frame] = []
        self.open: _Frame | None = None
        self.cfa_offset = 0

    def handle(self, name: str, args: list[str], line: int) -> None:
        asm = self.asm
        here = len(asm.current.data)
        if name == ".cfi_sections":
            return
        if name == ".cfi_startproc":
            if self.open is not None:
                raise asm.error(".cfi_startproc inside another .cfi_startproc", line)
            if args and args[0]:
                raise asm.error(f".cfi_startproc {args[0]} is not supported", line)
            self.open = _Frame(asm.current.name, here, line, location=here)
            self.cfa_offset = 0
            return
        frame = self.open
        if frame is None:
            raise asm.error(f"{name} outside .cfi_startproc/.cfi_endproc", line)
        if name == ".cfi_endproc":
            frame.end = here
            self.frames.append(frame)
            self.open = None
            return
        program = self._instruction(name, args, line)
        delta = here - frame.location
        if delta:
            if delta < 0x40:
                frame.program.append(0x40 | delta)
            elif delta < 0x100:
                frame.program += bytes([0x02, delta])
            elif delta < 0x10000:
                frame.program += bytes([0x03]) + delta.to_bytes(2, "little")
            else:
                frame.program += bytes([0x04]) + delta.to_bytes(4, "little")
            frame.location = here
        frame.program += program

    def _reg(self, text: str, line: int) -> int:
        r = dwarf_register(text)
        if r is None:
            raise self.asm.error(f"{text!r} is not a register for call-frame information", line)
        return r

    def _instruction(self, name: str, args: list[str], line: int) -> bytes:
        asm = self.asm

        def need(n: int) -> None:
            if len(args) != n or not all(args):
                raise asm.error(f"{name} needs {n} operand{'s' if n > 1 else ''}", line)

        if name in (".cfi_def_cfa_offset", ".cfi_adjust_cfa_offset"):
            need(1)
            value = asm.constant(args[0], line)
            self.cfa_offset = value if name == ".cfi_def_cfa_offset" else self.cfa_offset + value
            return self._cfa_offset(self.cfa_offset)
        if name == ".cfi_def_cfa":
            need(2)
            reg, self.cfa_offset = self._reg(args[0], line), asm.constant(args[1], line)
            return bytes([0x0C]) + uleb(reg) + uleb(self.cfa_offset) if self.cfa_offset >= 0 \
                else bytes([0x12]) + uleb(reg) + sleb(self.cfa_offset // DATA_ALIGN)
        if name == ".cfi_def_cfa_register":
            need(1)
            return bytes([0x0D]) + uleb(self._reg(args[0], line))
        if name in (".cfi_offset", ".cfi_rel_offset"):
            need(2)
            reg, off = self._reg(args[0], line), asm.constant(args[1], line)
            if name == ".cfi_rel_offset":
                off -= self.cfa_offset
            factored = off // DATA_ALIGN
            if factored < 0:
                return bytes([0x11]) + uleb(reg) + sleb(factored)
            if reg < 64:
                return bytes([0x80 | reg]) + uleb(factored)
            return bytes([0x05]) + uleb(reg) + uleb(factored)
        if name == ".cfi_restore":
            need(1)
            reg = self._reg(args[0], line)
            return bytes([0xC0 | reg]) if reg < 64 else bytes([0x06]) + uleb(reg)
        simple = {".cfi_remember_state": 0x0A, ".cfi_restore_state": 0x0B,
                  ".cfi_negate_ra_state": 0x2D, ".cfi_window_save": 0x2D}
        if name in simple:
            return bytes([simple[name]])
        if name in (".cfi_undefined", ".cfi_same_value"):
            need(1)
            return bytes([0x07 if name == ".cfi_undefined" else 0x08]) + \
                uleb(self._reg(args[0], line))
        if name == ".cfi_register":
            need(2)
            return bytes([0x09]) + uleb(self._reg(args[0], line)) + uleb(self._reg(args[1], line))
        if name == ".cfi_escape":
            return bytes(asm.constant(a, line) & 0xFF for a in args)
        raise asm.error(f"unsupported call-frame directive {name}", line)

    @staticmethod
    def _cfa_offset(offset: int) -> bytes:
        if offset >= 0:
            return bytes([0x0E]) + uleb(offset)
        return bytes([0x13]) + sleb(offset // DATA_ALIGN)

    def emit(self, relocations: list[reloc.Relocation]) -> bytearray | None:
        """The .eh_frame contents (None when there are no frames); appends its relocations."""
        if self.open is not None:
            raise self.asm.error(".cfi_startproc without .cfi_endproc", self.open.line)
        if not self.frames:
            return None
        out = bytearray(len(CIE).to_bytes(4, "little") + CIE)
        for i, frame in enumerate(self.frames):
            body = bytearray((len(out) + 4).to_bytes(4, "little"))  # CIE pointer
            relocations.append(reloc.Relocation(".eh_frame", len(out) + 8,
                                                reloc.R_AARCH64_PREL32, frame.section,
                                                frame.start))
            body += bytes(4) + (frame.end - frame.start).to_bytes(4, "little") + b"\0"
            body += frame.program
            align = 8 if i == len(self.frames) - 1 else 4
            body += bytes(-(len(out) + 4 + len(body)) % align)
            out += len(body).to_bytes(4, "little") + body
        return out
