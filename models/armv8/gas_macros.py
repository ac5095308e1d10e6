"""Macros, repetition and conditional assembly for Assay's GNU-syntax assembler.

Hand-written crypto assembly (the Linux kernel's, CRYPTOGAMS before perlasm expansion) leans on
`.macro/.endm` (parameters with defaults, `:req`, `:vararg`, `\\param`, `\\()`, `\\@`),
`.rept/.irp/.irpc ... .endr`, `.if/.ifdef/.ifndef/.ifc/.ifnc/.ifeq/.ifne/.ifb/.ifnb/.else/
.elseif/.endif`, and register aliases `name .req xN` / `.unreq`. Expansion is streaming, as in
GNU as: a statement's expansion is pushed to the front of the work queue, so `.if` sees the
symbols defined so far. No recursion: nesting is a counter, expansion a queue, with a bound on
the number of expansions so that a self-invoking macro is reported instead of looping.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assay.models.armv8.gas import Assembler

MAX_EXPANSIONS = 50_000
_OPEN_BLOCK = {".macro": ".endm", ".rept": ".endr", ".irp": ".endr", ".irpc": ".endr"}
_CONDITIONALS = (".if", ".ifdef", ".ifndef", ".ifeq", ".ifne", ".ifc", ".ifnc", ".ifb",
                 ".ifnb", ".ifgt", ".ifge", ".iflt", ".ifle", ".ifeqs", ".ifnes")
_HEAD = re.compile(r"\s*((?:[A-Za-z_.$][\w.$]*|\d+)\s*:(?!:)\s*)*")
_REQ = re.compile(r"\s*([A-Za-z_][\w]*)\s+\.req\s+([A-Za-z0-9_.]+)\s*$", re.I)


@dataclass
class Macro:
    name: str
    params: list[tuple[str, str | None, str]]  # (name, default, qualifier: "", "req", "vararg")
    body: list[tuple[int, str]]
    line: int


@dataclass
class _Block:
    kind: str  # .macro, .rept, .irp, .irpc
    args: str
    line: int
    depth: int = 1
    body: list[tuple[int, str]] = field(default_factory=list)


def _split_args(text: str) -> list[str]:
    """Macro-call arguments: comma-separated, or blank-separated when there are no commas
    (outside quotes and brackets); a quoted argument loses its quotes."""
    args: list[str] = []
    cur: list[str] = []
    quote, depth = False, 0
    separators = "," if re.search(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", text) else " \t"
    for c in text.strip():
        if c == '"':
            quote = not quote
        elif not quote and c in "([{":
            depth += 1
        elif not quote and c in ")]}":
            depth -= 1
        if c in separators and not quote and depth == 0:
            if cur or separators == ",":
                args.append("".join(cur).strip())
            cur = []
            continue
        cur.append(c)
    if cur or args:
        args.append("".join(cur).strip())
    return [a[1:-1] if len(a) >= 2 and a[0] == a[-1] == '"' else a for a in args]


class MacroProcessor:
    """Owns the macro table, the conditional stack and the register aliases."""

    def __init__(self, asm: Assembler) -> None:
        self.asm = asm
        self.macros: dict[str, Macro] = {}
        self.block: _Block | None = None
        self.conditions: list[tuple[bool, bool]] = []  # (active, some branch already taken)
        self.aliases: dict[str, str] = {}
        self.expansions = 0
        self.counter = 0

    @property
    def active(self) -> bool:
        return all(active for active, _ in self.conditions)

    def finish(self) -> None:
        if self.block is not None:
            raise self.asm.error(f"{self.block.kind} without {_OPEN_BLOCK[self.block.kind]}",
                                 self.block.line)
        if self.conditions:
            raise self.asm.error(".if without .endif", len(self.asm.lines))

    # -- the entry point: returns True when the statement was consumed here ----------------
    def handle(self, stmt: str, line: int, work: deque[tuple[int, str]]) -> bool:
        head_len = _HEAD.match(stmt).end()  # type: ignore[union-attr]
        word = stmt[head_len:].split(None, 1)
        name = word[0].lower() if word else ""
        rest = word[1] if len(word) > 1 else ""
        if self.block is not None:
            self._collect(stmt, name, line, work)
            return True
        if name in _CONDITIONALS or name in (".else", ".elseif", ".endif"):
            self._conditional(name, rest, line)
            return True
        if not self.active:
            return True
        if name in _OPEN_BLOCK:
            if head_len:
                self.asm.statement(stmt[:head_len], line)
            self.block = _Block(name, rest, line)
            return True
        if name in (".endm", ".endr"):
            raise self.asm.error(f"{name} without a matching block", line)
        if name == ".purgem":
            self.macros.pop(rest.strip(), None)
            return True
        if name == ".exitm":
            raise self.asm.error(".exitm outside a macro", line)
        m = _REQ.match(stmt)
        if m:
            self.aliases[m.group(1)] = m.group(2)
            return True
        if name == ".unreq":
            self.aliases.pop(rest.strip(), None)
            return True
        if word and word[0] in self.macros:
            if head_len:
                self.asm.statement(stmt[:head_len], line)
            self._expand(self.macros[word[0]], rest, line, work)
            return True
        return False

    def substitute_aliases(self, operands: str) -> str:
        if not self.aliases:
            return operands
        pattern = r"\b(" + "|".join(map(re.escape, self.aliases)) + r")\b"
        return re.sub(pattern, lambda m: self.aliases[m.group(1)], operands)

    # -- blocks ---------------------------------------------------------------------------
    def _collect(self, stmt: str, name: str, line: int, work: deque[tuple[int, str]]) -> None:
        block = self.block
        assert block is not None
        end = _OPEN_BLOCK[block.kind]
        if name in _OPEN_BLOCK and _OPEN_BLOCK[name] == end:
            block.depth += 1
        elif name == end:
            block.depth -= 1
            if block.depth == 0:
                self.block = None
                self._close(block, line, work)
                return
        block.body.append((line, stmt))

    def _close(self, block: _Block, line: int, work: deque[tuple[int, str]]) -> None:
        if block.kind == ".macro":
            parts = block.args.split(None, 1)
            if not parts:
                raise self.asm.error(".macro needs a name", block.line)
            spec_text = parts[1] if len(parts) > 1 else ""
            specs = spec_text.split(",") if "," in spec_text else spec_text.split()
            params = []
            for spec in specs:
                spec = spec.strip()
                if not spec:
                    continue
                pname, _, default = spec.partition("=")
                pname, _, qual = pname.strip().partition(":")
                params.append((pname.strip(), default.strip() if default else None, qual))
            self.macros[parts[0]] = Macro(parts[0], params, block.body, block.line)
            return
        if block.kind == ".rept":
            count = self.asm.constant(block.args or "0", block.line)
            self._push(block.body * max(count, 0), work, block.line)
            return
        from assay.models.armv8.gas import split_operands
        args = split_operands(block.args)
        if not args or not args[0]:
            raise self.asm.error(f"{block.kind} needs a parameter name", block.line)
        param = args[0]
        values = args[1:] if block.kind == ".irp" else list("".join(args[1:]))
        out: list[tuple[int, str]] = []
        for value in values or [""]:
            out += [(n, self._subst(s, {param: value})) for n, s in block.body]
        self._push(out, work, block.line)

    def _push(self, items: list[tuple[int, str]], work: deque[tuple[int, str]],
              line: int) -> None:
        self.expansions += 1
        if self.expansions > MAX_EXPANSIONS or len(items) + len(work) > 10 * MAX_EXPANSIONS:
            raise self.asm.error("macro expansion does not terminate (too many expansions)",
                                 line)
        work.extendleft(reversed(items))

    def _expand(self, macro: Macro, rest: str, line: int, work: deque[tuple[int, str]]) -> None:
        args = _split_args(rest)
        values: dict[str, str] = {}
        positional = [a for a in args if not re.match(r"\w+\s*=", a)]
        for a in args:
            m = re.match(r"(\w+)\s*=(.*)$", a)
            if m and any(p[0] == m.group(1) for p in macro.params):
                values[m.group(1)] = m.group(2).strip()
        for i, (pname, default, qual) in enumerate(macro.params):
            if pname in values:
                continue
            if qual == "vararg":
                values[pname] = ", ".join(positional[i:])
            elif i < len(positional):
                values[pname] = positional[i]
            elif qual == "req":
                raise self.asm.error(f"macro {macro.name}: missing value for {pname}", line)
            else:
                values[pname] = default or ""
        self.counter += 1
        body: list[tuple[int, str]] = []
        for _, stmt in macro.body:
            if stmt.strip().lower() == ".exitm":
                break
            body.append((line, self._subst(stmt, values)))
        self._push(body, work, line)

    def _subst(self, text: str, values: dict[str, str]) -> str:
        def repl(m: re.Match[str]) -> str:
            name = m.group(1)
            if name == "()":
                return ""
            if name == "@":
                return str(self.counter)
            return values.get(name, m.group(0))
        return re.sub(r"\\(\(\)|@|[A-Za-z_][\w]*)", repl, text)

    # -- conditionals ---------------------------------------------------------------------
    def _conditional(self, name: str, rest: str, line: int) -> None:
        if name == ".endif":
            if not self.conditions:
                raise self.asm.error(".endif without .if", line)
            self.conditions.pop()
            return
        if name in (".else", ".elseif"):
            if not self.conditions:
                raise self.asm.error(f"{name} without .if", line)
            _, taken = self.conditions.pop()
            outer = self.active
            if taken or not outer:
                self.conditions.append((False, True))
            else:
                value = True if name == ".else" else self._test(".if", rest, line)
                self.conditions.append((value, value))
            return
        if not self.active:
            self.conditions.append((False, True))  # nested in a skipped branch
            return
        value = self._test(name, rest, line)
        self.conditions.append((value, value))

    def _test(self, name: str, rest: str, line: int) -> bool:
        if name in (".ifdef", ".ifndef"):
            sym = rest.strip()
            defined = sym in self.asm.labels or sym in self.asm.sets
            return defined if name == ".ifdef" else not defined
        if name in (".ifb", ".ifnb"):
            return (not rest.strip()) == (name == ".ifb")
        if name in (".ifc", ".ifnc", ".ifeqs", ".ifnes"):
            from assay.models.armv8.gas import split_operands
            parts = split_operands(rest)
            if len(parts) != 2:
                raise self.asm.error(f"{name} needs two operands", line)
            same = parts[0].strip().strip('"') == parts[1].strip().strip('"')
            return same if name in (".ifc", ".ifeqs") else not same
        v = self.asm.constant(rest, line)
        return {".if": v != 0, ".ifne": v != 0, ".ifeq": v == 0, ".ifgt": v > 0,
                ".ifge": v >= 0, ".iflt": v < 0, ".ifle": v <= 0}[name]
