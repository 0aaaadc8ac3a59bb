"""The UDP side of the SIP front: an asyncio datagram endpoint around a `SipHandler`.

Why asyncio and one thread: each INVITE costs tens of microseconds of parsing and one call of
the in-process screener (itself built for >= 50,000 verdicts/s), so one event loop answers
thousands of INVITEs a second with no locking; the answer goes back to the datagram's source
address and port (symmetric response routing, RFC 3581), which is where a proxy listens.

>>> host, port = parse_listen("127.0.0.1:5070")
>>> host, port
('127.0.0.1', 5070)
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import cast

from ringfence.settings import Settings
from ringfence.sip.config import SipConfigError
from ringfence.sip.handler import ScreenFunction, SipHandler

ScreenFactory = Callable[[Settings, str | None, Path | None], ScreenFunction]
"""Builds the screen function from settings, a store URL and a policy file."""

RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024
"""Socket receive buffer asked for, so bursts of INVITEs wait in the kernel, not get lost."""
log = logging.getLogger("ringfence.sip")


def parse_listen(text: str) -> tuple[str, int]:
    """`HOST:PORT` (IPv6 as `[::1]:5070`) -> (host, port); port 0 picks a free one."""
    value = text.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port_text = value.rpartition(":")
    if not host or not port_text.isdigit() or int(port_text) > 65535:
        raise SipConfigError(
            f"--listen {text!r} is not HOST:PORT; write it as 127.0.0.1:5070 or [::1]:5070"
        )
    return host, int(port_text)


def default_screen_factory(
    settings: Settings, store_url: str | None, policy_path: Path | None
) -> ScreenFunction:
    """The screener of `ringfence.screen`, imported only when the SIP front starts.

    Expects `ringfence.screen.build_screener(settings, store_url=..., policy_path=...)`
    returning an object with `screen(CallSetup) -> Verdict`.
    """
    try:
        module = importlib.import_module("ringfence.screen")
    except ModuleNotFoundError as error:
        if error.name not in ("ringfence.screen", "ringfence"):
            raise
        raise SipConfigError(
            "the per-call screener (ringfence.screen) is not part of this installation yet, so "
            "`ringfence sip` has nothing to ask; install a ringfence version that has it, or "
            "embed the SIP front with your own screen function (docs/sip.md)"
        ) from None
    build = getattr(module, "build_screener", None)
    if build is None:
        raise SipConfigError(
            "ringfence.screen has no build_screener(settings, store_url=..., policy_path=...); "
            "the SIP front cannot build a screener from it"
        )
    screener = build(settings, store_url=store_url, policy_path=policy_path)
    screen: ScreenFunction = screener.screen
    return screen


class SipProtocol(asyncio.DatagramProtocol):
    """Feeds each datagram to the handler and sends its answer back to the source."""

    def __init__(self, handler: SipHandler) -> None:
        self.handler = handler
        self.transport: asyncio.DatagramTransport | None = None
        self.send_errors = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        response = self.handler.handle(data, (str(addr[0]), int(addr[1])))
        if response is not None and self.transport is not None:
            try:
                self.transport.sendto(response, addr)
            except OSError as error:
                self.send_errors += 1
                log.warning("could not answer %s: %s", addr, error)

    def error_received(self, exc: Exception) -> None:
        # ICMP port unreachable from a proxy that went away: nothing to do but note it.
        self.send_errors += 1
        log.debug("socket error: %s", exc)


def open_socket(host: str, port: int) -> socket.socket:
    """A bound UDP socket with a large receive buffer (raises OSError with the address)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise OSError(f"cannot listen on UDP {host}:{port}: {error.strerror or error}") from error
    sock.setblocking(False)
    return sock


async def start_server(
    handler: SipHandler, host: str, port: int
) -> tuple[asyncio.DatagramTransport, SipProtocol]:
    """Start answering on UDP `host:port` in the running loop."""
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(
        lambda: SipProtocol(handler), sock=open_socket(host, port)
    )
    return transport, protocol


def bound_address(transport: asyncio.DatagramTransport) -> tuple[str, int]:
    name = transport.get_extra_info("sockname")
    return str(name[0]), int(name[1])


async def serve(
    handler: SipHandler,
    host: str,
    port: int,
    *,
    duration_s: float | None = None,
    on_ready: Callable[[tuple[str, int]], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until `stop` is set, SIGINT/SIGTERM arrives, or `duration_s` has passed."""
    transport, _ = await start_server(handler, host, port)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed = []
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
                installed.append(sig)
    try:
        if on_ready is not None:
            on_ready(bound_address(transport))
        if duration_s is None:
            await stop.wait()
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), duration_s)
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
        transport.close()


class SipServerThread:
    """Runs the server in a background thread: for tests, benchmarks and embedding.

    >>> from ringfence.domain.verdicts import Verdict
    >>> with SipServerThread(SipHandler(lambda s: Verdict.decide([], "v1"))) as server:
    ...     server.address[0]
    '127.0.0.1'
    """

    def __init__(self, handler: SipHandler, host: str = "127.0.0.1", port: int = 0) -> None:
        self.handler = handler
        self._host, self._port = host, port
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self.address: tuple[str, int] = (host, port)
        self._thread = threading.Thread(target=self._run, name="ringfence-sip", daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()

            def ready(address: tuple[str, int]) -> None:
                self.address = address
                self._ready.set()

            await serve(self.handler, self._host, self._port, on_ready=ready, stop=self._stop)

        try:
            asyncio.run(main())
        except BaseException as error:  # reported to the caller of start()
            self._error = error
            self._ready.set()

    def start(self) -> SipServerThread:
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def __enter__(self) -> SipServerThread:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
