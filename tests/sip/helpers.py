"""Helpers of the SIP front tests: request builders, a small real rule screen, a UDP client."""

from __future__ import annotations

import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ringfence.domain.verdicts import CallSetup, Outcome, RuleHit, Verdict

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
BLOCKED_CALLER = "+3225559999"
"""The caller that `blocklist_screen` blocks (a number of the test's own blocklist)."""
ANALYTICS_CALLER = "+3225558888"
"""A caller blocked by an 'analytics' rule (608 under --block-code auto)."""
LABELLED_CALLER = "+3225557777"
WANGIRI_CALLEE = "+2693331234"
"""An outbound destination that `blocklist_screen` warns about (callback protection)."""
VOICEMAIL_CALLER = "+3225556666"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class BlocklistScreen:
    """A small real screen function: fixed lists, every call it saw kept for assertions."""

    def __init__(self) -> None:
        self.seen: list[CallSetup] = []

    def __call__(self, setup: CallSetup) -> Verdict:
        self.seen.append(setup)
        hits: list[RuleHit] = []
        if setup.caller == BLOCKED_CALLER:
            hits.append(RuleHit("test-blocklist", Outcome.BLOCK, "caller on the test blocklist"))
        if setup.caller == ANALYTICS_CALLER:
            hits.append(
                RuleHit(
                    "silent-call-burst",
                    Outcome.BLOCK,
                    "range ringing 400 subscribers in 10 min",
                    {"analytics": True},
                )
            )
        if setup.caller == LABELLED_CALLER:
            hits.append(
                RuleHit("reported", Outcome.LABEL, "reported 12 times", {"label": "Likely scam"})
            )
        if setup.caller == VOICEMAIL_CALLER:
            hits.append(RuleHit("harassment", Outcome.VOICEMAIL, "rotating numbers"))
        if setup.direction == "outbound" and setup.callee == WANGIRI_CALLEE:
            hits.append(RuleHit("wangiri-callback", Outcome.WARN, "callback to a one-ring range"))
        if setup.ingress == "international" and setup.caller.startswith("+32"):
            hits.append(
                RuleHit("national-cli-from-abroad", Outcome.LABEL, "Belgian CLI via a foreign gw")
            )
        return Verdict.decide(hits, "test-policy-1", call_id=setup.call_id)


def failing_screen(setup: CallSetup) -> Verdict:
    """A screener with a fault (its store went away)."""
    raise ConnectionError(f"reputation store unreachable for {setup.call_id}")


def request(
    method: str = "INVITE",
    uri: str = "sip:+3225550100@10.0.0.9:5070",
    *,
    caller: str = "+3225551234",
    headers: Sequence[str] = (),
    via: Sequence[str] = ("SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bKa1",),
    call_id: str = "call-1@10.0.0.5",
    cseq: str | None = None,
    body: str = "",
    line_end: str = "\r\n",
    omit: Sequence[str] = (),
) -> bytes:
    """A request with the usual headers; `omit` drops some by name, `headers` adds more."""
    lines = [f"{method} {uri} SIP/2.0"]
    fields = [("Via", v) for v in via] + [
        ("From", f'"Caller" <sip:{caller}@10.0.0.5>;tag=f1'),
        ("To", f"<{uri}>"),
        ("Call-ID", call_id),
        ("CSeq", cseq or f"1 {method}"),
        ("Max-Forwards", "70"),
    ]
    lines += [f"{name}: {value}" for name, value in fields if name not in omit]
    lines += list(headers)
    if "Content-Length" not in omit:
        lines.append(f"Content-Length: {len(body.encode())}")
    return (line_end.join(lines) + line_end + line_end + body).encode()


def status_of(response: bytes | None) -> int | None:
    """The status code of a response (None for no response)."""
    if response is None:
        return None
    return int(response.split(b" ", 2)[1])


def header(response: bytes, name: str) -> list[str]:
    """Every value of header `name` in a response we built (full names only)."""
    out = []
    for line in response.decode().split("\r\n")[1:]:
        field, _, value = line.partition(":")
        if field.lower() == name.lower():
            out.append(value.strip())
    return out


class UdpClient:
    """A UDP socket on loopback that sends a datagram and waits for the answer (or none)."""

    def __init__(self, server: tuple[str, int]) -> None:
        self.server = server
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))

    def send(self, data: bytes) -> None:
        self.sock.sendto(data, self.server)

    def receive(self, timeout: float = 5.0) -> bytes | None:
        self.sock.settimeout(timeout)
        try:
            data, _ = self.sock.recvfrom(65536)
        except TimeoutError:
            return None
        return data

    def ask(self, data: bytes, timeout: float = 5.0) -> bytes | None:
        self.send(data)
        return self.receive(timeout)

    def close(self) -> None:
        self.sock.close()
