"""`ringfence blocklist export|keygen|verify`: signed blocklists for operators and call blockers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ringfence.cli.common import HomeCountryOption, console, err_console, fail, settings_from_flags
from ringfence.cli.storeopt import StoreOption, open_cli_store
from ringfence.domain.clock import SystemClock
from ringfence.export import (
    ExportError,
    ExportFormat,
    SigningError,
    build_export,
    generate_keypair,
    key_id,
    load_private_key,
    load_public_key,
    verify,
)
from ringfence.export.selection import Selection
from ringfence.export.signing import decode_signature
from ringfence.reputation.blocklist import Blocklist
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import StoreError

group = typer.Typer(
    name="blocklist",
    help=(
        "Export the blocklist in the formats blockers import, signed with Ed25519, and verify "
        "signatures.\n\n"
        "Examples:\n\n"
        "  ringfence blocklist keygen --out keys/\n\n"
        "  ringfence blocklist export --store sqlite:///data/ringfence.db --format callblocker "
        "--out ringfence.json --sign-key keys/blocklist-signing.key\n\n"
        "  ringfence blocklist verify ringfence.json --signature ringfence.json.sig "
        "--public-key keys/blocklist-signing.pub"
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="blocklist")


@group.command(
    "export",
    help=(
        "Write the blocklist (or the changes after --since) in a blocker's format. Spoofing "
        "victims, allow-listed, emergency and short numbers are never written.\n\n"
        "Formats: e164 (one number per line), patterns (+39351####### lines), csv, json, "
        "callblocker (pamapa/callblocker blocklist JSON), ncid (ncidd.blacklist).\n\n"
        "Examples:\n\n"
        "  ringfence blocklist export --format e164 --out blocked.txt\n\n"
        "  ringfence blocklist export --format json --since 120 --out delta.json "
        "--sign-key keys/blocklist-signing.key\n\n"
        "  ringfence blocklist export --format ncid --home-country BE --out ncidd.blacklist"
    ),
)
def export_command(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")] = (
        ExportFormat.JSON
    ),
    store: StoreOption = None,
    since: Annotated[
        int | None,
        typer.Option(help="Only the changes after this blocklist version (json and csv).", min=0),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: standard output).")
    ] = None,
    sign_key: Annotated[
        Path | None,
        typer.Option(
            "--sign-key", help="Ed25519 private key (PEM): also write OUT.sig next to OUT."
        ),
    ] = None,
    home_country: HomeCountryOption = None,
) -> None:
    settings = settings_from_flags(home_country)
    if sign_key is not None and out is None:
        fail("--sign-key needs --out: the signature is written next to the file as OUT.sig")
    try:
        key = load_private_key(sign_key) if sign_key is not None else None
    except SigningError as error:
        fail(str(error))
    opened = open_cli_store(store, settings)
    try:
        reputations = Reputations(opened, SystemClock(), home_country=settings.home_country)
        with err_console.status("exporting the blocklist..."):
            Blocklist(reputations).sweep()
            made = build_export(reputations, format, since=since, signing_key=key)
    except ExportError as error:
        fail(str(error))
    except StoreError as error:
        fail(str(error))
    finally:
        opened.close()
    if out is None:
        sys.stdout.buffer.write(made.body)
        sys.stdout.flush()
    else:
        _write(out, made.body)
        if made.signature is not None:
            _write(out.with_name(out.name + ".sig"), made.signature.encode())
    _summary(made.selection.version, made.selection, out, made.key_id)


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror}; choose another --out")


def _summary(version: int, selection: Selection, out: Path | None, kid: str | None) -> None:
    table = Table(title="blocklist export", show_header=True, header_style="bold")
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("version", str(version))
    if selection.since is not None:
        table.add_row("since", str(selection.since))
    numbers = sum(1 for e in selection.entries if e.kind == "number")
    table.add_row("numbers", str(numbers))
    table.add_row("ranges", str(len(selection.entries) - numbers))
    if selection.is_delta:
        table.add_row("removals", str(len(selection.removals)))
    for reason, count in selection.excluded_counts().items():
        table.add_row(f"[yellow]left out: {reason}[/]", str(count))
    if selection.more:
        table.add_row("[yellow]more changes[/]", f"ask again with --since {version}")
    table.add_row("file", str(out) if out else "standard output")
    table.add_row("signed", f"key {kid}, {out}.sig" if kid and out else "no")
    err_console.print(table)


@group.command(
    "keygen",
    help=(
        "Create an Ed25519 key pair for signing exports: DIR/blocklist-signing.key (private, "
        "mode 0600) and DIR/blocklist-signing.pub (give it to receivers).\n\n"
        "Example:\n\n  ringfence blocklist keygen --out /etc/ringfence/keys"
    ),
)
def keygen_command(
    out: Annotated[Path, typer.Option("--out", help="Directory for the two key files.")],
    force: Annotated[bool, typer.Option(help="Replace an existing key pair.")] = False,
) -> None:
    try:
        private, public = generate_keypair(out, overwrite=force)
        kid = key_id(load_public_key(public.read_bytes()))
    except SigningError as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot write into {out}: {error.strerror}; choose another --out")
    console.print(f"private key [green]{private}[/] (keep it secret)")
    console.print(f"public key  [green]{public}[/] (key id {kid})")


@group.command(
    "verify",
    help=(
        "Check that FILE is exactly what the holder of the private key signed. Exit code 0 when "
        "the signature is valid, 1 when it is not.\n\n"
        "Example:\n\n  ringfence blocklist verify blocked.txt --signature blocked.txt.sig "
        "--public-key blocklist-signing.pub"
    ),
)
def verify_command(
    file: Annotated[Path, typer.Argument(help="The exported list, as downloaded.")],
    signature: Annotated[Path, typer.Option("--signature", help="The .sig file (base64).")],
    public_key: Annotated[
        Path, typer.Option("--public-key", help="The publisher's public key (PEM or base64).")
    ],
) -> None:
    try:
        data = file.read_bytes()
        sig_text = signature.read_bytes()
        key_data = public_key.read_bytes()
    except OSError as error:
        fail(f"cannot read {error.filename}: {error.strerror}")
    try:
        key = load_public_key(key_data, where=str(public_key))
        decode_signature(sig_text, where=str(signature))
        valid = verify(data, sig_text, key)
    except SigningError as error:
        fail(str(error))
    if valid:
        console.print(f"[green]valid[/]: {file} was signed by key {key_id(key)}")
        return
    err_console.print(
        f"[bold red]INVALID[/]: {file} does not match the signature {signature} for key "
        f"{key_id(key)}: the file was changed or signed with another key; do not use it"
    )
    raise typer.Exit(1)
