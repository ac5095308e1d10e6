"""Operand kinds: how a field (or a group of fields) prints for the disassembler and parses for
the assembler. Printing follows capstone 5's GNU-style syntax (immediates above 9 in hex,
branch targets as absolute addresses).

An operand kind has
- `fmt(d, pc) -> str | None`: its text for decoded fields `d` at address `pc` (None: omitted);
- `parse(tok, f, ctx) -> bool`: read one comma-separated token into the field dict `f`
  (use `setf`, which refuses a conflicting value); False when the token does not fit;
- `optional` and `default(f) -> bool` for operands that may be absent (`{, lsl #12}`).
Class files may define their own kinds with the same three methods.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .encoding import Decoded

COND_NAMES = ("eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc",
              "hi", "ls", "ge", "lt", "gt", "le", "al", "nv")
COND_ALIASES = {"cs": 2, "cc": 3}
SHIFT_NAMES = ("lsl", "lsr", "asr", "ror")
EXTEND_NAMES = ("uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx")


@dataclass
class AsmContext:
    """What the assembler knows while encoding one instruction: its address and symbols.

    `resolve(name)` returns a symbol's address or None; a front end that emits relocations can
    record `(name, kind)` requests in `fixups` and return a placeholder.
    """

    pc: int = 0
    resolve: Callable[[str], int | None] = lambda name: None
    fixups: list[tuple[str, str]] = field(default_factory=list)


def setf(f: dict[str, int], name: str, value: int) -> bool:
    """Set field `name`; False if it already holds a different value."""
    old = f.get(name)
    if old is not None and old != value:
        return False
    f[name] = value
    return True


def fmt_imm(v: int) -> str:
    if v > 9:
        return f"#0x{v:x}"
    if v < -9:
        return f"#-0x{-v:x}"
    return f"#{v}"


_NUM = re.compile(r"#?\s*(-?)\s*(0x[0-9a-fA-F]+|0b[01]+|\d+)")


def parse_int(tok: str) -> int | None:
    """`#0x10`, `#16`, `-3`, ...; None when the token is not a number."""
    m = _NUM.fullmatch(tok.strip())
    if not m:
        return None
    v = int(m.group(2), 0)
    return -v if m.group(1) else v


_REG = re.compile(r"([wx])(\d+)|(w?sp)|([wx]zr)|(fp|lr)")


def parse_gpr(tok: str) -> tuple[int, int, bool] | None:
    """Register token -> (number, width, is_sp); None when not a general register."""
    m = _REG.fullmatch(tok.strip().lower())
    if not m:
        return None
    if m.group(1):
        n = int(m.group(2))
        if n > 30:
            return None
        return n, 64 if m.group(1) == "x" else 32, False
    if m.group(3):
        return 31, 32 if m.group(3) == "wsp" else 64, True
    if m.group(4):
        return 31, 32 if m.group(4)[0] == "w" else 64, False
    return (29 if m.group(5) == "fp" else 30), 64, False


def gpr_name(n: int, width: int, sp: bool) -> str:
    if n == 31:
        if sp:
            return "sp" if width == 64 else "wsp"
        return "xzr" if width == 64 else "wzr"
    return f"{'x' if width == 64 else 'w'}{n}"


class Operand(ABC):
    """An operand kind: how a decoded field prints and how assembler text sets fields."""

    optional = False

    @abstractmethod
    def fmt(self, d: Decoded, pc: int) -> str | None:
        """The operand's text for the disassembler, or None when it is omitted."""

    @abstractmethod
    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        """Consume one token, setting fields in `f`; False when the token does not fit."""

    def default(self, f: dict[str, int]) -> bool:
        return False


class Reg(Operand):
    """A general register in field `fld`. `size` is 32, 64, or the name of a 1-bit field
    (1 -> X, 0 -> W, like `sf`); `sp=True` reads register 31 as SP instead of ZR."""

    def __init__(self, fld: str, size: int | str = "sf", sp: bool = False) -> None:
        self.fld, self.size, self.sp = fld, size, sp

    def width(self, d: Decoded) -> int:
        if isinstance(self.size, int):
            return self.size
        return 64 if getattr(d, self.size) else 32

    def fmt(self, d: Decoded, pc: int) -> str:
        return gpr_name(getattr(d, self.fld), self.width(d), self.sp)

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        r = parse_gpr(tok)
        if r is None:
            return False
        n, w, is_sp = r
        if n == 31 and is_sp != self.sp:
            return False
        if isinstance(self.size, int):
            if w != self.size:
                return False
        elif not setf(f, self.size, 1 if w == 64 else 0):
            return False
        return setf(f, self.fld, n)


class Imm(Operand):
    """`#value` from field `fld` (or several fields concatenated, high first): value =
    field * scale + bias, optionally sign-extended from the fields' total width."""

    def __init__(self, fld: str | Sequence[tuple[str, int]], scale: int = 1, bias: int = 0,
                 signed: bool = False, width: int | None = None) -> None:
        self.parts = [(fld, width or 0)] if isinstance(fld, str) else list(fld)
        self.scale, self.bias, self.signed = scale, bias, signed

    def _raw(self, d: Decoded) -> tuple[int, int]:
        v = total = 0
        for name, w in self.parts:
            v = (v << w) | getattr(d, name)
            total += w
        return v, total

    def value(self, d: Decoded) -> int:
        v, total = self._raw(d)
        if self.signed and total and v >> (total - 1):
            v -= 1 << total
        return v * self.scale + self.bias

    def fmt(self, d: Decoded, pc: int) -> str:
        return fmt_imm(self.value(d))

    def store(self, v: int, f: dict[str, int]) -> bool:
        v -= self.bias
        if v % self.scale:
            return False
        v //= self.scale
        if len(self.parts) == 1 and not self.parts[0][1]:
            return v >= 0 and setf(f, self.parts[0][0], v)
        total = sum(w for _, w in self.parts)
        lo, hi = (-(1 << (total - 1)), (1 << (total - 1))) if self.signed else (0, 1 << total)
        if not lo <= v < hi:
            return False
        v &= (1 << total) - 1
        for name, w in reversed(self.parts):
            if not setf(f, name, v & ((1 << w) - 1)):
                return False
            v >>= w
        return True

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        v = parse_int(tok)
        return v is not None and self.store(v, f)


class Label(Imm):
    """A PC-relative target printed as an absolute address `#0x...`; parses an address or a
    label. `page=True` is ADRP's 4 KiB-page form."""

    def __init__(self, fld: str | Sequence[tuple[str, int]], scale: int = 4,
                 page: bool = False) -> None:
        super().__init__(fld, scale=scale, signed=True)
        self.page = page

    def base(self, pc: int) -> int:
        return pc & ~0xFFF if self.page else pc

    def fmt(self, d: Decoded, pc: int) -> str:
        return fmt_imm((self.base(pc) + self.value(d)) & ((1 << 64) - 1))

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        target = parse_int(tok)
        if target is None:
            name = tok.strip()
            if not re.fullmatch(r"[A-Za-z_.$][\w.$]*", name):
                return False
            target = ctx.resolve(name)
            if target is None:
                return False
        off = target - self.base(ctx.pc)
        if off >= 1 << 63:
            off -= 1 << 64
        return self.store(off, f)


class OptLsl(Operand):
    """`{, lsl #amount}` selected by a 1-bit field (ADD immediate's `sh`)."""

    optional = True

    def __init__(self, fld: str, amount: int) -> None:
        self.fld, self.amount = fld, amount

    def fmt(self, d: Decoded, pc: int) -> str | None:
        return f"lsl #{self.amount}" if getattr(d, self.fld) else None

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = re.fullmatch(r"lsl\s+#?(\w+)", tok.strip().lower())
        if not m:
            return False
        v = int(m.group(1), 0)
        if v not in (0, self.amount):
            return False
        return setf(f, self.fld, 1 if v else 0)

    def default(self, f: dict[str, int]) -> bool:
        return setf(f, self.fld, 0)


class Shift(Operand):
    """`{, <shift> #amount}` for shifted-register forms; `ror` says whether ROR is allowed."""

    optional = True

    def __init__(self, typ: str = "shift", amount: str = "imm6", ror: bool = False) -> None:
        self.typ, self.amount, self.ror = typ, amount, ror

    def fmt(self, d: Decoded, pc: int) -> str | None:
        t, a = getattr(d, self.typ), getattr(d, self.amount)
        if t == 0 and a == 0:
            return None
        return f"{SHIFT_NAMES[t]} #{a}"  # capstone prints shift amounts in decimal

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = re.fullmatch(r"(lsl|lsr|asr|ror)\s+(#?\s*\w+)", tok.strip().lower())
        if not m:
            return False
        t = SHIFT_NAMES.index(m.group(1))
        if t == 3 and not self.ror:
            return False
        a = parse_int(m.group(2))
        return a is not None and a >= 0 and setf(f, self.typ, t) and setf(f, self.amount, a)

    def default(self, f: dict[str, int]) -> bool:
        return setf(f, self.typ, 0) and setf(f, self.amount, 0)


class Cond(Operand):
    """A condition name from field `fld`; `invert=True` prints the inverse (cset, cinc...)."""

    def __init__(self, fld: str = "cond", invert: bool = False) -> None:
        self.fld, self.invert = fld, invert

    def fmt(self, d: Decoded, pc: int) -> str:
        return COND_NAMES[getattr(d, self.fld) ^ (1 if self.invert else 0)]

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        t = tok.strip().lower()
        c = COND_ALIASES.get(t, COND_NAMES.index(t) if t in COND_NAMES else None)
        if c is None:
            return False
        return setf(f, self.fld, c ^ (1 if self.invert else 0))


class Custom(Operand):
    """An operand given by two functions: `show(d, pc) -> str | None` and
    `read(tok, f, ctx) -> bool`; optional ones give `absent(f) -> bool`."""

    def __init__(self, show: Callable[[Decoded, int], str | None],
                 read: Callable[[str, dict[str, int], AsmContext], bool],
                 absent: Callable[[dict[str, int]], bool] | None = None) -> None:
        self.show, self.read, self.absent = show, read, absent
        self.optional = absent is not None

    def fmt(self, d: Decoded, pc: int) -> str | None:
        return self.show(d, pc)

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        return self.read(tok, f, ctx)

    def default(self, f: dict[str, int]) -> bool:
        return self.absent(f) if self.absent else False


def split_operands(text: str) -> list[str]:
    """Split at commas outside [] and {}; keeps `[x0, #8]!` as one token."""
    out: list[str] = []
    depth = 0
    cur = []
    for ch in text:
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    last = "".join(cur).strip()
    if last or out:
        out.append(last)
    return out

