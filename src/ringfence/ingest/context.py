"""The state a reader shares with the pipeline: settings, options, the rejects sink and counts.

Why one object: every reader must count each row it sees exactly once, as written or as
rejected, so that read = written + rejected holds by construction; `accept` and `reject` are the
only two ways a row leaves a reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ringfence.ingest.errors import StrictIngestError
from ringfence.ingest.options import ReaderOptions
from ringfence.ingest.rejects import RejectSink
from ringfence.ingest.summary import FileSummary
from ringfence.settings import Settings

TRUNCATION_HINT = (
    " (this is the last line of the file and it has no line end: the file may be truncated)"
)


@dataclass(slots=True)
class ReadContext:
    """One input being read: where rows go and how they are counted."""

    settings: Settings
    options: ReaderOptions
    sink: RejectSink
    summary: FileSummary
    strict: bool = False
    progress: Callable[[int], None] | None = None
    unterminated_line: dict[Path, int] = field(default_factory=dict)
    """Per source file, the number of its last line when that line has no line end."""

    def reject(self, source: Path, line: int, reason: str, raw: str) -> None:
        """Count one rejected row and send it to the sink; raise at once when strict."""
        if self.unterminated_line.get(source) == line:
            reason += TRUNCATION_HINT
        self.summary.read += 1
        self.summary.rejected += 1
        self.sink.add(str(source), line, reason, raw)
        if self.strict:
            raise StrictIngestError(source, line, reason)

    def accept(self, rows: int) -> None:
        """Count rows that reached the output."""
        self.summary.read += rows
        self.summary.written += rows

    def advance(self, nbytes: int) -> None:
        """Report input bytes consumed to the progress callback, if any."""
        if self.progress is not None and nbytes > 0:
            self.progress(nbytes)
