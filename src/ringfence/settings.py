"""Every setting of ringfence, declared once: name, default, environment variable and help.

Why: a setting that is read in three places drifts; one declaration, read into an immutable
`Settings` value that is passed in (never a global created at import), keeps the CLI, the API
and the tests in agreement. The CLI turns its flags into `Settings`; libraries take `Settings`
or plain arguments.

>>> Settings.from_env({"RINGFENCE_HOME_COUNTRY": "fr"}).home_country
'FR'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import phonenumbers


@dataclass(frozen=True, slots=True)
class Setting:
    """One declared setting: its name, default (as text), environment variable and help."""

    name: str
    default: str
    env: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "home_country",
        "BE",
        "RINGFENCE_HOME_COUNTRY",
        "ISO 3166 country of the operator (BE, FR, PT, GB...). Used to read national number "
        "forms (0470 12 34 56) and to decide what is national or foreign.",
    ),
    Setting(
        "data_dir",
        "~/.local/share/ringfence",
        "RINGFENCE_DATA_DIR",
        "Directory for the embedded stores (SQLite reputation database, caches).",
    ),
    Setting(
        "store",
        "",
        "RINGFENCE_STORE",
        "Reputation store URL: sqlite:///path.db or postgresql://user@host/db "
        "(empty: a SQLite file under data_dir).",
    ),
    Setting(
        "blocklist_signing_key",
        "",
        "RINGFENCE_BLOCKLIST_SIGNING_KEY",
        "Ed25519 private key (PEM file) with which `ringfence serve` signs blocklist exports "
        "(empty: exports are unsigned).",
    ),
    Setting(
        "classify_embeddings",
        "0",
        "RINGFENCE_CLASSIFY_EMBEDDINGS",
        "1 to add the optional embedding stage (multilingual-e5-small) to `ringfence classify` "
        "and POST /v1/messages/classify; needs `pip install 'ringfence[embed]'` and classifies "
        "about 25 to 40 messages a second on one core instead of 2,000.",
    ),
)

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message says which and how to fix it."""


def validate_country(value: str, *, source: str = "home_country") -> str:
    """Return `value` as an upper-case region code known to libphonenumber, or raise."""
    region = value.strip().upper()
    if region == "UK":
        region = "GB"
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise SettingsError(
            f"{source}={value!r} is not a country code that libphonenumber knows; "
            "use a two-letter ISO 3166 code such as BE, FR, PT, GB, IT, ES, DE, NL or US."
        )
    return region


def _flag(value: object, *, source: str = "classify_embeddings") -> bool:
    """A boolean setting from a bool or its text form (1/0, true/false, yes/no, on/off)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SettingsError(f"{source}={value!r} is not a yes/no value; use 1 or 0")


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved settings of one run. Build with `Settings.from_env()` or directly in tests."""

    home_country: str = "BE"
    data_dir: Path = Path("~/.local/share/ringfence")
    store: str = ""
    blocklist_signing_key: str = ""
    classify_embeddings: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "home_country", validate_country(self.home_country))
        object.__setattr__(self, "classify_embeddings", _flag(self.classify_embeddings))
        object.__setattr__(self, "data_dir", Path(self.data_dir).expanduser())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then environment variables, then explicit overrides (e.g. CLI flags).

        An override of None means "not given" and leaves the lower layer in place.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            values[setting.name] = env.get(setting.env, setting.default)
        known = {f.name for f in fields(cls)}
        for name, value in overrides.items():
            if name not in known:
                raise SettingsError(f"unknown setting {name!r}; known: {sorted(known)}")
            if value is not None:
                values[name] = value
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed (validated again)."""
        return replace(self, **changes)
