"""The canonical call record: one Arrow schema that every reader produces and every engine reads.

Why one schema: detectors run on DuckDB and on Spark; both read the same Parquet, so the
columns, their types and their meaning are fixed here once. A record has three parts:

- the **input columns** that a canonical CSV / Parquet / JSON Lines file carries
  (`INPUT_COLUMNS`, the format documented in the README);
- the **raw forms** of the two numbers as they arrived (`caller_raw`, `callee_raw`), kept beside
  the normalised E.164 forms so an analyst can always see what the switch recorded;
- the **numbering-plan enrichment** of each number (country, type, validity), computed once on
  ingest with libphonenumber so that engines without it (SQL, Spark) can use it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import pyarrow as pa


class Direction(StrEnum):
    """Seen from the operator's network."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    TRANSIT = "transit"


class Ingress(StrEnum):
    """Where an inbound call entered the network: a national interconnect or an international
    gateway. A national CLI on international ingress is the mark of spoofing (or roaming)."""

    NATIONAL = "national"
    INTERNATIONAL = "international"


class ReleasedBy(StrEnum):
    CALLER = "caller"
    CALLEE = "callee"
    NETWORK = "network"
    UNKNOWN = "unknown"


class Attestation(StrEnum):
    """STIR/SHAKEN attestation level of the call's PASSporT, or none."""

    A = "A"
    B = "B"
    C = "C"
    NONE = "none"


TIMESTAMP_TYPE: Final = pa.timestamp("us", tz="UTC")

INPUT_COLUMNS: Final[tuple[str, ...]] = (
    "call_id",
    "start",
    "caller",
    "callee",
    "direction",
    "ingress",
    "ring_s",
    "answered",
    "duration_s",
    "released_by",
    "attestation",
    "carrier",
)
"""Columns of the canonical input formats, in order. `carrier` may be absent or empty."""

REQUIRED_INPUT_COLUMNS: Final = tuple(c for c in INPUT_COLUMNS if c != "carrier")

ENRICHMENT_COLUMNS: Final[tuple[str, ...]] = (
    "caller_country",
    "caller_type",
    "caller_valid",
    "callee_country",
    "callee_type",
    "callee_valid",
)

CALL_SCHEMA: Final = pa.schema(
    [
        pa.field("call_id", pa.string(), nullable=False),
        pa.field("start", TIMESTAMP_TYPE, nullable=False),
        pa.field("caller", pa.string(), nullable=False),
        pa.field("callee", pa.string(), nullable=False),
        pa.field("direction", pa.string(), nullable=False),
        pa.field("ingress", pa.string(), nullable=False),
        pa.field("ring_s", pa.float32(), nullable=False),
        pa.field("answered", pa.bool_(), nullable=False),
        pa.field("duration_s", pa.float32(), nullable=False),
        pa.field("released_by", pa.string(), nullable=False),
        pa.field("attestation", pa.string(), nullable=False),
        pa.field("carrier", pa.string(), nullable=True),
        pa.field("caller_raw", pa.string(), nullable=False),
        pa.field("callee_raw", pa.string(), nullable=False),
        # ISO region of the number (BE, IT...), null when unknown (anonymous, +800...).
        pa.field("caller_country", pa.string(), nullable=True),
        # NumberType value: fixed_line, mobile, premium_rate, emergency, anonymous...
        pa.field("caller_type", pa.string(), nullable=False),
        # True when the numbering plan allocates the number (short and emergency numbers too).
        pa.field("caller_valid", pa.bool_(), nullable=False),
        pa.field("callee_country", pa.string(), nullable=True),
        pa.field("callee_type", pa.string(), nullable=False),
        pa.field("callee_valid", pa.bool_(), nullable=False),
    ]
)
"""The canonical schema of a call record, as written to Parquet by ingest and simulate."""

TRUTH_SCHEMA: Final = pa.schema(
    [
        pa.field("call_id", pa.string(), nullable=False),
        pa.field("campaign_id", pa.string(), nullable=False),
        pa.field("campaign_kind", pa.string(), nullable=False),
    ]
)
"""Ground truth of the simulator: which planted campaign each call belongs to."""


def empty_calls() -> pa.Table:
    """A table with the canonical schema and no rows."""
    return CALL_SCHEMA.empty_table()
