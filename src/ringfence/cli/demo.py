"""`ringfence demo`: the main job on the embedded default, from nothing to report.html.

Simulates a day of a national operator's traffic with planted scam campaigns, analyses it on
DuckDB, scores the analysis against the planted truth and prints where the report is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from ringfence.cli.analyze import build_context, print_evaluation, run_analysis
from ringfence.cli.common import HomeCountryOption, console, settings_from_flags
from ringfence.detect.evaluate import evaluate_paths, write_evaluation
from ringfence.simulate import SimulationConfig, simulate

DEMO_HELP = """Simulate a day of traffic with planted scam campaigns, analyse it, and score it.

Writes OUT/day/ (calls.parquet, truth.parquet, campaigns.json, roaming.csv) and OUT/analysis/
(findings.jsonl, flagged_calls.parquet, report.html, evaluation.json).

Examples:

  ringfence demo

  ringfence demo --calls 200000 --seed 3 --home-country FR --out /tmp/demo
"""


def register(app: typer.Typer) -> None:
    @app.command("demo", help=DEMO_HELP)
    def demo_command(
        out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("demo-output"),
        calls: Annotated[int, typer.Option(help="Calls to simulate.")] = 2_000_000,
        seed: Annotated[int, typer.Option(help="Random seed (same seed, same day).")] = 7,
        home_country: HomeCountryOption = None,
    ) -> None:
        settings = settings_from_flags(home_country)
        day = out / "day"
        console.rule(f"1. Simulating {calls:,} calls of a {settings.home_country} operator")
        config = SimulationConfig(calls=calls, seed=seed)
        with Progress(
            *Progress.get_default_columns()[:-1], BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console, transient=True,
        ) as progress:  # fmt: skip
            task = progress.add_task("simulating", total=calls)
            result = simulate(config, day, settings, progress=lambda n: progress.advance(task, n))
        console.print(f"Planted campaigns: {len(result.campaigns)}; calls in {day}")
        console.rule("2. Analysing on DuckDB")
        roaming = day / "roaming.csv"
        ctx = build_context(settings, roaming if roaming.exists() else None, None)
        analysis = out / "analysis"
        run_analysis([day / "calls.parquet"], analysis, settings, ctx=ctx)
        console.rule("3. Scoring against the planted truth")
        evaluation = evaluate_paths(day / "truth.parquet", analysis)
        write_evaluation(evaluation, analysis)
        print_evaluation(evaluation)
        console.print(
            Panel.fit(
                f"Open the analyst report: [bold green]{(analysis / 'report.html').resolve()}[/]\n"
                f"Findings: {analysis / 'findings.jsonl'} · truth: {day / 'truth.parquet'}",
                title="ringfence demo",
            )
        )
