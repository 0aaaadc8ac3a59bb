"""Number blocks: prefixes whose every number has the same country, type and validity.

Why blocks: parsing each generated number with libphonenumber would cost ~50 us a call (minutes
for 10 million calls). Instead, at start-up, candidate prefixes are drawn from the numbering
plan's own patterns (libphonenumber metadata), and a prefix is kept as a block of
`10**suffix_digits` numbers only when sampled members, including the first and the last, all
parse with `parse_number` to the same enrichment. Numbers are then `prefix * 10**k + suffix`,
made with numpy, and their enrichment is the block's. A test parses thousands of generated
numbers and checks that the enrichment written equals libphonenumber's.

Numbers are held as int64 E.164 digits (no plus); a `KindTable` maps small integer codes to the
enrichment (country, type, validity) and the written style (E.164, dialled digits, anonymous).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import phonenumbers
from phonenumbers import PhoneMetadata

from ringfence.domain.numbers import NumberError, NumberType, Validity, parse_number
from ringfence.simulate.presets import PresetError, RangeSpec

STYLE_E164 = 0
"""Written `+` then the digits."""
STYLE_DIGITS = 1
"""Written as dialled digits without `+` (short and emergency numbers)."""
STYLE_ANONYMOUS = 2
"""A withheld caller, written `anonymous`."""

_SAMPLES_PER_BLOCK = 8
_TRIES_PER_BLOCK = 400

_DESC_OF_TYPE = {
    NumberType.FIXED_LINE: "fixed_line",
    NumberType.MOBILE: "mobile",
    NumberType.PREMIUM_RATE: "premium_rate",
    NumberType.TOLL_FREE: "toll_free",
    NumberType.SHARED_COST: "shared_cost",
    NumberType.VOIP: "voip",
    NumberType.PERSONAL: "personal_number",
    NumberType.PAGER: "pager",
    NumberType.UAN: "uan",
    NumberType.VOICEMAIL: "voicemail",
}


@dataclass(frozen=True)
class Kind:
    """The enrichment of a number and how it is written."""

    country: str | None
    type: str
    valid: bool
    style: int = STYLE_E164


ANONYMOUS_KIND = Kind(None, NumberType.ANONYMOUS.value, True, STYLE_ANONYMOUS)


class KindTable:
    """Small integer codes for kinds, so that enrichment columns are built with one `take`."""

    def __init__(self) -> None:
        self._kinds: list[Kind] = []
        self._codes: dict[Kind, int] = {}
        self.anonymous = self.code(ANONYMOUS_KIND)

    def code(self, kind: Kind) -> int:
        found = self._codes.get(kind)
        if found is None:
            found = len(self._kinds)
            self._kinds.append(kind)
            self._codes[kind] = found
        return found

    @property
    def kinds(self) -> tuple[Kind, ...]:
        return tuple(self._kinds)


@dataclass(frozen=True)
class Block:
    """`10**suffix_digits` consecutive numbers after an E.164 prefix, all of one kind."""

    prefix: int
    """E.164 digits before the suffix (no plus)."""
    suffix_digits: int
    kind: Kind

    @property
    def size(self) -> int:
        return int(10**self.suffix_digits)

    @property
    def first(self) -> int:
        return self.prefix * self.size

    @property
    def range_text(self) -> str:
        """The block as a range, e.g. `+3247012`."""
        return f"+{self.prefix}"


def _describe(e164: str, region: str) -> Kind | None:
    try:
        number = parse_number(e164, region)
    except NumberError:
        return None
    if number.e164 != e164:
        return None
    return Kind(number.country, number.type.value, number.validity is Validity.VALID)


def _acceptable(kind: Kind, spec: RangeSpec) -> bool:
    wanted = {spec.type.value}
    if spec.type in (NumberType.FIXED_LINE, NumberType.MOBILE):
        wanted.add(NumberType.FIXED_LINE_OR_MOBILE.value)
    return kind.valid and kind.country == spec.country and kind.type in wanted


def _verify(prefix: str, suffix_digits: int, region: str, rng: np.random.Generator) -> Kind | None:
    """The common kind of sampled members of the block, or None when they differ."""
    size = 10**suffix_digits
    suffixes = [0, size - 1, *rng.integers(0, size, _SAMPLES_PER_BLOCK - 2).tolist()]
    found: Kind | None = None
    for suffix in suffixes:
        kind = _describe(f"+{prefix}{suffix:0{suffix_digits}d}", region)
        if kind is None or (found is not None and kind != found):
            return None
        found = kind
    return found


def _candidates(spec: RangeSpec) -> tuple[str, re.Pattern[str], list[int], str]:
    """Country code, the type's national pattern, possible lengths and an example NSN."""
    metadata = PhoneMetadata.metadata_for_region(spec.country)
    attribute = _DESC_OF_TYPE.get(spec.type)
    desc = getattr(metadata, attribute, None) if metadata is not None and attribute else None
    if metadata is None or desc is None or desc.national_number_pattern is None:
        raise PresetError(f"libphonenumber has no {spec.type.value} numbers for {spec.country}")
    example = phonenumbers.example_number_for_type(
        spec.country, getattr(phonenumbers.PhoneNumberType, str(attribute).upper())
    )
    if example is None:
        raise PresetError(f"libphonenumber has no example {spec} number to start from")
    nsn = phonenumbers.national_significant_number(example)
    lengths = [n for n in (desc.possible_length or ()) if n > 0] or [len(nsn)]
    pattern = re.compile(desc.national_number_pattern)
    return str(metadata.country_code), pattern, lengths, nsn


@lru_cache(maxsize=256)
def find_blocks(spec: RangeSpec, count: int, suffix_digits: int = 4) -> tuple[Block, ...]:
    """Up to `count` distinct blocks of `spec`, deterministic for given arguments.

    Raises PresetError when the numbering plan has no such numbers at all.
    """
    code, pattern, lengths, example = _candidates(spec)
    rng = np.random.default_rng(zlib.crc32(f"{spec}|{suffix_digits}".encode()))
    blocks: dict[str, Block] = {}
    length = len(example) if len(example) in lengths else max(lengths)
    if length <= suffix_digits:
        raise PresetError(f"{spec} numbers are too short for blocks of {suffix_digits} digits")
    for _ in range(count * _TRIES_PER_BLOCK):
        if len(blocks) >= count:
            break
        keep = int(rng.integers(1, min(3, length - suffix_digits) + 1))
        digits = "".join(map(str, rng.integers(0, 10, length - keep).tolist()))
        candidate = example[:keep] + digits
        if not pattern.fullmatch(candidate):
            continue
        prefix = code + candidate[: length - suffix_digits]
        if prefix in blocks:
            continue
        kind = _verify(prefix, suffix_digits, spec.country, rng)
        if kind is not None and _acceptable(kind, spec):
            blocks[prefix] = Block(int(prefix), suffix_digits, kind)
    if not blocks:
        raise PresetError(f"found no block of valid {spec} numbers in libphonenumber's metadata")
    return tuple(blocks.values())


@lru_cache(maxsize=32)
def find_invalid_blocks(country: str, count: int, suffix_digits: int = 4) -> tuple[Block, ...]:
    """Blocks of numbers the home plan does not allocate (right length, unassigned prefix).

    Their country is the home country, or none when libphonenumber cannot tell it (a calling
    code shared by several regions, such as +44).
    """
    metadata = PhoneMetadata.metadata_for_region(country)
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    if metadata is None or example is None:
        raise PresetError(f"libphonenumber has no mobile plan for {country}")
    length = len(phonenumbers.national_significant_number(example))
    code = str(metadata.country_code)
    rng = np.random.default_rng(zlib.crc32(f"invalid|{country}|{suffix_digits}".encode()))
    blocks: dict[str, Block] = {}
    for _ in range(count * _TRIES_PER_BLOCK):
        if len(blocks) >= count:
            break
        head = "".join(map(str, rng.integers(0, 10, length - suffix_digits - 1).tolist()))
        prefix = code + str(int(rng.integers(1, 10))) + head
        if prefix in blocks:
            continue
        kind = _verify(prefix, suffix_digits, country, rng)
        if kind is not None and not kind.valid and kind.country in (country, None):
            blocks[prefix] = Block(int(prefix), suffix_digits, kind)
    if not blocks:
        raise PresetError(f"found no unallocated block in the numbering plan of {country}")
    return tuple(blocks.values())


class BlockSet:
    """Blocks drawn from together, with their kind codes, for vectorised number generation."""

    def __init__(self, blocks: tuple[Block, ...] | list[Block], kinds: KindTable) -> None:
        if not blocks:
            raise ValueError("a BlockSet needs at least one block")
        sizes = {b.suffix_digits for b in blocks}
        if len(sizes) != 1:
            raise ValueError("blocks of a BlockSet must share their suffix length")
        self.blocks = tuple(blocks)
        self.size = self.blocks[0].size
        self.prefixes = np.array([b.prefix for b in self.blocks], dtype=np.int64)
        self.codes = np.array([kinds.code(b.kind) for b in self.blocks], dtype=np.int16)

    def __len__(self) -> int:
        return len(self.blocks) * self.size

    def number(self, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Numbers and kind codes of positions 0..len-1 (block-major order)."""
        block = index // self.size
        return self.prefixes[block] * self.size + index % self.size, self.codes[block]

    def draw(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """`n` numbers, uniformly, repeats allowed."""
        return self.number(rng.integers(0, len(self), n, dtype=np.int64))

    def draw_unique(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """`n` distinct numbers in random order; ValueError when the blocks hold fewer."""
        if n > len(self):
            raise ValueError(f"{n} distinct numbers asked from blocks holding {len(self)}")
        return self.number(rng.choice(len(self), n, replace=False).astype(np.int64))
