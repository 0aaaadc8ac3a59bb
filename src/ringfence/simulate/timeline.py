"""The simulated span, cut into UTC hours, with the local hour and weekday of each.

Why UTC hours: records carry UTC timestamps and are generated and written hour by hour (bounded
memory, chronological output); the diurnal curve is a property of people, so each UTC hour is
weighted by the *local* hour it falls in (daylight-saving changes included, through zoneinfo).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from ringfence.simulate.presets import TrafficShape

US_PER_S = 1_000_000
US_PER_HOUR = 3600 * US_PER_S


@dataclass(frozen=True)
class Timeline:
    """`days` local days from local midnight of `start`, as UTC hour buckets."""

    start: date
    days: int
    timezone: ZoneInfo

    @property
    def start_us(self) -> int:
        return _local_midnight_us(self.start, self.timezone)

    @property
    def end_us(self) -> int:
        return _local_midnight_us(self.start + timedelta(days=self.days), self.timezone)

    @property
    def hours(self) -> int:
        return -(-(self.end_us - self.start_us) // US_PER_HOUR)

    def bucket_starts(self) -> np.ndarray:
        """UTC start (microseconds since the epoch) of each hour bucket."""
        return self.start_us + np.arange(self.hours, dtype=np.int64) * US_PER_HOUR

    def bucket_ends(self) -> np.ndarray:
        return np.asarray(np.minimum(self.bucket_starts() + US_PER_HOUR, self.end_us))

    def local_hours(self) -> np.ndarray:
        """Local hour 0..23 of each bucket's start."""
        return np.array([self._local(s).hour for s in self.bucket_starts().tolist()], np.int64)

    def local_weekdays(self) -> np.ndarray:
        return np.array([self._local(s).weekday() for s in self.bucket_starts().tolist()], np.int64)

    def _local(self, us: int) -> datetime:
        return utc(us).astimezone(self.timezone)

    def traffic_weights(self, shape: TrafficShape) -> np.ndarray:
        """Relative baseline volume of each bucket (diurnal x weekday x bucket length)."""
        diurnal = np.array(shape.diurnal)[self.local_hours()]
        weekday = np.array(shape.weekday)[self.local_weekdays()]
        length = (self.bucket_ends() - self.bucket_starts()) / US_PER_HOUR
        weights = diurnal * weekday * length
        return np.asarray(weights / weights.sum(), dtype=np.float64)

    def window_buckets(self, hours: tuple[int, int]) -> np.ndarray:
        """Indices of buckets whose local hour is in [first, end)."""
        local = self.local_hours()
        chosen = np.flatnonzero((local >= hours[0]) & (local < hours[1]))
        return chosen if chosen.size else np.arange(self.hours)

    def uniform_times(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` times uniform over the whole span."""
        return rng.integers(self.start_us, self.end_us, n, dtype=np.int64)

    def bursts(
        self,
        rng: np.random.Generator,
        n: int,
        hours: tuple[int, int],
        bursts_per_day: tuple[int, int],
        burst_hours: tuple[int, int] = (1, 3),
    ) -> np.ndarray:
        """`n` sorted times in a few bursts that start within local `hours`, each burst
        lasting `burst_hours` hours (clipped to the span). Campaigns run in bursts, not flat."""
        starts = self.bucket_starts()
        allowed = self.window_buckets(hours)
        count = max(1, int(rng.integers(bursts_per_day[0], bursts_per_day[1] + 1)) * self.days)
        count = min(count, max(1, n))
        chosen = rng.choice(allowed, count, replace=count > allowed.size)
        begin = starts[chosen] + rng.integers(0, US_PER_HOUR, count)
        length = rng.integers(burst_hours[0] * US_PER_HOUR, burst_hours[1] * US_PER_HOUR + 1, count)
        end = np.minimum(begin + length, self.end_us - 1)
        begin = np.minimum(begin, end - 1)
        share = rng.uniform(0.5, 1.5, count)
        which = rng.choice(count, n, p=share / share.sum())
        times = begin[which] + (rng.random(n) * (end[which] - begin[which])).astype(np.int64)
        return np.sort(times)

    def day_bounds(self) -> list[tuple[int, int]]:
        """(start, end) of each local day, in UTC microseconds."""
        return [self.local_window(d, (0, 24)) for d in range(self.days)]

    def local_window(self, day: int, hours: tuple[int, int]) -> tuple[int, int]:
        """UTC (start, end) of local hours [first, end) on day `day` (0-based) of the span."""
        local_day = self.start + timedelta(days=day)
        begin = _local_hour_us(local_day, hours[0], self.timezone)
        end = _local_hour_us(local_day, hours[1], self.timezone)
        return begin, end

    def describe(self) -> str:
        return (
            f"{self.days} day(s) from {self.start.isoformat()} 00:00 {self.timezone.key} "
            f"({self.hours} UTC hours)"
        )


def _local_hour_us(day: date, hour: int, zone: ZoneInfo) -> int:
    if hour >= 24:
        return (
            _local_midnight_us(day + timedelta(days=hour // 24), zone) + (hour % 24) * US_PER_HOUR
        )
    local = datetime.combine(day, time(hour, 0), tzinfo=zone)
    return int(local.astimezone(UTC).timestamp()) * US_PER_S


def _local_midnight_us(day: date, zone: ZoneInfo) -> int:
    local = datetime.combine(day, time(0, 0), tzinfo=zone)
    return int(local.astimezone(UTC).timestamp()) * US_PER_S


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc(us: int) -> datetime:
    """The UTC datetime of a microsecond timestamp (exact, no float rounding)."""
    return _EPOCH + timedelta(microseconds=int(us))


def iso(us: int) -> str:
    """ISO 8601 UTC text of a microsecond timestamp."""
    return utc(us).isoformat().replace("+00:00", "Z")
