"""API tests: an app over a temporary SQLite store with a fixed clock, and API keys."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ringfence.api import ApiConfig, create_app
from ringfence.api.keys import create_api_key
from ringfence.domain.clock import FixedClock
from ringfence.reputation.store import Store, open_store
from ringfence.settings import Settings


@pytest.fixture
def api_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'api.db'}")
    yield store
    store.close()


@pytest.fixture
def api_clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 1, 12, tzinfo=UTC))


@pytest.fixture
def app(api_store: Store, api_clock: FixedClock, tmp_path: Path) -> FastAPI:
    settings = Settings(home_country="BE", data_dir=tmp_path)
    return create_app(settings, api_store, api_clock, config=ApiConfig(cache_ttl_s=60))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def key_for(store: Store, clock: FixedClock, *scopes: str) -> dict[str, str]:
    key, _ = create_api_key(store, "-".join(scopes), scopes, clock)
    return {"X-API-Key": key}


@pytest.fixture
def operator(api_store: Store, api_clock: FixedClock) -> dict[str, str]:
    return key_for(api_store, api_clock, "operator")


@pytest.fixture
def moderator(api_store: Store, api_clock: FixedClock) -> dict[str, str]:
    return key_for(api_store, api_clock, "moderator")


@pytest.fixture
def citizen(api_store: Store, api_clock: FixedClock) -> dict[str, str]:
    return key_for(api_store, api_clock, "citizen")
