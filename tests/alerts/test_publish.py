"""Alerts as JSON, Atom 1.0 and over HTTP (our router mounted on the API's create_app)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from ringfence.alerts.bursts import ReportRow, mask_text, max_distinct_in_window
from ringfence.alerts.routes import router as alerts_router
from ringfence.alerts.texts import catalogue
from ringfence.api import create_app
from ringfence.api.keys import create_api_key
from ringfence.domain.clock import FixedClock
from ringfence.reputation.explain import LANGUAGES
from ringfence.reputation.store import Store, open_store
from ringfence.settings import Settings
from tests.alerts.helpers import T0, push, wangiri

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    clock = FixedClock(T0)
    push(store, clock, [wangiri("+39351"), wangiri("+2162", callees=30)])
    app = create_app(Settings(home_country="BE"), store, clock)
    app.include_router(alerts_router)
    with TestClient(app) as test_client:
        yield test_client


def test_every_alert_text_exists_in_every_language() -> None:
    for section, kinds in catalogue().items():
        for kind, texts in kinds.items():
            assert set(texts) == set(LANGUAGES), (section, kind)
            assert all(t.strip() for t in texts.values())


def test_alerts_json_in_the_asked_language(client: TestClient) -> None:
    answer = client.get("/v1/alerts", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["language"] == "nl"
    ranges = sorted(r for a in body["alerts"] for r in a["ranges"])
    assert ranges == ["+2162", "+39351"]
    italian = next(a for a in body["alerts"] if a["ranges"] == ["+39351"])
    assert italian["title"] == "Eén keer overgaan vanaf +39 351…: bel niet terug"
    assert "Italië" in italian["summary"]
    assert set(italian["texts"]) == set(LANGUAGES)
    again = client.get(f"/v1/alerts/{italian['id']}?lang=pt").json()
    assert again["title"].startswith("Chamadas de um só toque de +39 351…")
    assert client.get("/v1/alerts/alert-unknown").status_code == 404


def test_the_atom_feed_is_valid_atom(client: TestClient) -> None:
    answer = client.get("/alerts.atom?lang=fr")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = set()
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            element = entry.find(f"{ATOM}{required}")
            assert element is not None, required
            assert (element.text or "").strip(), required
        ids.add(entry.findtext(f"{ATOM}id"))
        updated = entry.findtext(f"{ATOM}updated") or ""
        datetime.fromisoformat(updated.replace("Z", "+00:00"))
    assert len(ids) == 2
    assert all(i and i.startswith("urn:ringfence:alert:") for i in ids)


def test_refresh_needs_an_operator_key(client: TestClient, store: Store) -> None:
    assert client.post("/v1/alerts/refresh").status_code == 401
    key, _ = create_api_key(store, "ops", ["operator"], FixedClock(T0))
    answer = client.post("/v1/alerts/refresh", headers={"X-API-Key": key})
    assert answer.status_code == 200
    assert answer.json()["findings_read"] >= 0


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_masked_texts_never_show_a_digit_or_an_address(text: str) -> None:
    masked = mask_text(text)
    assert not any(ch.isdigit() for ch in masked if ch.isascii())
    assert re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", masked) is None


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=600), st.integers(min_value=0, max_value=6)),
        max_size=30,
    )
)
def test_the_sliding_window_agrees_with_brute_force(events: list[tuple[int, int]]) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        ReportRow(f"r{i}", "+32470000000", base + timedelta(minutes=m), "other", None, f"p{p}")
        for i, (m, p) in enumerate(events)
    ]
    window = timedelta(minutes=60)
    expected = 0
    for start in rows:
        inside = {
            r.reporter
            for r in rows
            if start.received_at <= r.received_at <= start.received_at + window
        }
        expected = max(expected, len(inside))
    assert max_distinct_in_window(rows, window) == expected
