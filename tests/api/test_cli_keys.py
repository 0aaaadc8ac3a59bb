"""`ringfence apikey create|list|revoke` and `ringfence serve --help`."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ringfence.api.keys import KeyChecker
from ringfence.cli import apikey, serve
from ringfence.reputation.store import open_store


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("RINGFENCE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    built = typer.Typer()
    apikey.register(built)
    serve.register(built)
    return built


def test_create_list_revoke(app: typer.Typer, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    runner = CliRunner()
    created = runner.invoke(
        app, ["apikey", "create", "--name", "op", "--scope", "operator", "--store", url]
    )
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert key.startswith("rf_")
    store = open_store(url)
    record = KeyChecker(store, ttl_s=0).check(key)
    assert record is not None
    assert record.scopes == ("operator",)
    listed = runner.invoke(app, ["apikey", "list", "--store", url])
    assert record.id in listed.output
    assert key not in listed.output
    assert runner.invoke(app, ["apikey", "revoke", record.id, "--store", url]).exit_code == 0
    assert KeyChecker(store, ttl_s=0).check(key) is None
    store.close()
    bad = runner.invoke(app, ["apikey", "create", "--name", "x", "--scope", "root", "--store", url])
    assert bad.exit_code == 2
    assert "scopes must be among" in bad.output


def test_serve_help_has_examples(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--workers" in result.output
    assert "Examples" in result.output
