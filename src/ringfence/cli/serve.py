"""`ringfence serve`: the HTTP API (reputation lookups, reports, moderation, operators)."""

from __future__ import annotations

from typing import Annotated

import typer

from ringfence.cli.common import HomeCountryOption, console, fail, settings_from_flags
from ringfence.cli.storeopt import StoreOption, open_cli_store, store_url


def register(app: typer.Typer) -> None:
    app.command(
        "serve",
        help=(
            "Serve the HTTP API: number lookups, reports, moderation, findings and blocklist "
            "deltas (OpenAPI at /docs).\n\n"
            "Examples:\n\n"
            "  ringfence serve\n\n"
            "  ringfence serve --port 8080 --store sqlite:////var/lib/ringfence/ringfence.db\n\n"
            "  ringfence serve --host 0.0.0.0 --workers 4 "
            "--store postgresql://ringfence@db.internal/ringfence"
        ),
    )(serve_command)


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    store: StoreOption = None,
    workers: Annotated[
        int, typer.Option(help="Worker processes (PostgreSQL or SQLite).", min=1, max=64)
    ] = 1,
    cache_ttl: Annotated[
        float, typer.Option(help="Seconds a worker reuses a lookup answer (0: no cache).", min=0)
    ] = 2.0,
    anonymous_rate: Annotated[
        int,
        typer.Option(
            help="Requests per minute per address without an API key (0: no limit).", min=0
        ),
    ] = 120,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    home_country: HomeCountryOption = None,
) -> None:
    settings = settings_from_flags(home_country)
    url = store_url(store, settings)
    opened = open_cli_store(url, settings)  # migrate once, and fail early with a clear error
    shown = opened.url
    opened.close()
    from ringfence.api.server import serve

    console.print(
        f"[bold]ringfence[/] API on [cyan]http://{host}:{port}[/] "
        f"(docs at /docs), store [green]{shown}[/], {workers} worker(s)"
    )
    try:
        serve(
            url,
            host=host,
            port=port,
            workers=workers,
            config={"cache_ttl_s": cache_ttl, "anonymous_rate_per_minute": anonymous_rate},
            log_level=log_level,
        )
    except OSError as error:
        fail(f"cannot listen on {host}:{port}: {error}; choose another --port")


def main() -> None:
    """`python -m ringfence.cli.serve`: the server alone (before the command is wired into the
    `ringfence` app, and for process supervisors)."""
    app = typer.Typer(add_completion=False)
    app.command()(serve_command)
    app()


if __name__ == "__main__":
    main()
