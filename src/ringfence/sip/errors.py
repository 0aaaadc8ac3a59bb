"""The one error the SIP parser raises, carrying what is needed to answer it.

Why one error type with a status: a malformed datagram must never stop the server. The parser
turns every problem into a `SipParseError` whose message says what is wrong (it becomes the
reason phrase of the `400 Bad Request`), and keeps the headers it could read, so that the answer
can still be routed back along the Via path when there is one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ringfence.sip.message import SipHeaders


class SipParseError(ValueError):
    """A datagram that is not a usable SIP message.

    `status` is the SIP code to answer with (400, or 505 for another SIP version),
    `headers` the header fields read before the problem (None when none could be),
    `method` the request method when the request line could be read, and `is_response`
    whether the datagram looked like a response (responses are never answered).
    """

    def __init__(
        self,
        reason: str,
        *,
        status: int = 400,
        headers: SipHeaders | None = None,
        method: str | None = None,
        is_response: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.headers = headers
        self.method = method
        self.is_response = is_response
