"""Wangiri ranges and callbacks, with legitimate foreign traffic as near-misses."""

from __future__ import annotations

from datetime import timedelta

from ringfence.detect.batch.wangiri import Wangiri
from ringfence.domain.findings import SubjectRole
from tests.detect.builders import CallLog, be_mobile


def one_ring(log: CallLog, number: str, callee: str, minute: int) -> str:
    return log.add(number, callee, timedelta(minutes=minute), ingress="international",
                   carrier="intl-w", answered=False, ring_s=2.0, released_by="caller",
                   attestation="none")  # fmt: skip


def test_range_found_although_no_number_repeats(run_detector) -> None:  # type: ignore[no-untyped-def]
    log = CallLog()
    planted = [
        one_ring(log, f"+39351{(i * 7919) % 1_000_000:07d}", be_mobile(i), i) for i in range(60)
    ]
    numbers = {row["caller"] for row in log.rows}
    assert len(numbers) == 60  # every number used once
    out = run_detector(Wangiri(), log)
    ranges = [f for f in out.findings if f.kind == "one_ring_range"]
    assert len(ranges) == 1
    assert ranges[0].subjects_with(SubjectRole.SOURCE_RANGE) == ["+393510"]
    assert all(s.may_block for s in ranges[0].subjects)
    assert set(out.flagged.column("call_id").to_pylist()) == set(planted)
    assert "block the range" in ranges[0].reason


def test_answered_foreign_range_and_scattered_missed_calls_do_not_fire(run_detector) -> None:  # type: ignore[no-untyped-def]
    log = CallLog()
    # a Spanish range whose calls are mostly answered: ordinary people calling
    for i in range(120):
        answered = i % 4 != 0
        log.add(f"+34612{i:06d}", be_mobile(i), timedelta(minutes=i), ingress="international",
                answered=answered, ring_s=2.0 if not answered else 9.0)  # fmt: skip
    # one-ring calls, but only 20 subscribers (below min_callees 25)
    for i in range(20):
        one_ring(log, f"+4915{i:09d}", be_mobile(i), i)
    # national one-ring calls are not Wangiri (no foreign or premium number)
    for i in range(50):
        log.add(
            be_mobile(300_000 + i), be_mobile(i), timedelta(minutes=i), answered=False, ring_s=1
        )
    assert run_detector(Wangiri(), log).findings == []


def test_callbacks_name_the_lure_and_the_subscribers_at_risk(run_detector) -> None:  # type: ignore[no-untyped-def]
    log = CallLog()
    lures = {}
    for i in range(40):
        number = f"+39351{(i * 7919) % 1_000_000:07d}"
        lures[i] = (one_ring(log, number, be_mobile(i), i), number)
    callbacks = [
        log.add(be_mobile(i), lures[i][1], timedelta(hours=2, minutes=i), direction="outbound",
                duration_s=240, released_by="caller")
        for i in range(3)
    ]  # fmt: skip
    # a callback to the range by someone who was never rung from it is not flagged
    log.add(be_mobile(999), "+393510000001", timedelta(hours=3), direction="outbound")
    # a call back before the lure is not a callback
    log.add(be_mobile(39), lures[39][1], timedelta(minutes=1), direction="outbound")
    out = run_detector(Wangiri(), log)
    callback = [f for f in out.findings if f.kind == "callback"]
    assert len(callback) == 1
    finding = callback[0]
    assert finding.counts["subscribers_at_risk"] == 3
    assert finding.subjects_with(SubjectRole.AT_RISK) == sorted(be_mobile(i) for i in range(3))
    assert not any(s.may_block for s in finding.subjects if s.role is SubjectRole.AT_RISK)
    lured = {d["callback_call"]: d["lure_call"] for d in finding.details["lured"]}
    assert lured == {callbacks[i]: lures[i][0] for i in range(3)}
    linked = {
        c for c, f in zip(out.flagged.column("call_id").to_pylist(),
                          out.flagged.column("finding_id").to_pylist(), strict=True)
        if f == finding.finding_id
    }  # fmt: skip
    assert linked == set(callbacks)


def test_most_specific_ranges_are_reported(run_detector) -> None:  # type: ignore[no-untyped-def]
    log = CallLog()
    a = [one_ring(log, f"+39351{i:07d}", be_mobile(i), i) for i in range(40)]
    b = [one_ring(log, f"+34902{i:06d}", be_mobile(100 + i), i) for i in range(40)]
    out = run_detector(Wangiri(), log)
    ranges = sorted(r for f in out.findings for r in f.subjects_with(SubjectRole.SOURCE_RANGE))
    assert ranges == ["+34902000", "+39351000"]  # max_depth 6 digits after the country code
    assert set(out.flagged.column("call_id").to_pylist()) == set(a + b)
