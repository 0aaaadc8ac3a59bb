"""SQL of the blocklist, API keys and allow-list tables (shared by SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import datetime

from ringfence.reputation.store.records import (
    AllowEntry,
    ApiKeyRecord,
    BlockAction,
    BlockChange,
    BlockEntry,
)
from ringfence.reputation.store.rows import (
    BLOCK_COLUMNS,
    CHANGE_COLUMNS,
    api_key_of,
    block_change_of,
    block_entry_of,
    from_us,
    marks,
    opt_us,
    to_us,
)
from ringfence.reputation.store.sql_base import SqlBase


class ListSql(SqlBase):
    # -- blocklist -------------------------------------------------------------------------
    def block_entry(self, subject: str) -> BlockEntry | None:
        rows = self._run(f"SELECT {BLOCK_COLUMNS} FROM blocklist WHERE subject = ?", (subject,))
        return block_entry_of(rows[0]) if rows else None

    def block_entries(self) -> list[BlockEntry]:
        rows = self._run(f"SELECT {BLOCK_COLUMNS} FROM blocklist ORDER BY subject")
        return [block_entry_of(r) for r in rows]

    def block_entries_due(self, now: datetime) -> list[BlockEntry]:
        rows = self._run(
            f"SELECT {BLOCK_COLUMNS} FROM blocklist WHERE expires_us IS NOT NULL "
            "AND expires_us <= ? ORDER BY expires_us, subject",
            (to_us(now),),
        )
        return [block_entry_of(r) for r in rows]

    def record_block_change(self, change: BlockChange) -> BlockChange:
        with self.transaction():
            self.lock("blocklist")
            version = self.block_version() + 1
            stored = BlockChange(
                version,
                change.action,
                change.subject,
                change.subject_kind,
                change.category,
                change.reason,
                change.sources,
                change.score,
                change.expires_at,
                change.at,
            )
            sources = json.dumps(list(stored.sources))
            self._run(
                f"INSERT INTO blocklist_changes ({CHANGE_COLUMNS}) VALUES ({marks(10)})",
                (
                    version,
                    stored.action.value,
                    stored.subject,
                    stored.subject_kind,
                    stored.category,
                    stored.reason,
                    sources,
                    stored.score,
                    opt_us(stored.expires_at),
                    to_us(stored.at),
                ),
            )
            if stored.action is BlockAction.REMOVE:
                self._run("DELETE FROM blocklist WHERE subject = ?", (stored.subject,))
            else:
                self._run(
                    f"INSERT INTO blocklist ({BLOCK_COLUMNS}) VALUES ({marks(9)}) "
                    "ON CONFLICT (subject) DO UPDATE SET subject_kind = excluded.subject_kind, "
                    "category = excluded.category, reason = excluded.reason, "
                    "sources = excluded.sources, score = excluded.score, "
                    "expires_us = excluded.expires_us, version = excluded.version",
                    (
                        stored.subject,
                        stored.subject_kind,
                        stored.category,
                        stored.reason,
                        sources,
                        stored.score,
                        opt_us(stored.expires_at),
                        version,
                        to_us(stored.at),
                    ),
                )
        return stored

    def block_changes(self, since: int, limit: int) -> list[BlockChange]:
        rows = self._run(
            f"SELECT {CHANGE_COLUMNS} FROM blocklist_changes WHERE version > ? "
            "ORDER BY version LIMIT ?",
            (since, limit),
        )
        return [block_change_of(r) for r in rows]

    def block_version(self) -> int:
        rows = self._run("SELECT MAX(version) FROM blocklist_changes")
        return int(rows[0][0] or 0) if rows else 0

    # -- API keys --------------------------------------------------------------------------
    def add_api_key(self, key: ApiKeyRecord) -> None:
        self._run(
            "INSERT INTO api_keys (id, key_hash, name, scopes, created_us, revoked_us) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                key.id,
                key.key_hash,
                key.name,
                ",".join(key.scopes),
                to_us(key.created_at),
                opt_us(key.revoked_at),
            ),
        )

    def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        rows = self._run(
            "SELECT id, key_hash, name, scopes, created_us, revoked_us FROM api_keys "
            "WHERE key_hash = ?",
            (key_hash,),
        )
        return api_key_of(rows[0]) if rows else None

    def api_keys(self) -> list[ApiKeyRecord]:
        rows = self._run(
            "SELECT id, key_hash, name, scopes, created_us, revoked_us FROM api_keys "
            "ORDER BY created_us, id"
        )
        return [api_key_of(r) for r in rows]

    def revoke_api_key(self, key_id: str, at: datetime) -> bool:
        changed = self._run_many(
            "UPDATE api_keys SET revoked_us = ? WHERE id = ? AND revoked_us IS NULL",
            [(to_us(at), key_id)],
        )
        return changed > 0

    # -- allow-list ------------------------------------------------------------------------
    def add_allowed(self, entry: AllowEntry) -> None:
        self._run(
            "INSERT INTO allowlist (number, holder, source, added_us) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (number) DO UPDATE SET holder = excluded.holder, "
            "source = excluded.source, added_us = excluded.added_us",
            (entry.number, entry.holder, entry.source, to_us(entry.added_at)),
        )

    def remove_allowed(self, number: str) -> bool:
        return self._run_many("DELETE FROM allowlist WHERE number = ?", [(number,)]) > 0

    def allowed(self) -> list[AllowEntry]:
        rows = self._run("SELECT number, holder, source, added_us FROM allowlist ORDER BY number")
        return [AllowEntry(str(n), str(h), str(s), from_us(a)) for n, h, s, a in rows]
