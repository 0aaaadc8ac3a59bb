"""What an export contains: the blocklist of the store, checked again, entry by entry.

Why check again: the blocklist keeps itself clean (`ringfence.reputation.blocklist`), but an
export leaves our hands for thousands of phones and switches, where a wrong entry blocks a bank,
a spoofing victim or an emergency call. So every export re-applies the rules on its own,
whatever the store holds (even a row someone wrote into it directly):

- emergency and short numbers, and anything that is not E.164, are never exported;
- allow-listed numbers (the shipped list and the store's) are never exported;
- numbers whose owner is a spoofing victim (state `spoofed`, spoofed-owner evidence, or shown by
  scammers without being blockable) are never exported;
- ranges must be longer than their country code (no "block all of Italy");
- a range that contains a protected number (allow-listed or spoofing victim) is carved around
  it (see `ringfence.export.plan.carve`).

Every entry left out is counted with its reason (`Exclusion`); the counts are in every export,
the protected numbers themselves never are (the list of spoofing victims is private).

Versions: the selection carries the store's blocklist version read *before* the entries, so a
receiver that asks for `since=<version>` next time may see a change twice (harmless: entries are
upserted) but never misses one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from ringfence.alerts.storage import sql_store
from ringfence.domain.numbers import NumberError, NumberRange, parse_number
from ringfence.export.plan import carve
from ringfence.reputation.model import State, SubjectKind
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import BlockAction, BlockChange, BlockEntry


@dataclass(frozen=True, slots=True)
class ExportEntry:
    """A number or range that may be blocked."""

    subject: str
    kind: str
    """`number` or `range`."""
    category: str
    reason: str
    score: float
    expires_at: datetime | None
    version: int
    added_at: datetime
    carved_from: str | None = None
    """For a piece of a range carved around a protected number: the range."""


@dataclass(frozen=True, slots=True)
class Removal:
    """A subject to remove (deltas); remove the entries carved from it too."""

    subject: str
    kind: str
    version: int
    reason: str


@dataclass(frozen=True, slots=True)
class Exclusion:
    subject: str
    reason: str


@dataclass(frozen=True, slots=True)
class Selection:
    version: int
    since: int | None
    generated_at: datetime
    home_country: str
    entries: tuple[ExportEntry, ...]
    removals: tuple[Removal, ...]
    excluded: tuple[Exclusion, ...]
    more: bool = False
    """Deltas: True when cut at the limit (ask again with since=version)."""

    @property
    def is_delta(self) -> bool:
        return self.since is not None

    def excluded_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(e.reason for e in self.excluded).items()))


class ExportSelector:
    """Builds selections from the store behind a `Reputations` service."""

    def __init__(self, reputations: Reputations) -> None:
        self.reputations = reputations
        self.store = reputations.store

    def select(self, *, since: int | None = None, limit: int = 100_000) -> Selection:
        """The full list (`since` None) or the changes after version `since`."""
        now = self.reputations.clock.now()
        version = self.store.block_version()
        removals: list[Removal] = []
        more = False
        if since is None:
            rows = self.store.block_entries()
        else:
            changes = self.store.block_changes(max(0, since), limit + 1)
            more = len(changes) > limit
            changes = changes[:limit]
            if more:
                version = changes[-1].version
            rows, removals = _fold(changes)
        entries, excluded = self._checked(rows)
        return Selection(
            version=version,
            since=since,
            generated_at=now,
            home_country=self.reputations.home_country,
            entries=tuple(entries),
            removals=tuple(removals),
            excluded=tuple(excluded),
            more=more,
        )

    def _checked(self, rows: list[BlockEntry]) -> tuple[list[ExportEntry], list[Exclusion]]:
        allow = self.reputations.allowlist()
        numbers = [r.subject for r in rows if r.subject_kind == SubjectKind.NUMBER.value]
        evaluated = self.reputations.evaluate_many(
            [(n, SubjectKind.NUMBER) for n in numbers if n.startswith("+")]
        )
        victims = self.spoofing_victims()
        protected = sorted(
            {e.number for e in allow.entries() if e.number.startswith("+")} | victims
        )
        entries: list[ExportEntry] = []
        excluded: list[Exclusion] = []
        for row in rows:
            if row.subject_kind == SubjectKind.RANGE.value:
                problem = _range_problem(row.subject)
                if problem:
                    excluded.append(Exclusion(row.subject, problem))
                    continue
                pieces = carve(str(NumberRange.parse(row.subject)), protected)
                if pieces != [str(NumberRange.parse(row.subject))]:
                    excluded.append(Exclusion(row.subject, "range carved around protected numbers"))
                for piece in pieces:
                    carved = None if len(pieces) == 1 and piece == row.subject else row.subject
                    entries.append(_entry(row, piece, "range", carved))
                continue
            problem = self._number_problem(row.subject, allow.holder(row.subject), victims)
            if problem is None:
                reputation = evaluated.get((row.subject, SubjectKind.NUMBER))
                if reputation is not None:
                    rep = reputation[0]
                    if rep.state is State.SPOOFED or (rep.shown_by_scammers and not rep.blockable):
                        problem = "spoofing victim: the owner is innocent"
            if problem:
                excluded.append(Exclusion(row.subject, problem))
            else:
                entries.append(_entry(row, row.subject, "number", None))
        entries.sort(key=lambda e: (e.kind, e.subject))
        return entries, excluded

    def _number_problem(self, subject: str, holder: str | None, victims: set[str]) -> str | None:
        if not subject.startswith("+"):
            return "emergency or short number"
        try:
            number = parse_number(subject, self.reputations.home_country)
        except NumberError:
            return "not a valid number"
        if number.never_block or not number.is_e164:
            return "emergency or short number"
        if number.e164 != subject:
            return "not in canonical E.164 form"
        if holder is not None:
            return "allow-listed"
        if subject in victims:
            return "spoofing victim: the owner is innocent"
        return None

    def spoofing_victims(self) -> set[str]:
        """Numbers with spoofed-owner evidence or a `spoofed` decision (private: never
        exported, only used to keep them and their ranges off the list)."""
        rows = sql_store(self.store)._run(
            "SELECT DISTINCT subject FROM evidence WHERE subject_kind = ? "
            "AND (kind = ? OR (kind = ? AND category = ?))",
            (SubjectKind.NUMBER.value, "spoofed", "decision", "spoofed"),
        )
        return {str(r[0]) for r in rows}


def _range_problem(subject: str) -> str | None:
    try:
        rng = NumberRange.parse(subject)
    except ValueError:
        return "not a valid range"
    if not subject.startswith("+"):
        return "not in canonical form (+prefix)"
    code = rng.country_code
    if code is None:
        return "not within one country code"
    if len(rng.prefix) <= len(str(code)):
        return "too broad: covers a whole country code"
    return None


def _fold(changes: list[BlockChange]) -> tuple[list[BlockEntry], list[Removal]]:
    """The last change per subject: adds become entries, removes become removals."""
    last: dict[str, BlockChange] = {}
    for change in changes:
        last[change.subject] = change
    rows: list[BlockEntry] = []
    removals: list[Removal] = []
    for change in sorted(last.values(), key=lambda c: c.version):
        if change.action is BlockAction.REMOVE:
            removals.append(
                Removal(change.subject, change.subject_kind, change.version, change.reason)
            )
        else:
            rows.append(
                BlockEntry(
                    subject=change.subject,
                    subject_kind=change.subject_kind,
                    category=change.category,
                    reason=change.reason,
                    sources=change.sources,
                    score=change.score,
                    expires_at=change.expires_at,
                    version=change.version,
                    added_at=change.at,
                )
            )
    return rows, removals


def _entry(row: BlockEntry, subject: str, kind: str, carved_from: str | None) -> ExportEntry:
    return ExportEntry(
        subject=subject,
        kind=kind,
        category=row.category,
        reason=row.reason,
        score=row.score,
        expires_at=row.expires_at,
        version=row.version,
        added_at=row.added_at,
        carved_from=carved_from,
    )
