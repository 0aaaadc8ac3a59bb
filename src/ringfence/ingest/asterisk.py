"""Asterisk `Master.csv` (module cdr_csv), the default format without a header row.

Fields, in order (cdr_csv.c `build_csv_record`): accountcode, src, dst, dcontext, clid, channel,
dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags,
then `uniqueid` when `loguniqueid` is set and `userfield` when `loguserfield` is set (newer
versions may append up to three more: 16 to 21 fields are accepted). Times are the PBX's local
time (`%Y-%m-%d %H:%M:%S`; GMT with `usegmtime`): give the zone with `--cdr-timezone`.

Mapping: caller = `src` (else the number in `clid`'s `<...>`), callee = `dst`;
answered = disposition `ANSWERED` or billsec > 0; released_by from the disposition (BUSY ->
callee, FAILED/CONGESTION -> network, else unknown: Master.csv does not say who hung up);
call_id = `uniqueid` when the 17th field looks like one (`1705312800.42`), else `<file>:<line>`.
The other defaults are in `ringfence.ingest.pbx`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ringfence.ingest.context import ReadContext
from ringfence.ingest.enrich import enrich_numbers
from ringfence.ingest.pbx import (
    assemble_pbx,
    call_ids,
    check_width,
    conventions,
    fields_of,
    read_pbx_csv,
    timing,
)
from ringfence.ingest.records import RecordChunk
from ringfence.ingest.values import RowErrors, parse_start

FIELDS = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
)
MIN_FIELDS = len(FIELDS)
MAX_FIELDS = MIN_FIELDS + 5
UNIQUEID_PATTERN = r"^([A-Za-z0-9_.-]+-)?\d{9,}\.\d+$"
"""`<epoch>.<sequence>`, optionally prefixed by the system name (`systemname` in asterisk.conf)."""


def read_asterisk(path: Path, ctx: ReadContext) -> Iterator[pa.RecordBatch]:
    """Batches of an Asterisk Master.csv file."""
    return read_pbx_csv(path, ctx, _convert)


def _convert(chunk: RecordChunk, path: Path, ctx: ReadContext) -> pa.RecordBatch:
    fields = fields_of(chunk, FIELDS, MAX_FIELDS - MIN_FIELDS)
    errors = RowErrors(len(chunk))
    check_width(chunk, MIN_FIELDS, MAX_FIELDS, "Master.csv", errors)
    start = parse_start(fields["start"], "start", ctx.options.timezone, errors)
    ring, talk_s, talk = timing(fields["duration"], fields["billsec"], errors)
    answered_by_disposition, released_by = _disposition(fields["disposition"], errors)
    uniqueid = fields["extra_0"]
    looks_unique = pc.fill_null(pc.match_substring_regex(uniqueid, UNIQUEID_PATTERN), False)
    src = pc.utf8_trim_whitespace(fields["src"])
    from_clid = pc.fill_null(pc.extract_regex(fields["clid"], r"<(?P<n>[^>]*)>").field("n"), "")
    caller_raw = pc.if_else(pc.equal(src, ""), from_clid, fields["src"])
    values = {
        "call_id": call_ids(pc.if_else(looks_unique, uniqueid, ""), chunk, path),
        "start": start,
        "ring_s": ring,
        "answered": pc.or_(answered_by_disposition, pc.greater(talk, 0)),
        "duration_s": talk_s,
        "released_by": released_by,
        "caller_raw": caller_raw,
        "callee_raw": fields["dst"],
    }
    caller = enrich_numbers(caller_raw, ctx.settings.home_country)
    callee = enrich_numbers(fields["dst"], ctx.settings.home_country)
    return assemble_pbx(chunk, path, ctx, errors, values, caller, callee, fields["dcontext"])


def _disposition(array: pa.Array, errors: RowErrors) -> tuple[pa.Array, pa.Array]:
    """`answered` and `released_by` implied by the disposition; unknown values are rejected."""
    table = conventions().asterisk_dispositions
    cleaned = pc.utf8_upper(pc.utf8_trim_whitespace(array))
    keys = pa.array(list(table), pa.string())
    position = pc.index_in(cleaned, value_set=keys)
    errors.add_where(
        pc.is_null(position),
        lambda row: f"disposition {cleaned[row].as_py()!r} is not one of {', '.join(table)}",
    )
    position = pc.fill_null(position, 0)
    answered = pa.array([flag for flag, _ in table.values()], pa.bool_()).take(position)
    released = pa.array([who for _, who in table.values()], pa.string()).take(position)
    return answered, released
