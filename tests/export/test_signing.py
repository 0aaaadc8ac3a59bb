"""Ed25519 signing: key files, detached signatures over the exact bytes, the CLI and the API."""

from __future__ import annotations

import base64
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ringfence.api import create_app
from ringfence.api.keys import create_api_key
from ringfence.cli import blocklist as blocklist_cli
from ringfence.domain.clock import FixedClock
from ringfence.export import (
    SigningError,
    generate_keypair,
    load_private_key,
    load_public_key,
    sign,
    verify,
)
from ringfence.export.routes import configure_signing
from ringfence.export.routes import router as export_router
from ringfence.reputation.store import Store, open_store
from ringfence.settings import Settings
from tests.alerts.helpers import T0, push, wangiri


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return generate_keypair(tmp_path / "keys")


def test_signature_round_trip_and_tampering(keys: tuple[Path, Path]) -> None:
    private, public = keys
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    data = b"+393511234567\n+393519876543\n"
    signature = sign(data, load_private_key(private))
    key = load_public_key(public.read_bytes())
    assert verify(data, signature, key)
    assert not verify(data + b"+32470123456\n", signature, key)
    assert not verify(data.replace(b"3", b"4", 1), signature, key)
    other = generate_keypair(private.parent.parent / "other")
    assert not verify(data, signature, load_public_key(other[1].read_bytes()))
    raw = key.public_bytes_raw()
    assert verify(data, signature, load_public_key(base64.b64encode(raw)))


def test_bad_keys_and_signatures_say_what_is_wrong(keys: tuple[Path, Path]) -> None:
    private, public = keys
    with pytest.raises(SigningError, match="exists already"):
        generate_keypair(private.parent)
    with pytest.raises(SigningError, match="not an unencrypted PEM private key"):
        load_private_key(public)
    with pytest.raises(SigningError, match="neither a PEM public key"):
        load_public_key(b"hello")
    with pytest.raises(SigningError, match="64-byte"):
        verify(b"x", "AAAA", load_public_key(public.read_bytes()))


def _store_with_list(path: Path, at: datetime = T0) -> Store:
    store = open_store(f"sqlite:///{path}")
    push(store, FixedClock(at), [wangiri("+39351", at=at)])
    return store


def test_cli_keygen_export_verify(tmp_path: Path) -> None:
    app = typer.Typer()
    blocklist_cli.register(app)
    runner = CliRunner()
    # the CLI reads the wall clock: the campaign must be recent for its entries not to expire
    store = _store_with_list(tmp_path / "store.db", datetime.now(UTC))
    store.close()
    url = f"sqlite:///{tmp_path / 'store.db'}"
    keys = tmp_path / "keys"
    result = runner.invoke(app, ["blocklist", "keygen", "--out", str(keys)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "list" / "patterns.txt"
    result = runner.invoke(
        app,
        [
            "blocklist",
            "export",
            "--store",
            url,
            "--format",
            "patterns",
            "--out",
            str(out),
            "--sign-key",
            str(keys / "blocklist-signing.key"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "+39351" in out.read_text()
    signature = out.with_name("patterns.txt.sig")
    verify_args = [
        "blocklist",
        "verify",
        str(out),
        "--signature",
        str(signature),
        "--public-key",
        str(keys / "blocklist-signing.pub"),
    ]
    result = runner.invoke(app, verify_args)
    assert result.exit_code == 0
    assert "valid" in result.output
    out.write_text(out.read_text() + "+32470123456\n")
    result = runner.invoke(app, verify_args)
    assert result.exit_code == 1
    assert "INVALID" in result.output
    result = runner.invoke(
        app, ["blocklist", "export", "--store", url, "--format", "e164", "--since", "1"]
    )
    assert result.exit_code == 2
    assert "full list" in result.output


@pytest.fixture
def client(tmp_path: Path, keys: tuple[Path, Path]) -> Iterator[tuple[TestClient, Store]]:
    store = _store_with_list(tmp_path / "api.db")
    app = create_app(Settings(home_country="BE"), store, FixedClock(T0))
    app.include_router(export_router)
    configure_signing(app, keys[0])
    with TestClient(app) as test_client:
        yield test_client, store
    store.close()


def test_api_export_is_signed_and_needs_an_operator(
    client: tuple[TestClient, Store], keys: tuple[Path, Path]
) -> None:
    http, store = client
    assert http.get("/v1/blocklist/export?format=json").status_code == 401
    citizen, _ = create_api_key(store, "app", ["citizen"], FixedClock(T0))
    denied = http.get("/v1/blocklist/export", headers={"X-API-Key": citizen})
    assert denied.status_code == 403
    operator, _ = create_api_key(store, "ops", ["operator"], FixedClock(T0))
    answer = http.get(
        "/v1/blocklist/export?format=callblocker", headers={"Authorization": f"Bearer {operator}"}
    )
    assert answer.status_code == 200
    published = http.get("/v1/blocklist/public-key")
    assert published.status_code == 200
    assert published.content == keys[1].read_bytes()
    key = load_public_key(published.content)
    assert verify(answer.content, answer.headers["X-Ringfence-Signature"], key)
    assert answer.headers["X-Ringfence-Key-Id"] == published.headers["X-Ringfence-Key-Id"]
    assert int(answer.headers["X-Ringfence-Blocklist-Version"]) == store.block_version()
    delta = http.get("/v1/blocklist/export?format=ncid&since=0", headers={"X-API-Key": operator})
    assert delta.status_code == 422
    assert delta.headers["content-type"] == "application/problem+json"


def test_public_key_without_a_signing_key(tmp_path: Path) -> None:
    store = _store_with_list(tmp_path / "nokey.db")
    app = create_app(Settings(), store, FixedClock(T0))
    app.include_router(export_router)
    with TestClient(app) as http:
        answer = http.get("/v1/blocklist/public-key")
    store.close()
    assert answer.status_code == 404
    assert "blocklist keygen" in answer.json()["detail"]
