"""Remember the answer to each INVITE for 32 s, so retransmissions get the same answer.

Why: over UDP a proxy retransmits an INVITE until it hears back (RFC 3261 17.1.1.2); if our
answer is lost, the retransmission must get the same response (same To tag, same verdict)
without asking the screener again, whose live windows would otherwise count the call twice.
The key is the top Via branch with its sent-by and the CSeq (RFC 3261 17.2.3); for old
clients without the `z9hG4bK` cookie it is Call-ID, From tag, CSeq and the whole top Via.

>>> cache = TransactionCache(ttl_s=32.0, max_entries=10, clock=lambda: 0.0)
>>> cache.put(("b", "h", 1), b"SIP/2.0 302 ...")
>>> cache.get(("b", "h", 1))
b'SIP/2.0 302 ...'
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from ringfence.sip.message import SipRequest

MAGIC_COOKIE = "z9hG4bK"


def transaction_key(request: SipRequest) -> Hashable:
    """The server transaction an INVITE (or its CANCEL) belongs to."""
    top = request.vias[0]
    number = request.cseq[0]
    if top.branch and top.branch.startswith(MAGIC_COOKIE):
        return (top.branch, top.sent_by.lower(), number)
    return (request.call_id, request.from_.tag, number, top.transport, top.sent_by, top.branch)


class TransactionCache:
    """Answers by transaction key, forgotten after `ttl_s` seconds or past `max_entries`."""

    def __init__(
        self,
        ttl_s: float = 32.0,
        max_entries: int = 200_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, bytes]] = OrderedDict()

    def get(self, key: Hashable) -> bytes | None:
        """The stored answer for `key`, if still fresh."""
        self._expire()
        entry = self._entries.get(key)
        return entry[1] if entry else None

    def put(self, key: Hashable, answer: bytes) -> None:
        self._expire()
        self._entries[key] = (self._clock() + self.ttl_s, answer)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def _expire(self) -> None:
        now = self._clock()
        while self._entries:
            key, (expires, _) = next(iter(self._entries.items()))
            if expires > now:
                break
            del self._entries[key]
