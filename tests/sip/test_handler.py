"""The redirect server's logic on bytes: methods, retransmissions, fail-open, malformed input."""

from __future__ import annotations

from ringfence.domain.clock import FixedClock
from ringfence.sip.config import SipConfig
from ringfence.sip.handler import SipHandler
from ringfence.sip.message import SipResponse, parse_message
from tests.sip.helpers import (
    BLOCKED_CALLER,
    T0,
    BlocklistScreen,
    failing_screen,
    header,
    request,
    status_of,
)
from tests.sip.samples import KAMAILIO_INVITE

SOURCE = ("10.0.0.5", 5060)


class Ticker:
    """A monotonic clock for the transaction cache that moves when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(screen: object = None, **config: object) -> tuple[SipHandler, BlocklistScreen, Ticker]:
    blocklist = BlocklistScreen()
    ticker = Ticker()
    handler = SipHandler(
        screen or blocklist,  # type: ignore[arg-type]
        SipConfig(**config),  # type: ignore[arg-type]
        FixedClock(T0),
        ticker,
    )
    return handler, blocklist, ticker


def test_invite_is_screened_once_and_answered_302_with_copied_headers() -> None:
    handler, screen, _ = make()
    response = handler.handle(KAMAILIO_INVITE.encode(), ("192.0.2.1", 5060))
    assert response is not None
    parsed = parse_message(response)
    assert isinstance(parsed, SipResponse)
    assert parsed.status == 302
    assert header(response, "Via") == [
        "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK8d3c.6a1f2b0e1c0d2a3b4c5d6e7f8a9b0c1d.0",
        "SIP/2.0/UDP 203.0.113.20:5060;received=203.0.113.20;rport=5060;branch=z9hG4bK-gw-77",
    ]
    assert header(response, "From") == ['"BANK SUPPORT" <sip:+3225551234@203.0.113.20>;tag=as5f1e']
    (to,) = header(response, "To")
    assert to.startswith("<sip:+3225550100@example.be;user=phone>;tag=rf")
    assert header(response, "Call-ID") == ["4c3b2a19-kam@203.0.113.20"]
    assert header(response, "CSeq") == ["102 INVITE"]
    assert header(response, "Contact") == ["<sip:+3225550100@192.0.2.10:5070;user=phone>"]
    assert header(response, "X-Ringfence-Verdict") == [
        'label;rules=national-cli-from-abroad;policy=test-policy-1;label="Suspected scam"'
    ]
    assert header(response, "Content-Length") == ["0"]
    assert [setup.caller for setup in screen.seen] == ["+3225551234"]
    assert screen.seen[0].at == T0


def test_blocked_caller_gets_607() -> None:
    handler, _, _ = make()
    response = handler.handle(request(caller=BLOCKED_CALLER), SOURCE)
    assert status_of(response) == 607
    assert response is not None
    assert response.startswith(b"SIP/2.0 607 Unwanted (test-blocklist)\r\n")


def test_received_and_rport_are_added_for_another_source() -> None:
    handler, _, _ = make()
    response = handler.handle(request(), ("198.51.100.9", 40123))
    assert response is not None
    assert header(response, "Via") == [
        "SIP/2.0/UDP 10.0.0.5:5060;rport=40123;branch=z9hG4bKa1;received=198.51.100.9"
    ]


def test_retransmission_gets_the_same_answer_without_screening_again() -> None:
    handler, screen, ticker = make()
    first = handler.handle(request(), SOURCE)
    ticker.now += 31.0
    again = handler.handle(request(), SOURCE)
    assert again == first, "same bytes, To tag included"
    assert len(screen.seen) == 1
    ticker.now += 2.0
    later = handler.handle(request(), SOURCE)
    assert status_of(later) == 302
    assert later != first
    assert len(screen.seen) == 2, "after 32 s the transaction is forgotten"
    other_branch = request(via=["SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa2"])
    handler.handle(other_branch, SOURCE)
    assert len(screen.seen) == 3
    stats = handler.stats()
    assert stats.retransmissions == 1
    assert stats.answered[302] == 4
    assert stats.screened == 3


def test_screener_failure_fails_open_and_is_counted() -> None:
    handler, _, _ = make(failing_screen)
    response = handler.handle(request(), SOURCE)
    assert status_of(response) == 302
    assert response is not None
    assert header(response, "X-Ringfence-Verdict") == [
        'allow;rules="";policy=none;screening=failed'
    ]
    assert handler.stats().screen_errors == 1


def test_options_cancel_bye_ack_and_other_methods() -> None:
    handler, _, _ = make()
    options = handler.handle(request("OPTIONS", "sip:10.0.0.9:5070"), SOURCE)
    assert status_of(options) == 200
    assert options is not None
    assert header(options, "Allow") == ["INVITE, ACK, CANCEL, OPTIONS, BYE"]
    assert status_of(handler.handle(request("CANCEL"), SOURCE)) == 481, "no such INVITE"
    handler.handle(request(), SOURCE)
    assert status_of(handler.handle(request("CANCEL"), SOURCE)) == 200
    assert handler.handle(request("ACK"), SOURCE) is None
    assert status_of(handler.handle(request("BYE", cseq="2 BYE"), SOURCE)) == 481
    register = handler.handle(request("REGISTER", "sip:example.be"), SOURCE)
    assert status_of(register) == 405
    assert register is not None
    assert header(register, "Allow") == ["INVITE, ACK, CANCEL, OPTIONS, BYE"]
    stats = handler.stats()
    assert stats.acks == 1
    assert stats.screened == 1


def test_responses_keepalives_and_junk_are_not_answered() -> None:
    handler, _, _ = make()
    assert (
        handler.handle(b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bKx\r\n\r\n", SOURCE)
        is None
    )
    assert handler.handle(b"\r\n\r\n", SOURCE) is None
    assert handler.handle(b"\x16\x03\x01\x02\x00\x01\x00", SOURCE) is None
    assert handler.handle(request("ACK", omit=["From"]), SOURCE) is None, "never answer an ACK"
    stats = handler.stats()
    assert stats.responses_ignored == 1
    assert stats.keepalives == 1
    assert stats.acks == 1, "ACKs are counted, never parsed nor answered"
    assert stats.malformed == 1
    assert stats.dropped == 1
    assert stats.received == 4
    assert sum(stats.answered.values()) == 0


def test_malformed_invite_gets_400_with_the_reason_then_service_goes_on() -> None:
    handler, screen, _ = make()
    bad = handler.handle(request(cseq="1 BYE"), SOURCE)
    assert bad is not None
    assert bad.startswith(
        b"SIP/2.0 400 Bad Request: CSeq method BYE does not match request method INVITE\r\n"
    )
    assert header(bad, "CSeq") == ["1 BYE"]
    assert header(bad, "Call-ID") == ["call-1@10.0.0.5"]
    assert status_of(handler.handle(request(), SOURCE)) == 302
    assert len(screen.seen) == 1
    stats = handler.stats()
    assert stats.malformed == 1
    assert stats.answered == {400: 1, 302: 1}


def test_bad_ingress_header_is_a_400_with_the_value() -> None:
    handler, screen, _ = make()
    response = handler.handle(request(headers=["X-Ingress: abroad"]), SOURCE)
    assert response is not None
    assert response.startswith(b"SIP/2.0 400 X-Ingress 'abroad' is not national/international")
    assert screen.seen == []


def test_stats_to_dict_is_plain_data() -> None:
    handler, _, _ = make()
    handler.handle(request(), SOURCE)
    handler.handle(
        request(caller=BLOCKED_CALLER, call_id="c2", via=["SIP/2.0/UDP h;branch=z9hG4bKb"]), SOURCE
    )
    data = handler.stats().to_dict()
    assert data["answered"] == {"302": 1, "607": 1}
    assert data["outcomes"] == {"allow": 1, "block": 1}
    assert data["received"] == 2
