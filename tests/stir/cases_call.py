"""Failure cases about the call and its credentials: missing header (428), caller and callee
(438), freshness (403 Stale Date), certificate URL (436), certificate (437), signature (438)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ringfence.stir import StirFailure, build_identity_header
from ringfence.stir.jws import b64url_encode
from tests.stir.cases import Case, header_only, replace_segment
from tests.stir.conftest import (
    NOW,
    URL,
    URL_BAD_ISSUER,
    URL_BAD_TNAUTH,
    URL_EXPIRED,
    URL_INTER_EXPIRED,
    URL_NOT_STORED,
    URL_NOT_YET,
    URL_SELF_SIGNED,
    URL_TN,
    URL_UNTRUSTED,
    Kit,
)


def _tampered_payload(kit: Kit) -> tuple[str, dict[str, Any]]:
    """Orig changed in the payload after signing (and presented so); the signature is kept."""
    honest = kit.token()
    forged = kit.token(orig="+33987654321")
    payload = forged.split(".")[1]
    return build_identity_header(replace_segment(honest, 1, payload)), {"orig": "+33987654321"}


CALL_CASES = [
    # 428: no Identity header at all.
    Case("missing header", header_only(lambda kit: None), StirFailure.NO_IDENTITY, 428),
    Case("empty header", header_only(lambda kit: "  \r\n "), StirFailure.NO_IDENTITY, 428),
    # 438: the signed numbers are not the call's.
    Case(
        "wrong orig",
        lambda kit: (kit.header(), {"orig": "+33123456780"}),
        StirFailure.ORIG_MISMATCH,
        438,
    ),
    Case(
        "withheld orig",
        lambda kit: (kit.header(), {"orig": "anonymous"}),
        StirFailure.ORIG_MISMATCH,
        438,
    ),
    Case(
        "wrong dest",
        lambda kit: (kit.header(), {"dest": "+33612345670"}),
        StirFailure.DEST_MISMATCH,
        438,
    ),
    # 403 Stale Date: iat outside the window.
    Case(
        "stale iat",
        header_only(lambda kit: kit.header(iat=NOW - timedelta(seconds=61))),
        StirFailure.STALE_IAT,
        403,
    ),
    Case(
        "iat a day old",
        header_only(lambda kit: kit.header(iat=NOW - timedelta(days=1))),
        StirFailure.STALE_IAT,
        403,
    ),
    Case(
        "future iat beyond tolerance",
        header_only(lambda kit: kit.header(iat=NOW + timedelta(seconds=11))),
        StirFailure.FUTURE_IAT,
        403,
    ),
    Case(
        "stale iat with a shorter max age",
        lambda kit: (kit.header(iat=NOW - timedelta(seconds=31)), {"max_age_s": 30}),
        StirFailure.STALE_IAT,
        403,
    ),
    # x5u / info: the certificate cannot be dereferenced (436).
    Case(
        "x5u not in the store",
        header_only(lambda kit: kit.header(x5u=URL_NOT_STORED)),
        StirFailure.X5U_UNKNOWN,
        436,
    ),
    Case(
        "x5u over http",
        header_only(lambda kit: kit.header(x5u="http://certs.sp.test/shaken/sp.pem")),
        StirFailure.X5U_NOT_HTTPS,
        436,
    ),
    Case(
        "info differs from x5u",
        header_only(lambda kit: build_identity_header(kit.token(), info=URL_TN)),
        StirFailure.INFO_MISMATCH,
        436,
    ),
    Case(
        "no info parameter",
        header_only(lambda kit: kit.header().replace(f";info=<{URL}>", "")),
        StirFailure.NO_INFO,
        436,
    ),
    # The certificate cannot be used (437).
    Case(
        "expired certificate",
        header_only(lambda kit: kit.header(key=kit.leaf_expired.key, x5u=URL_EXPIRED)),
        StirFailure.CERT_EXPIRED,
        437,
    ),
    Case(
        "certificate not yet valid",
        header_only(lambda kit: kit.header(key=kit.leaf_not_yet.key, x5u=URL_NOT_YET)),
        StirFailure.CERT_NOT_YET_VALID,
        437,
    ),
    Case(
        "expired intermediate",
        header_only(lambda kit: kit.header(key=kit.leaf_inter_expired.key, x5u=URL_INTER_EXPIRED)),
        StirFailure.CERT_EXPIRED,
        437,
    ),
    Case(
        "certificate from an untrusted CA",
        header_only(lambda kit: kit.header(key=kit.leaf_untrusted.key, x5u=URL_UNTRUSTED)),
        StirFailure.CERT_NOT_TRUSTED,
        437,
    ),
    Case(
        "self-signed certificate",
        header_only(lambda kit: kit.header(key=kit.leaf_self_signed.key, x5u=URL_SELF_SIGNED)),
        StirFailure.CERT_NOT_TRUSTED,
        437,
    ),
    Case(
        "intermediate that is not a CA",
        header_only(lambda kit: kit.header(key=kit.leaf_bad_issuer.key, x5u=URL_BAD_ISSUER)),
        StirFailure.CERT_INVALID,
        437,
    ),
    Case(
        "unreadable TNAuthList",
        header_only(lambda kit: kit.header(key=kit.leaf_bad_tnauth.key, x5u=URL_BAD_TNAUTH)),
        StirFailure.CERT_INVALID,
        437,
    ),
    Case(
        "caller outside the TNAuthList",
        lambda kit: (
            kit.header(key=kit.leaf_tn.key, x5u=URL_TN, orig="+33123457000"),
            {"orig": "+33123457000"},
        ),
        StirFailure.TN_NOT_AUTHORIZED,
        437,
    ),
    # The signature does not verify (438).
    Case("tampered payload", _tampered_payload, StirFailure.BAD_SIGNATURE, 438),
    Case(
        "signed with another key",
        header_only(lambda kit: kit.header(key=kit.leaf_tn.key)),
        StirFailure.BAD_SIGNATURE,
        438,
    ),
    Case(
        "truncated signature",
        header_only(
            lambda kit: build_identity_header(
                replace_segment(kit.token(), 2, kit.token().split(".")[2][:-8])
            )
        ),
        StirFailure.BAD_SIGNATURE,
        438,
    ),
    Case(
        "zero signature",
        header_only(
            lambda kit: build_identity_header(
                replace_segment(kit.token(), 2, b64url_encode(bytes(64)))
            )
        ),
        StirFailure.BAD_SIGNATURE,
        438,
    ),
]
