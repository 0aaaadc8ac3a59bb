"""docs/sip.md documents every option, counter, answer code and verdict outcome."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from ringfence.cli import sip as sip_cli
from ringfence.domain.verdicts import Outcome
from ringfence.sip.handler import SipStats
from ringfence.sip.response import REASON_PHRASES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "sip.md").read_text(encoding="utf-8")


def test_every_option_is_documented() -> None:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    sip_cli.register(app)
    command = get_command(app).commands["sip"]  # type: ignore[attr-defined]
    for param in command.params:
        for option in param.opts:
            if option.startswith("--") and option != "--help":
                assert f"`{option}" in DOC, option


@pytest.mark.parametrize("counter", [f.name for f in dataclasses.fields(SipStats)])
def test_every_counter_is_documented(counter: str) -> None:
    assert f"`{counter}`" in DOC


@pytest.mark.parametrize(("code", "reason"), sorted(REASON_PHRASES.items()))
def test_every_answer_code_is_documented(code: int, reason: str) -> None:
    assert f"{code}" in DOC
    assert reason in DOC, f"{code} {reason}"


@pytest.mark.parametrize("outcome", [o.value for o in Outcome])
def test_every_outcome_has_its_answer(outcome: str) -> None:
    assert f"| `{outcome}` |" in DOC
