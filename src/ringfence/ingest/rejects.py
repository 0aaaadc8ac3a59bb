"""Rejected rows: where they came from, why, and what they said; written as they happen.

Why a sink that writes at once: a file with millions of bad rows must not hold them in memory,
and a run that is interrupted still leaves the rejects seen so far on disk. The sink also keeps
the first few rejects in memory so that a summary (or a test) can show them.

Columns of the rejects file: `file, line, reason, raw` where `line` is the 1-based physical line
of the record in its source file (the header is line 1) or the row number in a Parquet file.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from _csv import Writer

REJECT_COLUMNS = ("file", "line", "reason", "raw")
MAX_RAW_CHARS = 2000
"""A one-line reject keeps at most this much of its source text: a garbage line can be long."""
MAX_MULTILINE_CHARS = 100_000
"""A reject spanning several lines (an unbalanced quote swallows up to 128 KiB of following
lines) keeps this much, so that the swallowed records stay in view; below the 131,072-character
field limit of Python's csv module, so that the rejects file stays readable with it (the reason
names the whole line range)."""


@dataclass(frozen=True, slots=True)
class Reject:
    """One rejected row."""

    file: str
    line: int
    reason: str
    raw: str


def clip(raw: str) -> str:
    """The raw text of a reject, cut to `MAX_RAW_CHARS` with a note of what was cut."""
    raw = raw.rstrip("\r\n")
    limit = MAX_MULTILINE_CHARS if "\n" in raw else MAX_RAW_CHARS
    if len(raw) <= limit:
        return raw
    return raw[:limit] + f"...[{len(raw) - limit} more characters]"


class RejectSink:
    """Collects rejects: counts them per file, writes them to `path` (CSV) when given, and keeps
    the first `keep` in `examples`.

    >>> sink = RejectSink()
    >>> sink.add("a.csv", 3, "ring_s '-1' is negative", "c1,...")
    >>> sink.total, sink.counts["a.csv"], sink.examples[0].line
    (1, 1, 3)
    """

    def __init__(self, path: Path | None = None, *, keep: int = 100) -> None:
        self.path = path
        self.keep = keep
        self.counts: Counter[str] = Counter()
        self.examples: list[Reject] = []
        self._handle: IO[str] | None = None
        self._writer: Writer | None = None
        if path is not None:
            self._handle = path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(REJECT_COLUMNS)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, file: str, line: int, reason: str, raw: str) -> None:
        """Record one rejected row."""
        reject = Reject(file, line, reason, clip(raw))
        self.counts[file] += 1
        if len(self.examples) < self.keep:
            self.examples.append(reject)
        if self._writer is not None:
            self._writer.writerow((reject.file, reject.line, reject.reason, reject.raw))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._writer = None

    def __enter__(self) -> RejectSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
