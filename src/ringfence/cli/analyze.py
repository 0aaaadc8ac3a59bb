"""`ringfence analyze` and `ringfence evaluate`: campaigns in call records, and how well found."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from ringfence.cli.common import HomeCountryOption, console, fail, settings_from_flags
from ringfence.detect.analysis import (
    DETECTOR_NAMES,
    AnalysisResult,
    analyze,
    default_detectors,
    write_analysis,
)
from ringfence.detect.batch.common import DetectionContext
from ringfence.detect.engine import EngineError, open_engine
from ringfence.detect.evaluate import Evaluation, evaluate_paths, write_evaluation
from ringfence.detect.report import write_report
from ringfence.lists import load_do_not_originate, load_number_list
from ringfence.settings import Settings

ANALYZE_HELP = """Find scam campaigns in call records and explain each one.

Reads canonical Parquet (as written by `ringfence simulate` or `ringfence ingest`), directories
of it (partitioned by day), or any format `ringfence ingest` reads (converted first). Writes
DIR/findings.jsonl, DIR/flagged_calls.parquet, DIR/summary.json and DIR/report.html.

Examples:

  ringfence analyze day/calls.parquet --out analysis/

  ringfence analyze day/calls/ --engine spark --spark-master spark://head:7077 --out analysis/

  ringfence analyze Master.csv --home-country FR --allow-from-abroad roaming.csv --out analysis/
"""


def build_context(
    settings: Settings, allow_from_abroad: Path | None, do_not_originate: Path | None
) -> DetectionContext:
    try:
        allowed = (
            load_number_list(allow_from_abroad, settings.home_country)
            if allow_from_abroad
            else frozenset()
        )
        dno = load_do_not_originate(do_not_originate, settings.home_country)
    except (OSError, ValueError) as error:
        fail(str(error))
    return DetectionContext(settings.home_country, dno, allowed)


def resolve_sources(paths: list[Path], settings: Settings, workdir: Path) -> list[Path]:
    """Canonical Parquet as is; other formats ingested into `workdir` first."""
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or directory")
    from ringfence.ingest import canonical_parquet_sources

    sources, summary = canonical_parquet_sources(paths, workdir, settings)
    if summary is not None and summary.rejected:
        console.print(
            f"[yellow]{summary.rejected} row(s) rejected while reading; see {summary.rejects_path}"
        )
    return list(sources)


def run_analysis(
    paths: list[Path],
    out: Path,
    settings: Settings,
    *,
    engine_name: str = "duckdb",
    spark_master: str = "local[*]",
    ctx: DetectionContext,
    detectors: list[str] | None = None,
) -> AnalysisResult:
    """Analyse with a progress bar, write every output, print the summary."""
    chosen = [d for d in default_detectors() if detectors is None or d.name in detectors]
    with tempfile.TemporaryDirectory(prefix="ringfence-") as workdir:
        sources = resolve_sources(paths, settings, Path(workdir))
        try:
            engine = open_engine(engine_name, spark_master=spark_master)
        except (EngineError, ValueError) as error:
            fail(str(error))
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} detectors"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task(f"analysing on {engine_name}", total=len(chosen))

            result = analyze(
                sources, engine, ctx, detectors=chosen, on_detector=_advance(progress, task)
            )
            progress.update(task, completed=len(chosen))
        write_analysis(result, out)
        report = write_report(result, sources, out)
        engine.close()
    print_summary(result, out, report)
    return result


def _advance(progress: Progress, task: TaskID) -> Callable[[str], None]:
    """A callback that moves the bar on when the next detector starts."""
    started = [0]

    def on_detector(name: str) -> None:
        if started[0]:
            progress.advance(task)
        started[0] += 1
        progress.update(task, description=f"running {name}")

    return on_detector


def print_summary(result: AnalysisResult, out: Path, report: Path) -> None:
    table = Table(
        title=f"{len(result.findings)} findings in {result.calls:,} calls ({result.engine})"
    )
    table.add_column("score", justify="right")
    table.add_column("detector", style="cyan")
    table.add_column("finding")
    table.add_column("calls", justify="right")
    ranked = sorted(result.findings, key=lambda f: (-f.score, f.detector, f.finding_id))
    for finding in ranked[:25]:
        calls = finding.counts.get("calls", finding.counts.get("callbacks", 0))
        colour = "red" if finding.score >= 0.8 else "yellow" if finding.score >= 0.5 else "white"
        table.add_row(
            f"[{colour}]{finding.score:.2f}", finding.detector, finding.title, f"{int(calls):,}"
        )
    if len(ranked) > 25:
        table.caption = f"... and {len(ranked) - 25} more in {out / 'findings.jsonl'}"
    console.print(table)
    seconds = sum(result.seconds.values())
    console.print(
        f"Analysed in {seconds:.1f} s. Outputs in [bold]{out}[/]: findings.jsonl, "
        f"flagged_calls.parquet, summary.json.\nReport: [bold green]{report}[/]"
    )


def feed_store(url: str, result: AnalysisResult, settings: Settings) -> None:
    """Apply the findings to the reputation store (idempotent by finding id)."""
    from ringfence.domain.clock import SystemClock
    from ringfence.reputation.findings import apply_findings
    from ringfence.reputation.store import StoreError, open_store

    try:
        store = open_store(url)
    except StoreError as error:
        fail(str(error))
    try:
        summary = apply_findings(
            store, result.findings, clock=SystemClock(), home_country=settings.home_country
        )
    finally:
        store.close()
    console.print(
        f"Reputation store {url}: {summary.applied} findings applied, {summary.unchanged} "
        f"unchanged, {summary.blocklist_changes} blocklist changes."
    )


def print_evaluation(evaluation: Evaluation) -> None:
    table = Table(title="Call-level precision and recall per campaign kind")
    for name in ("campaign kind", "truth calls", "flagged", "precision", "recall"):
        table.add_column(name, justify="left" if name == "campaign kind" else "right")
    for kind in evaluation.kinds:
        good = kind.precision >= 0.95 and kind.recall >= 0.95
        style = "green" if good else "red"
        table.add_row(
            kind.kind,
            f"{kind.truth_calls:,}",
            f"{kind.flagged_calls:,}",
            f"[{style}]{kind.precision:.3f}",
            f"[{style}]{kind.recall:.3f}",
        )
    console.print(table)
    console.print(
        f"{evaluation.findings} findings, {len(evaluation.false_findings)} false "
        "(under half of their calls in any planted campaign)."
    )
    for signal in evaluation.signals:
        console.print(
            f"  signal {signal['signal']}: {signal['calls']:,} calls, "
            f"{signal['campaign_share']:.1%} of them in planted campaigns"
        )


def register(app: typer.Typer) -> None:
    @app.command("analyze", help=ANALYZE_HELP)
    def analyze_command(
        paths: Annotated[list[Path], typer.Argument(help="Call records: files or directories.")],
        out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("analysis"),
        engine: Annotated[str, typer.Option(help="duckdb (embedded) or spark.")] = "duckdb",
        spark_master: Annotated[
            str, typer.Option(help="Spark master URL: local[*] or spark://host:7077.")
        ] = "local[*]",
        home_country: HomeCountryOption = None,
        allow_from_abroad: Annotated[
            Path | None,
            typer.Option(
                help="National numbers allowed on international ingress (roaming, nomadic)."
            ),
        ] = None,
        do_not_originate: Annotated[
            Path | None,
            typer.Option(help="Do-not-originate list CSV (number, holder, category, source)."),
        ] = None,
        store: Annotated[
            str | None,
            typer.Option(
                help="Feed the findings into this reputation store (sqlite:///... or "
                "postgresql://...), so that alerts and blocklists follow from the analysis."
            ),
        ] = None,
        detector: Annotated[
            list[str] | None,
            typer.Option(
                help=f"Run only these detectors (repeatable): {', '.join(DETECTOR_NAMES)}."
            ),
        ] = None,
    ) -> None:
        settings = settings_from_flags(home_country)
        unknown = sorted(set(detector or []) - set(DETECTOR_NAMES))
        if unknown:
            fail(f"unknown detector(s) {unknown}; choose from {', '.join(DETECTOR_NAMES)}")
        ctx = build_context(settings, allow_from_abroad, do_not_originate)
        result = run_analysis(
            paths,
            out,
            settings,
            engine_name=engine,
            spark_master=spark_master,
            ctx=ctx,
            detectors=detector or None,
        )
        if store is not None:
            feed_store(store, result, settings)

    @app.command(
        "evaluate",
        help=(
            "Call-level precision and recall per campaign kind, against the simulator's truth.\n\n"
            "Example:\n\n  ringfence evaluate --truth day/truth.parquet --out analysis/"
        ),
    )
    def evaluate_command(
        truth: Annotated[Path, typer.Option("--truth", help="truth.parquet from simulate.")],
        out: Annotated[
            Path, typer.Option("--out", help="The analysis directory (evaluation.json goes there).")
        ] = Path("analysis"),
    ) -> None:
        if not truth.exists():
            fail(f"{truth}: no such file; `ringfence simulate` writes DIR/truth.parquet")
        try:
            evaluation = evaluate_paths(truth, out)
        except FileNotFoundError as error:
            fail(str(error))
        path = write_evaluation(evaluation, out)
        print_evaluation(evaluation)
        console.print(f"Written: {path}")
