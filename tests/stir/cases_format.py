"""Failure cases about the header, the token and its claims: alg (437), ppt, typ, attest,
missing claims and malformed JWS or header (438)."""

from __future__ import annotations

from ringfence.stir import StirFailure, build_identity_header
from ringfence.stir.jws import b64url_encode
from tests.stir.cases import Case, header_only, replace_segment
from tests.stir.conftest import (
    NOW,
    URL,
    URL_P384,
    URL_RSA,
)

FORMAT_CASES = [
    # alg: SHAKEN allows ES256 only (437 Unsupported Credential).
    Case(
        "ES384 token from a P-384 key",
        header_only(lambda kit: kit.header(key=kit.leaf_p384.key, x5u=URL_P384)),
        StirFailure.BAD_ALG,
        437,
    ),
    Case(
        "ES384 in the token, alg=ES256 on the header",
        header_only(
            lambda kit: build_identity_header(
                kit.token(key=kit.leaf_p384.key, x5u=URL_P384), alg="ES256"
            )
        ),
        StirFailure.BAD_ALG,
        437,
    ),
    Case(
        "RS256 token from an RSA key",
        header_only(
            lambda kit: build_identity_header(
                kit.token(key=kit.leaf_rsa.key, x5u=URL_RSA), alg="ES256"
            )
        ),
        StirFailure.BAD_ALG,
        437,
    ),
    Case(
        "alg none (unsigned token)",
        header_only(
            lambda kit: build_identity_header(
                replace_segment(kit.token(header={"alg": "none"}), 2, "AAAA"), alg="ES256"
            )
        ),
        StirFailure.BAD_ALG,
        437,
    ),
    Case(
        "ES256 claimed, signed by a P-384 certificate's key",
        header_only(
            lambda kit: kit.header(key=kit.leaf_p384.key, x5u=URL_P384, header={"alg": "ES256"})
        ),
        StirFailure.CERT_BAD_KEY,
        437,
    ),
    # ppt: only SHAKEN PASSporTs are verified (438).
    Case(
        "ppt div in token and header",
        header_only(lambda kit: kit.header(header={"ppt": "div"})),
        StirFailure.BAD_PPT,
        438,
    ),
    Case(
        "ppt=shaken on the header, another ppt in the token",
        header_only(
            lambda kit: build_identity_header(kit.token(header={"ppt": "rcd"}), ppt="shaken")
        ),
        StirFailure.BAD_PPT,
        438,
    ),
    Case(
        "no ppt in the token",
        header_only(
            lambda kit: build_identity_header(kit.token(header={"ppt": None}), ppt="shaken")
        ),
        StirFailure.BAD_PPT,
        438,
    ),
    Case(
        "no ppt parameter on the header",
        header_only(lambda kit: kit.header().replace(";ppt=shaken", "")),
        StirFailure.PARAM_MISMATCH,
        438,
    ),
    Case(
        "typ JWT instead of passport",
        header_only(lambda kit: kit.header(header={"typ": "JWT"})),
        StirFailure.BAD_TYP,
        438,
    ),
    # attest: A, B or C (RFC 8588), else 438.
    Case(
        "missing attest",
        header_only(lambda kit: kit.header(claims={"attest": None})),
        StirFailure.BAD_ATTEST,
        438,
    ),
    Case(
        "unknown attest D",
        header_only(lambda kit: kit.header(attest="D")),
        StirFailure.BAD_ATTEST,
        438,
    ),
    Case(
        "lower-case attest",
        header_only(lambda kit: kit.header(attest="a")),
        StirFailure.BAD_ATTEST,
        438,
    ),
    # Missing or mistyped claims (438).
    Case(
        "no iat",
        header_only(lambda kit: kit.header(claims={"iat": None})),
        StirFailure.MISSING_CLAIM,
        438,
    ),
    Case(
        "iat as text",
        header_only(lambda kit: kit.header(claims={"iat": str(int(NOW.timestamp()))})),
        StirFailure.MISSING_CLAIM,
        438,
    ),
    Case(
        "no origid",
        header_only(lambda kit: kit.header(claims={"origid": None})),
        StirFailure.MISSING_CLAIM,
        438,
    ),
    Case(
        "orig as a uri, not a tn",
        header_only(lambda kit: kit.header(claims={"orig": {"uri": "sip:alice@sp.test"}})),
        StirFailure.MISSING_CLAIM,
        438,
    ),
    Case(
        "dest tn not a list",
        header_only(lambda kit: kit.header(claims={"dest": {"tn": "33612345678"}})),
        StirFailure.MISSING_CLAIM,
        438,
    ),
    Case(
        "empty dest list",
        header_only(lambda kit: kit.header(claims={"dest": {"tn": []}})),
        StirFailure.MISSING_CLAIM,
        438,
    ),
    Case(
        "no x5u",
        header_only(lambda kit: build_identity_header(kit.token(header={"x5u": None}), info=URL)),
        StirFailure.MISSING_CLAIM,
        438,
    ),
    # Malformed JWS (438).
    Case(
        "two segments",
        header_only(lambda kit: kit.header().replace(".", "", 1)),
        StirFailure.MALFORMED_JWS,
        438,
    ),
    Case(
        "four segments",
        header_only(lambda kit: kit.header().replace(";", ".AAAA;", 1)),
        StirFailure.MALFORMED_JWS,
        438,
    ),
    Case(
        "bad base64 in the payload",
        header_only(
            lambda kit: build_identity_header(
                replace_segment(kit.token(), 1, "ab*d"), info=URL, alg="ES256", ppt="shaken"
            )
        ),
        StirFailure.MALFORMED_JWS,
        438,
    ),
    Case(
        "impossible base64 length",
        header_only(
            lambda kit: build_identity_header(
                replace_segment(kit.token(), 1, "abcde"), info=URL, alg="ES256", ppt="shaken"
            )
        ),
        StirFailure.MALFORMED_JWS,
        438,
    ),
    Case(
        "payload not JSON",
        header_only(
            lambda kit: build_identity_header(
                replace_segment(kit.token(), 1, b64url_encode(b"{not json")),
                info=URL,
                alg="ES256",
                ppt="shaken",
            )
        ),
        StirFailure.MALFORMED_JWS,
        438,
    ),
    Case(
        "header a JSON array",
        header_only(
            lambda kit: build_identity_header(
                replace_segment(kit.token(), 0, b64url_encode(b"[1,2]")),
                info=URL,
                alg="ES256",
                ppt="shaken",
            )
        ),
        StirFailure.MALFORMED_JWS,
        438,
    ),
    Case(
        "compact form PASSporT",
        header_only(
            lambda kit: build_identity_header(
                replace_segment(kit.token(), 1, ""), info=URL, alg="ES256", ppt="shaken"
            )
        ),
        StirFailure.COMPACT_FORM,
        438,
    ),
    Case(
        "parameters only",
        header_only(lambda kit: f";info=<{URL}>;alg=ES256;ppt=shaken"),
        StirFailure.MALFORMED_HEADER,
        438,
    ),
    Case(
        "unclosed info bracket",
        header_only(lambda kit: kit.token() + f";info=<{URL};alg=ES256;ppt=shaken"),
        StirFailure.MALFORMED_HEADER,
        438,
    ),
    Case(
        "header longer than read",
        header_only(lambda kit: kit.header() + ";x=" + "a" * 9000),
        StirFailure.MALFORMED_HEADER,
        438,
    ),
]
