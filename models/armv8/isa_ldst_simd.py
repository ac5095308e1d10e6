"""AdvSIMD load/store structures: LD1-LD4/ST1-ST4 (multiple structures; LD1/ST1 with one to
four registers), LD1-LD4/ST1-ST4 (single lane), LD1R-LD4R (load and replicate), each without
offset or post-indexed by the transfer size (`#imm`, encoded Rm = 31) or by a register.
Arm ARM C4.1.94 (AdvSIMD load/store multiple structures, single structure, and their
post-indexed forms) and the shared pseudocode of LD1 (multiple/single structures).
"""

from __future__ import annotations

import re
from typing import Any

from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .operands import AsmContext, Operand, parse_gpr, parse_int, setf
from .operands_mem import MemImm, conform_base, window_address
from .simd_operands import VecList, size_q

MULTIPLE = {"none": "0 Q 0011000 L 000000 opcode:4 size Rn Rt",
            "post": "0 Q 0011001 L 0 Rm opcode:4 size Rn Rt"}
SINGLE = {"none": "0 Q 0011010 L R 00000 opcode:3 S size Rn Rt",
          "post": "0 Q 0011011 L R Rm opcode:3 S size Rn Rt"}

# Multiple structures: mnemonic digit (selem), registers, opcode.
MULTIPLE_ROWS = [(1, 1, 0b0111), (1, 2, 0b1010), (1, 3, 0b0110), (1, 4, 0b0010),
                 (2, 2, 0b1000), (3, 3, 0b0100), (4, 4, 0b0000)]
# Single structure (one lane): selem, element letter, opcode, R, fixed S/size bits.
LANE_FIELDS = {"b": "S size", "h": "S size", "s": "S size=00", "d": "S=0 size=01"}
LANE_OPCODE = {"b": 0b000, "h": 0b010, "s": 0b100, "d": 0b100}
LANE_BYTES = {"b": 1, "h": 2, "s": 4, "d": 8}


def _pattern(template: str, **fixed: int) -> str:
    """Fix fields of a table pattern: `L=1`, `opcode=0111` (width taken from the pattern)."""
    tokens = template.split()
    for i, tok in enumerate(tokens):
        name, _, width = tok.partition(":")
        if name in fixed:
            tokens[i] = f"{name}={fixed[name]:0{int(width or 1)}b}"
    return " ".join(tokens)


# -- operands ---------------------------------------------------------------------------------

class PostStruct(Operand):
    """The post-index after `[Xn|SP]`: `#<transfer size>` (Rm = 31, printed in decimal as
    capstone does) or a register `Xm`."""

    def __init__(self, total: Any) -> None:
        self.total = total  # fields -> transfer size in bytes

    def fmt(self, d: Decoded, pc: int) -> str:
        return f"#{self.total(d.__dict__)}" if d.Rm == 31 else f"x{d.Rm}"

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        t = tok.strip().lower()
        v = parse_int(t)  # `#64`, or a bare `64` as GNU syntax allows
        if v is not None:
            return setf(f, "Rm", 31) and v == self.total(f)
        r = parse_gpr(t)
        return r is not None and r[1] == 64 and r[0] != 31 and setf(f, "Rm", r[0])


class LaneList(Operand):
    """`{v<t>.<T>, ...}[index]`: `count` registers, one element of each; the index is packed
    into Q:S:size as the element size dictates."""

    def __init__(self, count: int, letter: str) -> None:
        self.count, self.letter = count, letter

    def fmt(self, d: Decoded, pc: int) -> str:
        regs = ", ".join(f"v{(d.Rt + i) % 32}.{self.letter}" for i in range(self.count))
        i = d.index
        return "{" + regs + "}" + (f"[0x{i:x}]" if i > 9 else f"[{i}]")

    def parse(self, tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
        m = re.fullmatch(r"\{(.*)\}\s*\[\s*(\w+)\s*\]", tok.strip().lower())
        if not m:
            return False
        inner = m.group(1).strip()
        rng = re.fullmatch(r"v(\d+)\.(\w+)\s*-\s*v(\d+)\.(\w+)", inner)
        if rng:
            a, b = int(rng.group(1)), int(rng.group(3))
            regs = [(a + i) % 32 for i in range((b - a) % 32 + 1)]
            letters = {rng.group(2), rng.group(4)}
        else:
            items = [re.fullmatch(r"v(\d+)\.(\w+)", x.strip()) for x in inner.split(",")]
            if not all(items):
                return False
            regs = [int(x.group(1)) for x in items if x]
            letters = {x.group(2) for x in items if x}
        if letters != {self.letter} or len(regs) != self.count or any(r > 31 for r in regs):
            return False
        if any(regs[i] != (regs[0] + i) % 32 for i in range(len(regs))):
            return False
        try:
            index = int(m.group(2), 0)
        except ValueError:
            return False
        if not 0 <= index < 16 // LANE_BYTES[self.letter]:
            return False
        if self.letter == "b":
            q, s, size = index >> 3, (index >> 2) & 1, index & 3
        elif self.letter == "h":
            q, s, size = index >> 2, (index >> 1) & 1, (index & 1) << 1
        elif self.letter == "s":
            q, s, size = index >> 1, index & 1, 0
        else:
            q, s, size = index, 0, 1
        return (setf(f, "Rt", regs[0]) and setf(f, "Q", q) and setf(f, "S", s)
                and setf(f, "size", size))


# -- semantics --------------------------------------------------------------------------------

def _writeback(s: Any, o: Any, d: Decoded, address: Any) -> None:
    if d.post:
        step = d.total if d.Rm == 31 else s.x[d.Rm]
        s.x[d.Rn] = o.bvadd(address, step, 64)


def exec_ld1_multiple(s: Any, o: Any, d: Decoded) -> None:
    """LD1 (multiple structures, one to four registers): register Rt+r is one contiguous
    access at address + r * (datasize / 8); `d.regs` lists (register, offset) from decode."""
    address = s.x[d.Rn]
    dbytes, wide, read, v = d.dbytes, d.datasize == 128, s.mem_read, s.v
    for t, offset in d.regs:
        data = read(o.bvadd(address, offset, 64) if offset else address, dbytes)
        v[t] = data if wide else o.zero_extend(data, 64, 128)
    if d.post:
        s.x[d.Rn] = o.bvadd(address, d.total if d.Rm == 31 else s.x[d.Rm], 64)


def exec_st1_multiple(s: Any, o: Any, d: Decoded) -> None:
    """ST1 (multiple structures, one to four registers), as `exec_ld1_multiple`."""
    address = s.x[d.Rn]
    dbytes, wide, write, v = d.dbytes, d.datasize == 128, s.mem_write, s.v
    for t, offset in d.regs:
        write(o.bvadd(address, offset, 64) if offset else address, dbytes,
              v[t] if wide else o.extract(63, 0, v[t]))
    if d.post:
        s.x[d.Rn] = o.bvadd(address, d.total if d.Rm == 31 else s.x[d.Rm], 64)


def exec_multiple(s: Any, o: Any, d: Decoded) -> None:
    """LD2-4/ST2-4 (multiple structures): element e of structure register k at
    address + (e * selem + k) * ebytes (`d.regs` lists (register, offsets by element))."""
    address = s.x[d.Rn]
    eb, es, bits = d.esize // 8, d.esize, d.datasize
    if d.L:  # every element read before any register is written (a fault changes none)
        values = []
        for _, offsets in d.regs:
            elems = [s.mem_read(o.bvadd(address, off, 64), eb) for off in offsets]
            value = elems[-1]
            for elem in reversed(elems[:-1]):
                value = o.concat(value, elem, es)
            values.append(value if bits == 128 else o.zero_extend(value, bits, 128))
        for (t, _), value in zip(d.regs, values):
            s.v[t] = value
    else:
        for e in range(d.elements):  # memory order: element by element, register by register
            for t, offsets in d.regs:
                s.mem_write(o.bvadd(address, offsets[e], 64), eb,
                            o.extract(es * e + es - 1, es * e, s.v[t]))
    _writeback(s, o, d, address)


def exec_single(s: Any, o: Any, d: Decoded) -> None:
    """LD1-4/ST1-4 (single structure): lane `index` of each register; other lanes kept."""
    address = s.x[d.Rn]
    eb, es, i = d.esize // 8, d.esize, d.index
    for k in range(d.selem):
        t = (d.Rt + k) % 32
        at = o.bvadd(address, k * eb, 64) if k else address
        v = s.v[t]
        if d.L:
            data = s.mem_read(at, eb)
            lo, hi = es * i, es * i + es
            if hi < 128:
                data = o.concat(o.extract(127, hi, v), data, es)
            if lo > 0:
                data = o.concat(data, o.extract(lo - 1, 0, v), lo)
            s.v[t] = data
        else:
            s.mem_write(at, eb, o.extract(es * i + es - 1, es * i, v))
    _writeback(s, o, d, address)


def exec_replicate(s: Any, o: Any, d: Decoded) -> None:
    """LD1R-LD4R: one element per register, replicated to every lane."""
    address = s.x[d.Rn]
    eb, es, bits = d.esize // 8, d.esize, d.datasize
    for k in range(d.selem):
        t = (d.Rt + k) % 32
        data = s.mem_read(o.bvadd(address, k * eb, 64) if k else address, eb)
        value = o.replicate(data, es, bits // es)
        s.v[t] = value if bits == 128 else o.zero_extend(value, bits, 128)
    _writeback(s, o, d, address)


# -- decode and rows --------------------------------------------------------------------------

def prepare(d: Decoded, case: Any, rng: Any) -> None:
    conform_base(case, d.Rn, window_address(rng, 64 + 16))
    if d.post and d.Rm != 31 and d.Rm != d.Rn:
        case.x[d.Rm] = rng.randrange(-128, 128) & ((1 << 64) - 1)


def _decode_multiple(selem: int, rpt: int, post: bool) -> Any:
    def decode(d: Decoded) -> None:
        if selem > 1 and d.size == 3 and d.Q == 0:
            raise Unallocated
        d.selem, d.rpt, d.post = selem, rpt, post
        d.datasize = 128 if d.Q else 64
        d.esize = 8 << d.size
        d.elements = d.datasize // d.esize
        d.total = d.datasize // 8 * rpt * selem
        d.dbytes = d.datasize // 8
        if selem == 1:
            d.regs = tuple(((d.Rt + r) % 32, r * d.dbytes) for r in range(rpt))
        else:
            eb = d.esize // 8
            d.regs = tuple(((d.Rt + k) % 32,
                            tuple((e * selem + k) * eb for e in range(d.elements)))
                           for k in range(selem))
    return decode


def _decode_single(selem: int, letter: str | None, post: bool) -> Any:
    def decode(d: Decoded) -> None:
        d.selem, d.post = selem, post
        if letter is None:  # replicate
            d.esize = 8 << d.size
            d.datasize = 128 if d.Q else 64
        else:
            if letter == "h" and d.size & 1:
                raise Unallocated
            d.esize = 8 * LANE_BYTES[letter]
            d.index = {"b": lambda: (d.Q << 3) | (d.S << 2) | d.size,
                       "h": lambda: (d.Q << 2) | (d.S << 1) | (d.size >> 1),
                       "s": lambda: (d.Q << 1) | d.S, "d": lambda: d.Q}[letter]()
        d.total = selem * d.esize // 8
    return decode


def _mem() -> MemImm:
    return MemImm("post", None)


def _rows() -> list[Encoding]:
    rows: list[Encoding] = []
    for form in ("none", "post"):
        post = form == "post"
        for selem, count, opcode in MULTIPLE_ROWS:
            for load in (1, 0):
                name = f"{'LD' if load else 'ST'}{selem}"
                arr = size_q() if selem == 1 else size_q(
                    ("8b", "16b", "4h", "8h", "2s", "4s", "2d"))
                ops: list[Any] = [VecList("Rt", count, arr), _mem()]
                if post:
                    ops.append(PostStruct(lambda f, c=count: (8 if not f.get("Q") else 16) * c))
                execute = exec_multiple if selem > 1 else \
                    exec_ld1_multiple if load else exec_st1_multiple
                rows.append(Encoding(
                    name, _pattern(MULTIPLE[form], L=load, opcode=opcode), ops, execute,
                    _decode_multiple(selem, count // selem, post),
                    name=f"{name}_{count}reg_{form}", conform=prepare))
        for selem in (1, 2, 3, 4):
            r, odd = (selem - 1) & 1, (selem - 1) >> 1
            for letter, fields in LANE_FIELDS.items():
                for load in (1, 0):
                    name = f"{'LD' if load else 'ST'}{selem}"
                    pattern = _pattern(SINGLE[form], L=load, R=r,
                                       opcode=LANE_OPCODE[letter] | odd)
                    pattern = pattern.replace("S size", fields)
                    ops = [LaneList(selem, letter), _mem()]
                    if post:
                        ops.append(PostStruct(lambda f, n=selem * LANE_BYTES[letter]: n))
                    rows.append(Encoding(
                        name, pattern, ops, exec_single, _decode_single(selem, letter, post),
                        name=f"{name}_{letter}_lane_{form}", conform=prepare))
            name = f"LD{selem}R"
            pattern = _pattern(SINGLE[form], L=1, R=r, opcode=0b110 | odd).replace(
                "S size", "S=0 size")
            ops = [VecList("Rt", selem, size_q()), _mem()]
            if post:
                ops.append(PostStruct(lambda f, n=selem: n * (1 << f.get("size", 0))))
            rows.append(Encoding(name, pattern, ops, exec_replicate,
                                 _decode_single(selem, None, post),
                                 name=f"{name}_{form}", conform=prepare))
    return rows


CLASS = InstructionClass("ldst_simd", "AdvSIMD load/store structures", _rows())
