"""Number blocks: every number of a block has the block's enrichment (property-based)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ringfence.domain.numbers import Validity, parse_number
from ringfence.simulate.blocks import BlockSet, KindTable, find_blocks, find_invalid_blocks
from ringfence.simulate.presets import PresetError, RangeSpec

SPECS = [
    "BE:mobile",
    "BE:fixed_line",
    "FR:mobile",
    "GB:mobile",
    "IT:fixed_line",
    "ES:mobile",
    "DE:mobile",
    "TN:premium_rate",
    "GB:personal",
    "US:fixed_line",
]


@settings(max_examples=200, deadline=None)
@given(spec=st.sampled_from(SPECS), block=st.integers(0, 5), suffix=st.integers(0, 9_999))
def test_any_number_of_a_block_parses_to_the_block_kind(spec: str, block: int, suffix: int) -> None:
    found = find_blocks(RangeSpec.parse(spec), 6)
    chosen = found[block % len(found)]
    number = parse_number(f"+{chosen.first + suffix}", "BE")
    assert number.e164 == f"+{chosen.first + suffix}"
    assert (number.country, number.type.value) == (chosen.kind.country, chosen.kind.type)
    assert number.validity is Validity.VALID


def test_blocks_are_deterministic_and_distinct() -> None:
    spec = RangeSpec.parse("IT:mobile")
    assert find_blocks(spec, 10) == find_blocks.__wrapped__(spec, 10)
    assert find_blocks(spec, 4) == find_blocks(spec, 10)[:4]
    prefixes = [b.prefix for b in find_blocks(spec, 10)]
    assert len(set(prefixes)) == 10


def test_invalid_blocks_are_not_allocated() -> None:
    for block in find_invalid_blocks("BE", 3):
        for suffix in (0, 1234, 9999):
            number = parse_number(f"+{block.first + suffix}", "BE")
            assert number.validity is not Validity.VALID


def test_block_set_draws_distinct_numbers_with_their_kinds() -> None:
    kinds = KindTable()
    blocks = BlockSet(find_blocks(RangeSpec.parse("BE:mobile"), 2), kinds)
    digits, codes = blocks.draw_unique(np.random.default_rng(0), 15_000)
    assert len(set(digits.tolist())) == 15_000
    assert {kinds.kinds[c].type for c in codes.tolist()} == {"mobile"}
    with pytest.raises(ValueError, match="distinct numbers"):
        blocks.draw_unique(np.random.default_rng(0), 20_001)


@pytest.mark.parametrize(
    ("text", "message"),
    [("XX:mobile", "not a country"), ("BE:cellphone", "COUNTRY:TYPE"), ("BE:pager", "no pager")],
)
def test_bad_range_specs_are_explained(text: str, message: str) -> None:
    with pytest.raises(PresetError, match=message):
        find_blocks(RangeSpec.parse(text), 1)
