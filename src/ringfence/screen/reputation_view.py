"""The screener's view of reputation: an in-memory snapshot turned into a per-number signal.

Why a snapshot: a verdict is due before the phone rings, tens of thousands of times a second;
the reputation store is read once into a `ReputationSnapshot` (dictionaries) and each lookup
is a few dictionary reads. A number that is being spoofed yields the signal `spoofed` (the call
is suspect, the owner is not), whatever its level.
"""

from __future__ import annotations

from ringfence.domain.clock import Clock, SystemClock
from ringfence.reputation.explain import render
from ringfence.reputation.model import Level, State
from ringfence.reputation.snapshot import ReputationSnapshot
from ringfence.reputation.store import open_store
from ringfence.screen.screener import ReputationLookup, ReputationSignal
from ringfence.settings import Settings

_SIGNAL_LEVELS = {Level.SCAM, Level.SUSPICIOUS}


def snapshot_lookup(snapshot: ReputationSnapshot, language: str = "en") -> ReputationLookup:
    """A lookup that answers only for numbers with evidence (own or of their ranges)."""

    def lookup(number: str) -> ReputationSignal | None:
        if snapshot.number(number) is None and not snapshot.ranges_of(number):
            return None
        view = snapshot.view(number)
        reason = render(view.reasons[0], language) if view.reasons else ""
        if view.state is State.SPOOFED:
            return ReputationSignal(
                "spoofed", reason or "this number is shown by scammers", view.score
            )
        if view.level in _SIGNAL_LEVELS:
            return ReputationSignal(view.level.value, reason, view.score)
        return None

    return lookup


def reputation_lookup(
    store_url: str, settings: Settings, clock: Clock | None = None
) -> ReputationLookup:
    """Open the store at `store_url`, take a snapshot now, and return its lookup."""
    store = open_store(store_url)
    try:
        snapshot = ReputationSnapshot.build(
            store, clock=clock or SystemClock(), home_country=settings.home_country
        )
    finally:
        store.close()
    return snapshot_lookup(snapshot)
