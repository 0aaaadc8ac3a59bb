"""An in-memory snapshot of every reputation, for the per-call screener's fast read path.

Why a snapshot: the screener decides before the phone rings, tens of thousands of times a
second; it cannot query a database per call. `ReputationSnapshot.build` reads all evidence once,
evaluates every subject at one moment and keeps the results in dictionaries; a lookup is then a
few dictionary reads (the number, and the prefixes of it that are known ranges). Rebuild it on a
schedule (e.g. every minute) or when `store.block_version()` changes; it is immutable, so a new
one can be swapped in while readers use the old one.

>>> import tempfile
>>> from datetime import UTC, datetime
>>> from ringfence.domain.clock import FixedClock
>>> from ringfence.reputation.store import open_store
>>> store = open_store(f"sqlite:///{tempfile.mkdtemp()}/r.db")
>>> snap = ReputationSnapshot.build(store, clock=FixedClock(datetime(2026, 1, 1, tzinfo=UTC)))
>>> snap.number("+32470123456") is None, len(snap)
(True, 0)
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from ringfence.domain.clock import Clock
from ringfence.domain.numbers import PhoneNumber, parse_number
from ringfence.reputation.allowlist import Allowlist
from ringfence.reputation.model import Evidence, Reputation, SubjectKind
from ringfence.reputation.policy import ScoringPolicy
from ringfence.reputation.scoring import evaluate
from ringfence.reputation.store import Store
from ringfence.reputation.view import NumberView, combine


class ReputationSnapshot:
    """Every subject's reputation at `as_of`, in memory."""

    def __init__(
        self,
        numbers: dict[str, Reputation],
        ranges: dict[str, Reputation],
        as_of: datetime,
        policy: ScoringPolicy,
        allowlist: Allowlist,
        home_country: str,
    ) -> None:
        self._numbers = numbers
        self._ranges = ranges
        self._range_lengths = sorted({len(p) for p in ranges})
        self.as_of = as_of
        self.policy = policy
        self.allowlist = allowlist
        self.home_country = home_country

    @classmethod
    def build(
        cls,
        store: Store,
        *,
        clock: Clock,
        policy: ScoringPolicy | None = None,
        allowlist: Allowlist | None = None,
        home_country: str = "BE",
    ) -> ReputationSnapshot:
        """Read all evidence of `store` and evaluate every subject at `clock.now()`."""
        policy = policy or ScoringPolicy()
        allow = allowlist if allowlist is not None else Allowlist.default()
        now = clock.now()
        grouped: dict[tuple[str, SubjectKind], list[Evidence]] = defaultdict(list)
        for row in store.iter_evidence():
            grouped[(row.subject, row.subject_kind)].append(row)
        numbers: dict[str, Reputation] = {}
        ranges: dict[str, Reputation] = {}
        for (subject, kind), rows in grouped.items():
            if kind is SubjectKind.RANGE:
                ranges[subject] = evaluate(subject, kind, rows, now, policy)
                continue
            never = not subject.startswith("+") and parse_number(subject, home_country).never_block
            numbers[subject] = evaluate(
                subject,
                kind,
                rows,
                now,
                policy,
                allowlisted=allow.holder(subject),
                never_block=never,
            )
        return cls(numbers, ranges, now, policy, allow, home_country)

    def __len__(self) -> int:
        return len(self._numbers) + len(self._ranges)

    def number(self, e164: str) -> Reputation | None:
        """The number's own reputation, or None when nothing is known about it."""
        return self._numbers.get(e164)

    def ranges_of(self, e164: str) -> list[Reputation]:
        """Reputations of the known ranges containing `e164`, shortest prefix first, except
        those known only from reports on `e164` itself (as `Reputations.view` does)."""
        if not e164.startswith("+"):
            return []
        found = []
        for length in self._range_lengths:
            if length < len(e164):
                hit = self._ranges.get(e164[:length])
                if hit is not None and hit.only_via != e164:
                    found.append(hit)
        return found

    def view(self, number: PhoneNumber | str) -> NumberView:
        """The same view as `Reputations.view`, from memory."""
        parsed = (
            number if isinstance(number, PhoneNumber) else parse_number(number, self.home_country)
        )
        own = self._numbers.get(parsed.e164) or evaluate(
            parsed.e164,
            SubjectKind.NUMBER,
            [],
            self.as_of,
            self.policy,
            allowlisted=self.allowlist.holder(parsed.e164),
            never_block=parsed.never_block,
        )
        return combine(parsed, own, self.ranges_of(parsed.e164))
