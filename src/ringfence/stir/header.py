"""Read a SIP `Identity` header field as it arrives on the wire (RFC 8224).

Why tolerant: headers reach us from proxies, logs and copy-paste. A value may come with its
field name (`Identity:` or the compact name `y:`), folded over several lines, with spaces
around `;` and `=` (SIP's SWS), with `info` in angle brackets or quotes. None of this changes
what was signed (the signature covers the JWS only), so accepting it costs no security; what
cannot be read is a 438 with the reason.

    Identity: eyJhbGciOi...In0.eyJhdHRlc3Qi...fQ.4bVu...Q;info=<https://cert.example.org/sp.pem>;
      alg=ES256;ppt=shaken

>>> h = parse_identity_header("y: a.b.c ; info=<https://x.test/c.pem>;alg=ES256 ;ppt=shaken")
>>> h.token, h.info, h.alg, h.ppt
('a.b.c', 'https://x.test/c.pem', 'ES256', 'shaken')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ringfence.stir.errors import StirError
from ringfence.stir.result import StirFailure

MAX_HEADER_LENGTH = 8192
"""Longest Identity value read (a SHAKEN header is about 700 characters; RFC 8224 sets no
limit, this bounds the work an attacker can ask of the verifier)."""

_FIELD_NAME = re.compile(r"^\s*(identity|y)\s*:", re.IGNORECASE)
_FOLD = re.compile(r"\r?\n[ \t]+|\r\n|\r|\n")
_PARAM_NAME = re.compile(r"^[A-Za-z0-9.!%*_+`'~-]+$")
_PARAM_PIECE = re.compile(r'(?:[^;<"]+|<[^>]*>|"(?:[^"\\]|\\.)*")*')


@dataclass(frozen=True, slots=True)
class IdentityHeader:
    """The parts of an Identity header: the signed token and its parameters (names lowered)."""

    token: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def info(self) -> str | None:
        return self.params.get("info")

    @property
    def alg(self) -> str | None:
        return self.params.get("alg")

    @property
    def ppt(self) -> str | None:
        return self.params.get("ppt")


def parse_identity_header(raw: str) -> IdentityHeader:
    """Split an Identity header (value or whole line) into its token and parameters.

    Raises `StirError` (438 Invalid Identity Header) when the text is not an Identity header.
    """
    if len(raw) > MAX_HEADER_LENGTH:
        raise StirError(
            StirFailure.MALFORMED_HEADER,
            f"the Identity header is {len(raw)} characters long; at most {MAX_HEADER_LENGTH} "
            "are read",
        )
    text = _FOLD.sub(" ", raw) if "\n" in raw or "\r" in raw else raw
    match = _FIELD_NAME.match(text)
    if match:
        text = text[match.end() :]
    text = text.strip()
    if not text:
        raise StirError(StirFailure.MALFORMED_HEADER, "the Identity header has no value")
    token_part, _, params_part = text.partition(";")
    token = "".join(token_part.split())
    if not token:
        raise StirError(
            StirFailure.MALFORMED_HEADER,
            "the Identity header starts with ';': the signed token (header.payload.signature) "
            "is missing",
        )
    params = _parse_params(params_part) if params_part.strip() else {}
    return IdentityHeader(token, params)


def _parse_params(text: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for piece in _split_params(text):
        item = piece.strip()
        if not item:
            continue  # a stray ';' (e.g. trailing) carries nothing
        name, equal, value = item.partition("=")
        name = name.strip().lower()
        if not _PARAM_NAME.match(name):
            raise StirError(
                StirFailure.MALFORMED_HEADER,
                f"the Identity header parameter {item[:40]!r} has no valid name",
            )
        value = _unquote(value.strip()) if equal else ""
        if name in params:
            raise StirError(
                StirFailure.MALFORMED_HEADER,
                f"the Identity header repeats the parameter {name!r}",
            )
        params[name] = value
    return params


def _split_params(text: str) -> list[str]:
    """Split on ';' outside <...> and "..." (a URI or quoted value may contain ';')."""
    pieces: list[str] = []
    pos = 0
    while True:
        match = _PARAM_PIECE.match(text, pos)
        assert match is not None  # the pattern also matches the empty string
        pos = match.end()
        pieces.append(match.group())
        if pos >= len(text):
            return pieces
        if text[pos] != ";":  # an opening < or " that never closes
            raise StirError(
                StirFailure.MALFORMED_HEADER,
                f"the Identity header parameters open {text[pos]} and never close it",
            )
        pos += 1


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == "<" and value[-1] == ">":
        return value[1:-1].strip()
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1].replace('\\"', '"').strip()
    return value
