"""The rows a `Store` keeps besides evidence: reports, moderation items, blocklist entries and
changes, API keys and allow-list entries. Plain frozen values, no behaviour: the services in
`ringfence.reputation` and `ringfence.reports` decide, the store only keeps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class ReportStatus(StrEnum):
    COUNTED = "counted"
    """Its evidence is in the score."""
    HELD = "held"
    """Waiting for a moderator (flood detection): not in the score."""
    REJECTED = "rejected"
    """A moderator rejected it: never in the score."""


class ModerationKind(StrEnum):
    FLOOD = "flood"
    """A burst of reports from new reporters against a long-clean or allow-listed number."""
    APPEAL = "appeal"
    """The holder of a number contests its level."""


class ModerationStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    GRANTED = "granted"
    DENIED = "denied"


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """A stored report. `reporter` and `ip_hash` are salted hashes, never clear values."""

    id: str
    number: str
    number_raw: str
    occurred_at: datetime
    received_at: datetime
    channel: str
    category: str
    text: str | None
    called_back: bool
    money_lost: bool
    language: str | None
    country: str | None
    source: str
    reporter: str | None
    ip_hash: str | None
    status: ReportStatus
    moderation_id: str | None = None
    suggested_category: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ModerationItem:
    id: str
    kind: ModerationKind
    subject: str
    status: ModerationStatus
    created_at: datetime
    updated_at: datetime
    details: Mapping[str, Any]
    resolution: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class BlockEntry:
    """A subject currently on the blocklist."""

    subject: str
    subject_kind: str
    category: str
    reason: str
    sources: tuple[str, ...]
    score: float
    expires_at: datetime | None
    version: int
    added_at: datetime


class BlockAction(StrEnum):
    ADD = "add"
    """Add or update the entry (consumers upsert)."""
    REMOVE = "remove"


@dataclass(frozen=True, slots=True)
class BlockChange:
    """One versioned change of the blocklist; `version` increases by one per change."""

    version: int
    action: BlockAction
    subject: str
    subject_kind: str
    category: str
    reason: str
    sources: tuple[str, ...]
    score: float
    expires_at: datetime | None
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "action": self.action.value,
            "subject": self.subject,
            "subject_kind": self.subject_kind,
            "category": self.category,
            "reason": self.reason,
            "sources": list(self.sources),
            "score": self.score,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    """An API key as stored: its SHA-256 hash, never the key."""

    id: str
    key_hash: str
    name: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AllowEntry:
    """A verified number added to the allow-list by an administrator (beside the data file)."""

    number: str
    holder: str
    source: str
    added_at: datetime
