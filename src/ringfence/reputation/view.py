"""What a lookup of one number returns: its own reputation combined with its ranges'.

Why combine: Wangiri and rotation campaigns change the number with every call but keep the
range, so a number nobody has reported yet can still sit in a range that is known to be a scam.
A range with direct evidence (a detector's finding, an operator's decision) that is blockable
makes the number `scam`; a range that is only known from reports on its neighbours raises the
number to `suspicious` at most. Emergency numbers stay `safe`, allow-listed numbers never become
`scam` this way, and a moderator's `safe` decision on the number is not overridden by its range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ringfence.domain.numbers import PhoneNumber
from ringfence.reputation.explain import advice_codes, render, word
from ringfence.reputation.model import Level, Reason, Reputation, State, Verdict


@dataclass(frozen=True, slots=True)
class NumberView:
    """A number's reputation as a citizen, a screener or an operator needs it."""

    number: str
    country: str | None
    number_type: str
    validity: str
    own: Reputation
    ranges: tuple[Reputation, ...]
    level: Level
    score: float
    state: State
    blockable: bool
    never_block: bool
    reasons: tuple[Reason, ...]
    advice: tuple[str, ...]

    def to_dict(self, language: str) -> dict[str, Any]:
        """The JSON form of the API and the CLI, with reasons and advice in `language`."""
        own = self.own
        return {
            "number": self.number,
            "country": self.country,
            "number_type": self.number_type,
            "validity": self.validity,
            "level": self.level.value,
            "level_label": word("levels", self.level.value, language),
            "score": self.score,
            "state": self.state.value,
            "shown_by_scammers": own.shown_by_scammers,
            "blockable": self.blockable,
            "never_block": self.never_block,
            "allowlisted": own.allowlisted,
            "decision": own.decision.value if own.decision else None,
            "categories": dict(own.categories),
            "counts": dict(own.counts),
            "first_seen": own.first_seen.isoformat() if own.first_seen else None,
            "last_seen": own.last_seen.isoformat() if own.last_seen else None,
            "language": language,
            "reasons": [
                {"code": r.code, "text": render(r, language), "params": dict(r.params)}
                for r in self.reasons
            ],
            "advice": [
                {"code": code, "text": word("advice", code, language)} for code in self.advice
            ],
            "ranges": [
                {
                    "range": r.subject,
                    "level": r.level.value,
                    "score": r.score,
                    "blockable": r.blockable,
                    "counts": dict(r.counts),
                    "categories": dict(r.categories),
                }
                for r in self.ranges
            ],
            "as_of": own.as_of.isoformat(),
        }


def combine(number: PhoneNumber, own: Reputation, ranges: Sequence[Reputation]) -> NumberView:
    """The view of `number` from its own reputation and those of the ranges that contain it."""
    level, score = own.level, own.score
    reasons = list(own.reasons)
    held = number.never_block or own.decision in (Verdict.SAFE, Verdict.SCAM)
    for rng in sorted(ranges, key=lambda r: -len(r.subject)):
        if rng.level.rank < Level.SUSPICIOUS.rank:
            continue
        reasons.append(Reason("range", {"range": rng.subject, "level": rng.level.value}))
        if held:
            continue
        raised = rng.level if rng.blockable else min(rng.level, Level.SUSPICIOUS, key=_rank)
        if own.allowlisted:
            raised = min(raised, Level.SUSPICIOUS, key=_rank)
        if raised.rank > level.rank:
            level, score = raised, max(score, rng.score)
    categories = set(own.categories)
    for rng in ranges:
        categories |= set(rng.categories)
    advice = advice_codes(
        level,
        categories=categories,
        spoofed=own.state is State.SPOOFED,
        shown=own.shown_by_scammers,
        allowlisted=own.allowlisted is not None,
        never_block=number.never_block,
    )
    return NumberView(
        number=number.e164,
        country=number.country,
        number_type=number.type.value,
        validity=number.validity.value,
        own=own,
        ranges=tuple(ranges),
        level=level,
        score=score,
        state=own.state,
        blockable=own.blockable,
        never_block=number.never_block,
        reasons=tuple(reasons),
        advice=tuple(advice),
    )


def _rank(level: Level) -> int:
    return level.rank


def range_prefixes(e164: str) -> list[str]:
    """Every range subject that can contain the E.164 number `e164` (`+3`, `+32`, ...)."""
    if not e164.startswith("+"):
        return []
    return [e164[:end] for end in range(2, len(e164))]
