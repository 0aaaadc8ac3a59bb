"""The SIP parser: what it accepts (as proxies send it) and what it refuses, with reasons."""

from __future__ import annotations

import pytest

from ringfence.sip.errors import SipParseError
from ringfence.sip.message import SipRequest, SipResponse, is_keepalive, parse_message
from ringfence.sip.uri import parse_name_addr, uri_host, uri_user
from tests.sip.helpers import request
from tests.sip.samples import ASTERISK_INVITE, COMPACT_INVITE, IDENTITY, KAMAILIO_INVITE, SDP


def parse_request(data: bytes) -> SipRequest:
    message = parse_message(data)
    assert isinstance(message, SipRequest)
    return message


def refusal(data: bytes) -> SipParseError:
    with pytest.raises(SipParseError) as caught:
        parse_message(data)
    return caught.value


def test_kamailio_invite_with_two_vias_pai_identity_and_body() -> None:
    req = parse_request(KAMAILIO_INVITE.encode())
    assert req.method == "INVITE"
    assert req.uri == "sip:+3225550100@192.0.2.10:5070;user=phone"
    assert [via.sent_by for via in req.vias] == ["192.0.2.1", "203.0.113.20:5060"]
    assert req.branch == "z9hG4bK8d3c.6a1f2b0e1c0d2a3b4c5d6e7f8a9b0c1d.0"
    assert req.vias[1].params["received"] == "203.0.113.20"
    assert req.cseq == (102, "INVITE")
    assert req.call_id == "4c3b2a19-kam@203.0.113.20"
    assert req.from_.display == "BANK SUPPORT"
    assert req.from_.tag == "as5f1e"
    assert req.to.tag is None
    assert req.headers.get("p-asserted-identity") == "<tel:+3225551234>"
    assert req.headers.get_all("identity")[0] == IDENTITY
    assert len(req.headers.get_all("Identity")) == 2
    assert req.body == SDP.encode()


def test_asterisk_invite_with_padded_content_length() -> None:
    req = parse_request(ASTERISK_INVITE.encode())
    assert req.cseq == (11711, "INVITE")
    assert req.vias[0].params == {"rport": "", "branch": "z9hG4bKPj0c2b6f0e-8a3d"}
    assert uri_user(req.from_.uri) == "0470999888"
    assert req.body == SDP.encode()
    assert req.headers.values("allow")[:3] == ["OPTIONS", "REGISTER", "SUBSCRIBE"]


def test_compact_forms_folded_lines_and_lone_lf() -> None:
    req = parse_request(COMPACT_INVITE.encode())
    assert req.uri == "tel:+3225550100"
    assert [via.branch for via in req.vias] == ["z9hG4bKc1", "z9hG4bKc0"]
    assert req.call_id == "compact-1"
    assert req.cseq == (1, "INVITE")
    assert req.from_.display == "Anonymous"
    assert req.headers.get("Subject") == "folded over two lines"
    assert req.headers.get("content-length") == "0"
    assert req.body == b""


def test_header_names_are_case_insensitive() -> None:
    data = request(headers=["p-asserted-identity: <tel:+3225551111>"]).replace(
        b"Call-ID", b"CALL-id"
    )
    req = parse_request(data)
    assert req.call_id == "call-1@10.0.0.5"
    assert req.headers.get("P-Asserted-Identity") == "<tel:+3225551111>"


def test_leading_crlf_is_ignored_and_keepalives_are_recognised() -> None:
    assert parse_request(b"\r\n\r\n" + request()).method == "INVITE"
    assert is_keepalive(b"\r\n\r\n")
    assert not is_keepalive(b"")
    assert not is_keepalive(request())


def test_content_length_shorter_than_body_cuts_the_body() -> None:
    data = request(body="v=0\r\n").replace(b"Content-Length: 5", b"Content-Length: 3")
    assert parse_request(data).body == b"v=0"


def test_no_content_length_over_udp_means_body_to_the_end() -> None:
    assert parse_request(request(body="v=0\r\n", omit=["Content-Length"])).body == b"v=0\r\n"


def test_responses_are_parsed_as_responses() -> None:
    message = parse_message(
        b"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bKa\r\n\r\n"
    )
    assert isinstance(message, SipResponse)
    assert (message.status, message.reason) == (180, "Ringing")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (request(omit=["From"]), "missing From header"),
        (request(omit=["To"]), "missing To header"),
        (request(omit=["Call-ID"]), "missing Call-ID header"),
        (request(omit=["CSeq"]), "missing CSeq header"),
        (request(cseq="1 BYE"), "CSeq method BYE does not match request method INVITE"),
        (request(cseq="one INVITE"), "CSeq 'one INVITE' is not"),
        (request(cseq="2147483648 INVITE"), "CSeq '2147483648 INVITE' is not"),
        (request(headers=["Call-ID: again"]), "2 Call-ID headers (only one is allowed)"),
        (
            request(body="v=0").replace(b"Content-Length: 3", b"Content-Length: 30"),
            "Content-Length 30 is larger than the 3-byte body",
        ),
        (
            request().replace(b"Content-Length: 0", b"Content-Length: -1"),
            "Content-Length '-1' is not a number",
        ),
        (request().replace(b" SIP/2.0\r\n", b"\r\n", 1), "bad request line"),
        (request().replace(b"INVITE sip", b"INVITE  sip", 1), "bad request line"),
        (request(uri="+3225550100"), "Request-URI '+3225550100' has no scheme"),
        (request(headers=["Max-Forwards: many"]), "2 Max-Forwards headers"),
        (request().replace(b"Max-Forwards: 70", b"Max-Forwards: 300"), "Max-Forwards '300'"),
        (request(headers=["this line has no colon"]), "malformed header line"),
        (request(headers=["X-Bin: a\x00b"]), "control character 0x00"),
        (request(headers=["X-Latin: caf\xe9"]).replace("é".encode(), b"\xe9"), "not UTF-8"),
        (request(via=["SIP/2.0/UDP"]), "Via 'SIP/2.0/UDP' is not"),
        (request().replace(b'From: "Caller" <', b'From: "Caller" '), "From: display name"),
    ],
)
def test_malformed_requests_are_refused_with_the_reason(data: bytes, reason: str) -> None:
    error = refusal(data)
    assert reason in error.reason
    assert error.status == 400
    assert error.method == "INVITE"
    assert error.headers is not None
    assert "via" in error.headers, "the Via must stay readable to route the 400"


def test_another_sip_version_gets_505() -> None:
    error = refusal(request().replace(b" SIP/2.0\r\n", b" SIP/3.0\r\n", 1))
    assert error.status == 505
    assert "SIP/3.0 is not supported" in error.reason


def test_oversize_datagram_is_refused_but_its_via_stays_readable() -> None:
    error = refusal(request(body="x" * 40_000))
    assert "over the 32768-byte limit" in error.reason
    assert error.headers is not None
    assert error.headers.get("via") is not None


def test_binary_junk_is_refused_without_headers_to_route() -> None:
    error = refusal(bytes(range(256)))
    assert error.headers is not None
    assert "via" not in error.headers


def test_a_bad_response_is_marked_as_a_response() -> None:
    error = refusal(b"SIP/2.0 abc\r\nVia: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bKa\r\n\r\n")
    assert error.is_response


def test_name_addr_forms() -> None:
    quoted = parse_name_addr('"Doe, \\"J\\"" <sip:+32470@h;user=phone>;tag=a;x="1;2"')
    assert quoted.display == 'Doe, "J"'
    assert quoted.uri == "sip:+32470@h;user=phone"
    assert quoted.params == {"tag": "a", "x": "1;2"}
    bare = parse_name_addr("sip:+32470@h;tag=b")
    assert (bare.display, bare.uri, bare.tag) == (None, "sip:+32470@h", "b")
    token = parse_name_addr("Anonymous <sip:anonymous@anonymous.invalid>")
    assert token.display == "Anonymous"


@pytest.mark.parametrize(
    ("uri", "user", "host"),
    [
        ("sip:+3225551234@gw.example;user=phone", "+3225551234", "gw.example"),
        ("sips:0470123456:secret@[2001:db8::1]:5061", "0470123456", "2001:db8::1"),
        ("sip:+1-212-555-1212;npdi;rn=+12125550000@gw.example", "+1-212-555-1212", "gw.example"),
        ("tel:+3225551234", "+3225551234", None),
        ("tel:0470123456;phone-context=+32", "0470123456", None),
        ("sip:%2B3225551234@h", "+3225551234", "h"),
        ("sip:example.com", None, "example.com"),
        ("mailto:x@y", None, None),
    ],
)
def test_uri_user_and_host(uri: str, user: str | None, host: str | None) -> None:
    assert uri_user(uri) == user
    assert uri_host(uri) == host
