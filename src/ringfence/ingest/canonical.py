"""The canonical input formats: CSV with a header, JSON Lines, and the shared conversion.

Columns (any order; names case-insensitive): `call_id, start, caller, callee, direction,
ingress, ring_s, answered, duration_s, released_by, attestation` and the optional `carrier`.
Values: `start` ISO 8601 (an offset is converted to UTC; without offset the time is read in
`ReaderOptions.timezone`, UTC by default); `answered` true/false (1/0, yes/no); durations in
seconds >= 0; an empty `released_by` reads as `unknown`, an empty `attestation` as `none`, an
empty `caller` as a withheld (anonymous) caller. Unknown columns are ignored and named in the
summary notes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ringfence.domain.calls import (
    INPUT_COLUMNS,
    REQUIRED_INPUT_COLUMNS,
    Attestation,
    Direction,
    Ingress,
    ReleasedBy,
)
from ringfence.ingest.build import assemble
from ringfence.ingest.context import ReadContext
from ringfence.ingest.enrich import enrich_numbers
from ringfence.ingest.errors import IngestError
from ringfence.ingest.records import CsvRecords, columns_of
from ringfence.ingest.text import numbered_lines
from ringfence.ingest.values import (
    RowErrors,
    parse_answered,
    parse_choice,
    parse_optional_text,
    parse_required_text,
    parse_seconds,
    parse_start,
    text,
)

DIRECTIONS = {d.value: d.value for d in Direction}
INGRESSES = {i.value: i.value for i in Ingress}
RELEASED_BY = {r.value: r.value for r in ReleasedBy}
ATTESTATIONS = {a.value.lower(): a.value for a in Attestation}


def convert_canonical(
    ctx: ReadContext,
    source: Path,
    columns: Mapping[str, pa.Array],
    *,
    line_of: Callable[[int], int],
    raw_of: Callable[[int], str],
    errors: RowErrors | None = None,
) -> pa.RecordBatch:
    """Check and convert one chunk of canonical input columns (text or typed); `errors` may
    hold rows already rejected by the reader."""
    size = len(columns["call_id"])
    errors = errors if errors is not None else RowErrors(size)
    carrier = columns.get("carrier")
    values: dict[str, pa.Array] = {
        "call_id": parse_required_text(columns["call_id"], "call_id", errors),
        "start": parse_start(columns["start"], "start", ctx.options.timezone, errors),
        "direction": parse_choice(columns["direction"], "direction", DIRECTIONS, errors),
        "ingress": parse_choice(columns["ingress"], "ingress", INGRESSES, errors),
        "ring_s": parse_seconds(columns["ring_s"], "ring_s", errors),
        "answered": parse_answered(columns["answered"], "answered", errors),
        "duration_s": parse_seconds(columns["duration_s"], "duration_s", errors),
        "released_by": parse_choice(
            columns["released_by"], "released_by", RELEASED_BY, errors, empty="unknown"
        ),
        "attestation": parse_choice(
            columns["attestation"], "attestation", ATTESTATIONS, errors, empty="none"
        ),
        "carrier": (
            parse_optional_text(carrier) if carrier is not None else pa.nulls(size, pa.string())
        ),
        "caller_raw": _raw_number(columns["caller"]),
        "callee_raw": _raw_number(columns["callee"]),
    }
    home = ctx.settings.home_country
    caller = enrich_numbers(values["caller_raw"], home)
    callee = enrich_numbers(values["callee_raw"], home)
    return assemble(ctx, source, errors, values, caller, callee, line_of=line_of, raw_of=raw_of)


def _raw_number(array: pa.Array) -> pa.Array:
    if not pa.types.is_string(array.type):
        array = array.cast(pa.string())
    return pc.fill_null(array, "")


def header_positions(path: Path, fields: list[str]) -> dict[str, int]:
    """Position of each known column in a header row; a clear error when columns are missing."""
    names = [name.strip().lower() for name in fields]
    seen: set[str] = set()
    for name in names:
        if name in seen and name in INPUT_COLUMNS:
            raise IngestError(f"{path}: line 1 (header) names the column {name!r} twice")
        seen.add(name)
    missing = [column for column in REQUIRED_INPUT_COLUMNS if column not in seen]
    if missing:
        raise IngestError(
            f"{path}: the header (line 1) lacks the column(s) {', '.join(missing)}. A canonical "
            f"call file has the columns {', '.join(INPUT_COLUMNS)} (carrier optional, any "
            f"order); this header has: {', '.join(names) or '(nothing)'}. For Asterisk or "
            "FreeSWITCH files pass --format asterisk or --format freeswitch."
        )
    return {name: index for index, name in enumerate(names) if name in INPUT_COLUMNS}


def read_csv(path: Path, ctx: ReadContext) -> Iterator[pa.RecordBatch]:
    """Batches of a canonical CSV file (header row required)."""
    records = CsvRecords(path, ctx)
    header = records.header()
    if header is None:
        ctx.summary.note(f"{path.name}: empty file, no header and no rows")
        return
    positions = header_positions(path, header)
    width = len(header)
    ignored = [f.strip() for f in header if f.strip().lower() not in INPUT_COLUMNS]
    if ignored:
        ctx.summary.note(f"{path.name}: columns ignored: {', '.join(ignored)}")
    for chunk in records.chunks(_rows(ctx)):
        errors = RowErrors(len(chunk))
        if chunk.problems or set(map(len, chunk.rows)) != {width}:
            for row, fields in enumerate(chunk.rows):
                if len(fields) != width:
                    problem = chunk.problems.get(row) or _width_problem(len(fields), header)
                    errors.set_final(row, problem or "unreadable line")
        columns = columns_of(chunk.rows, width, positions)
        batch = convert_canonical(
            ctx, path, columns, line_of=chunk.line_of(), raw_of=chunk.raw_of(), errors=errors
        )
        del chunk, columns  # free this chunk before the next one is read
        yield batch


def read_header(path: Path, ctx: ReadContext) -> list[str] | None:
    """The header row of a CSV file (its first record), None for a file without records."""
    return CsvRecords(path, ctx).header()


def _rows(ctx: ReadContext) -> int:
    return ctx.options.chunk_rows


def _width_problem(count: int, header: list[str]) -> str | None:
    width = len(header)
    if count < width:
        return (
            f"line has {count} field(s) but the header has {width}: the first missing is "
            f"{header[count].strip()!r} (truncated line?)"
        )
    if count > width:
        return (
            f"line has {count} fields but the header has {width}: {count - width} extra "
            "field(s) (an unquoted comma in a value?)"
        )
    return None


def read_jsonl(path: Path, ctx: ReadContext) -> Iterator[pa.RecordBatch]:
    """Batches of a JSON Lines file: one object per line with the canonical fields."""
    chunk: list[tuple[int, str, dict[str, str | None] | str]] = []
    unknown: set[str] = set()
    blank = 0
    for number, line, problem in numbered_lines(path, ctx):
        if problem is not None:
            chunk.append((number, line, problem))
        elif not line.strip():
            blank += 1
            continue
        else:
            chunk.append((number, line, _json_row(line, unknown)))
        if len(chunk) >= _rows(ctx):
            yield _json_batch(chunk, path, ctx)
            chunk = []
    if chunk:
        yield _json_batch(chunk, path, ctx)
    if blank:
        ctx.summary.note(f"{path.name}: {blank} blank line(s) skipped")
    if unknown:
        ctx.summary.note(f"{path.name}: fields ignored: {', '.join(sorted(unknown))}")


def _json_row(line: str, unknown: set[str]) -> dict[str, str | None] | str:
    """The canonical fields of one JSON line as text, or the reason it cannot be used."""
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as error:
        return f"not valid JSON: {error.msg} at column {error.colno}"
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, expected an object with the call fields"
    missing = [column for column in REQUIRED_INPUT_COLUMNS if column not in data]
    if missing:
        return f"missing field(s) {', '.join(missing)}"
    row: dict[str, str | None] = {}
    for key, value in data.items():
        if key not in INPUT_COLUMNS:
            unknown.add(str(key))
        elif value is None or isinstance(value, str):
            row[key] = value
        elif isinstance(value, bool):
            row[key] = "true" if value else "false"
        elif isinstance(value, int | float):
            row[key] = repr(value)
        else:
            return f"field {key} is a JSON {type(value).__name__}; expected text or a number"
    return row


def _json_batch(
    chunk: list[tuple[int, str, dict[str, str | None] | str]], path: Path, ctx: ReadContext
) -> pa.RecordBatch:
    errors = RowErrors(len(chunk))
    rows: list[dict[str, str | None]] = []
    for index, (_, _, row) in enumerate(chunk):
        if isinstance(row, str):
            errors.set_final(index, row)
            rows.append({})
        else:
            rows.append(row)
    columns = {name: text([row.get(name) for row in rows]) for name in INPUT_COLUMNS}
    return convert_canonical(
        ctx,
        path,
        columns,
        line_of=lambda row: chunk[row][0],
        raw_of=lambda row: chunk[row][1],
        errors=errors,
    )
