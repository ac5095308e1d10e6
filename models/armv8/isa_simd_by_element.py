"""AdvSIMD vector x indexed element (integer): MUL, MLA, MLS, SQDMULH, SQRDMULH, FEAT_RDM's
SQRDMLAH/SQRDMLSH, the widening SMULL/UMULL/SMLAL/UMLAL/SMLSL/UMLSL(2) and
SQDMULL/SQDMLAL/SQDMLSL(2), and the scalar SQDMULH/SQRDMULH/SQDMULL/SQDMLAL/SQDMLSL/SQRDMLAH/
SQRDMLSH by element, and FEAT_DotProd's SDOT/UDOT by element (`v2.4b[i]`). Arm ARM C4.1.96.x, vector
`0 Q U 01111 size L M Rm opcode H 0 Rn Rd`, scalar `01 U 11111 size L M Rm opcode H 0 Rn Rd`.

Every element of Vn is combined with one element of Vm: for 16-bit elements (size = 01) the
index is H:L:M and the register Rm<3:0> (V0-V15 only), for 32-bit elements (size = 10) the
index is H:L and the register M:Rm. Sizes 00 and 11 are unallocated for these rows (the
floating-point rows of the same encoding space are not modelled).

FPSR.QC (saturation of the SQ* rows): see simd_arith.note_saturation.
"""

from __future__ import annotations

import re
from typing import Any

from . import simd_arith as sa
from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .operands import AsmContext, Operand, setf
from .simd_common import join, lane_ops, lanes, vget, vset
from .simd_operands import Arr, Sca, Vec

#          mnemonic   U  opcode  kind: S (same size), L (widening), Q (widening saturating)
TABLE = [
    ("MUL",      0, "1000", "S"), ("MLA",      1, "0000", "S"), ("MLS",     1, "0100", "S"),
    ("SQDMULH",  0, "1100", "S"), ("SQRDMULH", 0, "1101", "S"),
    ("SQRDMLAH", 1, "1101", "S"), ("SQRDMLSH", 1, "1111", "S"),  # FEAT_RDM
    ("SMULL",    0, "1010", "L"), ("UMULL",    1, "1010", "L"),
    ("SMLAL",    0, "0010", "L"), ("UMLAL",    1, "0010", "L"),
    ("SMLSL",    0, "0110", "L"), ("UMLSL",    1, "0110", "L"),
    ("SQDMULL",  0, "1011", "Q"), ("SQDMLAL",  0, "0011", "Q"), ("SQDMLSL", 0, "0111", "Q"),
]
SCALAR_ROWS = ("SQDMULH", "SQRDMULH", "SQDMULL", "SQDMLAL", "SQDMLSL", "SQRDMLAH",
               "SQRDMLSH")
VECTOR = "0 Q{q} U={u} 01111 size L M Rm:4 opcode={op} H 0 Rn Rd"
SCALAR = "01 U={u} 11111 size L M Rm:4 opcode={op} H 0 Rn Rd"


def _decoder(scalar: bool, kind: str) -> Any:
    def decode(d: Decoded) -> None:
        if d.size not in (1, 2):
            raise Unallocated
        d.esize = 8 << d.size
        if d.size == 1:
            d.m_reg, d.index = d.Rm, (d.H << 2) | (d.L << 1) | d.M
        else:
            d.m_reg, d.index = (d.M << 4) | d.Rm, (d.H << 1) | d.L
        if scalar:
            d.datasize = d.esize
        elif kind == "S":
            d.datasize = 128 if d.Q else 64
        else:
            d.datasize = 64  # the narrow source half; Vd is 128 bits
    return decode


_ELEM = re.compile(r"v(\d+)\.([hs])\[(0x[0-9a-f]+|\d+)\]")


class IndexedElement(Operand):
    """`v<m>.<h|s>[i]`: the element operand packed into size, H, L, M and Rm<3:0>."""

    def fmt(self, d: Decoded, pc: int) -> str:
        return f"v{d.m_reg}.{'h' if d.size == 1 else 's'}[{d.index}]"

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = _ELEM.fullmatch(tok.strip().lower())
        if not m:
            return False
        reg, letter, index = int(m.group(1)), m.group(2), int(m.group(3), 0)
        if letter == "h":
            if reg > 15 or index > 7:
                return False
            fields = {"size": 1, "Rm": reg, "H": index >> 2, "L": (index >> 1) & 1,
                      "M": index & 1}
        else:
            if reg > 31 or index > 3:
                return False
            fields = {"size": 2, "Rm": reg & 15, "M": reg >> 4, "H": index >> 1,
                      "L": index & 1}
        return all(setf(f, k, v) for k, v in fields.items())


class DotElement(IndexedElement):
    """`v<m>.4b[i]`: a group of four bytes (a 32-bit element) of SDOT/UDOT by element."""

    def fmt(self, d: Decoded, pc: int) -> str:
        return f"v{d.m_reg}.4b[{d.index}]"

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = re.fullmatch(r"v(\d+)\.4b\[(0x[0-9a-f]+|\d+)\]", tok.strip().lower())
        if not m:
            return False
        reg, index = int(m.group(1)), int(m.group(2), 0)
        return reg <= 31 and index <= 3 and super().parse(f"v{reg}.s[{index}]", f, ctx)


def _dot(signed: bool) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        w = d.datasize
        xs = lanes(o, vget(s, o, d.Rn, w), 8, w // 8)
        ys = lanes(o, o.extract(32 * d.index + 31, 32 * d.index, s.v[d.m_reg]), 8, 4)
        acc = lanes(o, vget(s, o, d.Rd, w), 32, w // 32)
        out = [sa.dot4(o, a, xs[4 * e:4 * e + 4], ys, signed) for e, a in enumerate(acc)]
        vset(s, o, d.Rd, join(o, out, 32), w)
    return execute


def _product(m: str, o: Any, n: int) -> Any:
    """g(x, y, acc) -> (result element, saturated) for the rows computed element by element:
    FEAT_RDM's SQRDMLAH/SQRDMLSH and the saturating widening SQDMULL/SQDMLAL/SQDMLSL."""
    if m in ("SQRDMLAH", "SQRDMLSH"):
        sub = m == "SQRDMLSH"
        return lambda x, y, a: sa.rounding_mul_accumulate(o, a, x, y, n, sub)
    w = 2 * n

    def sat(x: Any, y: Any, a: Any) -> tuple[Any, Any]:
        p, s1 = sa.doubling_mul_long(o, x, y, n)
        if m == "SQDMULL":
            return p, s1
        r, s2 = sa.sat_add_sub(o, a, p, w, True, m == "SQDMLSL")
        return r, o.or_(s1, s2)
    return sat


def _whole(m: str, scalar: bool) -> Any:
    """MUL/MLA/MLS/SQDMULH/SQRDMULH: the element broadcast to every lane (`o.replicate`),
    then one lane-wise operation over the whole vector (`lane_ops`)."""
    def execute(s: Any, o: Any, d: Decoded) -> None:
        n = d.esize
        w = n if scalar else d.datasize
        y = o.replicate(o.extract((d.index + 1) * n - 1, d.index * n, s.v[d.m_reg]), n, w // n)
        x, v = vget(s, o, d.Rn, w), lane_ops(o)
        if m == "MUL":
            r = v.vmul(x, y, n, w)
        elif m == "MLA":
            r = v.vmla(vget(s, o, d.Rd, w), x, y, n, w)
        elif m == "MLS":
            r = v.vmls(vget(s, o, d.Rd, w), x, y, n, w)
        else:
            r, saturated = v.vsqdmulh(x, y, n, w, m == "SQRDMULH")
            sa.note_saturation(s, o, [saturated])
        vset(s, o, d.Rd, r, w)
    return execute


WHOLE = ("MUL", "MLA", "MLS", "SQDMULH", "SQRDMULH")
WIDENING = ("SMULL", "UMULL", "SMLAL", "UMLAL", "SMLSL", "UMLSL")


def _widening(m: str) -> Any:
    """S/U MULL/MLAL/MLSL(2): the element broadcast over 64 bits, then `vmull`/`vmlal` with
    the lower (Q = 0) or upper half of Vn."""
    signed = m[0] == "S"

    def execute(s: Any, o: Any, d: Decoded) -> None:
        n, q = d.esize, 64 * d.Q
        y = o.replicate(o.extract((d.index + 1) * n - 1, d.index * n, s.v[d.m_reg]), n, 64 // n)
        x, v = o.extract(q + 63, q, s.v[d.Rn]), lane_ops(o)
        s.v[d.Rd] = v.vmull(x, y, n, signed) if m.endswith("MULL") else \
            v.vmlal(s.v[d.Rd], x, y, n, signed, m[3] == "S")
    return execute


def _execute(m: str, kind: str, scalar: bool) -> Any:
    if m in WHOLE:
        return _whole(m, scalar)
    if m in WIDENING:
        return _widening(m)

    def execute(s: Any, o: Any, d: Decoded) -> None:
        n = d.esize
        wide = kind != "S"
        out_n = 2 * n if wide else n
        if scalar:
            count = 1
            src = vget(s, o, d.Rn, n)
        elif wide:
            count = 64 // n
            src = o.extract(64 * d.Q + 63, 64 * d.Q, s.v[d.Rn])
        else:
            count = d.datasize // n
            src = vget(s, o, d.Rn, d.datasize)
        y = o.extract((d.index + 1) * n - 1, d.index * n, s.v[d.m_reg])
        acc = lanes(o, vget(s, o, d.Rd, out_n * count), out_n, count)
        g = _product(m, o, n)
        results = [g(x, y, a) for x, a in zip(lanes(o, src, n, count), acc)]
        vset(s, o, d.Rd, join(o, [r[0] for r in results], out_n), out_n * count)
        sa.note_saturation(s, o, [r[1] for r in results])
    return execute


_SAME = Arr(("size", "Q"), {(1, 0): "4h", (1, 1): "8h", (2, 0): "2s", (2, 1): "4s"})
_WIDE = Arr(("size",), {(1,): "4s", (2,): "2d"})


def _narrow(q: int) -> Arr:
    return Arr(("size",), {(1,): "8h" if q else "4h", (2,): "4s" if q else "2s"})


def _rows() -> list[Encoding]:
    rows = []
    prepare = sa.edge_lanes(("Rn", "m_reg", "Rd"))
    for m, u, op, kind in TABLE:
        if kind == "S":
            rows.append(Encoding(m, VECTOR.format(q="", u=u, op=op),
                                 [Vec("Rd", _SAME), Vec("Rn", _SAME), IndexedElement()],
                                 _execute(m, kind, False), _decoder(False, kind),
                                 name=f"{m}_element", conform=prepare))
        else:
            for q in (0, 1):
                name = m + ("2" if q else "")
                rows.append(Encoding(name, VECTOR.format(q=f"={q}", u=u, op=op),
                                     [Vec("Rd", _WIDE), Vec("Rn", _narrow(q)), IndexedElement()],
                                     _execute(m, kind, False), _decoder(False, kind),
                                     name=f"{name}_element", conform=prepare))
        if m in SCALAR_ROWS:
            dst = Arr(("size",), {(1,): "s", (2,): "d"} if kind != "S" else
                      {(1,): "h", (2,): "s"})
            src = Arr(("size",), {(1,): "h", (2,): "s"})
            rows.append(Encoding(m, SCALAR.format(u=u, op=op),
                                 [Sca("Rd", dst), Sca("Rn", src), IndexedElement()],
                                 _execute(m, kind, True), _decoder(True, kind),
                                 name=f"{m}_element_scalar", conform=prepare))
    for m, u in (("SDOT", 0), ("UDOT", 1)):  # FEAT_DotProd
        rows.append(Encoding(m, VECTOR.format(q="", u=u, op="1110").replace("size", "size=10"),
                             [Vec("Rd", Arr(("Q",), {(0,): "2s", (1,): "4s"})),
                              Vec("Rn", Arr(("Q",), {(0,): "8b", (1,): "16b"})), DotElement()],
                             _dot(u == 0), _decoder(False, "S"), name=f"{m}_element"))
    return rows


CLASS = InstructionClass("simd_by_element", "AdvSIMD vector x indexed element (integer)",
                         _rows())
