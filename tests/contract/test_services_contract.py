"""Contract: reports, findings, decisions, moderation and the blocklist behave the same on
SQLite and PostgreSQL (the services only talk to the `Store` interface)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from ringfence.domain.clock import FixedClock
from ringfence.domain.findings import Finding, Subject, SubjectRole
from ringfence.reports.desk import ReportDesk
from ringfence.reports.model import ReportError, ReportInput
from ringfence.reports.moderation import Moderation, ModerationError
from ringfence.reputation.blocklist import Blocklist
from ringfence.reputation.decisions import decide
from ringfence.reputation.findings import FindingsApplier
from ringfence.reputation.model import Category, Level, State, SubjectKind, Verdict
from ringfence.reputation.service import Reputations
from ringfence.reputation.snapshot import ReputationSnapshot
from ringfence.reputation.store import BlockAction, ReportStatus, Store

from .conftest import START

WANGIRI_RANGE = "+39351"
CARD_STOP = "+3270344344"  # allow-listed in ringfence/data/allowlist.csv


def finding(
    subjects: list[Subject],
    *,
    detector: str = "wangiri",
    kind: str = "one_ring_range",
    score: float = 0.9,
    key: str | None = None,
    calls: int = 120,
) -> Finding:
    return Finding.create(
        detector=detector,
        kind=kind,
        title=f"{detector} campaign",
        reason="test",
        score=score,
        first_seen=START - timedelta(hours=2),
        last_seen=START,
        counts={"calls": calls},
        subjects=subjects,
        evidence=["c1", "c2"],
        key=key,
    )


def token(i: int) -> str:
    return f"client-token-{i:08d}"


def report(desk: ReportDesk, number: str, i: int, category: str = "one_ring") -> ReportStatus:
    data = ReportInput.from_mapping({"number": number, "category": category})
    return desk.submit(data, client_token=token(i), ip=f"10.0.{i // 250}.{i % 250}").report.status


def old_reporters(desk: ReportDesk, clock: FixedClock, count: int) -> None:
    """Make `count` reporters established (first seen two days ago)."""
    now = clock.now()
    clock.set(now - timedelta(days=2))
    for i in range(count):
        desk.store.touch_reporter(desk.pseudonymizer.reporter(token(i)), clock.now())
    clock.set(now)


def test_reports_raise_the_level_step_by_step(reputations: Reputations, clock: FixedClock) -> None:
    desk = ReportDesk(reputations)
    old_reporters(desk, clock, 20)
    number = reputations.parse("+393519876543")
    levels = []
    for i in range(16):
        assert report(desk, number.e164, i) is ReportStatus.COUNTED
        levels.append(reputations.view(number).level)
    assert levels[0] is Level.UNKNOWN
    assert levels[1] is Level.UNKNOWN
    assert levels[2] is Level.SUSPICIOUS
    assert levels[-1] is Level.SCAM
    assert [lvl.rank for lvl in levels] == sorted(lvl.rank for lvl in levels)
    view = reputations.view(number)
    assert view.own.counts["reporters"] == 16
    assert view.own.categories == {"one_ring": 16}
    assert view.blockable
    changes = Blocklist(reputations).changes(0).changes
    assert {(c.action, c.subject) for c in changes} == {(BlockAction.ADD, number.e164)}
    expiries = [c.expires_at for c in changes]
    assert all(e is not None for e in expiries)
    assert expiries == sorted(expiries)
    assert view.ranges == ()  # its blocks know only this number's reports: nothing to add
    blocks = reputations.evaluate_many(
        [("+39351987654", SubjectKind.RANGE), ("+3935198765", SubjectKind.RANGE)]
    )
    for block, _ in blocks.values():
        assert block.counts["reports"] == 16
        assert block.level is Level.UNKNOWN
        assert not block.blockable
        assert block.only_via == number.e164
    neighbour = reputations.view(reputations.parse("+393519876540"))
    assert [r.subject for r in neighbour.ranges] == ["+3935198765", "+39351987654"]
    assert neighbour.level is Level.UNKNOWN


def test_one_vote_per_reporter_per_period(reputations: Reputations, clock: FixedClock) -> None:
    desk = ReportDesk(reputations)
    report(desk, "+393519876543", 1)
    with pytest.raises(ReportError) as caught:
        report(desk, "+393519876543", 1)
    assert caught.value.status == 409
    clock.advance(timedelta(days=31))
    assert report(desk, "+393519876543", 1) is ReportStatus.COUNTED


def test_rate_limit_per_reporter_answers_retry_after(reputations: Reputations) -> None:
    desk = ReportDesk(reputations)
    data = [
        ReportInput.from_mapping({"number": f"+3247012{i:04d}", "category": "other"})
        for i in range(21)
    ]
    for item in data[:20]:
        desk.submit(item, client_token=token(1), ip="10.0.0.1")
    with pytest.raises(ReportError) as caught:
        desk.submit(data[20], client_token=token(1), ip="10.0.0.1")
    assert caught.value.status == 429
    assert caught.value.retry_after_s == 3600


def test_concurrent_duplicate_reports_count_once(store_url: str, clock: FixedClock) -> None:
    from ringfence.reputation.store import open_store

    stores = [open_store(store_url) for _ in range(4)]
    desks = [ReportDesk(Reputations(s, clock)) for s in stores]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(desks))

    def send(desk: ReportDesk) -> None:
        barrier.wait()
        try:
            report(desk, "+393519876543", 7)
            outcomes.append("counted")
        except ReportError as error:
            outcomes.append(str(error.status))

    threads = [threading.Thread(target=send, args=(d,)) for d in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["409", "409", "409", "counted"]
    assert len(stores[0].reports_on("+393519876543", START)) == 1
    for opened in stores:
        opened.close()


def test_flood_of_new_reporters_goes_to_moderation(
    reputations: Reputations, clock: FixedClock
) -> None:
    desk = ReportDesk(reputations)
    number = "+32470555666"
    statuses = [report(desk, number, i, "bank_impersonation") for i in range(8)]
    assert statuses[:4] == [ReportStatus.COUNTED] * 4
    assert statuses[4:] == [ReportStatus.HELD] * 4
    view = reputations.view(reputations.parse(number))
    assert view.own.counts["reports"] == 0
    assert view.level is Level.UNKNOWN
    moderation = Moderation(reputations)
    [item] = moderation.queue()
    assert item.subject == number
    assert len(item.details["reports"]) == 8
    moderation.resolve(item.id, "confirm", note="real campaign", actor="m1")
    assert reputations.view(reputations.parse(number)).own.counts["reports"] == 8
    with pytest.raises(ModerationError):
        moderation.resolve(item.id, "reject", note="again", actor="m1")


def test_rejected_flood_never_counts(reputations: Reputations) -> None:
    desk = ReportDesk(reputations)
    for i in range(6):
        report(desk, "+32470555667", i)
    moderation = Moderation(reputations)
    [item] = moderation.queue()
    with pytest.raises(ModerationError) as caught:
        moderation.resolve(item.id, "grant", note="wrong action", actor="m1")
    assert caught.value.status == 422
    moderation.resolve(item.id, "reject", note="scripted", actor="m1")
    _, reports = moderation.item(item.id)
    assert {r.status for r in reports} == {ReportStatus.REJECTED}
    assert reputations.view(reputations.parse("+32470555667")).own.counts["reports"] == 0


def test_established_reporters_are_never_held(reputations: Reputations, clock: FixedClock) -> None:
    desk = ReportDesk(reputations)
    old_reporters(desk, clock, 10)
    assert {report(desk, "+32470555668", i) for i in range(10)} == {ReportStatus.COUNTED}


def test_allowlisted_number_flood_is_held_and_never_scam(
    reputations: Reputations, clock: FixedClock
) -> None:
    desk = ReportDesk(reputations)
    statuses = [report(desk, CARD_STOP, i, "bank_impersonation") for i in range(30)]
    assert ReportStatus.HELD in statuses
    moderation = Moderation(reputations)
    for item in moderation.queue():
        moderation.resolve(item.id, "confirm", note="they were spoofed calls", actor="m1")
    view = reputations.view(reputations.parse(CARD_STOP))
    assert view.own.counts["reports"] == 30
    assert view.level is not Level.SCAM
    assert not view.blockable
    assert view.own.allowlisted
    assert view.own.shown_by_scammers
    assert "hang_up_call_official" in view.advice
    assert all(c.subject != CARD_STOP for c in Blocklist(reputations).changes(0).changes)


def test_findings_by_role(reputations: Reputations) -> None:
    applier = FindingsApplier(reputations)
    wangiri = finding([Subject(WANGIRI_RANGE, SubjectRole.SOURCE_RANGE)])
    storm = finding(
        [
            Subject("+32470123456", SubjectRole.SPOOFED_OWNER),
            Subject("+32470999999", SubjectRole.TARGET),
        ],
        detector="callback_storm",
        kind="spoofed_number_owner",
        score=1.0,
    )
    silent = finding(
        [
            Subject("+32471000001", SubjectRole.SOURCE_NUMBER, blockable=False),
            Subject("+32471000002", SubjectRole.SOURCE_NUMBER),
        ],
        detector="silent_calls",
        kind="number_validation",
        score=1.0,
    )
    lure = finding(
        [
            Subject("+37322000001", SubjectRole.CALLBACK_DESTINATION),
            Subject("+32471000003", SubjectRole.AT_RISK),
        ],
        detector="wangiri_callbacks",
        kind="callback",
        score=1.0,
    )
    summary = applier.apply([wangiri, storm, silent, lure])
    assert (summary.applied, summary.private_subjects, summary.rejected) == (4, 2, [])
    again = applier.apply([wangiri, storm, silent, lure])
    assert (again.applied, again.unchanged, again.evidence_rows) == (0, 4, 0)
    victim = reputations.view(reputations.parse("+32470123456"))
    assert victim.state is State.SPOOFED
    assert not victim.blockable
    assert victim.reasons[0].code == "spoofed"
    assert "owner_innocent" in victim.advice
    shown = reputations.view(reputations.parse("+32471000001"))
    assert shown.level is Level.SCAM
    assert shown.own.shown_by_scammers
    assert not shown.blockable
    assert reputations.view(reputations.parse("+32471000002")).blockable
    callback = reputations.view(reputations.parse("+37322000001"))
    assert callback.blockable
    assert callback.own.categories == {"premium_callback": 1}
    in_range = reputations.view(reputations.parse("+393511234567"))
    assert in_range.level is Level.SCAM
    assert not in_range.blockable
    on_list = {c.subject for c in Blocklist(reputations).changes(0).changes}
    assert on_list == {WANGIRI_RANGE, "+32471000002", "+37322000001"}
    stored = reputations.store.get_finding(storm.finding_id)
    assert stored is not None
    assert stored[1] == [("+32470999999", "target")]


def test_a_finding_pushed_again_replaces_its_evidence(reputations: Reputations) -> None:
    applier = FindingsApplier(reputations)
    applier.apply([finding([Subject(WANGIRI_RANGE, SubjectRole.SOURCE_RANGE)], key="c1")])
    bigger = finding([Subject("+39352", SubjectRole.SOURCE_RANGE)], key="c1", calls=500, score=0.95)
    summary = applier.apply([bigger])
    assert summary.applied == 1
    rows = reputations.store.evidence_for([WANGIRI_RANGE, "+39352"])
    assert [(r.subject, r.strength) for r in rows] == [("+39352", 0.95)]
    changes = Blocklist(reputations).changes(0).changes
    assert [(c.action, c.subject) for c in changes] == [
        (BlockAction.ADD, WANGIRI_RANGE),
        (BlockAction.REMOVE, WANGIRI_RANGE),
        (BlockAction.ADD, "+39352"),
    ]


def test_never_blocklisted_even_by_a_scam_decision(reputations: Reputations) -> None:
    FindingsApplier(reputations).apply(
        [
            finding(
                [Subject("+32470123456", SubjectRole.SPOOFED_OWNER)],
                detector="callback_storm",
                kind="spoofed_number_owner",
                score=1.0,
            )
        ]
    )
    for subject in ("+32470123456", CARD_STOP, "112"):
        decision = decide(reputations, subject, Verdict.SCAM, reason="test")
        assert decision.changes == ()
    assert Blocklist(reputations).changes(0).changes == ()
    assert reputations.view(reputations.parse("112")).level is Level.SAFE


def test_decisions_override_and_expire(reputations: Reputations, clock: FixedClock) -> None:
    decision = decide(
        reputations,
        "+39351",
        Verdict.SCAM,
        kind=SubjectKind.RANGE,
        reason="Wangiri",
        expires_at=clock.now() + timedelta(days=3),
    )
    assert [c.action for c in decision.changes] == [BlockAction.ADD]
    assert decision.changes[0].expires_at == clock.now() + timedelta(days=3)
    blocklist = Blocklist(reputations)
    clock.advance(timedelta(days=2))
    assert blocklist.sweep() == []
    clock.advance(timedelta(days=2))
    [removed] = blocklist.sweep()
    assert removed.action is BlockAction.REMOVE
    assert removed.subject == "+39351"
    delta = blocklist.changes(1)
    assert delta.version == 2
    assert [c.version for c in delta.changes] == [2]


def test_evidence_decays_off_the_blocklist(reputations: Reputations, clock: FixedClock) -> None:
    FindingsApplier(reputations).apply(
        [finding([Subject(WANGIRI_RANGE, SubjectRole.SOURCE_RANGE)])]
    )
    [added] = Blocklist(reputations).changes(0).changes
    assert added.expires_at is not None
    assert added.expires_at > clock.now()
    clock.set(added.expires_at + timedelta(minutes=1))
    [removed] = Blocklist(reputations).sweep()
    assert removed.action is BlockAction.REMOVE
    assert reputations.store.block_entries() == []


def test_appeal_granted_makes_the_number_safe(reputations: Reputations, clock: FixedClock) -> None:
    desk = ReportDesk(reputations)
    old_reporters(desk, clock, 20)
    for i in range(16):
        report(desk, "+32470777888", i)
    assert reputations.view(reputations.parse("+32470777888")).level is Level.SCAM
    moderation = Moderation(reputations)
    item = moderation.appeal(
        "0470 77 78 88",
        "This is my bakery's number",
        client_token=token(99),
        contact="bakery@example.be",
    )
    assert item.details["evidence"]["level"] == "scam"
    assert len(item.details["reports"]) == 16
    with pytest.raises(ModerationError):
        moderation.appeal("+32470777888", "again", client_token=token(99))
    moderation.resolve(item.id, "grant", note="checked the contract", actor="m1")
    view = reputations.view(reputations.parse("+32470777888"))
    assert view.level is Level.SAFE
    assert view.own.decision is Verdict.SAFE
    actions = [c.action for c in Blocklist(reputations).changes(0).changes]
    assert set(actions[:-1]) == {BlockAction.ADD}
    assert actions[-1] is BlockAction.REMOVE


def test_snapshot_agrees_with_the_service(reputations: Reputations) -> None:
    desk = ReportDesk(reputations)
    for i in range(3):
        report(desk, "+393519876543", i)
    FindingsApplier(reputations).apply(
        [
            finding([Subject(WANGIRI_RANGE, SubjectRole.SOURCE_RANGE)]),
            finding(
                [Subject("+32470123456", SubjectRole.SPOOFED_OWNER)],
                detector="callback_storm",
                kind="spoofed_number_owner",
                score=1.0,
            ),
        ]
    )
    snapshot = ReputationSnapshot.build(reputations.store, clock=reputations.clock)
    for raw in ("+393519876543", "+393511111111", "+32470123456", CARD_STOP, "+33612345678"):
        number = reputations.parse(raw)
        assert snapshot.view(number) == reputations.view(number)


def test_store_kind_is_reported(store: Store) -> None:
    assert store.kind in ("sqlite", "postgresql")
    assert Category.ONE_RING.value == "one_ring"
