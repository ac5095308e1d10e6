"""Cedar's extension types: decimal, ipaddr, datetime and duration, with their functions.

The semantics are those of Cedar 4.x as the Rust implementation (and so cedarpy 4.12) has them;
the Lean specification (cedar-spec, `Cedar/Spec/Ext/*.lean`) states the same functions, and the
tests check every behaviour, parsing edge cases included, against cedarpy.

- `Decimal`: a signed 64-bit integer scaled by 10^4 (`"-1.5"` is -15000). Literals are
  `-?[0-9]+\\.[0-9]{1,4}`; out-of-range values are errors. No `<` (use `lessThan` & co.).
- `IPAddr`: an IPv4 or IPv6 address with a prefix length (`/32` or `/128` when omitted), parsed
  as Rust's `std::net` does (no leading zeros in IPv4 octets, `::` stands for at least one
  group), minus IPv4 embedded in IPv6. Equality is on (version, address, prefix): the address is
  not masked, so `ip("10.0.0.1/8") != ip("10.0.0.0/8")`.
- `Datetime`: milliseconds since the Unix epoch (signed 64-bit), from `YYYY-MM-DD`,
  `YYYY-MM-DDThh:mm:ssZ`, `...ss.SSSZ`, `...ss(+|-)hhmm` or `...ss.SSS(+|-)hhmm`.
- `Duration`: signed 64-bit milliseconds, from `-?(Nd)?(Nh)?(Nm)?(Ns)?(Nms)?` (at least one).
  `Datetime` and `Duration` are ordered (Cedar's `<`, `<=`, `>`, `>=` apply to them).

`FUNCTIONS` maps each function name to an `ExtFunction`; for methods the receiver is argument 0.
The evaluator checks argument kinds and arity against `arg_kinds` before calling `impl`, which
either returns a Cedar value (bool, int, str or an instance of the classes here) or raises
`ExtensionError`. This module trusts nothing outside the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assay.core.errors import AssayError

__all__ = [
    "Decimal", "IPAddr", "Datetime", "Duration", "ExtFunction", "ExtensionError", "FUNCTIONS",
    "EXTENSION_TYPES", "kind_of",
]

I64_MIN = -(2**63)
I64_MAX = 2**63 - 1
DECIMAL_DIGITS = 4
MS_PER_DAY = 86_400_000


class ExtensionError(AssayError):
    """An extension function failed on well-typed arguments (bad literal, overflow)."""


def _fits_i64(n: int) -> bool:
    return I64_MIN <= n <= I64_MAX


def _digits(text: str) -> int:
    """The value of an ASCII digit string; leading zeros allowed, absurd lengths capped (any
    value past 10^40 overflows every range here, and Python refuses > 4300-digit strings)."""
    significant = text.lstrip("0") or "0"
    return int(significant) if len(significant) <= 40 else 10**40


def _show(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _trunc_div(a: int, b: int) -> int:
    """Integer division rounding toward zero, as Rust's `/` on i64 (b > 0)."""
    q = abs(a) // b
    return -q if a < 0 else q


# ---------------------------------------------------------------------------------- decimal

_DECIMAL_RE = re.compile(r"(-?)([0-9]+)\.([0-9]+)")


@dataclass(frozen=True, slots=True)
class Decimal:
    """A Cedar decimal: `value` is the number times 10^4, a signed 64-bit integer."""

    value: int

    @staticmethod
    def parse(text: str) -> Decimal:
        m = _DECIMAL_RE.fullmatch(text)
        if m is None:
            raise ExtensionError(f"`{_show(text)}` is not a well-formed decimal value")
        sign, left, right = m.groups()
        if len(right) > DECIMAL_DIGITS:
            raise ExtensionError(f"too many digits after the decimal in `{_show(text)}`")
        magnitude = _digits(left) * 10**DECIMAL_DIGITS + int(right) * 10 ** (DECIMAL_DIGITS - len(right))
        value = -magnitude if sign else magnitude
        if not _fits_i64(value):
            raise ExtensionError(f"overflow when converting `{_show(text)}` to decimal")
        return Decimal(value)

    def __str__(self) -> str:
        whole, frac = divmod(abs(self.value), 10**DECIMAL_DIGITS)
        return f"{'-' if self.value < 0 else ''}{whole}.{frac:04d}"

    def canonical_call(self) -> tuple[str, tuple[Any, ...]]:
        """The constructor call that rebuilds this value: `decimal("1.2300")`."""
        return ("decimal", (str(self),))


# ----------------------------------------------------------------------------------- ipaddr

_IP_MAX_TEXT = 43


def _parse_ipv4(text: str) -> int | None:
    """Rust `Ipv4Addr::from_str`: four decimal octets, 1-3 digits, no leading zeros."""
    parts = text.split(".")
    if len(parts) != 4:
        return None
    value = 0
    for part in parts:
        if not (1 <= len(part) <= 3) or not all("0" <= c <= "9" for c in part):
            return None
        if len(part) > 1 and part[0] == "0":
            return None
        octet = int(part)
        if octet > 255:
            return None
        value = value << 8 | octet
    return value


def _parse_hex_groups(text: str) -> list[int] | None:
    if text == "":
        return []
    groups = []
    for part in text.split(":"):
        if not (1 <= len(part) <= 4) or not all(c in "0123456789abcdefABCDEF" for c in part):
            return None
        groups.append(int(part, 16))
    return groups


def _parse_ipv6(text: str) -> int | None:
    """Rust `Ipv6Addr::from_str` without the embedded-IPv4 tail (Cedar rejects those)."""
    halves = text.split("::")
    if len(halves) == 1:
        groups = _parse_hex_groups(text)
        if groups is None or len(groups) != 8:
            return None
    elif len(halves) == 2:
        head, tail = _parse_hex_groups(halves[0]), _parse_hex_groups(halves[1])
        if head is None or tail is None or len(head) + len(tail) > 7:
            return None
        groups = head + [0] * (8 - len(head) - len(tail)) + tail
    else:
        return None
    value = 0
    for group in groups:
        value = value << 16 | group
    return value


def _parse_prefix(text: str, limit: int, max_len: int) -> int:
    if len(text) > max_len or not all("0" <= c <= "9" for c in text) or text == "":
        raise ExtensionError(f"error parsing prefix `{_show(text)}`")
    if text.startswith("0") and text != "0":
        raise ExtensionError(f"error parsing prefix `{_show(text)}`: leading zero(s)")
    value = int(text)
    if value > limit:
        raise ExtensionError(f"error parsing prefix: {value} is larger than the limit {limit}")
    return value


@dataclass(frozen=True, slots=True)
class IPAddr:
    """A Cedar ipaddr: IP version (4 or 6), the address as an integer, and a prefix length."""

    version: int
    addr: int
    prefix: int

    @property
    def width(self) -> int:
        return 32 if self.version == 4 else 128

    @staticmethod
    def parse(text: str) -> IPAddr:
        if len(text.encode("utf-8")) > _IP_MAX_TEXT:
            raise ExtensionError(f"error parsing IP address from `{_show(text)}`: string is too long")
        if text.count(":") >= 2 and text.count(".") >= 2:
            raise ExtensionError(f"IPv4 embedded in IPv6 is not accepted: `{_show(text)}`")
        addr_text, slash, prefix_text = text.partition("/")
        v4 = _parse_ipv4(addr_text)
        if v4 is not None:
            version, addr = 4, v4
        else:
            v6 = _parse_ipv6(addr_text)
            if v6 is None:
                raise ExtensionError(f"invalid IP address: `{_show(text)}`")
            version, addr = 6, v6
        width = 32 if version == 4 else 128
        prefix = _parse_prefix(prefix_text, width, 2 if version == 4 else 3) if slash else width
        return IPAddr(version, addr, prefix)

    def _range(self) -> tuple[int, int]:
        host_bits = self.width - self.prefix
        network = self.addr >> host_bits << host_bits
        return network, network | ((1 << host_bits) - 1)

    def is_in_range(self, other: IPAddr) -> bool:
        if self.version != other.version:
            return False
        lo, hi = self._range()
        other_lo, other_hi = other._range()
        return other_lo <= lo and hi <= other_hi

    def is_loopback(self) -> bool:
        if self.version == 4:
            return self.addr >> 24 == 127 and self.prefix >= 8
        return self.addr == 1 and self.prefix >= 128

    def is_multicast(self) -> bool:
        if self.version == 4:
            return self.addr >> 28 == 0xE and self.prefix >= 4
        return self.addr >> 120 == 0xFF and self.prefix >= 8

    def __str__(self) -> str:
        if self.version == 4:
            octets = [(self.addr >> shift) & 0xFF for shift in (24, 16, 8, 0)]
            return ".".join(map(str, octets)) + f"/{self.prefix}"
        groups = [(self.addr >> (16 * i)) & 0xFFFF for i in range(7, -1, -1)]
        return ":".join(f"{g:x}" for g in groups) + f"/{self.prefix}"

    def canonical_call(self) -> tuple[str, tuple[Any, ...]]:
        return ("ip", (str(self),))


# --------------------------------------------------------------------- datetime and duration

_DURATION_RE = re.compile(r"(-?)(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?")
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_HMS_RE = re.compile(r"T([0-9]{2}):([0-9]{2}):([0-9]{2})")
_MS_OFFSET_RE = re.compile(r"(?:\.([0-9]{3}))?(?:Z|([+-])([0-9]{2})([0-9]{2}))")
_UNIT_MS = (MS_PER_DAY, 3_600_000, 60_000, 1000, 1)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


@dataclass(frozen=True, slots=True, order=True)
class Duration:
    """A Cedar duration: signed 64-bit milliseconds."""

    ms: int

    @staticmethod
    def parse(text: str) -> Duration:
        m = _DURATION_RE.fullmatch(text)
        if text in ("", "-") or m is None:
            raise ExtensionError(f"invalid duration pattern: `{_show(text)}`")
        total = sum(_digits(q) * unit for q, unit in zip(m.groups()[1:], _UNIT_MS) if q is not None)
        ms = -total if m.group(1) else total
        if not _fits_i64(ms):
            raise ExtensionError(f"duration `{_show(text)}` overflows a signed 64-bit count of ms")
        return Duration(ms)

    def __str__(self) -> str:
        return f"{self.ms}ms"

    def canonical_call(self) -> tuple[str, tuple[Any, ...]]:
        return ("duration", (str(self),))


@dataclass(frozen=True, slots=True, order=True)
class Datetime:
    """A Cedar datetime: signed 64-bit milliseconds since 1970-01-01T00:00:00Z."""

    epoch_ms: int

    @staticmethod
    def parse(text: str) -> Datetime:
        date = _DATE_RE.match(text)
        if date is None:
            raise ExtensionError(f"invalid date pattern in `{_show(text)}`")
        year, month, day = (int(g) for g in date.groups())
        rest = text[date.end():]
        ms = offset_s = 0
        hour = minute = second = 0
        if rest:
            hms = _HMS_RE.match(rest)
            if hms is None:
                raise ExtensionError(f"invalid hour/minute/second pattern in `{_show(text)}`")
            hour, minute, second = (int(g) for g in hms.groups())
            tail = _MS_OFFSET_RE.fullmatch(rest[hms.end():])
            if tail is None:
                raise ExtensionError(f"invalid millisecond and/or offset pattern in `{_show(text)}`")
            millis, sign, off_h, off_m = tail.groups()
            ms = int(millis) if millis is not None else 0
            if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
                raise ExtensionError(f"invalid date in `{_show(text)}`")
            if hour >= 24 or minute >= 60 or second >= 60:
                raise ExtensionError(f"invalid hour/minute/second in `{_show(text)}`")
            if sign is not None:
                if int(off_h) >= 24 or int(off_m) >= 60:
                    raise ExtensionError(f"invalid offset range in `{_show(text)}`")
                offset_s = (int(off_h) * 3600 + int(off_m) * 60) * (1 if sign == "+" else -1)
        elif not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
            raise ExtensionError(f"invalid date in `{_show(text)}`")
        seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
        return Datetime((seconds - offset_s) * 1000 + ms)

    def offset(self, duration: Duration) -> Datetime:
        result = self.epoch_ms + duration.ms
        if not _fits_i64(result):
            raise ExtensionError(f"overflow when adding {duration} to {self}")
        return Datetime(result)

    def duration_since(self, other: Datetime) -> Duration:
        result = self.epoch_ms - other.epoch_ms
        if not _fits_i64(result):
            raise ExtensionError(f"overflow when computing the duration between {self} and {other}")
        return Duration(result)

    def to_date(self) -> Datetime:
        result = self.epoch_ms - self.epoch_ms % MS_PER_DAY
        if not _fits_i64(result):
            raise ExtensionError(f"overflow when computing the date of {self}")
        return Datetime(result)

    def to_time(self) -> Duration:
        return Duration(self.epoch_ms % MS_PER_DAY)

    def __str__(self) -> str:
        return f'datetime("1970-01-01").offset(duration("{self.epoch_ms}ms"))'

    def canonical_call(self) -> tuple[str, tuple[Any, ...]]:
        """Cedar writes a datetime as an offset from the epoch: `offset(datetime, duration)`;
        the epoch itself is `datetime("1970-01-01")` (which also ends the recursion)."""
        if self.epoch_ms == 0:
            return ("datetime", ("1970-01-01",))
        return ("offset", (Datetime(0), Duration(self.epoch_ms)))


# -------------------------------------------------------------------------------- functions

EXTENSION_TYPES: dict[str, type] = {
    "decimal": Decimal, "ipaddr": IPAddr, "datetime": Datetime, "duration": Duration,
}


def kind_of(value: object) -> str:
    """The arg-kind name of a Cedar value: "Bool", "Long", "String", an extension type, or "other"."""
    if isinstance(value, bool):
        return "Bool"
    if isinstance(value, int):
        return "Long"
    if isinstance(value, str):
        return "String"
    for name, cls in EXTENSION_TYPES.items():
        if isinstance(value, cls):
            return name
    return "other"


@dataclass(frozen=True)
class ExtFunction:
    """An extension function: its argument kinds (receiver first for methods) and body."""

    name: str
    arg_kinds: tuple[str, ...]
    is_method: bool
    impl: Callable[..., Any]
    result_kind: str = "Bool"


def _fn(name: str, kinds: tuple[str, ...], method: bool, result: str,
        impl: Callable[..., Any]) -> ExtFunction:
    return ExtFunction(name, kinds, method, impl, result)


def _duration_unit(divisor: int) -> Callable[[Duration], int]:
    return lambda d: _trunc_div(d.ms, divisor)


_D, _IP, _DT, _DUR = ("decimal",), ("ipaddr",), ("datetime",), ("duration",)

FUNCTIONS: dict[str, ExtFunction] = {f.name: f for f in (
    _fn("decimal", ("String",), False, "decimal", Decimal.parse),
    _fn("lessThan", _D * 2, True, "Bool", lambda a, b: a.value < b.value),
    _fn("lessThanOrEqual", _D * 2, True, "Bool", lambda a, b: a.value <= b.value),
    _fn("greaterThan", _D * 2, True, "Bool", lambda a, b: a.value > b.value),
    _fn("greaterThanOrEqual", _D * 2, True, "Bool", lambda a, b: a.value >= b.value),
    _fn("ip", ("String",), False, "ipaddr", IPAddr.parse),
    _fn("isIpv4", _IP, True, "Bool", lambda a: a.version == 4),
    _fn("isIpv6", _IP, True, "Bool", lambda a: a.version == 6),
    _fn("isLoopback", _IP, True, "Bool", IPAddr.is_loopback),
    _fn("isMulticast", _IP, True, "Bool", IPAddr.is_multicast),
    _fn("isInRange", _IP * 2, True, "Bool", IPAddr.is_in_range),
    _fn("datetime", ("String",), False, "datetime", Datetime.parse),
    _fn("duration", ("String",), False, "duration", Duration.parse),
    _fn("offset", _DT + _DUR, True, "datetime", Datetime.offset),
    _fn("durationSince", _DT * 2, True, "duration", Datetime.duration_since),
    _fn("toDate", _DT, True, "datetime", Datetime.to_date),
    _fn("toTime", _DT, True, "duration", Datetime.to_time),
    _fn("toDays", _DUR, True, "Long", _duration_unit(MS_PER_DAY)),
    _fn("toHours", _DUR, True, "Long", _duration_unit(3_600_000)),
    _fn("toMinutes", _DUR, True, "Long", _duration_unit(60_000)),
    _fn("toSeconds", _DUR, True, "Long", _duration_unit(1000)),
    _fn("toMilliseconds", _DUR, True, "Long", lambda d: d.ms),
)}
