"""SIP addresses: name-addr / addr-spec (RFC 3261 section 20.10), sip:, sips: and tel: URIs.

Why our own small reader: we need three things from an address, the URI, its user part (the
phone number as presented) and the `tag` parameter, and we need them from whatever a proxy
forwards, without pulling in a full SIP stack. Quoted display names may hold `<`, `,` and `;`,
so splitting is done outside quotes and angle brackets only.

>>> a = parse_name_addr('"Bank, Support" <sip:+3225551234@gw.example;user=phone>;tag=9fx')
>>> a.display, a.uri, a.params
('Bank, Support', 'sip:+3225551234@gw.example;user=phone', {'tag': '9fx'})
>>> uri_user('sip:+3225551234@gw.example;user=phone'), uri_user('tel:0470123456;phone-context=+32')
('+3225551234', '0470123456')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from ringfence.sip.errors import SipParseError

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(\S+)$")
TELEPHONE_SCHEMES = frozenset({"sip", "sips", "tel"})


def split_top_level(text: str, separator: str) -> list[str]:
    """Split `text` on `separator` where it is outside double quotes and angle brackets."""
    if '"' not in text and "<" not in text:
        return text.split(separator)
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    escaped = False
    depth = 0
    for char in text:
        if quoted:
            current.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
            continue
        if char == '"':
            quoted = True
        elif char == "<":
            depth += 1
        elif char == ">" and depth:
            depth -= 1
        elif char == separator and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def parse_params(parts: list[str], where: str) -> dict[str, str]:
    """`name=value` (or bare `name`) parameters, names lowered, quotes kept off the values."""
    params: dict[str, str] = {}
    for part in parts:
        item = part.strip()
        if not item:
            continue
        name, _, value = item.partition("=")
        name = name.strip().lower()
        if not name:
            raise SipParseError(f"{where}: parameter without a name in {part.strip()!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        params[name] = value
    return params


@dataclass(frozen=True, slots=True)
class NameAddr:
    """An address header value: optional display name, the URI, and the header parameters."""

    display: str | None
    uri: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def tag(self) -> str | None:
        return self.params.get("tag")

    @property
    def scheme(self) -> str:
        return self.uri.partition(":")[0].lower()


def _unquote_display(text: str) -> str | None:
    display = text.strip()
    if not display:
        return None
    if len(display) >= 2 and display[0] == display[-1] == '"':
        return re.sub(r"\\(.)", r"\1", display[1:-1])
    return display


def parse_name_addr(value: str, where: str = "address") -> NameAddr:
    """Read `"Name" <uri>;params` or `uri;params` (in the second form, `;` ends the URI)."""
    text = value.strip()
    if not text:
        raise SipParseError(f"{where} is empty")
    opening = _find_unquoted(text, "<") if '"' in text else text.find("<")
    if opening >= 0 or text.startswith('"'):
        if opening < 0:
            raise SipParseError(f"{where}: display name without <uri> in {text!r}")
        closing = text.find(">", opening)
        if closing < 0:
            raise SipParseError(f"{where}: '<' without '>' in {text!r}")
        display = _unquote_display(text[:opening])
        uri = text[opening + 1 : closing].strip()
        rest = text[closing + 1 :]
        if rest.strip() and not rest.lstrip().startswith(";"):
            raise SipParseError(f"{where}: unexpected text after '>' in {text!r}")
        params = parse_params(split_top_level(rest, ";")[1:], where)
    else:
        pieces = split_top_level(text, ";")
        display = None
        uri = pieces[0].strip()
        params = parse_params(pieces[1:], where)
    if not _SCHEME.match(uri):
        raise SipParseError(f"{where}: {uri!r} is not a URI (expected sip:, sips: or tel:...)")
    return NameAddr(display, uri, params)


def _find_unquoted(text: str, char: str) -> int:
    quoted = False
    escaped = False
    for index, current in enumerate(text):
        if quoted:
            if escaped:
                escaped = False
            elif current == "\\":
                escaped = True
            elif current == '"':
                quoted = False
        elif current == '"':
            quoted = True
        elif current == char:
            return index
    return -1


def uri_scheme(uri: str) -> str:
    """The scheme of `uri`, lowered (`sip`, `sips`, `tel`...), or '' when there is none."""
    match = _SCHEME.match(uri.strip())
    return match.group(1).lower() if match else ""


def uri_user(uri: str) -> str | None:
    """The user part of a sip:/sips: URI or the number of a tel: URI, percent-decoded.

    Telephone-subscriber parameters (`;npdi`, `;rn=`, `;phone-context=`) and a password are
    dropped: they are not part of the number as presented. None when there is no user part
    or the scheme is not a telephone one.
    """
    match = _SCHEME.match(uri.strip())
    if not match:
        return None
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme == "tel":
        number = rest.split(";", 1)[0]
    elif scheme in ("sip", "sips"):
        if "@" not in rest:
            return None
        userinfo = rest.split("@", 1)[0]
        number = userinfo.split(":", 1)[0].split(";", 1)[0]
    else:
        return None
    number = unquote(number).strip()
    return number or None


def uri_host(uri: str) -> str | None:
    """The host of a sip:/sips: URI, lowered (None for other schemes)."""
    match = _SCHEME.match(uri.strip())
    if not match or match.group(1).lower() not in ("sip", "sips"):
        return None
    hostport = match.group(2).split("@", 1)[-1]
    host = re.split(r"[;?]", hostport, maxsplit=1)[0]
    if host.startswith("["):
        return host[1 : host.find("]")].lower() if "]" in host else host.lower()
    return host.split(":", 1)[0].lower()
