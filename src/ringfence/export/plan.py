"""Numbering-plan arithmetic for exports: how long numbers of a range are, expanding a range,
writing a number as a local phone receives it, and carving protected numbers out of a range.

Why the plan's lengths: phones and simple blockers match whole numbers, not prefixes. A range
`+39351` becomes the patterns `+39351#######` (12 digits: Italian mobiles have 10 national
digits)... but Italian mobile numbers can also have 9 national digits, so both lengths are
written. The lengths come from libphonenumber's metadata: for each length the country allows,
a few completions of the prefix are checked against the country's number patterns; the lengths
with a valid completion are kept. When none is valid (an unallocated block), every length the
country allows is used, so the pattern still covers the numbers a scammer could show.

Why carving: a blocklisted range may contain a number that must never be blocked (an
allow-listed bank line, the number of a spoofing victim). Formats that only know prefixes cannot
say "except", so the range is replaced by the sub-ranges around the protected number: at each
digit below the prefix, the 9 siblings of the path to the number (at most 9 per digit).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import lru_cache

import phonenumbers

from ringfence.domain.numbers import NumberRange

_FILLS = (*(str(d) for d in range(10)), "1234567890", "9876543210", "5550123456")


@lru_cache(maxsize=4096)
def plan_lengths(prefix: str) -> tuple[int, ...]:
    """Total digit counts (country code + national number) of the numbers starting with the
    E.164 `prefix` (`+39351` -> (11, 12)); empty when the prefix has no country code."""
    rng = NumberRange.parse(prefix)
    code = rng.country_code
    if code is None:
        return ()
    cc = str(code)
    national = rng.prefix[len(cc) :]
    lengths: set[int] = set()
    allowed: set[int] = set()
    for region in phonenumbers.region_codes_for_country_code(code):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(code, region)
        if metadata is None or metadata.general_desc is None:
            continue
        for length in metadata.general_desc.possible_length or ():
            if length < len(national):
                continue
            allowed.add(length)
            if _has_valid_completion(cc, national, length):
                lengths.add(length)
    chosen = lengths or allowed
    return tuple(sorted(len(cc) + n for n in chosen))


def _has_valid_completion(cc: str, national: str, length: int) -> bool:
    missing = length - len(national)
    for fill in _FILLS:
        digits = (fill * (missing // len(fill) + 1))[:missing] if missing else ""
        candidate = f"+{cc}{national}{digits}"
        try:
            parsed = phonenumbers.parse(candidate, None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return True
    return False


def range_size(prefix: str) -> int:
    """How many numbers the plan allows in the range (0 when its lengths are unknown)."""
    digits = len(prefix.lstrip("+"))
    return sum(10 ** (total - digits) for total in plan_lengths(prefix))


def expand(prefix: str, limit: int) -> list[str] | None:
    """Every number of the range, or None when there are more than `limit`."""
    if range_size(prefix) > limit or not plan_lengths(prefix):
        return None
    digits = prefix.lstrip("+")
    found: list[str] = []
    for total in plan_lengths(prefix):
        missing = total - len(digits)
        found += [f"+{digits}{i:0{missing}d}" for i in range(10**missing)] if missing else [prefix]
    return sorted(set(found))


def patterns(prefix: str) -> list[str]:
    """`+39351#######`-style patterns, one per plan length of the range."""
    rng = NumberRange.parse(prefix)
    return [rng.pattern(total) for total in plan_lengths(prefix)]


def carve(prefix: str, protected: Sequence[str]) -> list[str]:
    """Sub-prefixes of `prefix` covering the range except the numbers in `protected` (sorted
    E.164 numbers; numbers outside the range are ignored). `[prefix]` when none is inside."""
    inside = _within(prefix, protected)
    if not inside:
        return [prefix]
    if any(number == prefix for number in inside):
        return []
    pieces: list[str] = []
    for digit in "0123456789":
        pieces += carve(prefix + digit, inside)
    return pieces


def _within(prefix: str, protected: Sequence[str]) -> list[str]:
    start = bisect.bisect_left(protected, prefix)
    end = bisect.bisect_left(protected, prefix + "\U0010ffff")
    return list(protected[start:end])


def dialled_form(subject: str, home_country: str) -> str:
    """The digits a phone in `home_country` shows for a number or prefix: national digits with
    the trunk prefix for home numbers (`+32470...` -> `0470...` in BE), the international
    access code for foreign ones (`+39351...` -> `0039351...` in BE)."""
    digits = subject.lstrip("+")
    padded = digits
    try:
        parsed = phonenumbers.parse("+" + digits, None)
        complete = phonenumbers.is_valid_number(parsed)
    except phonenumbers.NumberParseException:
        complete = False
    if not complete:
        lengths = plan_lengths(subject) if len(digits) < 16 else ()
        if lengths and len(digits) < max(lengths):
            padded = digits + "0" * (max(lengths) - len(digits))
        try:
            parsed = phonenumbers.parse("+" + padded, None)
        except phonenumbers.NumberParseException:
            return "00" + digits
    shown = phonenumbers.format_out_of_country_calling_number(parsed, home_country.upper())
    shown_digits = "".join(ch for ch in shown if ch.isdigit())
    cut = len(padded) - len(digits)
    tail = padded[len(str(parsed.country_code)) :]
    if not shown_digits.endswith(tail):
        return "00" + digits
    return shown_digits[: len(shown_digits) - cut] if cut else shown_digits
