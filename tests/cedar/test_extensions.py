"""Cedar extension types (decimal, ipaddr, datetime, duration) against cedarpy, the oracle.

Every check is a Cedar condition paired with the outcome the Python model predicts (True, False
or an extension error). Many conditions go into one cedarpy call, one policy each: a policy in
the reasons was true, one in the errors raised, any other was false.
"""

from __future__ import annotations

from collections.abc import Callable

import cedarpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.models.cedar import extensions as ext
from assay.models.cedar.extensions import (
    FUNCTIONS,
    Datetime,
    Decimal,
    Duration,
    ExtensionError,
    IPAddr,
)

ERROR = "error"
REQUEST = {"principal": 'User::"u"', "action": 'Action::"a"', "resource": 'R::"r"', "context": {}}


def lit(s: str) -> str:
    """A Cedar string literal for `s`."""
    out = []
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{{{ord(c):x}}}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def predict(fn: Callable[..., object], *args: object) -> object:
    try:
        return fn(*args)
    except ExtensionError:
        return ERROR


def cedar_outcomes(conditions: list[str]) -> list[object]:
    policies = "\n".join(f"permit(principal, action, resource) when {{ {c} }};"
                         for c in conditions)
    result = cedarpy.is_authorized(REQUEST, policies, [])
    reasons = set(result.diagnostics.reasons)
    erroring = set()
    for message in result.diagnostics.errors:
        assert "policy `policy" in message, message
        erroring.add(message.split("`")[1])
    return [ERROR if f"policy{i}" in erroring else f"policy{i}" in reasons
            for i in range(len(conditions))]


def check(cases: list[tuple[str, object]]) -> None:
    conditions = [c for c, _ in cases]
    got = cedar_outcomes(conditions)
    mismatches = [(c, want, g) for (c, want), g in zip(cases, got) if want != g]
    assert not mismatches, mismatches[:10]


# ------------------------------------------------------------------------------ case makers

def decimal_cases(s: str) -> list[tuple[str, object]]:
    parsed = predict(Decimal.parse, s)
    if parsed == ERROR:
        return [(f"decimal({lit(s)}) == decimal(\"0.0\")", ERROR)]
    assert isinstance(parsed, Decimal)
    return [(f"decimal({lit(s)}) == decimal({lit(str(parsed))})", True)]


def ip_cases(s: str) -> list[tuple[str, object]]:
    parsed = predict(IPAddr.parse, s)
    if parsed == ERROR:
        return [(f"ip({lit(s)}).isIpv4()", ERROR)]
    assert isinstance(parsed, IPAddr)
    e = f"ip({lit(s)})"
    return [
        (f"{e} == ip({lit(str(parsed))})", True),
        (f"{e}.isIpv4()", parsed.version == 4),
        (f"{e}.isLoopback()", parsed.is_loopback()),
        (f"{e}.isMulticast()", parsed.is_multicast()),
    ]


def datetime_cases(s: str) -> list[tuple[str, object]]:
    parsed = predict(Datetime.parse, s)
    if parsed == ERROR:
        return [(f"datetime({lit(s)}) == datetime(\"1970-01-01\")", ERROR)]
    assert isinstance(parsed, Datetime)
    e = f"datetime({lit(s)})"
    return [
        (f"{e} == datetime(\"1970-01-01\").offset(duration(\"{parsed.epoch_ms}ms\"))", True),
        (f"{e}.toTime() == duration({lit(str(parsed.to_time()))})", True),
        (f"{e}.toDate() == datetime(\"1970-01-01\").offset("
         f"duration(\"{parsed.to_date().epoch_ms}ms\"))", True),
    ]


def duration_cases(s: str) -> list[tuple[str, object]]:
    parsed = predict(Duration.parse, s)
    if parsed == ERROR:
        return [(f"duration({lit(s)}) == duration(\"0ms\")", ERROR)]
    assert isinstance(parsed, Duration)
    e = f"duration({lit(s)})"
    cases: list[tuple[str, object]] = [(f"{e}.toMilliseconds() == {parsed.ms}", True)]
    for name in ("toDays", "toHours", "toMinutes", "toSeconds"):
        cases.append((f"{e}.{name}() == {FUNCTIONS[name].impl(parsed)}", True))
    return cases


# ------------------------------------------------------------------------- handwritten edges

DECIMALS = [
    "1.0", "1.23", "-1.23", "-0.0", "0.0001", "1.00000", "1", "1.", ".1", "+1.0", "01.50",
    "922337203685477.5807", "922337203685477.5808", "-922337203685477.5808",
    "-922337203685477.5809", "922337203685478.0", "99999999999999999999.0", "1.2.3", "-",
    "-.5", "1e3", " 1.0", "1.0 ", "1.0\n", "1_0.0", "١.٥", "--1.0", "0.12345",
    "0" * 5000 + "1.5", "1" * 5000 + ".0", "-" + "0" * 30 + "922337203685477.5808",
]
IPS = [
    "127.0.0.1", "127.0.0.1/8", "127.0.0.1/7", "0.0.0.0/0", "255.255.255.255", "256.0.0.1",
    "01.2.3.4", "1.2.3", "1.2.3.4.5", "1.2.3.4/33", "1.2.3.4/032", "1.2.3.4/", "1.2.3.4/-1",
    "::1", "::1/127", "::", "::/0", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9", "1::2::3", ":::1", "ffff::", "FF00::1/8", "ff00::1/7", "00001::",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "224.0.0.1", "224.0.0.1/3", "239.255.255.255/4",
    "1.2.3.4/1/2", "abcd:ef01:2345:6789:abcd:ef01:2345:6789/128", "1:2:3:4:5:6:7:8/0129",
    "0000:0000:0000:0000:0000:0000:0000:0000:1", " 1.2.3.4", "1.2.3.4 ", "g::1", "0.0.0.00",
]
DATETIMES = [
    "2024-01-01", "1970-01-01", "1969-12-31", "0000-01-01", "9999-12-31", "2024-02-29",
    "2023-02-29", "1900-02-29", "2000-02-29", "2024-13-01", "2024-00-10", "2024-01-00",
    "2024-01-32", "2024-04-31", "2024-01-01T00:00:00Z", "2024-01-01T23:59:59Z",
    "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z",
    "2024-01-01T12:34:56.789Z", "2024-01-01T12:34:56.78Z", "2024-01-01T12:34:56.7890Z",
    "2024-01-01T12:34:56+0130", "2024-01-01T12:34:56-2359", "2024-01-01T12:34:56+2400",
    "2024-01-01T12:34:56+0060", "2024-01-01T12:34:56.001-0001", "2024-01-01T12:34:56",
    "2024-01-01T12:34:56z", "2024-01-01T12:34Z", "2024-01-01 12:34:56Z", "2024-1-01",
    "24-01-01", "+2024-01-01", "2024-01-01Z", "0000-01-01T00:00:00+2359",
    "9999-12-31T23:59:59-2359", "2024-01-01T00:00:00Z\n", "",
]
DURATIONS = [
    "1d2h3m4s5ms", "-1d", "1ms", "1m", "1h1m", "0ms", "-0s", "", "-", "1s1d", "1d1d",
    "1.5s", "1", "d", "-1ms", "9223372036854775807ms", "9223372036854775808ms",
    "-9223372036854775808ms", "-9223372036854775809ms", "106751991167d", "106751991168d",
    "-106751991167d23h47m16s854ms", "106751991167d23h47m16s854ms", "106751991167d23h47m16s855ms",
    "99999999999999999999ms", "1D", "1 d", "+1d", "--1d", "1ms1s", "10000000000000000000ms",
    "0" * 5000 + "5ms", "9" * 5000 + "d", "-" + "0" * 40 + "9223372036854775808ms",
]


def test_handwritten_edges_agree_with_cedarpy() -> None:
    cases: list[tuple[str, object]] = []
    for maker, strings in ((decimal_cases, DECIMALS), (ip_cases, IPS),
                           (datetime_cases, DATETIMES), (duration_cases, DURATIONS)):
        for s in strings:
            cases += maker(s)
    check(cases)


def test_known_values() -> None:
    assert Decimal.parse("-1.5").value == -15000
    assert str(Decimal.parse("-0.0001")) == "-0.0001"
    assert str(IPAddr.parse("::1")) == "0:0:0:0:0:0:0:1/128"
    assert IPAddr.parse("10.0.0.1/8") != IPAddr.parse("10.0.0.0/8")
    assert Datetime.parse("1970-01-02T00:00:00.001+0100").epoch_ms == 82_800_001
    assert Duration.parse("-1d2h").ms == -93_600_000
    assert Datetime(-1).to_time() == Duration(86_399_999)
    assert Datetime(-1).to_date() == Datetime(-86_400_000)
    assert Duration(-1500) < Duration(0) and Datetime(5) >= Datetime(5)
    assert FUNCTIONS["toSeconds"].impl(Duration(-1999)) == -1
    with pytest.raises(ExtensionError):
        Datetime(ext.I64_MIN).to_date()
    with pytest.raises(ExtensionError):
        Datetime(ext.I64_MAX).offset(Duration(1))
    assert ext.kind_of(True) == "Bool" and ext.kind_of(Duration(1)) == "duration"


def test_function_table_is_complete() -> None:
    expected = {
        "decimal", "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual", "ip",
        "isIpv4", "isIpv6", "isLoopback", "isMulticast", "isInRange", "datetime", "duration",
        "offset", "durationSince", "toDate", "toTime", "toDays", "toHours", "toMinutes",
        "toSeconds", "toMilliseconds",
    }
    assert set(FUNCTIONS) == expected
    for f in FUNCTIONS.values():
        assert f.is_method == (f.name not in {"decimal", "ip", "datetime", "duration"})


# ------------------------------------------------------------------------- random near edges

def _digits(max_len: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=0, max_size=max_len)


_I64_EDGE = st.sampled_from(["922337203685477", "922337203685478", "9223372036854775807",
                             "9223372036854775808", "0", "00", "1"])
decimal_text = st.one_of(
    st.builds(lambda s, whole, dot, r: s + whole + dot + r, st.sampled_from(["", "-", "+"]),
              st.one_of(_I64_EDGE, _digits(4)), st.sampled_from([".", ".", "", ","]),
              st.one_of(_digits(6), st.sampled_from(["5807", "5808", "5809", "9999"]))),
    st.text("0123456789.-", max_size=8),
)

_octet = st.one_of(st.integers(0, 300).map(str), st.sampled_from(["00", "01", "007", "", "a"]))
_group = st.one_of(st.integers(0, 0xFFFF).map(lambda n: f"{n:x}"),
                   st.sampled_from(["0", "00000", "FFFF", "fffff", "g", ""]))
_prefix = st.one_of(st.just(""), st.integers(0, 130).map(lambda n: f"/{n}"),
                    st.sampled_from(["/", "/01", "/x", "/1/2", "/000"]))
ip_text = st.one_of(
    st.builds(lambda os, p: ".".join(os) + p, st.lists(_octet, min_size=3, max_size=5), _prefix),
    st.builds(lambda gs, cut, p: ":".join(gs[:cut]) + "::" + ":".join(gs[cut:]) + p,
              st.lists(_group, min_size=0, max_size=8), st.integers(0, 8), _prefix),
    st.builds(lambda gs, p: ":".join(gs) + p, st.lists(_group, min_size=6, max_size=9), _prefix),
    st.text("0123456789abcdef:./", max_size=12),
)


def _two(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.integers(lo, hi).map(lambda n: f"{n:02d}")


datetime_text = st.builds(
    lambda y, mo, d, t: f"{y}-{mo}-{d}{t}",
    st.one_of(st.integers(0, 9999).map(lambda n: f"{n:04d}"), st.sampled_from(["999", "10000"])),
    _two(0, 13), _two(0, 32),
    st.one_of(
        st.just(""),
        st.builds(lambda h, m, s, ms, off: f"T{h}:{m}:{s}{ms}{off}", _two(0, 25), _two(0, 61),
                  _two(0, 61), st.sampled_from(["", ".000", ".999", ".12", ".1234"]),
                  st.one_of(st.sampled_from(["Z", "", "z", "+00:00"]),
                            st.builds(lambda sg, h, m: f"{sg}{h}{m}", st.sampled_from("+-"),
                                      _two(0, 25), _two(0, 61))))),
)

_unit = st.sampled_from(["d", "h", "m", "s", "ms"])
_quantity = st.one_of(st.integers(0, 100).map(str), st.integers(0, 2**64).map(str),
                      st.sampled_from(["106751991167", "9223372036854775807",
                                       "9223372036854775808"]))
duration_text = st.one_of(
    st.builds(lambda sign, units, qs: sign + "".join(q + u for q, u in zip(qs, units)),
              st.sampled_from(["", "-"]), st.lists(_unit, max_size=5),
              st.lists(_quantity, min_size=5, max_size=5)),
    st.builds(lambda sign, picks, qs: sign + "".join(
        q + u for q, u, keep in zip(qs, ["d", "h", "m", "s", "ms"], picks) if keep),
        st.sampled_from(["", "-"]), st.lists(st.booleans(), min_size=5, max_size=5),
        st.lists(_quantity, min_size=5, max_size=5)),
)

_SETTINGS = settings(max_examples=25, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.lists(decimal_text, min_size=20, max_size=40))
def test_decimal_parse_random(strings: list[str]) -> None:
    check([c for s in strings for c in decimal_cases(s)])


@_SETTINGS
@given(st.lists(ip_text, min_size=20, max_size=40))
def test_ip_parse_random(strings: list[str]) -> None:
    check([c for s in strings for c in ip_cases(s)])


@_SETTINGS
@given(st.lists(datetime_text, min_size=20, max_size=40))
def test_datetime_parse_random(strings: list[str]) -> None:
    check([c for s in strings for c in datetime_cases(s)])


@_SETTINGS
@given(st.lists(duration_text, min_size=20, max_size=40))
def test_duration_parse_random(strings: list[str]) -> None:
    check([c for s in strings for c in duration_cases(s)])


def _ip_text(v4: bool, addr: int, prefix: int) -> str:
    if v4:
        return ".".join(str((addr >> s) & 255) for s in (24, 16, 8, 0)) + f"/{prefix % 33}"
    return ":".join(f"{(addr >> (16 * i)) & 0xFFFF:x}" for i in range(7, -1, -1)) + f"/{prefix}"


_valid_ip = st.builds(_ip_text, st.booleans(),
                      st.one_of(st.integers(0, 2**128 - 1), st.integers(0, 2**32 - 1)),
                      st.integers(0, 128))


@_SETTINGS
@given(st.lists(st.tuples(_valid_ip, _valid_ip), min_size=20, max_size=40))
def test_ip_in_range_random(pairs: list[tuple[str, str]]) -> None:
    cases = []
    for a, b in pairs:
        got = IPAddr.parse(a).is_in_range(IPAddr.parse(b))
        cases.append((f"ip({lit(a)}).isInRange(ip({lit(b)}))", got))
        cases.append((f"ip({lit(b)}).isInRange(ip({lit(b)}))", True))
    check(cases)


_ms = st.one_of(st.integers(ext.I64_MIN, ext.I64_MAX),
                st.integers(-10**12, 10**12), st.sampled_from([ext.I64_MIN, ext.I64_MAX, 0, -1]))


def _dt(ms: int) -> str:
    return f'datetime("1970-01-01").offset(duration("{ms}ms"))'


@_SETTINGS
@given(st.lists(st.tuples(_ms, _ms), min_size=20, max_size=40))
def test_datetime_arithmetic_random(pairs: list[tuple[int, int]]) -> None:
    cases: list[tuple[str, object]] = []
    for a, b in pairs:
        da, db, dur = Datetime(a), Datetime(b), Duration(b)
        off = predict(da.offset, dur)
        since = predict(da.duration_since, db)
        date = predict(da.to_date)
        cases += [
            (f"{_dt(a)}.offset(duration(\"{b}ms\")) == "
             f"{_dt(off.epoch_ms) if isinstance(off, Datetime) else _dt(0)}",
             off if off == ERROR else True),
            (f"{_dt(a)}.durationSince({_dt(b)}).toMilliseconds() == "
             f"{since.ms if isinstance(since, Duration) else 0}",
             since if since == ERROR else True),
            (f"{_dt(a)}.toDate() == {_dt(date.epoch_ms) if isinstance(date, Datetime) else _dt(0)}",
             date if date == ERROR else True),
            (f"{_dt(a)}.toTime().toMilliseconds() == {da.to_time().ms}", True),
            (f"{_dt(a)} < {_dt(b)}", a < b),
            (f"duration(\"{a}ms\") <= duration(\"{b}ms\")", a <= b),
            (f"duration(\"{a}ms\").toHours() == {FUNCTIONS['toHours'].impl(Duration(a))}", True),
        ]
    check(cases)


@_SETTINGS
@given(st.lists(st.tuples(decimal_text, decimal_text), min_size=20, max_size=40))
def test_decimal_comparisons_random(pairs: list[tuple[str, str]]) -> None:
    cases: list[tuple[str, object]] = []
    for a, b in pairs:
        for name in ("lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"):
            want = predict(lambda x, y, n=name: FUNCTIONS[n].impl(Decimal.parse(x), Decimal.parse(y)), a, b)
            cases.append((f"decimal({lit(a)}).{name}(decimal({lit(b)}))", want))
    check(cases)
