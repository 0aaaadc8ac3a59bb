"""Rotation harassment, callback storms, robocalls and foreign call centres, with near-misses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ringfence.detect.batch.callback_storm import CallbackStorm
from ringfence.detect.batch.common import DetectionContext
from ringfence.detect.batch.foreign_fanout import ForeignFanout
from ringfence.detect.batch.robocall_volume import RobocallVolume
from ringfence.detect.batch.rotation_harassment import RotationHarassment
from ringfence.domain.findings import SubjectRole
from tests.detect.builders import CallLog, be_mobile

FOREIGN = ["+393471{:06d}", "+34612{:06d}", "+4915112{:06d}"]


def test_rotation_harassment_recommends_the_smallest_blocks(run_detector) -> None:  # type: ignore[no-untyped-def]
    log = CallLog()
    victim = be_mobile(1)
    harassing = [
        log.add(FOREIGN[i % 3].format(i * 37), victim, timedelta(minutes=20 * i),
                ingress="international", answered=i % 2 == 0, duration_s=20)
        for i in range(30)
    ]  # fmt: skip
    # near-miss: a relative abroad calling another subscriber 30 times from two numbers
    for i in range(30):
        log.add(FOREIGN[0].format(i % 2), be_mobile(2), timedelta(minutes=20 * i),
                ingress="international")  # fmt: skip
    out = run_detector(RotationHarassment(), log)
    assert len(out.findings) == 1
    finding = out.findings[0]
    assert finding.subjects_with(SubjectRole.TARGET) == [victim]
    assert set(out.flagged.column("call_id").to_pylist()) == set(harassing)
    blocks = {b["range"] for b in finding.details["recommended_blocks"]}
    assert blocks == {"+393471000", "+3461200", "+491511200"}  # the narrowest common ranges
    assert finding.counts["distinct_callers"] == 30


def test_recommend_blocks_falls_back_to_country_codes() -> None:
    detector = RotationHarassment()
    blocks = detector.recommend_blocks(["+393471000001", "+390612345678", "+34612000001"])
    assert blocks == [{"range": "+39", "calls": 2}, {"range": "+34612000001", "calls": 1}]


def test_callback_storm_names_the_innocent_owner(run_detector) -> None:  # type: ignore[no-untyped-def]
    log = CallLog()
    owner = be_mobile(555)
    backs = []
    for i in range(6):
        log.add(owner, be_mobile(i), timedelta(minutes=i), ingress="international",
                carrier="intl-x", duration_s=1, released_by="caller",
                attestation="none")  # fmt: skip
        backs.append(
            log.add(be_mobile(i), owner, timedelta(hours=3, minutes=i), direction="outbound")
        )
    # near-miss 1: genuine calls (national ingress, normal) returned by five people
    business = be_mobile(777)
    for i in range(10, 16):
        log.add(business, be_mobile(i), timedelta(minutes=i), duration_s=120)
        log.add(be_mobile(i), business, timedelta(hours=1, minutes=i), direction="outbound")
    # near-miss 2: callbacks more than 24 h after the presenting call
    late = be_mobile(888)
    for i in range(20, 26):
        log.add(late, be_mobile(i), timedelta(minutes=i), ingress="international", duration_s=1,
                released_by="caller")  # fmt: skip
        log.add(be_mobile(i), late, timedelta(hours=30), direction="outbound")
    out = run_detector(CallbackStorm(), log)
    assert [f.subjects_with(SubjectRole.SPOOFED_OWNER) for f in out.findings] == [[owner]]
    assert not out.findings[0].subjects[0].may_block
    assert "victim" in out.findings[0].reason
    assert set(out.flagged.column("call_id").to_pylist()) == set(backs)


def test_callback_storm_ignores_roaming_subscribers(run_detector) -> None:  # type: ignore[no-untyped-def]
    log = CallLog()
    roamer = be_mobile(321)
    for i in range(6):
        log.add(roamer, be_mobile(i), timedelta(minutes=i), ingress="international", duration_s=60)
        log.add(be_mobile(i), roamer, timedelta(hours=2, minutes=i), direction="outbound")
    ctx = DetectionContext("BE", allowed_from_abroad=frozenset({roamer}))
    assert run_detector(CallbackStorm(), log, ctx).findings == []
    assert len(run_detector(CallbackStorm(), log).findings) == 1


def test_robocall_sequential_and_regular_but_not_a_busy_random_line(run_detector) -> None:  # type: ignore[no-untyped-def]
    log = CallLog()
    robo = [
        log.add("+3225550100", be_mobile(10_000 + i), timedelta(seconds=30 * i), duration_s=8)
        for i in range(150)
    ]
    # a notification line: as many callees, random order, irregular gaps, normal durations
    gap = 0
    for i in range(150):
        gap += (i * 7919) % 97 + 1
        log.add("+3225550200", be_mobile((i * 104729) % 900_000), timedelta(seconds=gap),
                duration_s=40)  # fmt: skip
    out = run_detector(RobocallVolume(), log)
    assert len(out.findings) == 1
    assert out.findings[0].kind == "sequential_dialling"
    assert out.findings[0].counts["sequential_share"] == 1.0
    assert out.findings[0].counts["gap_cv"] == 0.0
    assert set(out.flagged.column("call_id").to_pylist()) == set(robo)


def test_robocall_regular_gaps_under_a_second_are_regular(run_detector) -> None:  # type: ignore[no-untyped-def]
    """A dialler calling every 0.6 s, to callees in no order: regular, not random. (DuckDB once
    rounded each call's epoch second, which made half of these gaps look a second off.)"""
    log = CallLog()
    robo = [
        log.add("+3225550300", be_mobile((i * 104729) % 900_000), timedelta(seconds=0.6 * i),
                duration_s=4)
        for i in range(120)
    ]  # fmt: skip
    out = run_detector(RobocallVolume(), log)
    assert [f.kind for f in out.findings] == ["regular_dialling"]
    assert out.findings[0].counts["gap_cv"] < 0.01
    assert out.findings[0].details["mean_gap_s"] == pytest.approx(0.6, abs=0.001)
    assert set(out.flagged.column("call_id").to_pylist()) == set(robo)


def test_foreign_call_centre_but_not_short_or_unanswered_sources(run_detector) -> None:  # type: ignore[no-untyped-def]
    log = CallLog()
    centre = [
        log.add(f"+4474001{i % 3:05d}", be_mobile(i), timedelta(minutes=5 * i),
                ingress="international", duration_s=400)
        for i in range(60)
    ]  # fmt: skip
    # near-miss: many callees but short calls (a foreign robocaller, not a call centre)
    for i in range(60):
        log.add("+4474009" + "00001", be_mobile(i), timedelta(minutes=i), ingress="international",
                duration_s=10)  # fmt: skip
    out = run_detector(ForeignFanout(), log)
    assert len(out.findings) == 1
    assert out.findings[0].counts["distinct_numbers"] == 3
    assert set(out.flagged.column("call_id").to_pylist()) == set(centre)
