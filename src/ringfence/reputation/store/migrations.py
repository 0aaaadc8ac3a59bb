"""Versioned schema migrations: numbered SQL files per dialect, applied in order at open.

Why numbered files and a `schema_version` table: a store created by an older ringfence must be
brought forward without losing data, and two workers opening a new store at once must not both
migrate it (the caller holds a lock: BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL).
The files live in `ringfence/data/migrations/<dialect>/NNNN_name.sql`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

SCHEMA_VERSION_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL)"
)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def migrations(dialect: str) -> list[Migration]:
    """The migrations of `dialect` (`sqlite` or `postgresql`), in version order."""
    folder = resources.files("ringfence").joinpath("data").joinpath("migrations").joinpath(dialect)
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match is None:
            continue
        found.append(
            Migration(int(match.group(1)), match.group(2), split_statements(entry.read_text()))
        )
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations of {dialect} are not numbered 1..n: {versions}")
    return found


def split_statements(script: str) -> tuple[str, ...]:
    """The statements of a script: comment lines dropped, split at semicolons that end a line."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    parts = "\n".join(lines).split(";\n")
    return tuple(p.strip().rstrip(";").strip() for p in parts if p.strip().rstrip(";").strip())
