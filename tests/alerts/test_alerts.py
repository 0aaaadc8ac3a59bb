"""Alerts from findings and report bursts: thresholds, stable ids, growth, privacy, expiry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ringfence.alerts import AlertKind, Alerts, alert_id, alert_to_dict
from ringfence.domain.clock import FixedClock
from ringfence.domain.findings import Finding, Subject, SubjectRole
from ringfence.reports.desk import ReportDesk
from ringfence.reputation.store import AllowEntry, Store, open_store
from ringfence.reputation.store.testing import temporary_schema
from tests.alerts.helpers import (
    T0,
    callbacks,
    establish,
    harassment,
    impersonation,
    push,
    report_burst,
    reputations,
    silent,
    wangiri,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
        yield opened
        opened.close()
        return
    with temporary_schema() as url:
        opened = open_store(url)
        yield opened
        opened.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


def _service(store: Store, clock: FixedClock) -> Alerts:
    return Alerts(reputations(store, clock), min_refresh_s=0)


def _published(service: Alerts) -> str:
    """Everything the public sees, in every language, as one text."""
    return json.dumps(
        [alert_to_dict(a, "en", home_country="BE") for a in service.current()], ensure_ascii=False
    )


def test_a_wangiri_range_becomes_one_alert_that_grows(store: Store, clock: FixedClock) -> None:
    push(store, clock, [wangiri("+39351", callees=40)])
    service = _service(store, clock)
    first = service.refresh()
    assert first.created == [alert_id("one_ring:+39351")]
    [alert] = service.current()
    assert alert.kind is AlertKind.ONE_RING
    assert alert.ranges() == ["+39351"]
    assert alert.counts["people"] == 40
    assert alert.revision == 1

    # refreshing again changes nothing; the same campaign found bigger updates the same alert
    assert service.refresh().created == []
    clock.advance(timedelta(hours=6))
    push(store, clock, [wangiri("+39351", callees=90, at=clock.now())])
    second = service.refresh()
    assert second.created == []
    assert second.updated == [alert.id]
    [grown] = service.current()
    assert grown.id == alert.id
    assert grown.revision == 2
    assert grown.counts["people"] == 90
    assert grown.expires_at == clock.now() + timedelta(days=7)


def test_callbacks_extend_the_range_alert_and_never_name_the_people_at_risk(
    store: Store, clock: FixedClock
) -> None:
    at_risk = ["+32470111222", "+32470333444"]
    push(store, clock, [wangiri("+39351"), callbacks("+39351", "+393519990000", at_risk)])
    service = _service(store, clock)
    summary = service.refresh()
    assert len(summary.created) == 1
    [alert] = service.current()
    assert "+393519990000" in alert.numbers()
    assert alert.counts["called_back"] == 2
    published = _published(service)
    for subscriber in at_risk:
        assert subscriber not in published
        assert subscriber[1:] not in published


def test_callbacks_alone_open_no_alert(store: Store, clock: FixedClock) -> None:
    push(store, clock, [callbacks("+44700", "+447009990000", ["+32470111222"])])
    summary = _service(store, clock).refresh()
    assert summary.created == []
    assert any("no alert of one_ring:+44700" in s.reason for s in summary.skipped)


def test_spoofed_numbers_and_targets_are_never_published(store: Store, clock: FixedClock) -> None:
    shown = ["+32470123456", "+32470654321"]
    owner = "+3225551234"
    victim = "+32478999888"
    push(
        store,
        clock,
        [silent(shown), impersonation(owner, "Example Bank"), harassment(victim)],
    )
    service = _service(store, clock)
    summary = service.refresh()
    kinds = {a.kind for a in service.current()}
    assert kinds == {AlertKind.SILENT_CALLS, AlertKind.IMPERSONATION}
    assert any("never public" in s.reason for s in summary.skipped)
    published = _published(service)
    for number in [*shown, owner, victim]:
        assert number not in published
    silent_alert = next(a for a in service.current() if a.kind is AlertKind.SILENT_CALLS)
    assert silent_alert.subjects == ()
    assert silent_alert.withheld == 2
    assert "Example Bank" in published


def test_findings_below_the_thresholds_are_not_alerts(store: Store, clock: FixedClock) -> None:
    push(store, clock, [wangiri("+39352", callees=10), impersonation("+3225550000", "X", 2)])
    summary = _service(store, clock).refresh()
    assert summary.created == []
    assert {s.reason for s in summary.skipped} == {
        "distinct_callees 10 < 25",
        "distinct_callees 2 < 5",
    }


def test_a_number_found_spoofed_later_leaves_the_alert(store: Store, clock: FixedClock) -> None:
    centre = Finding.create(
        detector="foreign_fanout",
        kind="foreign_call_centre",
        title="Foreign call centre",
        reason="long calls",
        score=0.9,
        first_seen=T0 - timedelta(hours=5),
        last_seen=T0,
        counts={"calls": 200, "distinct_callees": 60},
        subjects=[Subject("+447700900123", SubjectRole.SOURCE_NUMBER)],
        evidence=["f1"],
        key="+4477009",
        details={"range": "+4477009", "country": "GB"},
    )
    push(store, clock, [centre])
    service = _service(store, clock)
    service.refresh()
    assert service.current()[0].numbers() == ["+447700900123"]
    storm = Finding.create(
        detector="callback_storm",
        kind="spoofed_number_owner",
        title="spoofed",
        reason="callbacks",
        score=0.95,
        first_seen=T0,
        last_seen=T0,
        counts={"callbacks": 30, "distinct_callers": 25},
        subjects=[Subject("+447700900123", SubjectRole.SPOOFED_OWNER)],
        evidence=["s1"],
        key="+447700900123",
    )
    push(store, clock, [storm])
    assert service.current() == []
    assert service.get(alert_id("call_centre:+4477009")) is None


def test_alerts_expire_but_stay_in_the_feed_window(store: Store, clock: FixedClock) -> None:
    push(store, clock, [wangiri("+39351")])
    service = _service(store, clock)
    service.refresh()
    clock.advance(timedelta(days=8))
    assert service.current() == []
    assert [a.ranges() for a in service.recent(days=30)] == [["+39351"]]


def test_a_burst_of_distinct_reporters_within_an_hour(store: Store, clock: FixedClock) -> None:
    reps = reputations(store, clock)
    desk = ReportDesk(reps)
    tokens = [f"citizen-token-{i:02d}-abcdefgh" for i in range(6)]
    establish(desk, clock, tokens)
    report_burst(desk, clock, ["+32470555111"], tokens[:4])
    service = Alerts(reps, min_refresh_s=0)
    assert service.refresh().created == []
    report_burst(desk, clock, ["+32470555111"], tokens[4:5])
    summary = service.refresh()
    assert summary.created == [alert_id("reports:+324705551")]
    [alert] = service.current()
    assert alert.kind is AlertKind.REPORTED_NUMBERS
    assert alert.numbers() == ["+32470555111"]
    assert alert.counts["reporters"] == 5
    text = alert_to_dict(alert, "fr", home_country="BE")
    assert "usurpation" in text["title"].lower() or "banque" in text["title"].lower()


def test_reports_spread_over_hours_are_not_a_burst(store: Store, clock: FixedClock) -> None:
    reps = reputations(store, clock)
    desk = ReportDesk(reps)
    tokens = [f"slow-token-{i:02d}-abcdefghij" for i in range(5)]
    establish(desk, clock, tokens)
    report_burst(desk, clock, ["+32470555222"], tokens, every=timedelta(minutes=40))
    assert Alerts(reps, min_refresh_s=0).refresh().created == []


def test_a_burst_on_an_allow_listed_number_raises_no_alert(store: Store, clock: FixedClock) -> None:
    store.add_allowed(AllowEntry("+3225557777", "Example Bank", "test", T0))
    reps = reputations(store, clock)
    desk = ReportDesk(reps)
    established = [f"known-token-{i:02d}-abcdefghij" for i in range(5)]
    establish(desk, clock, established)
    report_burst(desk, clock, ["+3225557777"], established)
    fresh = [f"fresh-token-{i:02d}-abcdefghij" for i in range(6)]
    report_burst(desk, clock, ["+3225557777"], fresh)
    summary = Alerts(reps, min_refresh_s=0).refresh()
    assert summary.created == []
    assert summary.left_out == [
        ("+32255577", "every reported number is spoofed, allow-listed or short")
    ]


def test_a_message_template_burst_publishes_the_masked_text(
    store: Store, clock: FixedClock
) -> None:
    reps = reputations(store, clock)
    desk = ReportDesk(reps)
    tokens = [f"sms-token-{i:02d}-abcdefghijk" for i in range(5)]
    establish(desk, clock, tokens)
    for index, token in enumerate(tokens):
        text = (
            f"bpost: your parcel {1000 + index} is blocked, pay 1.99 EUR at "
            f"https://bpost-parcel.example/p?id={index}x"
        )
        report_burst(desk, clock, [f"+3247{index}000111"], [token], text=text)
    service = Alerts(reps, min_refresh_s=0)
    summary = service.refresh()
    messages = [a for a in service.current() if a.kind is AlertKind.MESSAGE]
    assert len(messages) == 1, summary.to_dict()
    excerpt = messages[0].params["excerpt"]
    assert excerpt == "bpost: your parcel # is blocked, pay #.# EUR at <bpost-parcel.example>"
    assert not any(ch.isdigit() for ch in excerpt)
