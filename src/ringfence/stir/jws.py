"""Compact JWS (RFC 7515) as PASSporT uses it: base64url parts, and ES256 signatures.

Why the signature conversion: a JWS ECDSA signature is the raw concatenation r||s (32 bytes
each for P-256, RFC 7518 section 3.4), while `cryptography` speaks DER (an ASN.1 SEQUENCE of two
INTEGERs). Verification converts r||s to DER; signing converts back.

>>> b64url_encode(b'{"a":1}')
'eyJhIjoxfQ'
>>> b64url_decode("eyJhIjoxfQ")
b'{"a":1}'
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from ringfence.stir.errors import StirError
from ringfence.stir.result import StirFailure

_B64URL = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
"""Keys the signer accepts: P-256 for real tokens; P-384 and RSA to make wrong-alg test tokens."""


def b64url_encode(data: bytes) -> str:
    """Base64url without padding (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str, *, part: str = "value") -> bytes:
    """Decode base64url with or without padding; raise `StirError` (438) on any other text."""
    if not _B64URL.match(text) or len(text.rstrip("=")) % 4 == 1:
        raise StirError(
            StirFailure.MALFORMED_JWS,
            f"the PASSporT {part} is not base64url (RFC 7515: letters, digits, '-' and '_')",
        )
    stripped = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError):
        raise StirError(
            StirFailure.MALFORMED_JWS, f"the PASSporT {part} is not valid base64url"
        ) from None


@dataclass(frozen=True, slots=True)
class CompactJws:
    """A decoded compact JWS: JSON header and payload, the bytes signed, and the signature."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def decode_compact_jws(token: str) -> CompactJws:
    """Split and decode `header.payload.signature`; raise `StirError` (438) when malformed.

    The PASSporT *compact form* (`header..signature`, RFC 8225 section 7) leaves the payload
    out for the verifier to rebuild from SIP; SHAKEN's `attest` and `origid` cannot be rebuilt,
    so SHAKEN uses the full form (RFC 8588) and the compact form is refused.
    """
    parts = token.split(".")
    if len(parts) != 3:
        raise StirError(
            StirFailure.MALFORMED_JWS,
            f"the PASSporT has {len(parts)} part(s) separated by '.'; a JWS has 3 "
            "(header.payload.signature)",
        )
    header_b64, payload_b64, signature_b64 = parts
    if not payload_b64:
        raise StirError(
            StirFailure.COMPACT_FORM,
            "the PASSporT is in compact form (empty payload); SHAKEN tokens carry attest and "
            "origid, which only the full form transports (RFC 8588)",
        )
    if not header_b64 or not signature_b64:
        missing = "header" if not header_b64 else "signature"
        raise StirError(StirFailure.MALFORMED_JWS, f"the PASSporT {missing} part is empty")
    header = _json_object(b64url_decode(header_b64, part="header"), "header")
    payload = _json_object(b64url_decode(payload_b64, part="payload"), "payload")
    signature = b64url_decode(signature_b64, part="signature")
    signing_input = f"{header_b64}.{payload_b64}".encode("ascii")
    return CompactJws(header, payload, signing_input, signature)


def _json_object(data: bytes, part: str) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise StirError(StirFailure.MALFORMED_JWS, f"the PASSporT {part} is not JSON") from None
    if not isinstance(value, dict):
        raise StirError(
            StirFailure.MALFORMED_JWS,
            f"the PASSporT {part} is JSON but not an object ({type(value).__name__})",
        )
    return value


def verify_es256(public_key: ec.EllipticCurvePublicKey, signing_input: bytes, sig: bytes) -> bool:
    """True when `sig` (raw r||s, 64 bytes) is a valid ES256 signature of `signing_input`."""
    if len(sig) != 64:
        return False
    r = int.from_bytes(sig[:32], "big")
    s = int.from_bytes(sig[32:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), signing_input, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def jws_alg_of(key: SigningKey) -> str:
    """The JWS `alg` that `key` naturally signs with (ES256, ES384, ES512 or RS256)."""
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    curve = key.curve.name
    algs = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
    if curve not in algs:
        raise ValueError(f"no JWS algorithm for the curve {curve}; use P-256 (secp256r1)")
    return algs[curve]


def sign_jws(key: SigningKey, signing_input: bytes) -> bytes:
    """The JWS signature of `signing_input` with `key`, in JWS form (raw r||s for ECDSA)."""
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    alg = jws_alg_of(key)
    digest: hashes.HashAlgorithm = {
        "ES256": hashes.SHA256(),
        "ES384": hashes.SHA384(),
        "ES512": hashes.SHA512(),
    }[alg]
    r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(digest)))
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")
