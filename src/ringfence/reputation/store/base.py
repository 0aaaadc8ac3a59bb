"""The one interface of the reputation store; SQLite and PostgreSQL implement it.

Why an interface with two real implementations: the embedded default (SQLite, one file) serves
one process; several API workers on several machines need PostgreSQL. Both run the same contract
tests (tests/contract/), so the services above cannot tell them apart.

Writes that must be atomic (a report with its evidence and the blocklist changes it causes) run
inside `with store.transaction():`; every method called inside joins that transaction. Outside
one, each call is its own transaction. `lock(key)` serialises writers on one key (a reporter,
the blocklist) for the rest of the transaction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime

from ringfence.reputation.model import Evidence, SubjectKind
from ringfence.reputation.store.records import (
    AllowEntry,
    ApiKeyRecord,
    BlockChange,
    BlockEntry,
    ModerationItem,
    ModerationStatus,
    ReportRecord,
    ReportStatus,
)


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message says what and how to fix it."""


class Store(ABC):
    """Persistence of evidence, reports, moderation, blocklist, API keys and allow-list."""

    url: str
    """The URL the store was opened with (password removed)."""
    kind: str
    """`sqlite` or `postgresql`."""

    # -- life cycle ------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]: ...

    @abstractmethod
    def lock(self, key: str) -> None:
        """Serialise writers on `key` until the current transaction ends."""

    @abstractmethod
    def get_meta(self, key: str) -> str | None: ...

    @abstractmethod
    def set_meta_if_absent(self, key: str, value: str) -> str:
        """Store `value` under `key` unless one is there; return the stored value."""

    # -- evidence --------------------------------------------------------------------------
    @abstractmethod
    def add_evidence(self, rows: Sequence[Evidence]) -> int:
        """Insert evidence rows; a row whose (ref, subject, kind) exists is skipped.

        Returns how many rows were inserted. Number subjects are also registered for the
        hashed-prefix lookup."""

    @abstractmethod
    def remove_evidence(self, ref: str) -> list[tuple[str, SubjectKind]]:
        """Delete the evidence of `ref` (a report, finding or decision); return the subjects
        (and their kinds) it was about."""

    @abstractmethod
    def evidence_for(self, subjects: Collection[str]) -> list[Evidence]: ...

    @abstractmethod
    def iter_evidence(self) -> Iterator[Evidence]:
        """Every evidence row (for snapshots), in insertion order."""

    @abstractmethod
    def subjects_in_bucket(self, bucket: str) -> list[tuple[str, str]]:
        """(subject, sha256 hex) of every number whose hash starts with the 5-hex `bucket`."""

    # -- reports ---------------------------------------------------------------------------
    @abstractmethod
    def add_report(self, report: ReportRecord) -> bool:
        """Insert a report; False when its id exists already (nothing changed)."""

    @abstractmethod
    def add_reports(self, reports: Sequence[ReportRecord]) -> list[str]:
        """Insert many reports (bulk import); return the ids that were new."""

    @abstractmethod
    def get_report(self, report_id: str) -> ReportRecord | None: ...

    @abstractmethod
    def reports_by_ids(self, ids: Collection[str]) -> list[ReportRecord]: ...

    @abstractmethod
    def set_report_status(
        self, ids: Collection[str], status: ReportStatus, moderation_id: str | None
    ) -> None: ...

    @abstractmethod
    def report_times(
        self, *, reporter: str | None = None, ip_hash: str | None = None, since: datetime
    ) -> list[datetime]:
        """Receipt times of the reports of one reporter or one IP hash since `since`."""

    @abstractmethod
    def last_report_on(self, reporter: str, number: str, since: datetime) -> datetime | None:
        """When `reporter` last reported `number` (not rejected) since `since`, if at all."""

    @abstractmethod
    def reports_on(self, number: str, since: datetime) -> list[ReportRecord]:
        """Citizens' reports received about `number` since `since` (any status)."""

    @abstractmethod
    def reporter_first_seen(self, reporter: str) -> datetime | None: ...

    @abstractmethod
    def touch_reporter(self, reporter: str, at: datetime) -> None: ...

    # -- findings --------------------------------------------------------------------------
    @abstractmethod
    def finding_digest(self, finding_id: str) -> str | None: ...

    @abstractmethod
    def save_finding(
        self,
        finding_id: str,
        digest: str,
        body: str,
        private: Sequence[tuple[str, str]],
        applied_at: datetime,
    ) -> None:
        """Keep the finding's JSON and its private subjects (subject, role): targets and
        subscribers at risk, for the operator only."""

    @abstractmethod
    def get_finding(self, finding_id: str) -> tuple[str, list[tuple[str, str]]] | None: ...

    # -- moderation ------------------------------------------------------------------------
    @abstractmethod
    def add_moderation(self, item: ModerationItem) -> None: ...

    @abstractmethod
    def update_moderation(self, item: ModerationItem) -> None: ...

    @abstractmethod
    def get_moderation(self, item_id: str) -> ModerationItem | None: ...

    @abstractmethod
    def list_moderation(
        self, status: ModerationStatus | None, limit: int, offset: int = 0
    ) -> list[ModerationItem]: ...

    @abstractmethod
    def open_moderation(self, kind: str, subject: str) -> ModerationItem | None:
        """The open item of `kind` about `subject`, if any."""

    # -- blocklist -------------------------------------------------------------------------
    @abstractmethod
    def block_entry(self, subject: str) -> BlockEntry | None: ...

    @abstractmethod
    def block_entries(self) -> list[BlockEntry]: ...

    @abstractmethod
    def block_entries_due(self, now: datetime) -> list[BlockEntry]:
        """Entries whose expiry is at or before `now`."""

    @abstractmethod
    def record_block_change(self, change: BlockChange) -> BlockChange:
        """Append a change with the next version (the given version is ignored) and update the
        current list; returns the change as stored. Call inside a transaction."""

    @abstractmethod
    def block_changes(self, since: int, limit: int) -> list[BlockChange]: ...

    @abstractmethod
    def block_version(self) -> int: ...

    # -- API keys --------------------------------------------------------------------------
    @abstractmethod
    def add_api_key(self, key: ApiKeyRecord) -> None: ...

    @abstractmethod
    def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None: ...

    @abstractmethod
    def api_keys(self) -> list[ApiKeyRecord]: ...

    @abstractmethod
    def revoke_api_key(self, key_id: str, at: datetime) -> bool: ...

    # -- allow-list ------------------------------------------------------------------------
    @abstractmethod
    def add_allowed(self, entry: AllowEntry) -> None: ...

    @abstractmethod
    def remove_allowed(self, number: str) -> bool: ...

    @abstractmethod
    def allowed(self) -> list[AllowEntry]: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
