"""`POST /v1/screen`: the screener over HTTP, with the store's reputation and the presets."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ringfence.domain.clock import FixedClock
from ringfence.domain.findings import Finding, Subject, SubjectRole
from ringfence.reputation.findings import apply_findings
from ringfence.reputation.store import Store


def test_verdicts_with_reasons_and_the_policy_version(
    client: TestClient, operator: dict[str, str]
) -> None:
    ordinary = client.post("/v1/screen", json={"caller": "0475 11 22 33", "callee": "0470123456"},
                           headers=operator)  # fmt: skip
    assert ordinary.status_code == 200, ordinary.text
    assert ordinary.json()["outcome"] == "allow"
    assert ordinary.json()["policy_version"]

    spoofed = client.post(
        "/v1/screen",
        json={"caller": "+32475112233", "callee": "+32470123456", "ingress": "international"},
        headers=operator,
    )
    body = spoofed.json()
    assert body["outcome"] == "block"
    assert body["rules"] == ["national_cli_from_abroad"]
    assert "roaming" in body["reasons"][0]

    card_stop = client.post("/v1/screen", json={"caller": "+3278170170", "callee": "0470123456"},
                            headers=operator)  # fmt: skip
    assert card_stop.json()["outcome"] == "block"
    assert "do_not_originate" in card_stop.json()["rules"]

    emergency = client.post(
        "/v1/screen", json={"caller": "0470123456", "callee": "112", "direction": "outbound"},
        headers=operator,
    )  # fmt: skip
    assert emergency.json()["outcome"] == "allow"


def test_reputation_from_the_store_reaches_the_screener(
    client: TestClient, operator: dict[str, str], api_store: Store, api_clock: FixedClock
) -> None:
    owner = "+32470555555"
    finding = Finding.create(
        detector="callback_storm", kind="spoofed_number_owner", title="t", reason="r", score=0.9,
        first_seen=api_clock.now(), last_seen=api_clock.now(), counts={"callbacks": 9},
        subjects=[Subject(owner, SubjectRole.SPOOFED_OWNER)], evidence=["c1"],
    )  # fmt: skip
    apply_findings(api_store, [finding], clock=api_clock, home_country="BE")
    verdict = client.post("/v1/screen", json={"caller": owner, "callee": "0470123456"},
                          headers=operator).json()  # fmt: skip
    assert verdict["signals"]["reputation"] == "spoofed"
    assert verdict["outcome"] == "label"  # the call is suspect; its owner is not blocked


def test_errors_are_problems_not_crashes(client: TestClient, operator: dict[str, str]) -> None:
    assert client.post("/v1/screen", json={"caller": "1", "callee": "2"}).status_code in (401, 403)
    unknown = client.post("/v1/screen", json={"caller": "+32475112233", "callee": "0470123456",
                                              "colour": "red"}, headers=operator)  # fmt: skip
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    bad_callee = client.post("/v1/screen", json={"caller": "0475112233", "callee": "pizza"},
                             headers=operator)  # fmt: skip
    assert bad_callee.status_code == 422
    garbage_caller = client.post("/v1/screen", json={"caller": "pizza", "callee": "0470123456"},
                                 headers=operator)  # fmt: skip
    assert garbage_caller.json()["outcome"] == "block"  # a CLI that is no number is spoofed
