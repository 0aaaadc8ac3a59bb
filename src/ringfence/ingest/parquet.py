"""Parquet inputs: canonical files pass through, files with the input columns are converted.

Why a fast path: `ringfence simulate` and `ringfence ingest` write the full CALL_SCHEMA, already
normalised; reading it again through libphonenumber would waste minutes on a big day. Such a
file is only checked: its schema (names and types), then, per batch and with Arrow compute,
that required columns have no nulls, that the enumerations hold known values and that
durations are not negative. A Parquet file with only the input columns (`INPUT_COLUMNS`) is
converted like a canonical CSV. A directory is read file by file (`**/*.parquet`, including
hive-partitioned `day=YYYY-MM-DD/` folders; names starting with `.` or `_` are skipped).

In rejects from Parquet, `line` is the 1-based row number in the file and `raw` the row as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ringfence.domain.calls import CALL_SCHEMA, INPUT_COLUMNS, REQUIRED_INPUT_COLUMNS
from ringfence.ingest.canonical import (
    ATTESTATIONS,
    DIRECTIONS,
    INGRESSES,
    RELEASED_BY,
    convert_canonical,
)
from ringfence.ingest.context import ReadContext
from ringfence.ingest.errors import IngestError
from ringfence.ingest.values import RowErrors

PARQUET_MAGIC = b"PAR1"
_ENUMS = {
    "direction": DIRECTIONS,
    "ingress": INGRESSES,
    "released_by": RELEASED_BY,
    "attestation": {value: value for value in ATTESTATIONS.values()},
}


def parquet_files(path: Path) -> list[Path]:
    """The Parquet files of `path`: itself, or those under a directory (sorted)."""
    if path.is_file():
        return [path]
    files = sorted(
        candidate
        for candidate in path.rglob("*.parquet")
        if candidate.is_file()
        and not any(part.startswith((".", "_")) for part in candidate.relative_to(path).parts)
    )
    if not files:
        raise IngestError(
            f"{path}: the directory holds no *.parquet file (sub-folders included); give call "
            "files or a directory of Parquet files"
        )
    return files


def open_parquet(path: Path) -> pq.ParquetFile:
    """Open a Parquet file or raise a clear error."""
    try:
        return pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise IngestError(
            f"{path}: not a readable Parquet file ({error}); check the file is complete, or "
            "pass --format for a text file"
        ) from None


def is_canonical_schema(schema: pa.Schema) -> bool:
    """True when `schema` has every CALL_SCHEMA column with its type (extra columns allowed)."""
    for field in CALL_SCHEMA:
        index = schema.get_field_index(field.name)
        if index < 0:
            return False
        found = schema.field(index).type
        if found != field.type and not (
            pa.types.is_timestamp(field.type) and _is_zoned_timestamp(found)
        ):
            return False
    return True


def _is_zoned_timestamp(kind: pa.DataType) -> bool:
    return pa.types.is_timestamp(kind) and kind.tz is not None


def is_canonical_parquet(path: Path) -> bool:
    """True when `path` (a file or a directory) is Parquet with the full CALL_SCHEMA in every
    file: engines can read it as it is."""
    try:
        files = parquet_files(path)
    except IngestError:
        return False
    for file in files:
        with file.open("rb") as handle:
            if handle.read(4) != PARQUET_MAGIC:
                return False
        if not is_canonical_schema(open_parquet(file).schema_arrow):
            return False
    return True


def read_parquet(path: Path, ctx: ReadContext) -> Iterator[pa.RecordBatch]:
    """Batches of a Parquet file or directory (see the module docstring)."""
    files = parquet_files(path)
    total = sum(file.stat().st_size for file in files)
    if len(files) > 1:
        ctx.summary.note(f"{path.name}: {len(files)} Parquet files")
    for file in files:
        parquet = open_parquet(file)
        schema = parquet.schema_arrow
        rows = max(parquet.metadata.num_rows, 1)
        size = file.stat().st_size
        if is_canonical_schema(schema):
            batches = _checked(parquet, file, ctx)
        else:
            batches = _converted(parquet, schema, file, ctx)
        for batch, consumed in batches:
            ctx.advance(size * consumed // rows if total else 0)
            yield batch


def _converted(
    parquet: pq.ParquetFile, schema: pa.Schema, file: Path, ctx: ReadContext
) -> Iterator[tuple[pa.RecordBatch, int]]:
    names = set(schema.names)
    missing = [column for column in REQUIRED_INPUT_COLUMNS if column not in names]
    if missing:
        raise IngestError(
            f"{file}: the Parquet file lacks the column(s) {', '.join(missing)}; it needs either "
            f"the input columns {', '.join(INPUT_COLUMNS)} (carrier optional) or the full "
            "canonical schema written by `ringfence ingest` and `ringfence simulate`"
        )
    present = [column for column in INPUT_COLUMNS if column in names]
    offset = 0
    for batch in parquet.iter_batches(batch_size=ctx.options.chunk_rows, columns=present):
        columns = {name: batch.column(name) for name in present}
        yield (
            convert_canonical(
                ctx, file, columns, line_of=_row_number(offset), raw_of=_row_text(batch)
            ),
            batch.num_rows,
        )
        offset += batch.num_rows


def _checked(
    parquet: pq.ParquetFile, file: Path, ctx: ReadContext
) -> Iterator[tuple[pa.RecordBatch, int]]:
    offset = 0
    for batch in parquet.iter_batches(
        batch_size=ctx.options.chunk_rows, columns=list(CALL_SCHEMA.names)
    ):
        errors = RowErrors(batch.num_rows)
        for field in CALL_SCHEMA:
            column = batch.column(field.name)
            if not field.nullable and column.null_count:
                errors.add_where(pc.is_null(column), _null_reason(field.name))
        for name, choices in _ENUMS.items():
            column = batch.column(name)
            errors.add_where(
                pc.invert(pc.is_in(column, value_set=pa.array(list(choices)))),
                _value_reason(name, column, "one of " + ", ".join(choices)),
            )
        for name in ("ring_s", "duration_s"):
            column = batch.column(name)
            errors.add_where(
                pc.or_kleene(pc.less(column, 0), pc.invert(pc.is_finite(column))),
                _value_reason(name, column, "a duration >= 0 seconds"),
            )
        for row in sorted(errors.by_row):
            ctx.reject(file, offset + row + 1, errors.reason(row), _row_json(batch, row))
        if errors.by_row:
            batch = batch.filter(errors.valid_mask())
        arrays = [
            column.cast(field.type) if column.type != field.type else column
            for column, field in zip(batch.columns, CALL_SCHEMA, strict=True)
        ]
        checked = pa.RecordBatch.from_arrays(arrays, schema=CALL_SCHEMA)
        ctx.accept(checked.num_rows)
        yield checked, batch.num_rows + len(errors.by_row)
        offset += errors.size


def _row_number(offset: int) -> Callable[[int], int]:
    return lambda row: offset + row + 1


def _row_text(batch: pa.RecordBatch) -> Callable[[int], str]:
    return lambda row: _row_json(batch, row)


def _null_reason(name: str) -> Callable[[int], str]:
    return lambda _: f"{name} is null in a canonical Parquet file"


def _value_reason(name: str, column: pa.Array, expected: str) -> Callable[[int], str]:
    return lambda row: f"{name} {column[row].as_py()!r} is not {expected}"


def _row_json(batch: pa.RecordBatch, row: int) -> str:
    values = {name: batch.column(name)[row].as_py() for name in batch.schema.names}
    return json.dumps(values, default=str, ensure_ascii=False)
