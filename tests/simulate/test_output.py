"""The files a simulation writes: schemas, counts, ids, and the description of campaigns."""

from __future__ import annotations

from collections import Counter

import pyarrow.parquet as pq

from ringfence.domain.calls import CALL_SCHEMA, TRUTH_SCHEMA
from ringfence.simulate import CAMPAIGN_KINDS
from tests.simulate.conftest import CALLS, Dataset


def test_calls_have_exactly_the_canonical_schema(day: Dataset) -> None:
    assert pq.read_schema(day.result.calls_path).equals(CALL_SCHEMA, check_metadata=False)
    assert day.calls.schema.equals(CALL_SCHEMA, check_metadata=False)


def test_truth_has_the_truth_schema(day: Dataset) -> None:
    assert day.truth.schema.equals(TRUTH_SCHEMA, check_metadata=False)


def test_exactly_the_configured_number_of_calls_is_written(day: Dataset) -> None:
    assert day.calls.num_rows == CALLS == day.result.calls
    assert sum(day.result.calls_by_kind.values()) == CALLS


def test_call_ids_are_unique_and_in_time_order(day: Dataset) -> None:
    ids = day.calls.column("call_id").to_pylist()
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    starts = day.calls.column("start").to_pylist()
    assert starts == sorted(starts)


def test_truth_lists_planted_calls_only_once_each(day: Dataset) -> None:
    truth_ids = day.truth.column("call_id").to_pylist()
    assert len(set(truth_ids)) == len(truth_ids)
    assert set(truth_ids) <= set(day.calls.column("call_id").to_pylist())
    planted = sum(n for kind, n in day.result.calls_by_kind.items() if kind != "baseline")
    assert len(truth_ids) == planted


def test_every_campaign_kind_is_planted(day: Dataset) -> None:
    kinds = Counter(day.truth.column("campaign_kind").to_pylist())
    assert set(kinds) == set(CAMPAIGN_KINDS)
    assert all(kinds[k] > 0 for k in CAMPAIGN_KINDS)


def test_truth_agrees_with_the_campaign_descriptions(day: Dataset) -> None:
    described = {c["campaign_id"]: c for c in day.campaigns["campaigns"]}
    rows = day.sql("select campaign_id, campaign_kind, count(*) from truth group by all")
    for campaign_id, kind, count in rows:
        assert described[campaign_id]["calls"][kind] == count
    for campaign in described.values():
        assert campaign["first_call"] <= campaign["last_call"]
        assert campaign["kind"] in CAMPAIGN_KINDS


def test_campaign_sizes_follow_the_configured_shares_and_floors(day: Dataset) -> None:
    kinds = Counter(day.truth.column("campaign_kind").to_pylist())
    assert kinds["silent_calls"] == max(600, round(0.01 * CALLS))
    assert kinds["wangiri"] == max(400, round(0.0075 * CALLS))
    assert kinds["robocall"] == max(300, round(0.005 * CALLS))
    assert kinds["crypto_scam"] == max(120, round(0.0015 * CALLS))
    assert kinds["cli_spoofing"] == max(60, round(0.001 * CALLS))


def test_campaigns_json_describes_the_run(day: Dataset) -> None:
    doc = day.campaigns
    assert doc["format"] == "ringfence-simulate/1"
    assert doc["home_country"] == "BE"
    assert doc["calls"] == CALLS
    assert doc["config"]["seed"] == 3
    assert {look["kind"] for look in doc["lookalikes"]} == {"roaming", "notification_line"}
    silent = [c for c in doc["campaigns"] if c["kind"] == "silent_calls"]
    assert silent
    assert all(c["spoofed_numbers"] for c in silent)
    wangiri = [c for c in doc["campaigns"] if c["kind"] == "wangiri"]
    assert all(c["ranges"] and c["numbers_total"] for c in wangiri)


def test_roaming_allow_list_is_written(day: Dataset) -> None:
    lines = day.result.roaming_path.read_text(encoding="utf-8").splitlines()
    numbers = [line for line in lines if line.startswith("+")]
    assert "number" in lines
    assert numbers
    assert all(n.startswith("+32") for n in numbers)


def test_partitioned_output_is_hive_by_utc_day(week: Dataset) -> None:
    root = week.result.calls_path
    assert root.name == "calls"
    assert root.is_dir()
    days = sorted(p.name for p in root.iterdir())
    # local midnight in Brussels (UTC+1 in November) is 23:00 UTC the day before
    assert days == ["day=2026-11-01", "day=2026-11-02", "day=2026-11-03", "day=2026-11-04"]
    for part in root.glob("day=*/part-*.parquet"):
        assert pq.read_schema(part).equals(CALL_SCHEMA, check_metadata=False)
        day_label = part.parent.name.removeprefix("day=")
        starts = pq.read_table(part, columns=["start"]).column("start").to_pylist()
        assert {s.date().isoformat() for s in starts} == {day_label}
    assert week.calls.num_rows == 90_000
