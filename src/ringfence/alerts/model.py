"""The vocabulary of public alerts: a campaign, the sources it is made of, what is published.

Why an alert is made of sources: one campaign is seen many times (the Wangiri detector finds the
range again every day, its callback detector adds the people who called back, citizens report
it within the hour). Each of these is a `Source` with a stable `ref`; the alert is recomputed
from all its sources, so it grows as the campaign grows and is never duplicated. The alert's id
is a hash of its campaign key, so the same campaign always has the same id.

What an alert never carries: the innocent owners of spoofed numbers, allow-listed or emergency
numbers, and private subscribers (targets, people at risk). Sources only take subjects whose
role may be published; `ringfence.alerts.service` checks them again when it publishes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class AlertKind(StrEnum):
    """What kind of campaign an alert is about (each has its own words and advice)."""

    ONE_RING = "one_ring"
    SILENT_CALLS = "silent_calls"
    IMPERSONATION = "impersonation"
    SPOOFED_CLI = "spoofed_cli"
    CALL_CENTRE = "call_centre"
    ROBOCALL = "robocall"
    REPORTED_NUMBERS = "reported_numbers"
    MESSAGE = "message"


@dataclass(frozen=True, slots=True)
class AlertSubject:
    """A number (E.164) or range (`+39351`) named by an alert."""

    value: str
    kind: str
    """`number` or `range`."""

    def to_dict(self) -> dict[str, str]:
        return {"value": self.value, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Source:
    """One piece of evidence for a campaign: a finding, or a burst of citizens' reports."""

    campaign: str
    """The campaign key (`one_ring:+39351`); the alert id is derived from it."""
    kind: AlertKind
    category: str
    ref: str
    """Stable per source (`finding:<id>`, `reports:<group>:<day>`): a source seen again
    replaces its earlier version instead of adding to it."""
    first_seen: datetime
    last_seen: datetime
    counts: Mapping[str, int]
    subjects: tuple[AlertSubject, ...]
    withheld: int = 0
    """How many numbers were left out because they may not be published."""
    params: Mapping[str, Any] = field(default_factory=dict)
    """Words for the texts: `holder`, `country`, `excerpt`..."""


def alert_id(campaign: str) -> str:
    """The stable id of the alert of `campaign`."""
    return "alert-" + hashlib.sha256(campaign.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Alert:
    """A public alert as stored: the sum of its sources."""

    id: str
    campaign: str
    kind: AlertKind
    category: str
    subjects: tuple[AlertSubject, ...]
    params: Mapping[str, Any]
    counts: Mapping[str, int]
    withheld: int
    started_at: datetime
    updated_at: datetime
    """When the alert's content last changed (subjects, counts or expiry)."""
    last_seen: datetime
    """The latest evidence of the campaign."""
    expires_at: datetime
    revision: int
    """Increases by one with every change: feed readers show the alert again."""

    def active(self, now: datetime) -> bool:
        return self.expires_at > now

    def numbers(self) -> list[str]:
        return [s.value for s in self.subjects if s.kind == "number"]

    def ranges(self) -> list[str]:
        return [s.value for s in self.subjects if s.kind == "range"]
