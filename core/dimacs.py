"""DIMACS CNF text: writing the clauses the bit-blaster produced, and reading them back.

The reader lives in `assay.core.lrat` so that the proof checker stays one self-contained file;
it is re-exported here for everyone else. Trusts nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from assay.core.lrat import read_dimacs

__all__ = ["to_dimacs", "write_dimacs", "read_dimacs"]


def to_dimacs(nvars: int, clauses: Sequence[Sequence[int]], comments: Iterable[str] = ()) -> str:
    """DIMACS text for `clauses` over variables 1..`nvars`.

    >>> print(to_dimacs(2, [(1, -2), (2,)]), end="")
    p cnf 2 2
    1 -2 0
    2 0
    """
    lines = [f"c {c}" for c in comments]
    lines.append(f"p cnf {nvars} {len(clauses)}")
    lines.extend(" ".join(map(str, clause)) + " 0" if clause else "0" for clause in clauses)
    return "\n".join(lines) + "\n"


def write_dimacs(path: str | Path, nvars: int, clauses: Sequence[Sequence[int]],
                 comments: Iterable[str] = ()) -> Path:
    path = Path(path)
    path.write_text(to_dimacs(nvars, clauses, comments))
    return path
