"""Vector-register access and element helpers shared by the AdvSIMD and crypto classes,
written over the bit-vector interface `o`.

`vget` reads the low `datasize` bits of V[n] (64 for the half-register forms, Q = 0); `vset`
writes V[d], zero-extending a 64-bit result as the Arm ARM's `V[d] = result` does. `lanes` and
`join` split a value into elements (element 0 in the low bits) and back; `map2` applies a
per-element function to two operands; `lane_ops(o)` has `vadd`/`vsub`/`vshl`/`vlshr`/`vror`/
`vashr`, `vmul`/`vmla`/`vmls`, the saturating `vsqdmulh`/`vqadd`, `vrshr`, `vmull`/`vmlal` and
`vtbl`, which work on all lanes at once (one call in the concrete interpretation, per lane
through `crypto_functions.Composed` otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .crypto_functions import PerLane, join, lane_ops, lanes

__all__ = ["lanes", "join", "lane_ops", "PerLane", "vget", "vset", "map1", "map2", "datasize"]

Ops = Any
V = Any


def datasize(d: Any) -> int:
    return 128 if d.Q else 64


def vget(s: Any, o: Ops, n: int, width: int = 128) -> V:
    v = s.v[n]
    return v if width == 128 else o.extract(width - 1, 0, v)


def vset(s: Any, o: Ops, n: int, value: V, width: int = 128) -> None:
    s.v[n] = value if width == 128 else o.zero_extend(value, width, 128)


def map1(o: Ops, a: V, esize: int, width: int, f: Callable[[V], V]) -> V:
    return join(o, [f(x) for x in lanes(o, a, esize, width // esize)], esize)


def map2(o: Ops, a: V, b: V, esize: int, width: int, f: Callable[[V, V], V]) -> V:
    xs, ys = lanes(o, a, esize, width // esize), lanes(o, b, esize, width // esize)
    return join(o, [f(x, y) for x, y in zip(xs, ys)], esize)
