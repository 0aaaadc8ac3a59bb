"""`ringfence ingest`: call-detail records of any supported format to canonical Parquet.

The command only turns flags into `Settings` and `ReaderOptions`, calls
`ringfence.ingest.ingest_files`, shows a progress bar (bytes read) and a summary table.
Exit codes: 0 the run completed (rejected rows included), 1 the run stopped (`--strict` met a bad
row, or a file broke off in the middle), 2 the run could not start (usage: a missing file, an
unknown format or option value, a file whose format or header is wrong).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ringfence.cli.common import HomeCountryOption, console, fail, settings_from_flags
from ringfence.domain.calls import Direction, Ingress
from ringfence.ingest import (
    DEFAULT_CHUNK_ROWS,
    FORMATS,
    IngestError,
    IngestSummary,
    ReaderOptions,
    StrictIngestError,
    ingest_files,
)
from ringfence.ingest.pipeline import resolve_inputs

HELP = "\n\n".join(
    [
        "Convert call-detail records to canonical Parquet, numbers normalised to E.164.",
        f"Formats ({', '.join(FORMATS)}) are detected from the content; --format forces one.",
        "Bad rows are never dropped in silence: they go to <out stem>.rejects.csv (file, line, "
        "reason, raw) and are counted in the summary (read = written + rejected).",
        "Exit codes: 0 done (even with rejects), 1 stopped (--strict, or a file broke off), "
        "2 could not start (missing file, wrong format or header, bad option).",
        "Examples:",
        "  ringfence ingest calls.csv --out calls.parquet",
        "  ringfence ingest Master.csv --home-country FR --cdr-timezone Europe/Paris "
        "--out fr.parquet",
        "  ringfence ingest gw/Master.csv --format freeswitch --ingress international "
        "--out gw.parquet",
        "  ringfence ingest day1.jsonl day2.csv history/ --out all.parquet --strict",
    ]
)


def register(app: typer.Typer) -> None:
    """Add the `ingest` command to `app`."""
    app.command("ingest", help=HELP)(ingest)


def ingest(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Call-record files (CSV, JSON Lines, Parquet, Asterisk or FreeSWITCH CSV) or "
            "directories of Parquet files.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Parquet file to write (replaced if it exists)."),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=f"Force the input format: {', '.join(FORMATS)} (default: detected).",
            show_default=False,
        ),
    ] = None,
    home_country: HomeCountryOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first bad row (exit code 1).")
    ] = False,
    direction: Annotated[
        Direction | None,
        typer.Option(
            help="Direction of every Asterisk/FreeSWITCH call (default: from the context name, "
            "else inbound).",
            show_default=False,
        ),
    ] = None,
    ingress: Annotated[
        Ingress | None,
        typer.Option(
            help="Ingress of every Asterisk/FreeSWITCH call, e.g. international for the files "
            "of an international gateway (default: from the context, else the caller's number).",
            show_default=False,
        ),
    ] = None,
    cdr_timezone: Annotated[
        str,
        typer.Option(
            "--cdr-timezone",
            help="IANA time zone of timestamps written without offset (PBX local time).",
        ),
    ] = "UTC",
    encoding: Annotated[
        str | None,
        typer.Option(
            help="Text encoding, e.g. latin-1 or cp1252 (default: UTF-8, or UTF-16 with BOM).",
            show_default=False,
        ),
    ] = None,
    chunk_rows: Annotated[
        int, typer.Option("--chunk-rows", help="Rows per chunk: bounds memory.", min=1)
    ] = DEFAULT_CHUNK_ROWS,
) -> None:
    settings = settings_from_flags(home_country)
    try:
        options = ReaderOptions(
            direction=direction,
            ingress=ingress,
            timezone=cdr_timezone,
            encoding=encoding,
            chunk_rows=chunk_rows,
        )
        resolve_inputs(files, fmt, options, settings)
    except IngestError as error:
        fail(str(error))
    total = sum(_size(path) for path in files)
    with Progress(
        TextColumn("[bold blue]ingest"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=total or None)
        try:
            summary = ingest_files(
                files,
                out,
                settings,
                strict=strict,
                fmt=fmt,
                options=options,
                progress=lambda nbytes: progress.advance(task, nbytes),
            )
        except StrictIngestError as error:
            progress.stop()
            fail(str(error), code=1)
        except IngestError as error:
            progress.stop()
            fail(f"{error} (nothing was written to {out})", code=1)
    show_summary(summary)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*.parquet") if p.is_file())
    return path.stat().st_size if path.exists() else 0


def show_summary(summary: IngestSummary, examples: int = 5) -> None:
    """A table of rows read, written and rejected per input, then where the output went."""
    table = Table(title="ingest", title_style="bold")
    table.add_column("input", style="cyan", overflow="fold")
    table.add_column("format")
    table.add_column("read", justify="right")
    table.add_column("written", justify="right", style="green")
    table.add_column("rejected", justify="right")
    table.add_column("notes", overflow="fold")
    for file in summary.files:
        table.add_row(
            str(file.path),
            file.format,
            f"{file.read:,}",
            f"{file.written:,}",
            f"[red]{file.rejected:,}[/]" if file.rejected else "0",
            "\n".join(note.split(": ", 1)[-1] for note in file.describe()),
        )
    table.add_section()
    table.add_row(
        "[bold]total",
        "",
        f"[bold]{summary.read:,}",
        f"[bold]{summary.written:,}",
        f"[bold red]{summary.rejected:,}" if summary.rejected else "[bold]0",
        "",
    )
    console.print(table)
    console.print(f"[green]wrote[/] {summary.written:,} calls to {summary.out}")
    if summary.rejected:
        console.print(
            f"[red]rejected[/] {summary.rejected:,} rows, listed with reasons in "
            f"{summary.rejects_path}"
        )
        _show_examples(summary, examples)


def _show_examples(summary: IngestSummary, limit: int) -> None:
    if summary.rejects_path is None or not summary.rejects_path.exists():
        return
    with summary.rejects_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for index, row in enumerate(reader):
            if index >= limit:
                console.print(f"  ... see {summary.rejects_path}")
                break
            console.print(f"  {row['file']}:{row['line']}: {row['reason']}", highlight=False)
