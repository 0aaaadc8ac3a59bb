"""Each planted campaign has its defining properties in the output (issue 2, part 4)."""

from __future__ import annotations

import numpy as np

from ringfence.simulate.presets import service_numbers
from tests.simulate.conftest import Dataset

SUBSCRIBER_TYPES = ("fixed_line", "mobile", "fixed_line_or_mobile")
DAY_US = 24 * 3600 * 1_000_000


def _rows(data: Dataset, kind: str, columns: str = "*") -> list[tuple]:
    return data.sql(f"select {columns} from labelled where campaign_kind = '{kind}' order by start")


def test_silent_calls_are_answered_and_dropped_by_the_caller_within_3_s(day: Dataset) -> None:
    rows = _rows(day, "silent_calls", "answered, released_by, duration_s, ingress, direction")
    assert rows
    for answered, released, duration, ingress, direction in rows:
        assert answered
        assert released == "caller"
        assert 0 < duration <= 3.0
        assert ingress == "international"
        assert direction == "inbound"


def test_silent_calls_present_national_subscriber_numbers(day: Dataset) -> None:
    rows = _rows(day, "silent_calls", "caller, caller_country, caller_type, caller_valid")
    for caller, country, number_type, valid in rows:
        assert caller.startswith("+32")
        assert country == "BE"
        assert valid
        assert number_type in SUBSCRIBER_TYPES


def test_silent_calls_reach_many_distinct_callees_in_bursts(day: Dataset) -> None:
    for campaign_id, calls, callees, carriers, hours in day.sql(
        "select campaign_id, count(*), count(distinct callee), count(distinct carrier), "
        "count(distinct date_trunc('hour', start)) from labelled "
        "where campaign_kind = 'silent_calls' group by 1"
    ):
        assert callees == calls, campaign_id  # never the same subscriber twice
        assert carriers <= 2
        assert 1 < hours < 24  # bursts over hours, not spread over the whole day


def test_silent_call_callbacks_go_to_the_spoofed_owner_within_24_h(day: Dataset) -> None:
    callbacks = _rows(day, "silent_calls_callback", "campaign_id, caller, callee, epoch_us(start)")
    assert callbacks
    silent = day.sql(
        "select campaign_id, caller, callee, epoch_us(start) from labelled "
        "where campaign_kind = 'silent_calls'"
    )
    presented = {(cid, owner, recipient): start for cid, owner, recipient, start in silent}
    for campaign_id, caller, callee, start in callbacks:
        shown = presented.get((campaign_id, callee, caller))
        assert shown is not None, "the caller must have received a call presenting the callee"
        assert shown < start <= shown + DAY_US


def test_spoofed_owners_get_callbacks_from_several_distinct_callers(day: Dataset) -> None:
    per_owner = day.sql(
        "select callee, count(distinct caller) from labelled "
        "where campaign_kind = 'silent_calls_callback' group by 1"
    )
    assert max(n for _, n in per_owner) >= 5
    share = day.sql(
        "select count(*) filter (where campaign_kind = 'silent_calls_callback') * 1.0 / "
        "count(*) filter (where campaign_kind = 'silent_calls') from labelled"
    )[0][0]
    assert 0.025 <= share <= 0.05  # configured 4%, minus callbacks that fall after the span


def test_wangiri_calls_ring_once_unanswered_from_foreign_numbers(day: Dataset) -> None:
    rows = _rows(day, "wangiri", "answered, ring_s, released_by, caller_country, ingress")
    assert rows
    for answered, ring, released, country, ingress in rows:
        assert not answered
        assert 0 < ring <= 3.0
        assert released == "caller"
        assert country is not None
        assert country != "BE"
        assert ingress == "international"


def test_wangiri_numbers_are_used_at_most_twice_from_few_ranges(day: Dataset) -> None:
    uses = day.sql(
        "select caller, count(*) from labelled where campaign_kind = 'wangiri' group by 1"
    )
    assert max(n for _, n in uses) <= 2
    assert len(uses) > 0.5 * sum(n for _, n in uses)  # numbers rotate
    for campaign in (c for c in day.campaigns["campaigns"] if c["kind"] == "wangiri"):
        assert 1 <= len(campaign["ranges"]) <= 4
        numbers = campaign["numbers"]
        assert all(any(n.startswith(r) for r in campaign["ranges"]) for n in numbers)


def test_wangiri_callbacks_return_the_call_that_lured_them(day: Dataset) -> None:
    callbacks = _rows(
        day,
        "wangiri_callback",
        "campaign_id, caller, callee, epoch_us(start), direction, answered, duration_s",
    )
    assert callbacks
    lures = day.sql(
        "select campaign_id, callee, caller, epoch_us(start) from labelled "
        "where campaign_kind = 'wangiri'"
    )
    rang = {}
    for campaign_id, subscriber, number, start in lures:
        rang.setdefault((campaign_id, subscriber, number), []).append(start)
    for campaign_id, caller, callee, start, direction, answered, duration in callbacks:
        earlier = rang.get((campaign_id, caller, callee), [])
        assert any(t < start for t in earlier), "a callback follows a one-ring call"
        assert direction == "outbound"
        assert answered
        assert duration >= 20


def test_some_wangiri_callbacks_come_days_later(week: Dataset) -> None:
    delays = week.sql(
        "select max(epoch_us(c.start) - epoch_us(w.start)) from labelled c join labelled w "
        "on c.campaign_kind = 'wangiri_callback' and w.campaign_kind = 'wangiri' "
        "and w.callee = c.caller and w.caller = c.callee"
    )[0][0]
    assert delays > DAY_US


def test_cli_spoofing_presents_do_not_originate_numbers(day: Dataset) -> None:
    listed = {s.e164 for s in service_numbers("BE")}
    rows = _rows(day, "cli_spoofing", "caller, caller_valid, ingress, answered, duration_s")
    assert rows
    invalid = [r for r in rows if not r[1]]
    valid = [r for r in rows if r[1]]
    assert {r[0] for r in valid} <= listed
    assert len(invalid) == round(0.02 * len(rows))  # the documented invalid_cli share
    assert all(r[2] == "international" for r in rows)
    answered = [r for r in rows if r[3]]
    assert len(answered) > 0.7 * len(rows)
    assert all(r[4] >= 60 for r in answered)  # long: minutes of social engineering
    campaign = next(c for c in day.campaigns["campaigns"] if c["kind"] == "cli_spoofing")
    assert set(campaign["details"]["invalid_clis"]) == {r[0] for r in invalid}


def test_crypto_scams_reuse_a_few_foreign_mobiles_for_long_calls(day: Dataset) -> None:
    for campaign_id, numbers, calls, callees, country, answered_min in day.sql(
        "select campaign_id, count(distinct caller), count(*), count(distinct callee), "
        "min(caller_country), min(duration_s) filter (where answered) from labelled "
        "where campaign_kind = 'crypto_scam' group by 1"
    ):
        assert numbers <= 12, campaign_id
        assert callees == calls, campaign_id
        assert country != "BE"
        assert answered_min >= 60
    types = day.sql("select distinct caller_type from labelled where campaign_kind='crypto_scam'")
    assert {t for (t,) in types} <= set(SUBSCRIBER_TYPES)


def test_harassment_victims_get_many_calls_from_distinct_foreign_numbers(day: Dataset) -> None:
    rows = day.sql(
        "select callee, count(*), count(distinct caller), count(distinct caller_country), "
        "bool_and(caller_country <> 'BE') from labelled where campaign_kind = 'harassment' "
        "group by 1"
    )
    assert len(rows) == 3
    for _victim, calls, callers, countries, foreign in rows:
        assert calls >= 30
        assert callers == calls
        assert countries >= 2
        assert foreign


def test_harassment_is_daily(week: Dataset) -> None:
    rows = week.sql(
        "select callee, count(*) from labelled where campaign_kind = 'harassment' "
        "group by callee, date_trunc('day', start at time zone 'Europe/Brussels')"
    )
    assert rows
    assert min(n for _, n in rows) >= 30


def test_robocalls_dial_sequential_numbers_at_a_regular_pace(day: Dataset) -> None:
    rows = _rows(day, "robocall", "caller, callee, epoch_us(start), duration_s")
    callers = {r[0] for r in rows}
    assert len(callers) <= 3
    assert len({c[:-2] for c in callers}) == 1
    callees = np.array([int(r[1][1:]) for r in rows], dtype=np.int64)
    steps = np.diff(callees)
    assert np.mean(np.abs(steps) <= 10) > 0.95
    gaps = np.diff(np.array([r[2] for r in rows], dtype=np.int64)) / 1e6
    assert gaps.std() / gaps.mean() < 0.2  # regular: a Poisson process would give ~1
    assert np.mean([r[3] for r in rows]) < 60
