"""Write a relocatable `Unit` (Assay's assembler output) as an ELF64 AArch64 object file.

The object holds the unit's sections, a symbol table (a section symbol per section, the named
local symbols, then global, weak and undefined ones, as the gABI orders them), and one
`.rela<section>` per section with relocations, using section symbols for local targets as
clang does. Linkers (ld.lld, GNU ld) accept it; the tests link it and compare with clang's.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from assay.models.armv8.loader import EM_AARCH64, Unit

SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_RELA, SHT_NOBITS = 1, 2, 3, 4, 8
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR, SHF_INFO_LINK = 0x1, 0x2, 0x4, 0x40
STB = {"local": 0, "global": 1, "weak": 2}
STT = {"notype": 0, "object": 1, "func": 2, "section": 3}


class _Strings:
    def __init__(self) -> None:
        self.data = bytearray(b"\0")
        self.index: dict[str, int] = {"": 0}

    def add(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.data)
            self.data += text.encode() + b"\0"
        return self.index[text]


@dataclass
class _Header:
    name: int
    kind: int
    flags: int = 0
    offset: int = 0
    size: int = 0
    link: int = 0
    info: int = 0
    align: int = 1
    entsize: int = 0

    def pack(self) -> bytes:
        return struct.pack("<IIQQQQIIQQ", self.name, self.kind, self.flags, 0, self.offset,
                           self.size, self.link, self.info, self.align, self.entsize)


def _flags(name: str, executable: bool, writable: bool) -> int:
    flags = SHF_ALLOC
    if executable:
        flags |= SHF_EXECINSTR
    if writable or name.startswith((".data", ".bss", ".tbss", ".tdata")):
        flags |= SHF_WRITE
    return flags


def write_object(unit: Unit) -> bytes:
    """The ELF64 little-endian relocatable object (ET_REL, EM_AARCH64) for `unit`."""
    shstr, strtab = _Strings(), _Strings()
    sections = [s for s in unit.sections if s.data or s.name == ".text"]
    index = {s.name: i + 1 for i, s in enumerate(sections)}
    # Symbols: null, section symbols, named locals, then globals (gABI: locals first).
    symbols: list[tuple[int, int, int, int, int, int]] = [(0, 0, 0, 0, 0, 0)]
    sym_index: dict[str, int] = {}
    for s in sections:
        sym_index[s.name] = len(symbols)
        symbols.append((0, STT["section"], STB["local"], index[s.name], 0, 0))
    defined = [y for y in unit.symbols if y.section]
    ordered = [y for y in defined if y.binding == "local"] + \
        [y for y in defined if y.binding != "local"] + \
        [y for y in unit.symbols if not y.section]
    first_global = len(symbols) + sum(1 for y in defined if y.binding == "local")
    for y in ordered:
        sym_index[y.name] = len(symbols)
        shndx = index.get(y.section, 0)
        symbols.append((strtab.add(y.name), STT.get(y.kind, 0), STB[y.binding], shndx,
                        y.offset, y.size))
    for rel in unit.relocations:  # a relocation against a symbol nobody declared: undefined
        if rel.symbol not in sym_index:
            sym_index[rel.symbol] = len(symbols)
            symbols.append((strtab.add(rel.symbol), 0, STB["global"], 0, 0, 0))
    symtab = b"".join(struct.pack("<IBBHQQ", name, (bind << 4) | kind, 0, shndx, value, size)
                      for name, kind, bind, shndx, value, size in symbols)

    headers = [_Header(0, 0, align=0)]
    blobs: list[bytes] = []
    for s in sections:
        headers.append(_Header(shstr.add(s.name), SHT_NOBITS if s.nobits else SHT_PROGBITS,
                               _flags(s.name, s.executable, getattr(s, "writable", False)),
                               size=len(s.data), align=s.align))
        blobs.append(b"" if s.nobits else bytes(s.data))
    symtab_index = len(headers) + sum(1 for s in sections
                                      if any(r.section == s.name for r in unit.relocations))
    for s in sections:
        rels = sorted((r for r in unit.relocations if r.section == s.name),
                      key=lambda r: r.offset)
        if not rels:
            continue
        body = b"".join(struct.pack("<QQq", r.offset, (sym_index[r.symbol] << 32) | r.kind,
                                    r.addend) for r in rels)
        headers.append(_Header(shstr.add(".rela" + s.name), SHT_RELA, SHF_INFO_LINK,
                               size=len(body), link=symtab_index, info=index[s.name], align=8,
                               entsize=24))
        blobs.append(body)
    headers.append(_Header(shstr.add(".symtab"), SHT_SYMTAB, size=len(symtab),
                           link=symtab_index + 1, info=first_global, align=8, entsize=24))
    blobs.append(symtab)
    headers.append(_Header(shstr.add(".strtab"), SHT_STRTAB, size=len(strtab.data)))
    blobs.append(bytes(strtab.data))
    headers.append(_Header(shstr.add(".shstrtab"), SHT_STRTAB, size=len(shstr.data)))
    blobs.append(bytes(shstr.data))

    out = bytearray(64)
    for header, blob in zip(headers[1:], blobs):
        pad = -len(out) % max(header.align, 1)
        out += bytes(pad)
        header.offset = len(out)
        out += blob
    out += bytes(-len(out) % 8)
    shoff = len(out)
    out += b"".join(h.pack() for h in headers)
    out[0:64] = struct.pack("<4sBBBBB7sHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0, bytes(7),
                            1, EM_AARCH64, 1, 0, 0, shoff, 0, 64, 0, 0, 64, len(headers),
                            len(headers) - 1)
    return bytes(out)
