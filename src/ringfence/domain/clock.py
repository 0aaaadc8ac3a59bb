"""An injected clock: services ask it for "now" instead of reading the wall clock themselves.

Why: reputations decay with time, rate limits count per hour and blocklist entries expire. A
service that reads `datetime.now()` directly cannot be tested at a chosen moment, nor replayed;
one that takes a `Clock` can be given a `FixedClock` in tests and a `SystemClock` in production.

>>> clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
>>> clock.advance(timedelta(days=30)).now().isoformat()
'2026-01-31T00:00:00+00:00'
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Anything with `now()` returning an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move: for tests and replays."""

    def __init__(self, at: datetime) -> None:
        self._at = as_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> FixedClock:
        """Move to `at` (forwards or backwards) and return the clock."""
        self._at = as_utc(at)
        return self

    def advance(self, delta: timedelta) -> FixedClock:
        """Move forwards by `delta` and return the clock."""
        self._at = self._at + delta
        return self


def as_utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
