"""The asyncio UDP server on a real loopback socket: junk never stops it."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

from ringfence.domain.clock import FixedClock
from ringfence.sip.config import SipConfigError
from ringfence.sip.handler import SipHandler
from ringfence.sip.server import SipServerThread, parse_listen
from tests.sip.helpers import (
    BLOCKED_CALLER,
    T0,
    BlocklistScreen,
    UdpClient,
    header,
    request,
    status_of,
)


@pytest.fixture
def server() -> Iterator[SipServerThread]:
    with SipServerThread(SipHandler(BlocklistScreen(), clock=FixedClock(T0))) as running:
        yield running


@pytest.fixture
def client(server: SipServerThread) -> Iterator[UdpClient]:
    udp = UdpClient(server.address)
    yield udp
    udp.close()


def test_junk_then_a_valid_invite_is_still_answered(
    server: SipServerThread, client: UdpClient
) -> None:
    for junk in (os.urandom(512), b"\x00" * 64, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"\r\n\r\n"):
        client.send(junk)
    oversize = request(body="x" * 40_000)
    assert status_of(client.ask(oversize)) == 400
    assert status_of(client.ask(request())) == 302
    assert (
        status_of(
            client.ask(
                request(
                    caller=BLOCKED_CALLER,
                    call_id="c2",
                    via=["SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKb2"],
                )
            )
        )
        == 607
    )
    stats = server.handler.stats()
    assert stats.received == 7
    assert stats.malformed == 4
    assert stats.dropped == 3
    assert stats.keepalives == 1
    assert stats.answered == {400: 1, 302: 1, 607: 1}


def test_answer_goes_back_to_the_source_port_with_rport(client: UdpClient) -> None:
    port = client.sock.getsockname()[1]
    response = client.ask(request(via=["SIP/2.0/UDP 127.0.0.1:5999;rport;branch=z9hG4bKr"]))
    assert response is not None
    assert header(response, "Via") == [f"SIP/2.0/UDP 127.0.0.1:5999;rport={port};branch=z9hG4bKr"]


def test_options_health_check_and_ack_silence(client: UdpClient) -> None:
    assert status_of(client.ask(request("OPTIONS", "sip:127.0.0.1"))) == 200
    client.send(request("ACK"))
    assert status_of(client.ask(request("OPTIONS", "sip:127.0.0.1", call_id="o2"))) == 200
    assert client.receive(timeout=0.2) is None, "the ACK got no answer"


def test_a_busy_port_is_a_clear_error(server: SipServerThread) -> None:
    host, port = server.address
    with pytest.raises(OSError, match=f"cannot listen on UDP {host}:{port}"):
        SipServerThread(SipHandler(BlocklistScreen()), host, port).start()


@pytest.mark.parametrize(
    "text", ["5070", "localhost", "127.0.0.1:port", "[::1]5070", ":5070", "h:70000"]
)
def test_listen_addresses_are_checked(text: str) -> None:
    with pytest.raises(SipConfigError, match="is not HOST:PORT"):
        parse_listen(text)


def test_listen_forms() -> None:
    assert parse_listen("[::1]:5070") == ("::1", 5070)
    assert parse_listen("0.0.0.0:0") == ("0.0.0.0", 0)


@pytest.mark.skipif(not socket.has_ipv6, reason="no IPv6 on this machine")
def test_ipv6_loopback() -> None:
    try:
        server = SipServerThread(SipHandler(BlocklistScreen()), "::1", 0).start()
    except OSError as error:
        pytest.skip(f"no IPv6 loopback here: {error}")
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.settimeout(5)
            sock.sendto(request(via=["SIP/2.0/UDP [::1]:5060;branch=z9hG4bK6"]), server.address)
            response, _ = sock.recvfrom(65536)
    finally:
        server.stop()
    assert status_of(response) == 302
    assert header(response, "Via") == ["SIP/2.0/UDP [::1]:5060;branch=z9hG4bK6"]
