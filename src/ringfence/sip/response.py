"""Build a SIP response to a request (RFC 3261 section 8.2.6).

Why copy these headers and nothing else: the proxy matches our answer to its client
transaction by the top Via branch and CSeq, and to the call by Call-ID and the From/To tags.
All Via values are copied in order (so a response can travel back through every hop), the top
one gets `received`/`rport` when the datagram came from elsewhere than it says (RFC 3261
18.2.1, RFC 3581), and To gets a `tag` when it has none. A redirect server sends no body.

>>> from ringfence.sip.message import SipHeaders
>>> h = SipHeaders([("Via", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa;rport"),
...     ("From", "<sip:a@b>;tag=1"), ("To", "<sip:c@d>"), ("Call-ID", "x"), ("CSeq", "1 INVITE")])
>>> print(build_response(486, "Busy Here", h, to_tag="rf1", source=("10.0.0.2", 5070)).decode())
... # doctest: +NORMALIZE_WHITESPACE
SIP/2.0 486 Busy Here
Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa;rport=5070;received=10.0.0.2
From: <sip:a@b>;tag=1
To: <sip:c@d>;tag=rf1
Call-ID: x
CSeq: 1 INVITE
Server: ringfence
Content-Length: 0
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ringfence.sip.errors import SipParseError
from ringfence.sip.message import SipHeaders, parse_via
from ringfence.sip.uri import parse_name_addr

MAX_REASON = 200
MAX_COPIED = 8192
"""Longest header value written (copied Via/From/To values are far shorter in practice)."""
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]+")
_RPORT = re.compile(r";\s*rport\s*(?=;|$)", re.IGNORECASE)

REASON_PHRASES = {
    200: "OK",
    302: "Moved Temporarily",
    400: "Bad Request",
    405: "Method Not Allowed",
    416: "Unsupported URI Scheme",
    481: "Call/Transaction Does Not Exist",
    484: "Address Incomplete",
    505: "Version Not Supported",
    607: "Unwanted",
    608: "Rejected",
}


def clean_text(text: str, limit: int = MAX_REASON) -> str:
    """`text` made safe for a reason phrase or header value: one line of UTF-8 without control
    characters (a malformed request's bytes are never echoed raw), bounded length."""
    if text.isprintable() and len(text) <= limit:
        return text.strip()
    cleaned = _UNSAFE.sub(" ", text).encode("utf-8", "replace").decode("utf-8").strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 3] + "..."


def top_via_with_source(via: str, source: tuple[str, int] | None) -> str:
    """The top Via with `received` (source IP differs from sent-by) and `rport` filled in."""
    if source is None:
        return via
    try:
        parsed = parse_via(via)
    except SipParseError:
        return via
    ip, port = source
    value = via
    if "rport" in parsed.params and not parsed.params["rport"]:
        value = _RPORT.sub(f";rport={port}", value, count=1)
    if parsed.host.strip("[]").lower() != ip.lower() and "received" not in parsed.params:
        value = f"{value};received={ip}"
    return value


def with_to_tag(to: str, tag: str | None) -> str:
    """`to` with `;tag=` added when it has none (and can be read)."""
    if tag is None:
        return to
    try:
        address = parse_name_addr(to, "To")
    except SipParseError:
        return to
    return to if address.tag else f"{to};tag={tag}"


def build_response(
    status: int,
    reason: str,
    headers: SipHeaders,
    *,
    to_tag: str | None,
    source: tuple[str, int] | None,
    extra: Sequence[tuple[str, str]] = (),
    server: str = "ringfence",
) -> bytes:
    """The bytes of a response with `status`/`reason` to a request with `headers`."""
    lines = [f"SIP/2.0 {status} {clean_text(reason) or REASON_PHRASES.get(status, 'Unknown')}"]
    for index, via in enumerate(headers.values("via")):
        value = top_via_with_source(via, source) if index == 0 else via
        lines.append(f"Via: {clean_text(value, MAX_COPIED)}")
    for name, display in (("from", "From"), ("to", "To"), ("call-id", "Call-ID"), ("cseq", "CSeq")):
        copied = headers.get(name)
        if copied is None:
            continue
        if name == "to":
            copied = with_to_tag(copied, to_tag)
        lines.append(f"{display}: {clean_text(copied, MAX_COPIED)}")
    for name, value in extra:
        lines.append(f"{name}: {clean_text(value, MAX_COPIED)}")
    lines.append(f"Server: {server}")
    lines.append("Content-Length: 0")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
