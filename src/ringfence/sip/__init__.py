"""The SIP front of the per-call screener: a UDP redirect server a proxy consults per INVITE.

A proxy (Kamailio, OpenSIPS, Asterisk) sends each INVITE here before the phone rings; the
answer is a 302 back to the proxy with the verdict in `X-Ringfence-Verdict` (allow, label,
warn, voicemail), or 607 Unwanted / 608 Rejected for a block. See docs/sip.md.
"""

from ringfence.sip.answer import VERDICT_HEADER, Answer, answer_for
from ringfence.sip.config import BlockCode, SipConfig, SipConfigError
from ringfence.sip.errors import SipParseError
from ringfence.sip.handler import ScreenFunction, SipHandler, SipStats
from ringfence.sip.invite import SipRequestError, call_setup_from_invite
from ringfence.sip.message import SipHeaders, SipRequest, SipResponse, parse_message
from ringfence.sip.server import (
    ScreenFactory,
    SipServerThread,
    default_screen_factory,
    parse_listen,
    serve,
)

__all__ = [
    "VERDICT_HEADER",
    "Answer",
    "BlockCode",
    "ScreenFactory",
    "ScreenFunction",
    "SipConfig",
    "SipConfigError",
    "SipHandler",
    "SipHeaders",
    "SipParseError",
    "SipRequest",
    "SipRequestError",
    "SipResponse",
    "SipServerThread",
    "SipStats",
    "answer_for",
    "call_setup_from_invite",
    "default_screen_factory",
    "parse_listen",
    "parse_message",
    "serve",
]
