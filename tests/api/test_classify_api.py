"""`POST /v1/messages/classify`: the classifier behind the API, or 503 without it."""

from __future__ import annotations

from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from ringfence.api.routes import messages


def usable_classifier() -> ModuleType:
    """`ringfence.classify`, skipping the test when it is absent or its model does not load
    (the endpoint then answers 503, tested below)."""
    classify = pytest.importorskip("ringfence.classify")
    try:
        classify.classify_text("Your parcel is waiting", home_country="BE")
    except classify.ModelError as error:
        pytest.skip(f"ringfence.classify cannot load its model here: {error}")
    return classify


def test_classify(client: TestClient) -> None:
    classify = usable_classifier()
    text = "bpost: votre colis est bloqué, payez 1,99 € sur bpost-colis.info"
    response = client.post("/v1/messages/classify", json={"text": text})
    assert response.status_code == 200, response.text
    expected = classify.classify_text(text, home_country="BE")
    body = response.json()
    assert body["classification"]["type"] == expected.type
    assert body["suggested_category"] == classify.suggest_report_category(expected)


def test_classifier_input_errors_are_4xx(client: TestClient) -> None:
    classify = usable_classifier()
    empty = client.post("/v1/messages/classify", json={"text": "   "})
    assert empty.status_code == 400
    long = client.post("/v1/messages/classify", json={"text": "a" * (classify.MAX_TEXT_CHARS + 1)})
    assert long.status_code == 413


def test_binary_input_is_refused_with_what_and_how(client: TestClient) -> None:
    usable_classifier()
    binary = client.post("/v1/messages/classify", json={"text": "PK\x03\x04\x00\x00 archive"})
    assert binary.status_code == 400
    problem = binary.json()
    assert problem["type"].endswith("invalid-text")
    assert "NUL" in problem["detail"]
    controls = client.post("/v1/messages/classify", json={"text": "\x01\x02\x03\x04\x05 abc"})
    assert controls.status_code == 400
    assert "binary" in controls.json()["detail"]


def test_a_body_that_is_not_json_is_400_invalid_json(client: TestClient) -> None:
    response = client.post(
        "/v1/messages/classify",
        content=b"\xff\xfe\x00\x01 not json",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["type"].endswith("invalid-json")


def test_a_body_over_the_classify_cap_is_413_before_it_is_read(client: TestClient) -> None:
    response = client.post("/v1/messages/classify", json={"text": "a" * (300 * 1024)})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_broken_model_is_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    classify = pytest.importorskip("ringfence.classify")

    def broken(text: str, *, home_country: str = "BE") -> None:
        raise classify.ModelError("model and cues disagree")

    monkeypatch.setattr(classify, "classify_text", broken)
    response = client.post("/v1/messages/classify", json={"text": "hello"})
    assert response.status_code == 503
    assert response.json()["type"].endswith("unavailable")


def test_without_the_classifier_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(messages, "classifier", lambda: None)
    response = client.post("/v1/messages/classify", json={"text": "hello"})
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
