"""AdvSIMD shift by immediate: SSHR, USHR, SSRA, USRA, SRI, SHL, SLI (vector and 64-bit scalar
forms), the widening SSHLL/USHLL(2) (assembler also takes SXTL/UXTL(2)) and the narrowing
SHRN(2). Arm ARM C4.1.96.x, vector
`0 Q U 011110 immh immb opcode 1 Rn Rd`, scalar `01 U 111110 immh immb opcode 1 Rn Rd`.
The element size is 8 << HighestSetBit(immh); immh:immb holds 2*esize - shift for right shifts
and esize + shift for left shifts (immh = 0000 is the modified-immediate class)."""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import AsmContext, Operand, setf
from .simd_common import join, lanes, vget, vset
from .simd_operands import ImmhArr, Sca, ShiftImm, Vec

#          mnemonic  U  opcode   kind: same (vector + scalar), long, narrow
TABLE = [
    ("SSHR",  0, "00000", "same"), ("USHR", 1, "00000", "same"),
    ("SSRA",  0, "00010", "same"), ("USRA", 1, "00010", "same"),
    ("SRI",   1, "01000", "same"),
    ("SHL",   0, "01010", "same"), ("SLI",  1, "01010", "same"),
    ("SSHLL", 0, "10100", "long"), ("USHLL", 1, "10100", "long"),
    ("SHRN",  0, "10000", "narrow"),
]
VECTOR = "0 Q{q} U={u} 011110 immh immb opcode={op} 1 Rn Rd"
SCALAR = "01 U={u} 111110 immh immb opcode={op} 1 Rn Rd"
RIGHT = {"SSHR", "USHR", "SSRA", "USRA", "SRI", "SHRN"}


def _decoder(kind: str, right: bool, scalar: bool = False) -> Any:
    def decode(d: Decoded) -> None:
        if d.immh == 0:
            raise Unallocated
        hsb = d.immh.bit_length() - 1
        if scalar and hsb != 3:
            raise Unallocated
        if not scalar and hsb == 3 and (kind != "same" or not d.Q):
            raise Unallocated
        d.esize = 8 << hsb
        raw = (d.immh << 3) | d.immb
        d.shift = 2 * d.esize - raw if right else raw - d.esize
        d.datasize = 64 if scalar else (128 if d.Q else 64)
    return decode


def _element_op(m: str, o: Any, n: int, shift: int) -> Any:
    """The per-element result given (Vd element, Vn element)."""
    if m in ("SSHR", "SSRA"):
        sh = lambda a: o.bvashr(a, shift, n)  # noqa: E731
    elif m in ("USHR", "USRA"):
        sh = lambda a: o.bvlshr(a, shift, n)  # noqa: E731
    if m in ("SSHR", "USHR"):
        return lambda dd, a: sh(a)
    if m in ("SSRA", "USRA"):
        return lambda dd, a: o.bvadd(dd, sh(a), n)
    if m == "SHL":
        return lambda dd, a: o.bvshl(a, shift, n)
    ones = (1 << n) - 1
    if m == "SRI":
        keep = ones ^ (ones >> shift if shift < n else 0)
        return lambda dd, a: o.bvor(o.bvand(dd, keep, n), o.bvlshr(a, shift, n), n)
    keep = ones ^ ((ones << shift) & ones)  # SLI
    return lambda dd, a: o.bvor(o.bvand(dd, keep, n), o.bvshl(a, shift, n), n)


def _same(m: str) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n = d.datasize, d.esize
        f = _element_op(m, o, n, d.shift)
        ds, ns = lanes(o, vget(s, o, d.Rd, w), n, w // n), lanes(o, vget(s, o, d.Rn, w), n, w // n)
        vset(s, o, d.Rd, join(o, [f(x, y) for x, y in zip(ds, ns)], n), w)
    return execute


def _long(signed: bool) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        n = d.esize
        half = o.extract(64 * d.Q + 63, 64 * d.Q, s.v[d.Rn])
        ext = o.sign_extend if signed else o.zero_extend
        out = [o.bvshl(ext(e, n, 2 * n), d.shift, 2 * n) for e in lanes(o, half, n, 64 // n)]
        s.v[d.Rd] = join(o, out, 2 * n)
    return execute


def shrn(s: Any, o: Any, d: Decoded) -> None:
    n = d.esize
    out = [o.extract(n - 1, 0, o.bvlshr(e, d.shift, 2 * n))
           for e in lanes(o, s.v[d.Rn], 2 * n, 64 // n)]
    narrow = join(o, out, n)
    if d.Q:
        s.v[d.Rd] = o.concat(narrow, o.extract(63, 0, s.v[d.Rd]), 64)
    else:
        vset(s, o, d.Rd, narrow, 64)


class NoShift(Operand):
    """The implied `#0` of UXTL/SXTL (USHLL/SSHLL by zero): consumes no text, and fills
    immh:immb with the element size that the register operands left in `_esize`."""

    optional = True

    def fmt(self, d: Decoded, pc: int) -> None:
        return None

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        return False

    def default(self, f: dict[str, int]) -> bool:
        esize = f.get("_esize")
        return esize is not None and setf(f, "immh", esize >> 3) and setf(f, "immb", esize & 7)


ROWS: list[Encoding] = []
for m, u, op, kind in TABLE:
    right = m in RIGHT
    if kind == "same":
        ROWS.append(Encoding(m, VECTOR.format(q="", u=u, op=op),
                             [Vec("Rd", ImmhArr()), Vec("Rn", ImmhArr()), ShiftImm(right)],
                             _same(m), _decoder(kind, right), name=f"{m}_vector"))
        ROWS.append(Encoding(m, SCALAR.format(u=u, op=op),
                             [Sca("Rd", ImmhArr(scalar=True)), Sca("Rn", ImmhArr(scalar=True)),
                              ShiftImm(right)],
                             _same(m), _decoder(kind, right, scalar=True),
                             name=f"{m}_scalar"))
        continue
    for q, name in ((0, m), (1, m + "2")):
        aliases: list[Alias] = []
        if kind == "long":
            regs = [Vec("Rd", ImmhArr(scale=2, q=None)), Vec("Rn", ImmhArr())]
            ops = [*regs, ShiftImm(right)]
            ex = _long(m == "SSHLL")
            # UXTL/SXTL: what assemblers accept for a shift by zero; capstone prints USHLL
            aliases = [Alias(f"{m[0]}xtl{'2' if q else ''}".lower(), [*regs, NoShift()],
                             lambda d: d.shift == 0, asm_only=True)]
        else:
            ops = [Vec("Rd", ImmhArr()), Vec("Rn", ImmhArr(scale=2, q=None)), ShiftImm(right)]
            ex = shrn
        ROWS.append(Encoding(name, VECTOR.format(q=f"={q}", u=u, op=op), ops, ex,
                             _decoder(kind, right), aliases))

CLASS = InstructionClass("simd_shift_imm", "AdvSIMD shift by immediate", ROWS)
