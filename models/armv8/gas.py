"""Assay's AArch64 assembler front end: GNU `as` syntax to a relocatable unit.

Handles what hand-written and compiler-generated crypto assembly uses: labels (named, `.L`
local, numeric `1:` with `1f`/`1b`), comments (`//`, `/* */`, `#` at line start), `;` as a
statement separator (as GNU as and LLVM treat it), sections (`.text`, `.data`, `.rodata`, `.bss`,
`.section`, `.pushsection/.popsection/.previous`), data (`.byte/.hword/.short/.word/.long/.int/
.quad/.xword/.dword/.inst/.ascii/.asciz/.string/.zero/.space/.skip/.fill`), alignment (`.align`
and `.p2align` as powers of two, `.balign`; code is padded with NOPs), symbols (`.globl`,
`.local`, `.type`, `.size`, `.set/.equ`, `.hidden`), and `ldr Rt, =value` literal pools
(`.ltorg`, else at the end of the section), and through `gas_macros.py` macros, `.rept/.irp/
.irpc`, conditional assembly and `.req` register aliases; `.cfi_*` call-frame directives become an
`.eh_frame` section (`gas_cfi.py`). Directives that only carry metadata (`.arch`, `.file`, ...)
are accepted and ignored; anything else is reported as unsupported, and C preprocessor lines
(`#include`, `#ifdef`) are errors, not comments.

Instructions are encoded by the table-derived assembler (`asm.py`); this module only replaces
symbolic operands by placeholders and patches the fields afterwards through `reloc.apply`, so
that label arithmetic is written once. References that clang resolves at assembly time (PC-relative
to a local label of the same section) are resolved here; the others become ELF relocations,
resolved by `Unit.link` (the same code that resolves clang's objects in `loader.py`).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from assay.core.errors import AssayError, ParseError
from assay.models.armv8 import reloc
from assay.models.armv8.gas_cfi import CfiBuilder
from assay.models.armv8.gas_expr import ExprError, Linear, evaluate
from assay.models.armv8.gas_fixups import (
    InstructionFixups,
    alternative_spellings,
    plan_instruction,
)
from assay.models.armv8.gas_macros import MacroProcessor
from assay.models.armv8.loader import Section, Unit, UnitSymbol

NOP = 0xD503201F
Encoder = Callable[[str, int], int]  # (instruction text, pc) -> 32-bit word


@dataclass
class _Sec:
    name: str
    data: bytearray = field(default_factory=bytearray)
    align: int = 1
    executable: bool = False
    nobits: bool = False
    pool: list[tuple[str, int, Linear, int]] = field(default_factory=list)  # label, size, value


@dataclass
class _Pending:
    """Work for the second pass: an instruction or a data value waiting for all labels."""

    section: str
    offset: int
    line: int
    text: str
    size: int = 4  # 4 for instructions, the item size for data
    data: bool = False
    seq: int = 0  # statement number, for numeric label references (1f, 1b)


_SECTION_FLAGS = {".text": (True, False), ".data": (False, False), ".rodata": (False, False),
                  ".bss": (False, True)}
_IGNORED = {
    ".arch", ".arch_extension", ".cpu", ".file", ".ident", ".loc", ".hidden", ".protected",
    ".internal", ".weak_definition", ".addrsig", ".addrsig_sym", ".note", ".end", ".abicalls",
    ".size_note", ".fpu", ".tlsdesccall", ".variant_pcs", ".weakref",
}
_DATA_SIZES = {
    ".byte": 1, ".1byte": 1, ".hword": 2, ".short": 2, ".2byte": 2, ".half": 2,
    ".word": 4, ".long": 4, ".int": 4, ".4byte": 4, ".inst": 4,
    ".quad": 8, ".xword": 8, ".dword": 8, ".8byte": 8,
}
_CPP = re.compile(r"\s*#\s*(include|define|undef|if|ifdef|ifndef|elif|else|endif|error|pragma)"
                  r"\b")
_LABEL = re.compile(r"\s*([A-Za-z_.$][\w.$]*|\d+)\s*:(?!:)")


class AssemblerError(ParseError):
    """An assembly source error, with file, line and the offending line."""


def _strip_block_comments(text: str) -> str:
    """Remove `/* ... */`, keeping newlines so that line numbers stay right."""
    return re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def _split_statements(line: str) -> list[str]:
    """Cut at `;` and `//` outside string and character literals."""
    out, cur, quote, i = [], [], "", 0
    while i < len(line):
        c = line[i]
        if quote:
            cur.append(c)
            if c == "\\" and i + 1 < len(line):
                cur.append(line[i + 1])
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'" and not (c == "'" and i + 2 < len(line) and line[i + 2] != "'"
                                 and line[i + 1] != "\\"):
            quote = c
            cur.append(c)
        elif line.startswith("//", i):
            break
        elif c == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def split_operands(text: str) -> list[str]:
    """Top-level comma split (commas inside [], {} and () stay)."""
    out, depth, cur, quote = [], 0, [], ""
    for c in text:
        if quote:
            quote = "" if c == quote else quote
        elif c == '"':
            quote = c
        elif c in "[{(":
            depth += 1
        elif c in "]})":
            depth -= 1
        elif c == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
            continue
        cur.append(c)
    last = "".join(cur).strip()
    if last or out:
        out.append(last)
    return out


def _parse_string(text: str) -> bytes:
    """A C-style string literal body (without quotes)."""
    out = bytearray()
    i = 0
    simple = {"n": 10, "t": 9, "r": 13, "b": 8, "f": 12, "v": 11, "a": 7, "\\": 92, '"': 34,
              "'": 39}
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        nxt = text[i + 1:i + 2]
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif nxt == "x":
            m = re.match(r"[0-9a-fA-F]{1,2}", text[i + 2:])
            if not m:
                raise ExprError("\\x needs hex digits")
            out.append(int(m.group(0), 16))
            i += 2 + len(m.group(0))
        elif nxt.isdigit():
            m = re.match(r"[0-7]{1,3}", text[i + 1:])
            assert m is not None
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        else:
            raise ExprError(f"unknown escape \\{nxt}")
    return bytes(out)


class Assembler:
    """Two passes: the first lays out sections and defines labels (every instruction is four
    bytes, so offsets are exact), the second encodes instructions and data values."""

    def __init__(self, encoder: Encoder, filename: str = "<asm>") -> None:
        self.encode = encoder
        self.filename = filename
        self.sections: dict[str, _Sec] = {}
        self.labels: dict[str, tuple[str, int]] = {}
        self.numeric: dict[str, list[tuple[str, int, int]]] = {}  # "1" -> [(sec, off, seq)]
        self.sets: dict[str, Linear] = {}
        self.globals: set[str] = set()
        self.weak: set[str] = set()
        self.types: dict[str, str] = {}
        self.sizes: dict[str, tuple[str, str, int, int, int]] = {}
        self.pending: list[_Pending] = []
        self.relocations: list[reloc.Relocation] = []
        self.stack: list[str] = []
        self.previous = ".text"
        self.current = self._section(".text")
        self.lines: list[str] = []
        self.seq = 0  # statement counter, orders numeric labels against references
        self.macros = MacroProcessor(self)
        self.cfi = CfiBuilder(self)

    # -- errors -------------------------------------------------------------------------
    def error(self, message: str, line: int) -> AssemblerError:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        return AssemblerError(message, source=self.filename, line=line, column=1, context=text)

    # -- sections -----------------------------------------------------------------------
    def _section(self, name: str, executable: bool | None = None) -> _Sec:
        sec = self.sections.get(name)
        if sec is None:
            exe, nobits = _SECTION_FLAGS.get(name, (name.startswith(".text"), False))
            if name.startswith(".bss"):
                nobits = True
            sec = _Sec(name, executable=exe if executable is None else executable,
                       nobits=nobits)
            self.sections[name] = sec
        return sec

    def _switch(self, name: str, executable: bool | None = None) -> None:
        self.previous = self.current.name
        self.current = self._section(name, executable)

    # -- symbol values ------------------------------------------------------------------
    def _resolver(self, section: str, offset: int, seq: int) -> Callable[[str], Linear]:
        def resolve(name: str) -> Linear:
            if name == ".":
                return Linear.of(offset, {section: 1})
            if re.fullmatch(r"\d+[fb]", name):
                defs = self.numeric.get(name[:-1], [])
                if name[-1] == "b":
                    found = [d for d in defs if d[2] < seq]
                    target = found[-1] if found else None
                else:
                    later = [d for d in defs if d[2] >= seq]
                    target = later[0] if later else None
                if target is None:
                    raise ExprError(f"numeric label reference {name} has no target")
                return Linear.of(target[1], {target[0]: 1})
            if name in self.sets:
                return self.sets[name]
            if name in self.labels and name not in self.globals:
                sec, off = self.labels[name]
                return Linear.of(off, {sec: 1})
            return Linear.of(0, {name: 1})  # global or undefined: stays a symbol
        return resolve

    def value(self, text: str, section: str, offset: int, seq: int) -> Linear:
        return evaluate(text, self._resolver(section, offset, seq))

    def constant(self, text: str, line: int) -> int:
        try:
            v = self.value(text, self.current.name, len(self.current.data), self.seq)
        except ExprError as exc:
            raise self.error(str(exc), line) from None
        v = self._fold_labels(v)
        if not v.is_const:
            raise self.error(f"expression {text!r} must be a constant here", line)
        return v.const

    def _fold_labels(self, v: Linear) -> Linear:
        """Global labels defined here cancel in differences (`f_end - f`): fold them."""
        terms = v.term_dict()
        const = v.const
        for name in list(terms):
            if name in self.globals and name in self.labels:
                sec, off = self.labels[name]
                coeff = terms.pop(name)
                terms[sec] = terms.get(sec, 0) + coeff
                const += coeff * off
        folded = Linear.of(const, terms)
        return folded if folded.is_const else v

    # -- first pass -----------------------------------------------------------------------
    def run(self, source: str) -> Unit:
        self.lines = source.splitlines()
        work: deque[tuple[int, str]] = deque()
        for lineno, line in enumerate(_strip_block_comments(source).splitlines(), 1):
            if line.lstrip().startswith("#"):
                if _CPP.match(line):
                    raise self.error("C preprocessor directive: preprocess the file first "
                                     "(e.g. `clang -E -x assembler-with-cpp`)", lineno)
                continue  # a comment line, or a preprocessor line marker `# 12 "file.S"`
            work.extend((lineno, stmt) for stmt in _split_statements(line))
        while work:
            lineno, stmt = work.popleft()
            if not self.macros.handle(stmt, lineno, work):
                self.statement(stmt, lineno)
        self.macros.finish()
        for sec in list(self.sections.values()):
            self._flush_pool(sec)
        for item in self.pending:
            self.second_pass(item)
        return self.finish()

    def statement(self, stmt: str, line: int) -> None:
        while True:
            m = _LABEL.match(stmt)
            if not m:
                break
            self.define_label(m.group(1), line)
            stmt = stmt[m.end():]
        stmt = stmt.strip()
        if not stmt:
            return
        self.seq += 1
        head, _, rest = stmt.partition(" ")
        if "\t" in head:
            head, _, more = head.partition("\t")
            rest = more + " " + rest
        rest = rest.strip()
        if head.startswith("."):
            self.directive(head.lower(), rest, line)
        else:
            self.instruction(head.lower(), rest, line)

    def define_label(self, name: str, line: int) -> None:
        sec = self.current
        if name.isdigit():
            self.numeric.setdefault(name, []).append((sec.name, len(sec.data), self.seq))
            return
        if name in self.labels or name in self.sets:
            raise self.error(f"symbol {name!r} is already defined", line)
        self.labels[name] = (sec.name, len(sec.data))

    def emit(self, data: bytes) -> None:
        self.current.data += data

    def align(self, boundary: int, line: int, fill: int | None = None,
              max_skip: int | None = None) -> None:
        if boundary <= 0 or boundary & (boundary - 1):
            raise self.error(f"alignment {boundary} is not a power of two", line)
        sec = self.current
        sec.align = max(sec.align, boundary)
        pad = -len(sec.data) % boundary
        if max_skip is not None and pad > max_skip:
            return
        if fill is None and sec.executable:
            # Like LLVM: zero bytes up to a word boundary, then NOPs.
            head = pad % 4
            self.emit(bytes(head) + NOP.to_bytes(4, "little") * (pad // 4))
        else:
            self.emit(bytes([fill or 0]) * pad)

    def directive(self, name: str, rest: str, line: int) -> None:
        from assay.models.armv8.gas_directives import handle_directive
        handle_directive(self, name, rest, line)

    def data_items(self, size: int, rest: str, line: int, *, instruction: bool = False) -> None:
        for item in split_operands(rest):
            if not item:
                raise self.error("missing value", line)
            sec = self.current
            self.pending.append(_Pending(sec.name, len(sec.data), line, item, size, True,
                                         self.seq))
            self.emit(bytes(size))
            if instruction:
                sec.align = max(sec.align, 4)  # as LLVM: code makes a section word-aligned

    def instruction(self, mnemonic: str, rest: str, line: int) -> None:
        sec = self.current
        rest = self.macros.substitute_aliases(rest)
        # A misaligned instruction is kept where it is, as clang does (it cannot execute).
        m = re.fullmatch(r"(ldr|ldrsw)\s*", mnemonic) and re.match(
            r"([^,]+),\s*=\s*(.+)$", rest)
        if m:
            rest, mnemonic = self._literal(sec, m.group(1).strip(), m.group(2), line)
        sec.align = max(sec.align, 4)
        self.pending.append(_Pending(sec.name, len(sec.data), line,
                                     f"{mnemonic} {rest}".strip(), seq=self.seq))
        self.emit(bytes(4))

    def _literal(self, sec: _Sec, reg: str, expr: str, line: int) -> tuple[str, str]:
        """`ldr Rt, =expr`: put expr in the section's literal pool and load it PC-relative
        (or build it with one MOVZ); returns the operands and the mnemonic to use."""
        size = 4 if reg.lower().startswith(("w", "s")) else 8
        try:
            value = self.value(expr, sec.name, len(sec.data), self.seq)
        except ExprError as exc:
            raise self.error(str(exc), line) from None
        if value.is_const and reg.lower()[:1] in "wx":
            # As LLVM does: a constant that one MOVZ can build is not put in the pool.
            bits = value.const & ((1 << (8 * size)) - 1)
            for shift in range(0, 8 * size, 16):
                if bits & ~(0xFFFF << shift) == 0:
                    return f"{reg}, #{bits >> shift}, lsl #{shift}", "movz"
        for label, psize, pvalue, _ in sec.pool:
            if psize == size and pvalue == value:
                return f"{reg}, {label}", "ldr"
        label = f".Lassay_pool{len(self.labels)}_{len(sec.pool)}"
        sec.pool.append((label, size, value, line))
        return f"{reg}, {label}", "ldr"

    def _flush_pool(self, sec: _Sec) -> None:
        if not sec.pool:
            return
        saved = self.current
        self.current = sec
        for label, size, value, line in sec.pool:
            self.align(size, line, fill=0)
            self.labels[label] = (sec.name, len(sec.data))
            text = str(value.const) if value.is_const else "+".join(
                [f"({c})*{n}" for n, c in value.terms] + [str(value.const)])
            self.pending.append(_Pending(sec.name, len(sec.data), line, text, size, True,
                                         self.seq))
            self.emit(bytes(size))
        sec.pool = []
        self.current = saved

    # -- second pass ----------------------------------------------------------------------
    def second_pass(self, item: _Pending) -> None:
        seq = item.seq
        buf = self.sections[item.section].data
        try:
            if item.data:
                self._data_value(item, buf, seq)
            else:
                self._instruction_value(item, buf, seq)
        except (ExprError, reloc.RelocationError) as exc:
            raise self.error(str(exc), item.line) from None

    def _data_value(self, item: _Pending, buf: bytearray, seq: int) -> None:
        v = self._fold_labels(self.value(item.text, item.section, item.offset, seq))
        if v.is_const:
            lo, hi = -(1 << (8 * item.size - 1)), 1 << (8 * item.size)
            if not lo <= v.const < hi:
                raise ExprError(f"value {v.const} does not fit in {item.size} bytes")
            buf[item.offset:item.offset + item.size] = \
                (v.const & ((1 << (8 * item.size)) - 1)).to_bytes(item.size, "little")
            return
        kinds = {8: (reloc.R_AARCH64_ABS64, reloc.R_AARCH64_PREL64),
                 4: (reloc.R_AARCH64_ABS32, reloc.R_AARCH64_PREL32),
                 2: (reloc.R_AARCH64_ABS16, reloc.R_AARCH64_PREL16)}
        if item.size not in kinds:
            raise ExprError("a symbol cannot be stored in a single byte")
        absolute, relative = kinds[item.size]
        terms = v.term_dict()
        pcrel = terms.get(item.section) == -1 and len(terms) == 2
        if pcrel:
            terms.pop(item.section)
            (symbol, coeff), = terms.items()
            if coeff == 1:
                self.relocations.append(reloc.Relocation(
                    item.section, item.offset, relative, symbol, v.const + item.offset))
                return
        if len(terms) == 1 and next(iter(terms.values())) == 1:
            (symbol,) = terms
            self.relocations.append(reloc.Relocation(
                item.section, item.offset, absolute, symbol, v.const))
            return
        raise ExprError(f"expression {item.text!r} is not a constant, an address, or an "
                        "address minus the current location")

    def _instruction_value(self, item: _Pending, buf: bytearray, seq: int) -> None:
        resolve = self._resolver(item.section, item.offset, seq)
        fix: InstructionFixups = plan_instruction(item.text, lambda t: self._fold_labels(
            evaluate(t, resolve)), item.offset)
        try:
            word = self.encode(fix.text, item.offset)
        except AssayError as exc:
            for other in alternative_spellings(fix.text):
                try:
                    word = self.encode(other, item.offset)
                    break
                except AssayError:
                    continue
            else:
                raise ExprError(str(exc)) from None
        buf[item.offset:item.offset + 4] = word.to_bytes(4, "little")
        for kind, target in fix.fixups:
            terms = target.term_dict()
            if len(terms) != 1 or next(iter(terms.values())) != 1:
                raise ExprError(f"operand of {fix.text.split()[0]} must be a label plus a "
                                "constant")
            (symbol,) = terms
            local = symbol == item.section and kind in reloc.RESOLVED_LOCALLY
            if local:
                reloc.apply(buf, item.offset, kind, target.const, item.offset)
            else:
                self.relocations.append(reloc.Relocation(item.section, item.offset, kind,
                                                         symbol, target.const))

    def finish(self) -> Unit:
        sections = [Section(s.name, s.data, s.align, s.executable, s.nobits)
                    for s in self.sections.values() if s.data or s.name == ".text"]
        eh_frame = self.cfi.emit(self.relocations)
        if eh_frame is not None:
            sections.append(Section(".eh_frame", eh_frame, 8))
        symbols = []
        for name, (sec, off) in self.labels.items():
            if name.startswith(".L"):
                continue
            binding = "weak" if name in self.weak else \
                "global" if name in self.globals else "local"
            size = self._size_of(name)
            symbols.append(UnitSymbol(name, sec, off, size, self.types.get(name, "notype"),
                                      binding))
        for name in sorted(self.globals - set(self.labels) - set(self.sets)):
            symbols.append(UnitSymbol(name, "", 0, 0, self.types.get(name, "notype"),
                                      "weak" if name in self.weak else "global"))
        return Unit(sections, symbols, self.relocations)

    def _size_of(self, name: str) -> int:
        if name not in self.sizes:
            return 0
        expr, section, offset, seq, line = self.sizes[name]
        try:
            v = self._fold_labels(self.value(expr, section, offset, seq))
        except ExprError as exc:
            raise self.error(str(exc), line) from None
        if not v.is_const:
            raise self.error(f".size expression {expr!r} is not a constant", line)
        return v.const


def assemble(source: str, filename: str = "<asm>", encoder: Encoder | None = None) -> Unit:
    """Assemble GNU-syntax AArch64 source into a relocatable `Unit`."""
    if encoder is None:
        encoder = table_encoder
    return Assembler(encoder, filename).run(source)


def table_encoder(text: str, pc: int) -> int:
    """The table-derived instruction assembler (`asm.py`) at address `pc`."""
    from assay.models.armv8.asm import assemble_instruction
    from assay.models.armv8.operands import AsmContext
    return assemble_instruction(text, AsmContext(pc))


def assemble_source(text: str, filename: str = "<asm>", base: int = 0) -> bytes:
    """`assay arm asm`: assemble and link at `base` into one flat binary (sections in order)."""
    return assemble(text, filename).flat(base)


def assemble_object(text: str, filename: str = "<asm>") -> bytes:
    """`assay arm asm FILE.s -o FILE.o`: an ELF relocatable object."""
    from assay.models.armv8.elf_writer import write_object
    return write_object(assemble(text, filename))
