"""The pages over HTTP: lookup, report (with referrals), alerts, dashboard, languages, labels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ringfence.api.keys import create_api_key
from ringfence.domain.clock import FixedClock
from ringfence.reputation.explain import LANGUAGES
from ringfence.reputation.store import (
    ModerationItem,
    ModerationKind,
    ModerationStatus,
    Store,
    open_store,
)
from ringfence.web.i18n import strings
from tests.alerts.helpers import T0
from tests.web.helpers import SPOOFED, audit, form_token, seeded_app


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'web.db'}")
    yield opened
    opened.close()


@pytest.fixture
def http(store: Store) -> Iterator[TestClient]:
    with TestClient(seeded_app(store, FixedClock(T0))) as client:
        yield client


def test_every_page_word_exists_in_every_language() -> None:
    for key, texts in strings().items():
        assert set(texts) == set(LANGUAGES), key


def test_lookup_in_any_written_form(http: TestClient) -> None:
    page = http.get("/lookup", params={"number": "0039 351 123 4567"})
    assert page.status_code == 200
    assert "+393511234567" in page.text
    assert 'lang="en"' in page.text
    french = http.get(
        "/lookup", params={"number": "+39351 1234567"}, headers={"Accept-Language": "fr-BE"}
    )
    assert '<html lang="fr">' in french.text
    assert "Que faire" in french.text
    bad = http.get("/lookup", params={"number": "call me maybe"})
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.text


def test_lookup_of_a_spoofed_number_says_so(http: TestClient) -> None:
    page = http.get("/lookup", params={"number": SPOOFED, "lang": "nl"})
    assert "Waarschijnlijk misbruikt" in page.text
    assert page.cookies.get("rf_lang") == "nl"
    again = http.get("/alerts")
    assert '<html lang="nl">' in again.text


def test_report_form_submit_and_referrals(http: TestClient) -> None:
    form = http.get("/report?number=%2B393511234567")
    assert form.status_code == 200
    assert http.cookies.get("rf_client")
    assert not audit(form.text).unlabelled()
    token = form_token(form.text)
    done = http.post(
        "/report",
        data={
            "form_token": token,
            "number": "+393511234567",
            "channel": "call",
            "category": "one_ring",
            "country": "BE",
        },
    )
    assert done.status_code == 201, done.text
    assert "Thank you" in done.text
    assert 'href="https://pointdecontact.belgique.be/meldpunt/"' in done.text
    again = http.post(
        "/report",
        data={
            "form_token": token,
            "number": "+393511234567",
            "channel": "call",
            "category": "one_ring",
            "country": "BE",
        },
    )
    assert again.status_code == 409
    assert 'role="alert"' in again.text


def test_a_report_without_the_form_token_is_refused(http: TestClient) -> None:
    http.get("/report")
    refused = http.post(
        "/report", data={"number": "+393511234567", "category": "one_ring", "form_token": "x"}
    )
    assert refused.status_code == 400
    assert "reload" in refused.text


def test_the_category_is_suggested_from_the_text(http: TestClient) -> None:
    text = "bpost: votre colis est bloqué, payez 1,99 € sur https://bpost-colis.info/pay"
    answer = http.post("/report/suggest", data={"text": text})
    assert answer.status_code == 200
    form = http.get("/report")
    done = http.post(
        "/report",
        data={
            "form_token": form_token(form.text),
            "number": "+32470123123",
            "channel": "sms",
            "category": "auto",
            "text": text,
            "country": "BE",
        },
    )
    suggestion = answer.json()["category"]
    if suggestion is None:
        assert done.status_code == 422
        assert "Choose the kind of scam" in done.text
    else:
        assert done.status_code == 201
        assert answer.json()["label"] in done.text


def test_alerts_page_in_plain_words(http: TestClient) -> None:
    page = http.get("/alerts?lang=en")
    assert page.status_code == 200
    assert "One-ring calls from +39 351…: do not call back" in page.text
    assert "Silent calls" in page.text
    assert "+32470111000" not in page.text  # shown by scammers: never published
    assert "/alerts.atom?lang=en" in page.text


def test_dashboard_needs_an_operator_key(http: TestClient, store: Store) -> None:
    login = http.get("/dashboard")
    assert login.status_code == 200
    assert 'type="password"' in login.text
    citizen, _ = create_api_key(store, "app", ["citizen"], FixedClock(T0))
    assert http.post("/dashboard/login", data={"api_key": citizen}).status_code == 401
    operator, _ = create_api_key(store, "ops", ["operator"], FixedClock(T0))
    signed_in = http.post("/dashboard/login", data={"api_key": operator})
    assert signed_in.status_code == 200
    assert "<svg" in signed_in.text
    assert "One-ring (Wangiri) calls from +39351" in signed_in.text
    assert "IT" in signed_in.text
    assert "+39351" in signed_in.text
    assert "moderator scope" in signed_in.text


def test_moderators_resolve_floods_from_the_dashboard(http: TestClient, store: Store) -> None:
    item = ModerationItem(
        id="mod-test-1",
        kind=ModerationKind.FLOOD,
        subject="+3225550000",
        status=ModerationStatus.OPEN,
        created_at=T0,
        updated_at=T0,
        details={"reason": "5 reports from new reporters", "reports": []},
    )
    store.add_moderation(item)
    moderator, _ = create_api_key(store, "mod", ["moderator", "operator"], FixedClock(T0))
    page = http.get("/dashboard", headers={"X-API-Key": moderator})
    assert "+3225550000" in page.text
    token = form_token(page.text)
    done = http.post(
        "/dashboard/moderation/mod-test-1",
        data={"form_token": token, "action": "reject", "note": "scripted"},
        headers={"X-API-Key": moderator},
        follow_redirects=False,
    )
    assert done.status_code == 303
    resolved = store.get_moderation("mod-test-1")
    assert resolved is not None
    assert resolved.status is ModerationStatus.REJECTED
    forged = http.post(
        "/dashboard/moderation/mod-test-1",
        data={"form_token": "0" * 32, "action": "reject"},
        headers={"X-API-Key": moderator},
    )
    assert forged.status_code == 400


def test_static_files_and_unknown_ones(http: TestClient) -> None:
    assert http.get("/static/ringfence.css").headers["content-type"].startswith("text/css")
    assert http.get("/static/ringfence.js").status_code == 200
    assert http.get("/static/../app.py").status_code == 404
