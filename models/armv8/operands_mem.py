"""Operand kinds and shared semantics of the load/store classes.

Memory operands in capstone 5's GNU syntax: `[x1]`, `[x1, #8]`, `[x1, #-8]!` (pre-index),
`[x1], #8` (post-index: two tokens), `[x1, w2, sxtw #3]` (register offset), and the register
to transfer (`w0`/`x0`/`xzr` or `b0`/`h0`/`s0`/`d0`/`q0`), plus the prefetch operation of PRFM.
`conform_base` makes conformance cases address the Unicorn window.

Also the transfer semantics every single-register load/store shares (`load_to`, `store_from`),
written over the bit-vector interface.
"""

from __future__ import annotations

import random
import re
from typing import Any

from .encoding import Decoded
from .operands import AsmContext, Operand, fmt_imm, gpr_name, parse_gpr, parse_int, setf
from .pseudocode import rx, wx

_MEM = re.compile(r"\[\s*([a-z0-9]+)\s*(?:,\s*(#?\s*-?\s*(?:0x[0-9a-f]+|\d+)))?\s*\]\s*(!?)")
_MEM_REG = re.compile(r"\[\s*([a-z0-9]+)\s*,\s*([a-z0-9]+)\s*(?:,\s*([a-z]+)(?:\s+(#?\s*\w+))?)?"
                      r"\s*\]")
MASK64 = (1 << 64) - 1
EXTEND_NAMES = {2: "uxtw", 3: "lsl", 6: "sxtw", 7: "sxtx"}
PRFOPS = {0: "pld", 1: "pli", 2: "pst"}


def parse_base(tok: str) -> int | None:
    """A 64-bit base register: x0-x30 or sp (never xzr)."""
    r = parse_gpr(tok)
    if r is None or r[1] != 64 or (r[0] == 31 and not r[2]):
        return None
    return r[0]


def base_name(n: int) -> str:
    return gpr_name(n, 64, True)


class MemImm(Operand):
    """`[Rn{, #imm}]` (mode "offset"), `[Rn, #imm]!` ("pre"), or `[Rn]` ("post", the
    immediate follows as its own operand, `PostImm`). The immediate is `d.imm` (bytes);
    `store(v, f)` puts a byte offset into the fields (returns False when it does not fit)."""

    def __init__(self, mode: str, imm: Any) -> None:
        self.mode, self.imm = mode, imm

    def fmt(self, d: Decoded, pc: int) -> str:
        base = base_name(d.Rn)
        if self.mode == "post":
            return f"[{base}]"
        off = self.imm.value(d)
        if self.mode == "pre":
            return f"[{base}, {fmt_imm(off)}]!"
        return f"[{base}, {fmt_imm(off)}]" if off else f"[{base}]"

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = _MEM.fullmatch(tok.strip().lower())
        if not m:
            return False
        n = parse_base(m.group(1))
        if n is None or bool(m.group(3)) != (self.mode == "pre"):
            return False
        if self.mode == "post":
            return m.group(2) is None and setf(f, "Rn", n)
        off = parse_int(m.group(2)) if m.group(2) else 0
        if off is None or (self.mode == "pre" and m.group(2) is None):
            return False
        return self.imm.store(off, f) and setf(f, "Rn", n)


class PostImm(Operand):
    """The `#imm` after a post-indexed `[Rn]`. For single registers capstone 5 prints a
    negative one as its 64-bit two's complement (`#0xffffffffffffffe0`); with `wrap=True` we
    print the same. Both spellings parse."""

    def __init__(self, imm: Any, wrap: bool = False) -> None:
        self.imm, self.wrap = imm, wrap

    def fmt(self, d: Decoded, pc: int) -> str:
        v = self.imm.value(d)
        return f"#0x{v & MASK64:x}" if v < 0 and self.wrap else fmt_imm(v)

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        v = parse_int(tok)
        if v is not None and v >= 1 << 63:
            v -= 1 << 64
        return v is not None and self.imm.store(v, f)  # GNU syntax allows a bare number


class MemReg(Operand):
    """`[Rn, Rm{, extend {#amount}}]` with fields Rm, option, S; `d.scale` is log2 of the
    access size (the amount when S=1)."""

    def fmt(self, d: Decoded, pc: int) -> str:
        rm = gpr_name(d.Rm, 64 if d.option & 1 else 32, False)
        ext = EXTEND_NAMES[d.option]
        text = f"[{base_name(d.Rn)}, {rm}"
        if d.S:
            text += f", {ext} #{d.scale}"
        elif ext != "lsl":
            text += f", {ext}"
        return text + "]"

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = _MEM_REG.fullmatch(tok.strip().lower())
        if not m:
            return False
        n, rm = parse_base(m.group(1)), parse_gpr(m.group(2))
        if n is None or rm is None or rm[2]:
            return False
        ext, amount = m.group(3) or "lsl", m.group(4)
        options = [k for k, v in EXTEND_NAMES.items() if v == ext]
        if not options:
            return False
        option = options[0]
        if (option & 1) != (1 if rm[1] == 64 else 0):
            return False
        if amount is None:
            if m.group(3) == "lsl":
                return False  # `lsl` needs an amount
            s = 0
        else:
            a, scale = parse_int(amount), f.get("_scale")
            if a is None or scale is None:
                return False
            if a == scale:
                s = 1  # for bytes an explicit `#0` selects S=1, as the assemblers do
            elif a == 0:
                s = 0
            else:
                return False
        return setf(f, "Rn", n) and setf(f, "Rm", rm[0]) and setf(f, "option", option) \
            and setf(f, "S", s)


class TReg(Operand):
    """The transfer register in field `fld`: a GPR of `width` bits (31 = ZR) or, for SIMD&FP,
    the scalar view letter (`b h s d q`). Parsing records `_scale` for register offsets."""

    def __init__(self, fld: str, width: int, simd: bool, scale: int) -> None:
        self.fld, self.width, self.simd, self.scale = fld, width, simd, scale
        self.letter = {8: "b", 16: "h", 32: "s", 64: "d", 128: "q"}[width] if simd else ""

    def fmt(self, d: Decoded, pc: int) -> str:
        n = getattr(d, self.fld)
        return f"{self.letter}{n}" if self.simd else gpr_name(n, self.width, False)

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        t = tok.strip().lower()
        if self.simd:
            m = re.fullmatch(r"([bhsdq])(\d+)", t)
            if not m or m.group(1) != self.letter or int(m.group(2)) > 31:
                return False
            n = int(m.group(2))
        else:
            r = parse_gpr(t)
            if r is None or r[2] or r[1] != self.width:
                return False
            n = r[0]
        return setf(f, self.fld, n) and setf(f, "_scale", self.scale)


class PrfOp(Operand):
    """PRFM's `<prfop>` (`pldl1keep`...) or `#imm5` when it has no name.

    The assembler also takes the system-level-cache names of FEAT_PRFMSLC (target 0b11:
    `pldslckeep`, `pldslcstrm`, `plislckeep`, ..., `pstslcstrm`), as GNU as and clang do. The
    disassembler prints those operations as `#imm5`: clang's printer names them only for
    Armv8.9-A targets (for the Armv8.x CPUs Assay is checked against it prints the number),
    capstone 5 prints an empty operand (a listed syntax variant of `#imm5`), and only recent
    GNU objdump prints the names."""

    def fmt(self, d: Decoded, pc: int) -> str:
        kind, target, policy = d.Rt >> 3, (d.Rt >> 1) & 3, d.Rt & 1
        if kind in PRFOPS and target < 3:
            return f"{PRFOPS[kind]}l{target + 1}{'strm' if policy else 'keep'}"
        return fmt_imm(d.Rt)

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        t = tok.strip().lower()
        m = re.fullmatch(r"(pld|pli|pst)(l[123]|slc)(keep|strm)", t)
        if m:
            kind = {v: k for k, v in PRFOPS.items()}[m.group(1)]
            target = 3 if m.group(2) == "slc" else int(m.group(2)[1]) - 1
            v = (kind << 3) | (target << 1) | (m.group(3) == "strm")
            return setf(f, "Rt", v) and setf(f, "_scale", 3)
        v = parse_int(t)
        return v is not None and t.startswith("#") and 0 <= v < 32 and setf(f, "Rt", v) \
            and setf(f, "_scale", 3)


# -- shared semantics ----------------------------------------------------------------------

def load_to(s: Any, o: Any, d: Decoded, address: Any) -> None:
    """Load `d.nbytes` from `address` into Rt: GPR zero/sign-extended (d.signed, d.regsize),
    SIMD&FP zero-extended to 128 bits."""
    bits = 8 * d.nbytes
    data = s.mem_read(address, d.nbytes)
    if d.simd:
        s.v[d.Rt] = data if bits == 128 else o.zero_extend(data, bits, 128)
    elif d.signed:
        wx(s, o, d.Rt, o.sign_extend(data, bits, d.regsize), d.regsize)
    else:
        wx(s, o, d.Rt, data if bits == 64 else o.zero_extend(data, bits, 64), 64)


def store_from(s: Any, o: Any, d: Decoded, address: Any) -> None:
    bits = 8 * d.nbytes
    if d.simd:
        v = s.v[d.Rt]
        data = v if bits == 128 else o.extract(bits - 1, 0, v)
    else:
        r = rx(s, o, d.Rt, 64)
        data = r if bits == 64 else o.extract(bits - 1, 0, r)
    s.mem_write(address, d.nbytes, data)


def window_address(rng: random.Random, span: int) -> int:
    """An address such that [address - span, address + span) lies inside the window."""
    from .conform import WINDOW, WINDOW_SIZE
    span = min(span, WINDOW_SIZE // 2 - 16)
    a = WINDOW + span + rng.randrange(WINDOW_SIZE - 2 * span)
    if rng.random() < 0.5:
        a &= ~0xF  # aligned, as real code mostly is
    return a


def conform_base(case: Any, n: int, address: int) -> None:
    """Make register n (31 = SP) hold `address`; an SP base is kept 16-byte aligned."""
    if n == 31:
        address &= ~0xF
    case.x[n] = address
