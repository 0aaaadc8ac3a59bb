"""Turn an INVITE into the `CallSetup` the screener decides on.

Why these sources, in this order:
- caller: P-Asserted-Identity when present (set by the operator's own trusted network, RFC
  3325), else From. The number is passed as presented (user part of the sip:/tel: URI), not
  normalised: the screener reads it with the home country, and a spoofed CLI must reach it
  exactly as the callee would see it. A withheld caller becomes `anonymous`.
- callee: the Request-URI user part (where the proxy is routing to), else To.
- ingress: an explicit header from the proxy, else the source address matched against the
  international gateways, else `national`.
- identity: the first Identity header (STIR/SHAKEN); later ones are not read (RFC 8224 allows
  several, the screener verifies one).

>>> from datetime import datetime, UTC
>>> from ringfence.sip.message import parse_message
>>> req = parse_message(b"INVITE sip:+3225550000@10.0.0.9 SIP/2.0\\r\\n"
...     b"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx\\r\\nFrom: <tel:+33612345678>;tag=a\\r\\n"
...     b"To: <sip:+3225550000@10.0.0.9>\\r\\nCall-ID: c1\\r\\nCSeq: 1 INVITE\\r\\n\\r\\n")
>>> setup = call_setup_from_invite(req, "10.0.0.1", SipConfig(), datetime(2026, 1, 1, tzinfo=UTC))
>>> setup.caller, setup.callee, setup.ingress, setup.direction
('+33612345678', '+3225550000', 'national', 'inbound')
"""

from __future__ import annotations

from datetime import datetime

from ringfence.domain.calls import Direction, Ingress
from ringfence.domain.verdicts import CallSetup
from ringfence.sip.config import SipConfig
from ringfence.sip.errors import SipParseError
from ringfence.sip.message import SipRequest
from ringfence.sip.uri import NameAddr, parse_name_addr, uri_host, uri_scheme, uri_user

ANONYMOUS = "anonymous"
_ANONYMOUS_HOSTS = frozenset({"anonymous.invalid"})


class SipRequestError(ValueError):
    """A well-formed request this server cannot screen; answered with `status` and the reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def call_setup_from_invite(
    request: SipRequest, source_ip: str, config: SipConfig, at: datetime
) -> CallSetup:
    """The call setup of `request` (an INVITE) received from `source_ip` at `at`."""
    return CallSetup(
        caller=caller_of(request),
        callee=callee_of(request),
        at=at,
        direction=_direction(request, config),
        ingress=_ingress(request, source_ip, config),
        carrier=request.headers.get(config.carrier_header) or None,
        identity=request.headers.get("identity") or None,
        call_id=request.call_id,
    )


def caller_of(request: SipRequest) -> str:
    """The caller number as presented: P-Asserted-Identity, else From; `anonymous` if withheld."""
    asserted = _asserted_identity(request)
    address = asserted if asserted is not None else request.from_
    return presented_number(address)


def presented_number(address: NameAddr) -> str:
    """The user part of an address, or `anonymous` for a withheld or number-less one."""
    user = uri_user(address.uri)
    host = uri_host(address.uri)
    if host in _ANONYMOUS_HOSTS or user is None or user.lower() == ANONYMOUS:
        return ANONYMOUS
    return user


def callee_of(request: SipRequest) -> str:
    """The called number: Request-URI user part, else the To user part."""
    if uri_scheme(request.uri) not in ("sip", "sips", "tel"):
        raise SipRequestError(416, f"Unsupported URI Scheme {uri_scheme(request.uri)!r}")
    for uri in (request.uri, request.to.uri):
        user = uri_user(uri)
        if user:
            return user
    raise SipRequestError(484, "Address Incomplete: no number in the Request-URI nor in To")


def _asserted_identity(request: SipRequest) -> NameAddr | None:
    values = request.headers.values("p-asserted-identity")
    if not values:
        return None
    try:
        addresses = [parse_name_addr(value, "P-Asserted-Identity") for value in values]
    except SipParseError as error:
        raise SipRequestError(400, error.reason) from None
    for address in addresses:
        if address.scheme == "tel":
            return address
    return addresses[0]


def _ingress(request: SipRequest, source_ip: str, config: SipConfig) -> str:
    value = request.headers.get(config.ingress_header)
    if value is not None:
        try:
            return Ingress(value.strip().lower()).value
        except ValueError:
            raise SipRequestError(
                400, f"{config.ingress_header} {value.strip()[:40]!r} is not national/international"
            ) from None
    if config.is_international_gateway(source_ip):
        return Ingress.INTERNATIONAL.value
    return Ingress.NATIONAL.value


def _direction(request: SipRequest, config: SipConfig) -> str:
    value = request.headers.get(config.direction_header)
    if value is None:
        return Direction.INBOUND.value
    try:
        return Direction(value.strip().lower()).value
    except ValueError:
        raise SipRequestError(
            400, f"{config.direction_header} {value.strip()[:40]!r} is not inbound/outbound/transit"
        ) from None
