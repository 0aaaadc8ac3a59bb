"""Alerts in the reputation store: the `alerts`, `alert_sources` and `alert_meta` tables.

Why here and not in the `Store` interface: the tables come with migration 2
(`ringfence/data/migrations/<dialect>/0002_alerts.sql`), applied by the store like every
migration, but the `Store` interface belongs to the reputation module and has no alert
operations yet. This adapter runs its SQL through the SQL store's statement runner (shared by
SQLite and PostgreSQL, `?` placeholders) and its transactions, so both stores work alike. When
the interface gains alert operations this module shrinks to calls to them.

It also reads two things the interface has no query for: the findings applied since a moment
(to turn new findings into alerts) and the counted citizens' reports received since a moment
(for bursts).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from ringfence.alerts.bursts import ReportRow
from ringfence.alerts.model import Alert, AlertKind, AlertSubject, Source
from ringfence.reputation.store import ReportStatus, Store, StoreError
from ringfence.reputation.store.sql import SqlStore, from_us, to_us

_ALERT_COLUMNS = (
    "id, campaign, kind, category, subjects, params, counts, withheld, started_us, updated_us, "
    "last_seen_us, expires_us, revision"
)
_SOURCE_COLUMNS = "alert_id, ref, first_us, last_us, counts, subjects, withheld, params"


def sql_store(store: Store) -> SqlStore:
    """`store` as a SQL store (both shipped stores are), or a clear error."""
    if not isinstance(store, SqlStore):
        raise StoreError(
            f"alerts and exports need a SQL store (sqlite:/// or postgresql://), "
            f"not {type(store).__name__}"
        )
    if store.schema_version() < 2:
        raise StoreError(
            f"the store {store.url} has schema version {store.schema_version()}; alerts need "
            "migration 2 (0002_alerts.sql): open it with this version of ringfence to migrate"
        )
    return store


class AlertStore:
    """Reads and writes alerts and their sources."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sql = sql_store(store)

    def transaction(self) -> AbstractContextManager[None]:
        return self._sql.transaction()

    def lock(self) -> None:
        self._sql.lock("alerts")

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._sql._run(sql, params)

    # -- alerts ----------------------------------------------------------------------------
    def get(self, alert_id: str) -> Alert | None:
        rows = self._run(f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE id = ?", (alert_id,))
        return _alert(rows[0]) if rows else None

    def alerts(self, *, active_at: datetime | None = None, limit: int = 500) -> list[Alert]:
        """Alerts, latest first; only those not expired at `active_at` when given."""
        if active_at is None:
            rows = self._run(
                f"SELECT {_ALERT_COLUMNS} FROM alerts ORDER BY updated_us DESC, id LIMIT ?",
                (limit,),
            )
        else:
            rows = self._run(
                f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE expires_us > ? "
                "ORDER BY updated_us DESC, id LIMIT ?",
                (to_us(active_at), limit),
            )
        return [_alert(r) for r in rows]

    def active_campaigns(self, now: datetime) -> set[str]:
        rows = self._run("SELECT campaign FROM alerts WHERE expires_us > ?", (to_us(now),))
        return {str(r[0]) for r in rows}

    def has_campaign(self, campaign: str) -> bool:
        return bool(self._run("SELECT 1 FROM alerts WHERE campaign = ?", (campaign,)))

    def save_alert(self, alert: Alert) -> None:
        self._run("DELETE FROM alerts WHERE id = ?", (alert.id,))
        self._run(
            f"INSERT INTO alerts ({_ALERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                alert.id,
                alert.campaign,
                alert.kind.value,
                alert.category,
                _subjects_json(alert.subjects),
                json.dumps(dict(alert.params), ensure_ascii=False, sort_keys=True),
                json.dumps(dict(alert.counts), sort_keys=True),
                alert.withheld,
                to_us(alert.started_at),
                to_us(alert.updated_at),
                to_us(alert.last_seen),
                to_us(alert.expires_at),
                alert.revision,
            ),
        )

    # -- sources ---------------------------------------------------------------------------
    def sources(self, alert_id: str) -> list[Source]:
        rows = self._run(
            f"SELECT {_SOURCE_COLUMNS} FROM alert_sources WHERE alert_id = ? "
            "ORDER BY first_us, ref",
            (alert_id,),
        )
        alert = self.get(alert_id)
        campaign = alert.campaign if alert else ""
        kind = alert.kind if alert else AlertKind.REPORTED_NUMBERS
        category = alert.category if alert else "other"
        return [
            Source(
                campaign=campaign,
                kind=kind,
                category=category,
                ref=str(r[1]),
                first_seen=from_us(r[2]),
                last_seen=from_us(r[3]),
                counts=json.loads(r[4]),
                subjects=tuple(AlertSubject(s["value"], s["kind"]) for s in json.loads(r[5])),
                withheld=int(r[6]),
                params=json.loads(r[7]),
            )
            for r in rows
        ]

    def save_source(self, alert_id: str, source: Source) -> None:
        self._run(
            "DELETE FROM alert_sources WHERE alert_id = ? AND ref = ?", (alert_id, source.ref)
        )
        self._run(
            f"INSERT INTO alert_sources ({_SOURCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                alert_id,
                source.ref,
                to_us(source.first_seen),
                to_us(source.last_seen),
                json.dumps(dict(source.counts), sort_keys=True),
                _subjects_json(source.subjects),
                source.withheld,
                json.dumps(dict(source.params), ensure_ascii=False, sort_keys=True),
            ),
        )

    # -- meta ------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._run("SELECT value FROM alert_meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._run("DELETE FROM alert_meta WHERE key = ?", (key,))
        self._run("INSERT INTO alert_meta (key, value) VALUES (?, ?)", (key, value))

    # -- inputs ----------------------------------------------------------------------------
    def findings_applied_since(self, since: datetime) -> list[tuple[str, datetime]]:
        """(finding JSON, applied at) of the findings applied at or after `since`."""
        rows = self._run(
            "SELECT body, applied_us FROM findings WHERE applied_us >= ? "
            "ORDER BY applied_us, finding_id",
            (to_us(since),),
        )
        return [(str(body), from_us(at)) for body, at in rows]

    def latest_findings(self, window_s: float, limit: int) -> list[tuple[str, datetime]]:
        """The findings of the latest analysis: applied within `window_s` of the last one."""
        rows = self._run("SELECT MAX(applied_us) FROM findings")
        if not rows or rows[0][0] is None:
            return []
        start = int(rows[0][0]) - int(window_s * 1_000_000)
        found = self._run(
            "SELECT body, applied_us FROM findings WHERE applied_us >= ? "
            "ORDER BY applied_us DESC, finding_id LIMIT ?",
            (start, limit),
        )
        return [(str(body), from_us(at)) for body, at in found]

    def counted_reports_since(self, since: datetime) -> list[ReportRow]:
        """Counted reports of pseudonymous citizens received at or after `since`."""
        rows = self._run(
            "SELECT id, number, received_us, category, text, reporter FROM reports "
            "WHERE received_us >= ? AND status = ? AND reporter IS NOT NULL "
            "ORDER BY received_us, id",
            (to_us(since), ReportStatus.COUNTED.value),
        )
        return [
            ReportRow(str(i), str(n), from_us(r), str(c), t, str(p)) for i, n, r, c, t, p in rows
        ]


def _subjects_json(subjects: Sequence[AlertSubject]) -> str:
    return json.dumps([s.to_dict() for s in subjects])


def _alert(row: tuple[Any, ...]) -> Alert:
    return Alert(
        id=str(row[0]),
        campaign=str(row[1]),
        kind=AlertKind(row[2]),
        category=str(row[3]),
        subjects=tuple(AlertSubject(s["value"], s["kind"]) for s in json.loads(row[4])),
        params=json.loads(row[5]),
        counts=json.loads(row[6]),
        withheld=int(row[7]),
        started_at=from_us(row[8]),
        updated_at=from_us(row[9]),
        last_seen=from_us(row[10]),
        expires_at=from_us(row[11]),
        revision=int(row[12]),
    )
