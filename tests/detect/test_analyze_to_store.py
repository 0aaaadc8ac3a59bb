"""`ringfence analyze --store` feeds the reputation store: blocklists follow from an analysis,
and the innocent owners of spoofed numbers are marked spoofed and never exported."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ringfence.cli.main import app
from ringfence.domain.clock import FixedClock
from ringfence.export import ExportFormat, build_export
from ringfence.reputation.model import State
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import open_store
from tests.detect import builders
from tests.detect.scenario import BANK, mixed_day

runner = CliRunner()


def test_findings_reach_the_store_and_blocklists_spare_the_victims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Findings decay (14-day half-life): analyse yesterday's traffic, as an operator would.
    monkeypatch.setattr(builders, "T0", datetime.now(UTC) - timedelta(days=1))
    log, _ = mixed_day()
    calls = log.write(tmp_path / "day")
    dno = tmp_path / "dno.csv"
    dno.write_text(f"number,holder,category,source\n{BANK},Example Bank,bank,test\n")
    url = f"sqlite:///{tmp_path / 'rf.db'}"
    args = ["analyze", str(calls), "--do-not-originate", str(dno), "--store", url,
            "--out", str(tmp_path / "analysis")]  # fmt: skip
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, args)  # idempotent by finding id
    assert again.exit_code == 0, again.output
    assert "0 findings applied" in " ".join(again.output.split())

    store = open_store(url)
    try:
        reputations = Reputations(store, FixedClock(datetime.now(UTC)), home_country="BE")
        owner = "+32470000555"  # the number the scenario's silent calls spoofed and was called back
        assert reputations.view(reputations.parse(owner)).state is State.SPOOFED
        assert reputations.view(reputations.parse(BANK)).state is State.SPOOFED
        export = build_export(reputations, ExportFormat.JSON)
        listed = {e["subject"] for e in json.loads(export.body)["entries"]}
        assert listed, "the Wangiri range and the robocaller should be blocklisted"
        assert any(s.startswith("+39351") for s in listed)
        assert owner not in listed
        assert BANK not in listed
    finally:
        store.close()
