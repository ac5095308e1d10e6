"""Loading AArch64 code into memory images: raw bytes, hex words, ELF objects and executables.

An `Image` is what a run starts from: byte segments at addresses and a symbol table. Executables
and shared objects are loaded at their program-header addresses; relocatable objects (`clang -c`
output) are laid out section by section from a base address and their static relocations are
resolved here (`reloc.py`), so that a routine with ADRP/ADD/LDR literal references to its
constant pool runs as it would after linking. Assay's assembler (`gas.py`) produces the same
kind of relocatable unit and shares `link_sections`.

Trusts pyelftools to parse the ELF container; checks class, byte order and machine itself.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.core.errors import AssayError
from assay.models.armv8 import reloc

DEFAULT_BASE = 0x10000
EM_AARCH64 = 183
MAX_SIZE = 1 << 30  # a section or segment larger than this is malformed input, not code
# What pyelftools raises on corrupt files besides ELFError: the input is untrusted, so these
# become "malformed ELF file" messages rather than tracebacks.
_MALFORMED = (OverflowError, AttributeError, ValueError, KeyError, IndexError, TypeError,
              struct.error, MemoryError)


class LoadError(AssayError):
    """The input cannot be loaded: not AArch64, malformed, or with unresolvable references."""


@dataclass(frozen=True)
class Symbol:
    name: str
    address: int
    size: int = 0
    kind: str = "notype"  # func, object, section, notype
    binding: str = "local"  # local, global, weak
    section: str = ""


@dataclass
class Segment:
    address: int
    data: bytearray
    name: str = ""
    executable: bool = True

    @property
    def end(self) -> int:
        return self.address + len(self.data)


@dataclass
class Image:
    """Memory contents to load plus the symbols that name addresses in them."""

    segments: list[Segment] = field(default_factory=list)
    symbols: dict[str, Symbol] = field(default_factory=dict)
    entry: int | None = None

    def address_of(self, name: str) -> int:
        sym = self.symbols.get(name)
        if sym is None:
            known = ", ".join(sorted(n for n, s in self.symbols.items()
                                     if s.kind == "func" or s.binding != "local")[:20])
            raise LoadError(f"no symbol named {name!r} (known: {known or 'none'})")
        return sym.address

    def read(self, address: int, size: int) -> bytes:
        for seg in self.segments:
            if seg.address <= address and address + size <= seg.end:
                start = address - seg.address
                return bytes(seg.data[start:start + size])
        raise LoadError(f"address 0x{address:x} (+{size}) is not inside a loaded segment")

    def words(self, start: int, end: int) -> list[int]:
        data = self.read(start, end - start)
        return [int.from_bytes(data[i:i + 4], "little") for i in range(0, len(data) - 3, 4)]

    def function_range(self, name: str) -> tuple[int, int]:
        """[start, end) of a function: its ELF size, or up to the next symbol/segment end."""
        sym = self.symbols.get(name)
        start = self.address_of(name)
        if sym is not None and sym.size:
            return start, start + sym.size
        seg = next((s for s in self.segments if s.address <= start < s.end), None)
        if seg is None:
            raise LoadError(f"symbol {name!r} at 0x{start:x} is outside every segment")
        later = [s.address for s in self.symbols.values()
                 if start < s.address < seg.end and s.kind != "section"]
        return start, min(later, default=seg.end)


def load_raw(data: bytes, base: int = DEFAULT_BASE, name: str = "code") -> Image:
    """A flat binary at `base`; the symbol `name` (default `code`) marks its start."""
    image = Image([Segment(base, bytearray(data), name)], entry=base)
    image.symbols[name] = Symbol(name, base, len(data), "func", "global", name)
    return image


_HEX_WORD = re.compile(r"(?:0x)?([0-9a-fA-F]{1,8})\Z")


def parse_hex_words(text: str, source: str = "<hex>") -> bytes:
    """32-bit words as hex (`d503201f 0x91000420, ...`), each stored little-endian."""
    out = bytearray()
    for lineno, line in enumerate(text.splitlines(), 1):
        line = re.split(r"//|#|;", line, maxsplit=1)[0]
        for token in re.split(r"[\s,]+", line.strip()):
            if not token:
                continue
            match = _HEX_WORD.match(token)
            if match is None:
                raise LoadError(f"{source}:{lineno}: {token!r} is not a 32-bit hex word")
            out += int(match.group(1), 16).to_bytes(4, "little")
    return bytes(out)


def load_hex_words(text: str, base: int = DEFAULT_BASE) -> Image:
    return load_raw(parse_hex_words(text), base)


# ---------------------------------------------------------------- relocatable units

@dataclass
class Section:
    """A section of a relocatable unit, before layout."""

    name: str
    data: bytearray
    align: int = 1
    executable: bool = False
    nobits: bool = False  # .bss: `data` holds zeros of the right size


@dataclass(frozen=True)
class UnitSymbol:
    """A symbol of a relocatable unit: an offset in a named section (or undefined: section "")."""

    name: str
    section: str
    offset: int
    size: int = 0
    kind: str = "notype"
    binding: str = "local"


def _align_up(value: int, align: int) -> int:
    return (value + align - 1) // align * align if align > 1 else value


def link_sections(sections: Iterable[Section], symbols: Iterable[UnitSymbol],
                  relocations: Iterable[reloc.Relocation], base: int = DEFAULT_BASE,
                  externals: dict[str, int] | None = None) -> Image:
    """Lay sections out from `base` in order, define symbols, and resolve every relocation."""
    address: dict[str, int] = {}
    image = Image()
    cursor = base
    buffers: dict[str, bytearray] = {}
    for sec in sections:
        cursor = _align_up(cursor, max(sec.align, 1))
        address[sec.name] = cursor
        buf = bytearray(sec.data)
        buffers[sec.name] = buf
        image.segments.append(Segment(cursor, buf, sec.name, sec.executable))
        cursor += len(buf)
    values: dict[str, int] = dict(externals or {})
    for name, addr in address.items():
        values.setdefault(name, addr)  # section symbols, as clang's relocations use them
    for sym in symbols:
        if not sym.section:
            if sym.binding == "weak":
                values.setdefault(sym.name, 0)  # an undefined weak symbol is zero (ELF gABI)
            continue
        if sym.section not in address:
            continue  # a symbol in a section we do not load (debug information)
        addr = address[sym.section] + sym.offset
        values[sym.name] = addr
        image.symbols[sym.name] = Symbol(sym.name, addr, sym.size, sym.kind, sym.binding,
                                         sym.section)
    for rel in relocations:
        if rel.section not in buffers:
            continue
        if rel.symbol not in values:
            raise LoadError(f"undefined symbol {rel.symbol!r} referenced by {rel.name} at "
                            f"{rel.section}+0x{rel.offset:x} (give its address as an external)")
        place = address[rel.section] + rel.offset
        reloc.apply(buffers[rel.section], rel.offset, rel.kind, values[rel.symbol] + rel.addend,
                    place)
    return image


@dataclass
class Unit:
    """A relocatable unit before layout: sections, symbols, relocations (section-relative).
    Produced by Assay's assembler and by reading an ELF relocatable object."""

    sections: list[Section]
    symbols: list[UnitSymbol]
    relocations: list[reloc.Relocation]

    def section(self, name: str) -> Section:
        for sec in self.sections:
            if sec.name == name:
                return sec
        raise KeyError(name)

    def link(self, base: int = DEFAULT_BASE, externals: dict[str, int] | None = None) -> Image:
        return link_sections(self.sections, self.symbols, self.relocations, base, externals)

    def flat(self, base: int = DEFAULT_BASE, externals: dict[str, int] | None = None) -> bytes:
        """The linked image as one binary starting at `base` (gaps zero-filled)."""
        image = self.link(base, externals)
        segments = [s for s in image.segments if s.data]
        if not segments:
            return b""
        out = bytearray(max(s.end for s in segments) - base)
        for s in segments:
            out[s.address - base:s.end - base] = s.data
        return bytes(out)


# ---------------------------------------------------------------- ELF

_SYM_KIND = {"STT_FUNC": "func", "STT_OBJECT": "object", "STT_SECTION": "section"}
_SYM_BIND = {"STB_GLOBAL": "global", "STB_WEAK": "weak"}


def load_elf(source: str | Path | bytes, base: int = DEFAULT_BASE,
             externals: dict[str, int] | None = None) -> Image:
    """Load an AArch64 ELF file: executables/shared objects by program headers; relocatable
    objects by laying their allocated sections out from `base` and resolving relocations."""
    try:
        from elftools.common.exceptions import ELFError
        from elftools.elf.elffile import ELFFile
    except ImportError as exc:  # pragma: no cover - pyelftools is a runtime dependency
        raise LoadError("ELF loading needs pyelftools (pip install pyelftools)") from exc
    if isinstance(source, bytes | bytearray):
        raw, label = bytes(source), "<bytes>"
    else:
        try:
            raw, label = Path(source).read_bytes(), str(source)
        except OSError as exc:
            raise LoadError(f"cannot read {source}: {exc.strerror}") from exc
    try:
        elf = ELFFile(io.BytesIO(raw))
        if elf["e_machine"] not in ("EM_AARCH64", EM_AARCH64) or elf.elfclass != 64 \
                or not elf.little_endian:
            raise LoadError(f"{label}: not a little-endian 64-bit AArch64 ELF file "
                            f"(machine {elf['e_machine']}, class {elf.elfclass})")
        if elf["e_type"] == "ET_REL":
            return _load_relocatable(elf, label, base, externals)
        return _load_executable(elf, base, externals)
    except (ELFError, *_MALFORMED) as exc:
        raise LoadError(f"{label}: malformed ELF file: {exc}") from exc


def _elf_symbols(elf) -> list:  # type: ignore[no-untyped-def]
    out = []
    for name in (".symtab", ".dynsym"):
        table = elf.get_section_by_name(name)
        if table is not None:
            out.extend(table.iter_symbols())
    return out


def _load_executable(elf, base: int,  # type: ignore[no-untyped-def]
                     externals: dict[str, int] | None) -> Image:
    """Segments at their addresses; a position-independent file (ET_DYN) is moved by `base`
    and its dynamic relocations are applied, as a dynamic loader would."""
    bias = base if elf["e_type"] == "ET_DYN" else 0
    image = Image(entry=elf["e_entry"] + bias)
    for seg in elf.iter_segments():
        if seg["p_type"] != "PT_LOAD":
            continue
        if not 0 <= seg["p_filesz"] <= seg["p_memsz"] <= MAX_SIZE:
            raise LoadError(f"segment at 0x{seg['p_vaddr']:x} has file size "
                            f"{seg['p_filesz']} and memory size {seg['p_memsz']}")
        data = bytearray(seg.data()) + bytes(seg["p_memsz"] - seg["p_filesz"])
        address = seg["p_vaddr"] + bias
        image.segments.append(Segment(address, data, f"load@0x{address:x}",
                                      bool(seg["p_flags"] & 1)))
    for sym in _elf_symbols(elf):
        if not sym.name or sym["st_shndx"] == "SHN_UNDEF" or sym.name.startswith("$"):
            continue
        kind = _SYM_KIND.get(sym["st_info"]["type"], "notype")
        if kind == "section":
            continue
        image.symbols.setdefault(sym.name, Symbol(
            sym.name, sym["st_value"] + (bias if sym["st_shndx"] != "SHN_ABS" else 0),
            sym["st_size"], kind, _SYM_BIND.get(sym["st_info"]["bind"], "local")))
    _apply_dynamic_relocations(elf, image, bias, externals or {})
    return image


R_AARCH64_GLOB_DAT, R_AARCH64_JUMP_SLOT, R_AARCH64_RELATIVE = 1025, 1026, 1027


def _apply_dynamic_relocations(elf, image: Image, bias: int,  # type: ignore[no-untyped-def]
                               externals: dict[str, int]) -> None:
    has_dynamic = any(seg["p_type"] == "PT_DYNAMIC" for seg in elf.iter_segments())
    tables = [sec for sec in elf.iter_sections() if sec["sh_type"] in ("SHT_RELA", "SHT_REL")
              and sec["sh_flags"] & 0x2]
    if has_dynamic and not tables and elf.num_sections() == 0:
        raise LoadError("a dynamic ELF file without section headers is not supported")
    for table in tables:
        if table["sh_type"] == "SHT_REL":
            raise LoadError(f"REL relocations ({table.name}) are not supported")
        symtab = elf.get_section(table["sh_link"]) if table["sh_link"] else None
        for rel in table.iter_relocations():
            kind, addend, place = rel["r_info_type"], rel["r_addend"], rel["r_offset"] + bias
            if kind == R_AARCH64_RELATIVE:
                value = bias + addend
            elif kind in (R_AARCH64_GLOB_DAT, R_AARCH64_JUMP_SLOT, reloc.R_AARCH64_ABS64):
                sym = symtab.get_symbol(rel["r_info_sym"]) if symtab is not None else None
                if sym is None:
                    raise LoadError(f"dynamic relocation at 0x{place:x} without a symbol")
                if sym["st_shndx"] != "SHN_UNDEF":
                    value = sym["st_value"] + bias + addend
                elif sym.name in externals:
                    value = externals[sym.name] + addend
                elif sym["st_info"]["bind"] == "STB_WEAK":
                    value = addend
                else:
                    raise LoadError(f"undefined symbol {sym.name!r} needed by a dynamic "
                                    f"relocation at 0x{place:x} (give it as an external)")
            else:
                raise LoadError(f"unsupported dynamic relocation {kind} at 0x{place:x}")
            seg = next((g for g in image.segments if g.address <= place and place + 8 <= g.end),
                       None)
            if seg is None:
                raise LoadError(f"dynamic relocation at 0x{place:x} is outside the segments")
            offset = place - seg.address
            seg.data[offset:offset + 8] = (value & ((1 << 64) - 1)).to_bytes(8, "little")


def _load_relocatable(elf, label: str, base: int,  # type: ignore[no-untyped-def]
                      externals: dict[str, int] | None) -> Image:
    return _read_unit(elf, label).link(base, {"<absolute>": 0, **(externals or {})})


def read_object(source: str | Path | bytes) -> Unit:
    """An ELF relocatable object as a `Unit` (allocated sections, symbols, relocations)."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile
    raw = bytes(source) if isinstance(source, bytes | bytearray) else Path(source).read_bytes()
    try:
        elf = ELFFile(io.BytesIO(raw))
        if elf["e_type"] != "ET_REL":
            raise LoadError("not a relocatable object (ET_REL)")
        return _read_unit(elf, str(source)[:80])
    except (ELFError, *_MALFORMED) as exc:
        raise LoadError(f"malformed ELF file: {exc}") from exc


def _read_unit(elf, label: str) -> Unit:  # type: ignore[no-untyped-def]
    sections: list[Section] = []
    index_name: dict[int, str] = {}
    for index, sec in enumerate(elf.iter_sections()):
        flags = sec["sh_flags"]
        if not flags & 0x2:  # SHF_ALLOC: skip debug information, symbol tables, notes
            continue
        nobits = sec["sh_type"] == "SHT_NOBITS"
        if sec["sh_size"] > MAX_SIZE:
            raise LoadError(f"{label}: section {sec.name} is {sec['sh_size']} bytes")
        data = bytearray(sec["sh_size"]) if nobits else bytearray(sec.data())
        sections.append(Section(sec.name, data, sec["sh_addralign"] or 1, bool(flags & 0x4),
                                nobits))
        index_name[index] = sec.name
    symbols: list[UnitSymbol] = []
    symtab = elf.get_section_by_name(".symtab")
    elf_syms = list(symtab.iter_symbols()) if symtab is not None else []
    sym_names: list[str] = []
    for sym in elf_syms:
        shndx = sym["st_shndx"]
        kind = _SYM_KIND.get(sym["st_info"]["type"], "notype")
        section = index_name.get(shndx, "") if isinstance(shndx, int) else ""
        name = sym.name
        if kind == "section":
            name = section or f"<section {shndx}>"
        sym_names.append(name)
        binding = _SYM_BIND.get(sym["st_info"]["bind"], "local")
        if name and section and not name.startswith("$") and kind != "section":
            symbols.append(UnitSymbol(name, section, sym["st_value"], sym["st_size"], kind,
                                      binding))
        elif name and shndx == "SHN_UNDEF" and binding == "weak":
            symbols.append(UnitSymbol(name, "", 0, 0, kind, binding))
    relocations: list[reloc.Relocation] = []
    for sec in elf.iter_sections():
        if sec["sh_type"] not in ("SHT_RELA", "SHT_REL"):
            continue
        target = index_name.get(sec["sh_info"])
        if target is None:
            continue
        if sec["sh_type"] == "SHT_REL":
            raise LoadError(f"{label}: REL relocations (section {sec.name}) are not supported; "
                            "AArch64 objects use RELA")
        for rel in sec.iter_relocations():
            index = rel["r_info_sym"]
            symbol = sym_names[index] if index < len(sym_names) else ""
            if index and not symbol:
                raise LoadError(f"{label}: relocation against unnamed symbol {index}")
            relocations.append(reloc.Relocation(target, rel["r_offset"], rel["r_info_type"],
                                                symbol or "<absolute>", rel["r_addend"]))
    return Unit(sections, symbols, relocations)


# ---------------------------------------------------------------- into a machine state

def load_image_into(image: Image, state: Any) -> None:
    """Map and write every segment of `image` into `state.mem`."""
    for seg in image.segments:
        if seg.data:
            state.mem.map(seg.address, len(seg.data))
            state.mem.write_bytes(seg.address, bytes(seg.data))


def load_function_into(path: str | Path, name: str, state: Any,
                       base: int = DEFAULT_BASE) -> int:
    """`assay arm run --elf FILE --function NAME`: load the ELF file (relocatable objects at
    `base`, relocations resolved) into `state` and return the function's address."""
    image = load_elf(path, base=base)
    entry = image.address_of(name)
    load_image_into(image, state)
    return entry
