"""Ingest runs: many inputs in, canonical batches (or one Parquet file) out, every row counted.

Why this order: every input is found and its format detected (and a CSV header or a Parquet
schema checked) *before* anything is written, so a typo in the fifth file name does not leave
four files' worth of output behind. The output is written to a hidden `.partial` file and renamed
at the end: a run that stops (an error, `--strict`, Ctrl-C) never leaves a half-written file
under the name a later step reads. The rejects file is written as rows are rejected, and kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ringfence.domain.calls import CALL_SCHEMA
from ringfence.ingest.asterisk import read_asterisk
from ringfence.ingest.canonical import header_positions, read_csv, read_header, read_jsonl
from ringfence.ingest.context import ReadContext
from ringfence.ingest.detect import check_format, detect_format
from ringfence.ingest.errors import IngestError
from ringfence.ingest.freeswitch import read_freeswitch
from ringfence.ingest.options import ReaderOptions
from ringfence.ingest.parquet import is_canonical_parquet, open_parquet, parquet_files, read_parquet
from ringfence.ingest.rejects import RejectSink
from ringfence.ingest.summary import FileSummary, IngestSummary
from ringfence.settings import Settings

ROW_GROUP_ROWS = 128 * 1024
"""Rows per Parquet row group of the output: batches are gathered up to this size, because
engines read many small row groups slowly; ~20 MB of Arrow data at most."""

Reader = Callable[[Path, ReadContext], Iterator[pa.RecordBatch]]
READERS: dict[str, Reader] = {
    "csv": read_csv,
    "jsonl": read_jsonl,
    "parquet": read_parquet,
    "asterisk": read_asterisk,
    "freeswitch": read_freeswitch,
}


def rejects_path_for(out: Path) -> Path:
    """`calls.parquet` -> `calls.rejects.csv`, next to the output."""
    return out.with_name(out.stem + ".rejects.csv")


def resolve_inputs(
    paths: Sequence[Path], fmt: str | None, options: ReaderOptions, settings: Settings
) -> list[tuple[Path, str]]:
    """Each input with its format; raises IngestError for a missing or unusable input."""
    if not paths:
        raise IngestError("no input given: name one or more call-record files or directories")
    forced = check_format(fmt) if fmt is not None else None
    inputs: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            raise IngestError(f"{path}: no such file or directory")
        kind = forced or detect_format(path, options.encoding)
        if kind != "parquet" and path.is_dir():
            raise IngestError(f"{path}: is a directory; only Parquet can be read from a directory")
        _preflight(path, kind, options, settings)
        inputs.append((path, kind))
    return inputs


def _preflight(path: Path, kind: str, options: ReaderOptions, settings: Settings) -> None:
    """Check what can be checked without reading rows: a CSV header, Parquet schemas."""
    if kind == "parquet":
        for file in parquet_files(path):
            open_parquet(file)
    elif kind == "csv":
        ctx = ReadContext(settings, options, RejectSink(), FileSummary(path, kind))
        header = read_header(path, ctx)
        if header is not None:
            header_positions(path, header)


def iter_calls(
    paths: Sequence[Path],
    settings: Settings,
    *,
    strict: bool = False,
    fmt: str | None = None,
    options: ReaderOptions | None = None,
    rejects: RejectSink,
    summary: IngestSummary | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[pa.RecordBatch]:
    """Record batches with exactly CALL_SCHEMA, read from every input in order.

    Rejected rows go to `rejects`; counts per input go to `summary` when given. `strict` raises
    `StrictIngestError` at the first rejected row; a file that cannot be read at all raises
    `IngestError`. `progress` receives the input bytes consumed, as they are consumed.
    """
    options = options or ReaderOptions()
    summary = summary if summary is not None else IngestSummary()
    for path, kind in resolve_inputs(paths, fmt, options, settings):
        file_summary = summary.for_path(path, kind)
        if kind == "empty":
            file_summary.note(f"{path.name}: empty file, no rows")
            continue
        ctx = ReadContext(settings, options, rejects, file_summary, strict, progress)
        for batch in READERS[kind](path, ctx):
            if batch.num_rows:
                yield batch
            del batch


def ingest_files(
    paths: Sequence[Path],
    out: Path,
    settings: Settings,
    *,
    strict: bool = False,
    fmt: str | None = None,
    options: ReaderOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Convert every input to one canonical Parquet file `out` (zstd), rejects beside it in
    `<out stem>.rejects.csv` (always written, header only when nothing was rejected)."""
    if out.exists() and out.is_dir():
        raise IngestError(f"{out}: is a directory; --out takes a file name such as calls.parquet")
    options = options or ReaderOptions()
    resolve_inputs(paths, fmt, options, settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    summary = IngestSummary(out=out, rejects_path=rejects_path_for(out))
    pending: list[pa.RecordBatch] = []
    try:
        with (
            RejectSink(summary.rejects_path) as sink,
            pq.ParquetWriter(partial, CALL_SCHEMA, compression="zstd") as writer,
        ):
            for batch in iter_calls(
                paths,
                settings,
                strict=strict,
                fmt=fmt,
                options=options,
                rejects=sink,
                summary=summary,
                progress=progress,
            ):
                pending.append(batch)
                del batch
                if sum(b.num_rows for b in pending) >= ROW_GROUP_ROWS:
                    writer.write_table(pa.Table.from_batches(pending), ROW_GROUP_ROWS)
                    pending.clear()
            if pending:
                writer.write_table(pa.Table.from_batches(pending), ROW_GROUP_ROWS)
                pending.clear()
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def parquet_glob(path: Path) -> str:
    """What an engine reads for `path`: the file, or `<dir>/**/*.parquet` for a directory
    (DuckDB `read_parquet(..., hive_partitioning = true)`, Spark `spark.read.parquet`)."""
    return f"{path}/**/*.parquet" if path.is_dir() else str(path)


def canonical_parquet_sources(
    paths: Sequence[Path], workdir: Path, settings: Settings, **kw: Any
) -> tuple[list[Path], IngestSummary | None]:
    """Parquet files or directories an engine can read as they are.

    Inputs that are already canonical Parquet (the full CALL_SCHEMA in every file) are returned
    untouched; all the others are ingested together into `workdir/ingested.parquet` (keyword
    arguments as for `ingest_files`), whose summary is returned (None when nothing was
    ingested). Use `parquet_glob` to turn a returned directory into a glob.
    """
    ready: list[Path] = []
    others: list[Path] = []
    for path in paths:
        if not path.exists():
            raise IngestError(f"{path}: no such file or directory")
        if kw.get("fmt") in (None, "parquet") and is_canonical_parquet(path):
            ready.append(path)
        else:
            others.append(path)
    if not others:
        return ready, None
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / "ingested.parquet"
    summary = ingest_files(others, out, settings, **kw)
    return [*ready, out], summary
