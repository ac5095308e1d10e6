"""The instruction classes, discovered from the `isa_*.py` modules of this package, and the
decoder derived from their encoding tables.

Every module named `isa_<something>.py` defines `CLASS = InstructionClass(...)`; nothing else
has to be edited to add a class. Decoding tries the rows whose fixed bits match, most specific
first; a row whose `decode` raises `Unallocated` does not match.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

from .encoding import Decoded, Encoding, InstructionClass, Unallocated
from .state import Illegal, Unsupported

_PACKAGE = __name__.rsplit(".", 1)[0]


@lru_cache(maxsize=1)
def classes() -> tuple[InstructionClass, ...]:
    """All instruction classes, in module-name order."""
    out = []
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda i: i.name):
        if info.name.startswith("isa_"):
            module = importlib.import_module(f"{_PACKAGE}.{info.name}")
            out.append(module.CLASS)
    return tuple(out)


def class_named(name: str) -> InstructionClass:
    for c in classes():
        if c.name == name:
            return c
    from .state import ArmError
    raise ArmError(f"no instruction class {name!r}; known: "
                   + ", ".join(c.name for c in classes()))


@lru_cache(maxsize=1)
def encodings() -> tuple[Encoding, ...]:
    rows = [e for c in classes() for e in c.encodings]
    rows.sort(key=lambda e: -bin(e.mask).count("1"))
    return tuple(rows)


@lru_cache(maxsize=1)
def _buckets() -> tuple[tuple[Encoding, ...], ...]:
    top = 0xF << 25
    out = []
    for v in range(16):
        out.append(tuple(e for e in encodings()
                         if ((v << 25) & e.mask & top) == (e.value & top)))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def find(word: int) -> tuple[Encoding, Decoded] | None:
    """The row and fields of `word`; None if no row accepts it. Cached: semantics must treat
    the decoded fields as read-only."""
    for e in _buckets()[(word >> 25) & 0xF]:
        if (word & e.mask) == e.value:
            try:
                return e, e.decode(word)
            except Unallocated:
                continue
    return None


def decode(word: int, pc: int = 0) -> tuple[Encoding, Decoded]:
    """Like `find`, but raises Unsupported (no row) or Illegal (only unallocated rows)."""
    r = find(word)
    if r is not None:
        return r
    if any((word & e.mask) == e.value for e in _buckets()[(word >> 25) & 0xF]):
        raise Illegal(f"unallocated instruction 0x{word:08x} at pc 0x{pc:x}", pc)
    raise Unsupported(f"unsupported instruction 0x{word:08x} at pc 0x{pc:x}", pc)
