"""`GET /v1/numbers/{number}` and the k-anonymous `GET /v1/lookup`."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient

from ringfence.api.problems import PROBLEM_JSON
from ringfence.reputation.store import Store


def report(
    client: TestClient, number: str, i: int, category: str = "one_ring"
) -> dict[str, object]:
    response = client.post(
        "/v1/reports",
        json={"number": number, "category": category},
        headers={"X-Client-Token": f"api-test-token-{i:06d}"},
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


@pytest.mark.parametrize(
    ("language", "header", "word"),
    [
        ("en", {}, "Nobody has reported this number."),
        ("fr", {"Accept-Language": "fr-BE,fr;q=0.9"}, "Personne n'a signalé ce numéro."),
        ("nl", {"Accept-Language": "nl"}, "Niemand heeft dit nummer gemeld."),
        ("pt", {"Accept-Language": "de, pt;q=0.5"}, "Ninguém denunciou este número."),
    ],
)
def test_unknown_number_in_four_languages(
    client: TestClient, language: str, header: dict[str, str], word: str
) -> None:
    response = client.get("/v1/numbers/0470 12 34 56", headers=header)
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == "+32470123456"
    assert body["level"] == "unknown"
    assert body["language"] == language
    assert body["reasons"][0]["text"] == word


def test_lang_parameter_wins(client: TestClient) -> None:
    body = client.get("/v1/numbers/+32470123456?lang=nl", headers={"Accept-Language": "fr"}).json()
    assert body["language"] == "nl"


def test_reported_number_and_its_cache(client: TestClient) -> None:
    assert client.get("/v1/numbers/+393511234567").json()["counts"]["reports"] == 0
    for i in range(3):
        report(client, "+39 351 123 4567", i)
    body = client.get("/v1/numbers/+393511234567").json()
    assert body["counts"]["reports"] == 3
    assert body["level"] == "suspicious"
    assert {a["code"] for a in body["advice"]} >= {"never_call_back", "report_it"}


@pytest.mark.parametrize("raw", ["abc", "anonymous", "+", "1" * 40])
def test_invalid_numbers_are_422_problems(client: TestClient, raw: str) -> None:
    response = client.get(f"/v1/numbers/{raw}")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["status"] == 422
    assert problem["type"].startswith("urn:ringfence:problem:")
    assert problem["detail"]


def test_emergency_number_is_safe(client: TestClient) -> None:
    body = client.get("/v1/numbers/112").json()
    assert body["level"] == "safe"
    assert body["never_block"]
    assert body["advice"][0]["code"] == "emergency_ok"


def test_k_anonymous_lookup(client: TestClient) -> None:
    report(client, "+393511234567", 1)
    digest = hashlib.sha256(b"+393511234567").hexdigest()
    body = client.get(f"/v1/lookup?prefix={digest[:5].upper()}").json()
    assert body["prefix"] == digest[:5]
    [entry] = [e for e in body["entries"] if e["hash"] == digest]
    assert entry["reports"] == 1
    assert entry["categories"] == {"one_ring": 1}
    assert "+393511234567" not in str(body)


@pytest.mark.parametrize("prefix", ["abc", "abcdef", "zzzzz", ""])
def test_bad_prefix(client: TestClient, prefix: str) -> None:
    response = client.get(f"/v1/lookup?prefix={prefix}")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON


def test_unknown_path_is_a_problem(client: TestClient) -> None:
    response = client.get("/v1/nothing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON


def test_openapi_and_docs(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {
        "/v1/numbers/{number}", "/v1/lookup", "/v1/reports", "/v1/reports/{report_id}",
        "/v1/numbers/{number}/appeals", "/v1/moderation", "/v1/moderation/{item_id}",
        "/v1/moderation/{item_id}/resolve", "/v1/findings", "/v1/findings/{finding_id}",
        "/v1/blocklist", "/v1/decisions", "/v1/messages/classify", "/health",
    } <= paths  # fmt: skip
    assert client.get("/docs").status_code == 200


def test_cached_answers_are_the_routes_answers(client: TestClient) -> None:
    report(client, "+393511234567", 1)
    for headers in ({"Accept-Language": "nl"}, {}, {"Accept-Language": "fr"}):
        first = client.get("/v1/numbers/+39 351 123 4567", headers=headers)
        again = client.get("/v1/numbers/+393511234567", headers=headers)
        assert first.status_code == again.status_code == 200
        assert again.content == first.content
        assert again.headers["content-type"] == first.headers["content-type"]
    assert client.get("/v1/numbers/+393511234567?lang=pt").json()["language"] == "pt"
    assert client.get("/v1/numbers/+393511234567?lang=" + "x" * 40).status_code == 422
    unknown_key = client.get("/v1/numbers/+393511234567", headers={"X-API-Key": "rf_unknown"})
    assert unknown_key.status_code == 401


def test_store_failure_is_a_503_problem(client: TestClient, api_store: Store) -> None:
    api_store.close()
    response = client.get("/v1/numbers/+32470123499")
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["retry-after"] == "5"
