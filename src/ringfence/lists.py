"""Operator lists that several parts read: the do-not-originate list and number allow-lists.

Why one module: the detectors, the screener and the simulator all read the shipped
do-not-originate lists (`src/ringfence/data/do_not_originate/<CC>.csv`, each row with its
source); one reader keeps their format and error messages in one place.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ringfence.domain.numbers import NumberError, parse_number

__all__ = ["DoNotOriginateEntry", "load_do_not_originate", "load_number_list"]


@dataclass(frozen=True)
class DoNotOriginateEntry:
    """An inbound-only number (a bank's, the police's...) that never places calls."""

    number: str
    holder: str
    category: str
    source: str


def load_do_not_originate(path: Path | None, home_country: str) -> dict[str, DoNotOriginateEntry]:
    """Read a do-not-originate CSV (`number, holder, category, source`; `#` lines are comments).

    Without a path, the list shipped for the home country (src/ringfence/data/do_not_originate/)
    is used when there is one. Numbers are normalised with the home country.
    """
    if path is None:
        shipped = resources.files("ringfence") / "data" / "do_not_originate" / f"{home_country}.csv"
        if not shipped.is_file():
            return {}
        text = shipped.read_text(encoding="utf-8")
        origin = f"ringfence data do_not_originate/{home_country}.csv"
    else:
        text = path.read_text(encoding="utf-8")
        origin = str(path)
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    entries: dict[str, DoNotOriginateEntry] = {}
    for line_no, row in enumerate(csv.DictReader(rows), start=2):
        raw = (row.get("number") or "").strip()
        try:
            number = parse_number(raw, home_country).e164
        except NumberError as error:
            raise ValueError(f"{origin}, row {line_no}: {error}") from None
        entries[number] = DoNotOriginateEntry(
            number,
            (row.get("holder") or "").strip(),
            (row.get("category") or "").strip(),
            (row.get("source") or "").strip(),
        )
    return entries


def load_number_list(path: Path, home_country: str) -> frozenset[str]:
    """A file of numbers, one a line (or the first CSV column); `#` lines are comments."""
    numbers: set[str] = set()
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        cell = line.split(",", 1)[0].strip()
        if not cell or cell.startswith("#") or cell.lower() == "number":
            continue
        try:
            numbers.add(parse_number(cell, home_country).e164)
        except NumberError as error:
            raise ValueError(f"{path}:{line_no}: {error}") from None
    return frozenset(numbers)
