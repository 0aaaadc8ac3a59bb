"""CSV records in chunks, each with the physical lines it came from.

Why not `csv.reader(open(path))` alone: a reject must name the line where its record starts
(header = line 1) and carry its text, even when a quoted field spans lines or a line could not
be decoded. The parser reads the decoded lines of a `TextSource`, where an unusable line is a
bare line end, so its line count is the physical line count; records are gathered `size` at a
time into a `RecordChunk`, and the text of a row is looked up only when the row is rejected.
"""

from __future__ import annotations

import bisect
import csv
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ringfence.ingest.context import ReadContext
from ringfence.ingest.errors import IngestError
from ringfence.ingest.text import TextSource


def text_of(blocks: list[tuple[int, list[str]]], first: int, last: int) -> str:
    """The text of physical lines `first` to `last` from blocks of numbered lines."""
    starts = [start for start, _ in blocks]
    index = max(bisect.bisect_right(starts, first) - 1, 0)
    parts: list[str] = []
    for start, lines in blocks[index:]:
        if start > last:
            break
        parts.extend(lines[max(first - start, 0) : last - start + 1])
    return "".join(parts)


@dataclass(slots=True)
class RecordChunk:
    """Up to `chunk_rows` records: the first and last physical line and the fields of each,
    and the reasons of the rows rejected whatever their fields (`problems`, by row index).

    The source text of a row is only needed when it is rejected, so it is looked up then, in
    the blocks of lines the chunk was read from."""

    lines: list[int] = field(default_factory=list)
    lasts: list[int] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    problems: dict[int, str] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)
    blocks: list[tuple[int, list[str]]] = field(default_factory=list)

    def add_problem(self, first: int, last: int, reason: str, raw: str) -> None:
        self.problems[len(self.rows)] = reason
        self.texts[len(self.rows)] = raw
        self.lines.append(first)
        self.lasts.append(last)
        self.rows.append([])

    def line_of(self) -> Callable[[int], int]:
        return self.lines.__getitem__

    def raw_of(self) -> Callable[[int], str]:
        def raw(row: int) -> str:
            if row in self.texts:
                return self.texts[row]
            return text_of(self.blocks, self.lines[row], self.lasts[row])

        return raw

    def __len__(self) -> int:
        return len(self.rows)


class CsvRecords:
    """The CSV records (RFC 4180 quoting) of a file, in chunks, with their physical lines."""

    def __init__(self, path: Path, ctx: ReadContext) -> None:
        self.path = path
        self.ctx = ctx
        self.source = TextSource(path, ctx)
        self._reader = csv.reader(itertools.chain.from_iterable(self.source.blocks()))
        self._previous = 0
        self.blank = 0

    def header(self) -> list[str] | None:
        """The first non-blank record (None for a file without one); a clear error when it
        cannot be read."""
        for chunk in self._chunks(1):
            if chunk.problems:
                raise IngestError(
                    f"{self.path}: line {chunk.lines[0]} (the header) cannot be read: "
                    f"{chunk.problems[0]}"
                )
            return chunk.rows[0]
        return None

    def chunks(self, size: int) -> Iterator[RecordChunk]:
        """The records after those already read, `size` at a time."""
        yield from self._chunks(size)
        if self.blank:
            self.ctx.summary.note(f"{self.path.name}: {self.blank} blank line(s) skipped")

    def _chunks(self, size: int) -> Iterator[RecordChunk]:
        reader = self._reader
        problems = self.source.problems
        chunk = RecordChunk()
        lines, lasts, rows = chunk.lines, chunk.lasts, chunk.rows
        while True:
            try:
                for fields in reader:
                    last = reader.line_num
                    first = self._previous + 1
                    self._previous = last
                    if problems and problems[0][0] <= last:
                        self._problem_record(chunk, fields, first, last)
                    elif fields and (len(fields) > 1 or fields[0].strip()):
                        lines.append(first)
                        lasts.append(last)
                        rows.append(fields)
                    else:
                        self.blank += 1
                        continue
                    if len(rows) >= size:
                        chunk.blocks = self.source.handover()
                        yield chunk
                        chunk = RecordChunk()
                        lines, lasts, rows = chunk.lines, chunk.lasts, chunk.rows
                break
            except csv.Error as error:
                first, last = self._previous + 1, reader.line_num
                self._previous = last
                self._flush_problems(chunk, last)
                raw = text_of(self.source.window, first, last)
                chunk.add_problem(first, last, _syntax_reason(error, first, last), raw)
        self._flush_problems(chunk, self.source.count)
        if len(chunk):
            chunk.blocks = self.source.handover()
            yield chunk

    def _problem_record(self, chunk: RecordChunk, fields: list[str], first: int, last: int) -> None:
        """A record at or over lines that could not be read: each such line is a reject, and
        so is a record that spans one."""
        hit = self._flush_problems(chunk, last)
        if fields and not (hit == first == last):
            chunk.add_problem(
                first,
                last,
                f"the record spans lines {first}-{last}, and line {hit} could not be read",
                text_of(self.source.window, first, last),
            )

    def _flush_problems(self, chunk: RecordChunk, last: int) -> int:
        """Move the unreadable lines up to `last` into `chunk`; the last such line number."""
        hit = 0
        problems = self.source.problems
        while problems and problems[0][0] <= last:
            hit, reason, raw = problems.popleft()
            chunk.add_problem(hit, hit, reason, raw)
        return hit


def _syntax_reason(error: csv.Error, first: int, last: int) -> str:
    if "field limit" in str(error):
        return (
            f"a quote opened on line {first} is never closed, so lines {first}-{last} were read "
            f"as one value ({error}); a value holding a comma, a quote or a line break must be "
            "enclosed in double quotes, with its own quotes doubled"
        )
    where = f"line {first}" if first == last else f"lines {first}-{last}"
    return f"CSV syntax error on {where}: {error}"


def columns_of(rows: list[list[str]], width: int, wanted: dict[str, int]) -> dict[str, pa.Array]:
    """Columns `wanted` (name -> field index) of rows that should have `width` fields; a row
    with another count is padded with empty fields or cut (the caller rejects it)."""
    if set(map(len, rows)) != {width}:
        rows = [
            fields if len(fields) == width else (fields + [""] * width)[:width] for fields in rows
        ]
    flat = list(itertools.chain.from_iterable(rows))
    return {name: pa.array(flat[index::width], pa.string()) for name, index in wanted.items()}
