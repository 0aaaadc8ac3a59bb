"""Every contract test runs on both stores: SQLite (a temporary file per test) and PostgreSQL
(one throw-away schema per test session on the server of $RINGFENCE_TEST_PG, by default the one
on this machine, emptied before each test and dropped at the end)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from ringfence.domain.clock import FixedClock
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import Store, open_store
from ringfence.reputation.store.testing import temporary_schema

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def pg_session_url() -> Iterator[str]:
    with temporary_schema(prefix="rf_contract") as url:
        open_store(url).close()  # migrate once for the session
        yield url


def empty_schema(url: str) -> None:
    """Delete every row of the session schema (its tables stay, migrated)."""
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename <> 'schema_version'"
            )
        ]
        listed = ", ".join(f'"{table}"' for table in tables)
        conn.execute(f"TRUNCATE {listed} RESTART IDENTITY")  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    url: str = request.getfixturevalue("pg_session_url")
    empty_schema(url)
    yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def reputations(store: Store, clock: FixedClock) -> Reputations:
    return Reputations(store, clock, home_country="BE")
