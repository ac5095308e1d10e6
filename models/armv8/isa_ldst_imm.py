"""Load/store register (immediate): unsigned offset, unscaled (LDUR/STUR), pre- and post-index,
unprivileged (LDTR/STTR).
Byte, halfword, word, doubleword, signed variants, SIMD&FP registers B/H/S/D/Q, and PRFM/PRFUM.
Arm ARM C4.1.94 (load/store register, unsigned immediate / unscaled / pre- / post-indexed).

Each (size, V, opc) row below is one mnemonic; it appears once per addressing form.
"""

from __future__ import annotations

from typing import Any

from .encoding import Alias, Decoded, Encoding, InstructionClass, Unallocated
from .operands import Imm
from .operands_mem import (
    MemImm,
    PostImm,
    PrfOp,
    TReg,
    conform_base,
    load_to,
    store_from,
    window_address,
)

FORMS = {  # addressing form -> encoding (bit 31 .. bit 0)
    "offset":   "size 111 V 01 opc imm12 Rn Rt",
    "unscaled": "size 111 V 00 opc 0 imm9 00 Rn Rt",
    "post":     "size 111 V 00 opc 0 imm9 01 Rn Rt",
    "pre":      "size 111 V 00 opc 0 imm9 11 Rn Rt",
    "unpriv":   "size 111 V 00 opc 0 imm9 10 Rn Rt",   # LDTR/STTR: GPR rows only
}

#   mnemonic  size V opc  transfer register (w/x: GPR; sw/sx: sign-extended into W/X;
#                          b h s d q: SIMD&FP; prfm: prefetch operation)
ROWS = [
    ("STRB",  0, 0, 0, "w"), ("LDRB",  0, 0, 1, "w"), ("LDRSB", 0, 0, 2, "sx"),
    ("LDRSB", 0, 0, 3, "sw"),
    ("STRH",  1, 0, 0, "w"), ("LDRH",  1, 0, 1, "w"), ("LDRSH", 1, 0, 2, "sx"),
    ("LDRSH", 1, 0, 3, "sw"),
    ("STR",   2, 0, 0, "w"), ("LDR",   2, 0, 1, "w"), ("LDRSW", 2, 0, 2, "sx"),
    ("STR",   3, 0, 0, "x"), ("LDR",   3, 0, 1, "x"), ("PRFM",  3, 0, 2, "prfm"),
    ("STR",   0, 1, 0, "b"), ("LDR",   0, 1, 1, "b"), ("STR",   0, 1, 2, "q"),
    ("LDR",   0, 1, 3, "q"),
    ("STR",   1, 1, 0, "h"), ("LDR",   1, 1, 1, "h"),
    ("STR",   2, 1, 0, "s"), ("LDR",   2, 1, 1, "s"),
    ("STR",   3, 1, 0, "d"), ("LDR",   3, 1, 1, "d"),
]

MASK64 = (1 << 64) - 1
SIMD_BYTES = {"b": 1, "h": 2, "s": 4, "d": 8, "q": 16}


def row_properties(size: int, kind: str) -> dict[str, Any]:
    """Decode-time facts of a row: access size, destination kind, signedness."""
    nbytes = SIMD_BYTES[kind] if kind in SIMD_BYTES else 1 << size
    return {
        "nbytes": nbytes, "scale": nbytes.bit_length() - 1, "simd": kind in SIMD_BYTES,
        "signed": kind in ("sw", "sx"), "regsize": 32 if kind in ("w", "sw") else 64,
        "prefetch": kind == "prfm",
    }


def transfer_operand(size: int, kind: str) -> Any:
    p = row_properties(size, kind)
    if kind == "prfm":
        return PrfOp()
    if p["simd"]:
        return TReg("Rt", 8 * p["nbytes"], True, p["scale"])
    return TReg("Rt", p["regsize"], False, p["scale"])


def make_decode(props: dict[str, Any], form: str, is_load: bool) -> Any:
    wback = form in ("pre", "post")

    def decode(d: Decoded) -> None:
        d.__dict__.update(props)
        d.load = is_load
        d.imm = (d.imm12 << props["scale"]) if form == "offset" else \
            (d.imm9 - 512 if d.imm9 >> 8 else d.imm9)
        d.offset = d.imm & MASK64
        # Writeback to the transfer register is CONSTRAINED UNPREDICTABLE: reject it.
        if wback and not props["simd"] and d.Rn == d.Rt and d.Rn != 31:
            raise Unallocated
    return decode


def _offset(s: Any, o: Any, d: Decoded) -> None:
    address = o.bvadd(s.x[d.Rn], d.offset, 64)
    (load_to if d.load else store_from)(s, o, d, address)


def _pre(s: Any, o: Any, d: Decoded) -> None:
    address = o.bvadd(s.x[d.Rn], d.offset, 64)
    (load_to if d.load else store_from)(s, o, d, address)
    s.x[d.Rn] = address


def _post(s: Any, o: Any, d: Decoded) -> None:
    address = s.x[d.Rn]
    (load_to if d.load else store_from)(s, o, d, address)
    s.x[d.Rn] = o.bvadd(address, d.offset, 64)


def _prefetch(s: Any, o: Any, d: Decoded) -> None:
    """PRFM is a hint: no architectural effect (and no fault)."""


# LDTR/STTR access memory as EL0 would; the model runs at EL0, so they are plain accesses.
EXECUTE = {"offset": _offset, "unscaled": _offset, "unpriv": _offset, "pre": _pre,
           "post": _post}


def prepare(d: Decoded, case: Any, rng: Any) -> None:
    """Conformance: point the base at the window so the access lands inside it."""
    target = window_address(rng, 16 + 16)
    base = target if d.form == "post" else (target - d.imm) & MASK64
    conform_base(case, d.Rn, base)


def mnemonic_for(mnemonic: str, form: str) -> str:
    if form == "unpriv":
        return mnemonic[:2] + "T" + mnemonic[2:]  # LDRB -> LDTRB
    if form != "unscaled":
        return mnemonic
    if mnemonic == "PRFM":
        return "PRFUM"
    return mnemonic[:2] + "UR" + mnemonic[3:]


def _rows() -> list[Encoding]:
    rows = []
    for form, pattern in FORMS.items():
        for mnemonic, size, v, opc, kind in ROWS:
            if kind == "prfm" and form in ("pre", "post", "unpriv"):
                continue  # unallocated
            if form == "unpriv" and v:
                continue  # no SIMD&FP unprivileged forms
            props = row_properties(size, kind)
            is_load = mnemonic.startswith("LD")
            imm = Imm("imm12", scale=props["nbytes"]) if form == "offset" \
                else Imm("imm9", signed=True, width=9)
            mem = MemImm("post" if form == "post" else "pre" if form == "pre" else "offset",
                         imm)
            operands = [transfer_operand(size, kind), mem]
            if form == "post":
                operands.append(PostImm(imm, wrap=True))
            text = pattern.replace("size", f"size={size:02b}", 1).replace(
                " V ", f" V={v} ", 1).replace(" opc ", f" opc={opc:02b} ", 1)
            decode = make_decode(props, form, is_load)

            def dec(d: Decoded, _decode: Any = decode, _form: str = form) -> None:
                _decode(d)
                d.form = _form
            name = mnemonic_for(mnemonic, form)
            # GNU as takes `ldr x0, [x1, #-8]` (an offset the scaled form cannot hold) as
            # LDUR: the unscaled rows also answer to the plain mnemonic, after the others.
            aliases = [Alias(mnemonic.lower(), operands, asm_priority=1, asm_only=True)] \
                if form == "unscaled" else []
            rows.append(Encoding(
                name, text, operands, _prefetch if kind == "prfm" else EXECUTE[form], dec,
                aliases, name=f"{name}_{kind}_{form}", conform=prepare))
    return rows


CLASS = InstructionClass("ldst_imm", "Load/store register (immediate offsets)", _rows())
