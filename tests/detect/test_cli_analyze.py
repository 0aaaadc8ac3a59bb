"""`ringfence analyze` and `evaluate` from the command line, on a small mixed day."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from ringfence.cli.main import app
from ringfence.detect.analysis import read_findings
from tests.detect.scenario import BANK, mixed_day

runner = CliRunner()


def flat(text: str) -> str:
    """Rich wraps long lines to the terminal width; join them back."""
    return text.replace("\n", "")


def test_analyze_writes_findings_flagged_calls_and_a_report(tmp_path: Path) -> None:
    log, _ = mixed_day()
    calls = log.write(tmp_path / "day")
    dno = tmp_path / "dno.csv"
    dno.write_text(f"number,holder,category,source\n{BANK},Example Bank,bank,test\n")
    out = tmp_path / "analysis"
    result = runner.invoke(
        app, ["analyze", str(calls), "--do-not-originate", str(dno), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    findings = read_findings(out / "findings.jsonl")
    assert {f.detector for f in findings} >= {"silent_calls", "wangiri", "spoofed_cli"}
    flagged = pq.read_table(out / "flagged_calls.parquet")
    assert set(flagged.column("finding_id").to_pylist()) <= {f.finding_id for f in findings}
    report = (out / "report.html").read_text()
    assert "<svg" in report
    assert "Example Bank" in report
    assert "<script" not in report  # self-contained and static
    summary = json.loads((out / "summary.json").read_text())
    assert summary["calls"] == len(log.rows)
    assert "report.html" in flat(result.output)

    silent_ids = [r["call_id"] for r in log.rows if r["duration_s"] == 1.5]
    truth = pa.table(
        {
            "call_id": silent_ids,
            "campaign_id": ["silent-1"] * len(silent_ids),
            "campaign_kind": ["silent_calls"] * len(silent_ids),
        }
    )
    pq.write_table(truth, tmp_path / "truth.parquet")
    scored = runner.invoke(
        app, ["evaluate", "--truth", str(tmp_path / "truth.parquet"), "--out", str(out)]
    )
    assert scored.exit_code == 0, scored.output
    evaluation = json.loads((out / "evaluation.json").read_text())
    silent = next(k for k in evaluation["kinds"] if k["kind"] == "silent_calls")
    assert silent["recall"] == 1.0
    assert silent["precision"] == 1.0


def test_clear_errors_for_missing_inputs_and_unknown_detectors(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["analyze", str(tmp_path / "nope.parquet")])
    assert missing.exit_code == 2
    assert "no such file" in " ".join(missing.output.split())
    log, _ = mixed_day()
    calls = log.write(tmp_path / "day")
    unknown = runner.invoke(app, ["analyze", str(calls), "--detector", "astrology"])
    assert unknown.exit_code == 2
    assert "unknown detector" in " ".join(unknown.output.split())
    no_truth = runner.invoke(app, ["evaluate", "--truth", str(tmp_path / "t.parquet")])
    assert no_truth.exit_code == 2
