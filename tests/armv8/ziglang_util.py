"""Helpers for tests that use the ziglang package's clang and ld.lld as independent tools:
assemble GNU-syntax AArch64 with clang, link with lld at fixed section addresses."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
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


# classes whose disassembly prints a pc-relative target as an absolute address
PC_RELATIVE = {"ldst_lit", "branch", "pcrel"}


def relative_operand(text: str, pc: int) -> str:
    """A pc-relative operand printed as an absolute address becomes `. + offset` for clang."""
    m = re.search(r"#(0x[0-9a-f]+)$", text)
    if m is None:
        return text
    off = (int(m.group(1), 16) - pc + (1 << 63)) % (1 << 64) - (1 << 63)
    return f"{text[:m.start()]}. + {off}"


def clang_words(lines: list[str]) -> list[int | None]:
    """The word clang (ziglang) assembles each line to, or None where it rejects the line.
    All lines go in one file; if clang rejects the file, each line is assembled on its own;
    if the words are not one a line, every entry is None."""
    from elftools.elf.elffile import ELFFile
    with tempfile.TemporaryDirectory() as tmp:
        src, obj = Path(tmp, "d.s"), Path(tmp, "d.o")
        src.write_text("".join(f"{line}\n" for line in lines))
        proc = subprocess.run([sys.executable, "-m", "ziglang", "cc", "-c", *TARGET, "-x",
                               "assembler", str(src), "-o", str(obj)], capture_output=True,
                              text=True)
        if proc.returncode != 0:  # one bad line fails the file: fall back to one line a time
            if len(lines) == 1:
                return [None]
            return [w for line in lines for w in clang_words([line])]
        with obj.open("rb") as f:
            data = ELFFile(f).get_section_by_name(".text").data()
    out = [int.from_bytes(data[i:i + 4], "little") for i in range(0, len(data), 4)]
    return out if len(out) == len(lines) else [None] * len(lines)
