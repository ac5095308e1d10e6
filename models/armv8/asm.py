"""The instruction assembler, derived from the encoding tables: one line of GNU syntax to one
32-bit word. Every accepted word is checked by decoding it again, so assembly never produces a
word the decoder reads differently (round trip by construction).

Directives, labels and sections belong to the assembly-file front end, which calls
`assemble_instruction` with an `AsmContext` carrying the address and symbol resolver.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from assay.core.errors import ParseError

from .encoding import Alias, Encoding
from .operands import AsmContext, setf, split_operands
from .registry import encodings, find


class AsmError(ParseError):
    """An instruction that no table row can encode."""


Candidate = tuple[Encoding, Alias | None]


@lru_cache(maxsize=1)
def _index() -> dict[str, list[Candidate]]:
    idx: dict[str, list[Candidate]] = {}
    for e in encodings():
        for a in e.aliases:
            idx.setdefault(a.mnemonic, []).append((e, a))
        if not e.disasm_only:
            idx.setdefault(e.mnemonic, []).append((e, None))
    for cands in idx.values():
        cands.sort(key=lambda c: c[1].asm_priority if c[1] else 0)
    return idx


def mnemonics() -> list[str]:
    return sorted(_index())


def _try(e: Encoding, alias: Alias | None, tokens: Sequence[str], ctx: AsmContext) -> int | None:
    f: dict[str, int] = dict(alias.fixed) if alias else {}
    for fs in e.fields:
        if fs.fixed is not None and not setf(f, fs.name, fs.fixed):
            return None
    operands = alias.operands if alias else e.operands
    i = 0
    for op in operands:
        if i < len(tokens) and op.parse(tokens[i], f, ctx):
            i += 1
        elif not (op.optional and op.default(f)):
            return None
    if i != len(tokens):
        return None
    if e.complete is not None:
        e.complete(f)
    try:
        word = e.encode(f)
    except (KeyError, ValueError):
        return None
    r = find(word)
    if r is None or r[0] is not e:
        return None
    if alias is not None and not alias.when(r[1]):
        return None
    return word


def assemble_instruction(line: str, ctx: AsmContext | None = None) -> int:
    """Encode one instruction (`add x0, x1, #16`); raises AsmError."""
    ctx = ctx or AsmContext()
    text = line.strip()
    m = re.match(r"([A-Za-z][\w.]*)\s*(.*)$", text)
    if not m:
        raise AsmError(f"expected an instruction, got {line!r}")
    mnemonic, rest = m.group(1).lower(), m.group(2)
    tokens = split_operands(rest)
    cands = _index().get(mnemonic)
    if cands is None and "." in mnemonic:
        head, cond = mnemonic.split(".", 1)
        cands = _index().get(f"{head}.<cond>")
        tokens = [cond, *tokens]
    if cands is None:
        raise AsmError(f"unknown or unsupported mnemonic {mnemonic!r} in {line.strip()!r}")
    for e, alias in cands:
        word = _try(e, alias, tokens, ctx)
        if word is not None:
            return word
    raise AsmError(f"cannot encode {line.strip()!r}: operands fit no form of {mnemonic!r}")


def assemble_lines(text: str, base: int = 0) -> bytes:
    """A minimal listing assembler: one instruction per line, `//` comments, `label:` lines
    (backward and forward), and `.inst`/`.word`. The full GNU front end extends this."""
    lines = []
    labels: dict[str, int] = {}
    pc = base
    for n, raw in enumerate(text.splitlines(), 1):
        line = re.split(r"//|;", raw, maxsplit=1)[0].strip()
        while (m := re.match(r"([A-Za-z_.$][\w.$]*):\s*(.*)$", line)):
            labels[m.group(1)] = pc
            line = m.group(2).strip()
        if line:
            lines.append((n, pc, line))
            pc += 4
    out = bytearray()
    for n, pc, line in lines:
        m = re.match(r"\.(inst|word)\s+(.*)$", line)
        try:
            if m:
                word = int(m.group(2).strip(), 0) & 0xFFFFFFFF
            else:
                word = assemble_instruction(line, AsmContext(pc, labels.get))
        except (AsmError, ValueError) as exc:
            msg = exc.message if isinstance(exc, AsmError) else str(exc)
            raise AsmError(msg, line=n, column=1, context=line) from None
        out += word.to_bytes(4, "little")
    return bytes(out)
