"""Helpers for tests that use the ziglang package's clang and ld.lld as independent tools:
assemble GNU-syntax AArch64 with clang, link with lld at fixed section addresses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TARGET = ["-target", "aarch64-linux-gnu", "-mcpu=neoverse_v1"]


def require_ziglang() -> None:
    """ziglang (the test extra) provides clang and lld; without it these tests fail, loudly."""
    try:
        import ziglang  # noqa: F401
    except ImportError:
        raise AssertionError("ziglang is missing: pip install -e '.[test]'") from None


def _run(args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "ziglang", *args], capture_output=True,
                          text=True, timeout=120)
    if proc.returncode != 0:
        raise AssertionError(f"ziglang {' '.join(args[:2])} failed:\n{proc.stderr}")


def clang_object(source: Path, out: Path) -> Path:
    """Assemble `source` (GNU syntax, no preprocessing) into the ELF object `out`."""
    require_ziglang()
    _run(["cc", "-c", *TARGET, "-x", "assembler", str(source), "-o", str(out)])
    return out


def lld_link(obj: Path, out: Path, sections: dict[str, int], entry: str,
             defsyms: dict[str, int] | None = None) -> Path:
    """Link `obj` with every section at the given address and no linker relaxation."""
    require_ziglang()
    base = min(sections.values()) - 0x10000  # headers below the first section
    args = ["ld.lld", "-m", "aarch64linux", "--no-relax", f"--image-base=0x{base:x}",
            "-e", entry, "-o", str(out), str(obj)]
    args += [f"--section-start={name}=0x{addr:x}" for name, addr in sections.items()]
    args += [f"--defsym={n}=0x{v:x}" for n, v in (defsyms or {}).items()]
    _run(args)
    return out
