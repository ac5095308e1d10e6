"""Vector-register access shared by the AdvSIMD and crypto classes, over the bit-vector
interface: reading V[n], writing V[d] (a 64-bit result clears the upper half, as the Arm ARM's
`V[d] = ...` assignment of a narrower value does), and splitting into and joining elements.
"""

from __future__ import annotations

from typing import Any

from .crypto_functions import join, lanes

__all__ = ["lanes", "join", "vread", "vwrite", "vwrite64"]

Ops = Any
V = Any


def vread(s: Any, n: int) -> V:
    return s.v[n]


def vwrite(s: Any, o: Ops, n: int, value: V, width: int = 128) -> None:
    """V[n] = value, zero-extending a `width`-bit value to 128 bits."""
    s.v[n] = value if width == 128 else o.zero_extend(value, width, 128)


def vwrite64(s: Any, o: Ops, n: int, value: V) -> None:
    s.v[n] = o.zero_extend(value, 64, 128)
