"""`ringfence apikey create|list|revoke`: API keys with scopes for the HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ringfence.api.keys import SCOPES, ApiKeyError, create_api_key
from ringfence.cli.common import HomeCountryOption, console, fail, settings_from_flags
from ringfence.cli.storeopt import StoreOption, open_cli_store
from ringfence.domain.clock import SystemClock


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help=(
            f"API keys with scopes ({', '.join(SCOPES)}), stored hashed.\n\n"
            "Examples:\n\n"
            "  ringfence apikey create --name operator-x --scope operator\n\n"
            "  ringfence apikey create --name moderators --scope moderator --scope citizen\n\n"
            "  ringfence apikey list\n\n"
            "  ringfence apikey revoke key-1a2b3c4d5e6f"
        ),
        no_args_is_help=True,
    )
    group.command("create", help="Create a key; it is shown once.")(create_command)
    group.command("list", help="List keys (never the keys themselves).")(list_command)
    group.command("revoke", help="Revoke a key by its id.")(revoke_command)
    app.add_typer(group, name="apikey")


def create_command(
    name: Annotated[str, typer.Option(help="Who or what uses the key.")],
    scope: Annotated[list[str], typer.Option(help=f"Scope(s): {', '.join(SCOPES)}.")],
    store: StoreOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    settings = settings_from_flags(home_country)
    opened = open_cli_store(store, settings)
    try:
        key, record = create_api_key(opened, name, scope, SystemClock())
    except ApiKeyError as error:
        fail(str(error))
    console.print(f"key id [cyan]{record.id}[/] for {record.name} ({', '.join(record.scopes)})")
    console.print("[bold]the key (shown once; send it as X-API-Key):[/]")
    print(key)


def list_command(store: StoreOption = None, home_country: HomeCountryOption = None) -> None:
    opened = open_cli_store(store, settings_from_flags(home_country))
    table = Table(title="API keys", header_style="bold")
    for column in ("id", "name", "scopes", "created", "revoked"):
        table.add_column(column)
    for key in opened.api_keys():
        table.add_row(
            key.id,
            key.name,
            ", ".join(key.scopes),
            key.created_at.strftime("%Y-%m-%d %H:%M"),
            key.revoked_at.strftime("%Y-%m-%d %H:%M") if key.revoked_at else "",
        )
    console.print(table)


def revoke_command(
    key_id: Annotated[str, typer.Argument(help="The key id (key-...).")],
    store: StoreOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    opened = open_cli_store(store, settings_from_flags(home_country))
    if not opened.revoke_api_key(key_id, SystemClock().now()):
        fail(f"no active key {key_id!r}; see `ringfence apikey list`")
    console.print(f"{key_id} revoked (workers notice within 30 s)")
