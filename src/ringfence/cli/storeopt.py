"""The `--store URL` option shared by the reputation commands, and opening the store from it."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from ringfence.cli.common import fail
from ringfence.reputation.store import Store, StoreError, default_store_url, open_store
from ringfence.settings import Settings

STORE_ENV = "RINGFENCE_STORE"

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help=(
            "Reputation store: sqlite:///path.db or postgresql://user@host/db "
            "(default: $RINGFENCE_STORE, else sqlite under the data directory)."
        ),
        show_default=False,
    ),
]


def store_url(flag: str | None, settings: Settings) -> str:
    """The flag, else $RINGFENCE_STORE, else the SQLite file under the data directory."""
    return (
        flag or settings.store or os.environ.get(STORE_ENV) or default_store_url(settings.data_dir)
    )


def open_cli_store(flag: str | None, settings: Settings) -> Store:
    """Open the store or exit with a clear error."""
    try:
        return open_store(store_url(flag, settings))
    except StoreError as error:
        fail(str(error))
