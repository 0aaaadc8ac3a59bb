"""A finding: what a detector concluded from call records, with the reason and the evidence.

Why subjects have roles: a finding names numbers and ranges, but not all of them are the
scammer's. A silent-call campaign *presents* the numbers of innocent subscribers; a callback
storm *is* the innocent owner receiving puzzled callbacks; a Wangiri campaign's *ranges* are
the scammer's premium lines. Reputation, alerts and blocklists act on a subject according to
its role, and a subject that is not `blockable` must never reach a blocklist.

>>> f = Finding.create(
...     detector="wangiri", kind="one_ring_range", title="One-ring calls from +39351",
...     reason="...", score=0.9, first_seen=datetime(2026, 1, 1, tzinfo=UTC),
...     last_seen=datetime(2026, 1, 1, 1, tzinfo=UTC), counts={"calls": 120},
...     subjects=[Subject("+39351", SubjectRole.SOURCE_RANGE)], evidence=["c1", "c2"])
>>> Finding.from_json(f.to_json()) == f
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class SubjectRole(StrEnum):
    """What a number or range is to a finding."""

    SOURCE_NUMBER = "source_number"
    """A CLI the campaign used. Evidence against it only if it is not spoofed."""
    SOURCE_RANGE = "source_range"
    """A range the campaign's CLIs came from (Wangiri, rotation): blockable as a range."""
    SPOOFED_OWNER = "spoofed_owner"
    """An innocent subscriber whose number is presented by scammers: never blocklisted."""
    CALLBACK_DESTINATION = "callback_destination"
    """A number subscribers were lured into calling back (premium rate): warn or block callbacks."""
    TARGET = "target"
    """A subscriber who was called or harassed: private, never published."""
    AT_RISK = "at_risk"
    """A subscriber who called a lure back: to be warned by the operator, never published."""


_BLOCKABLE_ROLES = frozenset(
    {SubjectRole.SOURCE_NUMBER, SubjectRole.SOURCE_RANGE, SubjectRole.CALLBACK_DESTINATION}
)


@dataclass(frozen=True, slots=True)
class Subject:
    """A number (E.164) or range (`+3939`) named by a finding, with its role."""

    value: str
    role: SubjectRole
    blockable: bool | None = None
    """None means "by role": sources and callback destinations are blockable, others never.
    A detector may set False (a source CLI that is probably spoofed); True never overrides a
    role that is not blockable."""

    def __post_init__(self) -> None:
        by_role = self.role in _BLOCKABLE_ROLES
        resolved = by_role if self.blockable is None else (self.blockable and by_role)
        object.__setattr__(self, "blockable", resolved)

    @property
    def may_block(self) -> bool:
        return bool(self.blockable)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "role": self.role.value, "blockable": self.may_block}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Subject:
        return cls(str(data["value"]), SubjectRole(data["role"]), data.get("blockable"))


@dataclass(frozen=True, slots=True)
class Finding:
    """One campaign or pattern found by a detector.

    `score` is in [0, 1]: how sure the detector is that this is fraud. `counts` holds the
    figures the reason quotes (calls, distinct callees, answer share...). `evidence` holds a
    few example call ids; every flagged call is linked to `finding_id` in flagged_calls.
    """

    finding_id: str
    detector: str
    kind: str
    title: str
    reason: str
    score: float
    first_seen: datetime
    last_seen: datetime
    counts: Mapping[str, float]
    subjects: tuple[Subject, ...]
    evidence: tuple[str, ...]
    details: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        *,
        detector: str,
        kind: str,
        title: str,
        reason: str,
        score: float,
        first_seen: datetime,
        last_seen: datetime,
        counts: Mapping[str, float],
        subjects: Iterable[Subject],
        evidence: Iterable[str],
        key: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> Finding:
        """Build a finding whose id is stable for the same detector, kind and key.

        `key` identifies the campaign (its range, source group...): the same campaign found
        again gets the same id, so reputation and alerts update instead of duplicating.
        """
        subjects = tuple(subjects)
        if key is None:
            key = ",".join(sorted(s.value for s in subjects))
        digest = hashlib.sha256(f"{detector}|{kind}|{key}".encode()).hexdigest()[:16]
        return cls(
            finding_id=f"{detector}-{digest}",
            detector=detector,
            kind=kind,
            title=title,
            reason=reason,
            score=max(0.0, min(1.0, float(score))),
            first_seen=first_seen,
            last_seen=last_seen,
            counts=dict(counts),
            subjects=subjects,
            evidence=tuple(evidence),
            details=dict(details or {}),
        )

    def subjects_with(self, *roles: SubjectRole) -> list[str]:
        return [s.value for s in self.subjects if s.role in roles]

    def to_dict(self) -> dict[str, Any]:
        return {
            "finding_id": self.finding_id,
            "detector": self.detector,
            "kind": self.kind,
            "title": self.title,
            "reason": self.reason,
            "score": round(self.score, 4),
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "counts": dict(self.counts),
            "subjects": [s.to_dict() for s in self.subjects],
            "evidence": list(self.evidence),
            "details": dict(self.details),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            finding_id=str(data["finding_id"]),
            detector=str(data["detector"]),
            kind=str(data["kind"]),
            title=str(data["title"]),
            reason=str(data["reason"]),
            score=float(data["score"]),
            first_seen=_utc(data["first_seen"]),
            last_seen=_utc(data["last_seen"]),
            counts=dict(data.get("counts", {})),
            subjects=tuple(Subject.from_dict(s) for s in data.get("subjects", [])),
            evidence=tuple(str(e) for e in data.get("evidence", [])),
            details=dict(data.get("details", {})),
        )

    @classmethod
    def from_json(cls, text: str) -> Finding:
        return cls.from_dict(json.loads(text))


def _utc(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
