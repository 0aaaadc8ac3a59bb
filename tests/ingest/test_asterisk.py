"""Asterisk Master.csv: the documented mapping of each field and default."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from ringfence.domain.calls import CALL_SCHEMA
from tests.ingest.helpers import FIXTURES, run_ingest, write

MASTER = FIXTURES / "asterisk_Master.csv"


def test_asterisk_mapping(tmp_path: Path) -> None:
    run = run_ingest([MASTER], tmp_path, timezone="Europe/Brussels")
    assert run.summary.files[0].format == "asterisk"
    assert run.table.schema == CALL_SCHEMA
    assert (run.summary.read, run.summary.written, run.summary.rejected) == (5, 3, 2)
    answered = run.row("1768471200.1")  # uniqueid in field 17
    assert answered["start"] == datetime(2026, 1, 15, 10, 0, tzinfo=UTC)  # 11:00 in Brussels
    assert (answered["caller"], answered["callee"]) == ("+33612345678", "+32470123456")
    assert answered["callee_raw"] == "0470123456"
    assert (answered["ring_s"], answered["duration_s"], answered["answered"]) == (4.0, 2.0, True)
    assert (answered["direction"], answered["ingress"]) == ("inbound", "international")
    assert (answered["released_by"], answered["attestation"]) == ("unknown", "none")
    assert answered["carrier"] is None
    no_answer = run.row("asterisk_Master.csv:2")  # 16 fields: no uniqueid
    assert no_answer["caller"] == "anonymous"  # src empty, clid <anonymous>
    assert (no_answer["answered"], no_answer["ring_s"]) == (False, 20.0)
    assert no_answer["direction"] == "outbound"  # from-internal
    busy = run.row("pbx1-1768471300.7")
    assert busy["released_by"] == "callee"
    assert (busy["caller"], busy["caller_raw"]) == ("+32470123456", "0032470123456")
    assert busy["ingress"] == "national"
    # 02:30 does not exist on 2026-03-29 in Brussels: read as the first instant after the gap
    assert busy["start"] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert run.reject_lines() == [4, 5]
    assert "billsec 5 is greater than duration 3" in run.rejects[0]["reason"]
    assert "disposition 'HUNG UP' is not one of ANSWERED" in run.rejects[1]["reason"]


def test_options_override_direction_and_ingress(tmp_path: Path) -> None:
    run = run_ingest([MASTER], tmp_path, direction="transit", ingress="international")
    assert set(run.table.column("direction").to_pylist()) == {"transit"}
    assert set(run.table.column("ingress").to_pylist()) == {"international"}
    assert not any("inferred" in n for n in run.summary.files[0].describe())


def test_default_timezone_is_utc(tmp_path: Path) -> None:
    run = run_ingest([MASTER], tmp_path)
    assert run.row("1768471200.1")["start"] == datetime(2026, 1, 15, 11, 0, tzinfo=UTC)


def test_asterisk_truncated_and_extra_fields(tmp_path: Path) -> None:
    good = MASTER.read_text().splitlines()[0]
    fields = next(csv.reader([good]))
    short = ",".join(f'"{f}"' for f in fields[:9])
    extra = good + ',"a","b","c","d"'
    path = write(tmp_path / "Master.csv", "\n".join([good, short, extra]) + "\n")
    run = run_ingest([path], tmp_path)
    assert run.reject_lines() == [2, 3]
    assert (
        "line has 9 field(s); Master.csv has 16 to 21 (truncated line?)" in run.rejects[0]["reason"]
    )
    assert "22 field(s)" in run.rejects[1]["reason"]
