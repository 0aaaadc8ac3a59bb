"""The versioned blocklist: numbers and ranges that are `scam` and blockable, kept in the store
with a reason, their sources, an expiry and a version number per change.

Why derived, not edited: an entry exists because the reputation says so (scam, blockable) or
an operator decided so; every change of evidence re-evaluates the subjects it touched and
records an `add` or `remove` with the next version. Receivers poll `changes(since=v)` and apply
the delta. Entries expire when their evidence decays below the `scam` threshold; `sweep()`
re-evaluates entries whose expiry has passed (the API runs it before serving a delta).

Never on the list, whatever the evidence: spoofed owners, allow-listed numbers, emergency and
short numbers, and anything shown by scammers without evidence that it is *used* by them
(`Reputation.blockable` is false for all of these).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ringfence.reputation.explain import render
from ringfence.reputation.model import (
    Evidence,
    EvidenceKind,
    EvidenceSource,
    Reputation,
    SubjectKind,
)
from ringfence.reputation.policy import ScoringPolicy
from ringfence.reputation.scoring import blockable_until, current_decision, mass_of, score_of
from ringfence.reputation.service import Reputations, SubjectKey
from ringfence.reputation.store import BlockAction, BlockChange, BlockEntry

_MIN_EXPIRY_SHIFT = timedelta(days=1)
_MAX_SOURCES = 20


@dataclass(frozen=True, slots=True)
class BlocklistDelta:
    """The changes after `since`, and the version a receiver has after applying them."""

    since: int
    version: int
    changes: tuple[BlockChange, ...]
    more: bool


class Blocklist:
    """Keeps the store's blocklist in step with reputations."""

    def __init__(self, reputations: Reputations) -> None:
        self.reputations = reputations
        self.store = reputations.store

    def reconcile(self, subjects: Iterable[SubjectKey]) -> list[BlockChange]:
        """Re-evaluate `subjects` and record the blocklist changes they need."""
        wanted = sorted(set(subjects))
        if not wanted:
            return []
        now = self.reputations.clock.now()
        policy = self.reputations.policy
        changes: list[BlockChange] = []
        with self.store.transaction():
            self.store.lock("blocklist")
            grouped = self.reputations.evidence_by_subject(wanted)
            listed = self._entries(wanted)
            for key in wanted:
                rows = grouped.get(key, [])
                entry = listed.get(key[0])
                if entry is None and not could_block(rows, now, policy):
                    continue
                reputation = self.reputations.evaluate_rows(key, rows, now)
                change = self._change(reputation, rows, entry, now)
                if change is not None:
                    changes.append(self.store.record_block_change(change))
        return changes

    def _entries(self, wanted: list[SubjectKey]) -> dict[str, BlockEntry]:
        """Current entries of `wanted` (one query each for a few, the whole list for many)."""
        if len(wanted) > 50:
            return {e.subject: e for e in self.store.block_entries()}
        found = (self.store.block_entry(subject) for subject, _ in wanted)
        return {e.subject: e for e in found if e is not None}

    def sweep(self) -> list[BlockChange]:
        """Re-evaluate the entries whose expiry has passed (they leave or get a new expiry)."""
        due = self.store.block_entries_due(self.reputations.clock.now())
        return self.reconcile((e.subject, SubjectKind(e.subject_kind)) for e in due)

    def changes(self, since: int, limit: int = 10_000) -> BlocklistDelta:
        """The delta after version `since` (at most `limit` changes; `more` says if cut)."""
        current = self.store.block_version()
        rows = self.store.block_changes(max(0, since), limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1].version if rows else 0
        version = last if more else max(current, last)
        return BlocklistDelta(since, version, tuple(rows), more)

    def entries(self) -> list[BlockEntry]:
        return self.store.block_entries()

    def _change(
        self,
        reputation: Reputation,
        rows: list[Evidence],
        entry: BlockEntry | None,
        now: datetime,
    ) -> BlockChange | None:
        kind = reputation.subject_kind
        if not reputation.blockable:
            if entry is None:
                return None
            reason = f"no longer blockable: level {reputation.level.value}"
            if reputation.state.value != "normal":
                reason += f", state {reputation.state.value}"
            if reputation.allowlisted:
                reason += ", allow-listed"
            return BlockChange(
                0,
                BlockAction.REMOVE,
                reputation.subject,
                kind.value,
                entry.category,
                reason,
                entry.sources,
                reputation.score,
                None,
                now,
            )
        expires = blockable_until(rows, now, self.reputations.policy, kind)
        category, sources = _category_and_sources(rows, now)
        if entry is not None and not _moved(entry, category, expires):
            return None
        reason = " ".join(render(r, "en") for r in reputation.reasons)
        return BlockChange(
            0,
            BlockAction.ADD,
            reputation.subject,
            kind.value,
            category,
            reason,
            sources,
            reputation.score,
            expires,
            now,
        )


def could_block(rows: list[Evidence], now: datetime, policy: ScoringPolicy) -> bool:
    """A cheap necessary condition of `blockable`: a decision, or enough blocking mass."""
    mass = 0.0
    for row in rows:
        if row.kind is EvidenceKind.DECISION:
            return True
        if row.kind in (EvidenceKind.AGAINST, EvidenceKind.LURE):
            mass += mass_of(row, now, policy)
    return score_of(mass, policy) >= policy.scam_at


def _moved(entry: BlockEntry, category: str, expires: datetime | None) -> bool:
    if entry.category != category or (entry.expires_at is None) != (expires is None):
        return True
    if entry.expires_at is None or expires is None:
        return False
    return abs(entry.expires_at - expires) > _MIN_EXPIRY_SHIFT


def _category_and_sources(rows: list[Evidence], now: datetime) -> tuple[str, tuple[str, ...]]:
    decision = current_decision(rows, now)
    blocking = [
        r for r in rows if r.kind in (EvidenceKind.AGAINST, EvidenceKind.LURE) and r.via is None
    ] or [r for r in rows if r.kind in (EvidenceKind.AGAINST, EvidenceKind.LURE)]
    categories = Counter(r.category for r in blocking)
    category = categories.most_common(1)[0][0] if categories else "other"
    refs: list[str] = []
    if decision is not None:
        refs.append(f"decision:{decision.ref}")
    findings = sorted({r.ref for r in blocking if r.source is EvidenceSource.FINDING})
    refs += [f"finding:{ref}" for ref in findings]
    reports = {r.ref for r in blocking if r.source is EvidenceSource.REPORT}
    imported = {r.ref for r in blocking if r.source is EvidenceSource.IMPORT}
    if reports:
        refs.append(f"reports:{len(reports)}")
    if imported:
        refs.append(f"imported:{len(imported)}")
    return category, tuple(refs[:_MAX_SOURCES])
