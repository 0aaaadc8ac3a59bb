"""`ringfence simulate`: a realistic day of an operator's traffic with planted scam campaigns."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ringfence.cli.common import HomeCountryOption, console, fail, settings_from_flags
from ringfence.simulate import ConfigError, SimulationConfig, SimulationResult, simulate
from ringfence.simulate.presets import PresetError

SIMULATE_HELP = (
    "Simulate a national operator's calls with planted scam campaigns.\n\n"
    "Writes DIR/calls.parquet (canonical call records; with --partition-by-day, "
    "DIR/calls/day=YYYY-MM-DD/part-NNNN.parquet), DIR/truth.parquet (call_id, campaign_id, "
    "campaign_kind of every planted call), DIR/campaigns.json (what was planted: ranges, numbers, "
    "spoofed numbers, counts, time span) and DIR/roaming.csv (roaming subscribers: an allow-list "
    "for `ringfence analyze --allow-from-abroad`).\n\n"
    "Campaign kinds: silent_calls (and silent_calls_callback), wangiri (and wangiri_callback), "
    "cli_spoofing, crypto_scam, harassment, robocall. The same seed and options give identical "
    "files.\n\n"
    "Examples:\n\n"
    "  ringfence simulate --out day/\n\n"
    "  ringfence simulate --calls 10000000 --seed 7 --days 7 --partition-by-day --out week/\n\n"
    "  ringfence simulate --calls 200000 --home-country FR --config campaigns.json --out small/"
)


def _shorten(values: list[str], keep: int) -> str:
    shown = ", ".join(values[:keep])
    return shown + (f" (+{len(values) - keep})" if len(values) > keep else "")


def _table(result: SimulationResult) -> Table:
    table = Table(title="Planted campaigns", title_style="bold", header_style="bold cyan")
    table.add_column("campaign", style="magenta", no_wrap=True, min_width=15)
    table.add_column("calls", justify="right", style="green", no_wrap=True)
    table.add_column("callbacks", justify="right", style="green", no_wrap=True, min_width=9)
    table.add_column("own ranges")
    table.add_column("spoofed / targeted", style="yellow")
    for campaign in result.campaigns:
        main = campaign.calls.get(campaign.kind, 0)
        callbacks = campaign.total_calls - main
        own = _shorten(campaign.ranges, 1)
        if campaign.numbers_total:
            own += f"\n{campaign.numbers_total:,} numbers"
        spoofed = campaign.spoofed_numbers or campaign.targets
        table.add_row(
            campaign.campaign_id,
            f"{main:,}",
            f"{callbacks:,}" if callbacks else "",
            own,
            _shorten(spoofed, 1),
        )
    return table


def _summary(result: SimulationResult) -> Table:
    table = Table(title="Calls written", header_style="bold cyan")
    table.add_column("kind", style="magenta")
    table.add_column("calls", justify="right", style="green")
    table.add_column("share", justify="right")
    for kind, calls in result.calls_by_kind.items():
        if calls:
            table.add_row(kind, f"{calls:,}", f"{calls / result.calls:.2%}")
    table.add_row("[bold]total", f"[bold]{result.calls:,}", "100%")
    return table


def run_simulation(config: SimulationConfig, out: Path, home_country: str | None) -> None:
    """Simulate with a progress bar, then print the planted campaigns."""
    settings = settings_from_flags(home_country)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(
            f"simulating a {settings.home_country} operator", total=config.calls
        )
        try:
            result = simulate(config, out, settings, progress=lambda n: progress.advance(task, n))
        except (ConfigError, PresetError) as error:
            fail(str(error))
        except OSError as error:
            fail(f"cannot write to {out}: {error}")
    console.print(_table(result))
    console.print(_summary(result))
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}")
    where = result.calls_path
    console.print(
        f"Wrote {result.calls:,} calls ({result.span[0]} to {result.span[1]}) to [bold]{where}[/], "
        f"truth to {result.truth_path.name}, campaigns to {result.campaigns_path.name}, "
        f"roaming allow-list to {result.roaming_path.name}."
    )


def register(app: typer.Typer) -> None:
    @app.command("simulate", help=SIMULATE_HELP)
    def simulate_command(
        out: Annotated[Path, typer.Option("--out", help="Directory to write into.")],
        calls: Annotated[
            int | None,
            typer.Option(help="Calls in total, campaigns included (default: 2000000)."),
        ] = None,
        seed: Annotated[int | None, typer.Option(help="Random seed (default: 0).")] = None,
        days: Annotated[
            int | None, typer.Option(help="Local days to simulate (default: 1).")
        ] = None,
        start: Annotated[
            str | None,
            typer.Option(help="First local day, YYYY-MM-DD (default: 2026-11-02)."),
        ] = None,
        config: Annotated[
            Path | None,
            typer.Option(
                "--config",
                help="JSON file of parameters (see docs/simulate.md); flags override it.",
            ),
        ] = None,
        partition_by_day: Annotated[
            bool,
            typer.Option(
                "--partition-by-day",
                help="Write calls/day=YYYY-MM-DD/part-NNNN.parquet instead of calls.parquet.",
            ),
        ] = False,
        home_country: HomeCountryOption = None,
    ) -> None:
        overrides: dict[str, Any] = {}
        for name, value in (("calls", calls), ("seed", seed), ("days", days)):
            if value is not None:
                overrides[name] = value
        if start is not None:
            try:
                overrides["start"] = date.fromisoformat(start).isoformat()
            except ValueError:
                fail(f"--start {start!r}: write the first day as YYYY-MM-DD, e.g. 2026-11-02")
        if partition_by_day:
            overrides["partition_by_day"] = True
        try:
            base = SimulationConfig.from_json(config) if config else SimulationConfig()
            chosen = base.with_overrides(overrides)
        except ConfigError as error:
            fail(str(error))
        run_simulation(chosen, out, home_country)
