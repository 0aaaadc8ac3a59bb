"""`ringfence lookup`, `report`, `decide` and `allowlist` from the terminal (Typer CliRunner)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ringfence.cli import reputation


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[typer.Typer, list[str]]:
    monkeypatch.setenv("RINGFENCE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    app = typer.Typer()
    reputation.register(app)
    return app, ["--store", f"sqlite:///{tmp_path / 'cli.db'}"]


def test_report_then_lookup_in_french(cli: tuple[typer.Typer, list[str]]) -> None:
    app, store = cli
    runner = CliRunner()
    first = runner.invoke(
        app, ["report", "+33612345678", "--category", "one_ring", "--lang", "fr", *store]
    )
    assert first.exit_code == 0, first.output
    assert "stored: counted" in first.output
    assert "Meldpunt" in first.output  # the default home country is BE
    again = runner.invoke(app, ["report", "+33612345678", "--category", "one_ring", *store])
    assert again.exit_code == 2
    assert "already reported" in again.output
    shown = runner.invoke(
        app, ["lookup", "06 12 34 56 78", "--home-country", "FR", "--lang", "fr", *store]
    )
    assert shown.exit_code == 0, shown.output
    assert "1 signalement(s)" in shown.output
    assert "INCONNU" in shown.output


def test_lookup_errors_are_clear(cli: tuple[typer.Typer, list[str]]) -> None:
    app, store = cli
    bad = CliRunner().invoke(app, ["lookup", "hello", *store])
    assert bad.exit_code == 2
    assert "not a phone number" in bad.output
    lang = CliRunner().invoke(app, ["lookup", "+32470123456", "--lang", "de", *store])
    assert lang.exit_code == 2


def test_decide_and_allowlist(cli: tuple[typer.Typer, list[str]]) -> None:
    app, store = cli
    runner = CliRunner()
    decided = runner.invoke(
        app, ["decide", "+39351", "--range", "--verdict", "scam", "--reason", "Wangiri", *store]
    )
    assert decided.exit_code == 0, decided.output
    assert "1 blocklist change(s)" in decided.output
    added = runner.invoke(
        app,
        [
            "allowlist",
            "add",
            "02 555 12 34",
            "--holder",
            "Bank X",
            "--source",
            "https://x.example",
            *store,
        ],
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["allowlist", "list", *store])
    assert "Bank X" in listed.output
    assert "Card Stop" in listed.output
    assert runner.invoke(app, ["allowlist", "remove", "+3225551234", *store]).exit_code == 0
    assert runner.invoke(app, ["allowlist", "remove", "+3225551234", *store]).exit_code == 2
