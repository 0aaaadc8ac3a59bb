"""Anti-abuse rules for citizens' reports: rate limits, one vote per number, flood detection.

Why each rule:
- rate limits per reporter and per IP (hashed) stop one client from drowning a number;
- one vote per reporter per number per period (30 days) makes the score count people, not
  clicks;
- flood detection: an attacker wanting to get an innocent number blocked, or a bank's number
  discredited, creates many fresh reporters. A burst of reports from *new* reporters (first seen
  less than a day ago) against a number that was clean for 90 days, or that is allow-listed,
  goes to moderation instead of the score; the reports of that burst that were already counted
  are held back too. Reports from established reporters always count.

Defaults are starting values, chosen so that a real campaign (reports from many established
reporters over hours) is never held, and a scripted burst (five fresh tokens in an hour) is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ringfence.reports.model import ReportError
from ringfence.reputation.model import EvidenceKind
from ringfence.reputation.store import ModerationItem, ReportStatus, Store

_SCAM_KINDS = frozenset({EvidenceKind.AGAINST, EvidenceKind.LURE, EvidenceKind.SHOWN})


@dataclass(frozen=True, slots=True)
class AbusePolicy:
    vote_period: timedelta = timedelta(days=30)
    rate_window: timedelta = timedelta(hours=1)
    reporter_per_window: int = 20
    ip_per_window: int = 60
    flood_window: timedelta = timedelta(hours=1)
    new_reporter_age: timedelta = timedelta(hours=24)
    flood_min_reports: int = 5
    flood_min_reports_allowlisted: int = 3
    flood_new_share: float = 0.8
    clean_period: timedelta = timedelta(days=90)
    max_age: timedelta = timedelta(days=365)
    future_slack: timedelta = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Flood:
    """The flood verdict for one incoming report."""

    hold: bool
    item: ModerationItem | None = None
    pull_back: tuple[str, ...] = field(default_factory=tuple)
    reason: str = ""


def check_rates(
    store: Store, reporter: str, ip_hash: str | None, now: datetime, policy: AbusePolicy
) -> None:
    """Raise a 429 `ReportError` with Retry-After when the reporter or IP is over its limit."""
    since = now - policy.rate_window
    limits: list[tuple[str, list[datetime], int]] = [
        (
            "this client",
            store.report_times(reporter=reporter, since=since),
            policy.reporter_per_window,
        )
    ]
    if ip_hash is not None:
        limits.append(
            (
                "this network address",
                store.report_times(ip_hash=ip_hash, since=since),
                policy.ip_per_window,
            )
        )
    for who, times, limit in limits:
        if len(times) >= limit:
            free_at = times[len(times) - limit] + policy.rate_window
            wait = max(1, math.ceil((free_at - now).total_seconds()))
            raise ReportError(
                f"{who} sent {len(times)} reports in the last "
                f"{int(policy.rate_window.total_seconds() // 60)} minutes (limit {limit}); "
                f"try again in {wait} s",
                status=429,
                code="rate-limited",
                retry_after_s=wait,
            )


def check_vote(
    store: Store, reporter: str, number: str, now: datetime, policy: AbusePolicy
) -> None:
    """Raise a 409 `ReportError` when the reporter already reported `number` this period."""
    last = store.last_report_on(reporter, number, now - policy.vote_period)
    if last is not None:
        again = last + policy.vote_period
        raise ReportError(
            f"you already reported {number} on {last.date().isoformat()}; one report per number "
            f"every {policy.vote_period.days} days counts (next from {again.date().isoformat()})",
            status=409,
            code="already-reported",
            field="number",
        )


def check_time(occurred_at: datetime, now: datetime, policy: AbusePolicy) -> None:
    if occurred_at > now + policy.future_slack:
        raise ReportError(
            "'occurred_at' is in the future; give the time of the call or message",
            field="occurred_at",
        )
    if occurred_at < now - policy.max_age:
        raise ReportError(
            f"'occurred_at' is more than {policy.max_age.days} days ago; old calls say little "
            "about a number today",
            field="occurred_at",
        )


def assess_flood(
    store: Store,
    number: str,
    *,
    allowlisted: bool,
    reporter_is_new: bool,
    now: datetime,
    policy: AbusePolicy,
) -> Flood:
    """Whether a report from a (new or established) reporter on `number` joins a flood."""
    if not reporter_is_new:
        return Flood(hold=False)
    open_item = store.open_moderation("flood", number)
    if open_item is not None:
        return Flood(hold=True, item=open_item, reason="an open flood review on this number")
    recent = [
        r
        for r in store.reports_on(number, now - policy.flood_window)
        if r.status is not ReportStatus.REJECTED and r.reporter
    ]
    fresh = [r for r in recent if _was_new(store, r.reporter, r.received_at, policy)]
    burst = len(fresh) + 1
    threshold = policy.flood_min_reports_allowlisted if allowlisted else policy.flood_min_reports
    if burst < threshold or burst / (len(recent) + 1) < policy.flood_new_share:
        return Flood(hold=False)
    if not allowlisted and not _long_clean(store, number, {r.id for r in recent}, now, policy):
        return Flood(hold=False)
    why = "allow-listed" if allowlisted else f"clean for {policy.clean_period.days} days"
    return Flood(
        hold=True,
        pull_back=tuple(r.id for r in fresh if r.status is ReportStatus.COUNTED),
        reason=(
            f"{burst} reports from new reporters within "
            f"{int(policy.flood_window.total_seconds() // 60)} minutes against a number {why}"
        ),
    )


def _was_new(store: Store, reporter: str | None, at: datetime, policy: AbusePolicy) -> bool:
    if reporter is None:
        return False
    first = store.reporter_first_seen(reporter)
    return first is None or first > at - policy.new_reporter_age


def _long_clean(
    store: Store, number: str, burst_ids: set[str], now: datetime, policy: AbusePolicy
) -> bool:
    since = now - policy.clean_period
    for row in store.evidence_for([number]):
        if row.kind in _SCAM_KINDS and row.ref not in burst_ids and row.occurred_at >= since:
            return False
    return True
