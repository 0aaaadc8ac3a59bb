"""The embedded store: one SQLite file (WAL journal, synchronous=FULL).

Why these settings: WAL lets API workers read while one writes; `synchronous=FULL` makes every
commit reach the disk before it returns, so a report acknowledged with 201 survives a kill -9 of
the server or a power cut (tested in tests/api/test_durability.py). Each thread gets its own
connection (sqlite3 connections must not be shared across threads); a write transaction starts
with BEGIN IMMEDIATE, which takes the database's write lock at once, so read-check-write
sequences (one vote per reporter, blocklist versions) cannot interleave.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ringfence.reputation.store.base import StoreError
from ringfence.reputation.store.migrations import SCHEMA_VERSION_DDL, migrations
from ringfence.reputation.store.sql import Row, SqlStore, to_us

BUSY_TIMEOUT_MS = 30_000


class SQLiteStore(SqlStore):
    """A `Store` in one SQLite file."""

    kind = "sqlite"

    def __init__(self, path: Path, *, url: str | None = None) -> None:
        self.path = Path(path)
        self.url = url or f"sqlite:///{self.path}"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"cannot create the directory of the SQLite store {self.path}: {error}; "
                "choose another path with --store sqlite:///path/to/ringfence.db"
            ) from None
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self._closed = False
        self._migrate()

    # -- connections -----------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise StoreError(f"the store {self.url} is closed")
        try:
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30.0
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except sqlite3.Error as error:
            raise StoreError(
                f"cannot open the SQLite store {self.path}: {error}; check that the file is a "
                "ringfence database and that its directory is writable"
            ) from None
        self._local.conn = conn
        self._local.depth = 0
        with self._all_lock:
            self._all.append(conn)
        return conn

    def close(self) -> None:
        self._closed = True
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        conn = self._connection()
        depth: int = self._local.depth
        if depth > 0:
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth = depth
            return
        conn.execute("BEGIN IMMEDIATE")
        self._local.depth = 1
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        finally:
            self._local.depth = 0

    def lock(self, key: str) -> None:
        """Nothing to do: BEGIN IMMEDIATE already holds the database's write lock."""

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cursor = self._connection().execute(sql, tuple(params))
        return cursor.fetchall()

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        if not rows:
            return 0
        cursor = self._connection().executemany(sql, [tuple(r) for r in rows])
        return max(0, cursor.rowcount)

    # -- schema ----------------------------------------------------------------------------
    def schema_version(self) -> int:
        rows = self._run("SELECT MAX(version) FROM schema_version")
        return int(rows[0][0] or 0)

    def _migrate(self) -> None:
        conn = self._connection()
        conn.execute(SCHEMA_VERSION_DDL)
        with self.transaction():
            current = self.schema_version()
            for migration in migrations("sqlite"):
                if migration.version <= current:
                    continue
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, name, applied_us) VALUES (?, ?, ?)",
                    (migration.version, migration.name, to_us(datetime.now(UTC))),
                )
