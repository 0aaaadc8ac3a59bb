"""The call as streaming detectors see it, and sliding windows keyed by event time.

Why event time: a replay of yesterday's records, a late batch of CDRs or a live feed must give
the same answer, so windows advance with the calls' own timestamps (the largest seen so far,
a watermark), never with the wall clock.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
import pyarrow as pa


@dataclass(frozen=True, slots=True)
class CallEvent:
    """A call with its numbers already normalised and enriched (as in CALL_SCHEMA).

    Setup-time fields (caller, callee, direction, ingress, carrier, t) are known before the
    phone rings; outcome fields (answered, ring_s, duration_s, released_by) only afterwards,
    so `score_one` may read the former and `learn_one` both.
    """

    call_id: str
    t: float
    """Event time: seconds since the epoch (UTC)."""
    caller: str
    callee: str
    direction: str = "inbound"
    ingress: str = "national"
    carrier: str = ""
    caller_country: str | None = None
    caller_type: str = "unknown"
    caller_valid: bool = True
    callee_country: str | None = None
    callee_type: str = "unknown"
    attestation: str = "none"
    answered: bool = False
    ring_s: float = 0.0
    duration_s: float = 0.0
    released_by: str = "unknown"

    def caller_is_foreign(self, home: str) -> bool:
        return (
            self.caller.startswith("+")
            and self.caller_country is not None
            and self.caller_country != home
        )


EVENT_FIELDS: tuple[str, ...] = (
    "call_id", "start", "caller", "callee", "direction", "ingress", "carrier", "caller_country",
    "caller_type", "caller_valid", "callee_country", "callee_type", "attestation", "answered",
    "ring_s", "duration_s", "released_by",
)  # fmt: skip
"""The CALL_SCHEMA columns a `CallEvent` is made of, in its field order."""


def events_of(table: pa.Table | pa.RecordBatch) -> list[CallEvent]:
    """The rows of a table with the `EVENT_FIELDS` columns, as events (column-wise, fast)."""
    columns = [table.column(name).to_pylist() for name in EVENT_FIELDS]
    return [
        CallEvent(
            r[0], r[1].timestamp(), r[2], r[3], r[4], r[5], r[6] or "", r[7], r[8] or "unknown",
            bool(r[9]), r[10], r[11] or "unknown", r[12] or "none", bool(r[13]),
            float(r[14] or 0.0), float(r[15] or 0.0), r[16] or "unknown",
        )
        for r in zip(*columns, strict=True)
    ]  # fmt: skip


@lru_cache(maxsize=512)
def calling_code_length(region: str | None) -> int:
    """Length of the calling code of a region (BE -> 2); 2 when unknown."""
    if not region:
        return 2
    code = phonenumbers.country_code_for_region(region)
    return len(str(code)) if code else 2


class SlidingDistinct:
    """Per key, over the last `window_s` seconds of event time: events and distinct items.

    Memory is bounded by the events inside the window. Late events (older than the watermark
    minus the window) are counted as if they arrived at the watermark's edge: they expire first.
    """

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._events: deque[tuple[float, Hashable, Hashable, int]] = deque()
        self._items: dict[Hashable, Counter[Hashable]] = {}
        self._weights: dict[Hashable, int] = {}
        self.watermark = float("-inf")

    def add(self, t: float, key: Hashable, item: Hashable, weight: int = 1) -> None:
        self.advance(t)
        self._events.append((max(t, self.watermark - self.window_s), key, item, weight))
        items = self._items.get(key)
        if items is None:
            items = self._items[key] = Counter()
        items[item] += 1
        self._weights[key] = self._weights.get(key, 0) + weight

    def advance(self, t: float) -> None:
        """Move the watermark to `t` (if later) and expire what fell out of the window."""
        if t > self.watermark:
            self.watermark = t
        horizon = self.watermark - self.window_s
        events = self._events
        while events and events[0][0] <= horizon:
            _, key, item, weight = events.popleft()
            items = self._items[key]
            items[item] -= 1
            if not items[item]:
                del items[item]
            self._weights[key] -= weight
            if not items:
                del self._items[key]
                del self._weights[key]

    def distinct(self, key: Hashable) -> int:
        items = self._items.get(key)
        return len(items) if items else 0

    def total(self, key: Hashable) -> int:
        return self._weights.get(key, 0)

    def __len__(self) -> int:
        return len(self._events)


class Flags:
    """Keys flagged until an expiry time (event time), with the reason they were flagged."""

    def __init__(self, hold_s: float) -> None:
        self.hold_s = hold_s
        self._until: dict[Hashable, tuple[float, dict[str, Any]]] = {}

    def flag(self, key: Hashable, t: float, evidence: dict[str, Any]) -> bool:
        """Flag `key` until t + hold; True when it was not flagged before."""
        fresh = key not in self._until or self._until[key][0] < t
        self._until[key] = (t + self.hold_s, evidence)
        return fresh

    def get(self, key: Hashable, t: float) -> dict[str, Any] | None:
        entry = self._until.get(key)
        if entry is None or entry[0] < t:
            return None
        return entry[1]

    def active(self, t: float) -> dict[Hashable, dict[str, Any]]:
        return {k: v[1] for k, v in self._until.items() if v[0] >= t}

    def ever(self) -> dict[Hashable, dict[str, Any]]:
        return {k: v[1] for k, v in self._until.items()}
