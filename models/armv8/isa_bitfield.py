"""Bitfield and extract: SBFM, BFM, UBFM (with the ASR/LSL/LSR, SBFX/UBFX, SBFIZ/UBFIZ, BFI/BFXIL,
SXTB/SXTH/SXTW, UXTB/UXTH aliases) and EXTR (ROR alias).
Arm ARM C4.1.92.6-7 (`sf opc 100110 N immr imms Rn Rd`, `sf op21 100111 N o0 Rm imms Rn Rd`)."""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import AsmContext, Custom, Imm, Reg, fmt_imm, parse_int, setf
from .pseudocode import decode_bit_masks, rx, wx

TABLE = [
    ("SBFM", "sf opc=00 100110 N immr imms Rn Rd"),
    ("BFM",  "sf opc=01 100110 N immr imms Rn Rd"),
    ("UBFM", "sf opc=10 100110 N immr imms Rn Rd"),
    ("EXTR", "sf op21=00 100111 N o0=0 Rm imms Rn Rd"),
]


def decode_bfm(d: Decoded) -> None:
    n = d.datasize = 64 if d.sf else 32
    if d.N != d.sf or (not d.sf and (d.immr >> 5 or d.imms >> 5)):
        raise Unallocated
    d.wmask, d.tmask = decode_bit_masks(d.N, d.imms, d.immr, False, n)


def execute_bfm(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    src = rx(s, o, d.Rn, n)
    bot = o.rotate_right(src, d.immr, n)
    if d.opc == 1:  # BFM keeps the destination's other bits
        dst = rx(s, o, d.Rd, n)
        bot = o.bvor(o.bvand(dst, o.const(~d.wmask, n), n), o.bvand(bot, o.const(d.wmask, n), n),
                     n)
        r = o.bvor(o.bvand(dst, o.const(~d.tmask, n), n), o.bvand(bot, o.const(d.tmask, n), n),
                   n)
    else:
        if d.opc == 0:  # SBFM: the top part is copies of bit imms of the source
            sign = o.extract(d.imms, d.imms, src)
            top = o.bvneg(o.zero_extend(sign, 1, n), n)
        else:
            top = o.const(0, n)
        low = o.bvand(bot, o.const(d.wmask & d.tmask, n), n)
        r = o.bvor(o.bvand(top, o.const(~d.tmask, n), n), low, n)
    wx(s, o, d.Rd, r, n)


def decode_extr(d: Decoded) -> None:
    d.datasize = 64 if d.sf else 32
    if d.N != d.sf or (not d.sf and d.imms >> 5):
        raise Unallocated


def execute_extr(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    hi, lo = rx(s, o, d.Rn, n), rx(s, o, d.Rm, n)
    cat = o.concat(hi, lo, n)
    wx(s, o, d.Rd, o.extract(d.imms + n - 1, d.imms, cat), n)


# -- operand forms of the aliases (lsb/width/shift computed from immr, imms) ----------------
def _size(f: dict[str, int]) -> int | None:
    sf = f.get("sf")
    return None if sf is None else (64 if sf else 32)


def _set_nf(f: dict[str, int]) -> bool:
    return setf(f, "N", f["sf"])


def _imm_op(show: Any, store: Any) -> Custom:
    def read(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        v, n = parse_int(tok), _size(f)
        return v is not None and n is not None and _set_nf(f) and store(v, n, f)
    return Custom(lambda d, pc: fmt_imm(show(d)), read)


def _store_lsb_ins(v: int, n: int, f: dict[str, int]) -> bool:  # immr = -lsb mod n
    return 0 <= v < n and setf(f, "immr", -v % n)


def _store_width_ins(v: int, n: int, f: dict[str, int]) -> bool:  # imms = width - 1
    return 1 <= v <= n and setf(f, "imms", v - 1)


def _store_lsb_x(v: int, n: int, f: dict[str, int]) -> bool:  # immr = lsb
    return 0 <= v < n and setf(f, "immr", v)


def _store_width_x(v: int, n: int, f: dict[str, int]) -> bool:  # imms = lsb + width - 1
    return "immr" in f and 1 <= v <= n - f["immr"] and setf(f, "imms", f["immr"] + v - 1)


LSB_INS = _imm_op(lambda d: -d.immr % d.datasize, _store_lsb_ins)
WIDTH_INS = _imm_op(lambda d: d.imms + 1, _store_width_ins)
LSB_X = _imm_op(lambda d: d.immr, _store_lsb_x)
WIDTH_X = _imm_op(lambda d: d.imms - d.immr + 1, _store_width_x)
SHIFT_R = _imm_op(lambda d: d.immr,
                  lambda v, n, f: 0 <= v < n and setf(f, "immr", v) and setf(f, "imms", n - 1))
SHIFT_L = _imm_op(lambda d: d.datasize - 1 - d.imms,
                  lambda v, n, f: 0 <= v < n and setf(f, "immr", -v % n)
                  and setf(f, "imms", n - 1 - v))

RD, RN = Reg("Rd"), Reg("Rn")
WN = Reg("Rn", size=32)


def _ext(imms: int, sf: int | None) -> dict[str, int]:
    fixed = {"immr": 0, "imms": imms, "N": 0 if sf == 0 else 1}
    if sf is not None:
        fixed["sf"] = sf
    return fixed


def _top(d: Decoded) -> int:
    return d.datasize - 1


# The insert forms with lsb = 0 (`bfi x0, x1, #0, #8`, `lsl x0, x1, #0`) are the words
# disassemblers print as BFXIL/UBFX/SBFX/LSR: assemblers take them, so the asm_only rows.
SBFM_ALIASES = [
    Alias("asr", [RD, RN, SHIFT_R], lambda d: d.imms == _top(d)),
    Alias("sbfiz", [RD, RN, LSB_INS, WIDTH_INS], lambda d: d.imms < d.immr),
    Alias("sxtb", [RD, WN], lambda d: d.immr == 0 and d.imms == 7),
    Alias("sxth", [RD, WN], lambda d: d.immr == 0 and d.imms == 15),
    Alias("sxtw", [Reg("Rd", size=64), WN], lambda d: d.sf == 1 and d.immr == 0 and d.imms == 31,
          _ext(31, 1)),
    Alias("sbfx", [RD, RN, LSB_X, WIDTH_X], lambda d: True),
    Alias("sbfiz", [RD, RN, LSB_INS, WIDTH_INS], lambda d: d.immr == 0, asm_only=True),
]
UBFM_ALIASES = [
    Alias("lsl", [RD, RN, SHIFT_L], lambda d: d.imms != _top(d) and d.imms + 1 == d.immr),
    Alias("lsr", [RD, RN, SHIFT_R], lambda d: d.imms == _top(d)),
    Alias("ubfiz", [RD, RN, LSB_INS, WIDTH_INS], lambda d: d.imms < d.immr),
    Alias("uxtb", [Reg("Rd", size=32), WN], lambda d: d.sf == 0 and d.immr == 0 and d.imms == 7,
          _ext(7, 0)),
    Alias("uxth", [Reg("Rd", size=32), WN],
          lambda d: d.sf == 0 and d.immr == 0 and d.imms == 15, _ext(15, 0)),
    Alias("ubfx", [RD, RN, LSB_X, WIDTH_X], lambda d: True),
    Alias("ubfiz", [RD, RN, LSB_INS, WIDTH_INS], lambda d: d.immr == 0, asm_only=True),
    Alias("lsl", [RD, RN, SHIFT_L], lambda d: d.immr == 0 and d.imms == _top(d), asm_only=True),
    # clang's spellings with an X destination: `uxtw x0, w1` is UBFX x0, x1, #0, #32 and
    # `uxtb/uxth x0, w1` the 32-bit forms (a W write zero-extends: the same result)
    Alias("uxtw", [Reg("Rd", size=64), WN],
          lambda d: d.sf == 1 and d.immr == 0 and d.imms == 31, _ext(31, 1), asm_only=True),
    Alias("uxtb", [Reg("Rd", size=64), WN],
          lambda d: d.sf == 0 and d.immr == 0 and d.imms == 7, _ext(7, 0), asm_only=True),
    Alias("uxth", [Reg("Rd", size=64), WN],
          lambda d: d.sf == 0 and d.immr == 0 and d.imms == 15, _ext(15, 0), asm_only=True),
]
BFM_ALIASES = [
    Alias("bfc", [RD, LSB_INS, WIDTH_INS], lambda d: d.Rn == 31 and d.imms < d.immr,
          {"Rn": 31}),
    Alias("bfi", [RD, RN, LSB_INS, WIDTH_INS], lambda d: d.imms < d.immr),
    Alias("bfxil", [RD, RN, LSB_X, WIDTH_X], lambda d: True),
    Alias("bfc", [RD, LSB_INS, WIDTH_INS], lambda d: d.Rn == 31 and d.immr == 0, {"Rn": 31},
          asm_only=True),
    Alias("bfi", [RD, RN, LSB_INS, WIDTH_INS], lambda d: d.immr == 0, asm_only=True),
]


def _sxt_fixed(a: Alias) -> Alias:
    if a.mnemonic in ("sxtb", "sxth"):
        a.fixed = {"immr": 0, "imms": 7 if a.mnemonic == "sxtb" else 15}
        a.operands = [RD, WN]
    return a


for _a in SBFM_ALIASES:
    _sxt_fixed(_a)


def _nf_reg(fld: str) -> Custom:
    """A register operand that also sets N = sf (bitfield rows need N == sf)."""
    reg = Reg(fld)

    def read(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        return reg.parse(tok, f, ctx) and _set_nf(f)
    return Custom(lambda d, pc: reg.fmt(d, pc), read)


_RD_NF = _nf_reg("Rd")


def _complete(f: dict[str, int]) -> None:
    if "sf" in f:
        f.setdefault("N", f["sf"])
ROWS = []
for _m, _pattern in TABLE[:3]:
    _aliases = {"SBFM": SBFM_ALIASES, "BFM": BFM_ALIASES, "UBFM": UBFM_ALIASES}[_m]
    ROWS.append(Encoding(_m, _pattern, [_RD_NF, RN, Imm("immr"), Imm("imms")], execute_bfm,
                         decode_bfm, _aliases, complete=_complete))

_ROR = Alias("ror", [_RD_NF, RN, Custom(lambda d, pc: fmt_imm(d.imms), lambda t, f, c: (
    (v := parse_int(t)) is not None and v >= 0 and setf(f, "imms", v)
    and setf(f, "Rm", f.get("Rn", -1))))], lambda d: d.Rn == d.Rm)
ROWS.append(Encoding("EXTR", TABLE[3][1], [_RD_NF, RN, Reg("Rm"), Imm("imms")], execute_extr,
                     decode_extr, [_ROR], complete=_complete))

CLASS = InstructionClass("bitfield", "Bitfield and extract", ROWS)
