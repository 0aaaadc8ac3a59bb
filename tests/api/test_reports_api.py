"""`POST /v1/reports`, `GET /v1/reports/{id}`, appeals and the errors of each."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ringfence.api import ApiConfig, create_app
from ringfence.api.problems import PROBLEM_JSON
from ringfence.domain.clock import FixedClock
from ringfence.reports.abuse import AbusePolicy
from ringfence.reputation.store import Store
from ringfence.settings import Settings

TOKEN = {"X-Client-Token": "reports-api-token-0001"}


def test_report_answers_reputation_referrals_and_location(client: TestClient) -> None:
    response = client.post(
        "/v1/reports?country=FR",
        json={
            "number": "+33 6 12 34 56 78",
            "category": "bank_impersonation",
            "channel": "call",
            "occurred_at": "2026-03-01T11:30:00Z",
            "called_back": True,
            "language": "fr",
        },
        headers={**TOKEN, "Accept-Language": "fr"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    report = body["report"]
    assert report["number"] == "+33612345678"
    assert report["status"] == "counted"
    assert not body["held_for_moderation"]
    assert body["referrals"][0]["address"] == "33700"
    assert body["referrals"][0]["send"].startswith("spam vocal")
    assert body["reputation"]["language"] == "fr"
    assert "reporter" not in report
    assert "ip_hash" not in report
    again = client.get(response.headers["location"])
    assert again.status_code == 200
    assert again.json() == report


def test_unknown_field_is_named(client: TestClient) -> None:
    response = client.post(
        "/v1/reports",
        json={"number": "+32470123456", "category": "other", "categroy": "x"},
        headers=TOKEN,
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    assert "categroy" in problem["detail"]
    assert problem["errors"][0]["field"] == "body.categroy"


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 400, "missing-client-token"),
        ({"X-Client-Token": "short"}, 400, "bad-client-token"),
    ],
)
def test_client_token_is_required(
    client: TestClient, headers: dict[str, str], status: int, code: str
) -> None:
    response = client.post(
        "/v1/reports", json={"number": "+32470123456", "category": "other"}, headers=headers
    )
    assert response.status_code == status
    assert response.json()["type"].endswith(code)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"number": "hello", "category": "other"}, "invalid-number"),
        ({"number": "112", "category": "other"}, "emergency-number"),
        (
            {"number": "+32470123456", "category": "other", "occurred_at": "2030-01-01T00:00:00Z"},
            "invalid-report",
        ),
        ({"number": "+32470123456", "category": "nope"}, "invalid-request"),
    ],
)
def test_invalid_reports(client: TestClient, body: dict[str, object], code: str) -> None:
    response = client.post("/v1/reports", json=body, headers=TOKEN)
    assert response.status_code == 422
    assert response.json()["type"].endswith(code)


def test_duplicate_vote_is_409(client: TestClient) -> None:
    body = {"number": "+32470123456", "category": "other"}
    assert client.post("/v1/reports", json=body, headers=TOKEN).status_code == 201
    response = client.post("/v1/reports", json=body, headers=TOKEN)
    assert response.status_code == 409
    assert "already reported" in response.json()["detail"]


def test_malformed_and_oversized_bodies(client: TestClient) -> None:
    bad = client.post(
        "/v1/reports", content=b"{not json", headers={**TOKEN, "content-type": "application/json"}
    )
    assert bad.status_code == 400
    assert bad.json()["type"].endswith("invalid-json")
    big = client.post(
        "/v1/reports", content=b"x" * 100_000, headers={**TOKEN, "content-type": "application/json"}
    )
    assert big.status_code == 413
    assert big.headers["content-type"] == PROBLEM_JSON


def test_report_rate_limit_answers_retry_after(
    api_store: Store, api_clock: FixedClock, tmp_path: Path
) -> None:
    config = ApiConfig(abuse=AbusePolicy(reporter_per_window=2))
    app = create_app(Settings(data_dir=tmp_path), api_store, api_clock, config=config)
    with TestClient(app) as client:
        for i in range(2):
            body = {"number": f"+3247012345{i}", "category": "other"}
            assert client.post("/v1/reports", json=body, headers=TOKEN).status_code == 201
        response = client.post(
            "/v1/reports", json={"number": "+32470123459", "category": "other"}, headers=TOKEN
        )
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3600"


def test_anonymous_rate_limit_spares_key_holders(
    api_store: Store, api_clock: FixedClock, tmp_path: Path, citizen: dict[str, str]
) -> None:
    config = ApiConfig(anonymous_rate_per_minute=2, anonymous_burst=2)
    app = create_app(Settings(data_dir=tmp_path), api_store, api_clock, config=config)
    with TestClient(app) as client:
        codes = [client.get("/v1/numbers/+32470123456").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        limited = client.get("/v1/numbers/+32470123456")
        assert int(limited.headers["retry-after"]) >= 1
        assert all(
            client.get("/v1/numbers/+32470123456", headers=citizen).status_code == 200
            for _ in range(5)
        )
        assert (
            client.get("/v1/numbers/+32470123456", headers={"X-API-Key": "rf_bad"}).status_code
            == 401
        )


def test_appeal(client: TestClient) -> None:
    response = client.post(
        "/v1/numbers/+32470123456/appeals",
        json={"statement": "This is my shop's number", "contact": "shop@example.be"},
        headers=TOKEN,
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "appeal"
    again = client.post(
        "/v1/numbers/+32470123456/appeals", json={"statement": "again"}, headers=TOKEN
    )
    assert again.status_code == 409
    missing = client.post("/v1/numbers/+32470123457/appeals", json={"statement": "x"})
    assert missing.status_code == 400


def test_get_unknown_report(client: TestClient) -> None:
    response = client.get("/v1/reports/rep-nothing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
