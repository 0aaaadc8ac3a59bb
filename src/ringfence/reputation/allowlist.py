"""The allow-list: verified numbers (banks' and public services' registered numbers, emergency
numbers) that reports alone can never make `scam` and that are never blocklisted.

Why a data file with sources: "this is Card Stop's number" must be checkable by anyone; each row
of `ringfence/data/allowlist.csv` names where the number is published and when it was read.
Operators add their own verified numbers to the store (`ringfence allowlist add`); both merge.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ringfence.domain.numbers import NumberError, parse_number


@dataclass(frozen=True, slots=True)
class AllowlistEntry:
    number: str
    """Canonical form: E.164, or the dialled digits of a short number."""
    country: str
    holder: str
    kind: str
    source: str
    checked: str


class AllowlistError(ValueError):
    """A row of an allow-list file cannot be read; the message names the file and line."""


class Allowlist:
    """Verified numbers by canonical form."""

    def __init__(self, entries: Iterable[AllowlistEntry] = ()) -> None:
        self._by_number: dict[str, AllowlistEntry] = {}
        for entry in entries:
            self._by_number.setdefault(entry.number, entry)

    def holder(self, number: str) -> str | None:
        """The registered holder of `number` (canonical form), or None."""
        entry = self._by_number.get(number)
        return entry.holder if entry else None

    def entry(self, number: str) -> AllowlistEntry | None:
        return self._by_number.get(number)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and number in self._by_number

    def __len__(self) -> int:
        return len(self._by_number)

    def entries(self) -> list[AllowlistEntry]:
        return sorted(self._by_number.values(), key=lambda e: (e.country, e.number))

    def merged(self, extra: Iterable[AllowlistEntry]) -> Allowlist:
        """A new allow-list with `extra` entries added (existing numbers keep their entry)."""
        return Allowlist([*self._by_number.values(), *extra])

    @classmethod
    def default(cls) -> Allowlist:
        """The allow-list shipped in `ringfence/data/allowlist.csv`."""
        return _default()

    @classmethod
    def from_csv(cls, path: Path) -> Allowlist:
        return cls(read_allowlist(path.read_text(encoding="utf-8"), str(path)))


def read_allowlist(text: str, name: str) -> list[AllowlistEntry]:
    """Rows of an allow-list CSV (comment lines start with #); raises `AllowlistError`."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    needed = {"number", "country", "holder", "kind", "source", "checked"}
    if reader.fieldnames is None or not needed <= set(reader.fieldnames):
        raise AllowlistError(f"{name}: the header must name the columns {sorted(needed)}")
    entries = []
    for index, row in enumerate(reader, start=2):
        try:
            number = parse_number(row["number"], row["country"]).e164
        except NumberError as error:
            raise AllowlistError(f"{name}, row {index}: {error}") from None
        entries.append(
            AllowlistEntry(
                number, row["country"], row["holder"], row["kind"], row["source"], row["checked"]
            )
        )
    return entries


@lru_cache(maxsize=1)
def _default() -> Allowlist:
    text = (
        resources.files("ringfence").joinpath("data").joinpath("allowlist.csv").read_text("utf-8")
    )
    return Allowlist(read_allowlist(text, "ringfence/data/allowlist.csv"))
