"""The enrichment written for each number equals what libphonenumber says about its raw form.

The simulator never parses per call (it builds numbers from verified blocks), so this is the
check that the shortcut is right: up to 2,000 numbers of every (country, type, validity) kind,
caller and callee side, are parsed with `parse_number` from the raw form the record carries.
"""

from __future__ import annotations

import pytest

from ringfence.domain.numbers import Validity, parse_number
from tests.simulate.conftest import Dataset, MakeDataset

PER_KIND = 2_000


def _check(data: Dataset, home: str) -> int:
    checked = 0
    for side in ("caller", "callee"):
        rows = data.sql(
            f"select {side}_raw, {side}, {side}_country, {side}_type, {side}_valid "
            f"from (select *, row_number() over (partition by {side}_country, {side}_type, "
            f"{side}_valid order by hash(call_id)) as n from calls) where n <= {PER_KIND}"
        )
        for raw, canonical, country, number_type, valid in rows:
            parsed = parse_number(raw, home)
            assert (parsed.e164, parsed.country, parsed.type.value) == (
                canonical,
                country,
                number_type,
            ), raw
            assert (parsed.validity is Validity.VALID) == valid, raw
            checked += 1
    return checked


def test_enrichment_matches_libphonenumber_for_a_belgian_operator(day: Dataset) -> None:
    assert _check(day, "BE") > 10_000


@pytest.mark.parametrize("home", ["FR", "PT", "GB", "IT", "ES", "DE", "US"])
def test_enrichment_matches_libphonenumber_in_other_countries(
    make_dataset: MakeDataset, home: str
) -> None:
    data = make_dataset(home, calls=20_000)
    assert _check(data, home) > 3_000
    national = data.sql(
        "select count(*) from calls where direction = 'outbound' and callee_country = "
        f"'{home}' and callee_raw not like '+%' and callee_raw not like '00%'"
    )[0][0]
    assert national > 1000  # national numbers are written in the national form


def test_raw_forms_are_realistic(day: Dataset) -> None:
    forms = dict(
        day.sql(
            "select case when caller_raw like '+%' then 'e164' when caller_raw like '00%' "
            "then 'international' when caller_raw like '0%' then 'national' else caller_raw end, "
            "count(*) from calls group by 1"
        )
    )
    assert forms["national"] > forms["e164"] > 0
    assert forms["international"] > 0
    national_from_abroad = day.sql(
        "select count(*) from calls where ingress = 'international' and caller_country = 'BE' "
        "and caller_raw not like '+32%'"
    )[0][0]
    assert national_from_abroad == 0  # CLIs from abroad arrive in international form
