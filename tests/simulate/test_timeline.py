"""The span is cut into UTC hours; the diurnal curve follows the local clock (DST included)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import numpy as np

from ringfence.simulate.presets import traffic_shape
from ringfence.simulate.timeline import US_PER_HOUR, Timeline, iso


def test_a_local_day_in_winter_is_24_utc_hours_from_23_00() -> None:
    line = Timeline(date(2026, 11, 2), 1, ZoneInfo("Europe/Brussels"))
    assert iso(line.start_us) == "2026-11-01T23:00:00Z"
    assert line.hours == 24
    assert line.local_hours().tolist() == list(range(24))


def test_daylight_saving_days_have_23_or_25_hours() -> None:
    spring = Timeline(date(2026, 3, 29), 1, ZoneInfo("Europe/Brussels"))
    autumn = Timeline(date(2026, 10, 25), 1, ZoneInfo("Europe/Brussels"))
    assert spring.hours == 23
    assert autumn.hours == 25
    assert 2 not in spring.local_hours().tolist()
    assert autumn.local_hours().tolist().count(2) == 2


def test_traffic_weights_follow_the_local_curve_and_weekdays() -> None:
    line = Timeline(date(2026, 11, 6), 3, ZoneInfo("Europe/Lisbon"))  # Friday to Sunday
    weights = line.traffic_weights(traffic_shape())
    assert np.isclose(weights.sum(), 1.0)
    friday, saturday, sunday = weights[:24].sum(), weights[24:48].sum(), weights[48:].sum()
    assert friday > saturday > sunday
    assert weights[3] < weights[10] / 10


def test_bursts_stay_inside_their_local_window() -> None:
    line = Timeline(date(2026, 11, 2), 2, ZoneInfo("Europe/Paris"))
    times = line.bursts(np.random.default_rng(1), 5_000, (9, 21), (3, 6), (1, 3))
    assert np.all(np.diff(times) >= 0)
    assert line.start_us <= times[0]
    assert times[-1] < line.end_us
    local = ((times - line.start_us) // US_PER_HOUR) % 24  # Paris is UTC+1: bucket = local hour
    assert local.min() >= 9
    assert local.max() < 24
