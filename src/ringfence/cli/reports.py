"""`ringfence reports ...`: import public complaint data, work the moderation queue, appeal."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ringfence.cli.common import HomeCountryOption, console, fail, settings_from_flags
from ringfence.cli.storeopt import StoreOption, open_cli_store
from ringfence.domain.clock import SystemClock
from ringfence.ingest.rejects import RejectSink
from ringfence.reports.ftc import ImportFormatError, ImportSummary, import_ftc_dnc
from ringfence.reports.moderation import Moderation, ModerationError
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import ModerationStatus


class ImportFormat(StrEnum):
    FTC_DNC = "ftc-dnc"


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help=(
            "Citizens' reports: import public complaint data, moderate floods, appeals.\n\n"
            "Examples:\n\n"
            "  ringfence reports import --format ftc-dnc complaints.csv\n\n"
            "  ringfence reports queue\n\n"
            "  ringfence reports resolve mod-abc123 --action reject --note 'scripted flood'"
        ),
        no_args_is_help=True,
    )
    group.command(
        "import",
        help=(
            "Import complaint data as reports of their own source (weaker than citizens').\n\n"
            "Example: ringfence reports import --format ftc-dnc "
            "ftc-dnc-complaints-2021-07-08.csv --rejects rejects.csv"
        ),
    )(import_command)
    group.command("queue", help="List the moderation queue (open items by default).")(queue_command)
    group.command("resolve", help="Resolve an item: confirm/reject a flood, grant/deny an appeal.")(
        resolve_command
    )
    group.command("appeal", help="File an appeal for a number (as its holder).")(appeal_command)
    app.add_typer(group, name="reports")


def _moderation(store: str | None, home_country: str | None) -> Moderation:
    settings = settings_from_flags(home_country)
    reputations = Reputations(
        open_cli_store(store, settings), SystemClock(), home_country=settings.home_country
    )
    return Moderation(reputations)


def import_command(
    file: Annotated[Path, typer.Argument(help="The complaint file.", exists=True, dir_okay=False)],
    format_: Annotated[ImportFormat, typer.Option("--format", help="File format.")],
    rejects: Annotated[
        Path | None, typer.Option(help="Write rejected rows, with their reason, to this CSV.")
    ] = None,
    store: StoreOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    settings = settings_from_flags(home_country)
    reputations = Reputations(
        open_cli_store(store, settings), SystemClock(), home_country=settings.home_country
    )
    with file.open("rb") as handle:
        total = max(0, sum(1 for _ in handle) - 1)
    sink = RejectSink(rejects)
    try:
        with Progress(
            TextColumn("[bold]importing[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task(file.name, total=total)
            summary = import_ftc_dnc(
                file, reputations, rejects=sink, progress=lambda n: progress.advance(task, n)
            )
            progress.update(task, completed=total)
    except ImportFormatError as error:
        fail(str(error))
    finally:
        sink.close()
    show_import(summary)


def show_import(summary: ImportSummary) -> None:
    table = Table(title=f"Import of {Path(summary.file).name}", header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = [
        ("rows read", summary.rows_read),
        ("imported", summary.imported),
        ("already in the store", summary.already_present),
        ("rejected", summary.rejected_total),
        ("distinct numbers", summary.distinct_numbers),
        ("numbers seen only once", summary.numbers_seen_once),
        ("blocklist changes", summary.blocklist_changes),
    ]
    for name, value in rows:
        table.add_row(name, f"{value:,}")
    console.print(table)
    for title, counter in (
        ("Subjects", summary.subjects),
        ("Categories", summary.categories),
        ("Rejected, by reason", summary.rejected),
    ):
        if not counter:
            continue
        part = Table(title=title, header_style="bold")
        part.add_column(title.lower())
        part.add_column("rows", justify="right")
        for name, value in counter.most_common(15):
            part.add_row(name, f"{value:,}")
        console.print(part)
    if summary.rejects_file:
        console.print(f"rejected rows written to [cyan]{summary.rejects_file}[/]")
    elif summary.rejected_total:
        console.print("(give --rejects FILE to keep the rejected rows with their reasons)")


def queue_command(
    status: Annotated[ModerationStatus, typer.Option(help="Which items.")] = ModerationStatus.OPEN,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    store: StoreOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    moderation = _moderation(store, home_country)
    table = Table(title=f"Moderation queue ({status.value})", header_style="bold")
    for column in ("id", "kind", "number", "created", "reports", "why"):
        table.add_column(column, overflow="fold")
    for item in moderation.queue(status, limit):
        why = item.details.get("reason") or item.details.get("statement") or ""
        table.add_row(
            item.id,
            item.kind.value,
            item.subject,
            item.created_at.strftime("%Y-%m-%d %H:%M"),
            str(len(item.details.get("reports", []))),
            str(why)[:120],
        )
    console.print(table)


def resolve_command(
    item_id: Annotated[str, typer.Argument(help="The moderation item id (mod-...).")],
    action: Annotated[str, typer.Option(help="confirm | reject (floods), grant | deny (appeals).")],
    note: Annotated[str, typer.Option(help="Why (kept with the resolution).")],
    moderator: Annotated[str, typer.Option(help="Who resolves.")] = "cli",
    store: StoreOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    moderation = _moderation(store, home_country)
    try:
        item = moderation.resolve(item_id, action, note=note, actor=moderator)
    except ModerationError as error:
        fail(str(error))
    console.print(f"[green]{item.id}[/] {item.status.value}")


def appeal_command(
    number: Annotated[str, typer.Argument(help="Your number.")],
    statement: Annotated[str, typer.Option(help="Why its level is wrong.")],
    contact: Annotated[str | None, typer.Option(help="How a moderator can reach you.")] = None,
    token: Annotated[str, typer.Option(help="A private token identifying you (16+ chars).")] = (
        "cli-appellant-token"
    ),
    store: StoreOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    moderation = _moderation(store, home_country)
    try:
        item = moderation.appeal(number, statement, client_token=token, contact=contact)
    except (ModerationError, ValueError) as error:
        fail(str(error))
    console.print(f"appeal [green]{item.id}[/] filed for {item.subject}; a moderator will decide")
