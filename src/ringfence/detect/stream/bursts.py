"""Live silent-call sources and rotation harassment: the streaming twins of the batch detectors.

Both keep sliding windows of event time with the batch detectors' thresholds:
- `SilentBursts`: per source (CLI range, ingress, carrier), the last hour's calls and silent
  calls (answered, dropped by the caller within 3 s) with their distinct callees;
- `RotationVictims`: per subscriber, the distinct foreign numbers that called in the last 24 h.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ringfence.detect.stream.events import CallEvent, Flags, SlidingDistinct


@dataclass
class SilentBursts:
    max_duration_s: float = 3.0
    prefix_digits: int = 3
    min_calls: int = 20
    min_callees: int = 20
    min_share: float = 0.5
    window_s: float = 3600.0
    hold_s: float = 6 * 3600.0
    name: str = "silent_call_source"
    _calls: SlidingDistinct = field(init=False)
    _silent: SlidingDistinct = field(init=False)
    flags: Flags = field(init=False)

    def __post_init__(self) -> None:
        self._calls = SlidingDistinct(self.window_s)
        self._silent = SlidingDistinct(self.window_s)
        self.flags = Flags(self.hold_s)

    def source(self, ev: CallEvent) -> str:
        return f"{ev.caller[: self.prefix_digits + 1]}|{ev.ingress}|{ev.carrier}"

    def learn_one(self, ev: CallEvent) -> None:
        if ev.direction == "outbound":
            return
        key = self.source(ev)
        self._calls.add(ev.t, key, ev.call_id)
        if ev.answered and ev.released_by == "caller" and ev.duration_s <= self.max_duration_s:
            self._silent.add(ev.t, key, ev.callee)
            silent, callees = self._silent.total(key), self._silent.distinct(key)
            calls = self._calls.total(key)
            if (
                silent >= self.min_calls
                and callees >= self.min_callees
                and silent >= calls * self.min_share
            ):
                self.flags.flag(
                    key,
                    ev.t,
                    {"source": key, "silent_calls": silent, "callees": callees, "calls": calls},
                )

    def score_one(self, ev: CallEvent) -> dict[str, Any] | None:
        if ev.direction == "outbound":
            return None
        return self.flags.get(self.source(ev), ev.t)


@dataclass
class RotationVictims:
    home_country: str = "BE"
    min_callers: int = 15
    min_distinct_ratio: float = 0.5
    window_s: float = 24 * 3600.0
    hold_s: float = 24 * 3600.0
    name: str = "rotation_harassment"
    _callers: SlidingDistinct = field(init=False)
    flags: Flags = field(init=False)

    def __post_init__(self) -> None:
        self._callers = SlidingDistinct(self.window_s)
        self.flags = Flags(self.hold_s)

    def _watched(self, ev: CallEvent) -> bool:
        return ev.direction == "inbound" and ev.caller_is_foreign(self.home_country)

    def learn_one(self, ev: CallEvent) -> None:
        if not self._watched(ev):
            return
        self._callers.add(ev.t, ev.callee, ev.caller)
        distinct, calls = self._callers.distinct(ev.callee), self._callers.total(ev.callee)
        if distinct >= self.min_callers and distinct >= calls * self.min_distinct_ratio:
            self.flags.flag(
                ev.callee,
                ev.t,
                {"subscriber": ev.callee, "distinct_callers": distinct, "calls": calls},
            )

    def score_one(self, ev: CallEvent) -> dict[str, Any] | None:
        if not self._watched(ev):
            return None
        return self.flags.get(ev.callee, ev.t)
