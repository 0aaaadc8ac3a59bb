"""Errors of ingest: a file that cannot be read as a whole, and the first bad row under --strict.

Why two kinds: a bad *row* is data (it is rejected, counted and kept in the rejects file, and the
run goes on); a bad *file* (missing columns, binary content, an unknown format) cannot be turned
into rows at all, so it stops the run with a message that names the file, says what is wrong and
how to fix it. `StrictIngestError` is the first bad row when the caller asked for `strict`.
"""

from __future__ import annotations

from pathlib import Path


class IngestError(ValueError):
    """A file (or an option) that cannot be ingested; the message says what, where and the fix."""


class StrictIngestError(IngestError):
    """The first rejected row of a strict run: `file:line: reason`."""

    def __init__(self, file: Path | str, line: int, reason: str) -> None:
        self.file = str(file)
        self.line = line
        self.reason = reason
        super().__init__(f"{self.file}:{line}: {reason} (stopped by --strict)")
