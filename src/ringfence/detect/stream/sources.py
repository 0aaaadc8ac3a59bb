"""Live robocall diallers, foreign call centres and spoofed-number owners.

- `Diallers`: per /100 source block, the last `recent` calls: sequential callees or
  metronome-regular gaps with short calls (the batch robocall detector's signs, on a short
  history so a dialler is stopped after tens of calls, not at the end of the day);
- `CallCentres`: per foreign number, distinct subscribers it held long answered calls with in
  the last 24 h (the batch foreign call-centre detector's sign);
- `SpoofedOwners`: the callback storm, live: B is flagged when `min_callers` distinct people
  call B within 24 h of receiving a suspicious call presenting B. Calls *to* B are then met
  with a warning ("the call you received was not from this number's owner"), never a block.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import fmean, pstdev
from typing import Any

from ringfence.detect.stream.events import CallEvent, Flags, SlidingDistinct


@dataclass
class Diallers:
    recent: int = 30
    max_step: int = 10
    min_sequential_share: float = 0.5
    max_gap_cv: float = 0.3
    min_distinct_share: float = 0.8
    max_mean_duration_s: float = 60.0
    idle_s: float = 3600.0
    hold_s: float = 24 * 3600.0
    name: str = "robocall_source"
    _history: dict[str, deque[tuple[float, int, str, float]]] = field(init=False)
    _seen: int = field(init=False, default=0)
    flags: Flags = field(init=False)

    def __post_init__(self) -> None:
        self._history = {}
        self.flags = Flags(self.hold_s)

    @staticmethod
    def source(number: str) -> str | None:
        return number[:-2] if number.startswith("+") and len(number) >= 8 else None

    def learn_one(self, ev: CallEvent) -> None:
        block = self.source(ev.caller)
        if block is None or not ev.callee.startswith("+"):
            return
        history = self._history.get(block)
        if history is None:
            history = self._history[block] = deque(maxlen=self.recent)
        history.append((ev.t, int(ev.callee[1:]), ev.callee, ev.duration_s))
        self._seen += 1
        if self._seen % 50_000 == 0:
            self._forget_idle(ev.t)
        if len(history) == self.recent:
            self._check(block, history, ev.t)

    def _check(self, block: str, history: deque[tuple[float, int, str, float]], t: float) -> None:
        calls = list(history)
        if len({c[2] for c in calls}) < self.min_distinct_share * len(calls):
            return
        if fmean(c[3] for c in calls) > self.max_mean_duration_s:
            return
        steps = [abs(b[1] - a[1]) for a, b in pairwise(calls)]
        sequential = sum(1 for s in steps if 1 <= s <= self.max_step) / len(steps)
        gaps = [b[0] - a[0] for a, b in pairwise(calls)]
        mean_gap = fmean(gaps)
        cv = pstdev(gaps) / mean_gap if mean_gap > 0 else 99.0
        if sequential >= self.min_sequential_share or cv <= self.max_gap_cv:
            self.flags.flag(
                block,
                t,
                {
                    "block": block + "xx",
                    "sequential_share": round(sequential, 3),
                    "gap_cv": round(cv, 3),
                    "calls": len(calls),
                },
            )

    def _forget_idle(self, now: float) -> None:
        stale = [k for k, h in self._history.items() if h and h[-1][0] < now - self.idle_s]
        for key in stale:
            del self._history[key]

    def score_one(self, ev: CallEvent) -> dict[str, Any] | None:
        block = self.source(ev.caller)
        return None if block is None else self.flags.get(block, ev.t)


@dataclass
class CallCentres:
    """Foreign numbers, and pools of them, holding long calls with many strangers.

    A number is flagged at `min_callees` distinct long-answered callees in 24 h (the batch
    detector's sign). A call centre works a *pool* of numbers in one block at a pace no person
    keeps, so the block (the number without its last `pool_digits` 4 digits) is flagged
    earlier: when `pool_numbers` 2 of its numbers each held long calls with
    `pool_member_callees` 3 different strangers within `pace_s` one hour, and the block with
    `pool_callees` 6. (On the simulated day, a 24 h version of this rule labelled 1.6% of
    genuine foreign calls, and a 2-stranger version 0.4%.)
    """

    home_country: str = "BE"
    min_callees: int = 10
    min_answered_s: float = 60.0
    pool_digits: int = 4
    pool_numbers: int = 2
    pool_member_callees: int = 3
    pool_callees: int = 6
    pace_s: float = 3600.0
    window_s: float = 24 * 3600.0
    hold_s: float = 24 * 3600.0
    name: str = "foreign_call_centre"
    _long: SlidingDistinct = field(init=False)
    _paced: SlidingDistinct = field(init=False)
    _pool: SlidingDistinct = field(init=False)
    _members: dict[str, set[str]] = field(init=False)
    flags: Flags = field(init=False)

    def __post_init__(self) -> None:
        self._long = SlidingDistinct(self.window_s)
        self._paced = SlidingDistinct(self.pace_s)
        self._pool = SlidingDistinct(self.pace_s)
        self._members = {}
        self.flags = Flags(self.hold_s)

    def learn_one(self, ev: CallEvent) -> None:
        if not (ev.direction == "inbound" and ev.caller_is_foreign(self.home_country)):
            return
        if not (ev.answered and ev.duration_s >= self.min_answered_s):
            return
        self._long.add(ev.t, ev.caller, ev.callee)
        callees = self._long.distinct(ev.caller)
        if callees >= self.min_callees:
            self.flags.flag(ev.caller, ev.t, {"number": ev.caller, "long_call_callees": callees})
        block = ev.caller[: -self.pool_digits]
        self._paced.add(ev.t, ev.caller, ev.callee)
        self._pool.add(ev.t, block, ev.callee)
        if self._paced.distinct(ev.caller) >= self.pool_member_callees:
            members = self._members.setdefault(block, set())
            members.add(ev.caller)
            members.intersection_update(
                [n for n in members if self._paced.distinct(n) >= self.pool_member_callees]
            )
            if (
                len(members) >= self.pool_numbers
                and self._pool.distinct(block) >= self.pool_callees
            ):
                self.flags.flag(
                    block,
                    ev.t,
                    {"block": block + "x" * self.pool_digits, "numbers": len(members),
                     "long_call_callees": self._pool.distinct(block)},
                )  # fmt: skip

    def score_one(self, ev: CallEvent) -> dict[str, Any] | None:
        if ev.direction != "inbound" or not ev.caller.startswith("+"):
            return None
        return self.flags.get(ev.caller, ev.t) or self.flags.get(
            ev.caller[: -self.pool_digits], ev.t
        )


@dataclass
class SpoofedOwners:
    home_country: str = "BE"
    min_callers: int = 4
    window_s: float = 24 * 3600.0
    hold_s: float = 3 * 24 * 3600.0
    silent_max_duration_s: float = 3.0
    allowed_from_abroad: frozenset[str] = frozenset()
    name: str = "spoofed_owner"
    _presented: dict[tuple[str, str], float] = field(init=False)
    _from_abroad: dict[tuple[str, str], float] = field(init=False)
    _order: deque[tuple[float, tuple[str, str]]] = field(init=False)
    _callers: SlidingDistinct = field(init=False)
    flags: Flags = field(init=False)

    def __post_init__(self) -> None:
        self._presented = {}
        self._from_abroad = {}
        self._order = deque()
        self._callers = SlidingDistinct(self.window_s)
        self.flags = Flags(self.hold_s)

    def _suspect(self, ev: CallEvent) -> bool:
        if ev.direction == "outbound" or not ev.caller.startswith("+"):
            return False
        if ev.caller in self.allowed_from_abroad:
            return False
        national_from_abroad = (
            ev.caller_country == self.home_country and ev.ingress == "international"
        )
        silent = (
            ev.answered
            and ev.released_by == "caller"
            and ev.duration_s <= self.silent_max_duration_s
        )
        return national_from_abroad or ev.attestation == "C" or silent

    def learn_one(self, ev: CallEvent) -> None:
        horizon = ev.t - self.window_s
        while self._order and self._order[0][0] <= horizon:
            t, pair = self._order.popleft()
            if self._presented.get(pair) == t:
                del self._presented[pair]
            if self._from_abroad.get(pair) == t:
                del self._from_abroad[pair]
        shown_at = self._presented.get((ev.callee, ev.caller))
        if shown_at is not None and ev.t > shown_at:
            self._callers.add(ev.t, ev.callee, ev.caller)
            callers = self._callers.distinct(ev.callee)
            if callers >= self.min_callers:
                self.flags.flag(ev.callee, ev.t, {"owner": ev.callee, "callers": callers})
        if self._suspect(ev):
            pair = (ev.caller, ev.callee)
            self._presented[pair] = ev.t
            if ev.caller_country == self.home_country and ev.ingress == "international":
                self._from_abroad[pair] = ev.t
            self._order.append((ev.t, pair))

    def score_one(self, ev: CallEvent) -> dict[str, Any] | None:
        """Evidence when the call goes to a flagged owner (a callback by a puzzled person), or
        when the caller is calling back a number that was shown to them from abroad in the
        last 24 h (a national number cannot call from abroad unless roaming: spoofed)."""
        flagged = self.flags.get(ev.callee, ev.t)
        if flagged is not None:
            return flagged
        shown = self._from_abroad.get((ev.callee, ev.caller))
        if shown is not None and 0 < ev.t - shown <= self.window_s:
            return {"owner": ev.callee, "shown_from_abroad_at": shown}
        return None
