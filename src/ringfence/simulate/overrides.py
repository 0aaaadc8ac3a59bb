"""Applying JSON overrides to the frozen configuration dataclasses, with clear errors.

Why strict: a misspelt parameter in a configuration file would otherwise be ignored and the run
would silently use the default; here every key must name a parameter and every value must have
the parameter's type (integers stay integers, lists become tuples of the right element type).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date
from typing import Any, TypeVar


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names it and says how to fix it."""


_T = TypeVar("_T")


def apply_overrides(obj: _T, data: Mapping[str, Any], parts: tuple[str, ...]) -> _T:
    """A copy of the dataclass `obj` with `data` applied; `parts` name nested dataclasses."""
    return _apply(obj, data, "", parts)


def _apply(obj: _T, data: Mapping[str, Any], prefix: str, parts: tuple[str, ...]) -> _T:
    known = {f.name: f for f in fields(obj)}  # type: ignore[arg-type]
    changes: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{prefix}{key}"
        if key.startswith("_"):
            continue  # comments in JSON files
        if key not in known:
            raise ConfigError(f"unknown parameter {where!r}; known: {', '.join(sorted(known))}")
        current = getattr(obj, key)
        if key in parts and prefix == "":
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where} must be an object of parameters")
            changes[key] = _apply(current, value, f"{where}.", parts)
        else:
            changes[key] = _coerce(current, value, where)
    try:
        return replace(obj, **changes)  # type: ignore[type-var]
    except TypeError as error:
        raise ConfigError(f"{prefix or 'configuration'}: {error}") from None


def _coerce(current: Any, value: Any, where: str) -> Any:
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, got {value!r}")
        return value
    if isinstance(current, date):
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ConfigError(f"{where} must be a date YYYY-MM-DD, got {value!r}") from None
    if isinstance(current, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} must be an integer, got {value!r}")
        return value
    if isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where} must be a number, got {value!r}")
        return float(value)
    if isinstance(current, tuple):
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{where} must be a list, got {value!r}")
        kind = type(current[0]) if current else str
        for item in value:
            if isinstance(item, bool) or not isinstance(item, kind):
                raise ConfigError(f"{where} must hold {kind.__name__} values, got {item!r}")
        return tuple(value)
    return value
