"""Live Wangiri ranges, and callback protection for the subscribers they ring.

The streaming twin of `detect.batch.wangiri`: the same thresholds over a sliding window of
event time. A range is flagged as soon as it has rung `min_callees` distinct subscribers with
one-ring calls and is almost never answered; from then on, calls from it are screened and a
subscriber calling a number of it back is warned (or blocked for premium-rate destinations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ringfence.detect.stream.events import CallEvent, Flags, SlidingDistinct, calling_code_length


@dataclass
class OneRingRanges:
    home_country: str = "BE"
    max_ring_s: float = 3.0
    max_depth: int = 6
    min_calls: int = 30
    min_callees: int = 25
    max_answer_share: float = 0.05
    min_one_ring_share: float = 0.7
    window_s: float = 24 * 3600.0
    hold_s: float = 7 * 24 * 3600.0
    name: str = "one_ring_range"
    _calls: SlidingDistinct = field(init=False)
    _answered: SlidingDistinct = field(init=False)
    _one_ring: SlidingDistinct = field(init=False)
    flags: Flags = field(init=False)

    def __post_init__(self) -> None:
        self._calls = SlidingDistinct(self.window_s)
        self._answered = SlidingDistinct(self.window_s)
        self._one_ring = SlidingDistinct(self.window_s)
        self.flags = Flags(self.hold_s)

    def _prefixes(self, number: str, country: str | None) -> list[str]:
        base = 1 + calling_code_length(country)
        return [number[: base + depth] for depth in range(1, self.max_depth + 1)]

    def _watched(self, ev: CallEvent) -> bool:
        return ev.direction == "inbound" and (
            ev.caller_is_foreign(self.home_country) or ev.caller_type == "premium_rate"
        )

    def learn_one(self, ev: CallEvent) -> None:
        if not self._watched(ev):
            return
        one_ring = not ev.answered and ev.ring_s <= self.max_ring_s
        for prefix in self._prefixes(ev.caller, ev.caller_country):
            self._calls.add(ev.t, prefix, ev.call_id)
            if ev.answered:
                self._answered.add(ev.t, prefix, ev.call_id)
            if one_ring:
                self._one_ring.add(ev.t, prefix, ev.callee)
                self._check(prefix, ev.t)

    def _check(self, prefix: str, t: float) -> None:
        rings = self._one_ring.total(prefix)
        callees = self._one_ring.distinct(prefix)
        calls = self._calls.total(prefix)
        answered = self._answered.total(prefix)
        if (
            rings >= self.min_calls
            and callees >= self.min_callees
            and answered <= calls * self.max_answer_share
            and rings >= calls * self.min_one_ring_share
        ):
            self.flags.flag(
                prefix,
                t,
                {
                    "range": prefix,
                    "one_ring_calls": rings,
                    "callees": callees,
                    "answered": answered,
                    "calls": calls,
                },
            )

    def range_of(self, number: str, country: str | None, t: float) -> dict[str, Any] | None:
        """The evidence of the flagged range that contains `number`, if any."""
        if not number.startswith("+"):
            return None
        for prefix in self._prefixes(number, country):
            evidence = self.flags.get(prefix, t)
            if evidence is not None:
                return evidence
        return None

    def score_one(self, ev: CallEvent) -> dict[str, Any] | None:
        """Evidence when the call comes from (inbound) or goes to (outbound) a flagged range."""
        if ev.direction == "outbound":
            return self.range_of(ev.callee, ev.callee_country, ev.t)
        if self._watched(ev):
            return self.range_of(ev.caller, ev.caller_country, ev.t)
        return None
