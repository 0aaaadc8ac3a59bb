"""Parameters of a simulation: one frozen dataclass per part, defaults documented, JSON overrides.

Why dataclasses and not a dict: every parameter has a type, a default and a docstring in one
place, `--config FILE.json` can only name parameters that exist (a typo is an error, not a
silent no-op), and the whole configuration of a run can be written next to its output so a
result can always be reproduced.

Campaign sizes are a share of the calls (`share`) with a floor (`min_calls`) so that a small
simulation still holds every kind; the defaults follow issue 2 of the project (silent calls about
1% of the calls, Wangiri 0.75%, robocalls 0.5%, crypto scams 0.15%, CLI spoofing 0.1%).

>>> SimulationConfig.from_json({"calls": 50_000, "wangiri": {"campaigns": 2}}).wangiri.campaigns
2
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ringfence.simulate.overrides import ConfigError, apply_overrides


def _check(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise ConfigError(f"{where}: {message}")


def _share(value: float, where: str) -> None:
    _check(0.0 <= value <= 1.0, where, f"must be a share between 0 and 1, got {value!r}")


def _hours(window: tuple[int, int], where: str) -> None:
    _check(
        len(window) == 2 and 0 <= window[0] < window[1] <= 24,
        where,
        f"must be [first_hour, end_hour] with 0 <= first < end <= 24 (local time), got {window!r}",
    )


@dataclass(frozen=True)
class BaselineConfig:
    """Ordinary traffic of a national operator, with the look-alikes that make detection hard.

    Shares are of all baseline calls unless said otherwise. Defaults are plausible European
    mobile-operator figures chosen for the simulation, not measurements: answer rate 60-75%,
    median answered call 1.5 min (lognormal), mostly national calls.
    """

    calls_per_subscriber_day: float = 4.0
    """Calls a subscriber makes or receives per day: sets the subscriber population."""
    mobile_share: float = 0.75
    """Share of subscribers on mobile numbers (the rest are fixed lines)."""
    inbound_share: float = 0.52
    outbound_share: float = 0.41
    """Transit takes the rest (calls between two other networks through ours)."""
    onnet_share: float = 0.35
    """Share of national inbound calls made by the operator's own subscribers (no carrier)."""
    international_inbound_share: float = 0.05
    international_outbound_share: float = 0.04
    anonymous_share: float = 0.02
    """Share of national inbound callers who withhold their number (CLIR)."""
    answer_rate: float = 0.70
    """Answer rate of ordinary calls; premium, toll-free and emergency calls differ."""
    international_answer_rate: float = 0.60
    median_duration_s: float = 90.0
    duration_sigma: float = 1.1
    wrong_number_share: float = 0.01
    """Answered national calls the caller drops within 1-3 s (wrong numbers): silent-call
    look-alikes spread over many sources."""
    premium_outbound_share: float = 0.002
    tollfree_outbound_share: float = 0.01
    emergency_outbound_share: float = 0.0005
    service_outbound_share: float = 0.001
    """Outbound calls to the do-not-originate numbers (customers calling their bank)."""
    foreign_calls_per_number: float = 2.5
    """Average calls per legitimate foreign caller over the span (a few per number)."""
    roaming_share: float = 0.002
    """Share of subscribers abroad who call home: national CLIs on international ingress."""
    roaming_calls: tuple[int, int] = (1, 4)
    """Calls per roaming subscriber per day (inclusive range)."""
    notification_lines: int = 2
    """Legitimate high-volume national sources (a bank's and a delivery company's lines)."""
    notification_share: float = 0.002
    """Calls of each notification line, as a share of all calls (floor 150 a day)."""

    def validate(self, where: str = "baseline") -> None:
        for name in (
            "mobile_share",
            "inbound_share",
            "outbound_share",
            "onnet_share",
            "international_inbound_share",
            "international_outbound_share",
            "anonymous_share",
            "answer_rate",
            "international_answer_rate",
            "wrong_number_share",
            "premium_outbound_share",
            "tollfree_outbound_share",
            "emergency_outbound_share",
            "service_outbound_share",
            "roaming_share",
            "notification_share",
        ):
            _share(getattr(self, name), f"{where}.{name}")
        _check(
            self.inbound_share + self.outbound_share <= 1.0,
            where,
            "inbound_share + outbound_share must be at most 1 (transit takes the rest)",
        )
        _check(self.calls_per_subscriber_day > 0, f"{where}.calls_per_subscriber_day", "> 0")
        _check(self.median_duration_s > 3, f"{where}.median_duration_s", "must exceed 3 s")
        _check(self.duration_sigma > 0, f"{where}.duration_sigma", "must be positive")
        _check(self.foreign_calls_per_number >= 1, f"{where}.foreign_calls_per_number", ">= 1")
        _check(
            1 <= self.roaming_calls[0] <= self.roaming_calls[1],
            f"{where}.roaming_calls",
            "must be [min, max] with 1 <= min <= max",
        )
        _check(0 <= self.notification_lines <= 2, f"{where}.notification_lines", "between 0 and 2")


@dataclass(frozen=True)
class SilentCallsConfig:
    """Number validation: spoofed national CLIs from abroad, answered, dropped within 1-3 s.

    `calls_per_cli` 200 and `callback_share` 0.04 give each spoofed owner about 8 callbacks
    (issue 2: "a share of recipients calls the spoofed number back later").
    """

    share: float = 0.01
    min_calls: int = 600
    campaigns: int = 2
    calls_per_cli: int = 200
    """Average calls presenting each spoofed number."""
    subscriber_cli_share: float = 0.5
    """Spoofed CLIs taken from the operator's own subscribers; the rest from other national
    operators' subscribers."""
    carriers_per_campaign: int = 1
    bursts: tuple[int, int] = (3, 6)
    """Bursts per campaign per day (inclusive range); each lasts 1 to 3 hours."""
    active_hours: tuple[int, int] = (9, 21)
    callback_share: float = 0.04
    """Share of each spoofed number's recipients who call it back (3-5% in issue 2)."""
    callback_median_delay_min: float = 45.0
    callback_max_delay_h: float = 20.0

    def validate(self, where: str = "silent_calls") -> None:
        _share(self.share, f"{where}.share")
        _share(self.subscriber_cli_share, f"{where}.subscriber_cli_share")
        _share(self.callback_share, f"{where}.callback_share")
        _check(self.min_calls >= 0 and self.campaigns >= 1, where, "min_calls >= 0, campaigns >= 1")
        _check(self.calls_per_cli >= 1, f"{where}.calls_per_cli", "must be >= 1")
        _check(self.carriers_per_campaign >= 1, f"{where}.carriers_per_campaign", ">= 1")
        _check(1 <= self.bursts[0] <= self.bursts[1], f"{where}.bursts", "[min, max], min >= 1")
        _hours(self.active_hours, f"{where}.active_hours")
        _check(
            0 < self.callback_max_delay_h < 24,
            f"{where}.callback_max_delay_h",
            "callbacks come within 24 h: use 0 < hours < 24",
        )
        _check(self.callback_median_delay_min > 0, f"{where}.callback_median_delay_min", "> 0")


@dataclass(frozen=True)
class WangiriConfig:
    """One-ring calls (ring <= 3 s, unanswered) from rotating numbers in a few foreign ranges."""

    share: float = 0.0075
    min_calls: int = 400
    campaigns: int = 3
    ranges_per_campaign: int = 2
    max_uses: int = 2
    """Each number rings at most this many subscribers (issue 2: "once or twice")."""
    active_hours: tuple[int, int] = (8, 23)
    callback_share: float = 0.015
    """Share of recipients who call the number back (1-2% in issue 2)."""
    late_callback_share: float = 0.2
    """Share of callbacks made days later (within the simulated span) rather than within hours."""
    sources: tuple[str, ...] = ()
    """COUNTRY:TYPE ranges to draw from; empty means the shipped list
    (data/simulate/campaign_sources.json)."""

    def validate(self, where: str = "wangiri") -> None:
        _share(self.share, f"{where}.share")
        _share(self.callback_share, f"{where}.callback_share")
        _share(self.late_callback_share, f"{where}.late_callback_share")
        _check(self.min_calls >= 0 and self.campaigns >= 1, where, "min_calls >= 0, campaigns >= 1")
        _check(self.ranges_per_campaign >= 1, f"{where}.ranges_per_campaign", "must be >= 1")
        _check(self.max_uses >= 1, f"{where}.max_uses", "must be >= 1")
        _hours(self.active_hours, f"{where}.active_hours")


@dataclass(frozen=True)
class CliSpoofingConfig:
    """Calls presenting banks', police and operators' inbound numbers, answered and long.

    `invalid_cli_share`: the only place where the simulator writes CLIs that the numbering plan
    does not allocate (numbers of the home plan that are possible but unassigned), as cheap
    spoofing kits do; these calls are labelled `cli_spoofing` too and listed apart in
    campaigns.json (`invalid_clis`). The baseline never holds invalid CLIs.
    """

    share: float = 0.001
    min_calls: int = 60
    answer_rate: float = 0.85
    median_duration_s: float = 420.0
    active_hours: tuple[int, int] = (9, 19)
    invalid_cli_share: float = 0.02
    numbers: tuple[str, ...] = ()
    """E.164 numbers to present; empty means the shipped do-not-originate list of the home
    country (data/do_not_originate/<CC>.csv). Without either, the campaign is not planted."""

    def validate(self, where: str = "cli_spoofing") -> None:
        _share(self.share, f"{where}.share")
        _share(self.answer_rate, f"{where}.answer_rate")
        _share(self.invalid_cli_share, f"{where}.invalid_cli_share")
        _check(self.min_calls >= 0, f"{where}.min_calls", "must be >= 0")
        _check(self.median_duration_s >= 60, f"{where}.median_duration_s", ">= 60 s (long calls)")
        _hours(self.active_hours, f"{where}.active_hours")


@dataclass(frozen=True)
class CryptoScamConfig:
    """Investment-scam call centres: a small pool of foreign mobiles, many callees, long calls."""

    share: float = 0.0015
    min_calls: int = 120
    campaigns: int = 2
    numbers_per_campaign: int = 12
    answer_rate: float = 0.5
    median_duration_s: float = 240.0
    active_hours: tuple[int, int] = (9, 20)
    sources: tuple[str, ...] = ()
    """COUNTRY:TYPE ranges; empty means the shipped list."""

    def validate(self, where: str = "crypto_scam") -> None:
        _share(self.share, f"{where}.share")
        _share(self.answer_rate, f"{where}.answer_rate")
        _check(self.min_calls >= 0 and self.campaigns >= 1, where, "min_calls >= 0, campaigns >= 1")
        _check(self.numbers_per_campaign >= 1, f"{where}.numbers_per_campaign", "must be >= 1")
        _check(self.median_duration_s >= 60, f"{where}.median_duration_s", ">= 60 s (minutes)")
        _hours(self.active_hours, f"{where}.active_hours")


@dataclass(frozen=True)
class HarassmentConfig:
    """A few subscribers, each called many times a day by ever-changing foreign numbers."""

    victims: int = 3
    calls_per_day: tuple[int, int] = (30, 80)
    countries_per_victim: int = 3
    answer_rate: float = 0.3
    sources: tuple[str, ...] = ()
    """COUNTRY:TYPE ranges; empty means the shipped list."""

    def validate(self, where: str = "harassment") -> None:
        _check(self.victims >= 1, f"{where}.victims", "must be >= 1")
        _check(
            1 <= self.calls_per_day[0] <= self.calls_per_day[1],
            f"{where}.calls_per_day",
            "[min, max] with 1 <= min <= max",
        )
        _check(self.countries_per_victim >= 1, f"{where}.countries_per_victim", "must be >= 1")
        _share(self.answer_rate, f"{where}.answer_rate")


@dataclass(frozen=True)
class RobocallConfig:
    """A dialler: one number or a small block calling sequential numbers at a regular pace."""

    share: float = 0.005
    min_calls: int = 300
    campaigns: int = 1
    source_numbers: int = 3
    """Lines of the dialler, all in one /100 block, used in turn."""
    step: int = 1
    """Increment between consecutive callee numbers."""
    gap_jitter: float = 0.1
    """Relative jitter of the inter-call gap (uniform +-10%)."""
    active_hours: tuple[int, int] = (9, 18)
    answer_rate: float = 0.35

    def validate(self, where: str = "robocall") -> None:
        _share(self.share, f"{where}.share")
        _share(self.answer_rate, f"{where}.answer_rate")
        _check(self.min_calls >= 2, f"{where}.min_calls", "must be >= 2")
        _check(1 <= self.campaigns <= 10, f"{where}.campaigns", "between 1 and 10")
        _check(1 <= self.source_numbers <= 100, f"{where}.source_numbers", "between 1 and 100")
        _check(1 <= self.step <= 9, f"{where}.step", "between 1 and 9")
        _check(0 <= self.gap_jitter < 1, f"{where}.gap_jitter", "between 0 and 1 (exclusive)")
        _hours(self.active_hours, f"{where}.active_hours")


@dataclass(frozen=True)
class SimulationConfig:
    """Everything that defines a simulated dataset, besides the home country (in `Settings`).

    `calls` is the total number of calls written over the whole span (`days` local days from
    `start`, midnight to midnight in the home country's time zone), planted campaigns included.
    """

    calls: int = 2_000_000
    seed: int = 0
    days: int = 1
    start: date = date(2026, 11, 2)
    partition_by_day: bool = False
    rows_per_chunk: int = 500_000
    """Rows generated and written at a time: bounds memory."""
    baseline: BaselineConfig = field(default_factory=BaselineConfig)
    silent_calls: SilentCallsConfig = field(default_factory=SilentCallsConfig)
    wangiri: WangiriConfig = field(default_factory=WangiriConfig)
    cli_spoofing: CliSpoofingConfig = field(default_factory=CliSpoofingConfig)
    crypto_scam: CryptoScamConfig = field(default_factory=CryptoScamConfig)
    harassment: HarassmentConfig = field(default_factory=HarassmentConfig)
    robocall: RobocallConfig = field(default_factory=RobocallConfig)

    def __post_init__(self) -> None:
        _check(self.calls >= 10_000, "calls", f"must be at least 10000, got {self.calls}")
        _check(self.calls <= 2_000_000_000, "calls", "must be at most 2e9")
        _check(1 <= self.days <= 366, "days", f"must be between 1 and 366, got {self.days}")
        _check(self.seed >= 0, "seed", "must be a non-negative integer")
        _check(self.rows_per_chunk >= 10_000, "rows_per_chunk", "must be at least 10000")
        for part in _PARTS:
            getattr(self, part).validate(part)

    @classmethod
    def from_json(cls, source: str | Path | Mapping[str, Any]) -> SimulationConfig:
        """Defaults overridden by a JSON file (path) or mapping; unknown keys are errors."""
        if isinstance(source, Mapping):
            data: Any = source
            origin = "configuration"
        else:
            path = Path(source)
            origin = str(path)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise ConfigError(f"{origin}: no such file") from None
            except json.JSONDecodeError as error:
                raise ConfigError(
                    f"{origin}, line {error.lineno}: not valid JSON ({error.msg})"
                ) from None
        if not isinstance(data, Mapping):
            raise ConfigError(f"{origin}: the top level must be a JSON object")
        try:
            return cls().with_overrides(data)
        except ConfigError as error:
            raise ConfigError(f"{origin}: {error}") from None

    def with_overrides(self, data: Mapping[str, Any]) -> SimulationConfig:
        """A copy with the values of `data` (nested objects for the parts) applied."""
        return apply_overrides(self, data, _PARTS)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO text, tuples as lists)."""
        result: dict[str, Any] = asdict(self)
        result["start"] = self.start.isoformat()
        decoded: dict[str, Any] = json.loads(json.dumps(result))
        return decoded


_PARTS = ("baseline", "silent_calls", "wangiri", "cli_spoofing", "crypto_scam", "harassment",
          "robocall")  # fmt: skip
