"""STIR/SHAKEN as a signal to the screener, with a real test PKI and real signed tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from ringfence.domain.verdicts import CallSetup, Outcome
from ringfence.screen.policy import load_policy
from ringfence.screen.screener import Screener
from ringfence.stir import CertificateStore, build_identity_header, identity_checker, sign_passport
from ringfence.stir.testpki import load_private_key, write_test_pki

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_verified_calls_pass_and_failed_ones_are_labelled(tmp_path: Path) -> None:
    pki = write_test_pki(tmp_path, now=NOW)
    key = load_private_key(pki.key_path)
    checker = identity_checker(CertificateStore.from_directory(tmp_path), home_country="BE")
    screener = Screener(load_policy("BE"), "BE", identity_check=checker)
    caller, callee = "+32475112233", "+32470123456"
    good = build_identity_header(
        sign_passport(key=key, x5u=pki.url, orig=caller, dest=callee, attest="A", iat=NOW),
        info=pki.url,
    )
    verdict = screener.screen(CallSetup(caller, callee, NOW, identity=good))
    assert verdict.outcome is Outcome.ALLOW
    assert verdict.signals == {"verstat": "TN-Validation-Passed", "attestation": "A"}

    stale = CallSetup(caller, callee, NOW + timedelta(minutes=5), identity=good)
    late = screener.screen(stale)
    assert late.outcome is Outcome.LABEL
    assert late.rules == ["stir_failed"]
    assert late.signals["verstat"] == "TN-Validation-Failed"

    other_caller = screener.screen(CallSetup("+32475999999", callee, NOW, identity=good))
    assert other_caller.rules == ["stir_failed"]  # the token was signed for another number

    unsigned = screener.screen(CallSetup(caller, callee, NOW))
    assert unsigned.outcome is Outcome.ALLOW  # no PASSporT is a signal, not a verdict
    assert unsigned.signals["verstat"] == "No-TN-Validation"
