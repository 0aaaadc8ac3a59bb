"""STIR/SHAKEN: verify the SIP Identity header of a call (RFC 8224, 8225, 8588, 8226).

The screener calls `verify_identity` for each call setup and reads a *signal* from it:
`verstat` (passed, failed, no validation) and, when passed, the attestation A/B/C. A passed
verification says which provider signed the caller ID and how well it knows the caller; it is
never a verdict on its own (a scammer's own numbers can be fully attested, and many honest
calls arrive unsigned from networks that do not sign).

    from ringfence.stir import CertificateStore, verify_identity
    store = CertificateStore.from_directory("/etc/ringfence/stir")
    result = verify_identity(identity_header, orig="+33123456789", dest="0612345678",
                             now=call_time, certs=store, home_country="FR")
    result.verstat, result.attestation, result.sip_code, result.reason
"""

from ringfence.stir.certs import CertificateStore, TrustedChain
from ringfence.stir.errors import CertificateStoreError, StirError
from ringfence.stir.header import IdentityHeader, parse_identity_header
from ringfence.stir.passport import (
    ShakenClaims,
    build_identity_header,
    read_shaken_claims,
    sign_passport,
)
from ringfence.stir.result import SIP_REASONS, Attestation, StirFailure, StirResult, Verstat
from ringfence.stir.tnauth import TN_AUTH_LIST_OID, TNAuthList, TNAuthListError
from ringfence.stir.verify import (
    DEFAULT_MAX_AGE_S,
    DEFAULT_MAX_FUTURE_S,
    identity_checker,
    verify_identities,
    verify_identity,
)

__all__ = [
    "DEFAULT_MAX_AGE_S",
    "DEFAULT_MAX_FUTURE_S",
    "SIP_REASONS",
    "TN_AUTH_LIST_OID",
    "Attestation",
    "CertificateStore",
    "CertificateStoreError",
    "IdentityHeader",
    "ShakenClaims",
    "StirError",
    "StirFailure",
    "StirResult",
    "TNAuthList",
    "TNAuthListError",
    "TrustedChain",
    "Verstat",
    "build_identity_header",
    "identity_checker",
    "parse_identity_header",
    "read_shaken_claims",
    "sign_passport",
    "verify_identities",
    "verify_identity",
]
