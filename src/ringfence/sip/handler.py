"""The redirect server's logic without sockets: one datagram in, at most one datagram out.

Why apart from the asyncio protocol: every rule of the SIP front (which method gets what,
retransmissions, malformed input, fail-open) is tested here directly on bytes, and the same
object runs behind the UDP socket. `handle` never raises: whatever the input, it returns the
response bytes to send back to the source, or None to send nothing, and counts what it did.

Non-INVITE requests: OPTIONS -> 200 (proxies use it as a health check), ACK -> nothing (it
acknowledges our final answer), CANCEL -> 200 when it matches an INVITE we answered (the answer
was already final, so there is nothing to cancel) else 481, BYE -> 481 (a redirect server never
takes part in a dialog), any other method -> 405 with `Allow`. Responses are counted and ignored.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ringfence.domain.clock import Clock, SystemClock
from ringfence.domain.verdicts import CallSetup, Verdict
from ringfence.sip.answer import Answer, answer_for, screening_failed_answer
from ringfence.sip.config import SipConfig
from ringfence.sip.errors import SipParseError
from ringfence.sip.invite import SipRequestError, call_setup_from_invite
from ringfence.sip.message import SipRequest, SipResponse, is_keepalive, parse_message
from ringfence.sip.response import REASON_PHRASES, build_response
from ringfence.sip.transactions import TransactionCache, transaction_key

ScreenFunction = Callable[[CallSetup], Verdict]
"""What the SIP front asks for each INVITE: `Screener.screen` or any function of that shape."""

ALLOWED_METHODS = "INVITE, ACK, CANCEL, OPTIONS, BYE"
log = logging.getLogger("ringfence.sip")


@dataclass(slots=True)
class SipStats:
    """Counters of one server run (a copy is returned by `SipHandler.stats()`)."""

    received: int = 0
    """Datagrams received (every one, junk included)."""
    answered: Counter[int] = field(default_factory=Counter)
    """Responses sent, by status code (replays to retransmissions included)."""
    outcomes: Counter[str] = field(default_factory=Counter)
    """Verdicts of the screener, by outcome."""
    screened: int = 0
    screen_errors: int = 0
    """Screener exceptions (answered fail-open, logged)."""
    malformed: int = 0
    """Datagrams that are not a usable SIP message (answered 400/505 or dropped)."""
    dropped: int = 0
    """Malformed datagrams left unanswered: no readable Via, a response, or an ACK."""
    retransmissions: int = 0
    """INVITE retransmissions answered from the transaction cache."""
    responses_ignored: int = 0
    acks: int = 0
    keepalives: int = 0
    internal_errors: int = 0
    """Bugs caught at the top so the server keeps serving (each one is logged)."""

    def copy(self) -> SipStats:
        return SipStats(
            self.received,
            Counter(self.answered),
            Counter(self.outcomes),
            self.screened,
            self.screen_errors,
            self.malformed,
            self.dropped,
            self.retransmissions,
            self.responses_ignored,
            self.acks,
            self.keepalives,
            self.internal_errors,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "answered": {str(code): n for code, n in sorted(self.answered.items())},
            "outcomes": dict(sorted(self.outcomes.items())),
            "screened": self.screened,
            "screen_errors": self.screen_errors,
            "malformed": self.malformed,
            "dropped": self.dropped,
            "retransmissions": self.retransmissions,
            "responses_ignored": self.responses_ignored,
            "acks": self.acks,
            "keepalives": self.keepalives,
            "internal_errors": self.internal_errors,
        }


class SipHandler:
    """Answers SIP datagrams as a redirect server in front of a screen function."""

    def __init__(
        self,
        screen: ScreenFunction,
        config: SipConfig | None = None,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.screen = screen
        self.config = config or SipConfig()
        self.clock: Clock = clock or SystemClock()
        self.transactions = TransactionCache(
            self.config.transaction_ttl_s, self.config.max_transactions, monotonic
        )
        self._stats = SipStats()

    def stats(self) -> SipStats:
        """A copy of the counters."""
        return self._stats.copy()

    def handle(self, data: bytes, source: tuple[str, int]) -> bytes | None:
        """The response to send to `source` for the datagram `data`, or None. Never raises."""
        self._stats.received += 1
        try:
            return self._handle(data, source)
        except Exception:
            self._stats.internal_errors += 1
            log.exception("internal error on a datagram from %s:%s", *source[:2])
            return None

    def _handle(self, data: bytes, source: tuple[str, int]) -> bytes | None:
        if is_keepalive(data):
            self._stats.keepalives += 1
            return None
        if data.startswith(b"ACK "):
            # An ACK is never answered, whatever its shape: skip the parse (half the traffic of
            # a redirect server is ACKs of its 3xx/6xx answers).
            self._stats.acks += 1
            return None
        try:
            message = parse_message(data, max_bytes=self.config.max_message_bytes)
        except SipParseError as error:
            return self._malformed(error, source)
        if isinstance(message, SipResponse):
            self._stats.responses_ignored += 1
            return None
        method = message.method
        if method == "ACK":
            self._stats.acks += 1
            return None
        if method == "INVITE":
            return self._invite(message, source)
        if method == "OPTIONS":
            answer = Answer(200, "OK", (("Allow", ALLOWED_METHODS), ("Accept", "application/sdp")))
        elif method == "CANCEL":
            known = self.transactions.get(transaction_key(message)) is not None
            answer = Answer(200, "OK") if known else Answer(481, REASON_PHRASES[481])
        elif method == "BYE":
            answer = Answer(481, REASON_PHRASES[481])
        else:
            answer = Answer(405, REASON_PHRASES[405], (("Allow", ALLOWED_METHODS),))
        return self._send(answer, message, source)

    def _malformed(self, error: SipParseError, source: tuple[str, int]) -> bytes | None:
        self._stats.malformed += 1
        headers = error.headers
        if error.is_response or error.method == "ACK" or headers is None or "via" not in headers:
            self._stats.dropped += 1
            log.debug("dropped a datagram from %s:%s: %s", source[0], source[1], error.reason)
            return None
        phrase = REASON_PHRASES.get(error.status, "Bad Request")
        self._stats.answered[error.status] += 1
        return build_response(
            error.status,
            f"{phrase}: {error.reason}",
            headers,
            to_tag=_new_tag(),
            source=source,
            server=self.config.server_name,
        )

    def _invite(self, request: SipRequest, source: tuple[str, int]) -> bytes:
        key = transaction_key(request)
        cached = self.transactions.get(key)
        if cached is not None:
            self._stats.retransmissions += 1
            self._stats.answered[_status_of(cached)] += 1
            return cached
        try:
            setup = call_setup_from_invite(request, source[0], self.config, self.clock.now())
        except SipRequestError as error:
            answer = Answer(error.status, error.reason)
        else:
            answer = self._screen(setup, request)
        response = self._send(answer, request, source)
        self.transactions.put(key, response)
        return response

    def _screen(self, setup: CallSetup, request: SipRequest) -> Answer:
        try:
            verdict = self.screen(setup)
            answer = answer_for(verdict, request, self.config)
        except Exception:
            self._stats.screen_errors += 1
            log.exception("screening failed for Call-ID %s; the call goes on", request.call_id)
            return screening_failed_answer(request)
        self._stats.screened += 1
        self._stats.outcomes[verdict.outcome.value] += 1
        return answer

    def _send(self, answer: Answer, request: SipRequest, source: tuple[str, int]) -> bytes:
        self._stats.answered[answer.status] += 1
        return build_response(
            answer.status,
            answer.reason,
            request.headers,
            to_tag=_new_tag(),
            source=source,
            extra=answer.headers,
            server=self.config.server_name,
        )


def _new_tag() -> str:
    return "rf" + secrets.token_hex(6)


def _status_of(response: bytes) -> int:
    return int(response[8:11])
