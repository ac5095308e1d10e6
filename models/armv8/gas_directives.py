"""The directives of Assay's GNU-syntax assembler (`gas.py`), one handler per family.

Each handler acts on the `Assembler`'s first-pass state: it switches sections, emits bytes,
aligns, defines symbols, or queues data values whose symbols are resolved in the second pass.
Directives that only carry metadata for debuggers or linkers are accepted and ignored; any other
directive is reported as unsupported, never skipped silently.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assay.models.armv8.gas_expr import ExprError

if TYPE_CHECKING:
    from assay.models.armv8.gas import Assembler

_NAME = re.compile(r"[A-Za-z_.$][\w.$]*\Z")


def _names(asm: Assembler, rest: str, line: int) -> list[str]:
    from assay.models.armv8.gas import split_operands
    names = [n.strip() for n in split_operands(rest)]
    for n in names:
        if not _NAME.match(n):
            raise asm.error(f"{n!r} is not a symbol name", line)
    return names


def _section_directive(asm: Assembler, rest: str, line: int) -> None:
    from assay.models.armv8.gas import split_operands
    parts = split_operands(rest)
    if not parts or not parts[0]:
        raise asm.error(".section needs a name", line)
    name = parts[0].strip('"')
    executable = None
    if len(parts) > 1:
        flags = parts[1].strip().strip('"')
        executable = "x" in flags
    asm._switch(name, executable)


def _strings(asm: Assembler, rest: str, line: int, terminate: bool) -> None:
    from assay.models.armv8.gas import _parse_string
    pos = 0
    found = False
    for m in re.finditer(r'\s*"((?:\\.|[^"\\])*)"\s*(,|$)', rest):
        if m.start() != pos:
            break
        found = True
        pos = m.end()
        try:
            asm.emit(_parse_string(m.group(1)) + (b"\0" if terminate else b""))
        except ExprError as exc:
            raise asm.error(str(exc), line) from None
    if not found or pos != len(rest):
        raise asm.error("expected one or more string literals", line)


def handle_directive(asm: Assembler, name: str, rest: str, line: int) -> None:
    from assay.models.armv8.gas import _DATA_SIZES, _IGNORED, split_operands
    args = split_operands(rest)
    if name in (".text", ".data", ".rodata", ".bss"):
        if args and args[0]:
            raise asm.error(f"{name} subsections are not supported", line)
        asm._switch(name)
    elif name == ".section":
        _section_directive(asm, rest, line)
    elif name == ".pushsection":
        asm.stack.append(asm.current.name)
        _section_directive(asm, rest, line)
    elif name == ".popsection":
        if not asm.stack:
            raise asm.error(".popsection without .pushsection", line)
        asm._switch(asm.stack.pop())
    elif name == ".previous":
        asm._switch(asm.previous)
    elif name in _DATA_SIZES:
        asm.data_items(_DATA_SIZES[name], rest, line, instruction=name == ".inst")
    elif name in (".ascii", ".asciz", ".string"):
        _strings(asm, rest, line, terminate=name != ".ascii")
    elif name in (".zero", ".space", ".skip"):
        if not args or len(args) > 2:
            raise asm.error(f"{name} needs a size and an optional fill byte", line)
        size = asm.constant(args[0], line)
        fill = asm.constant(args[1], line) if len(args) == 2 else 0
        if size < 0:
            raise asm.error(f"{name} size {size} is negative", line)
        asm.emit(bytes([fill & 0xFF]) * size)
    elif name == ".fill":
        values = [asm.constant(a, line) for a in args] + [1, 0][len(args) - 1:]
        if not 1 <= len(args) <= 3:
            raise asm.error(".fill needs repeat[, size[, value]]", line)
        repeat, size, value = values[:3]
        size = min(size, 8)
        asm.emit((value & ((1 << (8 * size)) - 1)).to_bytes(size, "little") * repeat)
    elif name in (".align", ".p2align", ".balign"):
        if not args or not args[0]:
            raise asm.error(f"{name} needs an alignment", line)
        amount = asm.constant(args[0], line)
        fill = asm.constant(args[1], line) if len(args) > 1 and args[1] else None
        max_skip = asm.constant(args[2], line) if len(args) > 2 else None
        if name != ".balign":
            if not 0 <= amount <= 16:
                raise asm.error(f"{name} {amount}: exponent out of range", line)
            amount = 1 << amount
        asm.align(amount, line, fill, max_skip)
    elif name in (".globl", ".global"):
        asm.globals.update(_names(asm, rest, line))
    elif name == ".weak":
        names = _names(asm, rest, line)
        asm.globals.update(names)
        asm.weak.update(names)
    elif name == ".local":
        _names(asm, rest, line)
    elif name == ".type":
        if len(args) != 2:
            raise asm.error(".type needs a symbol and a type", line)
        kind = args[1].strip().lstrip("%@").lower()
        asm.types[args[0]] = {"function": "func", "object": "object"}.get(kind, "notype")
    elif name == ".size":
        if len(args) != 2:
            raise asm.error(".size needs a symbol and an expression", line)
        asm.sizes[args[0]] = (args[1], asm.current.name, len(asm.current.data), asm.seq, line)
    elif name in (".set", ".equ"):
        if len(args) != 2 or not _NAME.match(args[0]):
            raise asm.error(f"{name} needs a symbol and an expression", line)
        if args[0] in asm.labels:
            raise asm.error(f"symbol {args[0]!r} is already defined", line)
        try:
            asm.sets[args[0]] = asm.value(args[1], asm.current.name, len(asm.current.data),
                                          asm.seq)
        except ExprError as exc:
            raise asm.error(str(exc), line) from None
    elif name == ".ltorg" or name == ".pool":
        asm._flush_pool(asm.current)
    elif name.startswith(".cfi_"):
        asm.cfi.handle(name, args, line)
    elif name in _IGNORED:
        return
    else:
        raise asm.error(f"unsupported directive {name}", line)
