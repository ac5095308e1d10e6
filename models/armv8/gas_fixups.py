"""Symbolic operands of AArch64 instructions: which relocation each one needs.

For an instruction such as `adrp x0, table`, `add x0, x0, :lo12:table+16`, `ldr q1, .Lconst`,
`b.ne 1b` or `movk x0, #:abs_g1_nc:sym`, `plan_instruction` evaluates the symbolic operand,
replaces it by a placeholder the table-driven assembler can encode (a branch to the instruction
itself, an offset of zero), and returns the ELF relocation type that fills the field in. The
assembler then patches the field with `reloc.apply` (local, same-section references) or records
the relocation. Operands like `#FOO*2` that are plain constant expressions are folded here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assay.models.armv8 import reloc
from assay.models.armv8.gas_expr import ExprError, Linear

_MOD = re.compile(r"#?\s*:([a-z0-9_]+):\s*")
_MOVW = {
    "abs_g0": reloc.R_AARCH64_MOVW_UABS_G0, "abs_g0_nc": reloc.R_AARCH64_MOVW_UABS_G0_NC,
    "abs_g1": reloc.R_AARCH64_MOVW_UABS_G1, "abs_g1_nc": reloc.R_AARCH64_MOVW_UABS_G1_NC,
    "abs_g2": reloc.R_AARCH64_MOVW_UABS_G2, "abs_g2_nc": reloc.R_AARCH64_MOVW_UABS_G2_NC,
    "abs_g3": reloc.R_AARCH64_MOVW_UABS_G3,
}
_MOVW_SHIFT = {"g0": 0, "g1": 16, "g2": 32, "g3": 48}
_LDST_BY_BYTES = {1: reloc.R_AARCH64_LDST8_ABS_LO12_NC, 2: reloc.R_AARCH64_LDST16_ABS_LO12_NC,
                  4: reloc.R_AARCH64_LDST32_ABS_LO12_NC, 8: reloc.R_AARCH64_LDST64_ABS_LO12_NC,
                  16: reloc.R_AARCH64_LDST128_ABS_LO12_NC}
_REG_BYTES = {"w": 4, "x": 8, "b": 1, "h": 2, "s": 4, "d": 8, "q": 16}
_CONDITIONS = ("eq ne cs hs cc lo mi pl vs vc hi ls ge lt gt le al nv").split()
# A plain register, shift/extend keyword or similar: never a symbol.
_NOT_SYMBOL = re.compile(r"(?i)^(?:[xwvqdshb]\d+|sp|wsp|xzr|wzr|lr|fp)(?:\.\w+)?$")


_UNSCALABLE = re.compile(r"(ld|st)r((?:b|h|sb|sh|sw)?\s+[^\[]*\[[^\]]*#[^\]]*\])\s*$")
_NEGATED = {"add": "sub", "sub": "add", "adds": "subs", "subs": "adds", "cmp": "cmn",
            "cmn": "cmp"}
_SHIFT_HASH = re.compile(r"\b(lsl|lsr|asr|ror|msl|[su]xt[bhwx])#", re.I)


def alternative_spellings(text: str) -> list[str]:
    """Other encodings GNU as and LLVM pick when the written form has none:
    `ldr x0, [x1, #-8]` is LDUR, `sub x0, x1, #-5` is ADD #5, `cmp x0, #-1` is CMN #1."""
    out = []
    m = _UNSCALABLE.match(text)
    if m:
        out.append(f"{m.group(1)}ur{m.group(2)}")
    mnemonic, _, rest = text.partition(" ")
    m = re.match(r"(.*,\s*)#\s*-\s*(0x[0-9a-f]+|\d+)(\s*(?:,\s*lsl\s*#\s*12)?)\s*$", rest,
                 re.I)
    if mnemonic in _NEGATED and m and int(m.group(2), 0):
        out.append(f"{_NEGATED[mnemonic]} {m.group(1)}#{m.group(2)}{m.group(3)}")
    return out


@dataclass
class InstructionFixups:
    text: str
    fixups: list[tuple[int, Linear]] = field(default_factory=list)


def _split(operands: str) -> list[str]:
    from assay.models.armv8.gas import split_operands
    return split_operands(operands)


def _access_bytes(mnemonic: str, reg: str) -> int:
    if mnemonic.endswith("b"):
        return 1
    if mnemonic.endswith("h"):
        return 2
    if mnemonic == "ldrsw":
        return 4
    return _REG_BYTES.get(reg.strip()[:1].lower(), 8)


def _fold_hash_constants(op: str, value: Callable[[str], Linear]) -> str:
    """`#expr` with symbols or operators (not a plain number) -> `#<value>`."""
    m = re.match(r"(\s*#\s*)(.+?)(\s*[\]!]*\s*)$", op)
    if not m or re.fullmatch(r"-?(?:0x[0-9a-fA-F]+|\d+)", m.group(2).strip()):
        return op
    body = m.group(2)
    if body.startswith(":") or re.fullmatch(r"-?\d+\.\d*(?:e-?\d+)?", body):
        return op
    v = value(body)
    if not v.is_const:
        raise ExprError(f"immediate {body!r} must be a constant")
    return f"{m.group(1)}{v.const}{m.group(3)}"


def _fold_bracket_constants(op: str, value: Callable[[str], Linear]) -> str:
    """Fold `#expr` inside `[xn, #expr]` memory operands."""
    def repl(m: re.Match[str]) -> str:
        return _fold_hash_constants(m.group(0), value)
    return re.sub(r"#[^,\]]+", repl, op)


def plan_instruction(text: str, value: Callable[[str], Linear], pc: int = 0) -> InstructionFixups:
    """Placeholder text plus fixups for one instruction; `value` evaluates an expression."""
    mnemonic, _, rest = text.strip().partition(" ")
    mnemonic = mnemonic.lower()
    if mnemonic[1:] in _CONDITIONS and mnemonic[0] == "b":
        mnemonic = f"b.{mnemonic[1:]}"  # `bne` is `b.ne`
    rest = _SHIFT_HASH.sub(r"\1 #", rest)  # `lsl#4` is `lsl #4`
    ops = _split(rest) if rest.strip() else []
    fixups: list[tuple[int, Linear]] = []
    target_here = f"#0x{pc:x}"

    def label_operand(index: int, kind: int, placeholder: str) -> None:
        if index >= len(ops):
            return
        op = ops[index].strip()
        if op.startswith("#") or re.fullmatch(r"-?(?:0x[0-9a-fA-F]+|\d+)", op):
            body = op.lstrip("#").strip()
            v = value(body)
            if v.is_const:
                ops[index] = f"#{v.const}" if not op.startswith("#") else f"#0x{v.const:x}" \
                    if v.const >= 0 else f"#{v.const}"
                return
        if _NOT_SYMBOL.match(op):
            return
        fixups.append((kind, value(op.lstrip("#"))))
        ops[index] = placeholder

    if mnemonic in ("b", "bl"):
        kind = reloc.R_AARCH64_JUMP26 if mnemonic == "b" else reloc.R_AARCH64_CALL26
        label_operand(0, kind, target_here)
    elif mnemonic.startswith("b."):
        label_operand(0, reloc.R_AARCH64_CONDBR19, target_here)
    elif mnemonic in ("cbz", "cbnz"):
        label_operand(1, reloc.R_AARCH64_CONDBR19, target_here)
    elif mnemonic in ("tbz", "tbnz"):
        label_operand(2, reloc.R_AARCH64_TSTBR14, target_here)
    elif mnemonic == "adr":
        label_operand(1, reloc.R_AARCH64_ADR_PREL_LO21, target_here)
    elif mnemonic == "adrp":
        if len(ops) > 1:
            ops[1] = re.sub(r"^:pg_hi21:\s*", "", ops[1].strip())
        label_operand(1, reloc.R_AARCH64_ADR_PREL_PG_HI21, f"#0x{pc & ~0xFFF:x}")
    elif mnemonic in ("ldr", "ldrsw", "prfm") and len(ops) == 2 \
            and not ops[1].lstrip().startswith("["):
        label_operand(1, reloc.R_AARCH64_LD_PREL_LO19, target_here)
    for i, op in enumerate(ops):
        m = _MOD.search(op)
        if m:
            name = m.group(1)
            expr = op[m.end():].rstrip("]! ").strip()
            if name == "lo12":
                if mnemonic.startswith(("ld", "st", "prfm")):
                    kind = _LDST_BY_BYTES[_access_bytes(mnemonic, ops[0])]
                else:
                    kind = reloc.R_AARCH64_ADD_ABS_LO12_NC
                fixups.append((kind, value(expr)))
                ops[i] = op[:m.start()] + "#0" + op[len(op.rstrip("]! ")):]
            elif name in _MOVW:
                fixups.append((_MOVW[name], value(expr)))
                shift = _MOVW_SHIFT[name.split("_")[1]]
                ops[i] = "#0" + (f", lsl #{shift}" if shift else "")
            else:
                raise ExprError(f"relocation specifier :{name}: is not supported")
        elif "#" in op:
            ops[i] = _fold_bracket_constants(op, value) if "[" in op \
                else _fold_hash_constants(op, value)
    return InstructionFixups(f"{mnemonic} {', '.join(ops)}".strip(), fixups)

