"""Parse one SIP message from a UDP datagram (RFC 3261 sections 7, 18.3 and 20).

Why strict and total: the screener sits in the call path of a real proxy, and the datagrams it
reads come from the network. The parser checks everything the redirect answer depends on
(request line, Via, From, To, Call-ID, CSeq and its method, Content-Length against the body) and
turns every other possibility, binary junk included, into a `SipParseError` with a reason in
words. It accepts what SIP allows: compact header names (`f`, `t`, `i`, `v`, `m`, `l`, ...),
any case in names, folded (continuation) lines, CRLF or lone LF line ends, leading CRLFs.

>>> req = parse_message(b"OPTIONS sip:rf@127.0.0.1 SIP/2.0\\r\\n"
...     b"v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa\\r\\nf: <sip:k@p>;tag=1\\r\\n"
...     b"t: <sip:rf@127.0.0.1>\\r\\ni: abc\\r\\nCSeq: 7 OPTIONS\\r\\n\\r\\n")
>>> req.method, req.call_id, req.cseq, req.branch
('OPTIONS', 'abc', (7, 'OPTIONS'), 'z9hG4bKa')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ringfence.sip.errors import SipParseError
from ringfence.sip.uri import NameAddr, parse_name_addr, parse_params, split_top_level

MAX_MESSAGE_BYTES = 32_768
"""Largest datagram read. SIP over UDP should stay under the path MTU (RFC 3261 18.1.1); an
INVITE with an SDP body and a SHAKEN Identity header is 2-4 KB, so 32 KiB leaves ample room and
bounds the work one datagram can ask for."""
MAX_HEADERS = 256
"""Most header fields read from one message."""

COMPACT_FORMS = {
    "a": "accept-contact",
    "b": "referred-by",
    "c": "content-type",
    "d": "request-disposition",
    "e": "content-encoding",
    "f": "from",
    "i": "call-id",
    "j": "reject-contact",
    "k": "supported",
    "l": "content-length",
    "m": "contact",
    "o": "event",
    "r": "refer-to",
    "s": "subject",
    "t": "to",
    "u": "allow-events",
    "v": "via",
    "x": "session-expires",
    "y": "identity",
}
"""Compact header names (RFC 3261 7.3.3 and the IANA SIP parameters registry)."""

_CANONICAL = {
    name: COMPACT_FORMS.get(name.lower(), name.lower())
    for name in (
        *COMPACT_FORMS,
        "via", "from", "to", "call-id", "cseq", "content-length", "max-forwards", "identity",
        "p-asserted-identity", "contact", "content-type", "Via", "From", "To", "Call-ID",
        "CSeq", "Content-Length", "Max-Forwards", "Identity", "P-Asserted-Identity", "Contact",
    )
}  # fmt: skip
"""Header names as written in code and by most stacks, mapped without string work."""
_SINGLETONS = ("from", "to", "call-id", "cseq", "content-length", "max-forwards")
_REQUIRED = ("via", "from", "to", "call-id", "cseq")
_TOKEN = r"[A-Za-z0-9.!%*_+`'~\-]+"
_REQUEST_LINE = re.compile(rf"^({_TOKEN}) (\S+) ([Ss][Ii][Pp]/\d+\.\d+)$")
_STATUS_LINE = re.compile(r"^[Ss][Ii][Pp]/\d+\.\d+ (\d{3}) ?(.*)$")
_HEADER_NAME = re.compile(rf"^{_TOKEN}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_CSEQ = re.compile(rf"^(\d{{1,10}})\s+({_TOKEN})$")
_VIA = re.compile(r"^SIP\s*/\s*2\.0\s*/\s*([A-Za-z]+)\s+([^;\s]+)\s*(;.*)?$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)")
_LINE_END = re.compile(r"\r?\n")
_SPACE = re.compile(r"\s")


class SipHeaders:
    """Header fields in arrival order, looked up by full lower-case name (compact names mapped).

    >>> h = SipHeaders([("v", "SIP/2.0/UDP a, SIP/2.0/UDP b"), ("Via", "SIP/2.0/UDP c")])
    >>> h.values("VIA")
    ['SIP/2.0/UDP a', 'SIP/2.0/UDP b', 'SIP/2.0/UDP c']
    """

    __slots__ = ("_fields", "_index")

    def __init__(self, fields: list[tuple[str, str]] | None = None) -> None:
        self._fields: list[tuple[str, str]] = []
        self._index: dict[str, list[str]] = {}
        for name, value in fields or []:
            self.add(name, value)

    def add(self, name: str, value: str) -> None:
        key = canonical_name(name)
        stripped = value.strip()
        self._fields.append((key, stripped))
        self._index.setdefault(key, []).append(stripped)

    def get(self, name: str) -> str | None:
        """The first value of the header `name`, or None."""
        found = self._index.get(canonical_name(name))
        return found[0] if found else None

    def get_all(self, name: str) -> list[str]:
        """Every field of `name`, as received (a field may still hold a comma list)."""
        return list(self._index.get(canonical_name(name), ()))

    def values(self, name: str) -> list[str]:
        """Every value of `name`: fields split at top-level commas, in order."""
        out: list[str] = []
        for value in self._index.get(canonical_name(name), ()):
            if "," not in value:
                out.append(value)
                continue
            out.extend(part.strip() for part in split_top_level(value, ",") if part.strip())
        return out

    def count(self, name: str) -> int:
        return len(self._index.get(canonical_name(name), ()))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)


def canonical_name(name: str) -> str:
    """The full lower-case form of a header name (`f` -> `from`, `Call-ID` -> `call-id`)."""
    known = _CANONICAL.get(name)
    if known is not None:
        return known
    lowered = name.strip().lower()
    return COMPACT_FORMS.get(lowered, lowered)


@dataclass(frozen=True, slots=True)
class Via:
    """One Via value: transport, sent-by (`host[:port]`) and parameters (names lowered)."""

    transport: str
    sent_by: str
    params: dict[str, str]

    @property
    def branch(self) -> str | None:
        return self.params.get("branch")

    @property
    def host(self) -> str:
        if self.sent_by.startswith("["):
            return self.sent_by[1 : self.sent_by.find("]")]
        return self.sent_by.rsplit(":", 1)[0] if self.sent_by.count(":") == 1 else self.sent_by


def parse_via(value: str) -> Via:
    """Read one Via value (`SIP/2.0/UDP host:port;branch=...`)."""
    match = _VIA.match(value.strip())
    if not match:
        raise SipParseError(f"Via {value.strip()[:80]!r} is not 'SIP/2.0/<transport> <host>'")
    params = parse_params(split_top_level(match.group(3) or "", ";")[1:], "Via")
    return Via(match.group(1).upper(), match.group(2), params)


@dataclass(frozen=True, slots=True)
class SipRequest:
    """A request that passed every check this server relies on."""

    method: str
    uri: str
    headers: SipHeaders
    body: bytes
    from_: NameAddr
    to: NameAddr
    call_id: str
    cseq: tuple[int, str]
    vias: tuple[Via, ...]

    @property
    def branch(self) -> str | None:
        """The branch of the top Via: the transaction id of RFC 3261 clients."""
        return self.vias[0].branch


@dataclass(frozen=True, slots=True)
class SipResponse:
    """A response (this server only counts and ignores them)."""

    status: int
    reason: str
    headers: SipHeaders


SipMessage = SipRequest | SipResponse


def parse_message(data: bytes, *, max_bytes: int = MAX_MESSAGE_BYTES) -> SipMessage:
    """Parse one datagram; raise `SipParseError` (and nothing else) when it cannot be used."""
    try:
        return _parse(data, max_bytes)
    except SipParseError:
        raise
    except Exception as error:  # a bug here must cost one 400, never the server
        raise SipParseError(f"unreadable message ({type(error).__name__})") from error


def is_keepalive(data: bytes) -> bool:
    """A datagram of CRLFs only (RFC 5626 keep-alive): not a message, not an error."""
    return bool(data) and not data.strip(b"\r\n")


def _split_head(data: bytes) -> tuple[bytes, bytes]:
    ends = [(data.find(sep), len(sep)) for sep in (b"\r\n\r\n", b"\n\n")]
    found = [(index, size) for index, size in ends if index >= 0]
    if not found:
        return data.rstrip(b"\r\n"), b""
    index, size = min(found)
    return data[:index], data[index + size :]


def _unfold(lines: list[str]) -> tuple[list[str], str | None]:
    fields: list[str] = []
    problem = None
    for number, line in enumerate(lines, start=2):
        if line[:1] in (" ", "\t"):
            if not fields:
                problem = problem or f"line {number} continues a header but follows the start line"
                continue
            fields[-1] = fields[-1] + " " + line.strip()
        elif line.strip():
            fields.append(line)
    return fields, problem


def _parse(data: bytes, max_bytes: int) -> SipMessage:
    problem: str | None = None
    if len(data) > max_bytes:
        problem = f"message of {len(data)} bytes is over the {max_bytes}-byte limit"
        data = data[:max_bytes]
    data = data.lstrip(b"\r\n")
    if not data:
        raise SipParseError("empty datagram")
    head, body = _split_head(data)
    text = head.decode("utf-8", "surrogateescape")
    lines = _LINE_END.split(text)
    start = lines[0]
    is_response = start[:4].upper() == "SIP/"
    request = None if is_response else _REQUEST_LINE.match(start)
    method = request.group(1).upper() if request else _first_token(start)
    if not is_response and request is None:
        problem = problem or f"bad request line {_show(start)} (expected 'METHOD URI SIP/2.0')"
    field_lines, fold_problem = _unfold(lines[1:])
    problem = problem or fold_problem
    headers = SipHeaders()
    for line in field_lines[:MAX_HEADERS]:
        name, colon, value = line.partition(":")
        if not colon or not _HEADER_NAME.match(name.strip()):
            problem = problem or f"malformed header line {_show(line)}"
            continue
        headers.add(name, value)
    if len(field_lines) > MAX_HEADERS:
        problem = problem or f"more than {MAX_HEADERS} header fields"
    if problem is None:
        problem = _check_bytes(head)

    def fail(reason: str, status: int = 400) -> SipParseError:
        return SipParseError(
            reason, status=status, headers=headers, method=method, is_response=is_response
        )

    if problem is not None:
        raise fail(problem)
    if is_response:
        status = _STATUS_LINE.match(start)
        if not status:
            raise fail(f"bad status line {_show(start)}")
        return SipResponse(int(status.group(1)), status.group(2), headers)
    assert request is not None
    assert method is not None
    try:
        return _validate(method, request.group(2), request.group(3).upper(), headers, body)
    except SipParseError as error:
        raise fail(error.reason, error.status) from None


def _validate(method: str, uri: str, version: str, headers: SipHeaders, body: bytes) -> SipRequest:
    if not _URI.match(uri):
        raise SipParseError(
            f"Request-URI {_show(uri)} has no scheme (expected sip:, sips: or tel:)"
        )
    for name in _REQUIRED:
        if name not in headers:
            raise SipParseError(f"missing {_DISPLAY[name]} header")
    for name in _SINGLETONS:
        if headers.count(name) > 1:
            raise SipParseError(
                f"{headers.count(name)} {_DISPLAY[name]} headers (only one is allowed)"
            )
    vias = tuple(parse_via(value) for value in headers.values("via"))
    if not vias:
        raise SipParseError("missing Via header")
    cseq = _parse_cseq(headers.get("cseq") or "", method)
    call_id = headers.get("call-id") or ""
    if not call_id or _SPACE.search(call_id):
        raise SipParseError(f"Call-ID {_show(call_id)} is empty or holds spaces")
    from_ = parse_name_addr(headers.get("from") or "", "From")
    to = parse_name_addr(headers.get("to") or "", "To")
    _check_max_forwards(headers.get("max-forwards"))
    body = _body(headers.get("content-length"), body)
    if version != "SIP/2.0":
        raise SipParseError(f"{version} is not supported (only SIP/2.0)", status=505)
    return SipRequest(method, uri, headers, body, from_, to, call_id, cseq, vias)


_DISPLAY = {
    "via": "Via",
    "from": "From",
    "to": "To",
    "call-id": "Call-ID",
    "cseq": "CSeq",
    "content-length": "Content-Length",
    "max-forwards": "Max-Forwards",
}


def _first_token(line: str) -> str | None:
    """The method of a request line that is otherwise broken (so an ACK stays an ACK)."""
    word = line.split(" ", 1)[0]
    return word.upper() if _HEADER_NAME.match(word) else None


def _show(text: str, limit: int = 60) -> str:
    shown = text[:limit].encode("ascii", "backslashreplace").decode("ascii")
    return repr(shown + ("..." if len(text) > limit else ""))


def _check_bytes(head: bytes) -> str | None:
    if head.isascii():
        text = head.decode("ascii")
    else:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as error:
            return f"header bytes are not UTF-8 (byte 0x{head[error.start]:02x} at {error.start})"
    control = _CONTROL.search(text)
    if control:
        return f"control character 0x{ord(control.group()):02x} in the header section"
    return None


def _parse_cseq(value: str, method: str) -> tuple[int, str]:
    match = _CSEQ.match(value.strip())
    if not match or int(match.group(1)) >= 2**31:
        raise SipParseError(f"CSeq {_show(value)} is not '<number below 2^31> <METHOD>'")
    cseq_method = match.group(2).upper()
    if cseq_method != method:
        raise SipParseError(f"CSeq method {cseq_method} does not match request method {method}")
    return int(match.group(1)), cseq_method


def _check_max_forwards(value: str | None) -> None:
    if value is not None and not (value.isdigit() and int(value) <= 255):
        raise SipParseError(f"Max-Forwards {_show(value)} is not a number from 0 to 255")


def _body(length: str | None, body: bytes) -> bytes:
    """RFC 3261 18.3: over UDP, no Content-Length means the body runs to the end of the
    datagram; a Content-Length larger than what arrived is a 400; extra bytes are cut off."""
    if length is None:
        return body
    if not length.isdigit() or not length.isascii():
        raise SipParseError(f"Content-Length {_show(length)} is not a number")
    size = int(length)
    if size > len(body):
        raise SipParseError(f"Content-Length {size} is larger than the {len(body)}-byte body")
    return body[:size]
