"""From evidence to a reputation: decay, a confidence bound, a level, a state, reasons.

The formulas (also in docs/reputation.md):

- each piece of evidence i weighs  m_i = w(source_i, category_i) * strength_i * 2^(-age_i / h_i)
  where h_i is the half-life of its source and age_i = max(0, now - occurred_at_i);
- the scam mass is  A = sum of m_i over evidence of kind against, lure and shown;
- the score is  100 * WilsonLower(A successes out of A + c trials, z)  with c the clean prior;
- the level follows thresholds on the score (suspicious_at, scam_at), with caps: an allow-listed
  number never reaches `scam` without an operator decision; a range reaches `scam` from reports
  only when enough distinct numbers in it were reported; an operator decision overrides the score
  until it expires; emergency and short numbers are always `safe`;
- blockable uses the same formula on the blockable mass only (against and lure, not shown; for a
  range only its direct evidence), and never holds for spoofed owners, allow-listed or emergency
  numbers.

Why Wilson: a share of 2 bad out of 2 is not a verdict. The lower bound of the 95 % interval
grows with the amount of evidence, so the score rises with every report but needs many
independent reports, or one strong finding, to pass the `scam` threshold. Why the clean prior:
it keeps the bound below 1 and models that most numbers belong to honest people.

Monotone by construction: more evidence of a scam kind never lowers the score (A grows, the bound
grows with A), and time never raises it (every m_i decays; c is constant).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from ringfence.reputation.model import (
    Evidence,
    EvidenceKind,
    EvidenceSource,
    Level,
    Reason,
    Reputation,
    State,
    SubjectKind,
    Verdict,
)
from ringfence.reputation.policy import ScoringPolicy

_SCAM_KINDS = frozenset({EvidenceKind.AGAINST, EvidenceKind.LURE, EvidenceKind.SHOWN})
_BLOCKING_KINDS = frozenset({EvidenceKind.AGAINST, EvidenceKind.LURE})
_HORIZON = timedelta(days=3650)


def decay(age_s: float, half_life_s: float) -> float:
    """The fraction of its weight that evidence `age_s` seconds old keeps: 2^(-age/h).

    >>> decay(0, 30), decay(30, 30), round(decay(60, 30), 2)
    (1.0, 0.5, 0.25)
    """
    return float(0.5 ** (max(0.0, age_s) / half_life_s))


def wilson_lower(successes: float, trials: float, z: float) -> float:
    """The lower bound of the Wilson score interval for a share, with real-valued counts.

    >>> round(wilson_lower(2, 3, 1.96), 3), round(wilson_lower(20, 21, 1.96), 3)
    (0.208, 0.773)
    """
    if trials <= 0.0:
        return 0.0
    share = successes / trials
    z2 = z * z
    centre = share + z2 / (2.0 * trials)
    spread = z * math.sqrt(max(0.0, share * (1.0 - share) / trials + z2 / (4.0 * trials * trials)))
    return max(0.0, (centre - spread) / (1.0 + z2 / trials))


def mass_of(item: Evidence, now: datetime, policy: ScoringPolicy) -> float:
    """The decayed weight m_i of one piece of evidence at `now`."""
    age = (now - item.occurred_at).total_seconds()
    weight = policy.weight(item.source, item.category) * item.strength
    return weight * decay(age, policy.half_life_s(item.source))


def score_of(mass: float, policy: ScoringPolicy) -> float:
    """The score 0..100 (one decimal) of a scam mass."""
    return round(100.0 * wilson_lower(mass, mass + policy.clean_prior, policy.z), 1)


def current_decision(evidence: Iterable[Evidence], now: datetime) -> Evidence | None:
    """The latest unexpired decision, or None (also when the latest is `clear`)."""
    latest: Evidence | None = None
    for item in evidence:
        if item.kind is not EvidenceKind.DECISION or item.occurred_at > now:
            continue
        if item.expires_at is not None and item.expires_at <= now:
            continue
        if latest is None or (item.occurred_at, item.ref) > (latest.occurred_at, latest.ref):
            latest = item
    if latest is None or latest.category == Verdict.CLEAR.value:
        return None
    return latest


def evaluate(
    subject: str,
    subject_kind: SubjectKind,
    evidence: Iterable[Evidence],
    now: datetime,
    policy: ScoringPolicy,
    *,
    allowlisted: str | None = None,
    never_block: bool = False,
) -> Reputation:
    """The reputation of `subject` at `now` from its evidence (rows of other subjects or of the
    other subject kind are ignored)."""
    rows = [e for e in evidence if e.subject == subject and e.subject_kind is subject_kind]
    tally = _Tally(rows, now, policy, subject_kind)
    decision = current_decision(rows, now)
    verdict = Verdict(decision.category) if decision else None
    score = score_of(tally.scam_mass, policy)
    level = _level(score, tally, policy, subject_kind, verdict, allowlisted, never_block)
    spoofed = verdict is Verdict.SPOOFED or tally.spoofed_mass >= policy.spoofed_min_mass
    state = State.SPOOFED if spoofed and not never_block else State.NORMAL
    shown = spoofed or tally.shown_mass >= policy.shown_min_mass
    if allowlisted and score >= policy.suspicious_at:
        shown = True
    blockable = _blockable(tally, policy, level, verdict, allowlisted, never_block, spoofed)
    reasons = _reasons(tally, decision, score, level, allowlisted, never_block, spoofed, shown)
    return Reputation(
        subject=subject,
        subject_kind=subject_kind,
        as_of=now,
        level=level,
        score=score,
        state=state,
        blockable=blockable,
        shown_by_scammers=shown,
        allowlisted=allowlisted,
        decision=verdict,
        categories=dict(tally.categories),
        counts=tally.counts(),
        first_seen=tally.first_seen,
        last_seen=tally.last_seen,
        reasons=tuple(reasons),
        mass=round(tally.scam_mass, 4),
        only_via=only_via(rows),
    )


def only_via(rows: list[Evidence]) -> str | None:
    """The one number all `rows` derive from (reports on it feeding its ranges), else None."""
    numbers = {row.via for row in rows}
    if len(numbers) != 1:
        return None
    number = next(iter(numbers))
    return number if number is not None and rows else None


def blockable_until(
    evidence: Iterable[Evidence], now: datetime, policy: ScoringPolicy, subject_kind: SubjectKind
) -> datetime | None:
    """When a blockable subject stops being blockable if no new evidence arrives.

    The moment its blockable score decays below `scam_at` (found by bisection: the score only
    falls with time), or the expiry of the scam decision that makes it blockable (None: the
    decision has no expiry).
    """
    rows = list(evidence)
    decision = current_decision(rows, now)
    if decision is not None and decision.category == Verdict.SCAM.value:
        return decision.expires_at

    def still(at: datetime) -> bool:
        tally = _Tally(rows, at, policy, subject_kind)
        return score_of(tally.blocking_mass, policy) >= policy.scam_at

    if not still(now):
        return now
    low, high = now, now + _HORIZON
    if still(high):
        return None
    while (high - low) > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if still(middle):
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0) + timedelta(seconds=1)


class _Tally:
    """The sums and counts of one subject's evidence at one moment."""

    def __init__(
        self, rows: list[Evidence], now: datetime, policy: ScoringPolicy, kind: SubjectKind
    ) -> None:
        self.scam_mass = 0.0
        self.blocking_mass = 0.0
        self.direct_mass = 0.0
        self.spoofed_mass = 0.0
        self.shown_mass = 0.0
        self.categories: Counter[str] = Counter()
        self.reports = 0
        self.imported = 0
        self.shown = 0
        self.lures = 0
        self.reporters: set[str] = set()
        self.findings: dict[str, str | None] = {}
        self.numbers: set[str] = set()
        self.first_seen: datetime | None = None
        self.last_seen: datetime | None = None
        for item in rows:
            self._add(item, now, policy, kind)

    def _add(self, item: Evidence, now: datetime, policy: ScoringPolicy, kind: SubjectKind) -> None:
        if item.occurred_at <= now:
            self.first_seen = min(self.first_seen or item.occurred_at, item.occurred_at)
            self.last_seen = max(self.last_seen or item.occurred_at, item.occurred_at)
        if item.kind is EvidenceKind.DECISION:
            return
        mass = mass_of(item, now, policy)
        if item.kind is EvidenceKind.SPOOFED:
            self.spoofed_mass += mass
        elif item.kind in _SCAM_KINDS:
            self.scam_mass += mass
            if item.via is None:
                self.direct_mass += mass
            if item.kind in _BLOCKING_KINDS and (kind is SubjectKind.NUMBER or item.via is None):
                self.blocking_mass += mass
            if item.kind is EvidenceKind.SHOWN:
                self.shown_mass += mass
                self.shown += 1
            if item.kind is EvidenceKind.LURE:
                self.lures += 1
            self.categories[item.category] += 1
        if item.via is not None:
            self.numbers.add(item.via)
        if item.source is EvidenceSource.REPORT:
            self.reports += 1
            if item.reporter:
                self.reporters.add(item.reporter)
        elif item.source is EvidenceSource.IMPORT:
            self.imported += 1
        elif item.source is EvidenceSource.FINDING:
            self.findings[item.ref] = item.note

    def counts(self) -> dict[str, int]:
        return {
            "reports": self.reports,
            "reporters": len(self.reporters),
            "imported": self.imported,
            "findings": len(self.findings),
            "shown": self.shown,
            "lures": self.lures,
            "numbers": len(self.numbers),
        }


def _level(
    score: float,
    tally: _Tally,
    policy: ScoringPolicy,
    subject_kind: SubjectKind,
    verdict: Verdict | None,
    allowlisted: str | None,
    never_block: bool,
) -> Level:
    if never_block or verdict is Verdict.SAFE:
        return Level.SAFE
    if verdict is Verdict.SCAM:
        return Level.SCAM
    if score >= policy.scam_at:
        level = Level.SCAM
    elif score >= policy.suspicious_at:
        level = Level.SUSPICIOUS
    elif allowlisted:
        level = Level.SAFE
    else:
        level = Level.UNKNOWN
    if subject_kind is SubjectKind.RANGE:
        level = _range_cap(level, tally, policy)
    if level is Level.SCAM and allowlisted:
        level = Level.SUSPICIOUS
    return level


def _range_cap(level: Level, tally: _Tally, policy: ScoringPolicy) -> Level:
    """A range known only from reports on its numbers needs several distinct numbers: one
    number reported many times says nothing about its neighbours (`unknown`), two say a little
    (`suspicious` at most), `range_min_numbers` may make it `scam`. Direct evidence about the
    range (a finding, a decision) is not capped."""
    direct_score = score_of(tally.direct_mass, policy)
    direct = (
        Level.SCAM
        if direct_score >= policy.scam_at
        else Level.SUSPICIOUS
        if direct_score >= policy.suspicious_at
        else Level.UNKNOWN
    )
    numbers = len(tally.numbers)
    cap = (
        Level.UNKNOWN
        if numbers < 2
        else Level.SUSPICIOUS
        if numbers < policy.range_min_numbers
        else Level.SCAM
    )
    capped = level if level.rank <= cap.rank else cap
    return capped if capped.rank >= direct.rank else direct


def _blockable(
    tally: _Tally,
    policy: ScoringPolicy,
    level: Level,
    verdict: Verdict | None,
    allowlisted: str | None,
    never_block: bool,
    spoofed: bool,
) -> bool:
    if never_block or allowlisted or spoofed or level is not Level.SCAM:
        return False
    if verdict is Verdict.SCAM:
        return True
    return verdict is None and score_of(tally.blocking_mass, policy) >= policy.scam_at


def _reasons(
    tally: _Tally,
    decision: Evidence | None,
    score: float,
    level: Level,
    allowlisted: str | None,
    never_block: bool,
    spoofed: bool,
    shown: bool,
) -> list[Reason]:
    reasons: list[Reason] = []
    if never_block:
        reasons.append(Reason("emergency"))
    if allowlisted:
        reasons.append(Reason("allowlisted", {"holder": allowlisted}))
    if decision is not None:
        reasons.append(
            Reason(
                "decision",
                {
                    "verdict": decision.category,
                    "date": decision.occurred_at.date().isoformat(),
                    "note": decision.note or "",
                },
            )
        )
    if spoofed:
        reasons.append(Reason("spoofed"))
    elif shown and allowlisted:
        reasons.append(Reason("allowlisted_reported", {"holder": allowlisted}))
    elif shown:
        reasons.append(Reason("shown", {"count": tally.shown}))
    if tally.reports:
        top = tally.categories.most_common(1)
        reasons.append(
            Reason(
                "reports",
                {
                    "count": tally.reports,
                    "reporters": len(tally.reporters),
                    "category": top[0][0] if top else "other",
                },
            )
        )
    if tally.imported:
        reasons.append(Reason("imported", {"count": tally.imported}))
    for ref, note in sorted(tally.findings.items()):
        reasons.append(Reason("finding", {"finding_id": ref, "title": note or ref}))
    if tally.lures:
        reasons.append(Reason("lure", {"count": tally.lures}))
    if tally.numbers:
        reasons.append(Reason("range_numbers", {"numbers": len(tally.numbers)}))
    if level is Level.UNKNOWN and (tally.reports or tally.imported):
        reasons.append(Reason("few_reports", {"score": score}))
    if not reasons:
        reasons.append(Reason("no_data"))
    return reasons
