"""The reputation service: reads evidence from a store and answers "what is this number?".

Why a service over the store: the store keeps rows; this class knows which rows make up a
number's reputation (the number itself and every range containing it), which numbers are
allow-listed or never blocked, and which ranges a report feeds. The API, the CLI, the reports
desk and `apply_findings` all go through it, so a lookup means the same everywhere.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from threading import Lock

from ringfence.domain.clock import Clock
from ringfence.domain.numbers import NumberError, NumberType, PhoneNumber, parse_number
from ringfence.reputation.allowlist import Allowlist, AllowlistEntry
from ringfence.reputation.model import (
    Evidence,
    EvidenceKind,
    EvidenceSource,
    Reputation,
    SubjectKind,
)
from ringfence.reputation.policy import ScoringPolicy
from ringfence.reputation.scoring import evaluate, only_via
from ringfence.reputation.store import ReportRecord, Store
from ringfence.reputation.view import NumberView, combine, range_prefixes

SubjectKey = tuple[str, SubjectKind]

IMPORT_SOURCES = frozenset({"ftc-dnc"})
"""Report sources that are imported public complaints (weaker evidence), not citizens."""


class Reputations:
    """Lookups, evaluations and the evidence a report adds, over one store."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        policy: ScoringPolicy | None = None,
        allowlist: Allowlist | None = None,
        home_country: str = "BE",
        allowlist_ttl_s: float = 60.0,
    ) -> None:
        self.store = store
        self.clock = clock
        self.policy = policy or ScoringPolicy()
        self.home_country = home_country
        self._base_allowlist = allowlist if allowlist is not None else Allowlist.default()
        self._allowlist: Allowlist | None = None
        self._allowlist_at = 0.0
        self._allowlist_ttl_s = allowlist_ttl_s
        self._allowlist_lock = Lock()

    # -- numbers ---------------------------------------------------------------------------
    def parse(self, raw: str) -> PhoneNumber:
        """Parse a number written by a person; a withheld caller is an error here."""
        number = parse_number(raw, self.home_country)
        if number.type is NumberType.ANONYMOUS:
            raise NumberError(raw, "a withheld caller has no number to look up or report")
        return number

    def allowlist(self) -> Allowlist:
        """The shipped allow-list merged with the store's entries (re-read every minute)."""
        with self._allowlist_lock:
            now = time.monotonic()
            if self._allowlist is None or now - self._allowlist_at > self._allowlist_ttl_s:
                extra = [
                    AllowlistEntry(
                        e.number, "", e.holder, "operator", e.source, e.added_at.date().isoformat()
                    )
                    for e in self.store.allowed()
                ]
                self._allowlist = self._base_allowlist.merged(extra)
                self._allowlist_at = now
            return self._allowlist

    def forget_allowlist(self) -> None:
        """Re-read the store's allow-list at the next lookup (after `allowlist add`)."""
        with self._allowlist_lock:
            self._allowlist = None

    def never_block(self, subject: str) -> bool:
        """Emergency and short numbers (stored in dialled form, without a plus)."""
        if subject.startswith("+"):
            return False
        try:
            return parse_number(subject, self.home_country).never_block
        except NumberError:
            return False

    # -- reading ---------------------------------------------------------------------------
    def view(self, number: PhoneNumber, *, now: datetime | None = None) -> NumberView:
        """The reputation of `number` with the ranges that contain it."""
        moment = now or self.clock.now()
        prefixes = range_prefixes(number.e164)
        rows = self.store.evidence_for([number.e164, *prefixes])
        own = evaluate(
            number.e164,
            SubjectKind.NUMBER,
            rows,
            moment,
            self.policy,
            allowlisted=self.allowlist().holder(number.e164),
            never_block=number.never_block,
        )
        ranges = self._ranges(number.e164, prefixes, rows, moment)
        return combine(number, own, ranges)

    def _ranges(
        self, number: str, prefixes: list[str], rows: list[Evidence], now: datetime
    ) -> list[Reputation]:
        """Reputations of the ranges containing `number` that have evidence beyond reports on
        `number` itself (those add nothing to its own reputation, and are skipped unscored)."""
        grouped: dict[str, list[Evidence]] = defaultdict(list)
        for row in rows:
            if row.subject_kind is SubjectKind.RANGE:
                grouped[row.subject].append(row)
        return [
            evaluate(p, SubjectKind.RANGE, grouped[p], now, self.policy)
            for p in prefixes
            if p in grouped and only_via(grouped[p]) != number
        ]

    def evaluate_many(
        self, subjects: Iterable[SubjectKey], *, now: datetime | None = None
    ) -> dict[SubjectKey, tuple[Reputation, list[Evidence]]]:
        """Reputation and evidence rows of each subject, read in one pass over the store."""
        moment = now or self.clock.now()
        wanted = sorted(set(subjects))
        grouped = self.evidence_by_subject(wanted)
        return {
            key: (self.evaluate_rows(key, grouped.get(key, []), moment), grouped.get(key, []))
            for key in wanted
        }

    def evidence_by_subject(
        self, subjects: Iterable[SubjectKey]
    ) -> dict[SubjectKey, list[Evidence]]:
        """The evidence rows of each subject (one query per 500 subjects)."""
        grouped: dict[SubjectKey, list[Evidence]] = defaultdict(list)
        for row in self.store.evidence_for(sorted({s for s, _ in subjects})):
            grouped[(row.subject, row.subject_kind)].append(row)
        return grouped

    def evaluate_rows(self, key: SubjectKey, rows: list[Evidence], now: datetime) -> Reputation:
        """The reputation of one subject from its rows (allow-list and emergency rules applied)."""
        subject, kind = key
        is_number = kind is SubjectKind.NUMBER
        return evaluate(
            subject,
            kind,
            rows,
            now,
            self.policy,
            allowlisted=self.allowlist().holder(subject) if is_number else None,
            never_block=is_number and self.never_block(subject),
        )

    # -- writing ---------------------------------------------------------------------------
    def ranges_fed_by(self, e164: str) -> list[str]:
        """The ranges a report on `e164` feeds: its /10 and /100 blocks (policy.range_cuts)."""
        if not e164.startswith("+"):
            return []
        digits = e164[1:]
        found = []
        for cut in self.policy.range_cuts:
            if len(digits) - cut >= 3:
                found.append("+" + digits[: len(digits) - cut])
        return found

    def report_evidence(self, report: ReportRecord) -> list[Evidence]:
        """The evidence rows a counted report adds: on its number and on the ranges it feeds."""
        source = EvidenceSource.IMPORT if report.source in IMPORT_SOURCES else EvidenceSource.REPORT
        rows = [
            Evidence(
                subject=report.number,
                subject_kind=SubjectKind.NUMBER,
                source=source,
                kind=EvidenceKind.AGAINST,
                category=report.category,
                strength=1.0,
                occurred_at=report.occurred_at,
                ref=report.id,
                reporter=report.reporter,
            )
        ]
        for prefix in self.ranges_fed_by(report.number):
            rows.append(
                Evidence(
                    subject=prefix,
                    subject_kind=SubjectKind.RANGE,
                    source=source,
                    kind=EvidenceKind.AGAINST,
                    category=report.category,
                    strength=1.0,
                    occurred_at=report.occurred_at,
                    ref=report.id,
                    via=report.number,
                    reporter=report.reporter,
                )
            )
        return rows

    def subjects_of(self, rows: Iterable[Evidence]) -> set[SubjectKey]:
        return {(r.subject, r.subject_kind) for r in rows}
