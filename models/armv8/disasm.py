"""The disassembler, derived from the encoding tables: capstone-style GNU syntax, preferring
the aliases each row lists (in order) when their conditions hold."""

from __future__ import annotations

from collections.abc import Sequence

from .encoding import Alias, Decoded, Encoding
from .registry import find


def render(e: Encoding, d: Decoded, pc: int = 0) -> str:
    """Text of a decoded instruction (alias applied)."""
    mnemonic, operands = e.mnemonic, e.operands
    for a in e.aliases:
        if not a.asm_only and a.when(d):
            mnemonic, operands = a.mnemonic, a.operands
            break
    return format_operands(mnemonic, operands, d, pc)


def format_operands(mnemonic: str, operands: Sequence[object], d: Decoded, pc: int) -> str:
    texts = [t for t in (o.fmt(d, pc) for o in operands) if t is not None]  # type: ignore[attr-defined]
    if "<cond>" in mnemonic:
        mnemonic = mnemonic.replace("<cond>", texts.pop(0))
    return f"{mnemonic} {', '.join(texts)}" if texts else mnemonic


def disassemble(word: int, pc: int = 0) -> str:
    """One instruction; words no row accepts print as `.inst 0x...`."""
    r = find(word)
    if r is None:
        return f".inst 0x{word:08x}"
    return render(r[0], r[1], pc)


def disassemble_bytes(code: bytes, address: int = 0) -> list[tuple[int, int, str]]:
    """(address, word, text) for each 4-byte word of `code`."""
    out = []
    for i in range(0, len(code) - len(code) % 4, 4):
        w = int.from_bytes(code[i:i + 4], "little")
        out.append((address + i, w, disassemble(w, address + i)))
    return out


def alias_for(e: Encoding, d: Decoded) -> Alias | None:
    return next((a for a in e.aliases if not a.asm_only and a.when(d)), None)
