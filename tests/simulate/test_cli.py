"""`ringfence simulate`: flags, the summary it prints, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from ringfence.cli import simulate as simulate_cli


def _app() -> typer.Typer:
    app = typer.Typer()
    simulate_cli.register(app)

    @app.command("version")  # a second command keeps Typer in multi-command mode
    def version() -> None: ...

    return app


def test_simulate_writes_the_dataset_and_prints_the_campaigns(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _app(),
        ["simulate", "--calls", "20000", "--seed", "2", "--out", str(tmp_path), "--days", "2"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "Planted campaigns" in result.output
    assert "silent_calls-01" in result.output
    assert "Calls written" in result.output
    assert "20,000" in result.output
    doc = json.loads((tmp_path / "campaigns.json").read_text(encoding="utf-8"))
    assert doc["config"]["days"] == 2
    assert doc["config"]["seed"] == 2
    assert (tmp_path / "calls.parquet").is_file()
    assert (tmp_path / "truth.parquet").is_file()


def test_flags_override_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"calls": 30000, "seed": 9, "harassment": {"victims": 1}}))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        _app(),
        ["simulate", "--config", str(config), "--calls", "20000", "--out", str(out),
         "--partition-by-day", "--home-country", "PT", "--start", "2026-06-01"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "campaigns.json").read_text(encoding="utf-8"))
    assert doc["calls"] == 20000
    assert doc["config"]["seed"] == 9
    assert doc["home_country"] == "PT"
    assert doc["span"]["start"] == "2026-05-31T23:00:00Z"
    assert len([c for c in doc["campaigns"] if c["kind"] == "harassment"]) == 1
    assert (out / "calls").is_dir()


def test_errors_are_clear_and_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    bad_start = runner.invoke(
        _app(), ["simulate", "--out", str(tmp_path), "--start", "2 Nov", "--calls", "20000"]
    )
    assert bad_start.exit_code == 2
    assert "YYYY-MM-DD" in bad_start.output
    config = tmp_path / "c.json"
    config.write_text('{"wangiri": {"maxuses": 3}}')
    unknown = runner.invoke(_app(), ["simulate", "--out", str(tmp_path), "--config", str(config)])
    assert unknown.exit_code == 2
    assert "unknown parameter 'wangiri.maxuses'" in unknown.output
    country = runner.invoke(
        _app(), ["simulate", "--out", str(tmp_path), "--home-country", "XX", "--calls", "20000"]
    )
    assert country.exit_code == 2
    assert "XX" in country.output
    small = runner.invoke(_app(), ["simulate", "--out", str(tmp_path), "--calls", "500"])
    assert small.exit_code == 2
    assert "at least 10000" in small.output


def test_help_has_examples() -> None:
    result = CliRunner().invoke(_app(), ["simulate", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Examples" in result.output
    assert "--partition-by-day" in result.output
