"""FreeSWITCH `mod_cdr_csv` with the default template (`example` in cdr_csv.conf.xml).

Fields, in order: caller_id_name, caller_id_number, destination_number, context, start_stamp,
answer_stamp, end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid, accountcode,
read_codec, write_codec (15; the older 13-field form without the codecs is accepted too).
Times are the switch's local time (`YYYY-MM-DD HH:MM:SS`): give the zone with `--cdr-timezone`.

Mapping: caller = caller_id_number, callee = destination_number; answered = answer_stamp
present or billsec > 0; released_by from the hangup cause after the table in
`pbx_conventions.json` (ORIGINATOR_CANCEL -> caller, USER_BUSY/CALL_REJECTED -> callee, failures
and timers -> network; NORMAL_CLEARING says nothing of who hung up -> unknown; a cause not in the
table -> unknown); call_id = uuid, else `<file>:<line>`. Other defaults: `ringfence.ingest.pbx`.
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
    "caller_id_name",
    "caller_id_number",
    "destination_number",
    "context",
    "start_stamp",
    "answer_stamp",
    "end_stamp",
    "duration",
    "billsec",
    "hangup_cause",
    "uuid",
    "bleg_uuid",
    "accountcode",
    "read_codec",
    "write_codec",
)
MIN_FIELDS = 13
MAX_FIELDS = len(FIELDS)
CAUSE_PATTERN = r"^[A-Z][A-Z0-9_]*$"


def read_freeswitch(path: Path, ctx: ReadContext) -> Iterator[pa.RecordBatch]:
    """Batches of a FreeSWITCH cdr_csv file."""
    return read_pbx_csv(path, ctx, _convert)


def _convert(chunk: RecordChunk, path: Path, ctx: ReadContext) -> pa.RecordBatch:
    fields = fields_of(chunk, FIELDS, 0)
    errors = RowErrors(len(chunk))
    check_width(chunk, MIN_FIELDS, MAX_FIELDS, "the FreeSWITCH template", errors)
    start = parse_start(fields["start_stamp"], "start_stamp", ctx.options.timezone, errors)
    ring, talk_s, talk = timing(fields["duration"], fields["billsec"], errors)
    answer_stamp = pc.utf8_trim_whitespace(fields["answer_stamp"])
    released_by = _released_by(fields["hangup_cause"], path, errors, ctx)
    home = ctx.settings.home_country
    caller = enrich_numbers(fields["caller_id_number"], home)
    callee = enrich_numbers(fields["destination_number"], home)
    values = {
        "call_id": call_ids(fields["uuid"], chunk, path),
        "start": start,
        "ring_s": ring,
        "answered": pc.or_(pc.not_equal(answer_stamp, ""), pc.greater(talk, 0)),
        "duration_s": talk_s,
        "released_by": released_by,
        "caller_raw": fields["caller_id_number"],
        "callee_raw": fields["destination_number"],
    }
    return assemble_pbx(chunk, path, ctx, errors, values, caller, callee, fields["context"])


def _released_by(array: pa.Array, path: Path, errors: RowErrors, ctx: ReadContext) -> pa.Array:
    table = conventions().freeswitch_hangup_causes
    cleaned = pc.utf8_upper(pc.utf8_trim_whitespace(array))
    shaped = pc.fill_null(pc.match_substring_regex(cleaned, CAUSE_PATTERN), False)
    errors.add_where(
        pc.and_(pc.invert(shaped), pc.not_equal(cleaned, "")),
        lambda row: (
            f"hangup_cause {cleaned[row].as_py()!r} is not a FreeSWITCH hangup cause "
            "(upper-case words joined by _, such as NORMAL_CLEARING)"
        ),
    )
    keys = pa.array(list(table), pa.string())
    position = pc.index_in(cleaned, value_set=keys)
    unknown = pc.and_(pc.is_null(position), shaped)
    ctx.summary.tally(
        f"{path.name}: released_by unknown for {{n}} row(s) whose hangup cause is not in the "
        "table of pbx_conventions.json",
        pc.sum(unknown).as_py() or 0,
    )
    released = pa.array(list(table.values()), pa.string()).take(pc.fill_null(position, 0))
    return pc.if_else(pc.is_null(position), "unknown", released)
