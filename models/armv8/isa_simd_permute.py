"""AdvSIMD permutes: EXT (Arm ARM C4.1.96.x, `0 Q 101110 op2 0 Rm 0 imm4 0 Rn Rd`), ZIP1/ZIP2,
UZP1/UZP2, TRN1/TRN2 (`0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd`) and the table lookups TBL/TBX
(`0 Q 001110 op2 0 Rm 0 len op 00 Rn Rd`, a table of 1-4 consecutive registers, modulo 32)."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .operands import Imm
from .simd_common import datasize, join, lane_ops, lanes, vget, vset
from .simd_operands import Arr, Vec, VecList, size_q

#          mnemonic  encoding (bit 31 .. bit 0)
TABLE = [
    ("EXT",  "0 Q 101110 op2=00 0 Rm 0 imm4 0 Rn Rd"),
    ("UZP1", "0 Q 001110 size 0 Rm 0 opcode=001 10 Rn Rd"),
    ("TRN1", "0 Q 001110 size 0 Rm 0 opcode=010 10 Rn Rd"),
    ("ZIP1", "0 Q 001110 size 0 Rm 0 opcode=011 10 Rn Rd"),
    ("UZP2", "0 Q 001110 size 0 Rm 0 opcode=101 10 Rn Rd"),
    ("TRN2", "0 Q 001110 size 0 Rm 0 opcode=110 10 Rn Rd"),
    ("ZIP2", "0 Q 001110 size 0 Rm 0 opcode=111 10 Rn Rd"),
    ("TBL",  "0 Q 001110 op2=00 0 Rm 0 len op=0 00 Rn Rd"),
    ("TBX",  "0 Q 001110 op2=00 0 Rm 0 len op=1 00 Rn Rd"),
]


def decode_ext(d: Decoded) -> None:
    if not d.Q and d.imm4 >= 8:
        raise Unallocated
    d.datasize = datasize(d)


def decode_permute(d: Decoded) -> None:
    """`d.order`: for each result element, its index in Vn's elements followed by Vm's."""
    if d.size == 3 and not d.Q:
        raise Unallocated
    d.esize, d.datasize = 8 << d.size, datasize(d)
    count, part, kind = d.datasize // d.esize, d.opcode >> 2, d.opcode & 3
    if kind == 3:  # ZIP: interleave the low (ZIP1) or high (ZIP2) halves
        base = part * count // 2
        order = [j for i in range(count // 2) for j in (base + i, count + base + i)]
    elif kind == 1:  # UZP: the even (UZP1) or odd (UZP2) elements of Vn then Vm
        order = [2 * i + part for i in range(count)]
    else:  # TRN: even (TRN1) or odd (TRN2) elements of Vn and Vm, alternating
        order = [j for i in range(count // 2) for j in (2 * i + part, count + 2 * i + part)]
    d.order = itemgetter(*order)


def decode_table(d: Decoded) -> None:
    d.datasize = datasize(d)


def ext(s: Any, o: Any, d: Decoded) -> None:
    """Bytes imm4 .. imm4 + datasize/8 - 1 of the concatenation Vm:Vn."""
    w = d.datasize
    both = o.concat(vget(s, o, d.Rm, w), vget(s, o, d.Rn, w), w)
    vset(s, o, d.Rd, o.extract(8 * d.imm4 + w - 1, 8 * d.imm4, both), w)


def permute(s: Any, o: Any, d: Decoded) -> None:
    """ZIP1/ZIP2/UZP1/UZP2/TRN1/TRN2: elements of Vn and Vm in the order `decode_permute`
    worked out."""
    w, n = d.datasize, d.esize
    both = lanes(o, o.concat(vget(s, o, d.Rm, w), vget(s, o, d.Rn, w), w), n, 2 * w // n)
    vset(s, o, d.Rd, join(o, list(d.order(both)), n), w)


def _table(extend: bool) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        """Index byte i selects byte i of the table registers Vn, Vn+1, ... (modulo 32) laid
        end to end; an index past the table gives 0 (TBL) or keeps Vd's byte (TBX)."""
        w = d.datasize
        table = [s.v[(d.Rn + r) % 32] for r in range(d.len + 1)]
        fallback = vget(s, o, d.Rd, w) if extend else o.const(0, w)
        vset(s, o, d.Rd, lane_ops(o).vtbl(table, vget(s, o, d.Rm, w), fallback, w), w)
    return execute


_B = Arr(("Q",), {(0,): "8b", (1,): "16b"})
_SAME = [Vec("Rd", size_q()), Vec("Rn", size_q()), Vec("Rm", size_q())]
_TABLE_OPS = [Vec("Rd", _B), VecList("Rn", "len", "16b"), Vec("Rm", _B)]
ROWS: dict[str, tuple[list[Any], Any, Any]] = {
    "EXT": ([Vec("Rd", _B), Vec("Rn", _B), Vec("Rm", _B), Imm("imm4")], ext, decode_ext),
    **{m: (_SAME, permute, decode_permute)
       for m in ("UZP1", "UZP2", "TRN1", "TRN2", "ZIP1", "ZIP2")},
    "TBL": (_TABLE_OPS, _table(False), decode_table),
    "TBX": (_TABLE_OPS, _table(True), decode_table),
}

CLASS = InstructionClass("simd_permute", "AdvSIMD permutes and table lookups (EXT, ZIP, UZP, "
                         "TRN, TBL, TBX)", [
    Encoding(m, pattern, ROWS[m][0], ROWS[m][1], ROWS[m][2]) for m, pattern in TABLE
])
