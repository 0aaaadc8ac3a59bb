"""`ringfence ingest` through Typer's CliRunner: exit codes, summary, rejects file."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from ringfence.cli.ingest import register
from tests.ingest.helpers import FIXTURES, write


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command("other")
    def other() -> None:
        """A second command, so that Typer keeps `ingest` as a sub-command."""

    return app


def invoke(app: typer.Typer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["ingest", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_ingest_several_formats(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "calls.parquet"
    code, output = invoke(
        app,
        str(FIXTURES / "canonical.csv"),
        str(FIXTURES / "asterisk_Master.csv"),
        str(FIXTURES / "freeswitch_Master.csv"),
        "--out",
        str(out),
        "--cdr-timezone",
        "Europe/Brussels",
    )
    assert code == 0, output
    assert pq.read_metadata(out).num_rows == 4 + 3 + 3
    assert "total" in output
    assert "wrote 10 calls" in output
    assert "rejected 4 rows" in output
    rejects = tmp_path / "calls.rejects.csv"
    with rejects.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(Path(r["file"]).name, r["line"]) for r in rows] == [
        ("asterisk_Master.csv", "4"),
        ("asterisk_Master.csv", "5"),
        ("freeswitch_Master.csv", "4"),
        ("freeswitch_Master.csv", "5"),
    ]
    assert "asterisk_Master.csv:4: billsec 5 is greater than duration 3" in output


def test_home_country_flag(app: typer.Typer, tmp_path: Path) -> None:
    row = "f1,2026-01-15T10:00:00Z,06 12 34 56 78,01 42 68 53 00,inbound,national,1,1,1,,,\n"
    header = (FIXTURES / "canonical.csv").read_text().splitlines()[0] + "\n"
    path = write(tmp_path / "fr.csv", header + row)
    out = tmp_path / "fr.parquet"
    code, output = invoke(app, str(path), "--out", str(out), "--home-country", "FR")
    assert code == 0, output
    assert pq.read_table(out).column("caller").to_pylist() == ["+33612345678"]


def test_strict_exit_code_and_message(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "calls.parquet"
    code, output = invoke(app, str(FIXTURES / "canonical_bad.csv"), "--out", str(out), "--strict")
    assert code == 1
    assert "canonical_bad.csv:3: start '15/01/2026 10:00'" in output
    assert not out.exists()


def test_usage_errors_exit_2(app: typer.Typer, tmp_path: Path) -> None:
    out = str(tmp_path / "x.parquet")
    code, output = invoke(app, str(tmp_path / "missing.csv"), "--out", out)
    assert code == 2
    assert "missing.csv: no such file or directory" in output
    code, output = invoke(app, str(FIXTURES / "canonical.csv"), "--out", out, "--format", "xml")
    assert code == 2
    assert "unknown format 'xml'" in output
    code, output = invoke(
        app, str(FIXTURES / "canonical.csv"), "--out", out, "--cdr-timezone", "Mars/Olympus"
    )
    assert code == 2
    assert "time zone 'Mars/Olympus' is unknown" in output
    code, output = invoke(
        app, str(FIXTURES / "canonical.csv"), "--out", out, "--home-country", "XX"
    )
    assert code == 2
    assert "home_country" in output
    code, output = invoke(app, str(FIXTURES / "canonical.csv"))
    assert code == 2


def test_wrong_header_exits_2_before_writing(app: typer.Typer, tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "id,when,from,to\n1,2,3,4\n")
    out = tmp_path / "x.parquet"
    code, output = invoke(app, str(path), "--out", str(out), "--format", "csv")
    assert code == 2
    assert "lacks the column(s) call_id, start, caller, callee" in output
    assert not out.exists()


def test_help_has_examples(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "ringfence ingest calls.csv" in result.output
    for flag in ("--out", "--format", "--strict", "--direction", "--ingress", "--cdr-timezone"):
        assert flag in result.output
