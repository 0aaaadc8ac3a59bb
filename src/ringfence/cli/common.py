"""Options and helpers shared by the CLI command modules (flags -> Settings, console, errors)."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ringfence.settings import Settings, SettingsError

console = Console()
err_console = Console(stderr=True)

HomeCountryOption = Annotated[
    str | None,
    typer.Option(
        "--home-country",
        help="ISO country of the operator (default: $RINGFENCE_HOME_COUNTRY or BE).",
        show_default=False,
    ),
]


def settings_from_flags(home_country: str | None = None) -> Settings:
    """Settings from defaults, then the environment, then the flags given."""
    try:
        return Settings.from_env(home_country=home_country)
    except SettingsError as error:
        fail(str(error))


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a clear error (what, where, how to fix) in red and exit with `code`."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)
