"""The vocabulary of reputation: evidence about a number or range, and what it adds up to.

Why evidence rows and not a stored score: a score depends on *when* it is read (old reports fade)
and on the scoring policy (weights, thresholds), both of which change. Evidence is what happened
(a citizen's report, a detector's finding, an imported complaint, an operator's decision); the
reputation is computed from it at read time, so nothing has to be rewritten when a day passes or
a weight is tuned.

Why `kind`: the same number can be evidence of different things. A number *used* by scammers
(`against`) may be blocked; a number *shown* by scammers but probably spoofed (`shown`) warns the
person being called but must never be blocked, because it belongs to someone innocent; a number
that victims were lured into calling back (`lure`) is a premium-rate trap; `spoofed` says the
owner is a victim of spoofing; `decision` is an operator's or moderator's verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Category(StrEnum):
    """What kind of scam a report or finding is about (the report categories of issue 4)."""

    SILENT_CALL = "silent_call"
    ONE_RING = "one_ring"
    BANK_IMPERSONATION = "bank_impersonation"
    POLICE_IMPERSONATION = "police_impersonation"
    OPERATOR_IMPERSONATION = "operator_impersonation"
    CRYPTO_SCAM = "crypto_scam"
    FAKE_CONVOCATION = "fake_convocation"
    PREMIUM_CALLBACK = "premium_callback"
    HARASSMENT = "harassment"
    OTHER = "other"


class Level(StrEnum):
    """What a lookup tells a citizen, in increasing order of danger."""

    SAFE = "safe"
    UNKNOWN = "unknown"
    SUSPICIOUS = "suspicious"
    SCAM = "scam"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.SAFE: 0, Level.UNKNOWN: 1, Level.SUSPICIOUS: 2, Level.SCAM: 3}


class State(StrEnum):
    """A state beside the level: `spoofed` means scammers show this number; its owner is not
    the caller, and the number is never blocklisted."""

    NORMAL = "normal"
    SPOOFED = "spoofed"


class SubjectKind(StrEnum):
    NUMBER = "number"
    RANGE = "range"


class EvidenceSource(StrEnum):
    """Where a piece of evidence came from; each source has its own weight and half-life."""

    REPORT = "report"
    """A citizen's report, counted (not held by moderation)."""
    IMPORT = "import"
    """A complaint imported from public data (FTC Do-Not-Call...): weaker than a report."""
    FINDING = "finding"
    """A detector's finding from call records."""
    OPERATOR = "operator"
    """An operator's or moderator's decision."""


class EvidenceKind(StrEnum):
    AGAINST = "against"
    """The subject is used by scammers: counts for the score and may make it blockable."""
    SHOWN = "shown"
    """The subject was shown in scam calls but is probably spoofed: counts for the score, never
    for blocking."""
    LURE = "lure"
    """Victims were lured into calling the subject back (premium-rate lure): blockable."""
    SPOOFED = "spoofed"
    """The subject's owner is a victim of spoofing (callback storm, national CLI from abroad)."""
    DECISION = "decision"
    """An operator's verdict (`category` holds the `Verdict`): overrides the score until it
    expires."""


class Verdict(StrEnum):
    """An operator's or moderator's decision about a number or range."""

    SCAM = "scam"
    SAFE = "safe"
    SPOOFED = "spoofed"
    CLEAR = "clear"
    """Withdraws earlier decisions: the score speaks again."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence about one subject (a number in E.164 or dialled form, or a range
    written `+prefix`)."""

    subject: str
    subject_kind: SubjectKind
    source: EvidenceSource
    kind: EvidenceKind
    category: str
    """A `Category` value, or a `Verdict` value for decisions."""
    strength: float
    """1.0 for a report or complaint; the finding's score (0..1) for a finding."""
    occurred_at: datetime
    ref: str
    """The report id, finding id or decision id this row comes from."""
    via: str | None = None
    """For range evidence derived from a report on a number: that number."""
    reporter: str | None = None
    """The pseudonymous reporter of a report (salted hash), never the client token."""
    expires_at: datetime | None = None
    """Decisions only: when the decision lapses (None: until another decision)."""
    note: str | None = None
    """A short label for the reasons: the finding's detector and title, a decision's reason."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason of a reputation, as a message code and its parameters (rendered in words in
    the reader's language by `ringfence.reputation.explain`)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True, slots=True)
class Reputation:
    """The reputation of one subject at one moment (`as_of`)."""

    subject: str
    subject_kind: SubjectKind
    as_of: datetime
    level: Level
    score: float
    """0..100: a Wilson lower bound of the share of scam evidence, times 100."""
    state: State
    blockable: bool
    """True when the subject belongs on the blocklist now (never for spoofed owners, allow-listed
    or emergency numbers)."""
    shown_by_scammers: bool
    """True when the subject is (probably) shown by scammers rather than used by them."""
    allowlisted: str | None
    """The registered holder when the subject is on the allow-list."""
    decision: Verdict | None
    categories: Mapping[str, int]
    counts: Mapping[str, int]
    """reports, reporters, imported, findings, shown, lures, numbers (ranges: distinct numbers)."""
    first_seen: datetime | None
    last_seen: datetime | None
    reasons: tuple[Reason, ...]
    mass: float
    """The decayed weight of the scam evidence (for diagnostics and the documentation)."""
    only_via: str | None = None
    """For a range whose evidence all comes from reports on one number: that number (the range
    then says nothing about that number beyond its own reputation)."""

    @property
    def has_evidence(self) -> bool:
        return self.first_seen is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "subject_kind": self.subject_kind.value,
            "as_of": self.as_of.isoformat(),
            "level": self.level.value,
            "score": self.score,
            "state": self.state.value,
            "blockable": self.blockable,
            "shown_by_scammers": self.shown_by_scammers,
            "allowlisted": self.allowlisted,
            "decision": self.decision.value if self.decision else None,
            "categories": dict(self.categories),
            "counts": dict(self.counts),
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "reasons": [r.to_dict() for r in self.reasons],
        }
