"""AdvSIMD shift by immediate: SSHR, USHR, SSRA, USRA, SRI, SHL, SLI and the rounding
SRSHR/URSHR/SRSRA/URSRA (vector and 64-bit scalar forms), the widening SSHLL/USHLL(2)
(assembler also takes SXTL/UXTL(2)), the narrowing SHRN(2) and RSHRN(2), and the saturating
SQSHL/UQSHL/SQSHLU (immediate) and SQSHRN/UQSHRN/SQRSHRN/UQRSHRN/SQSHRUN/SQRSHRUN(2) (vector,
and scalar of every element size; FPSR.QC: simd_arith.note_saturation). Arm ARM C4.1.96.x,
vector `0 Q U 011110 immh immb opcode 1 Rn Rd`, scalar `01 U 111110 immh immb opcode 1 Rn Rd`.
The element size is 8 << HighestSetBit(immh); immh:immb holds 2*esize - shift for right shifts
and esize + shift for left shifts (immh = 0000 is the modified-immediate class)."""

from __future__ import annotations

from typing import Any

from . import simd_arith as sa
from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import AsmContext, Operand, setf
from .simd_common import join, lane_ops, lanes, vget, vset
from .simd_operands import ImmhArr, Sca, ShiftImm, Vec

#          mnemonic  U  opcode   kind: same (vector + scalar), long, narrow
TABLE = [
    ("SSHR",  0, "00000", "same"), ("USHR", 1, "00000", "same"),
    ("SSRA",  0, "00010", "same"), ("USRA", 1, "00010", "same"),
    ("SRI",   1, "01000", "same"),
    ("SHL",   0, "01010", "same"), ("SLI",  1, "01010", "same"),
    ("SSHLL", 0, "10100", "long"), ("USHLL", 1, "10100", "long"),
    ("SHRN",  0, "10000", "narrow"),
    ("SRSHR", 0, "00100", "same"), ("URSHR", 1, "00100", "same"),
    ("SRSRA", 0, "00110", "same"), ("URSRA", 1, "00110", "same"),
    ("RSHRN", 0, "10001", "narrow"),
    # saturating (FPSR.QC: simd_arith.note_saturation); scalar forms of every element size
    ("SQSHL", 0, "01110", "sat"), ("UQSHL", 1, "01110", "sat"), ("SQSHLU", 1, "01100", "sat"),
    ("SQSHRN", 0, "10010", "satnarrow"), ("UQSHRN", 1, "10010", "satnarrow"),
    ("SQRSHRN", 0, "10011", "satnarrow"), ("UQRSHRN", 1, "10011", "satnarrow"),
    ("SQSHRUN", 1, "10000", "satnarrow"), ("SQRSHRUN", 1, "10001", "satnarrow"),
]
VECTOR = "0 Q{q} U={u} 011110 immh immb opcode={op} 1 Rn Rd"
SCALAR = "01 U={u} 111110 immh immb opcode={op} 1 Rn Rd"
RIGHT = {"SSHR", "USHR", "SSRA", "USRA", "SRI", "SHRN", "SRSHR", "URSHR", "SRSRA", "URSRA",
         "RSHRN", "SQSHRN", "UQSHRN", "SQRSHRN", "UQRSHRN", "SQSHRUN", "SQRSHRUN"}


def _decoder(kind: str, right: bool, scalar: bool = False) -> Any:
    def decode(d: Decoded) -> None:
        if d.immh == 0:
            raise Unallocated
        hsb = d.immh.bit_length() - 1
        if scalar and (hsb == 3) != (kind == "same") and kind != "sat":
            raise Unallocated  # scalar: d only (same), b/h/s narrowed (satnarrow), any (sat)
        if not scalar and hsb == 3 and (kind not in ("same", "sat") or not d.Q):
            raise Unallocated
        d.esize = 8 << hsb
        raw = (d.immh << 3) | d.immb
        d.shift = 2 * d.esize - raw if right else raw - d.esize
        d.datasize = d.esize if scalar else (128 if d.Q else 64)
    return decode


def _insert(m: str, o: Any, n: int, shift: int) -> Any:
    """SRI/SLI: the per-element result given (Vd element, Vn element)."""
    ones = (1 << n) - 1
    if m == "SRI":
        keep = ones ^ (ones >> shift if shift < n else 0)
        return lambda dd, a: o.bvor(o.bvand(dd, keep, n), o.bvlshr(a, shift, n), n)
    keep = ones ^ ((ones << shift) & ones)  # SLI
    return lambda dd, a: o.bvor(o.bvand(dd, keep, n), o.bvshl(a, shift, n), n)


def _shifted(m: str, s: Any, o: Any, d: Decoded, w: int) -> Any:
    """The shifted Vn of SSHR/USHR/SRSHR/URSHR/SHL and the accumulating forms, all lanes at
    once (`lane_ops`)."""
    v, x, n, k = lane_ops(o), vget(s, o, d.Rn, w), d.esize, d.shift
    if m in ("SSHR", "SSRA"):
        return v.vashr(x, k, n, w)
    if m in ("USHR", "USRA"):
        return v.vlshr(x, k, n, w)
    if m == "SHL":
        return v.vshl(x, k, n, w)
    return v.vrshr(x, k, n, w, m[0] == "S")  # SRSHR/URSHR/SRSRA/URSRA


def _same(m: str) -> Any:
    if m in ("SRI", "SLI"):
        def insert(s: Any, o: Any, d: Decoded) -> None:
            w, n = d.datasize, d.esize
            f = _insert(m, o, n, d.shift)
            ds, ns = (lanes(o, vget(s, o, d.Rd, w), n, w // n),
                      lanes(o, vget(s, o, d.Rn, w), n, w // n))
            vset(s, o, d.Rd, join(o, [f(x, y) for x, y in zip(ds, ns)], n), w)
        return insert

    def execute(s: Any, o: Any, d: Decoded) -> None:
        w = d.datasize
        r = _shifted(m, s, o, d, w)
        if m.endswith("RA"):
            r = lane_ops(o).vadd(vget(s, o, d.Rd, w), r, d.esize, w)
        vset(s, o, d.Rd, r, w)
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


def _narrow_shift(m: str, scalar: bool) -> Any:
    """RSHRN and the saturating narrowing shifts: SQ(R)SHRN, UQ(R)SHRN, SQ(R)SHRUN."""
    rounding = m == "RSHRN" or m[2] == "R"
    src_signed = m[0] == "S"
    dst_signed = None if m == "RSHRN" else (m[0] == "S" and not m.endswith("UN"))

    def execute(s: Any, o: Any, d: Decoded) -> None:
        n = d.esize
        count = 1 if scalar else 64 // n
        results = [sa.narrow_shift(o, e, n, d.shift, rounding, src_signed, dst_signed)
                   for e in lanes(o, vget(s, o, d.Rn, 2 * n * count), 2 * n, count)]
        narrow = join(o, [r[0] for r in results], n)
        if not scalar and d.Q:
            s.v[d.Rd] = o.concat(narrow, o.extract(63, 0, s.v[d.Rd]), 64)
        else:
            vset(s, o, d.Rd, narrow, n * count)
        sa.note_saturation(s, o, [r[1] for r in results if r[1] is not None])
    return execute


def _sat_left(m: str) -> Any:
    """SQSHL/UQSHL/SQSHLU (immediate): shift left, saturate (SQSHLU: signed in, unsigned
    out)."""
    src_signed, dst_signed = m[0] == "S", m == "SQSHL"

    def execute(s: Any, o: Any, d: Decoded) -> None:
        w, n = d.datasize, d.esize
        results = [sa.sat_shift_left_imm(o, e, n, d.shift, src_signed, dst_signed)
                   for e in lanes(o, vget(s, o, d.Rn, w), n, w // n)]
        vset(s, o, d.Rd, join(o, [r[0] for r in results], n), w)
        sa.note_saturation(s, o, [r[1] for r in results])
    return execute


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
_PREPARE = sa.edge_lanes(("Rn", "Rd"))
for m, u, op, kind in TABLE:
    right = m in RIGHT
    if kind == "sat":
        ROWS.append(Encoding(m, VECTOR.format(q="", u=u, op=op),
                             [Vec("Rd", ImmhArr()), Vec("Rn", ImmhArr()), ShiftImm(right)],
                             _sat_left(m), _decoder(kind, right), name=f"{m}_imm_vector",
                             conform=_PREPARE))
        ROWS.append(Encoding(m, SCALAR.format(u=u, op=op),
                             [Sca("Rd", ImmhArr(scalar=True)), Sca("Rn", ImmhArr(scalar=True)),
                              ShiftImm(right)],
                             _sat_left(m), _decoder(kind, right, scalar=True),
                             name=f"{m}_imm_scalar", conform=_PREPARE))
        continue
    if kind == "satnarrow":
        ROWS.append(Encoding(m, SCALAR.format(u=u, op=op),
                             [Sca("Rd", ImmhArr(scalar=True)),
                              Sca("Rn", ImmhArr(scale=2, scalar=True)), ShiftImm(right)],
                             _narrow_shift(m, True), _decoder(kind, right, scalar=True),
                             name=f"{m}_scalar", conform=_PREPARE))
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
            ex = shrn if m == "SHRN" else _narrow_shift(m, False)
        ROWS.append(Encoding(name, VECTOR.format(q=f"={q}", u=u, op=op), ops, ex,
                             _decoder(kind, right), aliases,
                             conform=None if m == "SHRN" else _PREPARE))

CLASS = InstructionClass("simd_shift_imm", "AdvSIMD shift by immediate", ROWS)
