"""docs/classify.md documents every type, reason, cue, signal and CLI option of the classifier."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from ringfence.classify.analysis import SIGNALS
from ringfence.classify.cues import default_cue_book
from ringfence.classify.result import REASON_WORDS, TYPES
from ringfence.cli import classify as classify_cli

DOC = (Path(__file__).resolve().parents[2] / "docs" / "classify.md").read_text(encoding="utf-8")


def test_every_type_and_reason_is_documented() -> None:
    for name in (*TYPES, *REASON_WORDS):
        assert f"`{name}`" in DOC, name


def test_every_signal_reason_is_documented() -> None:
    for _, reason in SIGNALS:
        if reason is not None:
            assert f"`{reason}`" in DOC, reason


def test_the_number_of_cues_matches_the_documentation() -> None:
    assert f"{len(default_cue_book().cues)} named cues" in DOC


def test_every_cli_option_is_documented() -> None:
    app = typer.Typer()
    classify_cli.register(app)

    @app.callback()
    def _root() -> None:
        """Test root (keeps `classify` a sub-command)."""

    group = typer.main.get_command(app)
    command = group.commands["classify"]  # type: ignore[attr-defined]
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for option in options:
        if option.startswith("--") and option != "--help":
            assert option in DOC, option
    assert re.search(r"ringfence classify --input", DOC)
