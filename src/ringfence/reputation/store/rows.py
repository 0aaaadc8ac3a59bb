"""Rows of the SQL stores: time and hash conversions, column lists, and the conversions between
stored rows and the records of `ringfence.reputation`.

Why integer microseconds: SQLite has no timestamp type and PostgreSQL's would round-trip through
time zones; an exact integer count since the epoch (UTC) is the same in both, sorts right, and
never loses a microsecond (no float arithmetic, see `to_us`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from ringfence.domain.clock import as_utc
from ringfence.reputation.model import Evidence, EvidenceKind, EvidenceSource, SubjectKind
from ringfence.reputation.store.records import (
    ApiKeyRecord,
    BlockAction,
    BlockChange,
    BlockEntry,
    ModerationItem,
    ModerationKind,
    ModerationStatus,
    ReportRecord,
    ReportStatus,
)

Row = tuple[Any, ...]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
CHUNK = 500
"""Values per `IN (...)` list: well under SQLite's and PostgreSQL's parameter limits."""


def to_us(moment: datetime) -> int:
    """Exact integer microseconds since the epoch (no float rounding)."""
    return (as_utc(moment) - EPOCH) // _US


def from_us(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=int(value))


def opt_us(moment: datetime | None) -> int | None:
    return None if moment is None else to_us(moment)


def opt_dt(value: int | None) -> datetime | None:
    return None if value is None else from_us(value)


def number_hash(subject: str) -> str:
    """SHA-256 (hex) of a number's canonical form: the key of the k-anonymous lookup."""
    return hashlib.sha256(subject.encode()).hexdigest()


EVIDENCE_COLUMNS = (
    "subject, subject_kind, source, kind, category, strength, occurred_us, ref, via, reporter, "
    "expires_us, note"
)
REPORT_COLUMNS = (
    "id, number, number_raw, occurred_us, received_us, channel, category, text, called_back, "
    "money_lost, language, country, source, reporter, ip_hash, status, moderation_id, "
    "suggested_category, details"
)
MODERATION_COLUMNS = "id, kind, subject, status, created_us, updated_us, details, resolution, note"
BLOCK_COLUMNS = (
    "subject, subject_kind, category, reason, sources, score, expires_us, version, added_us"
)
CHANGE_COLUMNS = (
    "version, action, subject, subject_kind, category, reason, sources, score, expires_us, at_us"
)


def marks(count: int) -> str:
    return ", ".join("?" * count)


def evidence_row(e: Evidence) -> Row:
    return (
        e.subject,
        e.subject_kind.value,
        e.source.value,
        e.kind.value,
        e.category,
        float(e.strength),
        to_us(e.occurred_at),
        e.ref,
        e.via,
        e.reporter,
        opt_us(e.expires_at),
        e.note,
    )


def evidence_of(row: Row) -> Evidence:
    return Evidence(
        subject=str(row[0]),
        subject_kind=SubjectKind(row[1]),
        source=EvidenceSource(row[2]),
        kind=EvidenceKind(row[3]),
        category=str(row[4]),
        strength=float(row[5]),
        occurred_at=from_us(row[6]),
        ref=str(row[7]),
        via=row[8],
        reporter=row[9],
        expires_at=opt_dt(row[10]),
        note=row[11],
    )


def report_row(r: ReportRecord) -> Row:
    return (
        r.id,
        r.number,
        r.number_raw,
        to_us(r.occurred_at),
        to_us(r.received_at),
        r.channel,
        r.category,
        r.text,
        int(r.called_back),
        int(r.money_lost),
        r.language,
        r.country,
        r.source,
        r.reporter,
        r.ip_hash,
        r.status.value,
        r.moderation_id,
        r.suggested_category,
        json.dumps(dict(r.details), ensure_ascii=False, sort_keys=True),
    )


def report_of(row: Row) -> ReportRecord:
    return ReportRecord(
        id=str(row[0]),
        number=str(row[1]),
        number_raw=str(row[2]),
        occurred_at=from_us(row[3]),
        received_at=from_us(row[4]),
        channel=str(row[5]),
        category=str(row[6]),
        text=row[7],
        called_back=bool(row[8]),
        money_lost=bool(row[9]),
        language=row[10],
        country=row[11],
        source=str(row[12]),
        reporter=row[13],
        ip_hash=row[14],
        status=ReportStatus(row[15]),
        moderation_id=row[16],
        suggested_category=row[17],
        details=json.loads(row[18]) if row[18] else {},
    )


def moderation_row(m: ModerationItem) -> Row:
    return (
        m.id,
        m.kind.value,
        m.subject,
        m.status.value,
        to_us(m.created_at),
        to_us(m.updated_at),
        json.dumps(dict(m.details), ensure_ascii=False, sort_keys=True),
        m.resolution,
        m.note,
    )


def moderation_of(row: Row) -> ModerationItem:
    return ModerationItem(
        id=str(row[0]),
        kind=ModerationKind(row[1]),
        subject=str(row[2]),
        status=ModerationStatus(row[3]),
        created_at=from_us(row[4]),
        updated_at=from_us(row[5]),
        details=json.loads(row[6]),
        resolution=row[7],
        note=row[8],
    )


def block_entry_of(row: Row) -> BlockEntry:
    return BlockEntry(
        subject=str(row[0]),
        subject_kind=str(row[1]),
        category=str(row[2]),
        reason=str(row[3]),
        sources=tuple(json.loads(row[4])),
        score=float(row[5]),
        expires_at=opt_dt(row[6]),
        version=int(row[7]),
        added_at=from_us(row[8]),
    )


def block_change_of(row: Row) -> BlockChange:
    return BlockChange(
        version=int(row[0]),
        action=BlockAction(row[1]),
        subject=str(row[2]),
        subject_kind=str(row[3]),
        category=str(row[4]),
        reason=str(row[5]),
        sources=tuple(json.loads(row[6])),
        score=float(row[7]),
        expires_at=opt_dt(row[8]),
        at=from_us(row[9]),
    )


def api_key_of(row: Row) -> ApiKeyRecord:
    scopes = tuple(s for s in str(row[3]).split(",") if s)
    return ApiKeyRecord(
        str(row[0]), str(row[1]), str(row[2]), scopes, from_us(row[4]), opt_dt(row[5])
    )
