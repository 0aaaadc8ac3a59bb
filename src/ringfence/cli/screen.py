"""`ringfence screen`: replay call records through the per-call screener."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pyarrow.parquet as pq
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from ringfence.cli.common import HomeCountryOption, console, fail, settings_from_flags
from ringfence.screen import build_screener
from ringfence.screen.policy import PolicyError
from ringfence.screen.replay import ReplaySummary, replay
from ringfence.screen.screener import Screener
from ringfence.settings import Settings

SCREEN_HELP = """Replay call records through the screener, in event-time order, as if live.

Each call is screened at set-up (allow, label, warn, voicemail or block, with the rules that
fired), then its outcome feeds the live windows. Writes DIR/verdicts.parquet
(call_id, outcome, rules, policy_version) and DIR/replay.json, and prints what would have been
blocked, labelled and allowed; with --truth, which planted campaigns were stopped and after how
many of their calls.

Examples:

  ringfence screen --replay day/calls.parquet --truth day/truth.parquet \\
      --allow-from-abroad day/roaming.csv --out screened/

  ringfence screen --replay calls.parquet --store sqlite:///rf.db --policy my-policy.toml --out s/
"""


def screener_or_fail(settings: Settings, **options: Any) -> Screener:
    """`ringfence.screen.build_screener`, with its errors printed as CLI errors."""
    try:
        return build_screener(settings, **options)
    except (PolicyError, OSError, ValueError) as error:
        fail(str(error))


def print_replay(summary: ReplaySummary, out: Path) -> None:
    rate = summary.to_dict()["verdicts_per_second"] or 0
    outcomes = Table(title=f"{summary.calls:,} calls screened ({rate:,} verdicts/s)")
    outcomes.add_column("outcome")
    outcomes.add_column("calls", justify="right")
    outcomes.add_column("share", justify="right")
    for outcome in ("block", "voicemail", "warn", "label", "allow"):
        n = summary.outcomes.get(outcome, 0)
        outcomes.add_row(outcome, f"{n:,}", f"{n / max(summary.calls, 1):.2%}")
    console.print(outcomes)
    if summary.campaigns:
        table = Table(title="Planted campaigns")
        for name in ("campaign kind", "calls", "stopped", "first stopped at call"):
            table.add_column(name, justify="left" if name == "campaign kind" else "right")
        for kind, stop in sorted(summary.campaigns.items()):
            first = stop.first_stopped_at
            style = "green" if first is not None and first <= 50 else "red"
            stopped = f"{stop.stopped:,} ({stop.stopped / stop.calls:.0%})"
            at = str(first) if first is not None else "never"
            table.add_row(kind, f"{stop.calls:,}", stopped, f"[{style}]{at}")
        console.print(table)
        share = summary.baseline_blocked / max(summary.baseline_calls, 1)
        console.print(
            f"Baseline: {summary.baseline_blocked:,} of {summary.baseline_calls:,} calls blocked "
            f"({share:.3%}), {summary.baseline_labelled:,} labelled."
        )
    console.print(f"Verdicts: [bold]{out / 'verdicts.parquet'}[/]")


def register(app: typer.Typer) -> None:
    @app.command("screen", help=SCREEN_HELP)
    def screen_command(
        replay_from: Annotated[
            list[Path], typer.Option("--replay", help="Canonical Parquet calls to replay.")
        ],
        out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("screened"),
        truth: Annotated[
            Path | None, typer.Option(help="Simulator truth.parquet, to score campaigns.")
        ] = None,
        store: Annotated[
            str | None,
            typer.Option(help="Reputation store URL (sqlite:///... or postgresql://...)."),
        ] = None,
        policy: Annotated[Path | None, typer.Option(help="Policy TOML (default: shipped).")] = None,
        preset: Annotated[Path | None, typer.Option(help="Country preset TOML.")] = None,
        allow_from_abroad: Annotated[
            Path | None, typer.Option(help="Roaming / nomadic numbers allowed from abroad.")
        ] = None,
        do_not_originate: Annotated[Path | None, typer.Option(help="Do-not-originate CSV.")] = None,
        home_country: HomeCountryOption = None,
    ) -> None:
        settings = settings_from_flags(home_country)
        for path in replay_from:
            if not path.exists():
                fail(f"{path}: no such file or directory")
        screener = screener_or_fail(
            settings,
            store_url=store,
            policy_path=policy,
            preset_path=preset,
            allow_from_abroad=allow_from_abroad,
            do_not_originate=do_not_originate,
        )
        total = sum(pq.ParquetFile(p).metadata.num_rows for p in replay_from if p.is_file())
        with Progress(
            *Progress.get_default_columns()[:-1],
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("screening", total=total or None)
            summary = replay(
                replay_from,
                screener,
                out,
                truth=truth,
                progress=lambda n: progress.advance(task, n),
            )
        (out / "replay.json").write_text(json.dumps(summary.to_dict(), indent=2) + "\n")
        print_replay(summary, out)
