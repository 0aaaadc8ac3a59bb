"""Verify a SIP Identity header for one call: the verification service of RFC 8224 / SHAKEN.

The checks run in the order of RFC 8224's verifier behaviour (header, credential, freshness,
signature) with the SHAKEN rules of RFC 8588 and ATIS-1000074, and the first that fails gives
the result, with its SIP code (table in docs/stir.md):

1. an Identity header is present (else 428, `No-TN-Validation`);
2. it parses, its `ppt` is `shaken` and its `alg` ES256 (438 / 437);
3. the JWS decodes and its claims are those of a SHAKEN PASSporT (438; 437 for the alg);
4. `info` is present, equals `x5u`, and `x5u` is https (436);
5. `iat` is fresh: at most `max_age_s` old, at most `max_future_s` ahead (403 Stale Date);
6. `orig` and `dest` are the call's caller and callee (438);
7. `x5u` resolves in the local store to a chain to a trust anchor, valid at the call time
   (436 when unknown, 437 when untrusted, expired or not a P-256 key);
8. the ES256 signature verifies (438);
9. the certificate's TNAuthList, when it lists numbers, includes the caller (437).

The result is a signal for the screener (verstat + attestation), never a verdict alone: a
passed verification says who signed the call, not that the call is wanted.

It never raises on header text: whatever arrives, the answer is a `StirResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from ringfence.domain.numbers import ANONYMOUS, NumberError, normalize
from ringfence.stir.certs import CertificateStore
from ringfence.stir.errors import StirError
from ringfence.stir.header import parse_identity_header
from ringfence.stir.jws import decode_compact_jws, verify_es256
from ringfence.stir.passport import SHAKEN_ALG, SHAKEN_PPT, ShakenClaims, read_shaken_claims
from ringfence.stir.result import StirFailure, StirResult

DEFAULT_MAX_AGE_S = 60
"""Oldest acceptable `iat`, in seconds: the freshness window of RFC 8224 and ATIS-1000074."""
DEFAULT_MAX_FUTURE_S = 10
"""How far `iat` may be ahead of the verifier's clock. No standard figure: our choice, for
clock skew between NTP-synchronised switches (well under a second) with a margin."""

_TN_SEPARATORS = str.maketrans("", "", "+-. ()")


def verify_identity(
    identity: str | None,
    *,
    orig: str,
    dest: str,
    now: datetime,
    certs: CertificateStore,
    max_age_s: int = DEFAULT_MAX_AGE_S,
    home_country: str = "BE",
    max_future_s: int = DEFAULT_MAX_FUTURE_S,
) -> StirResult:
    """Verify the Identity header `identity` (value or whole header line, or None when the
    INVITE has none) for a call from `orig` to `dest` (SIP From/To user parts or numbers in
    any form, read relative to `home_country`) at time `now` (aware datetime).

    >>> store = CertificateStore()
    >>> r = verify_identity(None, orig="+3224561234", dest="+32470123456",
    ...                     now=datetime(2026, 1, 5, tzinfo=UTC), certs=store)
    >>> r.verstat.value, r.sip_code, r.sip_reason
    ('No-TN-Validation', 428, 'Use Identity Header')
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime (with a time zone), e.g. UTC")
    if identity is None or not identity.strip():
        return StirResult.fail(
            StirFailure.NO_IDENTITY,
            "the INVITE has no Identity header: the caller ID is not signed",
        )
    seen: dict[str, str] = {}
    try:
        return _verify(
            identity, orig, dest, now, certs, max_age_s, max_future_s, home_country, seen
        )
    except StirError as error:
        return StirResult.fail(
            error.failure, str(error), origid=seen.get("origid"), x5u=seen.get("x5u")
        )


def verify_identities(
    identities: Iterable[str],
    *,
    orig: str,
    dest: str,
    now: datetime,
    certs: CertificateStore,
    max_age_s: int = DEFAULT_MAX_AGE_S,
    home_country: str = "BE",
    max_future_s: int = DEFAULT_MAX_FUTURE_S,
) -> StirResult:
    """Verify every Identity header of an INVITE (RFC 8224 allows one per PASSporT type).

    The first that passes wins; else the first SHAKEN header's failure; else (only other
    PASSporT types, such as `div` or `rcd`) the first failure; no header at all is a 428.
    """
    results = [
        verify_identity(
            value,
            orig=orig,
            dest=dest,
            now=now,
            certs=certs,
            max_age_s=max_age_s,
            home_country=home_country,
            max_future_s=max_future_s,
        )
        for value in identities
    ]
    for result in results:
        if result.passed:
            return result
    for result in results:
        if result.failure is not StirFailure.BAD_PPT:
            return result
    if results:
        return results[0]
    return verify_identity(None, orig=orig, dest=dest, now=now, certs=certs)


def identity_checker(
    certs: CertificateStore,
    *,
    home_country: str = "BE",
    max_age_s: int = DEFAULT_MAX_AGE_S,
    max_future_s: int = DEFAULT_MAX_FUTURE_S,
) -> Callable[[str | None, str, str, datetime], dict[str, Any]]:
    """`(identity, orig, dest, now) -> StirResult.to_dict()` bound to a store and settings: the
    shape of the screener's `identity_check` hook."""

    def check(identity: str | None, orig: str, dest: str, now: datetime) -> dict[str, Any]:
        return verify_identity(
            identity,
            orig=orig,
            dest=dest,
            now=now,
            certs=certs,
            max_age_s=max_age_s,
            home_country=home_country,
            max_future_s=max_future_s,
        ).to_dict()

    return check


def _verify(
    identity: str,
    orig: str,
    dest: str,
    now: datetime,
    certs: CertificateStore,
    max_age_s: int,
    max_future_s: int,
    home_country: str,
    seen: dict[str, str],
) -> StirResult:
    header = parse_identity_header(identity)
    if header.ppt is not None and header.ppt != SHAKEN_PPT:
        raise StirError(
            StirFailure.BAD_PPT,
            f"the Identity header's ppt is {header.ppt!r}; this verifier checks SHAKEN "
            "('shaken') only",
        )
    if header.alg is not None and header.alg != SHAKEN_ALG:
        raise StirError(
            StirFailure.BAD_ALG,
            f"the Identity header's alg is {header.alg!r}; SHAKEN allows only ES256",
        )
    jws = decode_compact_jws(header.token)
    for name, source in (("x5u", jws.header), ("origid", jws.payload)):
        value = source.get(name)
        if isinstance(value, str):
            seen[name] = value
    claims = read_shaken_claims(jws)
    if header.ppt is None:
        raise StirError(
            StirFailure.PARAM_MISMATCH,
            "the Identity header has no ppt parameter, but its PASSporT is of type 'shaken' "
            "(RFC 8224 wants the ppt of the PASSporT on the header)",
        )
    _check_info(header.info, claims.x5u)
    _check_freshness(claims.iat, now, max_age_s, max_future_s)
    orig_tn = _check_numbers(claims, orig, dest, home_country)
    chain = certs.resolve(claims.x5u, now)
    if not verify_es256(chain.public_key, jws.signing_input, jws.signature):
        size = len(jws.signature)
        raise StirError(
            StirFailure.BAD_SIGNATURE,
            "the signature does not verify with the certificate's key: the token was altered "
            "after signing or signed with another key"
            if size == 64
            else f"the signature is {size} bytes; an ES256 signature is 64 (r||s)",
        )
    if chain.tnauth is not None and not chain.tnauth.covers(orig_tn):
        raise StirError(
            StirFailure.TN_NOT_AUTHORIZED,
            f"the certificate's TNAuthList ({chain.tnauth.describe()}) does not include the "
            f"caller {orig_tn}",
        )
    return StirResult.ok(claims.attest, claims.origid, claims.x5u)


def _check_info(info: str | None, x5u: str) -> None:
    if not info:
        raise StirError(
            StirFailure.NO_INFO,
            "the Identity header has no info=<URL> parameter (RFC 8224 requires it)",
        )
    if not x5u.lower().startswith("https://"):
        raise StirError(
            StirFailure.X5U_NOT_HTTPS,
            f"the certificate URL {x5u!r} is not https (ATIS-1000074 requires https)",
        )
    if info != x5u:
        raise StirError(
            StirFailure.INFO_MISMATCH,
            f"the header's info <{info}> differs from the token's x5u <{x5u}>",
        )


def _check_freshness(iat: int, now: datetime, max_age_s: int, max_future_s: int) -> None:
    age = int(now.timestamp()) - iat
    if age > max_age_s:
        raise StirError(
            StirFailure.STALE_IAT,
            f"the token was issued at {_when(iat)}, {age} s before the call; tokens older "
            f"than {max_age_s} s are stale",
        )
    if -age > max_future_s:
        raise StirError(
            StirFailure.FUTURE_IAT,
            f"the token claims to be issued at {_when(iat)}, {-age} s after the call; at most "
            f"{max_future_s} s of clock skew is accepted",
        )


def _check_numbers(claims: ShakenClaims, orig: str, dest: str, home_country: str) -> str:
    """The caller's digits, after checking that the token signs this caller and callee."""
    orig_tn = _sip_tn(orig, home_country, "caller", StirFailure.ORIG_MISMATCH)
    signed_orig = claims.orig_tn.translate(_TN_SEPARATORS)
    if signed_orig != orig_tn:
        raise StirError(
            StirFailure.ORIG_MISMATCH,
            f"the token signs the caller {claims.orig_tn} but the call presents "
            f"{_shown(orig, orig_tn)}: the caller ID was changed after signing",
        )
    dest_tn = _sip_tn(dest, home_country, "callee", StirFailure.DEST_MISMATCH)
    signed_dests = {tn.translate(_TN_SEPARATORS) for tn in claims.dest_tns}
    if dest_tn not in signed_dests:
        listed = ", ".join(claims.dest_tns)
        raise StirError(
            StirFailure.DEST_MISMATCH,
            f"the token was signed for the callee(s) {listed}, not for "
            f"{_shown(dest, dest_tn)}: it is replayed towards another number",
        )
    return orig_tn


def _sip_tn(raw: str, home_country: str, role: str, failure: StirFailure) -> str:
    text = raw
    if "<" in text and ">" in text:  # a name-addr: "Name" <sip:+33...@host>
        text = text[text.index("<") + 1 : text.index(">")]
    try:
        e164 = normalize(text, home_country)
    except NumberError as error:
        raise StirError(
            failure, f"the SIP {role} {raw!r} is not a telephone number: {error.reason}"
        ) from None
    if e164 == ANONYMOUS:
        raise StirError(failure, f"the SIP {role} is withheld ({raw!r}); a token signs a number")
    return e164.lstrip("+")


def _shown(raw: str, digits: str) -> str:
    """`raw`, followed by its E.164 form when that differs (0470... -> +32470...)."""
    e164 = "+" + digits
    return raw if raw.strip() == e164 else f"{raw} ({e164})"


def _when(epoch: int) -> str:
    try:
        return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return f"epoch {epoch}"
