"""AArch64 ELF relocations: compute and patch the fields that static relocations write.

Used twice: by the ELF loader for relocatable objects (clang output) and by Assay's own assembler
(`gas.py`), whose fixups are expressed as the same ELF relocation types, so that one code path
resolves both. Values follow the "ELF for the Arm 64-bit Architecture" (AAELF64) table:
S is the symbol's address, A the addend, P the address of the place, Page(x) = x & ~0xfff.

Trusts nothing but its inputs; every range check the ABI asks for ("check that the result fits")
is made, and a failed check raises `RelocationError` instead of writing a truncated field.
"""

from __future__ import annotations

from dataclasses import dataclass

from assay.core.errors import AssayError


class RelocationError(AssayError):
    """A relocation that Assay does not support, or whose value does not fit its field."""


# Type numbers from AAELF64 (section 5.7).
R_AARCH64_NONE = 0
R_AARCH64_ABS64 = 257
R_AARCH64_ABS32 = 258
R_AARCH64_ABS16 = 259
R_AARCH64_PREL64 = 260
R_AARCH64_PREL32 = 261
R_AARCH64_PREL16 = 262
R_AARCH64_MOVW_UABS_G0 = 263
R_AARCH64_MOVW_UABS_G0_NC = 264
R_AARCH64_MOVW_UABS_G1 = 265
R_AARCH64_MOVW_UABS_G1_NC = 266
R_AARCH64_MOVW_UABS_G2 = 267
R_AARCH64_MOVW_UABS_G2_NC = 268
R_AARCH64_MOVW_UABS_G3 = 269
R_AARCH64_LD_PREL_LO19 = 273
R_AARCH64_ADR_PREL_LO21 = 274
R_AARCH64_ADR_PREL_PG_HI21 = 275
R_AARCH64_ADR_PREL_PG_HI21_NC = 276
R_AARCH64_ADD_ABS_LO12_NC = 277
R_AARCH64_LDST8_ABS_LO12_NC = 278
R_AARCH64_TSTBR14 = 279
R_AARCH64_CONDBR19 = 280
R_AARCH64_JUMP26 = 282
R_AARCH64_CALL26 = 283
R_AARCH64_LDST16_ABS_LO12_NC = 284
R_AARCH64_LDST32_ABS_LO12_NC = 285
R_AARCH64_LDST64_ABS_LO12_NC = 286
R_AARCH64_LDST128_ABS_LO12_NC = 299

# PC-relative kinds an assembler resolves itself when the target is in the same section.
RESOLVED_LOCALLY = frozenset({
    R_AARCH64_JUMP26, R_AARCH64_CALL26, R_AARCH64_CONDBR19, R_AARCH64_TSTBR14,
    R_AARCH64_ADR_PREL_LO21, R_AARCH64_LD_PREL_LO19,
})

NAMES: dict[int, str] = {
    value: name for name, value in dict(globals()).items()
    if name.startswith("R_AARCH64_") and isinstance(value, int)
}
BY_NAME: dict[str, int] = {name: value for value, name in NAMES.items()}

_M64 = (1 << 64) - 1


@dataclass(frozen=True)
class Relocation:
    """One relocation: patch `offset` in `section` with `kind` applied to `symbol` + `addend`."""

    section: str
    offset: int
    kind: int
    symbol: str
    addend: int = 0

    @property
    def name(self) -> str:
        return NAMES.get(self.kind, f"R_AARCH64_<{self.kind}>")


def _signed_fits(value: int, bits: int) -> bool:
    return -(1 << (bits - 1)) <= value < (1 << (bits - 1))


def _check(ok: bool, kind: int, value: int, place: int) -> None:
    if not ok:
        raise RelocationError(
            f"{NAMES.get(kind, kind)} at 0x{place:x}: value 0x{value & _M64:x} does not fit its field")


def _patch32(buf: bytearray, offset: int, mask: int, bits: int) -> None:
    word = int.from_bytes(buf[offset:offset + 4], "little")
    word = (word & ~mask) | (bits & mask)
    buf[offset:offset + 4] = word.to_bytes(4, "little")


def _patch_data(buf: bytearray, offset: int, size: int, value: int) -> None:
    buf[offset:offset + size] = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")


_LDST_SHIFT = {
    R_AARCH64_LDST8_ABS_LO12_NC: 0, R_AARCH64_LDST16_ABS_LO12_NC: 1,
    R_AARCH64_LDST32_ABS_LO12_NC: 2, R_AARCH64_LDST64_ABS_LO12_NC: 3,
    R_AARCH64_LDST128_ABS_LO12_NC: 4,
}
_MOVW = {
    R_AARCH64_MOVW_UABS_G0: (0, True), R_AARCH64_MOVW_UABS_G0_NC: (0, False),
    R_AARCH64_MOVW_UABS_G1: (16, True), R_AARCH64_MOVW_UABS_G1_NC: (16, False),
    R_AARCH64_MOVW_UABS_G2: (32, True), R_AARCH64_MOVW_UABS_G2_NC: (32, False),
    R_AARCH64_MOVW_UABS_G3: (48, True),
}


def apply(buf: bytearray, offset: int, kind: int, s_plus_a: int, place: int) -> None:
    """Patch `buf[offset:]` for a relocation of `kind` with value S+A at address `place`."""
    x = s_plus_a
    if kind == R_AARCH64_NONE or kind == 256:
        return
    width = {R_AARCH64_ABS64: 8, R_AARCH64_PREL64: 8, R_AARCH64_ABS16: 2,
             R_AARCH64_PREL16: 2}.get(kind, 4)
    if not 0 <= offset <= len(buf) - width:
        raise RelocationError(f"{NAMES.get(kind, kind)} at offset 0x{offset:x} is outside its "
                              f"section ({len(buf)} bytes)")
    if kind in (R_AARCH64_ABS64, R_AARCH64_PREL64):
        _patch_data(buf, offset, 8, x - place if kind == R_AARCH64_PREL64 else x)
    elif kind in (R_AARCH64_ABS32, R_AARCH64_ABS16):
        size = 4 if kind == R_AARCH64_ABS32 else 2
        _check(-(1 << (8 * size - 1)) <= x < (1 << (8 * size)), kind, x, place)
        _patch_data(buf, offset, size, x)
    elif kind in (R_AARCH64_PREL32, R_AARCH64_PREL16):
        size = 4 if kind == R_AARCH64_PREL32 else 2
        value = x - place
        _check(-(1 << (8 * size - 1)) <= value < (1 << (8 * size)), kind, value, place)
        _patch_data(buf, offset, size, value)
    elif kind in (R_AARCH64_JUMP26, R_AARCH64_CALL26):
        value = x - place
        _check(value % 4 == 0 and _signed_fits(value, 28), kind, value, place)
        _patch32(buf, offset, 0x03FFFFFF, value >> 2)
    elif kind == R_AARCH64_CONDBR19 or kind == R_AARCH64_LD_PREL_LO19:
        value = x - place
        _check(value % 4 == 0 and _signed_fits(value, 21), kind, value, place)
        _patch32(buf, offset, 0x7FFFF << 5, ((value >> 2) & 0x7FFFF) << 5)
    elif kind == R_AARCH64_TSTBR14:
        value = x - place
        _check(value % 4 == 0 and _signed_fits(value, 16), kind, value, place)
        _patch32(buf, offset, 0x3FFF << 5, ((value >> 2) & 0x3FFF) << 5)
    elif kind in (R_AARCH64_ADR_PREL_LO21, R_AARCH64_ADR_PREL_PG_HI21,
                  R_AARCH64_ADR_PREL_PG_HI21_NC):
        if kind == R_AARCH64_ADR_PREL_LO21:
            value = x - place
        else:
            value = ((x & ~0xFFF) - (place & ~0xFFF)) >> 12
            if kind == R_AARCH64_ADR_PREL_PG_HI21:
                _check(_signed_fits(value, 21), kind, value, place)
        if kind == R_AARCH64_ADR_PREL_LO21:
            _check(_signed_fits(value, 21), kind, value, place)
        imm = value & 0x1FFFFF
        _patch32(buf, offset, (3 << 29) | (0x7FFFF << 5), ((imm & 3) << 29) | ((imm >> 2) << 5))
    elif kind == R_AARCH64_ADD_ABS_LO12_NC:
        _patch32(buf, offset, 0xFFF << 10, (x & 0xFFF) << 10)
    elif kind in _LDST_SHIFT:
        shift = _LDST_SHIFT[kind]
        low = x & 0xFFF
        # The ABI leaves misalignment unchecked (_NC), but a misaligned offset cannot be encoded:
        # report it rather than silently dropping low bits.
        if low % (1 << shift):
            raise RelocationError(
                f"{NAMES[kind]} at 0x{place:x}: target 0x{x & _M64:x} is not aligned to "
                f"{1 << shift} bytes, as the scaled offset field needs")
        _patch32(buf, offset, 0xFFF << 10, (low >> shift) << 10)
    elif kind in _MOVW:
        shift, checked = _MOVW[kind]
        if checked:
            _check(0 <= x < (1 << (shift + 16)), kind, x, place)
        _patch32(buf, offset, 0xFFFF << 5, ((x >> shift) & 0xFFFF) << 5)
    else:
        raise RelocationError(f"unsupported relocation {NAMES.get(kind, kind)} at 0x{place:x}")
