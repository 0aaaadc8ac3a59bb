"""SHAKEN PASSporTs: read their claims (RFC 8225 + RFC 8588) and sign new ones.

A SHAKEN PASSporT is a JWS whose protected header is
`{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"https://..."}` and whose payload is
`{"attest":"A","dest":{"tn":["33612345678"]},"iat":1767225600,"orig":{"tn":"33123456789"},
"origid":"<uuid>"}`; telephone numbers are E.164 digits without '+' (RFC 8224's canonical form).

Why a signer lives here: tests, the benchmark, the SIP front's tests and users trying the
verifier offline all need real tokens signed with real keys; `sign_passport` makes them, with
overrides to build every malformed variant the MAN/ATIS test lists ask for.

>>> from cryptography.hazmat.primitives.asymmetric import ec
>>> key = ec.generate_private_key(ec.SECP256R1())
>>> token = sign_passport(key=key, x5u="https://certs.example.test/sp.pem", orig="+33123456789",
...                       dest="+33612345678", attest="A", origid="id-1", iat=1767225600)
>>> claims = read_shaken_claims(decode_compact_jws(token))
>>> claims.orig_tn, claims.dest_tns, claims.attest.value, claims.iat
('33123456789', ('33612345678',), 'A', 1767225600)
>>> build_identity_header(token).split(";")[1:]
['info=<https://certs.example.test/sp.pem>', 'alg=ES256', 'ppt=shaken']
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ringfence.domain.numbers import ANONYMOUS, normalize
from ringfence.stir.errors import StirError
from ringfence.stir.jws import (
    CompactJws,
    SigningKey,
    b64url_encode,
    decode_compact_jws,
    jws_alg_of,
    sign_jws,
)
from ringfence.stir.result import Attestation, StirFailure

SHAKEN_PPT = "shaken"
PASSPORT_TYP = "passport"
SHAKEN_ALG = "ES256"

_ATTESTATIONS = {a.value: a for a in Attestation}


@dataclass(frozen=True, slots=True)
class ShakenClaims:
    """The checked claims of a SHAKEN PASSporT (numbers as written in the token)."""

    x5u: str
    attest: Attestation
    orig_tn: str
    dest_tns: tuple[str, ...]
    iat: int
    origid: str


def read_shaken_claims(jws: CompactJws) -> ShakenClaims:
    """Check the header and payload of a decoded PASSporT against RFC 8225/8588.

    Raises `StirError`: 438 for a wrong `typ`/`ppt`, a missing claim or an unknown `attest`;
    437 for an `alg` other than ES256 (the only one SHAKEN allows: RFC 8588, ATIS-1000074).
    """
    header, payload = jws.header, jws.payload
    typ = header.get("typ")
    if typ != PASSPORT_TYP:
        raise StirError(StirFailure.BAD_TYP, f"the PASSporT typ is {typ!r}; it must be 'passport'")
    ppt = header.get("ppt")
    if ppt != SHAKEN_PPT:
        raise StirError(
            StirFailure.BAD_PPT,
            f"the PASSporT type (ppt) is {ppt!r}; this verifier checks SHAKEN ('shaken') only",
        )
    alg = header.get("alg")
    if alg != SHAKEN_ALG:
        raise StirError(
            StirFailure.BAD_ALG,
            f"the PASSporT is signed with {alg!r}; SHAKEN allows only ES256 (RFC 8588)",
        )
    x5u = header.get("x5u")
    if not isinstance(x5u, str) or not x5u:
        raise StirError(
            StirFailure.MISSING_CLAIM, "the PASSporT header has no x5u (certificate URL)"
        )
    attest = payload.get("attest")
    if not isinstance(attest, str) or attest not in _ATTESTATIONS:
        raise StirError(
            StirFailure.BAD_ATTEST,
            f"the PASSporT attest is {attest!r}; it must be 'A', 'B' or 'C' (RFC 8588)"
            if attest is not None
            else "the PASSporT has no attest claim (RFC 8588 requires A, B or C)",
        )
    orig = payload.get("orig")
    orig_tn = orig.get("tn") if isinstance(orig, dict) else None
    if not isinstance(orig_tn, str) or not orig_tn:
        raise StirError(
            StirFailure.MISSING_CLAIM,
            "the PASSporT has no orig.tn (SHAKEN signs the calling telephone number)",
        )
    dest = payload.get("dest")
    dest_tns = dest.get("tn") if isinstance(dest, dict) else None
    if (
        not isinstance(dest_tns, list)
        or not dest_tns
        or not all(isinstance(tn, str) and tn for tn in dest_tns)
    ):
        raise StirError(
            StirFailure.MISSING_CLAIM,
            "the PASSporT has no dest.tn list of called numbers (RFC 8225)",
        )
    iat = payload.get("iat")
    if not isinstance(iat, int) or isinstance(iat, bool):
        raise StirError(
            StirFailure.MISSING_CLAIM,
            "the PASSporT has no iat (issued-at time in whole seconds since 1970)",
        )
    origid = payload.get("origid")
    if not isinstance(origid, str) or not origid:
        raise StirError(
            StirFailure.MISSING_CLAIM,
            "the PASSporT has no origid (the origination identifier of RFC 8588)",
        )
    return ShakenClaims(x5u, _ATTESTATIONS[attest], orig_tn, tuple(dest_tns), iat, origid)


def sign_passport(
    *,
    key: SigningKey,
    x5u: str,
    orig: str,
    dest: str | Sequence[str],
    attest: str = "A",
    origid: str | None = None,
    iat: int | datetime | None = None,
    home_country: str = "BE",
    header: Mapping[str, Any] | None = None,
    claims: Mapping[str, Any] | None = None,
) -> str:
    """A signed SHAKEN PASSporT (compact serialisation `header.payload.signature`).

    `orig` and `dest` are numbers in any form `ringfence.domain.numbers` reads (national forms
    relative to `home_country`); they are written as E.164 digits without '+'. `origid`
    defaults to a random UUID and `iat` to the current time. `alg` follows the key (ES256 for
    P-256). `header` and `claims` override or, with a None value, remove entries: that is how
    tests build tokens with a wrong alg, ppt or attest.
    """
    dests = [dest] if isinstance(dest, str) else list(dest)
    protected: dict[str, Any] = {
        "alg": jws_alg_of(key),
        "ppt": SHAKEN_PPT,
        "typ": PASSPORT_TYP,
        "x5u": x5u,
    }
    payload: dict[str, Any] = {
        "attest": attest,
        "dest": {"tn": [_tn(d, home_country) for d in dests]},
        "iat": _epoch(iat),
        "orig": {"tn": _tn(orig, home_country)},
        "origid": origid if origid is not None else str(uuid.uuid4()),
    }
    _override(protected, header)
    _override(payload, claims)
    signing_input = f"{_encode_json(protected)}.{_encode_json(payload)}"
    signature = sign_jws(key, signing_input.encode("ascii"))
    return f"{signing_input}.{b64url_encode(signature)}"


def build_identity_header(
    token: str,
    *,
    info: str | None = None,
    alg: str | None = None,
    ppt: str | None = None,
) -> str:
    """The Identity header *value* for `token`: `token;info=<x5u>;alg=ES256;ppt=shaken`.

    `info`, `alg` and `ppt` default to the token's own `x5u`, `alg` and `ppt` (RFC 8224 wants
    them equal; pass other values to build mismatching test headers).
    """
    if info is None or alg is None or ppt is None:
        try:
            jws_header = decode_compact_jws(token).header
        except StirError as error:
            raise ValueError(
                f"cannot read the token to fill info/alg/ppt ({error}); pass them explicitly"
            ) from None
        info = info if info is not None else str(jws_header.get("x5u", ""))
        alg = alg if alg is not None else str(jws_header.get("alg", ""))
        ppt = ppt if ppt is not None else str(jws_header.get("ppt", ""))
    return f"{token};info=<{info}>;alg={alg};ppt={ppt}"


def _tn(number: str, home_country: str) -> str:
    e164 = normalize(number, home_country)
    if e164 == ANONYMOUS:
        raise ValueError(f"{number!r} is a withheld caller ID; a PASSporT signs a number")
    return e164.lstrip("+")


def _epoch(iat: int | datetime | None) -> int:
    if iat is None:
        return int(time.time())
    if isinstance(iat, datetime):
        if iat.tzinfo is None:
            raise ValueError("iat must be an aware datetime (with a time zone), e.g. UTC")
        return int(iat.timestamp())
    return int(iat)


def _override(target: dict[str, Any], changes: Mapping[str, Any] | None) -> None:
    for name, value in (changes or {}).items():
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value


def _encode_json(value: Mapping[str, Any]) -> str:
    """Keys sorted, no whitespace: the canonical JSON of RFC 8225 section 9."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return b64url_encode(text.encode("utf-8"))
