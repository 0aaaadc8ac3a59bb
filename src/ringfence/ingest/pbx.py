"""What Asterisk and FreeSWITCH records lack, filled the same documented way for both.

Why shared: both PBXs write local time without a zone, seconds as `duration` (start to end) and
`billsec` (answer to end), a dialplan context, and nothing about the ingress gateway or STIR.
The defaults (data file `ringfence/data/pbx_conventions.json`, with its sources):

- `ring_s = duration - billsec` (set-up and ringing time), `duration_s = billsec`;
- `direction`: `--direction`, else from the context name (`public`, `from-trunk`... inbound;
  `default`, `from-internal`... outbound; `transit`), else `inbound`;
- `ingress`: `--ingress`, else `international` when the context names it (`international`,
  `intl`...), else from the caller's number: foreign -> international, otherwise national.
  Caution: a spoofed national number arriving from abroad then looks national; pass
  `--ingress international` for files of an international gateway;
- `attestation`: `none` (no STIR/SHAKEN in these CDRs); `carrier`: empty;
- `call_id`: the PBX's unique id, else `<file name>:<line>`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ringfence.ingest.build import assemble
from ringfence.ingest.context import ReadContext
from ringfence.ingest.enrich import NumberColumns
from ringfence.ingest.records import CsvRecords, RecordChunk, columns_of
from ringfence.ingest.values import RowErrors, parse_count


@dataclass(frozen=True, slots=True)
class Conventions:
    """The contents of `pbx_conventions.json`."""

    context_direction: tuple[tuple[str, str], ...]
    default_direction: str
    international_contexts: tuple[str, ...]
    asterisk_dispositions: dict[str, tuple[bool, str]]
    freeswitch_hangup_causes: dict[str, str]


@lru_cache(maxsize=1)
def conventions() -> Conventions:
    """Load the PBX conventions shipped with ringfence."""
    source = resources.files("ringfence").joinpath("data", "pbx_conventions.json")
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return Conventions(
        context_direction=tuple((str(k), str(v)) for k, v in data["context_direction"]),
        default_direction=str(data["default_direction"]),
        international_contexts=tuple(str(x) for x in data["international_contexts"]),
        asterisk_dispositions={
            str(k): (bool(v["answered"]), str(v["released_by"]))
            for k, v in data["asterisk_dispositions"].items()
        },
        freeswitch_hangup_causes={
            str(k): str(v) for k, v in data["freeswitch_hangup_causes"].items()
        },
    )


def check_width(chunk: RecordChunk, low: int, high: int, what: str, errors: RowErrors) -> None:
    """Reject records that could not be read or lack (or exceed) the format's fields."""
    for row, fields in enumerate(chunk.rows):
        count = len(fields)
        if low <= count <= high:
            continue
        if row in chunk.problems:
            errors.set_final(row, chunk.problems[row])
            continue
        expected = f"{low}" if low == high else f"{low} to {high}"
        hint = "truncated line?" if count < low else "extra fields, or another format?"
        errors.set_final(row, f"line has {count} field(s); {what} has {expected} ({hint})")


def fields_of(chunk: RecordChunk, names: tuple[str, ...], extra: int) -> dict[str, pa.Array]:
    """The named leading fields of every record, plus `extra_<i>` for the optional trailing
    ones (empty where a record is shorter)."""
    widths = set(map(len, chunk.rows))
    width = widths.pop() if len(widths) == 1 else len(names) + extra
    width = max(width, len(names))
    wanted = {name: index for index, name in enumerate(names)}
    wanted.update({f"extra_{i}": len(names) + i for i in range(extra) if len(names) + i < width})
    columns = columns_of(chunk.rows, width, wanted)
    for i in range(extra):
        columns.setdefault(f"extra_{i}", pa.array([""] * len(chunk), pa.string()))
    return columns


def timing(
    duration: pa.Array, billsec: pa.Array, errors: RowErrors
) -> tuple[pa.Array, pa.Array, pa.Array]:
    """`ring_s`, `duration_s` (float32) and billsec (int64) from the PBX's two counters."""
    total = parse_count(duration, "duration", errors)
    talk = parse_count(billsec, "billsec", errors)
    errors.add_where(
        pc.greater(talk, total),
        lambda row: (
            f"billsec {talk[row].as_py()} is greater than duration "
            f"{total[row].as_py()}; billsec (answer to end) is part of duration (start to end)"
        ),
    )
    ring = pc.max_element_wise(pc.subtract(total, talk), 0)
    return ring.cast(pa.float32()), talk.cast(pa.float32()), talk


def call_ids(given: pa.Array, chunk: RecordChunk, path: Path) -> pa.Array:
    """The PBX's id where present, else `<file name>:<line>` (unique within a file)."""
    fallback = pa.array([f"{path.name}:{line}" for line in chunk.lines], type=pa.string())
    cleaned = pc.utf8_trim_whitespace(given)
    return pc.if_else(pc.equal(cleaned, ""), fallback, cleaned)


def _lookup(values: pa.Array, mapping: dict[str, str | None]) -> pa.Array:
    """Map each distinct value of a (small-cardinality) column through `mapping`."""
    encoded = pc.dictionary_encode(values)
    mapped = [mapping.get(v) for v in encoded.dictionary.to_pylist()]
    return pa.array(mapped, pa.string()).take(encoded.indices)


def direction_and_ingress(
    context: pa.Array, caller: NumberColumns, path: Path, ctx: ReadContext
) -> tuple[pa.Array, pa.Array]:
    """The `direction` and `ingress` of each row: options first, then the documented rules."""
    size = len(context)
    rules = conventions()
    lowered = pc.utf8_lower(pc.utf8_trim_whitespace(context))
    distinct = pc.unique(lowered).to_pylist()
    options = ctx.options
    if options.direction is not None:
        direction = pa.array([options.direction.value] * size, pa.string())
    else:
        by_context = {
            name: next((d for token, d in rules.context_direction if token in name), None)
            for name in distinct
        }
        matched = _lookup(lowered, by_context)
        unmatched = matched.null_count
        direction = pc.fill_null(matched, rules.default_direction)
        ctx.summary.tally(
            f"{path.name}: direction set to {rules.default_direction} for {{n}} row(s) read "
            "whose context is not a known convention (pass --direction)",
            unmatched,
        )
    if options.ingress is not None:
        ingress = pa.array([options.ingress.value] * size, pa.string())
    else:
        by_context_ingress = {
            name: (
                "international" if any(t in name for t in rules.international_contexts) else None
            )
            for name in distinct
        }
        named = _lookup(lowered, by_context_ingress)
        home = ctx.settings.home_country
        foreign = pc.fill_null(pc.not_equal(caller.country, home), False)
        from_caller = pc.if_else(foreign, "international", "national")
        ingress = pc.coalesce(named, from_caller)
        ctx.summary.tally(
            f"{path.name}: ingress inferred from the caller's number for {{n}} row(s) read; a "
            "spoofed national number from abroad then looks national: pass --ingress for "
            "gateway files",
            named.null_count,
        )
    return direction, ingress


Converter = Callable[[RecordChunk, Path, ReadContext], pa.RecordBatch]


def read_pbx_csv(path: Path, ctx: ReadContext, convert: Converter) -> Iterator[pa.RecordBatch]:
    """Batches of a PBX CSV file, one chunk in memory at a time."""
    for chunk in CsvRecords(path, ctx).chunks(ctx.options.chunk_rows):
        batch = convert(chunk, path, ctx)
        del chunk  # free this chunk before the next one is read
        yield batch


def assemble_pbx(
    chunk: RecordChunk,
    path: Path,
    ctx: ReadContext,
    errors: RowErrors,
    values: dict[str, pa.Array],
    caller: NumberColumns,
    callee: NumberColumns,
    context: pa.Array,
) -> pa.RecordBatch:
    """What every PBX format lacks, filled with the documented defaults (no attestation, no
    carrier, direction and ingress from the options or the dialplan context), then the batch."""
    values["attestation"] = pa.array(["none"] * len(chunk), pa.string())
    values["carrier"] = pa.nulls(len(chunk), pa.string())
    values["direction"], values["ingress"] = direction_and_ingress(context, caller, path, ctx)
    return assemble(
        ctx, path, errors, values, caller, callee,
        line_of=chunk.line_of(), raw_of=chunk.raw_of(),
    )  # fmt: skip
