"""Counts of an ingest run, per input and in total: read = written + rejected, always.

Why per input: an operator feeding a day of files wants to see which file had the bad rows.
A directory of Parquet files counts as one input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class FileSummary:
    """What happened to one input path (a file, or a directory of Parquet files)."""

    path: Path
    format: str
    read: int = 0
    written: int = 0
    rejected: int = 0
    notes: list[str] = field(default_factory=list)
    """Things a person should know that are not rejects: ignored columns, inferred fields,
    blank lines skipped, an empty file."""

    tallies: dict[str, int] = field(default_factory=dict)
    """Counted notes: a message with `{n}` and how many rows it concerns (summed over chunks)."""

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def tally(self, message: str, rows: int) -> None:
        """Add `rows` to the counted note `message` (which holds `{n}`)."""
        if rows:
            self.tallies[message] = self.tallies.get(message, 0) + rows

    def describe(self) -> list[str]:
        """Every note, counted ones included, for a person to read."""
        return self.notes + [message.format(n=rows) for message, rows in self.tallies.items()]


@dataclass(slots=True)
class IngestSummary:
    """The whole run: one `FileSummary` per input, the output and the rejects file."""

    files: list[FileSummary] = field(default_factory=list)
    out: Path | None = None
    rejects_path: Path | None = None

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def written(self) -> int:
        return sum(f.written for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def for_path(self, path: Path, fmt: str) -> FileSummary:
        """The summary of `path`, created on first use."""
        for existing in self.files:
            if existing.path == path:
                return existing
        created = FileSummary(path, fmt)
        self.files.append(created)
        return created
