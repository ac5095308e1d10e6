"""Encoding tables: the one description of an instruction from which decoder, assembler and
disassembler are derived.

A pattern lists the 32 bits from bit 31 down to bit 0 as the Arm ARM draws them:
`sf op=0 S=0 100010 sh imm12 Rn Rd`. A token is
- a string of 0/1 digits: fixed bits;
- `name=bits`: a named field whose value is fixed in this row (it still appears in `d`);
- `name` or `name:width`: a variable field. Widths default from `FIELD_WIDTHS`, else from a
  trailing number in the name (`imm12` is 12 bits), else 1.
A pattern that does not add up to 32 bits is an error at import time.

An `Encoding` row is one mnemonic: its pattern, its operands (objects from `operands.py` that
print and parse), its `decode(d)` (derives values, raises `Unallocated` for reserved field
values), its `execute(s, o, d)` and its aliases. An `InstructionClass` groups the rows of one
file. Trusted: the tables are the specification of the encodings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assay.core.errors import AssayError

FIELD_WIDTHS = {
    "Rd": 5, "Rn": 5, "Rm": 5, "Ra": 5, "Rt": 5, "Rt2": 5, "Rs": 5,
    "Vd": 5, "Vn": 5, "Vm": 5, "Va": 5, "Vt": 5, "Vt2": 5,
    "cond": 4, "nzcv": 4, "immr": 6, "imms": 6, "hw": 2, "shift": 2, "option": 3,
    "immlo": 2, "immhi": 19, "b40": 5, "size": 2, "opc": 2, "opcode": 4,
    "CRm": 4, "op2": 3, "immh": 4, "immb": 3, "len": 2,
}


class TableError(AssayError):
    """An encoding table is malformed (a bug in a class file, found at import)."""


class Unallocated(Exception):  # noqa: N818 - the Arm ARM's word
    """Raised by a row's `decode` when its field values are reserved/unallocated."""


class Decoded:
    """Field values of one decoded word (raw fields plus whatever `decode` derives)."""

    __slots__ = ("__dict__",)

    def __init__(self, **kw: int) -> None:
        self.__dict__.update(kw)

    def __repr__(self) -> str:
        return "Decoded(" + ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items()) + ")"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    hi: int
    lo: int
    fixed: int | None = None  # value when the row fixes it (`op=0`)

    @property
    def width(self) -> int:
        return self.hi - self.lo + 1


def parse_pattern(pattern: str) -> tuple[int, int, tuple[FieldSpec, ...]]:
    """Pattern text -> (mask, value, fields) with bit positions; raises TableError."""
    pos = 32
    mask = value = 0
    fields: list[FieldSpec] = []
    for tok in pattern.split():
        if re.fullmatch(r"[01]+", tok):
            w = len(tok)
            pos -= w
            mask |= ((1 << w) - 1) << pos
            value |= int(tok, 2) << pos
            continue
        m = re.fullmatch(r"([A-Za-z_][A-Za-z_0-9]*?)(?::(\d+)|=([01]+))?", tok)
        if not m:
            raise TableError(f"bad pattern token {tok!r} in {pattern!r}")
        name, width, bits = m.group(1), m.group(2), m.group(3)
        if bits is not None:
            w = len(bits)
        elif width is not None:
            w = int(width)
        elif name in FIELD_WIDTHS:
            w = FIELD_WIDTHS[name]
        else:
            t = re.search(r"(\d+)$", name)
            w = int(t.group(1)) if t and name.startswith("imm") else 1
        pos -= w
        fixed = None
        if bits is not None:
            fixed = int(bits, 2)
            mask |= ((1 << w) - 1) << pos
            value |= fixed << pos
        fields.append(FieldSpec(name, pos + w - 1, pos, fixed))
    if pos != 0:
        raise TableError(f"pattern {pattern!r} has {32 - pos} bits, not 32")
    return mask, value, tuple(fields)


@dataclass
class Alias:
    """A preferred spelling of a row: used by the disassembler when `when(d)` holds, and
    accepted by the assembler (with `fixed` field values) when `when` holds for the result."""

    mnemonic: str
    operands: Sequence[Any]
    when: Callable[[Decoded], bool] = lambda d: True
    fixed: dict[str, int] = field(default_factory=dict)
    asm_priority: int = 0  # the assembler tries lower priorities first (MOVZ before ORR)
    asm_only: bool = False  # a spelling assemblers accept that disassemblers never print (uxtl)


class Encoding:
    """One row of an encoding table."""

    def __init__(self, mnemonic: str, pattern: str, operands: Sequence[Any],
                 execute: Callable[..., Any], decode: Callable[[Decoded], None] | None = None,
                 aliases: Sequence[Alias] = (), name: str | None = None,
                 conform: Callable[..., None] | None = None,
                 disasm_only: bool = False,
                 complete: Callable[[dict[str, int]], None] | None = None,
                 sample: bool = True) -> None:
        self.mnemonic = mnemonic.lower()
        self.pattern = pattern
        self.mask, self.value, self.fields = parse_pattern(pattern)
        self.operands = tuple(operands)
        self.execute = execute
        self.decode_fn = decode
        self.aliases = tuple(aliases)
        self.name = name or mnemonic
        self.conform = conform
        self.disasm_only = disasm_only
        self.complete = complete  # assembler: fill fields implied by others (N = sf)
        # False: random campaigns (conformance, capstone) never draw this row; for rows that
        # only decode and print what the model refuses to run (unsupported system registers).
        self.sample = sample
        self.cls: InstructionClass | None = None
        self.var_fields = tuple(f for f in self.fields if f.fixed is None)

    def __repr__(self) -> str:
        return f"<Encoding {self.name}: {self.pattern}>"

    def matches(self, word: int) -> bool:
        return (word & self.mask) == self.value

    def fields_of(self, word: int) -> Decoded:
        d = Decoded()
        dd = d.__dict__
        for f in self.fields:
            dd[f.name] = (word >> f.lo) & ((1 << f.width) - 1)
        return d

    def decode(self, word: int) -> Decoded:
        """Field values and derived values; raises Unallocated."""
        d = self.fields_of(word)
        if self.decode_fn is not None:
            self.decode_fn(d)
        return d

    def encode(self, values: dict[str, int]) -> int:
        """Word from variable-field values (each must fit its width); raises KeyError/ValueError."""
        word = self.value
        for f in self.var_fields:
            v = values[f.name]
            if not 0 <= v < (1 << f.width):
                raise ValueError(f"field {f.name}={v} does not fit in {f.width} bits")
            word |= v << f.lo
        return word


class InstructionClass:
    """The rows of one instruction-class file; `name` is what `--class` selects."""

    def __init__(self, name: str, title: str, encodings: Sequence[Encoding]) -> None:
        self.name = name
        self.title = title
        self.encodings = tuple(encodings)
        for e in self.encodings:
            e.cls = self

    def mnemonics(self) -> list[str]:
        seen: dict[str, None] = {}
        for e in self.encodings:
            seen.setdefault(e.mnemonic.upper(), None)
        return list(seen)
