"""Fixtures shared by the classifier's tests."""

from __future__ import annotations

import pytest
import typer

from ringfence.cli import classify as classify_cli


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    """A Typer application with only the `classify` command, as the CLI registers it."""
    application = typer.Typer()
    classify_cli.register(application)

    @application.callback()
    def _root() -> None:
        """Test root (keeps `classify` a sub-command)."""

    return application
