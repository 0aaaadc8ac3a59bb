"""The shared store: PostgreSQL through psycopg 3, for several API workers and machines.

Why a small pool of our own: each API worker runs requests on a few threads; a pool of at most
`max_connections` connections per process (default 8) keeps the server's connection count
bounded (workers x 8) without a dependency. A transaction borrows one connection for its whole
duration; `lock(key)` takes a transaction-scoped advisory lock, so one-vote-per-reporter checks
and blocklist version numbers are serialised across workers. Migrations run under a session
advisory lock, so workers starting together migrate once.

The URL is a libpq URL; add `?options=-csearch_path%3Dmyschema` to use a schema other than
`public` (the tests do, one schema per test session).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from ringfence.reputation.store.base import StoreError
from ringfence.reputation.store.migrations import SCHEMA_VERSION_DDL, migrations
from ringfence.reputation.store.sql import Row, SqlStore, to_us

_MIGRATION_LOCK = 0x52494E47  # "RING"


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


class _Pool:
    """At most `size` open connections, handed out one at a time, reused LIFO."""

    def __init__(self, url: str, size: int) -> None:
        self._url = url
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self._closed = False

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(self._url, autocommit=True, connect_timeout=10)
        except psycopg.Error as error:
            raise StoreError(
                f"cannot connect to PostgreSQL at {redact(self._url)}: {_first_line(error)}; "
                "check that the server runs and that the URL (user, host, port, database) is "
                "right, e.g. postgresql://postgres@127.0.0.1:5432/ringfence"
            ) from None

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        if self._closed:
            raise StoreError(f"the store {redact(self._url)} is closed")
        if not self._slots.acquire(timeout=60):
            raise StoreError("no PostgreSQL connection became free within 60 s")
        conn: psycopg.Connection[Any] | None = None
        try:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None or conn.closed:
                conn = self._connect()
            yield conn
        finally:
            if conn is not None:
                healthy = (
                    not conn.closed
                    and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
                )
                if healthy and not self._closed:
                    with self._lock:
                        self._idle.append(conn)
                else:
                    conn.close()
            self._slots.release()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            for conn in self._idle:
                conn.close()
            self._idle.clear()


class PostgresStore(SqlStore):
    """A `Store` in a PostgreSQL database."""

    kind = "postgresql"

    def __init__(self, url: str, *, max_connections: int = 8) -> None:
        self.url = redact(url)
        self._pool = _Pool(url, max_connections)
        self._local = threading.local()
        self._sql: dict[str, str] = {}
        self._migrate()

    def close(self) -> None:
        self._pool.close()

    def _pg(self, sql: str) -> str:
        text = self._sql.get(sql)
        if text is None:
            text = sql.replace("?", "%s")
            self._sql[sql] = text
        return text

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self._pool.connection() as conn:
            self._local.conn = conn
            try:
                with conn.transaction():
                    yield
            finally:
                self._local.conn = None

    def lock(self, key: str) -> None:
        self._run("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (key,))

    @contextmanager
    def _cursor(self) -> Iterator[psycopg.Cursor[Any]]:
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is not None:
            with conn.cursor() as cursor:
                yield cursor
            return
        with self._pool.connection() as pooled, pooled.cursor() as cursor:
            yield cursor

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._cursor() as cursor:
            cursor.execute(self._pg(sql), tuple(params))
            if cursor.description is None:
                return []
            return list(cursor.fetchall())

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        if not rows:
            return 0
        with self._cursor() as cursor:
            cursor.executemany(self._pg(sql), [tuple(r) for r in rows])
            return max(0, cursor.rowcount)

    def schema_version(self) -> int:
        rows = self._run("SELECT MAX(version) FROM schema_version")
        return int(rows[0][0] or 0)

    def _migrate(self) -> None:
        try:
            self._apply_migrations()
        except psycopg.Error as error:
            raise StoreError(
                f"cannot prepare the PostgreSQL store {self.url}: {_first_line(error)}; check "
                "that the database and the schema of its search_path exist and that the user "
                "may create tables in it"
            ) from None

    def _apply_migrations(self) -> None:
        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
            try:
                conn.execute(SCHEMA_VERSION_DDL)
                row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
                current = int(row[0] or 0) if row else 0
                for migration in migrations("postgresql"):
                    if migration.version <= current:
                        continue
                    with conn.transaction():
                        for statement in migration.statements:
                            conn.execute(statement)
                        conn.execute(
                            "INSERT INTO schema_version (version, name, applied_us) "
                            "VALUES (%s, %s, %s)",
                            (migration.version, migration.name, to_us(datetime.now(UTC))),
                        )
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
