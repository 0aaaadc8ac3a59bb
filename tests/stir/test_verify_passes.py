"""Verifications that pass, and the details around them: attestation, numbers in any form,
freshness edges, several destinations, TNAuthList members, several Identity headers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ringfence.stir import (
    Attestation,
    StirFailure,
    StirResult,
    Verstat,
    identity_checker,
    verify_identities,
)
from tests.stir.conftest import DEST, NOW, ORIG, URL, URL_TN, Kit


@pytest.mark.parametrize("attest", ["A", "B", "C"])
def test_happy_path_for_each_attestation(kit: Kit, attest: str) -> None:
    result = kit.verify(kit.header(attest=attest))
    assert result.verstat is Verstat.PASSED
    assert result.attestation == attest
    assert result.attestation is Attestation(attest)
    assert result.sip_code is None
    assert result.sip_reason is None
    assert result.failure is None
    assert result.origid == "123e4567-e89b-12d3-a456-426614174000"
    assert result.x5u == URL
    assert result.to_dict()["verstat"] == "TN-Validation-Passed"


def test_failure_keeps_what_the_token_claimed_for_tracing(kit: Kit) -> None:
    result = kit.verify(kit.header(), orig="+33123456780")
    assert result.origid == "123e4567-e89b-12d3-a456-426614174000"
    assert result.x5u == URL
    assert result.to_dict() == {
        "verstat": "TN-Validation-Failed",
        "attestation": None,
        "sip_code": 438,
        "sip_reason": "Invalid Identity Header",
        "reason": result.reason,
        "origid": "123e4567-e89b-12d3-a456-426614174000",
        "x5u": URL,
        "failure": "orig_mismatch",
    }


@pytest.mark.parametrize(
    ("seconds", "passed"), [(-60, True), (-61, False), (10, True), (11, False), (0, True)]
)
def test_freshness_window_edges(kit: Kit, seconds: int, passed: bool) -> None:
    result = kit.verify(kit.header(iat=NOW + timedelta(seconds=seconds)))
    assert result.passed is passed


def test_future_tolerance_is_configurable(kit: Kit) -> None:
    header = kit.header(iat=NOW + timedelta(seconds=30))
    assert not kit.verify(header).passed
    assert kit.verify(header, max_future_s=30).passed


@pytest.mark.parametrize(
    ("orig", "dest", "home"),
    [
        ("01 23 45 67 89", "06 12 34 56 78", "FR"),
        ("sip:+33123456789@sbc.sp.test;user=phone", "tel:+33612345678", "BE"),
        ('"Cabinet" <sip:+33123456789@sp.test;user=phone>', "0033612345678", "BE"),
        ("33123456789", "+33 6 12 34 56 78", "BE"),
    ],
)
def test_sip_numbers_are_normalised_with_the_home_country(
    kit: Kit, orig: str, dest: str, home: str
) -> None:
    result = kit.verify(kit.header(), orig=orig, dest=dest, home_country=home)
    assert result.passed, result.reason


def test_any_of_several_signed_destinations_matches(kit: Kit) -> None:
    header = kit.header(dest=["+33611111111", DEST])
    assert kit.verify(header).passed
    assert kit.verify(header, dest="+33611111111").passed
    assert kit.verify(header, dest="+33622222222").failure is StirFailure.DEST_MISMATCH


def test_caller_inside_the_tnauthlist_passes(kit: Kit) -> None:
    for orig in ("+33123456000", "+33123456999", "+32470123456"):
        header = kit.header(key=kit.leaf_tn.key, x5u=URL_TN, orig=orig)
        assert kit.verify(header, orig=orig).passed, orig


def test_certificate_validity_is_checked_at_the_call_time(kit: Kit) -> None:
    header = kit.header(iat=NOW + timedelta(days=400))
    later = kit.verify(header, now=NOW + timedelta(days=400))
    assert later.failure is StirFailure.CERT_EXPIRED
    assert "expired on" in later.reason


def test_naive_time_is_refused_with_a_clear_error(kit: Kit) -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        kit.verify(kit.header(), now=NOW.replace(tzinfo=None))


def test_orig_mismatch_reason_names_both_numbers(kit: Kit) -> None:
    result = kit.verify(kit.header(), orig="0123456780", home_country="FR")
    assert "33123456789" in result.reason
    assert "+33123456780" in result.reason


def test_several_identity_headers_the_shaken_one_decides(kit: Kit) -> None:
    div = kit.header(header={"ppt": "div"})
    shaken = kit.header(attest="B")

    def verify_all(headers: list[str], **options: Any) -> StirResult:
        return verify_identities(
            headers, orig=options.get("orig", ORIG), dest=DEST, now=NOW, certs=kit.store
        )

    assert verify_all([div, shaken]).attestation is Attestation.PARTIAL
    assert verify_all([div]).failure is StirFailure.BAD_PPT
    assert verify_all([div, shaken], orig="+33123456780").failure is StirFailure.ORIG_MISMATCH
    none = verify_all([])
    assert (none.verstat, none.sip_code) == (Verstat.NO_VALIDATION, 428)


def test_identity_checker_fits_the_screener_hook(kit: Kit) -> None:
    check = identity_checker(kit.store, home_country="FR")
    passed = check(kit.header(attest="C"), "01 23 45 67 89", "06 12 34 56 78", NOW)
    assert (passed["verstat"], passed["attestation"], passed["sip_code"]) == (
        "TN-Validation-Passed",
        "C",
        None,
    )
    missing = check(None, ORIG, DEST, NOW)
    assert (missing["verstat"], missing["sip_code"]) == ("No-TN-Validation", 428)
