"""SQL of the reports, reporters and moderation tables (shared by SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from ringfence.reputation.store.records import (
    ModerationItem,
    ModerationStatus,
    ReportRecord,
    ReportStatus,
)
from ringfence.reputation.store.rows import (
    CHUNK,
    MODERATION_COLUMNS,
    REPORT_COLUMNS,
    from_us,
    marks,
    moderation_of,
    moderation_row,
    opt_dt,
    report_of,
    report_row,
    to_us,
)
from ringfence.reputation.store.sql_base import SqlBase


class ReportSql(SqlBase):
    # -- reports ---------------------------------------------------------------------------
    def add_report(self, report: ReportRecord) -> bool:
        changed = self._run_many(
            f"INSERT INTO reports ({REPORT_COLUMNS}) VALUES ({marks(19)}) ON CONFLICT DO NOTHING",
            [report_row(report)],
        )
        return changed > 0

    def add_reports(self, reports: Sequence[ReportRecord]) -> list[str]:
        new: list[str] = []
        with self.transaction():
            for start in range(0, len(reports), CHUNK):
                chunk = reports[start : start + CHUNK]
                ids = [r.id for r in chunk]
                existing = {
                    str(r[0])
                    for r in self._run(
                        f"SELECT id FROM reports WHERE id IN ({marks(len(ids))})", ids
                    )
                }
                unique: dict[str, ReportRecord] = {}
                for report in chunk:
                    if report.id not in existing:
                        unique.setdefault(report.id, report)
                self._run_many(
                    f"INSERT INTO reports ({REPORT_COLUMNS}) VALUES ({marks(19)}) "
                    "ON CONFLICT DO NOTHING",
                    [report_row(r) for r in unique.values()],
                )
                new.extend(unique)
        return new

    def get_report(self, report_id: str) -> ReportRecord | None:
        rows = self._run(f"SELECT {REPORT_COLUMNS} FROM reports WHERE id = ?", (report_id,))
        return report_of(rows[0]) if rows else None

    def reports_by_ids(self, ids: Collection[str]) -> list[ReportRecord]:
        rows = self._run_in_chunks(
            f"SELECT {REPORT_COLUMNS} FROM reports WHERE id IN ({{marks}}) "
            "ORDER BY received_us, id",
            ids,
        )
        return [report_of(r) for r in rows]

    def set_report_status(
        self, ids: Collection[str], status: ReportStatus, moderation_id: str | None
    ) -> None:
        self._run_many(
            "UPDATE reports SET status = ?, moderation_id = ? WHERE id = ?",
            [(status.value, moderation_id, i) for i in sorted(set(ids))],
        )

    def report_times(
        self, *, reporter: str | None = None, ip_hash: str | None = None, since: datetime
    ) -> list[datetime]:
        if (reporter is None) == (ip_hash is None):
            raise ValueError("give exactly one of reporter and ip_hash")
        column, value = ("reporter", reporter) if reporter is not None else ("ip_hash", ip_hash)
        rows = self._run(
            f"SELECT received_us FROM reports WHERE {column} = ? AND received_us >= ? "
            "ORDER BY received_us",
            (value, to_us(since)),
        )
        return [from_us(r[0]) for r in rows]

    def last_report_on(self, reporter: str, number: str, since: datetime) -> datetime | None:
        rows = self._run(
            "SELECT MAX(received_us) FROM reports WHERE reporter = ? AND number = ? "
            "AND received_us >= ? AND status <> ?",
            (reporter, number, to_us(since), ReportStatus.REJECTED.value),
        )
        return opt_dt(rows[0][0]) if rows else None

    def reports_on(self, number: str, since: datetime) -> list[ReportRecord]:
        rows = self._run(
            f"SELECT {REPORT_COLUMNS} FROM reports WHERE number = ? AND received_us >= ? "
            "AND reporter IS NOT NULL ORDER BY received_us, id",
            (number, to_us(since)),
        )
        return [report_of(r) for r in rows]

    def reporter_first_seen(self, reporter: str) -> datetime | None:
        rows = self._run("SELECT first_us FROM reporters WHERE reporter = ?", (reporter,))
        return from_us(rows[0][0]) if rows else None

    def touch_reporter(self, reporter: str, at: datetime) -> None:
        moment = to_us(at)
        self._run(
            "INSERT INTO reporters (reporter, first_us, last_us, reports) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (reporter) DO UPDATE SET last_us = excluded.last_us, "
            "reports = reporters.reports + 1",
            (reporter, moment, moment),
        )

    # -- moderation ------------------------------------------------------------------------
    def add_moderation(self, item: ModerationItem) -> None:
        self._run(
            f"INSERT INTO moderation ({MODERATION_COLUMNS}) VALUES ({marks(9)})",
            moderation_row(item),
        )

    def update_moderation(self, item: ModerationItem) -> None:
        row = moderation_row(item)
        self._run(
            "UPDATE moderation SET kind = ?, subject = ?, status = ?, created_us = ?, "
            "updated_us = ?, details = ?, resolution = ?, note = ? WHERE id = ?",
            (*row[1:], row[0]),
        )

    def get_moderation(self, item_id: str) -> ModerationItem | None:
        rows = self._run(f"SELECT {MODERATION_COLUMNS} FROM moderation WHERE id = ?", (item_id,))
        return moderation_of(rows[0]) if rows else None

    def list_moderation(
        self, status: ModerationStatus | None, limit: int, offset: int = 0
    ) -> list[ModerationItem]:
        if status is None:
            rows = self._run(
                f"SELECT {MODERATION_COLUMNS} FROM moderation ORDER BY created_us, id "
                "LIMIT ? OFFSET ?",
                (limit, offset),
            )
        else:
            rows = self._run(
                f"SELECT {MODERATION_COLUMNS} FROM moderation WHERE status = ? "
                "ORDER BY created_us, id LIMIT ? OFFSET ?",
                (status.value, limit, offset),
            )
        return [moderation_of(r) for r in rows]

    def open_moderation(self, kind: str, subject: str) -> ModerationItem | None:
        rows = self._run(
            f"SELECT {MODERATION_COLUMNS} FROM moderation WHERE subject = ? AND kind = ? "
            "AND status = ? ORDER BY created_us LIMIT 1",
            (subject, kind, ModerationStatus.OPEN.value),
        )
        return moderation_of(rows[0]) if rows else None
