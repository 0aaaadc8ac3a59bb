"""Docs are tested: a command, setting or detector that the README and docs do not mention
fails here (DESIGN.md, example 7)."""

from __future__ import annotations

from pathlib import Path

import typer

from ringfence.cli.main import app
from ringfence.detect.analysis import DETECTOR_NAMES
from ringfence.screen.screener import _RULES
from ringfence.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DETECT_DOC = (ROOT / "docs" / "detect.md").read_text(encoding="utf-8")


def command_names(group: typer.Typer) -> list[str]:
    names = [
        c.name or (c.callback.__name__ if c.callback else "") for c in group.registered_commands
    ]
    names += [g.name or "" for g in group.registered_groups]
    return [n for n in names if n]


def test_the_readme_opens_with_the_two_setup_commands() -> None:
    head = README[:600]
    assert "make demo" in head
    assert "make test" in head


def test_every_command_is_in_the_readme() -> None:
    missing = [n for n in command_names(app) if f"ringfence {n}" not in README]
    assert not missing, f"commands not shown in README.md: {missing}"


def test_every_setting_is_documented() -> None:
    for setting in SETTINGS:
        assert f"`{setting.name}`" in README
        assert setting.env in README


def test_every_detector_is_documented() -> None:
    for name in DETECTOR_NAMES:
        assert f"`{name}`" in DETECT_DOC
        assert f"`{name}`" in README


def test_every_screening_rule_has_an_outcome_in_the_shipped_policy() -> None:
    policy = (ROOT / "src" / "ringfence" / "data" / "screen" / "policy.toml").read_text()
    for rule in _RULES:
        assert f"\n{rule} = " in policy, rule
