"""A test SHAKEN PKI built once per session with real keys, and a kit to sign tokens with it.

Every certificate is dated relative to the fixed call time `NOW`, so no test depends on the
wall clock. The store trusts one root; other certificates are served at their own URL to
exercise each failure: expired, not yet valid, expired intermediate, untrusted root,
self-signed, P-384 and RSA keys, and a TNAuthList that lists numbers instead of an SPC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from ringfence.stir import (
    TN_AUTH_LIST_OID,
    CertificateStore,
    StirResult,
    TNAuthList,
    build_identity_header,
)
from ringfence.stir import sign_passport as _sign_passport
from ringfence.stir import verify_identity as _verify_identity
from ringfence.stir.jws import SigningKey
from ringfence.stir.testpki import Issued, make_ca, make_leaf

NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
ORIG = "+33123456789"
DEST = "+33612345678"

URL = "https://certs.sp.test/shaken/sp.pem"
URL_TN = "https://certs.sp.test/shaken/tn-list.pem"
URL_EXPIRED = "https://certs.sp.test/shaken/expired.pem"
URL_NOT_YET = "https://certs.sp.test/shaken/not-yet.pem"
URL_INTER_EXPIRED = "https://certs.sp.test/shaken/inter-expired.pem"
URL_UNTRUSTED = "https://certs.rogue.test/shaken/sp.pem"
URL_SELF_SIGNED = "https://certs.rogue.test/shaken/self.pem"
URL_P384 = "https://certs.sp.test/shaken/p384.pem"
URL_RSA = "https://certs.sp.test/shaken/rsa.pem"
URL_NOT_STORED = "https://certs.unknown.test/shaken/sp.pem"
URL_BAD_ISSUER = "https://certs.sp.test/shaken/bad-issuer.pem"
URL_BAD_TNAUTH = "https://certs.sp.test/shaken/bad-tnauth.pem"

TN_LIST = TNAuthList(ranges=(("33123456000", 1000),), numbers=("32470123456",))


def days(n: int) -> timedelta:
    return timedelta(days=n)


@dataclass(frozen=True)
class Kit:
    """The PKI, the store that trusts its root, and helpers that sign and verify."""

    root: Issued
    intermediate: Issued
    leaf: Issued
    leaf_tn: Issued
    leaf_expired: Issued
    leaf_not_yet: Issued
    leaf_inter_expired: Issued
    leaf_untrusted: Issued
    leaf_self_signed: Issued
    leaf_p384: Issued
    leaf_rsa: Issued
    leaf_bad_issuer: Issued
    leaf_bad_tnauth: Issued
    store: CertificateStore

    def token(
        self,
        *,
        key: SigningKey | None = None,
        x5u: str = URL,
        orig: str = ORIG,
        dest: str | list[str] = DEST,
        attest: str = "A",
        iat: datetime | int = NOW,
        header: Mapping[str, Any] | None = None,
        claims: Mapping[str, Any] | None = None,
    ) -> str:
        return _sign_passport(
            key=key or self.leaf.key,
            x5u=x5u,
            orig=orig,
            dest=dest,
            attest=attest,
            origid="123e4567-e89b-12d3-a456-426614174000",
            iat=iat,
            header=header,
            claims=claims,
        )

    def header(self, **kwargs: Any) -> str:
        return build_identity_header(self.token(**kwargs))

    def verify(
        self,
        identity: str | None,
        *,
        orig: str = ORIG,
        dest: str = DEST,
        now: datetime = NOW,
        **kwargs: Any,
    ) -> StirResult:
        return _verify_identity(identity, orig=orig, dest=dest, now=now, certs=self.store, **kwargs)


@pytest.fixture(scope="session")
def kit() -> Kit:
    root = make_ca("Test STI-CA root", not_before=NOW - days(365), not_after=NOW + days(3650))
    inter = make_ca(
        "Test STI-CA intermediate",
        not_before=NOW - days(365),
        not_after=NOW + days(1800),
        issuer=root,
    )
    spc = TNAuthList(spcs=("TEST1",))
    leaf = make_leaf(inter, not_before=NOW - days(30), not_after=NOW + days(335), tnauth=spc)
    leaf_tn = make_leaf(inter, not_before=NOW - days(30), not_after=NOW + days(335), tnauth=TN_LIST)
    expired = make_leaf(inter, not_before=NOW - days(400), not_after=NOW - days(35), tnauth=spc)
    not_yet = make_leaf(inter, not_before=NOW + days(1), not_after=NOW + days(365), tnauth=spc)
    old_inter = make_ca(
        "Test STI-CA old intermediate",
        not_before=NOW - days(900),
        not_after=NOW - days(1),
        issuer=root,
    )
    under_old = make_leaf(old_inter, not_before=NOW - days(30), not_after=NOW + days(335))
    rogue_root = make_ca("Rogue CA", not_before=NOW - days(365), not_after=NOW + days(3650))
    untrusted = make_leaf(
        rogue_root, not_before=NOW - days(30), not_after=NOW + days(335), tnauth=spc
    )
    self_signed = make_ca("Self-signed SP", not_before=NOW - days(30), not_after=NOW + days(335))
    p384 = make_leaf(
        inter,
        not_before=NOW - days(30),
        not_after=NOW + days(335),
        tnauth=spc,
        key=ec.generate_private_key(ec.SECP384R1()),
    )
    rsa_leaf = make_leaf(
        inter,
        not_before=NOW - days(30),
        not_after=NOW + days(335),
        tnauth=spc,
        key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )
    bad_issuer = make_leaf(leaf, not_before=NOW - days(30), not_after=NOW + days(335))
    bad_tnauth = _leaf_with_extension(
        inter, x509.UnrecognizedExtension(TN_AUTH_LIST_OID, bytes.fromhex("3003040100"))
    )
    store = CertificateStore()
    store.trust(root.cert_pem())
    chains = {
        URL: [leaf, inter],
        URL_TN: [leaf_tn, inter],
        URL_EXPIRED: [expired, inter],
        URL_NOT_YET: [not_yet, inter],
        URL_INTER_EXPIRED: [under_old, old_inter],
        URL_UNTRUSTED: [untrusted, rogue_root],
        URL_SELF_SIGNED: [self_signed],
        URL_P384: [p384, inter],
        URL_RSA: [rsa_leaf, inter],
        URL_BAD_ISSUER: [bad_issuer, leaf, inter],
        URL_BAD_TNAUTH: [bad_tnauth, inter],
    }
    for url, chain in chains.items():
        store.add(url, b"".join(issued.cert_pem() for issued in chain))
    return Kit(
        root,
        inter,
        leaf,
        leaf_tn,
        expired,
        not_yet,
        under_old,
        untrusted,
        self_signed,
        p384,
        rsa_leaf,
        bad_issuer,
        bad_tnauth,
        store,
    )


def _leaf_with_extension(issuer: Issued, extension: x509.ExtensionType) -> Issued:
    """A signing certificate carrying `extension` as is (for malformed-extension cases)."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bad TNAuthList SP")]))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - days(30))
        .not_valid_after(NOW + days(335))
        .add_extension(extension, critical=False)
        .sign(issuer.key, hashes.SHA256())
    )
    return Issued(cert, key)
