"""Operator and moderator endpoints: keys and scopes, findings, blocklist deltas, decisions,
moderation."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from ringfence.domain.findings import Finding, Subject, SubjectRole


def findings() -> list[Finding]:
    moment = datetime(2026, 3, 1, 11, tzinfo=UTC)
    return [
        Finding.create(
            detector="wangiri",
            kind="one_ring_range",
            title="One-ring calls from +39351",
            reason="120 one-ring calls",
            score=0.9,
            first_seen=moment,
            last_seen=moment,
            counts={"calls": 120},
            subjects=[Subject("+39351", SubjectRole.SOURCE_RANGE)],
            evidence=["c1"],
        ),
        Finding.create(
            detector="callback_storm",
            kind="spoofed_number_owner",
            title="Callbacks",
            reason="60 callbacks",
            score=1.0,
            first_seen=moment,
            last_seen=moment,
            counts={"calls": 60},
            subjects=[
                Subject("+32470123456", SubjectRole.SPOOFED_OWNER),
                Subject("+32470999999", SubjectRole.TARGET),
            ],
            evidence=["c2"],
        ),
    ]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/v1/blocklist"),
        ("post", "/v1/findings"),
        ("post", "/v1/decisions"),
        ("get", "/v1/moderation"),
        ("get", "/v1/findings/x"),
    ],
)
def test_protected_endpoints_need_a_key_with_the_scope(
    client: TestClient, citizen: dict[str, str], method: str, path: str
) -> None:
    anonymous = getattr(client, method)(path)
    assert anonymous.status_code == 401
    assert "www-authenticate" in anonymous.headers
    wrong = getattr(client, method)(path, headers=citizen)
    assert wrong.status_code == 403
    assert "scope" in wrong.json()["detail"]


def test_findings_push_blocklist_and_private_subjects(
    client: TestClient, operator: dict[str, str]
) -> None:
    payload = [f.to_dict() for f in findings()]
    first = client.post("/v1/findings", json=payload, headers=operator)
    assert first.status_code == 200, first.text
    assert first.json()["applied"] == 2
    assert first.json()["private_subjects"] == 1
    lines = "\n".join(json.dumps(item) for item in payload)
    again = client.post(
        "/v1/findings",
        content=lines,
        headers={**operator, "content-type": "application/x-ndjson"},
    )
    assert again.json()["unchanged"] == 2
    delta = client.get("/v1/blocklist?since=0", headers=operator).json()
    assert [(c["action"], c["subject"]) for c in delta["changes"]] == [("add", "+39351")]
    assert delta["version"] == 1
    assert not delta["more"]
    assert client.get("/v1/blocklist?since=1", headers=operator).json()["changes"] == []
    victim = client.get("/v1/numbers/+32470123456").json()
    assert victim["state"] == "spoofed"
    assert not victim["blockable"]
    assert "+32470999999" not in json.dumps(victim)
    stored = client.get(f"/v1/findings/{findings()[1].finding_id}", headers=operator).json()
    assert stored["private_subjects"] == [{"subject": "+32470999999", "role": "target"}]


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        ("{}", "application/json", 422),
        ("[1]", "application/json", 422),
        ('[{"finding_id": "x"}]', "application/json", 422),
        ("[", "application/json", 400),
        ("not json\n", "application/x-ndjson", 400),
        ("", "application/json", 422),
    ],
)
def test_bad_findings_are_4xx(
    client: TestClient, operator: dict[str, str], content: str, content_type: str, status: int
) -> None:
    response = client.post(
        "/v1/findings", content=content, headers={**operator, "content-type": content_type}
    )
    assert response.status_code == status, response.text


def test_decisions(client: TestClient, operator: dict[str, str]) -> None:
    response = client.post(
        "/v1/decisions",
        json={
            "subject": "+39352",
            "kind": "range",
            "verdict": "scam",
            "reason": "Wangiri",
            "expires_in_days": 7,
        },
        headers=operator,
    )
    assert response.status_code == 201, response.text
    assert response.json()["blocklist_changes"][0]["subject"] == "+39352"
    bad = client.post(
        "/v1/decisions", json={"subject": "abc", "verdict": "scam", "reason": "x"}, headers=operator
    )
    assert bad.status_code == 422


def test_moderation_flow(client: TestClient, moderator: dict[str, str]) -> None:
    for i in range(6):
        client.post(
            "/v1/reports",
            json={"number": "+32470555666", "category": "other"},
            headers={"X-Client-Token": f"flood-token-{i:06d}"},
        )
    queue = client.get("/v1/moderation", headers=moderator).json()
    [item] = queue
    detail = client.get(f"/v1/moderation/{item['id']}", headers=moderator).json()
    assert len(detail["reports"]) == 6
    assert {r["status"] for r in detail["reports"]} == {"held"}
    resolved = client.post(
        f"/v1/moderation/{item['id']}/resolve",
        json={"action": "reject", "note": "scripted"},
        headers=moderator,
    )
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "rejected"
    twice = client.post(
        f"/v1/moderation/{item['id']}/resolve",
        json={"action": "reject", "note": "scripted"},
        headers=moderator,
    )
    assert twice.status_code == 409
    assert client.get("/v1/moderation/mod-none", headers=moderator).status_code == 404


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["store"] == "sqlite"
    assert body["schema_version"] >= 1
