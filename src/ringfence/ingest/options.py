"""Options of the readers: what a call-detail record does not say, and how to read the bytes.

Why options and not guesses alone: Asterisk and FreeSWITCH CDRs do not record whether a call
entered the network through an international gateway, and they write local time without a zone.
An operator knows both for each file (one file per gateway, the PBX's time zone); the options let
them say it, and the documented inference is only the fallback.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ringfence.domain.calls import Direction, Ingress
from ringfence.ingest.errors import IngestError

DEFAULT_CHUNK_ROWS = 25_000
"""Rows per chunk. A chunk is held as Python strings while it is parsed (about 1-2 KB a row of
memory, freed before the next chunk), then converted with Arrow compute; 25k rows measured
faster than 100k and half the peak memory (bench/README.md)."""


@dataclass(frozen=True, slots=True)
class ReaderOptions:
    """How to read the input files.

    - `direction`, `ingress`: applied to every Asterisk/FreeSWITCH row (they lack these fields);
      None means inferred (see docs/ingest.md). Canonical files carry their own values.
    - `timezone`: IANA zone of timestamps written without an offset (PBX local time, or a
      canonical `start` without zone). Default UTC.
    - `encoding`: None detects UTF-8 (with or without BOM) and UTF-16 (with BOM); otherwise a
      Python codec name such as `latin-1` or `cp1252`.
    - `chunk_rows`: rows converted and written at a time (memory bound).
    """

    direction: Direction | None = None
    ingress: Ingress | None = None
    timezone: str = "UTC"
    encoding: str | None = None
    chunk_rows: int = DEFAULT_CHUNK_ROWS

    def __post_init__(self) -> None:
        try:
            if self.direction is not None:
                object.__setattr__(self, "direction", Direction(self.direction))
            if self.ingress is not None:
                object.__setattr__(self, "ingress", Ingress(self.ingress))
        except ValueError as error:
            raise IngestError(
                f"{error}; direction is one of {', '.join(Direction)} and ingress one of "
                f"{', '.join(Ingress)}"
            ) from None
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise IngestError(
                f"time zone {self.timezone!r} is unknown; give an IANA name such as UTC, "
                "Europe/Brussels or America/New_York"
            ) from None
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise IngestError(
                    f"encoding {self.encoding!r} is unknown; use utf-8, latin-1, cp1252 or utf-16"
                ) from None
        if self.chunk_rows < 1:
            raise IngestError(f"chunk_rows must be at least 1, not {self.chunk_rows}")
