"""AdvSIMD across lanes and scalar pairwise: ADDV, SMAXV/UMAXV, SMINV/UMINV, SADDLV/UADDLV
(Arm ARM C4.1.96.x, `0 Q U 01110 size 11000 opcode 10 Rn Rd`; size = 11, and size = 10 with
Q = 0, are reserved) and ADDP (scalar, `01 U 11110 size 11000 opcode 10 Rn Rd` with
size = 11: the sum of the two 64-bit elements). The result is a scalar: the rest of Vd is
cleared."""

from __future__ import annotations

from typing import Any

from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .simd_common import datasize, lanes, vget, vset
from .simd_operands import Arr, Fixed, Sca, Vec, size_q

#          mnemonic  U  opcode
TABLE = [
    ("ADDV",   0, "11011"),
    ("SMAXV",  0, "01010"), ("UMAXV",  1, "01010"),
    ("SMINV",  0, "11010"), ("UMINV",  1, "11010"),
    ("SADDLV", 0, "00011"), ("UADDLV", 1, "00011"),
]
ACROSS = "0 Q U={u} 01110 size 11000 opcode={op} 10 Rn Rd"
ADDP_SCALAR = "01 U=0 11110 size=11 11000 opcode=11011 10 Rn Rd"


def decode_across(d: Decoded) -> None:
    if d.size == 3 or (d.size == 2 and not d.Q):
        raise Unallocated
    d.esize, d.datasize = 8 << d.size, datasize(d)


def decode_addp(d: Decoded) -> None:
    d.esize, d.datasize = 64, 128


def _reduce(m: str) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        """Reduce over the elements of Vn (a left fold: the order does not change the result)."""
        n = d.esize
        el = lanes(o, vget(s, o, d.Rn, d.datasize), n, d.datasize // n)
        if m.endswith("LV"):  # widening sum
            ext = o.sign_extend if m[0] == "S" else o.zero_extend
            el, n = [ext(e, n, 2 * n) for e in el], 2 * n
        total = el[0]
        for e in el[1:]:
            if m in ("ADDV", "ADDP", "SADDLV", "UADDLV"):
                total = o.bvadd(total, e, n)
            elif m == "SMAXV":
                total = o.ite(o.bvsle(e, total, n), total, e)
            elif m == "UMAXV":
                total = o.ite(o.bvule(e, total), total, e)
            elif m == "SMINV":
                total = o.ite(o.bvsle(total, e, n), total, e)
            else:  # UMINV
                total = o.ite(o.bvule(total, e), total, e)
        vset(s, o, d.Rd, total, n)
    return execute


_SCALAR = Arr(("size",), {(0,): "b", (1,): "h", (2,): "s"})
_LONG_SCALAR = Arr(("size",), {(0,): "h", (1,): "s", (2,): "d"})
_SOURCE = size_q(("8b", "16b", "4h", "8h", "4s"))


def _rows() -> list[Encoding]:
    rows = [Encoding(m, ACROSS.format(u=u, op=op),
                     [Sca("Rd", _LONG_SCALAR if m.endswith("LV") else _SCALAR),
                      Vec("Rn", _SOURCE)], _reduce(m), decode_across)
            for m, u, op in TABLE]
    rows.append(Encoding("ADDP", ADDP_SCALAR, [Sca("Rd", Fixed("d")), Vec("Rn", "2d")],
                         _reduce("ADDP"), decode_addp, name="ADDP_scalar"))
    return rows


CLASS = InstructionClass("simd_across", "AdvSIMD across lanes and scalar pairwise (ADDV, "
                         "MAXV, MINV, ADDLV, ADDP)", _rows())
