"""AdvSIMD copy: DUP (element, general, and the scalar element form printed MOV), INS
(general and element, printed MOV), UMOV (printed MOV for 32-bit from S and 64-bit from D)
and SMOV. Arm ARM C4.1.96.x, `0 Q op 01110000 imm5 0 imm4 1 Rn Rd` (scalar DUP:
`01 op 11110000 imm5 0 imm4 1 Rn Rd`). The element size is 8 << LowestSetBit(imm5) and the
bits of imm5 above it hold the element index; INS (element) takes its source index from imm4."""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import AsmContext, Operand, parse_gpr, setf
from .pseudocode import rx, wx
from .simd_common import datasize, vset
from .simd_operands import ESIZE_LETTER, Arr, Elem, Sca, Vec

#          mnemonic      encoding (bit 31 .. bit 0)
TABLE = [
    ("DUP",  "dup_elem",   "0 Q op=0 01110000 imm5 0 imm4=0000 1 Rn Rd"),
    ("DUP",  "dup_gen",    "0 Q op=0 01110000 imm5 0 imm4=0001 1 Rn Rd"),
    ("SMOV", "smov",       "0 Q op=0 01110000 imm5 0 imm4=0101 1 Rn Rd"),
    ("UMOV", "umov",       "0 Q op=0 01110000 imm5 0 imm4=0111 1 Rn Rd"),
    ("INS",  "ins_gen",    "0 Q=1 op=0 01110000 imm5 0 imm4=0011 1 Rn Rd"),
    ("INS",  "ins_elem",   "0 Q=1 op=1 01110000 imm5 0 imm4:4 1 Rn Rd"),
    ("DUP",  "dup_scalar", "01 op=0 11110000 imm5 0 imm4=0000 1 Rn Rd"),
]


def _size(d: Decoded) -> int:
    """LowestSetBit(imm5); imm5 = x0000 is reserved."""
    if d.imm5 & 0xF == 0:
        raise Unallocated
    return (d.imm5 & -d.imm5).bit_length() - 1


def decode(d: Decoded) -> None:
    size = _size(d)
    d.size, d.esize, d.index = size, 8 << size, d.imm5 >> (size + 1)
    kind = d.kind
    if kind in ("dup_elem", "dup_gen") and size == 3 and not d.Q:
        raise Unallocated
    if kind == "smov" and size >= (3 if d.Q else 2):
        raise Unallocated
    if kind == "umov" and (size != 3 if d.Q else size == 3):
        raise Unallocated
    if kind == "ins_elem":
        d.index2 = d.imm4 >> size
    d.datasize = 64 if kind == "dup_scalar" else datasize(d) if kind.startswith("dup") else 128
    d.gpr = 64 if (kind in ("smov", "umov") and d.Q) or size == 3 else 32


def _element(o: Any, v: Any, index: int, esize: int) -> Any:
    return o.extract(esize * index + esize - 1, esize * index, v)


def _insert(o: Any, v: Any, index: int, esize: int, value: Any) -> Any:
    """v with element `index` replaced by `value`."""
    lo, hi = esize * index, esize * index + esize
    r = value if hi == 128 else o.concat(o.extract(127, hi, v), value, esize)
    return r if lo == 0 else o.concat(r, o.extract(lo - 1, 0, v), lo)


def dup_elem(s: Any, o: Any, d: Decoded) -> None:
    e = _element(o, s.v[d.Rn], d.index, d.esize)
    vset(s, o, d.Rd, o.replicate(e, d.esize, d.datasize // d.esize), d.datasize)


def dup_scalar(s: Any, o: Any, d: Decoded) -> None:
    vset(s, o, d.Rd, _element(o, s.v[d.Rn], d.index, d.esize), d.esize)


def dup_gen(s: Any, o: Any, d: Decoded) -> None:
    e = o.extract(d.esize - 1, 0, rx(s, o, d.Rn, 64))
    vset(s, o, d.Rd, o.replicate(e, d.esize, d.datasize // d.esize), d.datasize)


def smov(s: Any, o: Any, d: Decoded) -> None:
    e = _element(o, s.v[d.Rn], d.index, d.esize)
    wx(s, o, d.Rd, o.sign_extend(e, d.esize, d.gpr), d.gpr)


def umov(s: Any, o: Any, d: Decoded) -> None:
    e = _element(o, s.v[d.Rn], d.index, d.esize)
    wx(s, o, d.Rd, e if d.esize == d.gpr else o.zero_extend(e, d.esize, d.gpr), d.gpr)


def ins_gen(s: Any, o: Any, d: Decoded) -> None:
    e = o.extract(d.esize - 1, 0, rx(s, o, d.Rn, 64))
    s.v[d.Rd] = _insert(o, s.v[d.Rd], d.index, d.esize, e)


def ins_elem(s: Any, o: Any, d: Decoded) -> None:
    e = _element(o, s.v[d.Rn], d.index2, d.esize)
    s.v[d.Rd] = _insert(o, s.v[d.Rd], d.index, d.esize, e)


# -- operands ---------------------------------------------------------------------------------


class Imm5Arr(Arr):
    """Vd.<T> of DUP: the element size from imm5, the register half from Q. Parsing leaves the
    element size in `_esize` for the operand that fills imm5."""

    def __init__(self) -> None:
        super().__init__((), {})

    def text(self, d: Decoded) -> str:
        return f"{(128 if d.Q else 64) // d.esize}{ESIZE_LETTER[d.esize]}"

    def read(self, t: str, f: dict[str, int]) -> bool:
        for q in (0, 1):
            for esize in (8, 16, 32, 64):
                if t == f"{(128 if q else 64) // esize}{ESIZE_LETTER[esize]}":
                    return setf(f, "Q", q) and setf(f, "_esize", esize)
        return False


def _put_imm5(f: dict[str, int], esize: int, index: int) -> bool:
    size = (esize // 8).bit_length() - 1
    if size > 3 or not 0 <= index < (16 >> size) or not setf(f, "_esize", esize):
        return False
    return setf(f, "imm5", (index << (size + 1)) | (1 << size))


def _put_imm4(f: dict[str, int], esize: int, index: int) -> bool:
    size = (esize // 8).bit_length() - 1
    if f.get("_esize") != esize or not 0 <= index < (16 >> size):
        return False
    return setf(f, "imm4", index << size)


_ELEM_N = Elem("Rn", lambda d: (d.esize, d.index), _put_imm5)
_ELEM_D = Elem("Rd", lambda d: (d.esize, d.index), _put_imm5)
_ELEM_N2 = Elem("Rn", lambda d: (d.esize, d.index2), _put_imm4)


class Gpr(Operand):
    """The general register of DUP/INS (general) and SMOV/UMOV: W or X as `d.gpr` says. When
    it is the source of DUP (general) it also fixes imm5 from the element size."""

    def __init__(self, fld: str, fill_imm5: bool = False, x_when: str = "size3") -> None:
        self.fld, self.fill_imm5, self.x_when = fld, fill_imm5, x_when

    def fmt(self, d: Decoded, pc: int) -> str:
        n = getattr(d, self.fld)
        return f"{'x' if d.gpr == 64 else 'w'}{n}" if n != 31 else \
            ("xzr" if d.gpr == 64 else "wzr")

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        r = parse_gpr(tok)
        if r is None or (r[0] == 31 and r[2]):
            return False
        n, width, _ = r
        if self.x_when == "Q":
            return setf(f, "Q", 1 if width == 64 else 0) and setf(f, self.fld, n)
        esize = f.get("_esize")
        if esize is None or (width == 64) != (esize == 64):
            return False
        if self.fill_imm5:
            size = (esize // 8).bit_length() - 1
            if not setf(f, "imm5", 1 << size):
                return False
        return setf(f, self.fld, n)


class ElemArr(Arr):
    """The scalar letter of DUP (scalar element), from imm5's lowest set bit."""

    def __init__(self) -> None:
        super().__init__((), {})

    def text(self, d: Decoded) -> str:
        return ESIZE_LETTER[d.esize]

    def read(self, t: str, f: dict[str, int]) -> bool:
        esize = {"b": 8, "h": 16, "s": 32, "d": 64}.get(t)
        return esize is not None and setf(f, "_esize", esize)


def _with_kind(kind: str) -> Any:
    def dec(d: Decoded) -> None:
        d.kind = kind
        decode(d)
    return dec


def _is_mov_umov(d: Decoded) -> bool:
    return d.esize == d.gpr


_SMOV_OPS = [Gpr("Rd", x_when="Q"), _ELEM_N]
ROWS: dict[str, tuple[list[Any], Any, list[Alias]]] = {
    "dup_elem": ([Vec("Rd", Imm5Arr()), _ELEM_N], dup_elem, []),
    "dup_gen": ([Vec("Rd", Imm5Arr()), Gpr("Rn", fill_imm5=True)], dup_gen, []),
    "smov": (_SMOV_OPS, smov, []),
    "umov": (_SMOV_OPS, umov, [Alias("mov", _SMOV_OPS, _is_mov_umov)]),
    "ins_gen": ([_ELEM_D, Gpr("Rn")], ins_gen, [Alias("mov", [_ELEM_D, Gpr("Rn")])]),
    "ins_elem": ([_ELEM_D, _ELEM_N2], ins_elem, [Alias("mov", [_ELEM_D, _ELEM_N2])]),
    "dup_scalar": ([Sca("Rd", ElemArr()), _ELEM_N], dup_scalar,
                   [Alias("mov", [Sca("Rd", ElemArr()), _ELEM_N])]),
}

CLASS = InstructionClass("simd_copy", "AdvSIMD copy (DUP, INS, UMOV, SMOV)", [
    Encoding(m, pattern, ROWS[kind][0], ROWS[kind][1], _with_kind(kind), ROWS[kind][2],
             name=kind)
    for m, kind, pattern in TABLE
])
