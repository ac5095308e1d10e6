"""`assay arm ...`: assemble, disassemble, run, conformance campaigns, coverage.

Each subcommand is a `_cmd_<name>(args) -> int` registered in `register`; extending the CLI
means adding a sub-parser and a function (the ELF front end plugs into `load_program`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from .isa_sysreg import FPCR_MASK, FPSR_MASK
from .state import ArmError, Memory, State

DEFAULT_BASE = 0x400000
SENTINEL = 0xFFFFFFFFFFFFFFFC & ~0xFFF  # return address that ends a run
STACK_TOP = 0x80000000
STACK_SIZE = 0x100000


def register(subparsers: argparse._SubParsersAction) -> None:
    arm = subparsers.add_parser("arm", help="AArch64: assemble, disassemble, run, conformance")
    sub = arm.add_subparsers(dest="arm_command", metavar="COMMAND", required=True)

    p = sub.add_parser("asm", help="assemble GNU-syntax AArch64 assembly")
    p.add_argument("file", type=Path)
    p.add_argument("-o", "--output", type=Path,
                   help="output binary (default: FILE.bin); a name ending in .o gets an ELF object")
    p.add_argument("--base", type=lambda t: int(t, 0), default=0, help="load address")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_asm)

    p = sub.add_parser("disasm", help="disassemble raw bytes or hex words")
    p.add_argument("file", type=Path, nargs="?", help="raw binary file")
    p.add_argument("--hex", help="instruction words in hex, e.g. '91004020 d65f03c0'")
    p.add_argument("--elf", type=Path, help="ELF object or executable (relocations resolved)")
    p.add_argument("--function", help="with --elf: only this function")
    p.add_argument("--base", type=lambda t: int(t, 0), default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_disasm)

    p = sub.add_parser("run", help="run a function until it returns")
    p.add_argument("--bin", type=Path, help="raw binary, loaded at --base, entry at --base")
    p.add_argument("--elf", type=Path, help="ELF object or executable")
    p.add_argument("--function", help="symbol to run (with --elf)")
    p.add_argument("--base", type=lambda t: int(t, 0), default=None,
                   help=f"load address of --bin (default 0x{DEFAULT_BASE:x}) or of a relocatable"
                        " --elf object (default: the loader's); executables keep their own")
    p.add_argument("--state", type=Path,
                   help="STATE.json: registers (x0..x30, sp, nzcv, v0..v31, fpcr, fpsr,"
                        " tpidr_el0; hex strings) and memory regions")
    p.add_argument("--pauth-as-nop", action="store_true",
                   help="run the pointer-authentication hints (PACIASP, AUTIASP, ...) as NOPs,"
                        " as a CPU without FEAT_PAuth does (default: they stop the run)")
    p.add_argument("--max-steps", type=int, default=10_000_000)
    p.add_argument("--trace", action="store_true", help="print each instruction executed")
    p.add_argument("--lockstep", action="store_true",
                   help="also run Unicorn and compare every register after every instruction")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("conform", help="differential testing against Unicorn")
    p.add_argument("--class", dest="cls", action="append",
                   help="instruction class (repeatable; default: all)")
    p.add_argument("--count", type=int, default=1000, help="tests per class")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--save", type=Path, help="folder for shrunk mismatches (JSON)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_conform)

    p = sub.add_parser("coverage", help="supported instruction classes and mnemonics")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_coverage)


# -- asm / disasm ----------------------------------------------------------------------------
def assemble_source(text: str, path: Path, base: int) -> bytes:
    """Assembly file -> bytes. Uses the GNU front end's `gas.assemble_source(text, filename,
    base) -> bytes` when it provides one, else the minimal listing assembler."""
    try:
        from . import gas
    except ImportError:
        gas = None  # type: ignore[assignment]
    front_end = getattr(gas, "assemble_source", None)
    if front_end is None:
        from .asm import assemble_lines
        return assemble_lines(text, base)
    return front_end(text, str(path), base)  # type: ignore[no-any-return]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ArmError(f"cannot read {path}: {exc.strerror}") from None


def _cmd_asm(args: argparse.Namespace) -> int:
    out = args.output or args.file.with_suffix(".bin")
    if out.suffix == ".o":  # an ELF relocatable object instead of a flat binary (part B)
        from .gas import assemble_object
        code = assemble_object(_read(args.file).decode(), str(args.file))
    else:
        code = assemble_source(_read(args.file).decode(), args.file, args.base)
    out.write_bytes(code)
    if args.json:
        print(json.dumps({"output": str(out), "bytes": len(code), "hex": code.hex()}))
    else:
        print(f"{out}: {len(code)} bytes, {len(code) // 4} words")
    return 0


def _cmd_disasm(args: argparse.Namespace) -> int:
    from .disasm import disassemble_bytes
    if args.hex:
        try:
            code = b"".join(int(w, 16).to_bytes(4, "little") for w in args.hex.split())
        except (ValueError, OverflowError):
            raise ArmError(f"--hex expects 32-bit hex words, got {args.hex!r}") from None
    elif args.elf:
        code, args.base = _elf_code(args)
    elif args.file:
        code = _read(args.file)
    else:
        raise ArmError("give a FILE, --hex WORDS or --elf FILE")
    rows = disassemble_bytes(code, args.base)
    if args.json:
        print(json.dumps([{"address": hex(a), "word": f"{w:08x}", "text": t} for a, w, t in rows]))
    else:
        for a, w, t in rows:
            print(f"{a:8x}:  {w:08x}  {t}")
    return 0


def _elf_code(args: argparse.Namespace) -> tuple[bytes, int]:
    """(code, address) of `--function` in `--elf`, else of its first executable segment."""
    from .loader import DEFAULT_BASE, load_elf
    image = load_elf(args.elf, base=args.base or DEFAULT_BASE)
    if args.function:
        start, end = image.function_range(args.function)
        return image.read(start, end - start), start
    seg = next((s for s in image.segments if s.executable and s.data), None)
    if seg is None:
        raise ArmError(f"{args.elf}: no executable code")
    return bytes(seg.data), seg.address


# -- run -------------------------------------------------------------------------------------
def _hex(value: Any, what: str) -> int:
    try:
        return int(str(value), 16) if not isinstance(value, int) else value
    except ValueError:
        raise ArmError(f"{what}: expected a hex string, got {value!r}") from None


# `--state` keys of the system registers, with the bits the modelled CPU implements.
SYSTEM_KEYS = {"fpcr": FPCR_MASK, "fpsr": FPSR_MASK, "tpidr_el0": (1 << 64) - 1}


def _system_value(path: Path, key: str, value: int) -> int:
    """A system register value; bits the CPU does not implement (RES0) are refused."""
    if not 0 <= value < 1 << 64:
        raise ArmError(f"{path}: {key} = 0x{value:x} does not fit in 64 bits")
    extra = value & ~SYSTEM_KEYS[key]
    if extra:
        raise ArmError(f"{path}: {key} = 0x{value:x} sets bits 0x{extra:x} the modelled CPU "
                       f"does not implement (it has 0x{SYSTEM_KEYS[key]:x}; the rest are RES0)")
    return value


def load_state(path: Path | None, s: State) -> list[tuple[int, int]]:
    """Apply STATE.json to `s`; returns the memory regions (address, size) it gives."""
    if path is None:
        return []
    try:
        j = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise ArmError(f"{path}: not JSON ({exc})") from None
    regions = []
    for key, val in j.items():
        k = key.lower()
        if k == "memory":
            for r in val:
                addr = _hex(r["address"], "memory address")
                data = bytes.fromhex(r["bytes"])
                s.mem.map(addr, len(data))
                s.mem.write_bytes(addr, data)
                regions.append((addr, len(data)))
        elif k == "sp":
            s.x[31] = _hex(val, k)
        elif k == "nzcv":
            s.nzcv = _hex(val, k) & 0xF
        elif k in SYSTEM_KEYS:
            setattr(s, k, _system_value(path, k, _hex(val, k)))
        elif k[0] in "xv" and k[1:].isdigit() and int(k[1:]) < (31 if k[0] == "x" else 32):
            (s.x if k[0] == "x" else s.v)[int(k[1:])] = _hex(val, k)
        else:
            raise ArmError(f"{path}: unknown key {key!r} (x0..x30, sp, nzcv, v0..v31, fpcr, "
                           "fpsr, tpidr_el0, memory)")
    return regions


def load_program(args: argparse.Namespace, s: State) -> int:
    """Load the code into `s.mem`; returns the entry address."""
    if args.elf:
        from . import loader
        if not args.function:
            raise ArmError("--elf needs --function NAME")
        base = loader.DEFAULT_BASE if args.base is None else args.base
        return loader.load_function_into(args.elf, args.function, s, base=base)
    if not args.bin:
        raise ArmError("give --bin FILE or --elf FILE --function NAME")
    code = _read(args.bin)
    base = DEFAULT_BASE if args.base is None else args.base
    s.mem.map(base, len(code))
    s.mem.write_bytes(base, code)
    return int(base)


def _cmd_run(args: argparse.Namespace) -> int:
    from .disasm import disassemble
    from .machine import Machine
    s = State(Memory())
    s.pauth_as_nop = args.pauth_as_nop
    s.pc = load_program(args, s)
    s.mem.map(STACK_TOP - STACK_SIZE, STACK_SIZE)
    s.x[31] = STACK_TOP
    s.x[30] = SENTINEL
    regions = load_state(args.state, s)
    m = Machine(s)
    start = time.perf_counter()
    lock = None
    if args.lockstep:
        from .lockstep import lockstep
        lock = lockstep(s, SENTINEL, args.max_steps)
    elif args.trace:
        for _ in range(args.max_steps):
            if s.pc == SENTINEL or s.error:
                break
            word = s.mem.read(s.pc, 4) if s.mem.is_mapped(s.pc, 4) else 0
            print(f"{s.pc:8x}:  {word:08x}  {disassemble(word, s.pc)}", file=sys.stderr)
            m.run(max_steps=1, stop_pc=SENTINEL)
    else:
        m.run(max_steps=args.max_steps, stop_pc=SENTINEL)
    elapsed = time.perf_counter() - start
    returned = s.pc == SENTINEL and s.error is None
    status = "returned" if returned else (s.error.kind if s.error else "max-steps")
    if args.json:
        out: dict[str, Any] = {f"x{i}": hex(s.x[i]) for i in range(31)}
        out.update(sp=hex(s.x[31]), pc=hex(s.pc), nzcv=hex(s.nzcv))
        out.update({k: hex(getattr(s, k)) for k in SYSTEM_KEYS})
        out.update({f"v{i}": hex(s.v[i]) for i in range(32)})
        out["memory"] = [{"address": hex(a), "bytes": s.mem.read_bytes(a, n).hex()}
                         for a, n in regions]
        out["status"] = status
        out["steps"] = s.steps
        if lock is not None:
            out["lockstep"] = {"agrees": lock.agrees, "steps": lock.steps,
                               "divergence": lock.divergence,
                               "pc": hex(lock.pc) if lock.pc is not None else None}
        if s.error:
            out["error"] = s.error.message
        print(json.dumps(out, indent=1))
    else:
        for i in range(0, 31, 4):
            print("  ".join(f"x{j:<2}= {s.x[j]:016x}" for j in range(i, min(i + 4, 31))))
        print(f"sp = {s.x[31]:016x}  pc = {s.pc:016x}  nzcv = {s.nzcv:04b}")
        print(f"fpcr = {s.fpcr:08x}  fpsr = {s.fpsr:08x}  tpidr_el0 = {s.tpidr_el0:016x}")
        for i in range(32):
            if s.v[i]:
                print(f"v{i:<2}= {s.v[i]:032x}")
        for a, n in regions:
            print(f"memory 0x{a:x}: {s.mem.read_bytes(a, n).hex()}")
        rate = f" ({s.steps / elapsed:,.0f} instructions/s)" if elapsed and lock is None else ""
        print(f"{status} after {s.steps} instructions{rate}")
        if s.error:
            print(f"error: {s.error.message}", file=sys.stderr)
        if lock is not None and lock.agrees:
            print(f"lockstep: Unicorn agrees on all {lock.steps} steps and on memory")
        elif lock is not None:
            where = f" at 0x{lock.pc:x} ({lock.text})" if lock.pc is not None else ""
            print(f"lockstep: divergence after {lock.steps} steps{where}: "
                  + "; ".join(lock.divergence[:4]))
    if lock is not None and not lock.agrees:
        return 1
    return 0 if returned else 1


# -- conform / coverage ----------------------------------------------------------------------
def _cmd_conform(args: argparse.Namespace) -> int:
    from .conform import Campaign
    from .registry import class_named, classes
    chosen = [class_named(c) for c in args.cls] if args.cls else list(classes())
    campaign = Campaign(save_dir=args.save)
    total = len(chosen) * args.count
    start = time.perf_counter()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), disable=args.json or not sys.stderr.isatty(),
                  transient=True) as bar:
        task = bar.add_task("conformance vs Unicorn", total=total)
        report = campaign.run(chosen, args.count, args.seed,
                              progress=lambda k: bar.advance(task, k))
    elapsed = time.perf_counter() - start
    n = sum(report.tests.values())
    if args.json:
        print(json.dumps({"tests": report.tests, "mismatches": report.mismatches,
                          "seconds": round(elapsed, 3), "tests_per_second": round(n / elapsed)},
                         indent=1))
    else:
        for name, k in report.tests.items():
            bad = sum(1 for m in report.mismatches if m["class"] == name)
            print(f"{name:24} {k:7} tests  {bad} mismatches")
        for m in report.mismatches[:20]:
            print(f"MISMATCH {m['word']} {m['asm']}: {'; '.join(m['diff'])}")
        print(f"{n} tests in {elapsed:.1f}s ({n / elapsed:,.0f} tests/s), "
              f"{len(report.mismatches)} mismatches")
    return 1 if report.mismatches else 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    from .asm import mnemonics
    from .registry import classes
    rows = [{"class": c.name, "title": c.title, "mnemonics": c.mnemonics(),
             "aliases": _aliases(c), "encodings": len(c.encodings)} for c in classes()]
    if args.json:
        print(json.dumps({"classes": rows, "assembler_mnemonics": mnemonics()}, indent=1))
        return 0
    from rich.console import Console
    from rich.table import Table
    t = Table(title="AArch64 instruction classes")
    t.add_column("class", no_wrap=True)  # whole names: they are what --class takes
    for col in ("title", "rows", "mnemonics", "aliases"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["class"], r["title"], str(r["encodings"]), " ".join(r["mnemonics"]),
                  " ".join(r["aliases"]))
    Console().print(t)
    n_alias = len({a for r in rows for a in r["aliases"]})
    print(f"{len(rows)} classes, {sum(r['encodings'] for r in rows)} encodings, "
          f"{len({m for r in rows for m in r['mnemonics']})} instruction mnemonics, "
          f"{n_alias} alias mnemonics; the assembler accepts {len(mnemonics())} mnemonics")
    return 0


def _aliases(cls: Any) -> list[str]:
    """Alias spellings of a class's rows (printed or assembler-only), minus row mnemonics."""
    own = set(cls.mnemonics())
    seen: dict[str, None] = {}
    for e in cls.encodings:
        for a in e.aliases:
            if a.mnemonic.upper() not in own:
                seen.setdefault(a.mnemonic.upper(), None)
    return list(seen)
