"""When a campaign becomes a public alert: the thresholds, declared once with their reasons.

Why thresholds at all: a public alert is read by people who will refuse calls because of it; one
suspicious call, or two reports, must not alarm a country. A detector finding becomes an alert
when it reached enough distinct people (its `count_key`) with a score that says "fraud" rather
than "odd"; citizens' reports become one when enough *distinct* reporters report the same
number, range or message within one hour (a burst: campaigns hit many people at once, while a
dispute between two people does not).

Defaults and their reasons (docs/web.md repeats them):
- Wangiri ranges: 25 distinct subscribers, the Wangiri detector's own `min_callees`, so every
  range it is sure of is published; callbacks (people who called a range back) only add to the
  range's alert, from 1 subscriber.
- silent calls (number validation): 50 distinct subscribers: silent calls are also made by
  badly tuned call-centre diallers; a validation campaign touches hundreds.
- impersonation of a protected number (do-not-originate list): 5 subscribers: such calls are
  fraud by definition (the real holder never calls out from that number).
- national caller IDs from abroad, invalid caller IDs: 100 subscribers: a routing fault of one
  carrier can produce a few; a campaign produces many.
- foreign call centres: 20 subscribers (the detector's day-level figure); robocalls: 200.
- findings need a score of at least 0.3 (the detectors' scores saturate with the evidence).
- reports: 5 distinct reporters within 60 minutes, about one number, one /100 range or one
  message template (texts of at least 20 characters, equal once normalised).
- expiry: 7 days after the last evidence (3 for report bursts and spoofed caller IDs, 14 for
  call centres, which keep their numbers longer); an alert seen again is extended.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from ringfence.alerts.model import AlertKind


@dataclass(frozen=True, slots=True)
class FindingRule:
    """How findings of one kind become alerts."""

    alert: AlertKind
    count_key: str
    """The finding's count that must reach `minimum` (distinct people reached)."""
    minimum: int
    extends_only: bool = False
    """True: the finding adds to an existing alert of its campaign but never opens one."""


def _default_rules() -> dict[str, FindingRule]:
    return {
        "one_ring_range": FindingRule(AlertKind.ONE_RING, "distinct_callees", 25),
        "callback": FindingRule(AlertKind.ONE_RING, "subscribers_at_risk", 1, extends_only=True),
        "number_validation": FindingRule(AlertKind.SILENT_CALLS, "distinct_callees", 50),
        "do_not_originate": FindingRule(AlertKind.IMPERSONATION, "distinct_callees", 5),
        "national_cli_from_abroad": FindingRule(AlertKind.SPOOFED_CLI, "distinct_callees", 100),
        "invalid_cli": FindingRule(AlertKind.SPOOFED_CLI, "distinct_callees", 100),
        "foreign_call_centre": FindingRule(AlertKind.CALL_CENTRE, "distinct_callees", 20),
        "sequential_dialling": FindingRule(AlertKind.ROBOCALL, "distinct_callees", 200),
        "regular_dialling": FindingRule(AlertKind.ROBOCALL, "distinct_callees", 200),
    }


def _default_expiry() -> dict[AlertKind, float]:
    days = {kind: 7.0 for kind in AlertKind}
    days.update(
        {
            AlertKind.REPORTED_NUMBERS: 3.0,
            AlertKind.MESSAGE: 3.0,
            AlertKind.SPOOFED_CLI: 3.0,
            AlertKind.CALL_CENTRE: 14.0,
        }
    )
    return days


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    """The thresholds of public alerts (see the module docstring for the reasons)."""

    finding_rules: Mapping[str, FindingRule] = field(default_factory=_default_rules)
    """By finding kind; kinds not listed (rotation harassment of one subscriber, callback
    storms on a spoofed owner, attestation C) never become public alerts."""
    min_score: float = 0.3
    burst_reporters: int = 5
    burst_window: timedelta = timedelta(hours=1)
    report_lookback: timedelta = timedelta(hours=24)
    """How far back each refresh reads citizens' reports."""
    range_cut: int = 2
    """Reports are grouped by /100 block (all digits but the last 2) of the reported number."""
    range_min_numbers: int = 3
    """A report burst names the range (not only its numbers) from this many distinct numbers."""
    template_min_chars: int = 20
    excerpt_chars: int = 160
    expiry_days: Mapping[AlertKind, float] = field(default_factory=_default_expiry)
    max_subjects: int = 50
    """Numbers and ranges listed per alert at most (the rest are counted)."""

    def expiry(self, kind: AlertKind) -> timedelta:
        return timedelta(days=self.expiry_days.get(kind, 7.0))
