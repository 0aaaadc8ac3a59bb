"""The certificate store: directory index, PEM loading, chains to anchors, dates, cache."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from ringfence.stir import (
    CertificateStore,
    CertificateStoreError,
    StirFailure,
    TNAuthList,
    build_identity_header,
    sign_passport,
    verify_identity,
)
from ringfence.stir.errors import StirError
from ringfence.stir.testpki import load_private_key, make_ca, make_leaf, write_test_pki
from tests.stir.conftest import DEST, NOW, ORIG, URL, Kit, days


def test_directory_written_by_the_test_pki_verifies_a_token(tmp_path: Path) -> None:
    pki = write_test_pki(tmp_path / "pki", now=NOW)
    store = CertificateStore.from_directory(pki.directory)
    assert store.urls == [pki.url]
    assert len(store.anchors) == 1
    assert (pki.key_path.stat().st_mode & 0o777) == 0o600
    token = sign_passport(
        key=load_private_key(pki.key_path), x5u=pki.url, orig=ORIG, dest=DEST, iat=NOW
    )
    result = verify_identity(
        build_identity_header(token), orig=ORIG, dest=DEST, now=NOW, certs=store
    )
    assert result.passed, result.reason
    chain = store.resolve(pki.url, NOW)
    assert len(chain.path) == 3  # signing certificate, intermediate, root
    assert chain.tnauth == TNAuthList(spcs=("TEST",))


def test_test_pki_with_number_ranges_limits_the_callers(tmp_path: Path) -> None:
    tnauth = TNAuthList(ranges=(("33123456000", 1000),))
    pki = write_test_pki(tmp_path, now=NOW, tnauth=tnauth)
    store = CertificateStore.from_directory(tmp_path)
    key = load_private_key(pki.key_path)
    for orig, passed in (("+33123456789", True), ("+33987654321", False)):
        token = sign_passport(key=key, x5u=pki.url, orig=orig, dest=DEST, iat=NOW)
        result = verify_identity(
            build_identity_header(token), orig=orig, dest=DEST, now=NOW, certs=store
        )
        assert result.passed is passed


def test_missing_index_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(CertificateStoreError, match="make-test-pki"):
        CertificateStore.from_directory(tmp_path)


@pytest.mark.parametrize(
    ("index", "words"),
    [
        ("{not json", "not readable JSON"),
        ("[1]", "must be a JSON object"),
        ('{"trust_anchors": "ca.pem"}', "list of PEM file names"),
        ('{"certificates": ["a.pem"]}', "map x5u URLs"),
        ('{"trust_anchors": ["missing.pem"]}', "cannot read the trust anchor"),
        ('{"certificates": {"https://x.test/a.pem": "gone.pem"}}', "chain of https://x.test"),
    ],
)
def test_bad_index_is_refused_with_the_file_and_the_fix(
    tmp_path: Path, index: str, words: str
) -> None:
    (tmp_path / "index.json").write_text(index, encoding="utf-8")
    with pytest.raises(CertificateStoreError, match=words):
        CertificateStore.from_directory(tmp_path)


def test_bad_pem_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("not a certificate", encoding="utf-8")
    (tmp_path / "index.json").write_text(json.dumps({"trust_anchors": ["ca.pem"]}), "utf-8")
    with pytest.raises(CertificateStoreError, match="is not PEM certificates"):
        CertificateStore.from_directory(tmp_path)
    store = CertificateStore()
    with pytest.raises(CertificateStoreError, match="empty"):
        store.add(" ", b"")


def test_trusting_the_root_later_clears_the_cached_refusal(kit: Kit) -> None:
    store = CertificateStore()
    store.add(URL, kit.leaf.cert_pem() + kit.intermediate.cert_pem())
    with pytest.raises(StirError) as refused:
        store.resolve(URL, NOW)
    assert refused.value.failure is StirFailure.CERT_NOT_TRUSTED
    store.trust(kit.root.cert_pem())
    assert store.resolve(URL, NOW).leaf == kit.leaf.cert


def test_an_intermediate_can_be_the_anchor(kit: Kit) -> None:
    store = CertificateStore()
    store.trust(kit.intermediate.cert_pem())
    store.add(URL, kit.leaf.cert_pem())
    chain = store.resolve(URL, NOW)
    assert [c.subject for c in chain.path] == [kit.leaf.cert.subject, kit.intermediate.cert.subject]


def test_a_chain_that_includes_its_root_is_accepted(kit: Kit) -> None:
    store = CertificateStore()
    store.trust(kit.root.cert_pem())
    store.add(URL, kit.leaf.cert_pem() + kit.intermediate.cert_pem() + kit.root.cert_pem())
    assert len(store.resolve(URL, NOW).path) == 3


def test_a_look_alike_issuer_with_another_key_is_not_trusted(kit: Kit) -> None:
    """Same subject name as the trusted root, different key: the signature check catches it."""
    fake_root = make_ca("Test STI-CA root", not_before=NOW - days(10), not_after=NOW + days(10))
    leaf = make_leaf(fake_root, not_before=NOW - days(1), not_after=NOW + days(10))
    store = CertificateStore()
    store.trust(kit.root.cert_pem())
    store.add(URL, leaf.cert_pem())
    with pytest.raises(StirError) as refused:
        store.resolve(URL, NOW)
    assert refused.value.failure is StirFailure.CERT_NOT_TRUSTED
    assert "not chained to a trusted anchor" in str(refused.value)


def test_validity_window_is_the_intersection_of_the_path(kit: Kit) -> None:
    chain = kit.store.resolve(URL, NOW)
    assert chain.not_after == kit.leaf.cert.not_valid_after_utc
    assert chain.not_before == kit.leaf.cert.not_valid_before_utc
    with pytest.raises(StirError) as early:
        kit.store.resolve(URL, kit.leaf.cert.not_valid_before_utc - timedelta(seconds=1))
    assert early.value.failure is StirFailure.CERT_NOT_YET_VALID
    assert "signing certificate" in str(early.value)


def test_membership_and_size(kit: Kit) -> None:
    assert URL in kit.store
    assert "https://nowhere.test/x.pem" not in kit.store
    assert len(kit.store) == len(kit.store.urls)
