"""The JSON Lines reader: typed JSON values, bad lines rejected with their line numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.ingest.helpers import FIXTURES, run_ingest, write


def test_jsonl_values_and_rejects(tmp_path: Path) -> None:
    run = run_ingest([FIXTURES / "calls.jsonl"], tmp_path)
    assert (run.summary.read, run.summary.written, run.summary.rejected) == (6, 2, 4)
    j1 = run.row("j1")
    assert (j1["caller"], j1["caller_country"], j1["callee"]) == (
        "+393511234567",
        "IT",
        "+32470123456",
    )
    assert (j1["ring_s"], j1["answered"], j1["carrier"]) == (1.5, False, None)
    j2 = run.row("j2")
    assert j2["start"] == datetime(2026, 1, 15, 9, 1, tzinfo=UTC)
    assert (j2["duration_s"], j2["attestation"], j2["caller_raw"]) == (125.5, "A", "02 512 34 56")
    assert run.reject_lines() == [4, 5, 6, 7]
    reasons = [r["reason"] for r in run.rejects]
    assert reasons[0].startswith("not valid JSON")
    assert reasons[1] == "a JSON list, expected an object with the call fields"
    assert reasons[2].startswith("missing field(s) caller, callee")
    assert reasons[3] == "field caller is a JSON dict; expected text or a number"
    notes = run.summary.files[0].describe()
    assert any("fields ignored: note" in n for n in notes)
    assert any("1 blank line" in n for n in notes)


def test_json_numbers_that_are_not_finite_are_rejected(tmp_path: Path) -> None:
    line = (
        '{"call_id": "x", "start": "2026-01-15T10:00:00Z", "caller": "+32470123456", '
        '"callee": "+3225123456", "direction": "inbound", "ingress": "national", '
        '"ring_s": 1e400, "answered": 1, "duration_s": NaN, "released_by": "caller", '
        '"attestation": "none"}\n'
    )
    run = run_ingest([write(tmp_path / "a.jsonl", line)], tmp_path)
    assert run.summary.rejected == 1
    reason = run.rejects[0]["reason"]
    assert "ring_s 'inf' is not a number" in reason
    assert "duration_s 'nan' is not a number" in reason
