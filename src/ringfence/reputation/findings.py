"""Detector findings into the reputation store, by the role of each subject.

Why by role: a finding names numbers that are not all the scammer's. `spoofed_owner` is an
innocent subscriber whose number scammers show: it gets the state `spoofed` and is never
blocklisted. A `source_number` is evidence against the number only when the detector says it is
blockable; otherwise it is "shown by scammers" evidence, which warns the person called but never
blocks. A `source_range` is evidence against the range (or shown evidence when not blockable); a
`callback_destination` is a premium-rate lure; `target` and `at_risk` subscribers are kept for the
operator only and never published.

Idempotent by `finding_id`: the same finding pushed twice changes nothing; a finding pushed
again with new content (the campaign grew) replaces its earlier evidence instead of adding to it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ringfence.domain.clock import Clock
from ringfence.domain.findings import Finding, SubjectRole
from ringfence.domain.numbers import NumberError, NumberRange, NumberType, parse_number
from ringfence.reputation.allowlist import Allowlist
from ringfence.reputation.blocklist import Blocklist
from ringfence.reputation.model import Category, Evidence, EvidenceKind, EvidenceSource, SubjectKind
from ringfence.reputation.policy import ScoringPolicy
from ringfence.reputation.service import Reputations, SubjectKey
from ringfence.reputation.store import Store

_PRIVATE_ROLES = frozenset({SubjectRole.TARGET, SubjectRole.AT_RISK})

_CATEGORY_WORDS: tuple[tuple[str, Category], ...] = (
    ("callback", Category.PREMIUM_CALLBACK),
    ("one_ring", Category.ONE_RING),
    ("wangiri", Category.ONE_RING),
    ("silent", Category.SILENT_CALL),
    ("number_validation", Category.SILENT_CALL),
    ("harass", Category.HARASSMENT),
    ("rotating", Category.HARASSMENT),
    ("bank", Category.BANK_IMPERSONATION),
    ("police", Category.POLICE_IMPERSONATION),
)


@dataclass(slots=True)
class ApplySummary:
    """What `apply_findings` did."""

    read: int = 0
    applied: int = 0
    """Findings new to the store or changed since they were last applied."""
    unchanged: int = 0
    """Findings already applied with the same content (nothing counted twice)."""
    evidence_rows: int = 0
    roles: Counter[str] = field(default_factory=Counter)
    private_subjects: int = 0
    rejected: list[tuple[str, str, str]] = field(default_factory=list)
    """(finding_id, subject value, reason) of subjects that could not be read."""
    blocklist_changes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "applied": self.applied,
            "unchanged": self.unchanged,
            "evidence_rows": self.evidence_rows,
            "roles": dict(self.roles),
            "private_subjects": self.private_subjects,
            "rejected": [{"finding_id": f, "subject": s, "reason": r} for f, s, r in self.rejected],
            "blocklist_changes": self.blocklist_changes,
        }


def finding_category(finding: Finding) -> str:
    """The report category closest to a finding's detector and kind (`other` when none)."""
    text = f"{finding.detector} {finding.kind}".lower()
    for word, category in _CATEGORY_WORDS:
        if word in text:
            return category.value
    return Category.OTHER.value


def apply_findings(
    store: Store,
    findings: Iterable[Finding],
    *,
    clock: Clock,
    home_country: str = "BE",
    policy: ScoringPolicy | None = None,
    allowlist: Allowlist | None = None,
) -> ApplySummary:
    """Store the evidence of `findings` and bring the blocklist in step; see the module doc."""
    reputations = Reputations(
        store, clock, policy=policy, allowlist=allowlist, home_country=home_country
    )
    return FindingsApplier(reputations).apply(findings)


class FindingsApplier:
    """Applies findings through an existing `Reputations` service (the API keeps one)."""

    def __init__(self, reputations: Reputations) -> None:
        self.reputations = reputations
        self.blocklist = Blocklist(reputations)

    def apply(self, findings: Iterable[Finding]) -> ApplySummary:
        summary = ApplySummary()
        store = self.reputations.store
        for finding in findings:
            summary.read += 1
            digest = hashlib.sha256(finding.to_json().encode()).hexdigest()
            if store.finding_digest(finding.finding_id) == digest:
                summary.unchanged += 1
                continue
            rows, private = self._evidence(finding, summary)
            with store.transaction():
                store.lock(f"finding:{finding.finding_id}")
                touched: set[SubjectKey] = set(store.remove_evidence(finding.finding_id))
                summary.evidence_rows += store.add_evidence(rows)
                store.save_finding(
                    finding.finding_id,
                    digest,
                    finding.to_json(),
                    private,
                    self.reputations.clock.now(),
                )
                touched |= self.reputations.subjects_of(rows)
                summary.blocklist_changes += len(self.blocklist.reconcile(touched))
            summary.applied += 1
            summary.private_subjects += len(private)
        return summary

    def _evidence(
        self, finding: Finding, summary: ApplySummary
    ) -> tuple[list[Evidence], list[tuple[str, str]]]:
        category = finding_category(finding)
        note = f"{finding.detector}: {finding.title}"
        rows: list[Evidence] = []
        private: list[tuple[str, str]] = []
        for subject in finding.subjects:
            summary.roles[subject.role.value] += 1
            if subject.role in _PRIVATE_ROLES:
                private.append((subject.value, subject.role.value))
                continue
            try:
                value, kind = self._subject(subject.value, subject.role)
            except ValueError as error:
                summary.rejected.append((finding.finding_id, subject.value, str(error)))
                continue
            if subject.role is SubjectRole.SPOOFED_OWNER:
                evidence_kind = EvidenceKind.SPOOFED
            elif subject.role is SubjectRole.CALLBACK_DESTINATION:
                evidence_kind = EvidenceKind.LURE
            else:
                evidence_kind = EvidenceKind.AGAINST if subject.may_block else EvidenceKind.SHOWN
            rows.append(
                Evidence(
                    subject=value,
                    subject_kind=kind,
                    source=EvidenceSource.FINDING,
                    kind=evidence_kind,
                    category=(
                        Category.PREMIUM_CALLBACK.value
                        if evidence_kind is EvidenceKind.LURE
                        else category
                    ),
                    strength=finding.score,
                    occurred_at=finding.last_seen,
                    ref=finding.finding_id,
                    note=note,
                )
            )
        return rows, private

    def _subject(self, value: str, role: SubjectRole) -> tuple[str, SubjectKind]:
        """The canonical subject of a finding's value: a range for `source_range`, else a number
        (a callback destination may also be a range)."""
        if role is SubjectRole.SOURCE_RANGE:
            return str(NumberRange.parse(value)), SubjectKind.RANGE
        try:
            number = parse_number(value, self.reputations.home_country)
        except NumberError as error:
            if role is SubjectRole.CALLBACK_DESTINATION:
                return str(NumberRange.parse(value)), SubjectKind.RANGE
            raise ValueError(str(error)) from None
        if number.type is NumberType.ANONYMOUS:
            raise ValueError("a withheld caller cannot carry a reputation")
        return number.e164, SubjectKind.NUMBER
