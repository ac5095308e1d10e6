"""Data-processing (1 source, 2 source, 3 source): RBIT, REV16, REV32, REV, CLZ, CLS; UDIV,
SDIV, LSLV, LSRV, ASRV, RORV (LSL/LSR/ASR/ROR aliases); MADD, MSUB, SMADDL, SMSUBL, UMADDL,
UMSUBL, SMULH, UMULH (MUL, MNEG, SMULL, SMNEGL, UMULL, UMNEGL aliases).
Arm ARM C4.1.94.6-7, 13 (`sf 1 S 11010110 opcode2 opcode Rn Rd`,
`sf 0 S 11010110 Rm opcode Rn Rd`, `sf op54 11011 op31 Rm o0 Ra Rn Rd`)."""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass
from .operands import Reg
from .pseudocode import rx, wx

ONE = [
    ("RBIT",  "sf 1 0 11010110 00000 000000 Rn Rd", "rbit"),
    ("REV16", "sf 1 0 11010110 00000 000001 Rn Rd", "rev16"),
    ("REV32", "1 1 0 11010110 00000 000010 Rn Rd", "rev32"),
    ("REV",   "0 1 0 11010110 00000 000010 Rn Rd", "rev"),
    ("REV",   "1 1 0 11010110 00000 000011 Rn Rd", "rev"),
    ("CLZ",   "sf 1 0 11010110 00000 000100 Rn Rd", "clz"),
    ("CLS",   "sf 1 0 11010110 00000 000101 Rn Rd", "cls"),
]
TWO = [
    ("UDIV", "sf 0 0 11010110 Rm 000010 Rn Rd", None),
    ("SDIV", "sf 0 0 11010110 Rm 000011 Rn Rd", None),
    ("LSLV", "sf 0 0 11010110 Rm 001000 Rn Rd", "lsl"),
    ("LSRV", "sf 0 0 11010110 Rm 001001 Rn Rd", "lsr"),
    ("ASRV", "sf 0 0 11010110 Rm 001010 Rn Rd", "asr"),
    ("RORV", "sf 0 0 11010110 Rm 001011 Rn Rd", "ror"),
]
THREE = [
    ("MADD",   "sf 00 11011 000 Rm o0=0 Ra Rn Rd", "mul"),
    ("MSUB",   "sf 00 11011 000 Rm o0=1 Ra Rn Rd", "mneg"),
    ("SMADDL", "1 00 11011 001 Rm o0=0 Ra Rn Rd", "smull"),
    ("SMSUBL", "1 00 11011 001 Rm o0=1 Ra Rn Rd", "smnegl"),
    ("UMADDL", "1 00 11011 101 Rm o0=0 Ra Rn Rd", "umull"),
    ("UMSUBL", "1 00 11011 101 Rm o0=1 Ra Rn Rd", "umnegl"),
    ("SMULH",  "1 00 11011 010 Rm 0 11111 Rn Rd", None),
    ("UMULH",  "1 00 11011 110 Rm 0 11111 Rn Rd", None),
]


def _size(d: Decoded) -> None:
    d.datasize = 64 if getattr(d, "sf", 1) else 32


def _bytes_reversed(o: Any, x: Any, n: int) -> Any:
    """The bytes of an n-bit value in reverse order."""
    r = o.extract(7, 0, x)
    for i in range(1, n // 8):
        r = o.concat(r, o.extract(8 * i + 7, 8 * i, x), 8)
    return r


def _reverse_in_containers(o: Any, x: Any, n: int, container: int) -> Any:
    parts = [_bytes_reversed(o, o.extract(c + container - 1, c, x), container)
             for c in range(0, n, container)]
    r = parts[-1]
    for p in reversed(parts[:-1]):
        r = o.concat(r, p, container)
    return r


def execute_one(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    x = rx(s, o, d.Rn, n)
    m = d.mn
    if m == "rbit":
        r = o.extract(0, 0, x)
        for i in range(1, n):
            r = o.concat(r, o.extract(i, i, x), 1)
    elif m == "rev16":
        r = _reverse_in_containers(o, x, n, 16)
    elif m == "rev32":
        r = _reverse_in_containers(o, x, n, 32)
    elif m == "rev":
        r = _bytes_reversed(o, x, n)
    elif m == "clz":
        r = o.zero_extend(o.clz(x, n), n, n)
    else:  # cls: leading zeros of x<n-1:1> XOR x<n-2:0>
        t = o.extract(n - 2, 0, o.bvxor(o.bvlshr(x, 1, n), x, n))
        r = o.zero_extend(o.clz(t, n - 1), n - 1, n)
    wx(s, o, d.Rd, r, n)


def execute_two(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    a, b = rx(s, o, d.Rn, n), rx(s, o, d.Rm, n)
    m = d.mn
    if m == "udiv":
        r = o.udiv(a, b, n)
    elif m == "sdiv":
        r = o.sdiv(a, b, n)
    else:
        amount = o.bvand(b, o.const(n - 1, n), n)
        if m == "lslv":
            r = o.bvshl(a, amount, n)
        elif m == "lsrv":
            r = o.bvlshr(a, amount, n)
        elif m == "asrv":
            r = o.bvashr(a, amount, n)
        else:
            r = o.bvrotr(a, amount, n)
    wx(s, o, d.Rd, r, n)


def execute_three(s: Any, o: Any, d: Decoded) -> None:
    n = d.datasize
    m = d.mn
    if m in ("madd", "msub"):
        prod = o.bvmul(rx(s, o, d.Rn, n), rx(s, o, d.Rm, n), n)
        acc = rx(s, o, d.Ra, n)
        r = o.bvsub(acc, prod, n) if d.o0 else o.bvadd(acc, prod, n)
    elif m in ("smulh", "umulh"):
        ext = o.sign_extend if m == "smulh" else o.zero_extend
        a, b = ext(rx(s, o, d.Rn, 64), 64, 128), ext(rx(s, o, d.Rm, 64), 64, 128)
        r = o.extract(127, 64, o.bvmul(a, b, 128))
    else:
        ext = o.sign_extend if m[0] == "s" else o.zero_extend
        prod = o.bvmul(ext(rx(s, o, d.Rn, 32), 32, 64), ext(rx(s, o, d.Rm, 32), 32, 64), 64)
        acc = rx(s, o, d.Ra, 64)
        r = o.bvsub(acc, prod, 64) if d.o0 else o.bvadd(acc, prod, 64)
    wx(s, o, d.Rd, r, n)


def _decoder(mnemonic: str, size: int | None = None) -> Any:
    def decode(d: Decoded) -> None:
        if size is None:
            _size(d)
        else:
            d.datasize = size
        d.mn = mnemonic
    return decode


def _rows() -> list[Encoding]:
    rows = []
    for m, p, printed in ONE:
        width: int | str = "sf" if p.startswith("sf") else (64 if p[0] == "1" else 32)
        operands = [Reg("Rd", size=width), Reg("Rn", size=width)]
        # The 64-bit REV is also spelled REV64 (Arm ARM alias; GNU as and LLVM take it).
        aliases = [Alias("rev64", operands, asm_only=True)] \
            if printed == "rev" and p[0] == "1" else []
        rows.append(Encoding(printed, p, operands, execute_one,
                             _decoder(printed, None if p.startswith("sf") else
                                      (64 if p[0] == "1" else 32)), aliases,
                             name=f"{m}_{p[0]}"))
    for m, p, alias in TWO:
        ops = [Reg("Rd"), Reg("Rn"), Reg("Rm")]
        aliases = [Alias(alias, ops)] if alias else []
        rows.append(Encoding(m, p, ops, execute_two, _decoder(m.lower()), aliases))
    for m, p, alias in THREE:
        if m in ("MADD", "MSUB"):
            ops = [Reg("Rd"), Reg("Rn"), Reg("Rm"), Reg("Ra")]
            short = [Reg("Rd"), Reg("Rn"), Reg("Rm")]
        elif m in ("SMULH", "UMULH"):
            ops = short = [Reg("Rd", size=64), Reg("Rn", size=64), Reg("Rm", size=64)]
        else:
            ops = [Reg("Rd", size=64), Reg("Rn", size=32), Reg("Rm", size=32),
                   Reg("Ra", size=64)]
            short = ops[:3]
        aliases = [Alias(alias, short, lambda d: d.Ra == 31, {"Ra": 31})] if alias else []
        size = None if m in ("MADD", "MSUB") else 64
        rows.append(Encoding(m, p, ops, execute_three, _decoder(m.lower(), size), aliases))
    return rows


CLASS = InstructionClass("dp_reg", "Data-processing (1, 2 and 3 source)", _rows())
