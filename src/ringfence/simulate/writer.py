"""Writing the simulated calls: one Parquet file, or a hive-partitioned directory by UTC day.

Why a streaming writer: tables arrive in time order, a chunk at a time, and go to disk as row
groups (`pyarrow.parquet.ParquetWriter`), so memory stays bounded whatever the number of calls.
With partitioning, rows go to `calls/day=YYYY-MM-DD/part-NNNN.parquet` (the UTC day of `start`,
the day detectors and engines such as DuckDB and Spark prune on).
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ringfence.domain.calls import CALL_SCHEMA

US_PER_DAY = 86_400_000_000
MAX_ROWS_PER_FILE = 20_000_000
"""A day's partition gets a new part file after this many rows."""

OUTPUT_NAMES = ("calls.parquet", "truth.parquet", "campaigns.json", "roaming.csv")
DICTIONARY_COLUMNS = (
    "direction",
    "ingress",
    "released_by",
    "attestation",
    "carrier",
    "caller_country",
    "caller_type",
    "callee_country",
    "callee_type",
)
"""Low-cardinality columns: dictionary-encoded. Numbers and ids are not (their dictionaries
would overflow and fall back, after costing the time to build them)."""
STATISTICS_COLUMNS = ("call_id", "start", "caller", "callee")
"""Columns with min/max statistics (what readers prune row groups on)."""


def clear_previous(out_dir: Path) -> None:
    """Remove the outputs of an earlier simulation in `out_dir`, and nothing else.

    Stale day partitions would otherwise mix with the new ones when the directory is read.
    """
    for name in OUTPUT_NAMES:
        (out_dir / name).unlink(missing_ok=True)
    calls = out_dir / "calls"
    if calls.is_dir():
        for part in calls.glob("day=*/part-*.parquet"):
            part.unlink()
        for day in calls.glob("day=*"):
            if day.is_dir() and not any(day.iterdir()):
                day.rmdir()
        if not any(calls.iterdir()):
            calls.rmdir()


class CallsWriter:
    """Buffers tables of calls (in time order) and writes row groups of `row_group_rows`."""

    def __init__(self, out_dir: Path, partition_by_day: bool, row_group_rows: int) -> None:
        self.out_dir = out_dir
        self.partition_by_day = partition_by_day
        self.row_group_rows = row_group_rows
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        self._single: pq.ParquetWriter | None = None
        self._open: dict[str, tuple[pq.ParquetWriter, int, int]] = {}
        """day -> (writer, part number, rows in that part)."""
        self.files: list[Path] = []
        self.rows = 0

    @property
    def path(self) -> Path:
        """What readers open: the file, or the partitioned directory."""
        return self.out_dir / ("calls" if self.partition_by_day else "calls.parquet")

    def add(self, table: pa.Table) -> None:
        self._buffer.append(table)
        self._buffered += table.num_rows
        if self._buffered >= self.row_group_rows:
            self._flush()

    def _flush(self) -> None:
        if not self._buffered:
            return
        table = pa.concat_tables(self._buffer)  # chunks are written as they are: no copy
        self._buffer, self._buffered = [], 0
        self.rows += table.num_rows
        if self.partition_by_day:
            self._write_days(table)
        else:
            if self._single is None:
                self._single = self._writer(self.path)
            self._single.write_table(table, row_group_size=max(table.num_rows, 1))

    def _writer(self, path: Path) -> pq.ParquetWriter:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(path)
        return pq.ParquetWriter(
            path,
            CALL_SCHEMA,
            compression="snappy",
            use_dictionary=list(DICTIONARY_COLUMNS),
            write_statistics=list(STATISTICS_COLUMNS),
        )

    def _write_days(self, table: pa.Table) -> None:
        start = table.column("start").to_numpy().astype("datetime64[us]").astype(np.int64)
        day = start // US_PER_DAY
        bounds = np.flatnonzero(np.diff(day)) + 1
        edges = [0, *bounds.tolist(), table.num_rows]
        for lo, hi in itertools.pairwise(edges):
            label = str(np.datetime64(int(day[lo]), "D"))
            self._close_days_before(label)
            self._write_day(label, table.slice(lo, hi - lo))

    def _write_day(self, label: str, part: pa.Table) -> None:
        writer, number, rows = self._open.get(label, (None, -1, 0))
        if writer is None or rows >= MAX_ROWS_PER_FILE:
            if writer is not None:
                writer.close()
            number += 1
            path = self.out_dir / "calls" / f"day={label}" / f"part-{number:04d}.parquet"
            writer, rows = self._writer(path), 0
        writer.write_table(part, row_group_size=max(part.num_rows, 1))
        self._open[label] = (writer, number, rows + part.num_rows)

    def _close_days_before(self, label: str) -> None:
        for day in [d for d in self._open if d < label]:
            self._open.pop(day)[0].close()

    def close(self) -> list[Path]:
        self._flush()
        if self._single is not None:
            self._single.close()
        elif not self.partition_by_day:
            self._writer(self.path).close()  # no rows: still a valid, empty file
        for writer, _, _ in self._open.values():
            writer.close()
        self._open.clear()
        return self.files

    def close_quietly(self) -> None:
        """Close open files without flushing the buffer (after a failure)."""
        self._buffer, self._buffered = [], 0
        writers = [w for w, _, _ in self._open.values()]
        if self._single is not None:
            writers.append(self._single)
        for writer in writers:
            with contextlib.suppress(Exception):  # the files are being discarded anyway
                writer.close()
        self._open.clear()
        self._single = None


class BackgroundWriter:
    """Runs a `CallsWriter` in a thread, so that writing overlaps generating the next chunk.

    Parquet encoding and compression release the GIL, so on two cores the write of chunk k
    runs while chunk k+1 is generated. The queue holds at most `depth` tables (bounded memory);
    an error in the thread is raised again in the caller at the next `add` or at `close`.
    """

    def __init__(self, writer: CallsWriter, depth: int = 2) -> None:
        self.writer = writer
        self._queue: queue.Queue[pa.Table | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="simulate-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            table = self._queue.get()
            if table is None:
                return
            if self._error is None:
                try:
                    self.writer.add(table)
                except BaseException as error:  # re-raised in the caller
                    self._error = error

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def add(self, table: pa.Table) -> None:
        self._check()
        self._queue.put(table)

    def close(self) -> list[Path]:
        self._queue.put(None)
        self._thread.join()
        self._check()
        return self.writer.close()

    def abandon(self) -> None:
        """Stop the thread after a failure elsewhere (files are removed by the caller)."""
        self._error = self._error or RuntimeError("abandoned")
        self._queue.put(None)
        self._thread.join()
        self.writer.close_quietly()
