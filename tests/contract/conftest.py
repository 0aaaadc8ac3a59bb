"""Every contract test runs on both stores: SQLite (a temporary file) and PostgreSQL (a
throw-away schema on the server of $RINGFENCE_TEST_PG, default the one on this machine)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ringfence.domain.clock import FixedClock
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import Store, open_store
from ringfence.reputation.store.testing import temporary_schema

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with temporary_schema() as url:
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
