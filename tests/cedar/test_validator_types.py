"""Laws of the validation types: interning, least upper bounds (strict mode), display."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assay.models.cedar.validator_types import (
    BOOL,
    FALSE,
    LONG,
    STRING,
    TRUE,
    Attr,
    CedarType,
    EntityType,
    ExtType,
    RecordType,
    SetType,
    display,
    is_subtype,
    lift_bools,
    lub,
)

LEAVES = st.sampled_from([BOOL, TRUE, FALSE, LONG, STRING, ExtType("decimal"), ExtType("ipaddr"),
                          EntityType("A"), EntityType("N::B")])
TYPES: st.SearchStrategy[CedarType] = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        inner.map(SetType),
        st.dictionaries(st.sampled_from("abc"), st.tuples(inner, st.booleans()), max_size=3)
        .map(lambda d: RecordType({k: Attr(t, r) for k, (t, r) in d.items()}))),
    max_leaves=8)


@given(TYPES, TYPES)
def test_lub_is_a_commutative_upper_bound(a: CedarType, b: CedarType) -> None:
    c = lub(a, b)
    assert c is lub(b, a)
    if c is not None:
        assert is_subtype(a, c) and is_subtype(b, c)
        assert lub(c, c) is c and lub(a, c) is c


@given(TYPES)
def test_lub_with_itself_and_lifted_booleans(a: CedarType) -> None:
    assert lub(a, a) is a
    assert lub(a, lift_bools(a)) is lift_bools(a)
    assert display(a) == display(a)


def test_strict_mode_does_not_mix() -> None:
    assert lub(TRUE, FALSE) is BOOL
    assert lub(LONG, STRING) is None
    assert lub(EntityType("A"), EntityType("N::B")) is None  # no entity-type unions
    req, opt = RecordType({"a": Attr(LONG, True)}), RecordType({"a": Attr(LONG, False)})
    assert lub(req, opt) is None and lub(req, RecordType({})) is None
    assert lub(SetType(TRUE), SetType(FALSE)) is SetType(BOOL)
    assert display(RecordType({"b?": Attr(SetType(LONG), False), "c": Attr(TRUE, True)})) == \
        '{"b?"?: Set<Long>, c: __cedar::internal::True}'


def test_interned_and_deep() -> None:
    assert SetType(LONG) is SetType(LONG)
    assert RecordType({"x": Attr(LONG, True), "y": Attr(STRING, False)}) is RecordType(
        [("y", Attr(STRING, False)), ("x", Attr(LONG, True))])
    deep_a, deep_b = TRUE, FALSE
    for _ in range(20_000):
        deep_a, deep_b = SetType(deep_a), SetType(deep_b)
    top = lub(deep_a, deep_b)
    assert top is not None and lub(top, deep_a) is top
    assert display(top).startswith("Set<Set<") and display(top).endswith("...")
