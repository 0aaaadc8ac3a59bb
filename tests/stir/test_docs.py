"""docs/stir.md documents every failure, SIP code, command, option and public name."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.main import get_command

import ringfence.stir
from ringfence.cli import stir as stir_cli
from ringfence.stir import SIP_REASONS, StirFailure

DOC = (Path(__file__).resolve().parents[2] / "docs" / "stir.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("failure", list(StirFailure), ids=lambda f: f.value)
def test_every_failure_is_in_the_table_with_its_code(failure: StirFailure) -> None:
    rows = [line for line in DOC.splitlines() if f"`{failure.value}`" in line]
    assert rows, f"{failure.value} is not documented"
    assert any(f"| {failure.sip_code}" in row for row in rows), rows


@pytest.mark.parametrize(("code", "reason"), sorted(SIP_REASONS.items()))
def test_every_sip_code_is_documented(code: int, reason: str) -> None:
    assert f"{code} {reason}" in DOC


def test_every_command_and_option_is_documented() -> None:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test app"""

    stir_cli.register(app)
    group = get_command(app).commands["stir"]  # type: ignore[attr-defined]
    for name, command in group.commands.items():
        assert f"ringfence stir {name}" in DOC, name
        for param in command.params:
            for option in param.opts:
                if option.startswith("--") and option != "--help":
                    assert option in DOC, f"{name} {option}"


@pytest.mark.parametrize("name", ringfence.stir.__all__)
def test_public_names_are_documented(name: str) -> None:
    assert f"`{name}" in DOC
