"""`ringfence reports import|queue|resolve|appeal` from the terminal."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ringfence.cli import reports

from .conftest import FIXTURES


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[typer.Typer, list[str]]:
    monkeypatch.setenv("RINGFENCE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    app = typer.Typer()
    reports.register(app)
    return app, ["--store", f"sqlite:///{tmp_path / 'cli.db'}"]


def test_import_prints_a_summary_and_keeps_rejects(
    cli: tuple[typer.Typer, list[str]], tmp_path: Path
) -> None:
    app, store = cli
    rejects = tmp_path / "rejects.csv"
    sample = FIXTURES / "ftc-dnc-sample.csv"
    result = CliRunner().invoke(
        app,
        [
            "reports",
            "import",
            "--format",
            "ftc-dnc",
            str(sample),
            "--rejects",
            str(rejects),
            *store,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "numbers seen only once" in result.output
    assert "Dropped call or no message" in result.output
    with rejects.open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert {r["reason"] for r in rows} >= {"empty phone number"}
    bad = CliRunner().invoke(
        app, ["reports", "import", "--format", "ftc-dnc", str(rejects), *store]
    )
    assert bad.exit_code == 2
    assert "not an FTC DNC complaint CSV" in bad.output


def test_appeal_queue_and_resolve(cli: tuple[typer.Typer, list[str]]) -> None:
    app, store = cli
    runner = CliRunner()
    filed = runner.invoke(
        app,
        [
            "reports",
            "appeal",
            "+32470123456",
            "--statement",
            "my shop",
            "--token",
            "shop-owner-token-1",
            *store,
        ],
    )
    assert filed.exit_code == 0, filed.output
    item_id = filed.output.split()[1]
    queue = runner.invoke(app, ["reports", "queue", *store])
    assert item_id in queue.output
    wrong = runner.invoke(
        app, ["reports", "resolve", item_id, "--action", "confirm", "--note", "x", *store]
    )
    assert wrong.exit_code == 2
    done = runner.invoke(
        app, ["reports", "resolve", item_id, "--action", "deny", "--note", "no proof", *store]
    )
    assert done.exit_code == 0, done.output
    assert "denied" in done.output
