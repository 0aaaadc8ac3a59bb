"""Phone-number normalisation, classification and ranges, country by country."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ringfence.domain.numbers import (
    ANONYMOUS,
    NumberError,
    NumberRange,
    NumberType,
    Validity,
    normalize,
    parse_number,
)

# (written form, home country, E.164 / stored form, country, type, validity)
CASES = [
    # Belgium: national forms, the (0) trunk written after +32, dots, premium and toll free.
    ("0470 12 34 56", "BE", "+32470123456", "BE", NumberType.MOBILE, Validity.VALID),
    ("+32 (0)2 511.12.34", "BE", "+3225111234", "BE", NumberType.FIXED_LINE, Validity.VALID),
    ("0032 470/12.34.56", "BE", "+32470123456", "BE", NumberType.MOBILE, Validity.VALID),
    ("32470123456", "BE", "+32470123456", "BE", NumberType.MOBILE, Validity.VALID),
    ("0900 12 345", "BE", "+3290012345", "BE", NumberType.PREMIUM_RATE, Validity.VALID),
    ("0800 12 345", "BE", "+3280012345", "BE", NumberType.TOLL_FREE, Validity.VALID),
    # France.
    ("01 23 45 67 89", "FR", "+33123456789", "FR", NumberType.FIXED_LINE, Validity.VALID),
    ("06.12.34.56.78", "FR", "+33612345678", "FR", NumberType.MOBILE, Validity.VALID),
    ("08 99 23 45 67", "FR", "+33899234567", "FR", NumberType.PREMIUM_RATE, Validity.VALID),
    ("0 800 123 456", "FR", "+33800123456", "FR", NumberType.TOLL_FREE, Validity.VALID),
    # Portugal: no trunk prefix; 760 is premium rate.
    ("21 123 4567", "PT", "+351211234567", "PT", NumberType.FIXED_LINE, Validity.VALID),
    ("912 345 678", "PT", "+351912345678", "PT", NumberType.MOBILE, Validity.VALID),
    ("760 123 456", "PT", "+351760123456", "PT", NumberType.PREMIUM_RATE, Validity.VALID),
    # United Kingdom (GB), with the written (0) trunk.
    ("020 7946 0018", "GB", "+442079460018", "GB", NumberType.FIXED_LINE, Validity.VALID),
    ("+44 (0)20 7946 0018", "BE", "+442079460018", "GB", NumberType.FIXED_LINE, Validity.VALID),
    ("09098 790000", "GB", "+449098790000", "GB", NumberType.PREMIUM_RATE, Validity.VALID),
    # Italy keeps the leading 0 of fixed lines in E.164; 3xx are mobiles, 899 premium.
    ("06 1234 5678", "IT", "+390612345678", "IT", NumberType.FIXED_LINE, Validity.VALID),
    ("347 123 4567", "IT", "+393471234567", "IT", NumberType.MOBILE, Validity.VALID),
    ("899 123 456", "IT", "+39899123456", "IT", NumberType.PREMIUM_RATE, Validity.VALID),
    ("+39 351 123 4567", "BE", "+393511234567", "IT", NumberType.MOBILE, Validity.VALID),
    # Spain.
    ("91 123 45 67", "ES", "+34911234567", "ES", NumberType.FIXED_LINE, Validity.VALID),
    ("612 34 56 78", "ES", "+34612345678", "ES", NumberType.MOBILE, Validity.VALID),
    ("803 123 456", "ES", "+34803123456", "ES", NumberType.PREMIUM_RATE, Validity.VALID),
    # Germany.
    ("030 123 4567", "DE", "+49301234567", "DE", NumberType.FIXED_LINE, Validity.VALID),
    ("0151 2345 6789", "DE", "+4915123456789", "DE", NumberType.MOBILE, Validity.VALID),
    ("0900 1 234567", "DE", "+499001234567", "DE", NumberType.PREMIUM_RATE, Validity.VALID),
    # Netherlands.
    ("06 1234 5678", "NL", "+31612345678", "NL", NumberType.MOBILE, Validity.VALID),
    ("0900-1234567", "NL", "+319001234567", "NL", NumberType.PREMIUM_RATE, Validity.VALID),
    # United States: NANP forms, 011 is its international prefix.
    ("(212) 555-0123", "US", "+12125550123", "US", NumberType.FIXED_LINE_OR_MOBILE, Validity.VALID),
    ("1-900-555-0123", "US", "+19005550123", "US", NumberType.PREMIUM_RATE, Validity.VALID),
    ("011 32 470 12 34 56", "US", "+32470123456", "BE", NumberType.MOBILE, Validity.VALID),
    # Parseable but not allocated: kept (evidence of spoofing), not rejected.
    ("+32 2 123 45 67", "BE", "+3221234567", "BE", NumberType.UNKNOWN, Validity.POSSIBLE),
    ("+32 470 12 34 56 78 90", "BE", "+324701234567890", "BE", NumberType.UNKNOWN,
     Validity.INVALID),
    # URIs as SIP carries them.
    ("tel:+33899123456", "BE", "+33899123456", "FR", NumberType.PREMIUM_RATE, Validity.VALID),
    ("sip:+32470123456@ims.example;user=phone", "FR", "+32470123456", "BE", NumberType.MOBILE,
     Validity.VALID),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "home", "e164", "country", "kind", "validity"), CASES)
def test_normalise_and_classify(
    raw: str, home: str, e164: str, country: str, kind: NumberType, validity: Validity
) -> None:
    number = parse_number(raw, home)
    assert (number.e164, number.country, number.type, number.validity) == (
        e164,
        country,
        kind,
        validity,
    )
    assert number.raw == raw


@pytest.mark.parametrize(
    ("raw", "home"),
    [("112", "BE"), ("101", "BE"), ("17", "FR"), ("15", "FR"), ("999", "GB"), ("911", "US"),
     ("112", "PT"), ("113", "IT"), ("110", "DE"), ("112", "NL"), ("112", "ES")],
)  # fmt: skip
def test_emergency_numbers_are_recognised_and_never_blocked(raw: str, home: str) -> None:
    number = parse_number(raw, home)
    assert number.type is NumberType.EMERGENCY
    assert number.e164 == raw
    assert number.never_block
    assert number.is_national(home)
    assert not number.is_e164


def test_short_service_numbers_are_kept_in_dialled_form() -> None:
    number = parse_number("3237", "FR")
    assert (number.type, number.e164, number.never_block) == (NumberType.SHORT, "3237", True)


@pytest.mark.parametrize(
    "raw", ["", "  ", "anonymous", "Restricted", "PRIVATE", "withheld", "unknown"]
)
def test_withheld_caller_is_a_value_not_an_error(raw: str) -> None:
    number = parse_number(raw, "BE")
    assert (number.e164, number.type) == (ANONYMOUS, NumberType.ANONYMOUS)
    assert number.digits == ""


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        ("call me", "characters that are not digits"),
        ("+32 470 12 34 5x", "characters that are not digits"),
        ("32+470", "'+' may only stand at the start"),
        ("--..", "no digits"),
        ("+999 123", "country code is unknown"),
        ("1" * 20, "at most 15"),
    ],
)
def test_unparsable_text_raises_a_clear_error(raw: str, reason_part: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_number(raw, "BE")
    assert reason_part in caught.value.reason
    assert "international form" in str(caught.value)  # the message says how to fix it


def test_national_or_foreign_depends_on_the_home_country() -> None:
    italian = parse_number("+39 347 123 4567", "BE")
    assert not italian.is_national("BE")
    assert italian.is_national("IT")
    assert parse_number("0470123456", "BE").is_national("be")


def test_ranges_contain_their_numbers_and_not_others() -> None:
    italian_mobiles = NumberRange.parse("+39 39")
    assert str(italian_mobiles) == "+3939"
    assert "+393912345678" in italian_mobiles
    assert "+34612345678" not in italian_mobiles
    assert "112" not in italian_mobiles  # short numbers are in no range
    assert NumberRange.parse("+39").covers(italian_mobiles)
    assert not italian_mobiles.covers(NumberRange.parse("+39"))
    assert italian_mobiles.country_code == 39
    assert NumberRange.parse("+3247012").pattern(11) == "+3247012####"


def test_smallest_common_range() -> None:
    numbers = ["+393511234567", "+393519876543", "+393510000000"]
    assert NumberRange.common(numbers) == NumberRange("39351")
    assert NumberRange.common(["+32470123456"]) == NumberRange("32470123456")
    assert NumberRange.common(["+393511234567", "+34612345678"]) == NumberRange("3")
    with pytest.raises(ValueError, match="share no leading digit"):
        NumberRange.common(["+393511234567", "+12125550123"])
    with pytest.raises(ValueError, match="at least one"):
        NumberRange.common([])


@pytest.mark.parametrize("bad", ["", "+", "+39a", "+" + "1" * 16, "39-3x"])
def test_bad_range_text_is_refused_with_a_hint(bad: str) -> None:
    with pytest.raises(ValueError, match=r"E\.164 prefix|1 to 15 digits"):
        NumberRange.parse(bad)


HOMES = st.sampled_from(["BE", "FR", "PT", "GB", "IT", "ES", "DE", "NL", "US"])
WRITTEN = st.text(alphabet="0123456789 .-/()+", min_size=0, max_size=22)


@settings(max_examples=400, deadline=None)
@given(raw=WRITTEN, home=HOMES)
def test_normalisation_is_idempotent(raw: str, home: str) -> None:
    try:
        once = normalize(raw, home)
    except NumberError:
        return
    assert normalize(once, home) == once


@settings(max_examples=200, deadline=None)
@given(raw=st.text(max_size=30), home=HOMES)
def test_parsing_never_fails_with_anything_but_a_number_error(raw: str, home: str) -> None:
    error: NumberError | None = None
    try:
        parse_number(raw, home)
    except NumberError as caught:
        error = caught
    assert error is None or error.raw == raw


@settings(max_examples=300, deadline=None)
@given(digits=st.text(alphabet="0123456789", min_size=2, max_size=15), cut=st.integers(1, 15))
def test_a_number_is_in_every_range_that_is_a_prefix_of_it(digits: str, cut: int) -> None:
    number = "+" + digits
    prefix = NumberRange.of(number, cut)
    assert number in prefix
    assert NumberRange.common([number]).covers(prefix) is (len(prefix.prefix) == len(digits))
    assert prefix.covers(NumberRange.common([number]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789", min_size=3, max_size=12), min_size=1, max_size=8))
def test_common_range_contains_every_number(suffixes: list[str]) -> None:
    numbers = ["+3" + s for s in suffixes]
    common = NumberRange.common(numbers)
    assert all(n in common for n in numbers)
