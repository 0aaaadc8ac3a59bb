"""Phone numbers: any written form to E.164, with country, type and validity, on libphonenumber.

Why libphonenumber (`phonenumbers`): it carries the numbering plans of every country, updated by
Google from the regulators' allocations, so "is this CLI valid?" and "is this a premium-rate
number?" are answered from data, not from regexes of ours.

The forms accepted are those people and switches write: national with a home country
(`0470 12 34 56`), international with `+` or `00` (`+32 470 12 34 56`, `0032470123456`),
international without the plus as many CDRs store it (`32470123456`), with spaces, dots,
dashes, slashes and brackets. A withheld caller (`anonymous`, empty...) is a value, not an error.
Emergency and other short numbers (`112`, `17`, `999`, `1813`) are recognised, kept in their
dialled form (they have no E.164 form) and must never be blocked.

>>> n = parse_number("0470 12.34-56", "BE")
>>> n.e164, n.country, n.type.value, n.validity.value
('+32470123456', 'BE', 'mobile', 'valid')
>>> parse_number("+39 351 123 4567", "BE").is_national("BE")
False
>>> parse_number("112", "FR").type.value
'emergency'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, shortnumberinfo


class NumberType(StrEnum):
    """What a number is, after the numbering plan of its country."""

    FIXED_LINE = "fixed_line"
    MOBILE = "mobile"
    FIXED_LINE_OR_MOBILE = "fixed_line_or_mobile"
    PREMIUM_RATE = "premium_rate"
    TOLL_FREE = "toll_free"
    SHARED_COST = "shared_cost"
    VOIP = "voip"
    PERSONAL = "personal"
    PAGER = "pager"
    UAN = "uan"
    VOICEMAIL = "voicemail"
    UNKNOWN = "unknown"
    SHORT = "short"
    EMERGENCY = "emergency"
    ANONYMOUS = "anonymous"

    @property
    def is_geographic_or_mobile(self) -> bool:
        """Fixed or mobile: the kinds that belong to a subscriber (what spoofers present)."""
        return self in _SUBSCRIBER_TYPES


_SUBSCRIBER_TYPES = frozenset(
    {NumberType.FIXED_LINE, NumberType.MOBILE, NumberType.FIXED_LINE_OR_MOBILE}
)

_TYPE_OF_LIBPHONENUMBER: dict[int, NumberType] = {
    PhoneNumberType.FIXED_LINE: NumberType.FIXED_LINE,
    PhoneNumberType.MOBILE: NumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: NumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.TOLL_FREE: NumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE: NumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST: NumberType.SHARED_COST,
    PhoneNumberType.VOIP: NumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER: NumberType.PERSONAL,
    PhoneNumberType.PAGER: NumberType.PAGER,
    PhoneNumberType.UAN: NumberType.UAN,
    PhoneNumberType.VOICEMAIL: NumberType.VOICEMAIL,
    PhoneNumberType.UNKNOWN: NumberType.UNKNOWN,
}


class Validity(StrEnum):
    """`valid`: allocated by the plan; `possible`: right length, unallocated; else `invalid`."""

    VALID = "valid"
    POSSIBLE = "possible"
    INVALID = "invalid"


ANONYMOUS = "anonymous"
"""The stored form of a withheld or absent caller ID."""

_ANONYMOUS_FORMS = frozenset(
    {
        "",
        "anonymous",
        "anon",
        "restricted",
        "private",
        "withheld",
        "unavailable",
        "unknown",
        "clir",
        "hidden",
        "blocked",
        "0",
    }
)
_ALLOWED = re.compile(r"^[0-9+ .\-/()\u00a0]+$")
_SEPARATORS = re.compile(r"[ .\-/()\u00a0]")
_MAX_DIGITS = 17  # E.164 allows 15; a little slack for written prefixes such as 00


class NumberError(ValueError):
    """A text that is not a phone number. The message says what was wrong and how to write it."""

    def __init__(self, raw: str, reason: str) -> None:
        self.raw = raw
        self.reason = reason
        super().__init__(
            f"{raw!r} is not a phone number: {reason}. Write it in international form "
            "(+32 470 12 34 56 or 0032470123456) or in the national form of the home country."
        )


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A parsed number. `e164` is the canonical form (`+...`), the dialled digits of a short
    or emergency number, or `anonymous`."""

    raw: str
    e164: str
    country: str | None
    country_code: int | None
    type: NumberType
    validity: Validity

    def is_national(self, home_country: str) -> bool:
        """True when the number belongs to the numbering plan of `home_country`.

        Short and emergency numbers are always national (they are dialled in the home network).
        """
        if self.type in (NumberType.SHORT, NumberType.EMERGENCY):
            return True
        return self.country == home_country.upper()

    @property
    def is_e164(self) -> bool:
        return self.e164.startswith("+")

    @property
    def never_block(self) -> bool:
        """Emergency and short service numbers are never blocked, whatever their reputation."""
        return self.type in (NumberType.EMERGENCY, NumberType.SHORT)

    @property
    def digits(self) -> str:
        """The digits of the E.164 form, without the plus (empty for anonymous)."""
        return self.e164.lstrip("+") if self.e164 != ANONYMOUS else ""


def parse_number(raw: str, home_country: str) -> PhoneNumber:
    """Parse any written form of a number, relative to `home_country` (ISO code, e.g. "BE").

    Raises `NumberError` for a text that cannot be a number (letters, no digits, too long).
    A number that parses but is not allocated is returned with `validity` `possible` or
    `invalid`: an invalid CLI is evidence of spoofing, not a reason to drop the record.
    """
    return _parse_cached(raw, home_country.upper())


def normalize(raw: str, home_country: str) -> str:
    """The canonical form of `raw`: E.164, or dialled digits of a short number, or anonymous.

    Idempotent: `normalize(normalize(x, c), c) == normalize(x, c)`.

    >>> normalize("0032 (0)470/12.34.56", "BE")
    '+32470123456'
    """
    return parse_number(raw, home_country).e164


@lru_cache(maxsize=1 << 18)  # ~0.4 KB a number: about 110 MB at most
def _parse_cached(raw: str, region: str) -> PhoneNumber:
    text = raw.strip()
    if text.lower() in _ANONYMOUS_FORMS:
        return PhoneNumber(raw, ANONYMOUS, None, None, NumberType.ANONYMOUS, Validity.VALID)
    if text.lower().startswith(("tel:", "sip:")):
        text = text[4:].split("@", 1)[0].split(";", 1)[0]
    if not _ALLOWED.match(text):
        bad = sorted({c for c in text if not (c.isdigit() or c in "+ .-/()\u00a0")})
        raise NumberError(raw, f"it contains characters that are not digits: {''.join(bad)!r}")
    compact = _SEPARATORS.sub("", text.replace("(0)", ""))
    if "+" in compact[1:]:
        raise NumberError(raw, "a '+' may only stand at the start")
    digits = compact.lstrip("+")
    if not digits:
        raise NumberError(raw, "it has no digits")
    if len(digits) > _MAX_DIGITS:
        raise NumberError(raw, f"it has {len(digits)} digits; E.164 numbers have at most 15")

    if not compact.startswith("+") and len(digits) <= 6:
        short = _short_number(raw, digits, region)
        if short is not None:
            return short

    try:
        parsed = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException as error:
        raise NumberError(raw, _parse_reason(error)) from None
    if not compact.startswith("+") and not phonenumbers.is_valid_number(parsed):
        # Switches often store international numbers without the plus (32470123456).
        alternative = _parse_or_none("+" + digits.removeprefix("00"))
        if alternative is not None and phonenumbers.is_valid_number(alternative):
            parsed = alternative
    if phonenumbers.is_valid_number(parsed):
        return _describe(raw, parsed)  # allocated numbers format and re-read stably
    return _describe(raw, _stable(raw, parsed))


def _stable(raw: str, parsed: phonenumbers.PhoneNumber) -> phonenumbers.PhoneNumber:
    """Make normalisation idempotent: re-reading the E.164 form must give the same number.

    libphonenumber may strip a trunk 0 again when it reads an unallocated `+32 0...` that it
    wrote itself; for such numbers the fixpoint is the canonical form.
    """
    for _ in range(4):
        e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        if len(e164) - 1 > 15:
            raise NumberError(raw, f"it has {len(e164) - 1} digits; E.164 allows at most 15")
        again = _parse_or_none(e164)
        if again is None:
            raise NumberError(raw, "its international form is not a number")
        if phonenumbers.format_number(again, PhoneNumberFormat.E164) == e164:
            return parsed
        parsed = again
    raise NumberError(raw, "its national part is ambiguous (a run of zeros?)")


def _parse_or_none(text: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None


def _short_number(raw: str, digits: str, region: str) -> PhoneNumber | None:
    if shortnumberinfo.is_emergency_number(digits, region):
        return PhoneNumber(raw, digits, region, None, NumberType.EMERGENCY, Validity.VALID)
    try:
        parsed = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return None
    if shortnumberinfo.is_valid_short_number_for_region(parsed, region):
        return PhoneNumber(raw, digits, region, None, NumberType.SHORT, Validity.VALID)
    return None


def _describe(raw: str, parsed: phonenumbers.PhoneNumber) -> PhoneNumber:
    e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(parsed):
        validity = Validity.VALID
        number_type = _TYPE_OF_LIBPHONENUMBER.get(
            phonenumbers.number_type(parsed), NumberType.UNKNOWN
        )
    else:
        possible = phonenumbers.is_possible_number(parsed)
        validity = Validity.POSSIBLE if possible else Validity.INVALID
        number_type = NumberType.UNKNOWN
    region = phonenumbers.region_code_for_number(parsed)
    country = region if region and region not in ("ZZ", "001") else None
    if country is None and validity is not Validity.VALID and parsed.country_code:
        regions = phonenumbers.region_codes_for_country_code(parsed.country_code)
        country = regions[0] if len(regions) == 1 and regions[0] != "001" else None
    return PhoneNumber(raw, e164, country, parsed.country_code, number_type, validity)


def _parse_reason(error: phonenumbers.NumberParseException) -> str:
    reasons = {
        phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "its country code is unknown",
        phonenumbers.NumberParseException.NOT_A_NUMBER: "it does not look like a number",
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "it is too short after 00",
        phonenumbers.NumberParseException.TOO_SHORT_NSN: "it is too short",
        phonenumbers.NumberParseException.TOO_LONG: "it is too long",
    }
    return reasons.get(error.error_type, str(error))


_RANGE_TEXT = re.compile(r"^\+?([0-9]{1,15})$")


@dataclass(frozen=True, slots=True, order=True)
class NumberRange:
    """A block of numbers sharing an E.164 prefix: `+3939` (Italian mobiles starting 39),
    `+3247012` (a Belgian /100 block). Ranges are how Wangiri and rotation campaigns are blocked:
    the numbers change with every call, their prefix does not.

    >>> r = NumberRange.parse("+3939")
    >>> "+393912345678" in r, "+34612345678" in r
    (True, False)
    >>> NumberRange.common(["+393511234567", "+393519876543"])
    NumberRange(prefix='39351')
    """

    prefix: str
    """The digits of the prefix, without the plus."""

    def __post_init__(self) -> None:
        if not self.prefix.isdigit() or not 1 <= len(self.prefix) <= 15:
            raise ValueError(
                f"range prefix {self.prefix!r} must be 1 to 15 digits (written +3939 or 3939)"
            )

    @classmethod
    def parse(cls, text: str) -> NumberRange:
        """Read `+3939`, `3939` or `+39 39`; raise ValueError with a hint otherwise."""
        match = _RANGE_TEXT.match(_SEPARATORS.sub("", text.strip()))
        if match is None:
            raise ValueError(
                f"{text!r} is not a number range: write an E.164 prefix such as +3939 or +3247012"
            )
        return cls(match.group(1))

    @classmethod
    def of(cls, number: str, length: int) -> NumberRange:
        """The range of the first `length` digits of an E.164 number."""
        digits = number.lstrip("+")
        if not number.startswith("+") or not digits.isdigit():
            raise ValueError(f"{number!r} is not in E.164 form (+ then digits)")
        return cls(digits[: max(1, min(length, len(digits)))])

    @classmethod
    def common(cls, numbers: Iterable[str]) -> NumberRange:
        """The smallest range that contains every number (their longest common prefix).

        Raises ValueError when there are no numbers or they share no first digit.
        """
        prefix: str | None = None
        for number in numbers:
            digits = number.lstrip("+")
            if not number.startswith("+") or not digits.isdigit():
                raise ValueError(f"{number!r} is not in E.164 form (+ then digits)")
            if prefix is None:
                prefix = digits
                continue
            end = 0
            for a, b in zip(prefix, digits, strict=False):
                if a != b:
                    break
                end += 1
            prefix = prefix[:end]
            if not prefix:
                raise ValueError("these numbers share no leading digit: no common range")
        if prefix is None:
            raise ValueError("no numbers given: a common range needs at least one")
        return cls(prefix)

    def contains(self, number: str) -> bool:
        """True when the E.164 `number` starts with this prefix (short numbers never do)."""
        return number.startswith("+") and number[1:].startswith(self.prefix)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and self.contains(number)

    def covers(self, other: NumberRange) -> bool:
        """True when every number of `other` is also in this range."""
        return other.prefix.startswith(self.prefix)

    @property
    def country_code(self) -> int | None:
        """The country calling code this range lies in, when its prefix is long enough."""
        for size in (1, 2, 3):
            code = self.prefix[:size]
            if len(code) == size and phonenumbers.region_codes_for_country_code(int(code)):
                return int(code)
        return None

    def pattern(self, total_digits: int) -> str:
        """A fixed-length pattern for phones that cannot match prefixes: `+3939########`."""
        if total_digits < len(self.prefix):
            raise ValueError(f"{total_digits} digits is shorter than the prefix {self}")
        return "+" + self.prefix + "#" * (total_digits - len(self.prefix))

    def __str__(self) -> str:
        return "+" + self.prefix
