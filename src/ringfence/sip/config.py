"""What an operator can set on the SIP front: header names, gateways, URIs for answers.

Why a frozen dataclass beside (not inside) `Settings`: these values only matter to the SIP
front and are given as `ringfence sip` flags; the CLI turns the flags into one `SipConfig`
passed to the server, so tests build one directly.

>>> cfg = SipConfig.build(international_gateways=["192.0.2.0/24"])
>>> cfg.is_international_gateway("192.0.2.7"), cfg.is_international_gateway("198.51.100.1")
(True, False)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ringfence.sip.message import MAX_MESSAGE_BYTES

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class SipConfigError(ValueError):
    """A SIP front option that cannot be used; the message says which and how to fix it."""


class BlockCode(StrEnum):
    """Which SIP code a `block` verdict becomes.

    `auto`: 608 Rejected (RFC 8688) when the rule that blocked says it is an analytics
    decision, 607 Unwanted (RFC 8197) otherwise; `607` / `608`: always that code.
    """

    AUTO = "auto"
    UNWANTED = "607"
    REJECTED = "608"


@dataclass(frozen=True, slots=True)
class SipConfig:
    """Options of the SIP redirect front (defaults documented in docs/sip.md)."""

    ingress_header: str = "X-Ingress"
    """Header that says where the call entered the network: `national` or `international`."""
    direction_header: str = "X-Direction"
    """Header that says `inbound` (default), `outbound` or `transit`."""
    carrier_header: str = "X-Carrier"
    """Header that names the carrier the call came from (optional)."""
    international_gateways: tuple[IpNetwork, ...] = ()
    """Source addresses of international gateways: their calls are `international` when no
    ingress header says otherwise."""
    voicemail_uri: str | None = None
    """Contact of the 302 for a `voicemail` verdict (None: the Request-URI, the verdict header
    tells the proxy to divert)."""
    block_code: BlockCode = BlockCode.AUTO
    redress_uri: str | None = None
    """URI of a (JWS-signed) jCard for the Call-Info header of 608 answers (RFC 8688 section
    5); None: an unsigned jCard in a data: URI naming ringfence and the rules."""
    server_name: str = "ringfence"
    max_message_bytes: int = MAX_MESSAGE_BYTES
    transaction_ttl_s: float = 32.0
    """How long an INVITE's answer is replayed to retransmissions: 64*T1, RFC 3261 Timer H."""
    max_transactions: int = 200_000

    @classmethod
    def build(
        cls,
        *,
        international_gateways: Iterable[str] = (),
        block_code: str = "auto",
        ingress_header: str = "X-Ingress",
        direction_header: str = "X-Direction",
        carrier_header: str = "X-Carrier",
        voicemail_uri: str | None = None,
        redress_uri: str | None = None,
    ) -> SipConfig:
        """A config from text values (as CLI flags give them), checked with clear errors."""
        networks = tuple(parse_network(text) for text in international_gateways)
        try:
            code = BlockCode(str(block_code).strip().lower())
        except ValueError:
            raise SipConfigError(
                f"block code {block_code!r} is not one of auto, 607, 608"
            ) from None
        config = cls(
            ingress_header=ingress_header,
            direction_header=direction_header,
            carrier_header=carrier_header,
            international_gateways=networks,
            voicemail_uri=voicemail_uri,
            block_code=code,
            redress_uri=redress_uri,
        )
        config.check()
        return config

    def check(self) -> None:
        for name in ("ingress_header", "direction_header", "carrier_header"):
            value = getattr(self, name)
            if not value or any(c in value for c in ": \t\r\n"):
                raise SipConfigError(f"{name} {value!r} is not a SIP header name (e.g. X-Ingress)")
        for name in ("voicemail_uri", "redress_uri"):
            value = getattr(self, name)
            if value is not None and (":" not in value or any(c in value for c in "<> \r\n")):
                raise SipConfigError(
                    f"{name} {value!r} is not a URI; give one such as sip:vm@10.0.0.5 or "
                    "https://operator.example/redress.jwt"
                )
        if self.max_message_bytes < 1024 or self.transaction_ttl_s < 0:
            raise SipConfigError("max_message_bytes must be >= 1024 and transaction_ttl_s >= 0")

    def is_international_gateway(self, address: str) -> bool:
        """Whether `address` (a source IP) lies in one of the international gateway ranges."""
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return False
        return any(ip.version == net.version and ip in net for net in self.international_gateways)


def parse_network(text: str) -> IpNetwork:
    """One gateway address or CIDR range (`192.0.2.0/24`, `2001:db8::/32`, `203.0.113.9`)."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise SipConfigError(
            f"international gateway {text!r} is not an IP address or CIDR range; "
            "write it as 192.0.2.0/24, 203.0.113.9 or 2001:db8::/32"
        ) from None
