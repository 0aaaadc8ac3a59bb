"""Baseline traffic is realistic and holds the look-alikes that make detection hard."""

from __future__ import annotations

from tests.simulate.conftest import Dataset

BASELINE = "campaign_kind is null"


def _one(data: Dataset, query: str) -> float:
    return float(data.sql(query)[0][0])


def test_answer_rate_is_in_the_realistic_band(day: Dataset) -> None:
    rate = _one(day, f"select avg(answered::int) from labelled where {BASELINE}")
    assert 0.60 <= rate <= 0.75


def test_answered_durations_are_lognormal_around_one_to_two_minutes(day: Dataset) -> None:
    median = _one(day, f"select median(duration_s) from labelled where {BASELINE} and answered")
    assert 60 <= median <= 120
    p95 = _one(
        day, f"select quantile_cont(duration_s, 0.95) from labelled where {BASELINE} and answered"
    )
    assert p95 > 4 * median  # heavy right tail
    assert _one(day, "select max(duration_s) from labelled where not answered") == 0


def test_ring_times(day: Dataset) -> None:
    answered = day.sql(
        f"select min(ring_s), max(ring_s) from labelled where {BASELINE} and answered"
    )[0]
    assert answered[0] >= 1
    assert answered[1] <= 20
    assert _one(day, f"select max(ring_s) from labelled where {BASELINE} and not answered") <= 32


def test_night_hours_are_quieter_than_the_day(day: Dataset) -> None:
    per_hour = dict(
        day.sql(
            "select extract(hour from (start at time zone 'Europe/Brussels')), count(*) "
            f"from labelled where {BASELINE} group by 1"
        )
    )
    night = sum(per_hour.get(h, 0) for h in (2, 3, 4))
    morning = sum(per_hour[h] for h in (9, 10, 11))
    evening = sum(per_hour[h] for h in (16, 17, 18))
    assert night * 10 < morning
    assert night * 10 < evening
    assert per_hour[13] < per_hour[10]  # lunch dip between the two peaks


def test_mostly_national_with_some_international_in_every_direction(day: Dataset) -> None:
    shares = dict(
        day.sql(
            f"select direction, count(*) * 1.0 / sum(count(*)) over () from labelled "
            f"where {BASELINE} group by 1"
        )
    )
    assert set(shares) == {"inbound", "outbound", "transit"}
    assert shares["inbound"] > shares["outbound"] > shares["transit"] > 0
    international = _one(
        day, f"select avg((ingress = 'international')::int) from labelled where {BASELINE}"
    )
    assert 0.03 < international < 0.15
    outbound_foreign = _one(
        day,
        "select avg((callee_country <> 'BE')::int) from labelled "
        f"where {BASELINE} and direction = 'outbound'",
    )
    assert 0.01 < outbound_foreign < 0.1


def test_routes_carry_named_carriers_and_realistic_attestation(day: Dataset) -> None:
    carriers = {
        c for (c,) in day.sql("select distinct carrier from calls where carrier is not null")
    }
    assert 6 <= len(carriers) <= 8
    national = dict(
        day.sql(
            "select attestation, count(*) from labelled where ingress = 'national' "
            f"and direction = 'inbound' and {BASELINE} group by 1"
        )
    )
    assert national["A"] > 10 * national.get("C", 0) > 0
    foreign = dict(
        day.sql(
            f"select attestation, count(*) from labelled where ingress = 'international' "
            f"and {BASELINE} group by 1"
        )
    )
    assert foreign["none"] > 0.9 * sum(foreign.values())
    onnet = _one(
        day,
        "select count(*) from labelled where carrier is null and ingress = 'national' "
        f"and direction = 'inbound' and {BASELINE}",
    )
    assert onnet > 0


def test_released_by_mix(day: Dataset) -> None:
    parties = dict(
        day.sql(f"select released_by, count(*) from labelled where {BASELINE} group by 1")
    )
    assert parties["caller"] > parties["network"]
    assert parties["callee"] > parties["network"] > 0


def test_roaming_subscribers_look_like_spoofing_but_are_baseline(day: Dataset) -> None:
    roamers = {
        line
        for line in day.result.roaming_path.read_text(encoding="utf-8").splitlines()
        if line.startswith("+")
    }
    rows = day.sql(
        "select caller, count(*), avg(duration_s) from labelled where ingress = 'international' "
        f"and caller_country = 'BE' and {BASELINE} group by 1"
    )
    assert rows
    assert {caller for caller, _, _ in rows} <= roamers  # national CLIs from abroad: roamers only
    assert max(n for _, n, _ in rows) <= 4  # few calls per number
    assert sum(d for _, _, d in rows) / len(rows) > 30  # normal calls, not silent ones


def test_foreign_callers_with_short_unanswered_calls(day: Dataset) -> None:
    rows = day.sql(
        "select caller, count(*) from labelled where ingress = 'international' "
        f"and caller_country <> 'BE' and not answered and ring_s <= 3 and {BASELINE} group by 1"
    )
    assert len(rows) > 20
    assert max(n for _, n in rows) <= 5  # a few per number, unlike a campaign range


def test_wrong_numbers_are_dropped_within_seconds_on_national_ingress(day: Dataset) -> None:
    rows = day.sql(
        "select count(*), count(distinct caller) from labelled where answered and "
        f"released_by = 'caller' and duration_s <= 3 and ingress = 'national' and {BASELINE}"
    )[0]
    assert rows[0] > 100
    assert rows[1] > 0.9 * rows[0]


def test_notification_lines_have_high_fan_out_and_look_legitimate(day: Dataset) -> None:
    lines = [look for look in day.campaigns["lookalikes"] if look["kind"] == "notification_line"]
    assert len(lines) == 2
    for line in lines:
        numbers = "', '".join(line["numbers"])
        calls, callees, national, attested, median = day.sql(
            "select count(*), count(distinct callee), bool_and(ingress = 'national'), "
            "bool_and(attestation = 'A'), median(duration_s) filter (where answered) "
            f"from labelled where caller in ('{numbers}') and {BASELINE}"
        )[0]
        assert calls == line["calls"] >= 150
        assert callees == calls
        assert national
        assert attested
        assert median > 20


def test_legitimate_premium_toll_free_emergency_and_bank_calls(day: Dataset) -> None:
    types = dict(
        day.sql(
            "select callee_type, count(*) from labelled where direction = 'outbound' "
            f"and {BASELINE} group by 1"
        )
    )
    assert types.get("premium_rate", 0) > 0
    assert types.get("toll_free", 0) > 0
    assert types.get("emergency", 0) > 0
    emergency = day.sql(
        "select distinct callee, callee_raw from calls where callee_type = 'emergency'"
    )
    assert all(callee == raw and not callee.startswith("+") for callee, raw in emergency)


def test_baseline_has_no_invalid_numbers(day: Dataset) -> None:
    assert _one(day, f"select count(*) from labelled where {BASELINE} and not caller_valid") == 0
    assert _one(day, "select count(*) from calls where not callee_valid") == 0


def test_withheld_callers_are_anonymous(day: Dataset) -> None:
    rows = day.sql(
        "select distinct caller, caller_raw, caller_type, caller_country from calls "
        "where caller_type = 'anonymous'"
    )
    assert rows == [("anonymous", "anonymous", "anonymous", None)]
