"""Builds the `ringfence` Typer app from the command modules and runs it."""

from __future__ import annotations

import typer

from ringfence.cli import (
    analyze,
    apikey,
    blocklist,
    classify,
    demo,
    ingest,
    reports,
    reputation,
    screen,
    serve,
    simulate,
    sip,
    stir,
)

app = typer.Typer(
    name="ringfence",
    help=(
        "Detect, screen and explain phone scams: silent calls, spoofed caller IDs, Wangiri "
        "one-ring calls and scam scripts.\n\n"
        "Examples:\n\n"
        "  ringfence demo\n\n"
        "  ringfence simulate --calls 2000000 --seed 7 --out day/\n\n"
        "  ringfence ingest Master.csv --home-country BE --out calls.parquet"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)

demo.register(app)
simulate.register(app)
ingest.register(app)
analyze.register(app)
screen.register(app)
stir.register(app)
sip.register(app)
serve.register(app)
reputation.register(app)
reports.register(app)
apikey.register(app)
blocklist.register(app)
classify.register(app)


def main() -> None:
    """Entry point of the `ringfence` console script."""
    app()
