"""FreeSWITCH cdr_csv default template: the documented mapping of each field and default."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.ingest.helpers import FIXTURES, run_ingest

MASTER = FIXTURES / "freeswitch_Master.csv"


def test_freeswitch_mapping(tmp_path: Path) -> None:
    run = run_ingest([MASTER], tmp_path)
    assert run.summary.files[0].format == "freeswitch"
    assert (run.summary.read, run.summary.written, run.summary.rejected) == (5, 3, 2)
    wangiri = run.row("6f3c2a4e-0b1d-4c8e-9d2f-1a2b3c4d5e6f")
    assert wangiri["start"] == datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    assert (wangiri["caller"], wangiri["caller_country"]) == ("+393511234567", "IT")
    assert (wangiri["answered"], wangiri["ring_s"], wangiri["duration_s"]) == (False, 2.0, 0.0)
    assert wangiri["released_by"] == "caller"  # ORIGINATOR_CANCEL
    assert (wangiri["direction"], wangiri["ingress"]) == ("inbound", "international")
    normal = run.row("7a1b2c3d-0000-4000-8000-000000000002")
    assert normal["released_by"] == "unknown"  # NORMAL_CLEARING does not say who
    assert (normal["answered"], normal["ring_s"], normal["duration_s"]) == (True, 5.0, 120.0)
    assert normal["direction"] == "outbound"  # context "default": registered users
    # an extension is not a public number: kept, marked invalid (not rejected)
    assert (normal["caller_raw"], normal["caller_valid"]) == ("1001", False)
    busy = run.row("freeswitch_Master.csv:3")  # no uuid: file:line
    assert busy["released_by"] == "callee"  # USER_BUSY
    assert busy["ingress"] == "international"  # context "international-gw"
    assert busy["direction"] == "inbound"  # unknown context: the default
    assert run.reject_lines() == [4, 5]
    assert "hangup_cause 'NOT A CAUSE' is not a FreeSWITCH hangup cause" in run.rejects[0]["reason"]
    assert "5 field(s); the FreeSWITCH template has 13 to 15" in run.rejects[1]["reason"]
    notes = run.summary.files[0].describe()
    assert any("direction set to inbound for" in n for n in notes)


def test_forcing_the_wrong_format_rejects_rows_not_crashes(tmp_path: Path) -> None:
    run = run_ingest([MASTER], tmp_path, fmt="asterisk")
    assert run.summary.written == 0
    assert run.summary.rejected == 5
