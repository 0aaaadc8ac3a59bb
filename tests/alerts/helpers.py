"""Builders shared by the alerts, export and web tests: findings of each detector kind, a
store with reports from distinct citizens, an app with our routers mounted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from ringfence.domain.clock import FixedClock
from ringfence.domain.findings import Finding, Subject, SubjectRole
from ringfence.reports.desk import ReportDesk
from ringfence.reports.model import Channel, ReportInput
from ringfence.reputation.findings import apply_findings
from ringfence.reputation.model import Category
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import Store

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def wangiri(rng: str = "+39351", callees: int = 80, at: datetime = T0) -> Finding:
    return Finding.create(
        detector="wangiri",
        kind="one_ring_range",
        title=f"One-ring (Wangiri) calls from {rng}...",
        reason="one-ring calls",
        score=0.9,
        first_seen=at - timedelta(hours=3),
        last_seen=at,
        counts={"calls": callees * 2, "distinct_callees": callees, "distinct_numbers": 40},
        subjects=[Subject(rng, SubjectRole.SOURCE_RANGE)],
        evidence=["c1"],
        key=rng,
        details={"range": rng, "country": "IT", "max_ring_s": 3.0},
    )


def callbacks(rng: str, destination: str, at_risk: Sequence[str], at: datetime = T0) -> Finding:
    return Finding.create(
        detector="wangiri",
        kind="callback",
        title=f"Subscribers calling back the Wangiri range {rng}...",
        reason=f"{at_risk[0]} called back",
        score=0.8,
        first_seen=at - timedelta(hours=1),
        last_seen=at,
        counts={"callbacks": len(at_risk), "subscribers_at_risk": len(at_risk)},
        subjects=[Subject(destination, SubjectRole.CALLBACK_DESTINATION)]
        + [Subject(s, SubjectRole.AT_RISK) for s in at_risk],
        evidence=["cb1"],
        key=f"callback|{rng}",
        details={"range": rng},
    )


def silent(shown: Iterable[str], callees: int = 300, at: datetime = T0) -> Finding:
    numbers = list(shown)
    return Finding.create(
        detector="silent_calls",
        kind="number_validation",
        title="Silent calls presenting +32470... numbers",
        reason=f"calls presenting {numbers[0]}",
        score=0.95,
        first_seen=at - timedelta(hours=2),
        last_seen=at,
        counts={"calls": callees, "distinct_callees": callees, "distinct_clis": len(numbers)},
        subjects=[Subject(n, SubjectRole.SOURCE_NUMBER, blockable=False) for n in numbers],
        evidence=["s1"],
        key="carrier-x|international",
        details={"cli_range": "+32470", "ingress": "international", "likely_spoofed": True},
    )


def impersonation(owner: str, holder: str, callees: int = 12, at: datetime = T0) -> Finding:
    return Finding.create(
        detector="spoofed_cli",
        kind="do_not_originate",
        title=f"Calls impersonating {holder} ({owner})",
        reason=f"calls presenting {owner}",
        score=0.9,
        first_seen=at - timedelta(hours=1),
        last_seen=at,
        counts={"calls": callees, "distinct_callees": callees},
        subjects=[Subject(owner, SubjectRole.SPOOFED_OWNER)],
        evidence=["d1"],
        key=f"do_not_originate|{owner}|{at.date()}",
        details={"rule": "do_not_originate", "holder": holder, "category": "bank"},
    )


def harassment(victim: str, at: datetime = T0) -> Finding:
    return Finding.create(
        detector="rotation_harassment",
        kind="rotating_foreign_numbers",
        title="A subscriber harassed by 30 rotating foreign numbers",
        reason=f"{victim} received 40 calls",
        score=0.9,
        first_seen=at - timedelta(hours=5),
        last_seen=at,
        counts={"calls": 40, "distinct_callers": 30, "countries": 3},
        subjects=[Subject(victim, SubjectRole.TARGET), Subject("+4479", SubjectRole.SOURCE_RANGE)],
        evidence=["h1"],
        key=victim,
    )


def push(store: Store, clock: FixedClock, findings: Iterable[Finding]) -> None:
    apply_findings(store, list(findings), clock=clock, home_country="BE")


def establish(desk: ReportDesk, clock: FixedClock, tokens: Iterable[str]) -> None:
    """Make the reporters of `tokens` established (seen two days ago) without touching the
    numbers the tests use."""
    saved = clock.now()
    clock.set(saved - timedelta(days=2))
    for index, token in enumerate(tokens):
        desk.submit(
            ReportInput(number=f"+3225{index:07d}", category=Category.OTHER),
            client_token=token,
        )
    clock.set(saved)


def report_burst(
    desk: ReportDesk,
    clock: FixedClock,
    numbers: Sequence[str],
    tokens: Sequence[str],
    *,
    category: Category = Category.BANK_IMPERSONATION,
    text: str | None = None,
    every: timedelta = timedelta(minutes=5),
) -> list[str]:
    """One report per token, on `numbers` in turn, `every` apart; returns the report ids."""
    ids = []
    for index, token in enumerate(tokens):
        submission = desk.submit(
            ReportInput(
                number=numbers[index % len(numbers)],
                category=category,
                channel=Channel.CALL if text is None else Channel.SMS,
                text=text,
            ),
            client_token=token,
        )
        ids.append(submission.report.id)
        clock.advance(every)
    return ids


def reputations(store: Store, clock: FixedClock) -> Reputations:
    return Reputations(store, clock, home_country="BE")
