"""The outcome of verifying one SIP Identity header: a verstat, an attestation and a SIP code.

Why a signal and not a verdict: STIR/SHAKEN says who *signed* a call and how well the signer
knows the caller (attestation A/B/C), not whether the call is a scam. A fully attested call can
come from a scammer's own numbers, and a call without an Identity header may be a legitimate
call from a network that does not sign. The screener combines this result with the numbering
plan, reputation and live windows; it never blocks on this alone.

Each way a verification can fail is one `StirFailure`, with the SIP response code and reason
phrase a verification service answers (RFC 8224's verifier behaviour and response codes;
ATIS-1000074 for the SHAKEN checks; the mapping is tabled in docs/stir.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Verstat(StrEnum):
    """The values of the `verstat` tel-URI parameter (3GPP TS 24.229)."""

    PASSED = "TN-Validation-Passed"
    FAILED = "TN-Validation-Failed"
    NO_VALIDATION = "No-TN-Validation"


SIP_REASONS: dict[int, str] = {
    403: "Stale Date",
    428: "Use Identity Header",
    436: "Bad Identity Info",
    437: "Unsupported Credential",
    438: "Invalid Identity Header",
}
"""Reason phrases of the SIP response codes used by a verification service (RFC 8224)."""


class StirFailure(StrEnum):
    """Why a verification did not pass. The value is a stable machine name for logs and rules."""

    NO_IDENTITY = "no_identity"
    MALFORMED_HEADER = "malformed_header"
    MALFORMED_JWS = "malformed_jws"
    COMPACT_FORM = "compact_form"
    BAD_TYP = "bad_typ"
    BAD_PPT = "bad_ppt"
    BAD_ALG = "bad_alg"
    PARAM_MISMATCH = "param_mismatch"
    MISSING_CLAIM = "missing_claim"
    BAD_ATTEST = "bad_attest"
    STALE_IAT = "stale_iat"
    FUTURE_IAT = "future_iat"
    ORIG_MISMATCH = "orig_mismatch"
    DEST_MISMATCH = "dest_mismatch"
    NO_INFO = "no_info"
    INFO_MISMATCH = "info_mismatch"
    X5U_NOT_HTTPS = "x5u_not_https"
    X5U_UNKNOWN = "x5u_unknown"
    CERT_NOT_TRUSTED = "cert_not_trusted"
    CERT_EXPIRED = "cert_expired"
    CERT_NOT_YET_VALID = "cert_not_yet_valid"
    CERT_BAD_KEY = "cert_bad_key"
    CERT_INVALID = "cert_invalid"
    TN_NOT_AUTHORIZED = "tn_not_authorized"
    BAD_SIGNATURE = "bad_signature"

    @property
    def sip_code(self) -> int:
        """The SIP response code a verification service answers for this failure."""
        return _SIP_CODE[self]


_SIP_CODE: dict[StirFailure, int] = {
    StirFailure.NO_IDENTITY: 428,
    StirFailure.MALFORMED_HEADER: 438,
    StirFailure.MALFORMED_JWS: 438,
    StirFailure.COMPACT_FORM: 438,
    StirFailure.BAD_TYP: 438,
    StirFailure.BAD_PPT: 438,
    StirFailure.BAD_ALG: 437,
    StirFailure.PARAM_MISMATCH: 438,
    StirFailure.MISSING_CLAIM: 438,
    StirFailure.BAD_ATTEST: 438,
    StirFailure.STALE_IAT: 403,
    StirFailure.FUTURE_IAT: 403,
    StirFailure.ORIG_MISMATCH: 438,
    StirFailure.DEST_MISMATCH: 438,
    StirFailure.NO_INFO: 436,
    StirFailure.INFO_MISMATCH: 436,
    StirFailure.X5U_NOT_HTTPS: 436,
    StirFailure.X5U_UNKNOWN: 436,
    StirFailure.CERT_NOT_TRUSTED: 437,
    StirFailure.CERT_EXPIRED: 437,
    StirFailure.CERT_NOT_YET_VALID: 437,
    StirFailure.CERT_BAD_KEY: 437,
    StirFailure.CERT_INVALID: 437,
    StirFailure.TN_NOT_AUTHORIZED: 437,
    StirFailure.BAD_SIGNATURE: 438,
}


class Attestation(StrEnum):
    """SHAKEN attestation levels (RFC 8588; ATIS-1000074)."""

    FULL = "A"
    """The signer knows the customer and that the customer may use the calling number."""
    PARTIAL = "B"
    """The signer knows the customer but not that the customer may use the number."""
    GATEWAY = "C"
    """The signer only saw the call enter its network (a gateway): no knowledge of the caller."""


@dataclass(frozen=True, slots=True)
class StirResult:
    """One verification. `attestation` is set only when the verification passed: an unverified
    claim is worth nothing. `origid` and `x5u` are given as read from the token (for tracing)
    whenever the token could be decoded, verified or not."""

    verstat: Verstat
    attestation: Attestation | None
    sip_code: int | None
    sip_reason: str | None
    reason: str
    origid: str | None = None
    x5u: str | None = None
    failure: StirFailure | None = None

    @property
    def passed(self) -> bool:
        return self.verstat is Verstat.PASSED

    @classmethod
    def ok(cls, attestation: Attestation, origid: str, x5u: str) -> StirResult:
        return cls(
            Verstat.PASSED,
            attestation,
            None,
            None,
            f"signature valid, attestation {attestation.value}, certificate trusted",
            origid,
            x5u,
        )

    @classmethod
    def fail(
        cls,
        failure: StirFailure,
        reason: str,
        *,
        origid: str | None = None,
        x5u: str | None = None,
    ) -> StirResult:
        verstat = Verstat.NO_VALIDATION if failure is StirFailure.NO_IDENTITY else Verstat.FAILED
        code = failure.sip_code
        return cls(verstat, None, code, SIP_REASONS[code], reason, origid, x5u, failure)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (enums as their strings)."""
        return {
            "verstat": self.verstat.value,
            "attestation": self.attestation.value if self.attestation else None,
            "sip_code": self.sip_code,
            "sip_reason": self.sip_reason,
            "reason": self.reason,
            "origid": self.origid,
            "x5u": self.x5u,
            "failure": self.failure.value if self.failure else None,
        }
