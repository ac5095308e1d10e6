"""System register moves from EL0: MRS and MSR (register) for NZCV, FPCR, FPSR and TPIDR_EL0
(Arm ARM C6.2 MRS/MSR, `1101010100 L 1 o0 op1 CRn CRm op2 Rt`, register op0:op1:CRn:CRm:op2
= 3:3:4:2:0 NZCV, 3:3:4:4:0 FPCR, 3:3:4:4:1 FPSR, 3:3:13:0:2 TPIDR_EL0).

- NZCV is `State.nzcv` in bits 31:28; MSR NZCV takes bits 31:28 of Xt.
- FPCR and FPSR are `State.fpcr`/`State.fpsr`, 64-bit values whose RES0 bits read as zero: an
  MSR keeps only the bits the modelled CPU implements, which are those of Unicorn's
  `UC_CPU_ARM64_MAX` (measured by writing all ones): FPCR 0x07FF0000 (AHP, DN, FZ, RMode,
  Stride, FZ16, Len; no trap enables, no FEAT_AFP bits) and FPSR 0xF800009F (the AArch32
  N/Z/C/V, QC, IDC and IXC..IOC). The model has no floating-point arithmetic, so nothing else
  reads FPCR yet; an instruction that saturates must set FPSR.QC.
- TPIDR_EL0 is `State.tpidr_el0`, 64 bits, all writable.

The class also holds FEAT_FlagM's CFINV (invert C) and FEAT_FlagM2's XAFLAG/AXFLAG (convert
the flags of a floating-point compare between the external format and Arm's), which work on
NZCV alone (`11010101000000000100 0000 op2 11111`).

Every other system register (CNTVCT_EL0, MIDR_EL1, DCZID_EL0, CTR_EL0, RNDR, DAIF, ...) and every
MSR (immediate) to a PSTATE field decodes (so it disassembles as capstone prints it, known names
from `NAMES`, `s3_3_c15_c2_0` style otherwise) but stops the run: "unsupported instruction
0x... at pc 0x...: unsupported system register NAME". Their values are timers, identification
registers of a particular CPU, random numbers or EL1 state, which the model cannot know, and the
PSTATE fields an EL0 MSR (immediate) may write (SSBS, DIT, TCO) belong to features Unicorn's MAX
CPU lacks (it raises UNDEFINED), so no oracle agrees on any behaviour. Those rows are not drawn
by random campaigns (`sample=False`).

Trusted: the table, the register numbers, the implemented-bit masks above.
"""

from __future__ import annotations

import re
from typing import Any

from .encoding import Decoded, Encoding, InstructionClass
from .operands import AsmContext, Custom, Reg, fmt_imm, parse_int, setf
from .pseudocode import rx, wx
from .state import Unsupported

FPCR_MASK = 0x07FF0000
FPSR_MASK = 0xF800009F

# (name, op0, op1, CRn, CRm, op2) of the registers the model reads and writes.
MODELLED = [("nzcv", 3, 3, 4, 2, 0), ("fpcr", 3, 3, 4, 4, 0), ("fpsr", 3, 3, 4, 4, 1),
            ("tpidr_el0", 3, 3, 13, 0, 2)]
# Names capstone 5 prints for registers code reads at EL0 or probes (not modelled).
OTHER_NAMES = [
    ("midr_el1", 3, 0, 0, 0, 0), ("mpidr_el1", 3, 0, 0, 0, 5), ("revidr_el1", 3, 0, 0, 0, 6),
    ("id_aa64pfr0_el1", 3, 0, 0, 4, 0), ("id_aa64pfr1_el1", 3, 0, 0, 4, 1),
    ("id_aa64isar0_el1", 3, 0, 0, 6, 0), ("id_aa64isar1_el1", 3, 0, 0, 6, 1),
    ("id_aa64mmfr0_el1", 3, 0, 0, 7, 0), ("sctlr_el1", 3, 0, 1, 0, 0),
    ("spsel", 3, 0, 4, 2, 0), ("currentel", 3, 0, 4, 2, 2), ("pan", 3, 0, 4, 2, 3),
    ("uao", 3, 0, 4, 2, 4), ("daif", 3, 3, 4, 2, 1), ("dit", 3, 3, 4, 2, 5),
    ("ssbs", 3, 3, 4, 2, 6), ("tco", 3, 3, 4, 2, 7), ("ctr_el0", 3, 3, 0, 0, 1),
    ("dczid_el0", 3, 3, 0, 0, 7), ("rndr", 3, 3, 2, 4, 0), ("rndrrs", 3, 3, 2, 4, 1),
    ("tpidrro_el0", 3, 3, 13, 0, 3), ("tpidr_el1", 3, 0, 13, 0, 4),
    ("cntfrq_el0", 3, 3, 14, 0, 0), ("cntpct_el0", 3, 3, 14, 0, 1),
    ("cntvct_el0", 3, 3, 14, 0, 2), ("pmccntr_el0", 3, 3, 9, 13, 0),
]
# Read-only registers: MSR to them prints (and must be written) in the generic form.
READ_ONLY = {"midr_el1", "mpidr_el1", "revidr_el1", "id_aa64pfr0_el1", "id_aa64pfr1_el1",
             "id_aa64isar0_el1", "id_aa64isar1_el1", "id_aa64mmfr0_el1", "currentel",
             "ctr_el0", "dczid_el0", "rndr", "rndrrs", "cntpct_el0", "cntvct_el0"}
NAMES = {tuple(fields): name for name, *fields in MODELLED + OTHER_NAMES}
BY_NAME = {name: fields for fields, name in NAMES.items()}
KEYS = ("op1", "CRn", "CRm", "op2")

# MSR (immediate) PSTATE fields by (op1, op2), named as capstone 5 names them; UAO and PAN
# only with #0 or #1 (other values print in the generic `msr s0_0_c4_c5_3, xzr` form).
PSTATE_FIELDS = {(0, 3): "uao", (0, 4): "pan", (0, 5): "spsel", (3, 1): "ssbs", (3, 2): "dit",
                 (3, 4): "tco", (3, 6): "daifset", (3, 7): "daifclr"}
PSTATE_BY_NAME = {name: key for key, name in PSTATE_FIELDS.items()}
ONE_BIT_FIELDS = ("uao", "pan")


def _pstate_name(d: Decoded) -> str | None:
    name = PSTATE_FIELDS.get((d.op1, d.op2))
    return None if name in ONE_BIT_FIELDS and d.CRm > 1 else name


def _key(d: Decoded) -> tuple[int, int, int, int, int]:
    return 2 + d.o0, d.op1, d.CRn, d.CRm, d.op2


def sysreg_name(d: Decoded) -> str:
    """The register's name as capstone prints it, or the generic `s3_3_c15_c2_0`."""
    k = _key(d)
    name = NAMES.get(k)
    if name is None or (d.L == 0 and name in READ_ONLY):
        return "s{}_{}_c{}_c{}_{}".format(*k)
    return name


_GENERIC = re.compile(r"s([23])_([0-7])_c(\d+)_c(\d+)_([0-7])")


def _read_sysreg(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    t = tok.strip().lower()
    m = _GENERIC.fullmatch(t)
    if m:
        k = tuple(int(g) for g in m.groups())
        if k[2] > 15 or k[3] > 15:
            return False
    elif t in BY_NAME and not (f.get("L") == 0 and t in READ_ONLY):
        k = BY_NAME[t]
    else:
        return False
    return setf(f, "o0", k[0] - 2) and all(setf(f, n, v) for n, v in zip(KEYS, k[1:], strict=True))


SYSREG = Custom(lambda d, pc: sysreg_name(d), _read_sysreg)
XT = Reg("Rt", 64)


def _pstate_show(d: Decoded, pc: int) -> str:
    return _pstate_name(d) or f"s0_{d.op1}_c4_c{d.CRm}_{d.op2}"


def _pstate_read(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    t = tok.strip().lower()
    m = re.fullmatch(r"s0_([0-7])_c4_c(\d+)_([0-7])", t)
    if m:  # the generic spelling of an unnamed field: `msr s0_1_c4_c5_0, xzr`
        op1, crm, op2 = (int(g) for g in m.groups())
        named = PSTATE_FIELDS.get((op1, op2))
        if named is not None and not (named in ONE_BIT_FIELDS and crm > 1):
            return False
        return crm < 16 and setf(f, "op1", op1) and setf(f, "CRm", crm) and setf(f, "op2", op2)
    key = PSTATE_BY_NAME.get(t)
    return (key is not None and setf(f, "op1", key[0]) and setf(f, "op2", key[1])
            and setf(f, "_named", 1))


def _pstate_imm_show(d: Decoded, pc: int) -> str:
    return fmt_imm(d.CRm) if _pstate_name(d) else "xzr"


def _pstate_imm_read(tok: str, f: dict[str, int], ctx: AsmContext) -> bool:
    t = tok.strip().lower()
    if t == "xzr":
        return "CRm" in f and "_named" not in f
    v = parse_int(t) if t.startswith("#") else None
    return v is not None and 0 <= v < 16 and setf(f, "CRm", v)


PSTATE_FIELD = Custom(_pstate_show, _pstate_read)
PSTATE_IMM = Custom(_pstate_imm_show, _pstate_imm_read)


def _pattern(load: int, reg: tuple[int, int, int, int, int] | None = None) -> str:
    if reg is None:
        return f"1101010100 L={load} 1 o0 op1:3 CRn:4 CRm op2 Rt"
    op0, op1, crn, crm, op2 = reg
    return (f"1101010100 L={load} 1 o0={op0 - 2} op1={op1:03b} CRn={crn:04b} CRm={crm:04b} "
            f"op2={op2:03b} Rt")


def _mrs(read: Any) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        value = read(s, o)
        # A state starts with int zeros; a register holds values of the interpretation.
        wx(s, o, d.Rt, o.const(value, 64) if isinstance(value, int) else value, 64)
    return execute


def _msr(write: Any) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        write(s, o, rx(s, o, d.Rt, 64))
    return execute


def _nzcv_read(s: Any, o: Any) -> Any:
    return o.zero_extend(o.concat(s.nzcv, o.const(0, 28), 28), 32, 64)


def _nzcv_write(s: Any, o: Any, v: Any) -> None:
    s.nzcv = o.extract(31, 28, v)


def _fpcr_write(s: Any, o: Any, v: Any) -> None:
    s.fpcr = o.bvand(v, FPCR_MASK, 64)


def _fpsr_write(s: Any, o: Any, v: Any) -> None:
    s.fpsr = o.bvand(v, FPSR_MASK, 64)


def _tpidr_write(s: Any, o: Any, v: Any) -> None:
    s.tpidr_el0 = v


ACCESS = {
    "nzcv": (_nzcv_read, _nzcv_write),
    "fpcr": (lambda s, o: s.fpcr, _fpcr_write),
    "fpsr": (lambda s, o: s.fpsr, _fpsr_write),
    "tpidr_el0": (lambda s, o: s.tpidr_el0, _tpidr_write),
}


def _flags(s: Any, o: Any) -> tuple[Any, Any, Any, Any]:
    return tuple(o.extract(i, i, s.nzcv) for i in (3, 2, 1, 0))  # type: ignore[return-value]


def _set_flags(s: Any, o: Any, n: Any, z: Any, c: Any, v: Any) -> None:
    s.nzcv = o.concat(o.concat(n, z, 1), o.concat(c, v, 1), 2)


def exec_cfinv(s: Any, o: Any, d: Decoded) -> None:
    s.nzcv = o.bvxor(s.nzcv, 0b0010, 4)


def exec_xaflag(s: Any, o: Any, d: Decoded) -> None:
    """Arm ARM XAFLAG: flags of an FCMP result from the external format to Arm's."""
    _, z, c, _ = _flags(s, o)
    not_c = o.bvnot(c, 1)
    _set_flags(s, o, o.bvand(not_c, o.bvnot(z, 1), 1), o.bvand(z, c, 1), o.bvor(c, z, 1),
               o.bvand(not_c, z, 1))


def exec_axflag(s: Any, o: Any, d: Decoded) -> None:
    """Arm ARM AXFLAG: N = 0, Z = Z OR V, C = C AND NOT V, V = 0."""
    _, z, c, v = _flags(s, o)
    zero = o.const(0, 1)
    _set_flags(s, o, zero, o.bvor(z, v, 1), o.bvand(c, o.bvnot(v, 1), 1), zero)


FLAGM = "1101010100000 op1=000 0100 CRm=0000 op2={:03b} 11111"


def _unsupported(what: Any) -> Any:
    def execute(s: Any, o: Any, d: Decoded) -> None:
        word = d.word if hasattr(d, "word") else None
        text = f"0x{word:08x}" if word is not None else "(system register access)"
        raise Unsupported(f"unsupported instruction {text} at pc 0x{s.pc:x}: {what(d)}", s.pc)
    return execute


def _word_of(e: Encoding) -> Any:
    def decode(d: Decoded) -> None:
        d.word = e.encode({f.name: getattr(d, f.name) for f in e.var_fields})
    return decode


def _rows() -> list[Encoding]:
    rows = []
    for name, *reg in MODELLED:
        read, write = ACCESS[name]
        rows.append(Encoding("MRS", _pattern(1, tuple(reg)), [XT, SYSREG], _mrs(read),  # type: ignore[arg-type]
                             name=f"MRS_{name}"))
        rows.append(Encoding("MSR", _pattern(0, tuple(reg)), [SYSREG, XT], _msr(write),  # type: ignore[arg-type]
                             name=f"MSR_{name}"))
    other = "unsupported system register "
    generic = [
        Encoding("MRS", _pattern(1), [XT, SYSREG],
                 _unsupported(lambda d: f"{other}{sysreg_name(d)}"), name="MRS_other",
                 sample=False),
        Encoding("MSR", _pattern(0), [SYSREG, XT],
                 _unsupported(lambda d: f"{other}{sysreg_name(d)}"), name="MSR_other",
                 sample=False),
        Encoding("MSR", "1101010100000 op1:3 0100 CRm op2 11111", [PSTATE_FIELD, PSTATE_IMM],
                 _unsupported(lambda d: f"unsupported PSTATE field {_pstate_show(d, 0)}"),
                 name="MSR_pstate", sample=False),
    ]
    for e in generic:
        e.decode_fn = _word_of(e)
    rows += [Encoding("CFINV", FLAGM.format(0), [], exec_cfinv),
             Encoding("XAFLAG", FLAGM.format(1), [], exec_xaflag),
             Encoding("AXFLAG", FLAGM.format(2), [], exec_axflag)]
    return rows + generic


CLASS = InstructionClass("sysreg", "System registers from EL0 (MRS/MSR NZCV, FPCR, FPSR, "
                         "TPIDR_EL0)", _rows())
