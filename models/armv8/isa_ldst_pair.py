"""Load/store register pair: LDP/STP (signed offset, pre- and post-index), LDNP/STNP
(non-temporal, offset only) and LDPSW, for W/X and S/D/Q registers. Arm ARM C4.1.94
(load/store register pair; `mode` is bits 24:23: 00 no-allocate, 01 post, 10 offset, 11 pre).
Loads into the same register twice, and writeback into a transferred GPR, are CONSTRAINED
UNPREDICTABLE: those encodings are rejected (the run stops as illegal).
"""

from __future__ import annotations

from typing import Any

from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .operands import Imm
from .operands_mem import MemImm, PostImm, TReg, conform_base, window_address
from .pseudocode import rx, wx

PATTERN = "opc 101 V 0 mode:2 L imm7 Rt2 Rn Rt"
MODES = {"nontemporal": 0, "post": 1, "offset": 2, "pre": 3}

#   mnemonic  opc V  L  register kind (w x: GPR; sw: LDPSW; s d q: SIMD&FP)
ROWS = [
    ("STP",   0, 0, 0, "w"), ("LDP",   0, 0, 1, "w"), ("LDPSW", 1, 0, 1, "sw"),
    ("STP",   2, 0, 0, "x"), ("LDP",   2, 0, 1, "x"),
    ("STP",   0, 1, 0, "s"), ("LDP",   0, 1, 1, "s"),
    ("STP",   1, 1, 0, "d"), ("LDP",   1, 1, 1, "d"),
    ("STP",   2, 1, 0, "q"), ("LDP",   2, 1, 1, "q"),
]
NBYTES = {"w": 4, "sw": 4, "x": 8, "s": 4, "d": 8, "q": 16}
MASK64 = (1 << 64) - 1


def make_decode(kind: str, mode: str, load: bool) -> Any:
    nbytes = NBYTES[kind]
    simd = kind in ("s", "d", "q")

    def decode(d: Decoded) -> None:
        d.nbytes, d.simd, d.load, d.form = nbytes, simd, load, mode
        d.signed = kind == "sw"
        d.imm = (d.imm7 - 128 if d.imm7 >> 6 else d.imm7) * nbytes
        d.offset = d.imm & MASK64
        if load and d.Rt == d.Rt2:
            raise Unallocated
        if mode in ("pre", "post") and not simd and d.Rn != 31 and d.Rn in (d.Rt, d.Rt2):
            raise Unallocated
    return decode


def transfer(s: Any, o: Any, d: Decoded, address: Any) -> None:
    nb, bits = d.nbytes, 8 * d.nbytes
    second = o.bvadd(address, nb, 64)
    if d.load:
        a, b = s.mem_read(address, nb), s.mem_read(second, nb)
        if d.simd:
            s.v[d.Rt] = a if bits == 128 else o.zero_extend(a, bits, 128)
            s.v[d.Rt2] = b if bits == 128 else o.zero_extend(b, bits, 128)
        elif d.signed:
            wx(s, o, d.Rt, o.sign_extend(a, 32, 64), 64)
            wx(s, o, d.Rt2, o.sign_extend(b, 32, 64), 64)
        else:
            wx(s, o, d.Rt, a if bits == 64 else o.zero_extend(a, bits, 64), 64)
            wx(s, o, d.Rt2, b if bits == 64 else o.zero_extend(b, bits, 64), 64)
        return
    if d.simd:
        a, b = s.v[d.Rt], s.v[d.Rt2]
        if bits < 128:
            a, b = o.extract(bits - 1, 0, a), o.extract(bits - 1, 0, b)
    else:
        a, b = rx(s, o, d.Rt, 64), rx(s, o, d.Rt2, 64)
        if bits < 64:
            a, b = o.extract(bits - 1, 0, a), o.extract(bits - 1, 0, b)
    s.mem_write(address, nb, a)
    s.mem_write(second, nb, b)


def _offset(s: Any, o: Any, d: Decoded) -> None:
    transfer(s, o, d, o.bvadd(s.x[d.Rn], d.offset, 64))


def _pre(s: Any, o: Any, d: Decoded) -> None:
    address = o.bvadd(s.x[d.Rn], d.offset, 64)
    transfer(s, o, d, address)
    s.x[d.Rn] = address


def _post(s: Any, o: Any, d: Decoded) -> None:
    address = s.x[d.Rn]
    transfer(s, o, d, address)
    s.x[d.Rn] = o.bvadd(address, d.offset, 64)


EXECUTE = {"nontemporal": _offset, "offset": _offset, "pre": _pre, "post": _post}


def prepare(d: Decoded, case: Any, rng: Any) -> None:
    target = window_address(rng, 2 * d.nbytes + 16)
    base = target if d.form == "post" else (target - d.imm) & MASK64
    conform_base(case, d.Rn, base)


def _operand(fld: str, kind: str) -> TReg:
    simd = kind in ("s", "d", "q")
    width = 8 * NBYTES[kind] if simd else (32 if kind == "w" else 64)
    return TReg(fld, width, simd, 0)


def _rows() -> list[Encoding]:
    rows = []
    for form, mode in MODES.items():
        for mnemonic, opc, v, load, kind in ROWS:
            if form == "nontemporal":
                if kind == "sw":
                    continue  # no LDNPSW: unallocated
                mnemonic = mnemonic[:2] + "NP"
            imm = Imm([("imm7", 7)], scale=NBYTES[kind], signed=True)
            operands = [_operand("Rt", kind), _operand("Rt2", kind),
                        MemImm("pre" if form == "pre" else "post" if form == "post"
                               else "offset", imm)]
            if form == "post":
                operands.append(PostImm(imm))
            pattern = PATTERN.replace("opc", f"opc={opc:02b}", 1).replace(
                " V ", f" V={v} ", 1).replace("mode:2", f"mode={mode:02b}").replace(
                " L ", f" L={load} ", 1)
            rows.append(Encoding(mnemonic, pattern, operands, EXECUTE[form],
                                 make_decode(kind, form, bool(load)),
                                 name=f"{mnemonic}_{kind}_{form}", conform=prepare))
    return rows


CLASS = InstructionClass("ldst_pair", "Load/store register pair", _rows())
