"""`ringfence lookup`, `ringfence report`, `ringfence decide` and `ringfence allowlist`: the
reputation library from the terminal, on the same store as the API."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from ringfence.cli.common import HomeCountryOption, console, fail, settings_from_flags
from ringfence.cli.storeopt import StoreOption, open_cli_store
from ringfence.domain.clock import SystemClock
from ringfence.domain.numbers import NumberError
from ringfence.reports.desk import ReportDesk
from ringfence.reports.model import Channel, ReportError, ReportInput
from ringfence.reputation.decisions import decide
from ringfence.reputation.explain import LANGUAGES, word
from ringfence.reputation.model import Category, SubjectKind, Verdict
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import AllowEntry
from ringfence.settings import Settings

_COLOURS = {"safe": "green", "unknown": "white", "suspicious": "yellow", "scam": "red"}

LangOption = Annotated[
    str, typer.Option("--lang", help=f"Language of reasons and advice: {', '.join(LANGUAGES)}.")
]


def register(app: typer.Typer) -> None:
    app.command(
        "lookup",
        help=(
            "Show a number's reputation: level, score, reasons and advice.\n\n"
            "Examples:\n\n"
            "  ringfence lookup '0470 12 34 56'\n\n"
            "  ringfence lookup +393511234567 --lang fr --store sqlite:///rf.db"
        ),
    )(lookup_command)
    app.command(
        "report",
        help=(
            "Report a scam call or message about a number (counted like a citizen's report).\n\n"
            "Examples:\n\n"
            "  ringfence report +393511234567 --category one_ring\n\n"
            "  ringfence report 0470123456 --category bank_impersonation --channel sms "
            "--text 'Your card is blocked, call...'"
        ),
    )(report_command)
    app.command(
        "decide",
        help=(
            "Record an operator's decision about a number or range: scam, safe, spoofed, "
            "clear.\n\n"
            "Examples:\n\n"
            "  ringfence decide +39351 --range --verdict scam --reason 'Wangiri' --days 30\n\n"
            "  ringfence decide +32470123456 --verdict spoofed --reason 'callback storm'"
        ),
    )(decide_command)
    allow = typer.Typer(
        help=(
            "The allow-list of verified numbers (shipped data file plus the store's entries).\n\n"
            "Examples:\n\n"
            "  ringfence allowlist list\n\n"
            "  ringfence allowlist add +3225551234 --holder 'Bank X' --source https://bank.example"
        ),
        no_args_is_help=True,
    )
    allow.command("list", help="List allow-listed numbers.")(allowlist_list)
    allow.command("add", help="Add a verified number to the store's allow-list.")(allowlist_add)
    allow.command("remove", help="Remove a number from the store's allow-list.")(allowlist_remove)
    app.add_typer(allow, name="allowlist")


def _services(store_flag: str | None, home_country: str | None) -> tuple[Settings, Reputations]:
    settings = settings_from_flags(home_country)
    store = open_cli_store(store_flag, settings)
    return settings, Reputations(store, SystemClock(), home_country=settings.home_country)


def lookup_command(
    number: Annotated[str, typer.Argument(help="The number, in any written form.")],
    store: StoreOption = None,
    lang: LangOption = "en",
    home_country: HomeCountryOption = None,
) -> None:
    if lang not in LANGUAGES:
        fail(f"--lang {lang!r} is not one of {', '.join(LANGUAGES)}")
    _, reputations = _services(store, home_country)
    try:
        view = reputations.view(reputations.parse(number))
    except NumberError as error:
        fail(str(error))
    show_view(view.to_dict(lang))


def show_view(data: dict[str, Any]) -> None:
    """A Rich panel with the level, the reasons and the advice of a lookup."""
    colour = _COLOURS.get(data["level"], "white")
    lines = [
        f"[bold {colour}]{data['level_label'].upper()}[/]  score {data['score']:.0f}/100"
        + ("   [bold magenta]SPOOFED[/]" if data["state"] == "spoofed" else ""),
        f"{data['number']}  ({data['country'] or '?'}, {data['number_type']}, {data['validity']})",
        "",
    ]
    lines += [f"• {r['text']}" for r in data["reasons"]]
    if data["advice"]:
        lines.append("")
        lines += [f"[bold]→[/] {a['text']}" for a in data["advice"]]
    console.print(Panel("\n".join(lines), title="ringfence lookup", border_style=colour))
    counts = {k: v for k, v in data["counts"].items() if v}
    if counts or data["categories"]:
        table = Table(title="Evidence", show_header=True, header_style="bold")
        table.add_column("what")
        table.add_column("count", justify="right")
        for name, value in counts.items():
            table.add_row(name, str(value))
        for name, value in data["categories"].items():
            table.add_row(f"category: {word('categories', name, data['language'])}", str(value))
        console.print(table)


def _client_token(settings: Settings, given: str | None) -> str:
    """The CLI's own reporter token: given, else kept in the data directory (made once)."""
    if given:
        return given
    path = Path(settings.data_dir) / "cli-client-token"
    if path.exists():
        return path.read_text().strip()
    token = "cli-" + secrets.token_urlsafe(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(token + "\n")
    path.chmod(0o600)
    return token


def report_command(
    number: Annotated[str, typer.Argument(help="The number that called or wrote.")],
    category: Annotated[Category, typer.Option(help="What kind of scam.")],
    channel: Annotated[Channel, typer.Option(help="How it came.")] = Channel.CALL,
    text: Annotated[str | None, typer.Option(help="The message text, if any.")] = None,
    occurred_at: Annotated[
        str | None, typer.Option(help="When (ISO 8601, default now), e.g. 2026-03-01T14:05:00Z.")
    ] = None,
    called_back: Annotated[bool, typer.Option(help="You called the number back.")] = False,
    money_lost: Annotated[bool, typer.Option(help="You lost money.")] = False,
    token: Annotated[
        str | None,
        typer.Option(help="Reporter token (default: one kept in the data directory)."),
    ] = None,
    lang: LangOption = "en",
    store: StoreOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    settings, reputations = _services(store, home_country)
    fields: dict[str, Any] = {
        "number": number,
        "category": category.value,
        "channel": channel.value,
        "called_back": called_back,
        "money_lost": money_lost,
        "language": lang,
    }
    if text is not None:
        fields["text"] = text
    if occurred_at is not None:
        fields["occurred_at"] = occurred_at
    try:
        data = ReportInput.from_mapping(fields)
        submission = ReportDesk(reputations).submit(
            data, client_token=_client_token(settings, token), source="cli", reply_language=lang
        )
    except ReportError as error:
        fail(str(error))
    state = "held for a moderator (flood)" if submission.held else "counted"
    console.print(f"[green]report {submission.report.id}[/] stored: {state}")
    show_view(submission.view.to_dict(lang))
    if submission.referrals:
        table = Table(title="Also report it here", header_style="bold")
        for column in ("where", "address", "send", "how"):
            table.add_column(column, overflow="fold")
        for r in submission.referrals:
            table.add_row(r.name, r.address, r.send, r.how)
        console.print(table)


def decide_command(
    subject: Annotated[str, typer.Argument(help="A number, or a range prefix with --range.")],
    verdict: Annotated[Verdict, typer.Option(help="The decision.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the decision).")],
    range_: Annotated[bool, typer.Option("--range", help="SUBJECT is a range prefix.")] = False,
    days: Annotated[
        float | None, typer.Option(help="Expire after this many days (default: never).", min=0.01)
    ] = None,
    store: StoreOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    _, reputations = _services(store, home_country)
    expires = reputations.clock.now() + timedelta(days=days) if days else None
    try:
        decision = decide(
            reputations,
            subject,
            verdict,
            kind=SubjectKind.RANGE if range_ else SubjectKind.NUMBER,
            reason=reason,
            expires_at=expires,
            actor="cli",
        )
    except ValueError as error:
        fail(str(error))
    console.print(
        f"[green]{decision.decision_id}[/]: {decision.subject} is {verdict.value}; "
        f"{len(decision.changes)} blocklist change(s)"
    )


def allowlist_list(store: StoreOption = None, home_country: HomeCountryOption = None) -> None:
    _, reputations = _services(store, home_country)
    table = Table(title="Allow-list", header_style="bold")
    for column in ("number", "country", "holder", "kind", "source"):
        table.add_column(column, overflow="fold")
    for entry in reputations.allowlist().entries():
        table.add_row(entry.number, entry.country, entry.holder, entry.kind, entry.source)
    console.print(table)


def allowlist_add(
    number: Annotated[str, typer.Argument(help="The verified number.")],
    holder: Annotated[str, typer.Option(help="Who holds it (bank, public service...).")],
    source: Annotated[str, typer.Option(help="Where it is published (URL).")],
    store: StoreOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    _, reputations = _services(store, home_country)
    try:
        e164 = reputations.parse(number).e164
    except NumberError as error:
        fail(str(error))
    reputations.store.add_allowed(AllowEntry(e164, holder, source, reputations.clock.now()))
    console.print(f"[green]{e164}[/] allow-listed as {holder}")


def allowlist_remove(
    number: Annotated[str, typer.Argument(help="The number to remove.")],
    store: StoreOption = None,
    home_country: HomeCountryOption = None,
) -> None:
    _, reputations = _services(store, home_country)
    try:
        e164 = reputations.parse(number).e164
    except NumberError as error:
        fail(str(error))
    if not reputations.store.remove_allowed(e164):
        fail(f"{e164} is not in the store's allow-list (entries of the data file stay)")
    console.print(f"{e164} removed from the store's allow-list")
