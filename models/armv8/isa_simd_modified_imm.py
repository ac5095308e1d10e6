"""AdvSIMD modified immediate: MOVI (8-, 16-, 32-bit shifted, 32-bit shifting ones, 64-bit
scalar and vector), MVNI, ORR (vector, immediate) and BIC (vector, immediate). Arm ARM
C4.1.96.x, `0 Q op 0111100000 a b c cmode o2 1 d e f g h Rd` with imm8 = abc:defgh and the
value given by AdvSIMDExpandImm(op, cmode, imm8). The floating-point FMOV (cmode = 1111) is not
modelled (it decodes as unsupported)."""

from __future__ import annotations

from typing import Any

from .encoding import Decoded, Encoding, InstructionClass
from .operands import AsmContext, Operand, fmt_imm, parse_int, setf
from .simd_common import datasize, vget, vset
from .simd_operands import Arr, Fixed, Sca, Vec

BASE = "0 Q{q} op={op} 0111100000 abc:3 {cmode} o2=0 1 defgh:5 Rd"
#          mnemonic  row name     op  cmode bits (cm = the shift selector)   element
TABLE = [
    ("MOVI", "movi8",       0, "cmode=1110", 8),
    ("MOVI", "movi16",      0, "10 cm:1 0", 16),
    ("MOVI", "movi32",      0, "0 cm:2 0", 32),
    ("MOVI", "movi32_msl",  0, "110 cm:1", 32),
    ("MOVI", "movi64",      1, "cmode=1110", 64),
    ("MVNI", "mvni16",      1, "10 cm:1 0", 16),
    ("MVNI", "mvni32",      1, "0 cm:2 0", 32),
    ("MVNI", "mvni32_msl",  1, "110 cm:1", 32),
    ("ORR",  "orr16",       0, "10 cm:1 1", 16),
    ("ORR",  "orr32",       0, "0 cm:2 1", 32),
    ("BIC",  "bic16",       1, "10 cm:1 1", 16),
    ("BIC",  "bic32",       1, "0 cm:2 1", 32),
]


def _decoder(row: str, esize: int) -> Any:
    def decode(d: Decoded) -> None:
        imm8 = (d.abc << 5) | d.defgh
        d.imm8, d.esize, d.datasize = imm8, esize, datasize(d)
        if row == "movi64":
            elem = int.from_bytes(bytes(0xFF if imm8 >> i & 1 else 0 for i in range(8)),
                                  "little")
            d.amount, d.msl = 0, False
        elif row.endswith("_msl"):
            d.amount, d.msl = 8 * (d.cm + 1), True
            elem = (imm8 << d.amount) | ((1 << d.amount) - 1)
        else:
            d.amount, d.msl = 8 * getattr(d, "cm", 0), False
            elem = imm8 << d.amount
        d.imm = int.from_bytes(elem.to_bytes(esize // 8, "little") * (d.datasize // esize),
                               "little")
    return decode


def _execute(m: str) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w = d.datasize
        imm = o.const(d.imm, w)
        if m == "MOVI":
            r = imm
        elif m == "MVNI":
            r = o.bvnot(imm, w)
        elif m == "ORR":
            r = o.bvor(vget(s, o, d.Rd, w), imm, w)
        else:  # BIC
            r = o.bvand(vget(s, o, d.Rd, w), o.bvnot(imm, w), w)
        vset(s, o, d.Rd, r, w)
    return execute


class Imm8(Operand):
    """`#imm8` of the 8/16/32-bit forms."""

    def fmt(self, d: Decoded, pc: int) -> str:
        return fmt_imm(d.imm8)

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        v = parse_int(tok)
        return v is not None and 0 <= v <= 255 and setf(f, "abc", v >> 5) and \
            setf(f, "defgh", v & 31)


class Imm64(Operand):
    """`#imm64` of MOVI (64-bit): each byte 0x00 or 0xff. capstone prints it with C's
    `%#016llx` (16 characters including `0x`, and zero without the prefix:
    `#0000000000000000`); the assembler accepts that and any number."""

    def fmt(self, d: Decoded, pc: int) -> str:
        v = d.imm & ((1 << 64) - 1)
        return f"#0x{v:014x}" if v else "#0000000000000000"

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        t = tok.strip()
        v = 0 if t.lstrip("#") == "0000000000000000" else parse_int(t)
        if v is None or not 0 <= v < 1 << 64:
            return False
        raw = v.to_bytes(8, "little")
        if any(b not in (0, 0xFF) for b in raw):
            return False
        imm8 = sum(1 << i for i, b in enumerate(raw) if b)
        return setf(f, "abc", imm8 >> 5) and setf(f, "defgh", imm8 & 31)


class AmountShift(Operand):
    """`{, lsl #n}` (shifted forms, cm selects n / 8) or `, msl #n` (shifting ones)."""

    def __init__(self, msl: bool, has_cm: bool) -> None:
        self.msl, self.has_cm = msl, has_cm
        self.optional = not msl

    def fmt(self, d: Decoded, pc: int) -> str | None:
        if self.msl:
            return f"msl #{d.amount}"
        return f"lsl #{d.amount}" if d.amount else None

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        t = tok.strip().lower().replace("#", "")
        kind, _, amount = t.partition(" ")
        v = parse_int(amount.strip()) if amount else None
        if v is None or kind != ("msl" if self.msl else "lsl") or v % 8:
            return False
        cm = v // 8 - 1 if self.msl else v // 8
        if not self.has_cm:
            return cm == 0
        return cm >= 0 and setf(f, "cm", cm)

    def default(self, f: dict[str, int]) -> bool:
        return not self.msl and (setf(f, "cm", 0) if self.has_cm else True)


ARR = {8: Arr(("Q",), {(0,): "8b", (1,): "16b"}), 16: Arr(("Q",), {(0,): "4h", (1,): "8h"}),
       32: Arr(("Q",), {(0,): "2s", (1,): "4s"})}


def _rows() -> list[Encoding]:
    rows = []
    for m, name, op, cmode, esize in TABLE:
        ex = _execute(m)
        if name == "movi64":
            rows.append(Encoding(m, BASE.format(q="=0", op=op, cmode=cmode),
                                 [Sca("Rd", Fixed("d")), Imm64()], ex, _decoder(name, 64),
                                 name="movi64_scalar"))
            rows.append(Encoding(m, BASE.format(q="=1", op=op, cmode=cmode),
                                 [Vec("Rd", "2d"), Imm64()], ex, _decoder(name, 64),
                                 name="movi64_vector"))
            continue
        ops: list[Any] = [Vec("Rd", ARR[esize]), Imm8()]
        if esize != 8:
            ops.append(AmountShift(name.endswith("_msl"), "cm" in cmode))
        rows.append(Encoding(m, BASE.format(q="", op=op, cmode=cmode), ops, ex,
                             _decoder(name, esize), name=name))
    return rows


CLASS = InstructionClass("simd_modified_imm", "AdvSIMD modified immediate (MOVI, MVNI, ORR, "
                         "BIC)", _rows())
