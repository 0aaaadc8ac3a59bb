"""Bursts of citizens' reports into alert sources: a number, a range or a message template.

Why bursts of *distinct reporters* within an hour: a campaign reaches many people at once, so
many different people report it within minutes; one angry person reporting twenty times, or a
slow trickle of reports over months, is not a campaign (the reputation score handles those).
Only reports that count (not held by flood moderation, not rejected) and that come from a
pseudonymous citizen (not bulk imports) take part, so a flood of fresh tokens against an
allow-listed number, which moderation holds, can never raise a public alert.

Groups:
- a number's /100 block (`+32470123 4xx`): reports on one number or on its neighbours (rotating
  scam lines) are one campaign; the alert names the numbers, and the block itself once
  `range_min_numbers` distinct numbers were reported in it;
- a message template: the text with digits, links and e-mail addresses masked, compared
  case-insensitively. A text that the same `burst_reporters` people received word for word is
  a mass mailing, not a personal message, so its excerpt can be shown.

Sources are per group and UTC day (`reports:<group>:<day>`), counted over the whole day, so a
later refresh replaces a day's figures with larger ones and never loses a day.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ringfence.alerts.model import AlertKind, AlertSubject, Source
from ringfence.alerts.policy import AlertPolicy

_MASKS = re.compile(
    r"(?i)(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)"
    r"|(?:https?://|www\.)(?P<host>[^\s/?#]+)[^\s]*"
    r"|\b(?P<domain>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\b(?:/[^\s]*)?"
)
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ReportRow:
    """The fields of a counted citizen's report that bursts need."""

    id: str
    number: str
    received_at: datetime
    category: str
    text: str | None
    reporter: str


def mask_text(text: str) -> str:
    """The text with e-mail addresses, link paths and digits masked, spaces collapsed.

    >>> mask_text("Colis bloqué: payez 1,99 EUR sur https://bpost-colis.info/x?id=77 ou a@b.be")
    'Colis bloqué: payez #,# EUR sur <bpost-colis.info> ou <e-mail>'
    """
    masked = unicodedata.normalize("NFKC", text)
    masked = _MASKS.sub(_mask, masked)
    masked = _DIGITS.sub("#", masked)
    return _SPACE.sub(" ", masked).strip()


def _mask(match: re.Match[str]) -> str:
    if match.group("email"):
        return "<e-mail>"
    host = match.group("host") or match.group("domain") or ""
    return f"<{host.lower()}>"


def template_key(text: str) -> str:
    """The identity of a message template: its masked text, case-folded."""
    return mask_text(text).casefold()


def max_distinct_in_window(rows: Sequence[ReportRow], window: timedelta) -> int:
    """The largest number of distinct reporters within any `window` (sliding, by receipt)."""
    ordered = sorted(rows, key=lambda r: r.received_at)
    seen: Counter[str] = Counter()
    best = 0
    start = 0
    for row in ordered:
        seen[row.reporter] += 1
        while row.received_at - ordered[start].received_at > window:
            old = ordered[start].reporter
            seen[old] -= 1
            if seen[old] == 0:
                del seen[old]
            start += 1
        best = max(best, len(seen))
    return best


def group_of_number(number: str, cut: int) -> str:
    """The /10^cut block of an E.164 number (`+32470123456` -> `+324701234`), or the number
    itself (short codes)."""
    if number.startswith("+") and len(number) - 1 - cut >= 3:
        return number[: len(number) - cut]
    return number


def burst_sources(
    rows: Iterable[ReportRow],
    policy: AlertPolicy,
    *,
    publishable: Callable[[str], bool],
    active_campaigns: set[str],
) -> tuple[list[Source], list[tuple[str, str]]]:
    """Sources for the groups that burst (or that already have an active alert).

    `publishable(number)` says whether a reported number may be named; returns the sources and
    (group, reason) of the bursts that were left out."""
    by_number: dict[str, list[ReportRow]] = defaultdict(list)
    by_template: dict[str, list[ReportRow]] = defaultdict(list)
    for row in rows:
        by_number[group_of_number(row.number, policy.range_cut)].append(row)
        if row.text and len(mask_text(row.text)) >= policy.template_min_chars:
            by_template[template_key(row.text)].append(row)
    sources: list[Source] = []
    left_out: list[tuple[str, str]] = []
    for group, members in sorted(by_number.items()):
        campaign = f"reports:{group}"
        if not _qualifies(members, policy, campaign in active_campaigns):
            continue
        numbers = sorted({r.number for r in members})
        named = [n for n in numbers if publishable(n)]
        if not named:
            left_out.append((group, "every reported number is spoofed, allow-listed or short"))
            continue
        subjects = [AlertSubject(n, "number") for n in named]
        if len(numbers) >= policy.range_min_numbers and group.startswith("+"):
            subjects.insert(0, AlertSubject(group, "range"))
        sources += _daily(
            campaign, AlertKind.REPORTED_NUMBERS, members, subjects, len(numbers) - len(named)
        )
    for key, members in sorted(by_template.items()):
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        campaign = f"message:{digest}"
        if not _qualifies(members, policy, campaign in active_campaigns):
            continue
        numbers = sorted({r.number for r in members})
        named = [n for n in numbers if publishable(n) and n.startswith("+")]
        latest = max(members, key=lambda r: r.received_at)
        excerpt = mask_text(latest.text or "")
        if len(excerpt) > policy.excerpt_chars:
            excerpt = excerpt[: policy.excerpt_chars - 1].rstrip() + "…"
        subjects = [AlertSubject(n, "number") for n in named]
        sources += _daily(
            campaign,
            AlertKind.MESSAGE,
            members,
            subjects,
            len(numbers) - len(named),
            {"excerpt": excerpt},
        )
    return sources, left_out


def _qualifies(members: Sequence[ReportRow], policy: AlertPolicy, active: bool) -> bool:
    if active:
        return True
    return max_distinct_in_window(members, policy.burst_window) >= policy.burst_reporters


def _daily(
    campaign: str,
    kind: AlertKind,
    members: Sequence[ReportRow],
    subjects: list[AlertSubject],
    withheld: int,
    params: dict[str, str] | None = None,
) -> list[Source]:
    """One source per UTC day of the group's reports."""
    days: dict[str, list[ReportRow]] = defaultdict(list)
    for row in members:
        days[row.received_at.date().isoformat()].append(row)
    category = Counter(r.category for r in members).most_common(1)[0][0]
    found = []
    for day, rows in sorted(days.items()):
        day_numbers = {r.number for r in rows}
        found.append(
            Source(
                campaign=campaign,
                kind=kind,
                category=category,
                ref=f"reports:{day}",
                first_seen=min(r.received_at for r in rows),
                last_seen=max(r.received_at for r in rows),
                counts={"reports": len(rows), "reporters": len({r.reporter for r in rows})},
                subjects=tuple(s for s in subjects if s.kind == "range" or s.value in day_numbers),
                withheld=withheld,
                params=params or {},
            )
        )
    return found
