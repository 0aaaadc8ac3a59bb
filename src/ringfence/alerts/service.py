"""The alerts service: findings and report bursts in, public alerts out.

Why a refresh and not a trigger in every writer: findings arrive through the API, the CLI and
`ringfence analyze`; reports through the API and the web form; the modules that write them are
not ours to change. A refresh reads what is new since the last one (findings by the time they
were applied, reports of the last day) and brings the alerts up to date; it is idempotent, so
two API workers refreshing at once only repeat the same writes (serialised by a lock). Readers
call `refresh_if_stale()`, which refreshes at most every `min_refresh_s` seconds per process.

Publication is checked again at read time: a number named by an alert is left out as soon as
its reputation says it is spoofed, shown by scammers, allow-listed or an emergency/short number
(evidence that arrives after the alert was built), and an alert whose kind needs a number or
range to make sense is hidden when none is left.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from ringfence.alerts.bursts import burst_sources
from ringfence.alerts.campaigns import Skipped, finding_source
from ringfence.alerts.model import Alert, AlertKind, AlertSubject, Source, alert_id
from ringfence.alerts.policy import AlertPolicy
from ringfence.alerts.storage import AlertStore
from ringfence.domain.findings import Finding
from ringfence.reputation.model import State, SubjectKind
from ringfence.reputation.service import Reputations
from ringfence.reputation.store.sql import from_us, to_us

_WATERMARK = "findings_applied_us"
_NEEDS_SUBJECTS = frozenset(
    {AlertKind.ONE_RING, AlertKind.CALL_CENTRE, AlertKind.ROBOCALL, AlertKind.REPORTED_NUMBERS}
)
_AT_LEAST = frozenset({"people", "reporters", "called_back"})
"""Counts of distinct people: the same person may appear in two sources, so the alert keeps
the largest figure ("at least N people") instead of a sum."""


@dataclass(slots=True)
class RefreshSummary:
    findings_read: int = 0
    reports_read: int = 0
    sources: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "findings_read": self.findings_read,
            "reports_read": self.reports_read,
            "sources": self.sources,
            "created": self.created,
            "updated": self.updated,
            "skipped": [{"finding_id": s.finding_id, "reason": s.reason} for s in self.skipped],
            "left_out": [{"group": g, "reason": r} for g, r in self.left_out],
        }


class Alerts:
    """Builds, keeps and publishes alerts over one store."""

    def __init__(
        self,
        reputations: Reputations,
        *,
        policy: AlertPolicy | None = None,
        min_refresh_s: float = 30.0,
    ) -> None:
        self.reputations = reputations
        self.clock = reputations.clock
        self.policy = policy or AlertPolicy()
        self.storage = AlertStore(reputations.store)
        self.min_refresh_s = min_refresh_s
        self._last_refresh = -float("inf")
        self._refresh_lock = threading.Lock()

    # -- building --------------------------------------------------------------------------
    def refresh_if_stale(self) -> RefreshSummary | None:
        """Refresh unless this process did within `min_refresh_s` seconds."""
        with self._refresh_lock:
            if time.monotonic() - self._last_refresh < self.min_refresh_s:
                return None
            summary = self.refresh()
            self._last_refresh = time.monotonic()
            return summary

    def refresh(self) -> RefreshSummary:
        """Read new findings and recent reports; create or update their alerts."""
        summary = RefreshSummary()
        now = self.clock.now()
        watermark = self.storage.get_meta(_WATERMARK)
        since = from_us(int(watermark)) if watermark else from_us(0)
        applied = self.storage.findings_applied_since(since)
        summary.findings_read = len(applied)
        findings = [Finding.from_json(body) for body, _ in applied]
        sources = self._finding_sources(findings, summary)
        start = now - self.policy.report_lookback
        day_start = start.replace(hour=0, minute=0, second=0, microsecond=0)
        rows = self.storage.counted_reports_since(day_start)
        summary.reports_read = len(rows)
        publishable = self._publishable_numbers({r.number for r in rows})
        bursts, left_out = burst_sources(
            rows,
            self.policy,
            publishable=lambda n: n in publishable,
            active_campaigns=self.storage.active_campaigns(now),
        )
        summary.left_out = left_out
        self._apply([*sources, *bursts], now, summary)
        if applied:
            self.storage.set_meta(_WATERMARK, str(to_us(max(at for _, at in applied))))
        return summary

    def add_findings(self, findings: list[Finding]) -> RefreshSummary:
        """Turn `findings` into alerts now (the CLI after an analysis, tests)."""
        summary = RefreshSummary(findings_read=len(findings))
        sources = self._finding_sources(findings, summary)
        self._apply(sources, self.clock.now(), summary)
        return summary

    def _finding_sources(self, findings: list[Finding], summary: RefreshSummary) -> list[Source]:
        opening: list[Source] = []
        extending: list[Source] = []
        for finding in findings:
            source, skipped, extends_only = finding_source(
                finding, self.policy, self.reputations.home_country
            )
            if skipped is not None:
                summary.skipped.append(skipped)
            elif source is not None:
                (extending if extends_only else opening).append(source)
        campaigns = {s.campaign for s in opening}
        kept = list(opening)
        for source in extending:
            if source.campaign in campaigns or self.storage.has_campaign(source.campaign):
                kept.append(source)
            else:
                ref = source.ref.removeprefix("finding:")
                summary.skipped.append(Skipped(ref, f"no alert of {source.campaign} to extend"))
        return kept

    def _publishable_numbers(self, numbers: set[str]) -> set[str]:
        keys = [(n, SubjectKind.NUMBER) for n in numbers if n.startswith("+")]
        evaluated = self.reputations.evaluate_many(keys)
        return {
            subject
            for (subject, _), (reputation, _) in evaluated.items()
            if reputation.state is not State.SPOOFED
            and not reputation.shown_by_scammers
            and reputation.allowlisted is None
            and not self.reputations.never_block(subject)
        }

    def _apply(self, sources: list[Source], now: datetime, summary: RefreshSummary) -> None:
        by_campaign: dict[str, list[Source]] = defaultdict(list)
        for source in sources:
            by_campaign[source.campaign].append(source)
        summary.sources += len(sources)
        with self.storage.transaction():
            self.storage.lock()
            for campaign, group in sorted(by_campaign.items()):
                identifier = alert_id(campaign)
                for source in group:
                    self.storage.save_source(identifier, source)
                existing = self.storage.get(identifier)
                every = self.storage.sources(identifier)
                built = self._aggregate(identifier, campaign, group[0], every, existing, now)
                if existing is None:
                    summary.created.append(identifier)
                elif _content(existing) != _content(built):
                    summary.updated.append(identifier)
                else:
                    continue
                self.storage.save_alert(built)

    def _aggregate(
        self,
        identifier: str,
        campaign: str,
        latest: Source,
        sources: list[Source],
        existing: Alert | None,
        now: datetime,
    ) -> Alert:
        subjects: list[AlertSubject] = []
        for source in sorted(sources, key=lambda s: s.last_seen, reverse=True):
            for subject in source.subjects:
                if subject not in subjects:
                    subjects.append(subject)
        subjects.sort(key=lambda s: s.kind != "range")
        counts: Counter[str] = Counter()
        for source in sources:
            for key, value in source.counts.items():
                counts[key] = max(counts[key], value) if key in _AT_LEAST else counts[key] + value
        params: dict[str, Any] = {}
        for source in sorted(sources, key=lambda s: s.last_seen):
            params.update(source.params)
        last_seen = max(s.last_seen for s in sources)
        kind = existing.kind if existing else latest.kind
        return Alert(
            id=identifier,
            campaign=campaign,
            kind=kind,
            category=latest.category,
            subjects=tuple(subjects[: self.policy.max_subjects]),
            params=params,
            counts=dict(counts),
            withheld=max(s.withheld for s in sources),
            started_at=min(s.first_seen for s in sources),
            updated_at=now,
            last_seen=last_seen,
            expires_at=last_seen + self.policy.expiry(kind),
            revision=(existing.revision + 1) if existing else 1,
        )

    # -- publishing ------------------------------------------------------------------------
    def current(self, *, limit: int = 100) -> list[Alert]:
        """The active alerts, latest first, as they may be published."""
        now = self.clock.now()
        found = self.storage.alerts(active_at=now, limit=limit)
        return self._public(found)

    def recent(self, *, days: float = 30, limit: int = 100) -> list[Alert]:
        """Alerts active within the last `days` (expired ones included), for the feed."""
        cutoff = self.clock.now() - timedelta(days=days)
        return self._public(self.storage.alerts(active_at=cutoff, limit=limit))

    def get(self, identifier: str) -> Alert | None:
        found = self.storage.get(identifier)
        if found is None:
            return None
        public = self._public([found])
        return public[0] if public else None

    def _public(self, alerts: list[Alert]) -> list[Alert]:
        numbers = {s.value for a in alerts for s in a.subjects if s.kind == "number"}
        allowed = self._publishable_numbers(numbers)
        public = []
        for alert in alerts:
            subjects = tuple(s for s in alert.subjects if s.kind != "number" or s.value in allowed)
            if not subjects and alert.kind in _NEEDS_SUBJECTS:
                continue
            dropped = len(alert.subjects) - len(subjects)
            public.append(replace(alert, subjects=subjects, withheld=alert.withheld + dropped))
        return public


def _content(alert: Alert) -> str:
    return json.dumps(
        {
            "subjects": [s.to_dict() for s in alert.subjects],
            "counts": dict(alert.counts),
            "params": dict(alert.params),
            "withheld": alert.withheld,
            "category": alert.category,
            "last_seen": alert.last_seen.isoformat(),
            "started": alert.started_at.isoformat(),
        },
        sort_keys=True,
    )
