"""What the benches over real AArch64 assembly (armv8_boringssl.py, armv8_mlkem.py) share:
clang from the ziglang package as preprocessor and second assembler, the comparison of
Assay's object with clang's, and the lockstep check of one call against Unicorn.

Trusts clang (ziglang) and tests/armv8/test_gas.assert_same_unit for the object comparison.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assay.models.armv8 import crypto_routines as cr
from assay.models.armv8.elf_writer import write_object
from assay.models.armv8.gas import assemble
from assay.models.armv8.loader import Image, Unit, read_object
from assay.models.armv8.lockstep import lockstep

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from armv8.test_gas import assert_same_unit  # noqa: E402

TARGET = ["-target", "aarch64-linux-gnu"]


class Mismatch(Exception):
    """A routine's result differs from its oracle, or the model from Unicorn."""


def zig(*args: str) -> None:
    """Run `python -m ziglang ARGS`; a failure ends the bench with clang's message."""
    proc = subprocess.run([sys.executable, "-m", "ziglang", *args], capture_output=True,
                          text=True, timeout=300)
    if proc.returncode != 0:
        raise SystemExit(f"ziglang {' '.join(args[:3])} failed:\n{proc.stderr[-2000:]}")


def assemble_both(src: Path, plain: Path, theirs: Path, cpp_flags: list[str],
                  as_flags: list[str]) -> tuple[Unit, str]:
    """Preprocess `src` into `plain` (clang -E with `cpp_flags`), assemble it with Assay and
    with clang (into `theirs`, with `as_flags`); Assay's unit and "same as clang" or
    "DIFFERS: ..." from comparing Assay's object, as written to disk, with clang's."""
    zig("cc", "-E", *TARGET, *cpp_flags, "-x", "assembler-with-cpp", str(src), "-o", str(plain))
    zig("cc", "-c", *TARGET, *as_flags, "-x", "assembler", str(plain), "-o", str(theirs))
    unit = assemble(plain.read_text(), str(plain))
    try:
        assert_same_unit(read_object(write_object(unit)), read_object(theirs))
    except AssertionError as exc:
        return unit, f"DIFFERS: {str(exc)[:200]}"
    return unit, "same as clang"


def check_lockstep(image: Image, symbol: str, args: list[int], memory: dict[int, bytes],
                   max_steps: int, name: str) -> None:
    """Run the call of `symbol` against Unicorn, one instruction at a time; Mismatch if the
    registers after an instruction or the memory at the end differ."""
    report = lockstep(cr.call_state(image, symbol, args, memory), cr.SENTINEL, max_steps)
    if not report.agrees:
        raise Mismatch(f"{name}: Unicorn differs at pc 0x{report.pc:x} "
                       f"({report.text}): {report.divergence[:3]}")
