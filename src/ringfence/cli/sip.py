"""`ringfence sip`: the SIP redirect front of the per-call screener (UDP).

Why a factory for the screen function: the command only turns flags into a `SipConfig` and a
screen function, then serves; which screener answers is decided by `screen_factory`, so the
same command runs the real `ringfence.screen` screener or, in tests, a small rule function.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.logging import RichHandler
from rich.table import Table

from ringfence.cli.common import HomeCountryOption, console, err_console, fail, settings_from_flags
from ringfence.sip.config import BlockCode, SipConfig, SipConfigError
from ringfence.sip.handler import SipHandler, SipStats
from ringfence.sip.server import ScreenFactory, default_screen_factory, parse_listen, serve

SIP_HELP = """Answer SIP INVITEs over UDP as a redirect server, before the phone rings.

A proxy (Kamailio, OpenSIPS, Asterisk) sends each INVITE here; the answer is a 302 back to the
proxy (Contact = the Request-URI, or the voicemail URI) with the verdict in an
X-Ringfence-Verdict header for allow, label, warn and voicemail; 607 Unwanted or 608 Rejected
for block. Malformed requests get 400 with the reason; OPTIONS gets 200 (health check). When
the screener fails, the call goes on (302, screening=failed) and the error is logged. Counters
are printed on exit (Ctrl-C).

Examples:

  ringfence sip --listen 127.0.0.1:5070

  ringfence sip --listen 0.0.0.0:5070 --home-country FR --policy policy.toml --store sqlite:///rep.db

  ringfence sip --listen 10.0.0.5:5070 --international-gateway 192.0.2.0/24 --block-code 608 \\
      --redress-uri https://operator.example/redress.jwt --voicemail-uri sip:vm@10.0.0.9
"""


def register(app: typer.Typer, screen_factory: ScreenFactory = default_screen_factory) -> None:
    """Add `sip` to `app`; `screen_factory` builds the screen function from the flags."""

    @app.command("sip", help=SIP_HELP)
    def sip_command(
        listen: Annotated[
            str, typer.Option("--listen", help="UDP address HOST:PORT to answer on.")
        ] = "127.0.0.1:5070",
        home_country: HomeCountryOption = None,
        store: Annotated[
            str | None,
            typer.Option("--store", help="Reputation store URL for the screener (its default)."),
        ] = None,
        policy: Annotated[
            Path | None,
            typer.Option("--policy", help="Screening policy file (default: built-in policy)."),
        ] = None,
        international_gateway: Annotated[
            list[str] | None,
            typer.Option(
                "--international-gateway",
                help="Source IP or CIDR of an international gateway (repeatable): its calls "
                "are `international` unless the ingress header says otherwise.",
            ),
        ] = None,
        ingress_header: Annotated[
            str, typer.Option(help="Header giving the ingress: national or international.")
        ] = "X-Ingress",
        direction_header: Annotated[
            str, typer.Option(help="Header giving the direction: inbound, outbound, transit.")
        ] = "X-Direction",
        carrier_header: Annotated[
            str, typer.Option(help="Header naming the carrier the call came from.")
        ] = "X-Carrier",
        voicemail_uri: Annotated[
            str | None,
            typer.Option(help="Contact for voicemail verdicts (default: the Request-URI)."),
        ] = None,
        block_code: Annotated[
            BlockCode,
            typer.Option(
                help="Answer to block verdicts: auto (608 for analytics rules, else 607), 607, 608."
            ),
        ] = BlockCode.AUTO,
        redress_uri: Annotated[
            str | None,
            typer.Option(
                help="Call-Info URI of a signed jCard for 608 answers (RFC 8688); default: an "
                "unsigned jCard in a data: URI."
            ),
        ] = None,
        duration: Annotated[
            float | None,
            typer.Option(help="Stop after this many seconds (default: run until Ctrl-C).", min=0),
        ] = None,
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every drop.")] = False,
    ) -> None:
        settings = settings_from_flags(home_country)
        if policy is not None and not policy.is_file():
            fail(f"--policy {policy}: no such file; give the path of a policy file")
        try:
            host, port = parse_listen(listen)
            config = SipConfig.build(
                international_gateways=international_gateway or [],
                block_code=block_code.value,
                ingress_header=ingress_header,
                direction_header=direction_header,
                carrier_header=carrier_header,
                voicemail_uri=voicemail_uri,
                redress_uri=redress_uri,
            )
            screen = screen_factory(settings, store, policy)
        except (SipConfigError, ValueError, OSError) as error:
            fail(str(error))
        logging.basicConfig(
            level=logging.DEBUG if verbose else logging.WARNING,
            handlers=[RichHandler(console=err_console, show_path=False)],
            format="%(message)s",
        )
        handler = SipHandler(screen, config)

        def ready(address: tuple[str, int]) -> None:
            console.print(
                f"ringfence sip: redirect server on [bold]udp:{address[0]}:{address[1]}[/] "
                f"(home country {settings.home_country}); Ctrl-C to stop",
                highlight=False,
            )

        try:
            asyncio.run(serve(handler, host, port, duration_s=duration, on_ready=ready))
        except OSError as error:
            fail(f"{error}; choose another --listen address or stop what uses it")
        except KeyboardInterrupt:
            pass
        console.print(stats_table(handler.stats()))


def stats_table(stats: SipStats) -> Table:
    """The counters of a run as a coloured table."""
    table = Table(title="SIP front counters", title_justify="left")
    table.add_column("counter", style="cyan")
    table.add_column("value", justify="right")
    table.add_row("datagrams received", str(stats.received))
    for code, count in sorted(stats.answered.items()):
        colour = "green" if code < 400 else "yellow" if code < 600 else "red"
        table.add_row(f"answered {code}", f"[{colour}]{count}[/]")
    for outcome, count in sorted(stats.outcomes.items()):
        table.add_row(f"verdict {outcome}", str(count))
    for name in (
        "screened",
        "screen_errors",
        "malformed",
        "dropped",
        "retransmissions",
        "responses_ignored",
        "acks",
        "keepalives",
        "internal_errors",
    ):
        value = getattr(stats, name)
        style = "red" if value and name in ("screen_errors", "internal_errors") else ""
        table.add_row(name.replace("_", " "), f"[{style}]{value}[/]" if style else str(value))
    return table
