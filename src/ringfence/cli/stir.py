"""`ringfence stir`: verify and sign SIP Identity headers, and make a test PKI to try them.

The commands only turn flags into arguments of `ringfence.stir` and print the result; all the
checks live in the library, where the screener calls them too.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ringfence.cli.common import HomeCountryOption, console, fail, settings_from_flags
from ringfence.domain.numbers import NumberError
from ringfence.stir import (
    DEFAULT_MAX_AGE_S,
    DEFAULT_MAX_FUTURE_S,
    CertificateStore,
    CertificateStoreError,
    StirResult,
    TNAuthList,
    TNAuthListError,
    Verstat,
    build_identity_header,
    sign_passport,
    verify_identity,
)
from ringfence.stir.testpki import DEFAULT_TEST_URL, load_private_key, write_test_pki

STIR_HELP = """Verify and sign STIR/SHAKEN Identity headers (RFC 8224 / 8225 / 8588).

The result of a verification is a signal for the screener (verstat and attestation A/B/C),
never a verdict on its own.

Examples:

  ringfence stir make-test-pki pki/

  HDR=$(ringfence stir sign --key pki/sp-key.pem --orig +33123456789 --dest +33612345678)

  ringfence stir verify --identity "$HDR" --orig +33123456789 --dest +33612345678 --certs pki/
"""

VERIFY_HELP = """Verify one Identity header for a call from --orig to --dest.

Prints the verstat, the attestation (only when the verification passed), the SIP response a
verification service would send on failure (428, 436, 437, 438, 403 Stale Date) and the reason
in words. Exit code: 0 when the verification passed, 1 otherwise, 2 on a usage error.

--identity takes the header value or the whole line (`Identity: ...` or the compact `y: ...`);
`-` reads it from standard input, `@FILE` from a file.

Examples:

  ringfence stir verify --identity "$HDR" --orig +33123456789 --dest +33612345678 --certs pki/

  ringfence stir verify --identity @invite-identity.txt --orig 0123456789 --dest 0612345678 \\
      --home-country FR --at 2026-01-05T10:00:00Z --json
"""

SIGN_HELP = """Sign a SHAKEN PASSporT and print the Identity header value (for tests).

The key is a PEM private key (P-256 for a valid token). --orig and --dest are numbers in any
form, read relative to --home-country, and signed as E.164 digits.

Examples:

  ringfence stir sign --key pki/sp-key.pem --orig +33123456789 --dest +33612345678

  ringfence stir sign --key pki/sp-key.pem --orig 0123456789 --dest 0612345678 \\
      --home-country FR --attest C --at 2026-01-05T10:00:00Z --token-only
"""

PKI_HELP = """Create a test PKI in DIR to try verification offline.

Writes ca.pem (test root, the trust anchor), sp.pem (a SHAKEN signing certificate with a
TNAuthList, then its intermediate CA), sp-key.pem (its P-256 key, mode 0600) and index.json
(x5u URL -> chain; read by --certs). Never trust these certificates outside tests.

Examples:

  ringfence stir make-test-pki pki/

  ringfence stir make-test-pki pki/ --tn-range 33123456000:1000 \\
      --url https://certs.example.test/sp.pem
"""


def register(app: typer.Typer) -> None:
    """Add the `stir` command group (verify, sign, make-test-pki) to `app`."""
    stir_app = typer.Typer(name="stir", help=STIR_HELP, no_args_is_help=True)
    app.add_typer(stir_app, name="stir")

    @stir_app.command("verify", help=VERIFY_HELP)
    def verify_command(
        identity: Annotated[
            str, typer.Option("--identity", help="Identity header; '-' = stdin, '@FILE' = file.")
        ],
        orig: Annotated[str, typer.Option("--orig", help="Caller (SIP From/PAI user part).")],
        dest: Annotated[str, typer.Option("--dest", help="Callee (SIP To/R-URI user part).")],
        certs: Annotated[
            Path | None,
            typer.Option(
                "--certs",
                help="Certificate directory with index.json (default: $RINGFENCE_DATA_DIR/stir).",
                show_default=False,
            ),
        ] = None,
        at: Annotated[
            str | None,
            typer.Option("--at", help="Call time, ISO 8601 (default: now; no zone = UTC)."),
        ] = None,
        max_age: Annotated[
            int, typer.Option("--max-age", help="Oldest accepted iat, seconds (RFC 8224).")
        ] = DEFAULT_MAX_AGE_S,
        max_future: Annotated[
            int, typer.Option("--max-future", help="Accepted clock skew for iat, seconds.")
        ] = DEFAULT_MAX_FUTURE_S,
        home_country: HomeCountryOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        settings = settings_from_flags(home_country)
        directory = certs if certs is not None else settings.data_dir / "stir"
        try:
            store = CertificateStore.from_directory(directory)
        except CertificateStoreError as error:
            fail(f"{error}\nPass --certs DIR (a directory made by `ringfence stir make-test-pki`).")
        header = _read_identity(identity)
        result = verify_identity(
            header,
            orig=orig,
            dest=dest,
            now=_parse_time(at, "--at"),
            certs=store,
            max_age_s=max_age,
            max_future_s=max_future,
            home_country=settings.home_country,
        )
        if as_json:
            typer.echo(json.dumps(result.to_dict(), indent=2))
        else:
            console.print(_result_table(result))
        raise typer.Exit(0 if result.passed else 1)

    @stir_app.command("sign", help=SIGN_HELP)
    def sign_command(
        key: Annotated[Path, typer.Option("--key", help="PEM private key of the signer.")],
        orig: Annotated[str, typer.Option("--orig", help="Calling number to sign.")],
        dest: Annotated[list[str], typer.Option("--dest", help="Called number (repeatable).")],
        x5u: Annotated[
            str, typer.Option("--x5u", help="URL of the signing certificate.")
        ] = DEFAULT_TEST_URL,
        attest: Annotated[str, typer.Option("--attest", help="Attestation: A, B or C.")] = "A",
        origid: Annotated[
            str | None, typer.Option("--origid", help="Origination id (default: a new UUID).")
        ] = None,
        at: Annotated[
            str | None, typer.Option("--at", help="iat, ISO 8601 (default: now; no zone = UTC).")
        ] = None,
        home_country: HomeCountryOption = None,
        token_only: Annotated[
            bool, typer.Option("--token-only", help="Print the JWS only, not the header value.")
        ] = False,
    ) -> None:
        settings = settings_from_flags(home_country)
        if attest not in ("A", "B", "C"):
            fail(f"--attest {attest!r}: use A, B or C (RFC 8588).")
        try:
            signing_key = load_private_key(key)
        except (OSError, ValueError, TypeError) as error:
            fail(f"--key {key}: cannot read a PEM private key ({error}).")
        try:
            token = sign_passport(
                key=signing_key,
                x5u=x5u,
                orig=orig,
                dest=dest,
                attest=attest,
                origid=origid,
                iat=_parse_time(at, "--at"),
                home_country=settings.home_country,
            )
        except (NumberError, ValueError) as error:
            fail(str(error))
        typer.echo(token if token_only else build_identity_header(token))

    @stir_app.command("make-test-pki", help=PKI_HELP)
    def make_test_pki_command(
        directory: Annotated[Path, typer.Argument(help="Directory to write the PKI into.")],
        url: Annotated[
            str, typer.Option("--url", help="x5u URL the certificate is served at.")
        ] = DEFAULT_TEST_URL,
        spc: Annotated[
            list[str] | None,
            typer.Option("--spc", help="Service Provider Code for the TNAuthList (repeatable)."),
        ] = None,
        tn_range: Annotated[
            list[str] | None,
            typer.Option(
                "--tn-range",
                help="Number range START:COUNT for the TNAuthList, E.164 digits (repeatable).",
            ),
        ] = None,
        valid_days: Annotated[
            int, typer.Option("--valid-days", help="Validity of the signing certificate.")
        ] = 365,
    ) -> None:
        tnauth = _tnauth(spc or [], tn_range or [])
        if not url.startswith("https://"):
            fail(f"--url {url!r}: SHAKEN certificate URLs are https:// (ATIS-1000074).")
        try:
            pki = write_test_pki(
                directory, now=datetime.now(UTC), url=url, tnauth=tnauth, valid_days=valid_days
            )
        except OSError as error:
            fail(f"{directory}: cannot write the test PKI ({error.strerror}).")
        table = Table(title="Test SHAKEN PKI (for offline trials only)", title_style="bold")
        table.add_column("File", style="cyan")
        table.add_column("What")
        table.add_row(str(pki.root_path), "test root CA: the trust anchor")
        table.add_row(str(pki.chain_path), f"signing certificate + intermediate, x5u {pki.url}")
        table.add_row(str(pki.key_path), "P-256 private key of the signing certificate")
        table.add_row(str(pki.index_path), "index read by --certs")
        console.print(table)
        console.print(f"TNAuthList: {pki.tnauth.describe()}; valid until {pki.not_after:%Y-%m-%d}")
        console.print(
            "Try:\n"
            f"  HDR=$(ringfence stir sign --key {pki.key_path} --x5u {pki.url} --orig +33123456789 "
            "--dest +33612345678)\n"
            f'  ringfence stir verify --identity "$HDR" --orig +33123456789 --dest +33612345678 '
            f"--certs {pki.directory}",
            highlight=False,
            soft_wrap=True,
        )


def _read_identity(value: str) -> str:
    if value == "-":
        return sys.stdin.read()
    if value.startswith("@"):
        path = Path(value[1:])
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            fail(f"--identity {value}: cannot read {path} ({error}).")
    return value


def _parse_time(value: str | None, flag: str) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{flag} {value!r}: not an ISO 8601 time; write e.g. 2026-01-05T10:00:00Z.")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _tnauth(spcs: list[str], ranges: list[str]) -> TNAuthList | None:
    if not spcs and not ranges:
        return None
    parsed: list[tuple[str, int]] = []
    for text in ranges:
        start, _, count = text.partition(":")
        start = start.strip().lstrip("+")
        if not start.isdigit() or not count.strip().isdigit():
            fail(f"--tn-range {text!r}: write START:COUNT, e.g. 33123456000:1000.")
        parsed.append((start, int(count)))
    try:
        return TNAuthList(spcs=tuple(spcs), ranges=tuple(parsed))
    except TNAuthListError as error:
        fail(f"--tn-range: {error}")


def _result_table(result: StirResult) -> Table:
    colour = {
        Verstat.PASSED: "green",
        Verstat.FAILED: "red",
        Verstat.NO_VALIDATION: "yellow",
    }[result.verstat]
    table = Table(title="STIR/SHAKEN verification", title_style="bold", show_header=False)
    table.add_column("Field", style="cyan")
    table.add_column("Value")
    table.add_row("verstat", f"[bold {colour}]{result.verstat.value}[/]")
    table.add_row("attestation", result.attestation.value if result.attestation else "-")
    if result.sip_code is not None:
        table.add_row("SIP response", f"{result.sip_code} {result.sip_reason}")
    table.add_row("reason", result.reason)
    if result.failure is not None:
        table.add_row("check", result.failure.value)
    table.add_row("origid", result.origid or "-")
    table.add_row("x5u", result.x5u or "-")
    table.caption = "A signal for the screener, not a verdict on its own."
    return table
