"""Small hand-written call records for detector tests: one line per call, enrichment by
libphonenumber (as ingest does), written to Parquet for the engines."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ringfence.domain.calls import CALL_SCHEMA
from ringfence.domain.numbers import Validity, parse_number

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
_ids = itertools.count(1)


@dataclass
class CallLog:
    """Accumulates calls; `write(dir)` stores them as canonical Parquet."""

    home: str = "BE"
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        caller: str,
        callee: str,
        at: datetime | timedelta,
        *,
        direction: str = "inbound",
        ingress: str = "national",
        ring_s: float = 5.0,
        answered: bool = True,
        duration_s: float = 60.0,
        released_by: str = "callee",
        attestation: str = "A",
        carrier: str | None = "be-nat-1",
        call_id: str | None = None,
    ) -> str:
        start = T0 + at if isinstance(at, timedelta) else at
        call_id = call_id or f"t{next(_ids):07d}"
        row: dict[str, Any] = {
            "call_id": call_id,
            "start": start,
            "direction": direction,
            "ingress": ingress,
            "ring_s": ring_s,
            "answered": answered,
            "duration_s": duration_s if answered else 0.0,
            "released_by": released_by,
            "attestation": attestation,
            "carrier": carrier,
        }
        for side, raw in (("caller", caller), ("callee", callee)):
            number = parse_number(raw, self.home)
            row[side] = number.e164
            row[f"{side}_raw"] = raw
            row[f"{side}_country"] = number.country
            row[f"{side}_type"] = number.type.value
            row[f"{side}_valid"] = number.validity is Validity.VALID
        self.rows.append(row)
        return call_id

    def table(self) -> pa.Table:
        return pa.Table.from_pylist(self.rows, schema=CALL_SCHEMA)

    def write(self, directory: Path, name: str = "calls.parquet") -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / name
        pq.write_table(self.table(), path)
        return path


def be_mobile(i: int) -> str:
    """A valid Belgian mobile number, distinct for each i < 10^6."""
    return f"+32470{i:06d}"


def be_fixed(i: int) -> str:
    """A valid Brussels fixed number, distinct for each i < 10^6."""
    return f"+3225{i:06d}"
