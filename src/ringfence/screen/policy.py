"""The screening policy: outcomes per rule, live-window thresholds, and the country preset.

Why a versioned file: an operator changes outcomes (label instead of block) without changing
code, and every verdict records the policy version that decided it. Country presets (BE, FR,
GB, IT, ES, PT) say what the regulator asks for national CLIs arriving from abroad, with the
source and the date it was checked.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ringfence.domain.verdicts import Outcome


class PolicyError(ValueError):
    """A policy or preset file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class CountryPreset:
    country: str
    national_cli_from_abroad: Outcome
    exceptions: tuple[str, ...]
    source: str
    checked: str


@dataclass(frozen=True)
class Policy:
    version: str
    outcomes: dict[str, Outcome]
    windows: dict[str, float]
    preset: CountryPreset

    def outcome(self, rule: str) -> Outcome:
        if rule == "national_cli_from_abroad" and self.outcomes.get(rule) is None:
            return self.preset.national_cli_from_abroad
        try:
            return self.outcomes[rule]
        except KeyError:
            raise PolicyError(f"the policy has no outcome for rule {rule!r}") from None

    def window(self, name: str, default: float) -> float:
        return float(self.windows.get(name, default))


def _outcome(value: Any, where: str) -> Outcome | None:
    if value == "preset":
        return None
    try:
        return Outcome(str(value))
    except ValueError:
        choices = ", ".join(o.value for o in Outcome)
        raise PolicyError(f"{where}: {value!r} is not an outcome; use one of {choices}") from None


def load_preset(country: str, path: Path | None = None) -> CountryPreset:
    """The preset of `country` shipped in data/screen/countries/, or read from `path`."""
    if path is None:
        file = resources.files("ringfence") / "data" / "screen" / "countries" / f"{country}.toml"
        if not file.is_file():
            available = sorted(
                p.name.removesuffix(".toml")
                for p in (resources.files("ringfence") / "data" / "screen" / "countries").iterdir()
            )
            raise PolicyError(
                f"no screening preset for {country}; presets exist for {', '.join(available)} "
                "(pass --preset FILE to use your own)"
            )
        text, where = file.read_text(encoding="utf-8"), f"preset {country}"
    else:
        text, where = path.read_text(encoding="utf-8"), str(path)
    try:
        data = tomllib.loads(text)
        outcome = _outcome(data["national_cli_from_abroad"], f"{where}: national_cli_from_abroad")
        if outcome is None:
            raise PolicyError(f"{where}: a preset must name an outcome, not 'preset'")
        return CountryPreset(
            country=str(data["country"]),
            national_cli_from_abroad=outcome,
            exceptions=tuple(data.get("exceptions", [])),
            source=str(data.get("source", "")),
            checked=str(data.get("checked", "")),
        )
    except (tomllib.TOMLDecodeError, KeyError) as error:
        raise PolicyError(f"{where}: {error}") from None


def load_policy(country: str, path: Path | None = None, preset_path: Path | None = None) -> Policy:
    """The shipped policy (data/screen/policy.toml) or `path`, with the country preset."""
    if path is None:
        file = resources.files("ringfence") / "data" / "screen" / "policy.toml"
        text, where = file.read_text(encoding="utf-8"), "the shipped policy"
    else:
        text, where = path.read_text(encoding="utf-8"), str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{where}: {error}") from None
    if "version" not in data:
        raise PolicyError(f"{where}: a policy needs a `version` (every verdict records it)")
    outcomes: dict[str, Outcome] = {}
    for rule, value in data.get("outcomes", {}).items():
        chosen = _outcome(value, f"{where}: outcomes.{rule}")
        if chosen is not None:
            outcomes[rule] = chosen
    return Policy(
        version=str(data["version"]),
        outcomes=outcomes,
        windows={k: float(v) for k, v in data.get("windows", {}).items()},
        preset=load_preset(country, preset_path),
    )
