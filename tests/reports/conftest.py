"""Reports tests run on an embedded SQLite store with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ringfence.domain.clock import FixedClock
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import Store, open_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ftc"


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    yield store
    store.close()


@pytest.fixture
def fixed_clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 1, 12, tzinfo=UTC))


@pytest.fixture
def services(sqlite_store: Store, fixed_clock: FixedClock) -> Reputations:
    return Reputations(sqlite_store, fixed_clock)
