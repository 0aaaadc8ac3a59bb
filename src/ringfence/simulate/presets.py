"""Domain data of the simulator, read from `ringfence/data/simulate/` (never hard-coded).

Why data files: the time zone, carriers and foreign mix of a home country, the diurnal curve and
the ranges campaigns use are facts or choices that change without the code changing; each file
says where its figures come from. A home country without a preset gets a generic one (its time
zone from libphonenumber), so any country libphonenumber knows can be simulated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import timezone as number_timezone

from ringfence.domain.numbers import NumberType, parse_number
from ringfence.lists import load_do_not_originate


class PresetError(ValueError):
    """A shipped or configured preset that cannot be used (says which file and entry)."""


@dataclass(frozen=True)
class CountryPreset:
    """What the simulator needs to know about the operator's country."""

    country: str
    timezone: ZoneInfo
    national_carriers: tuple[str, ...]
    international_gateways: tuple[str, ...]
    gateway_weights: tuple[float, ...]
    foreign_mix: dict[str, float]
    """Country -> weight of foreign callers and destinations (the home country excluded)."""
    emergency: tuple[str, ...]


@dataclass(frozen=True)
class TrafficShape:
    diurnal: tuple[float, ...]
    """Relative volume per local hour 0..23."""
    weekday: tuple[float, ...]
    """Relative volume Monday..Sunday."""


@dataclass(frozen=True)
class RangeSpec:
    """A kind of number: a country and a number type (`IT:mobile`)."""

    country: str
    type: NumberType

    @classmethod
    def parse(cls, text: str) -> RangeSpec:
        country, _, kind = text.partition(":")
        region = country.strip().upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise PresetError(f"range {text!r}: {region!r} is not a country libphonenumber knows")
        try:
            number_type = NumberType(kind.strip())
        except ValueError:
            raise PresetError(
                f"range {text!r}: write COUNTRY:TYPE with TYPE one of "
                "fixed_line, mobile, premium_rate, toll_free, personal, voip, shared_cost, uan"
            ) from None
        return cls(region, number_type)

    def __str__(self) -> str:
        return f"{self.country}:{self.type.value}"


def _read(name: str) -> Any:
    text = (resources.files("ringfence") / "data" / "simulate" / name).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=32)
def country_preset(country: str) -> CountryPreset:
    """The preset of `country` (ISO code), or a generic one built from libphonenumber."""
    data = _read("countries.json")
    entry = data["countries"].get(country)
    if entry is None:
        entry = dict(data["default"])
        entry["timezone"] = _timezone_of(country)
        entry["national_carriers"] = [f"{country}-{c}" for c in entry["national_carriers"]]
    mix = {k: float(v) for k, v in entry["foreign_mix"].items() if k != country}
    for emergency in entry["emergency"]:
        if emergency.startswith("0") or parse_number(emergency, country).type is not (
            NumberType.EMERGENCY
        ):
            raise PresetError(
                f"countries.json, {country}: {emergency!r} is not an emergency number there "
                "according to libphonenumber (or starts with 0, which the simulator cannot store)"
            )
    gateways = tuple(data["international_gateways"])
    weights = tuple(float(w) for w in data["gateway_weights"])
    if len(gateways) != len(weights):
        raise PresetError("countries.json: international_gateways and gateway_weights differ")
    return CountryPreset(
        country=country,
        timezone=ZoneInfo(entry["timezone"]),
        national_carriers=tuple(entry["national_carriers"]),
        international_gateways=gateways,
        gateway_weights=weights,
        foreign_mix=mix,
        emergency=tuple(entry["emergency"]),
    )


def _timezone_of(country: str) -> str:
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.FIXED_LINE)
    zones = number_timezone.time_zones_for_number(example) if example is not None else ()
    zone = zones[0] if zones else "UTC"
    return "UTC" if zone == "Etc/Unknown" else zone


@lru_cache(maxsize=1)
def traffic_shape() -> TrafficShape:
    data = _read("traffic.json")
    diurnal = tuple(float(v) for v in data["diurnal"])
    weekday = tuple(float(v) for v in data["weekday"])
    if len(diurnal) != 24 or len(weekday) != 7 or min(diurnal + weekday) <= 0:
        raise PresetError("traffic.json: diurnal needs 24 positive values, weekday 7")
    return TrafficShape(diurnal, weekday)


def campaign_sources(kind: str, configured: tuple[str, ...], home: str) -> tuple[RangeSpec, ...]:
    """The foreign ranges a campaign kind draws from: configured, else the shipped list."""
    texts = configured or tuple(_read("campaign_sources.json")[kind])
    specs = tuple(RangeSpec.parse(t) for t in texts)
    foreign = tuple(s for s in specs if s.country != home)
    if not foreign:
        raise PresetError(
            f"{kind}.sources: every range is in the home country {home}; give foreign ranges "
            "such as IT:mobile"
        )
    return foreign


@dataclass(frozen=True)
class ServiceNumber:
    """A do-not-originate number: inbound-only line of a bank, the police or an operator."""

    e164: str
    holder: str
    category: str


def service_numbers(country: str) -> tuple[ServiceNumber, ...]:
    """The shipped do-not-originate list of `country` (data/do_not_originate/<CC>.csv).

    Empty when there is none. It is read by `ringfence.lists`, as the detectors read it.
    """
    try:
        entries = load_do_not_originate(None, country)
    except ValueError as error:
        raise PresetError(str(error)) from None
    return tuple(ServiceNumber(e.number, e.holder, e.category) for e in entries.values())
