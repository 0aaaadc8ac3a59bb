"""A throw-away SHAKEN PKI: test root CA, intermediate, signing certificate with TNAuthList.

Why in the package (not only in tests): users try the verifier offline with
`ringfence stir make-test-pki DIR`, and the tests, the benchmark and the SIP front's tests sign
real tokens with these certificates. Nothing here is trusted outside a test store: the names
say "test" and the URL is under `.test` (RFC 2606), which never resolves.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ringfence.stir.certs import INDEX_FILE
from ringfence.stir.jws import SigningKey
from ringfence.stir.tnauth import TNAuthList

DEFAULT_TEST_URL = "https://certs.ringfence.test/shaken/sp.pem"
DEFAULT_TEST_SPC = "TEST"


@dataclass(frozen=True, slots=True)
class Issued:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: SigningKey

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def new_key() -> ec.EllipticCurvePrivateKey:
    """A fresh P-256 key (the only curve ES256 uses)."""
    return ec.generate_private_key(ec.SECP256R1())


def make_ca(
    common_name: str,
    *,
    not_before: datetime,
    not_after: datetime,
    issuer: Issued | None = None,
    key: SigningKey | None = None,
) -> Issued:
    """A CA certificate: self-signed root when `issuer` is None, else an intermediate."""
    key = key or new_key()
    name = _name(common_name)
    builder = (
        _builder(name, issuer.cert.subject if issuer else name, key, not_before, not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
    )
    signer = issuer.key if issuer else key
    return Issued(builder.sign(signer, _hash_for(signer)), key)


def make_leaf(
    issuer: Issued,
    *,
    not_before: datetime,
    not_after: datetime,
    common_name: str = "ringfence test SHAKEN service provider",
    tnauth: TNAuthList | None = None,
    key: SigningKey | None = None,
) -> Issued:
    """A SHAKEN signing certificate issued by `issuer`, with `tnauth` when given."""
    key = key or new_key()
    builder = (
        _builder(_name(common_name), issuer.cert.subject, key, not_before, not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
    )
    if tnauth is not None:
        builder = builder.add_extension(tnauth.to_extension(), critical=False)
    return Issued(builder.sign(issuer.key, _hash_for(issuer.key)), key)


@dataclass(frozen=True, slots=True)
class TestPki:
    """Where `write_test_pki` put things."""

    __test__ = False  # not a pytest test class despite its name

    directory: Path
    url: str
    root_path: Path
    chain_path: Path
    key_path: Path
    index_path: Path
    tnauth: TNAuthList
    not_after: datetime


def write_test_pki(
    directory: str | Path,
    *,
    now: datetime,
    url: str = DEFAULT_TEST_URL,
    tnauth: TNAuthList | None = None,
    valid_days: int = 365,
) -> TestPki:
    """Write a root CA, an intermediate, a signing certificate + key and `index.json`.

    Files: `ca.pem` (trust anchor), `sp.pem` (signing certificate then intermediate, as served
    at `url`), `sp-key.pem` (its P-256 key, mode 0600) and `index.json` for
    `CertificateStore.from_directory`. Existing files of these names are replaced.
    """
    root_dir = Path(directory).expanduser()
    root_dir.mkdir(parents=True, exist_ok=True)
    tnauth = tnauth or TNAuthList(spcs=(DEFAULT_TEST_SPC,))
    start = now - timedelta(days=1)
    root = make_ca(
        "ringfence test STI-CA root", not_before=start, not_after=now + timedelta(days=3650)
    )
    intermediate = make_ca(
        "ringfence test STI-CA intermediate",
        not_before=start,
        not_after=now + timedelta(days=1825),
        issuer=root,
    )
    leaf = make_leaf(
        intermediate,
        not_before=start,
        not_after=now + timedelta(days=valid_days),
        tnauth=tnauth,
    )
    root_path = root_dir / "ca.pem"
    chain_path = root_dir / "sp.pem"
    key_path = root_dir / "sp-key.pem"
    index_path = root_dir / INDEX_FILE
    root_path.write_bytes(root.cert_pem())
    chain_path.write_bytes(leaf.cert_pem() + intermediate.cert_pem())
    _write_private(key_path, leaf.key_pem())
    index = {
        "about": "ringfence test PKI: for offline trials only, never trust it in production",
        "trust_anchors": [root_path.name],
        "certificates": {url: chain_path.name},
    }
    index_path.write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    return TestPki(
        root_dir,
        url,
        root_path,
        chain_path,
        key_path,
        index_path,
        tnauth,
        leaf.cert.not_valid_after_utc,
    )


def load_private_key(path: str | Path) -> SigningKey:
    """Read a PEM private key (EC or RSA, unencrypted) for `ringfence stir sign`."""
    data = Path(path).expanduser().read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, SigningKey):
        raise ValueError(f"{path}: an EC or RSA private key is needed, not {type(key).__name__}")
    return key


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    key: SigningKey,
    not_before: datetime,
    not_after: datetime,
) -> x509.CertificateBuilder:
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _hash_for(key: SigningKey) -> hashes.SHA256 | hashes.SHA384:
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size > 256:
        return hashes.SHA384()
    return hashes.SHA256()


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ringfence test PKI"),
        ]
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    path.chmod(0o600)
