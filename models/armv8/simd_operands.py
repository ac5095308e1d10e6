"""Operand kinds of the AdvSIMD and crypto classes: vector registers with arrangements
(`v3.4s`), scalar views (`q0`, `s1`, `d2`), elements (`v1.s[3]`), register lists
(`{v1.16b, v2.16b}`), and the shift amounts whose encoding depends on the element size.

Each prints in capstone 5's GNU syntax and parses the same text for the assembler. An
arrangement is described by an `Arr` object that maps field values to the suffix and back;
parsing may leave pseudo-fields (names starting with `_`, e.g. `_esize`) in the field dict for
operands further right (a shift amount needs the element size); `Encoding.encode` ignores them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .encoding import Decoded
from .operands import AsmContext, Operand, fmt_imm, parse_int, setf

# (size, Q) -> arrangement, the Arm ARM's standard table
SIZE_Q = {(0, 0): "8b", (0, 1): "16b", (1, 0): "4h", (1, 1): "8h",
          (2, 0): "2s", (2, 1): "4s", (3, 0): "1d", (3, 1): "2d"}
ESIZE_LETTER = {8: "b", 16: "h", 32: "s", 64: "d", 128: "q"}
LETTER_ESIZE = {v: k for k, v in ESIZE_LETTER.items()}


class Arr:
    """An arrangement (or scalar letter) selected by fields: `mapping` from field-value
    tuples to text. Printing a combination missing from `mapping` means the row's `decode`
    should have rejected it. Parsing tries each matching entry. `esize` (optional) maps the
    text to an element size left in `_esize` for later operands."""

    def __init__(self, fields: tuple[str, ...], mapping: dict[tuple[int, ...], str],
                 esize: Callable[[str], int] | None = None) -> None:
        self.fields, self.mapping, self.esize = fields, mapping, esize

    def text(self, d: Decoded) -> str:
        return self.mapping[tuple(getattr(d, f) for f in self.fields)]

    def read(self, t: str, f: dict[str, int]) -> bool:
        for key, name in self.mapping.items():
            if name != t:
                continue
            trial = dict(f)
            if all(setf(trial, fld, v) for fld, v in zip(self.fields, key)):
                if self.esize is not None and not setf(trial, "_esize", self.esize(t)):
                    continue
                f.clear()
                f.update(trial)
                return True
        return False


class Fixed(Arr):
    def __init__(self, name: str) -> None:
        super().__init__((), {(): name})


def size_q(allowed: tuple[str, ...] | None = None, size: str = "size", q: str = "Q") -> Arr:
    """The standard size:Q arrangement, optionally restricted to some arrangements."""
    m = {k: v for k, v in SIZE_Q.items() if allowed is None or v in allowed}
    return Arr((size, q), m, esize=arrangement_esize)


def arrangement_esize(t: str) -> int:
    return LETTER_ESIZE[t[-1]] if t[-1] in LETTER_ESIZE else 8


class ImmhArr(Arr):
    """The arrangement of shift-by-immediate forms: the element size is the highest set bit
    of immh (8 << hsb), Q selects the half/full register; `scale` widens (`2`: the long
    destination of USHLL), `q=None` means a full register whatever Q is (that destination),
    and `scalar` prints the scalar letter (`d`). Parsing leaves `_esize` (the narrow element
    size) for the shift amount."""

    def __init__(self, scale: int = 1, q: str | None = "Q", scalar: bool = False) -> None:
        super().__init__((), {})
        self.scale, self.q, self.scalar = scale, q, scalar

    def text(self, d: Decoded) -> str:
        esize = 8 << (d.immh.bit_length() - 1)
        if self.scalar:
            return ESIZE_LETTER[esize * self.scale]
        e = esize * self.scale
        if self.q is None:
            return f"{128 // e}{ESIZE_LETTER[e]}"
        return f"{(128 if getattr(d, self.q) else 64) // e}{ESIZE_LETTER[e]}"

    def read(self, t: str, f: dict[str, int]) -> bool:
        if self.scalar:
            if t not in LETTER_ESIZE or LETTER_ESIZE[t] % self.scale:
                return False
            return setf(f, "_esize", LETTER_ESIZE[t] // self.scale)
        m = re.fullmatch(r"(\d+)([bhsd])", t)
        if not m:
            return False
        e = LETTER_ESIZE[m.group(2)]
        total = int(m.group(1)) * e
        if e % self.scale or total not in (64, 128):
            return False
        if self.q is None:
            if total != 128:
                return False
        elif not setf(f, self.q, 1 if total == 128 else 0):
            return False
        return setf(f, "_esize", e // self.scale)


def _as_arr(kind: str | Arr) -> Arr:
    return Fixed(kind) if isinstance(kind, str) else kind


_VEC = re.compile(r"v(\d+)\.(\w+)")


class Vec(Operand):
    """`v<n>.<T>` with the register number in field `fld`; `also` names fields that must hold
    the same number (the `mov` alias of ORR sets Rm = Rn)."""

    def __init__(self, fld: str, kind: str | Arr, also: tuple[str, ...] = ()) -> None:
        self.fld, self.kind, self.also = fld, _as_arr(kind), also

    def fmt(self, d: Decoded, pc: int) -> str:
        return f"v{getattr(d, self.fld)}.{self.kind.text(d)}"

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = _VEC.fullmatch(tok.strip().lower())
        if not m or int(m.group(1)) > 31:
            return False
        n = int(m.group(1))
        return self.kind.read(m.group(2), f) and all(setf(f, x, n) for x in (self.fld, *self.also))


_SCA = re.compile(r"([bhsdq])(\d+)")


class Sca(Operand):
    """A scalar view `<letter><n>` (`q0`, `s1`, `d2`) of the register in field `fld`."""

    def __init__(self, fld: str, kind: str | Arr) -> None:
        self.fld, self.kind = fld, _as_arr(kind)

    def fmt(self, d: Decoded, pc: int) -> str:
        return f"{self.kind.text(d)}{getattr(d, self.fld)}"

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = _SCA.fullmatch(tok.strip().lower())
        if not m or int(m.group(2)) > 31:
            return False
        return self.kind.read(m.group(1), f) and setf(f, self.fld, int(m.group(2)))


class VecList(Operand):
    """`{v<n>.<T>, ...}`: `count` consecutive registers (modulo 32) from field `fld`; `count`
    is a number or the name of a field holding count - 1 (TBL's `len`)."""

    def __init__(self, fld: str, count: int | str, kind: str | Arr) -> None:
        self.fld, self.count, self.kind = fld, count, _as_arr(kind)

    def _count(self, d: Decoded) -> int:
        return self.count if isinstance(self.count, int) else getattr(d, self.count) + 1

    def fmt(self, d: Decoded, pc: int) -> str:
        first, t = getattr(d, self.fld), self.kind.text(d)
        return "{" + ", ".join(f"v{(first + i) % 32}.{t}" for i in range(self._count(d))) + "}"

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        t = tok.strip().lower()
        if not (t.startswith("{") and t.endswith("}")):
            return False
        inner = t[1:-1].strip()
        m = re.fullmatch(r"v(\d+)\.(\w+)\s*-\s*v(\d+)\.(\w+)", inner)
        if m:
            if m.group(2) != m.group(4):
                return False
            a, b = int(m.group(1)), int(m.group(3))
            regs, arrs = [(a + i) % 32 for i in range((b - a) % 32 + 1)], [m.group(2)]
        else:
            items = [_VEC.fullmatch(x.strip()) for x in inner.split(",")]
            if not all(items):
                return False
            regs = [int(x.group(1)) for x in items if x]
            arrs = [x.group(2) for x in items if x]
        if any(r > 31 for r in regs) or len(set(arrs)) != 1:
            return False
        if any(regs[i] != (regs[0] + i) % 32 for i in range(len(regs))):
            return False
        if isinstance(self.count, int):
            if len(regs) != self.count:
                return False
        elif not 1 <= len(regs) <= 4 or not setf(f, self.count, len(regs) - 1):
            return False
        return self.kind.read(arrs[0], f) and setf(f, self.fld, regs[0])


_ELEM = re.compile(r"v(\d+)\.([bhsd])\[(0x[0-9a-f]+|\d+)\]")


class Elem(Operand):
    """`v<n>.<T>[i]`: `get(d) -> (esize, index)` prints it; `put(f, esize, index) -> bool`
    stores it (the element encodings of the copy class pack both into imm5/imm4)."""

    def __init__(self, fld: str, get: Callable[[Decoded], tuple[int, int]],
                 put: Callable[[dict[str, int], int, int], bool]) -> None:
        self.fld, self.get, self.put = fld, get, put

    def fmt(self, d: Decoded, pc: int) -> str:
        esize, index = self.get(d)
        shown = f"0x{index:x}" if index > 9 else str(index)
        return f"v{getattr(d, self.fld)}.{ESIZE_LETTER[esize]}[{shown}]"

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = _ELEM.fullmatch(tok.strip().lower())
        if not m or int(m.group(1)) > 31:
            return False
        return self.put(f, LETTER_ESIZE[m.group(2)], int(m.group(3), 0)) and \
            setf(f, self.fld, int(m.group(1)))


class ShiftImm(Operand):
    """`#shift` of the shift-by-immediate forms, packed with the element size into immh:immb:
    right shifts encode 2*esize - shift, left shifts esize + shift."""

    def __init__(self, right: bool) -> None:
        self.right = right

    def value(self, d: Decoded) -> int:
        esize = 8 << (d.immh.bit_length() - 1)
        raw = (d.immh << 3) | d.immb
        return 2 * esize - raw if self.right else raw - esize

    def fmt(self, d: Decoded, pc: int) -> str:
        return fmt_imm(self.value(d))

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        v, esize = parse_int(tok), f.get("_esize")
        if v is None or esize is None:
            return False
        if self.right:
            if not 1 <= v <= esize:
                return False
            raw = 2 * esize - v
        else:
            if not 0 <= v < esize:
                return False
            raw = esize + v
        return setf(f, "immh", raw >> 3) and setf(f, "immb", raw & 7)
