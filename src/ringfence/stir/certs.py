"""Certificates for STIR: `x5u` URL -> PEM chain, trust anchors, chain and date checks.

Why a local store and no fetching: a verifier on the call path cannot wait for an HTTPS
download, and tests must run offline. Real deployments mirror the certificates their peers
publish (and the STI-PA's list of trusted STI-CAs) into a directory; this store reads it. A URL
that is not in the store is treated as "cannot be dereferenced" (436 Bad Identity Info).

Why a cache of validated chains: checking a chain costs one signature verification per link;
a provider signs millions of calls with one certificate. The chain is validated once per URL
(issuers, signatures, CA flags, trust anchor), and each call then only compares its time with
the chain's validity window. Adding a certificate or an anchor clears the cache.

Directory layout read by `CertificateStore.from_directory(path)`: `path/index.json`

    {
      "trust_anchors": ["ca.pem"],
      "certificates": {"https://certs.example.test/sp.pem": "sp-chain.pem"}
    }

File names are relative to the directory; a chain file holds the signing certificate first,
then its intermediates (as served at the `x5u` URL, ATIS-1000080).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec

from ringfence.stir.errors import CertificateStoreError, StirError
from ringfence.stir.result import StirFailure
from ringfence.stir.tnauth import TNAuthList, TNAuthListError

INDEX_FILE = "index.json"
MAX_CHAIN_DEPTH = 6
"""Longest path from the signing certificate to an anchor (SHAKEN uses 2 or 3)."""


@dataclass(frozen=True, slots=True)
class TrustedChain:
    """A chain that links the signing certificate to a trust anchor, with its validity window
    (the latest notBefore and the earliest notAfter over the whole path)."""

    url: str
    path: tuple[x509.Certificate, ...]
    public_key: ec.EllipticCurvePublicKey
    tnauth: TNAuthList | None
    not_before: datetime
    not_after: datetime

    @property
    def leaf(self) -> x509.Certificate:
        return self.path[0]


class CertificateStore:
    """`x5u` URLs mapped to PEM chains, plus the trust anchors the chains must lead to.

    >>> store = CertificateStore()
    >>> len(store), "https://x.test/c.pem" in store
    (0, False)
    """

    def __init__(self) -> None:
        self._chains: dict[str, tuple[x509.Certificate, ...]] = {}
        self._anchors: list[x509.Certificate] = []
        self._cache: dict[str, TrustedChain | tuple[StirFailure, str]] = {}

    @classmethod
    def from_directory(cls, path: str | Path) -> CertificateStore:
        """Read `path/index.json` and the PEM files it names (see the module docstring)."""
        root = Path(path).expanduser()
        index_path = root / INDEX_FILE
        if not index_path.is_file():
            raise CertificateStoreError(
                f"{index_path}: no certificate index here. Create it with "
                "`ringfence stir make-test-pki DIR` or write "
                '{"trust_anchors": ["ca.pem"], "certificates": {"https://...": "chain.pem"}}'
            )
        try:
            index = json.loads(index_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CertificateStoreError(f"{index_path}: not readable JSON ({error})") from None
        if not isinstance(index, dict):
            raise CertificateStoreError(f"{index_path}: the index must be a JSON object")
        anchors = index.get("trust_anchors", [])
        certificates = index.get("certificates", {})
        if not isinstance(anchors, list) or not all(isinstance(a, str) for a in anchors):
            raise CertificateStoreError(
                f"{index_path}: 'trust_anchors' must be a list of PEM file names"
            )
        if not isinstance(certificates, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in certificates.items()
        ):
            raise CertificateStoreError(
                f"{index_path}: 'certificates' must map x5u URLs to PEM file names"
            )
        store = cls()
        for name in anchors:
            store.trust(_read_pem(root, name, "trust anchor"))
        for url, name in certificates.items():
            store.add(url, _read_pem(root, name, f"chain of {url}"))
        return store

    def add(self, url: str, pem_chain: str | bytes) -> None:
        """Serve `pem_chain` (signing certificate first, then intermediates) for `url`."""
        if not url.strip():
            raise CertificateStoreError("a certificate URL is empty; give the x5u URL")
        self._chains[url] = tuple(_load_pem(pem_chain, f"the chain of {url}"))
        self._cache.clear()

    def trust(self, anchor_pem: str | bytes) -> None:
        """Trust every certificate in `anchor_pem` as a root (an STI-CA of the STI-PA's list)."""
        for cert in _load_pem(anchor_pem, "the trust anchor"):
            if cert not in self._anchors:
                self._anchors.append(cert)
        self._cache.clear()

    def __contains__(self, url: object) -> bool:
        return url in self._chains

    def __len__(self) -> int:
        return len(self._chains)

    @property
    def urls(self) -> list[str]:
        return sorted(self._chains)

    @property
    def anchors(self) -> Sequence[x509.Certificate]:
        return tuple(self._anchors)

    def resolve(self, url: str, at: datetime) -> TrustedChain:
        """The trusted chain for `url`, valid at `at`; raise `StirError` (436/437) otherwise."""
        entry = self._cache.get(url)
        if entry is None:
            try:
                entry = self._validate(url)
            except StirError as error:
                entry = (error.failure, str(error))
            self._cache[url] = entry
        if isinstance(entry, tuple):
            raise StirError(*entry)
        if not entry.not_before <= at <= entry.not_after:
            raise StirError(*_date_failure(entry.path, at))
        return entry

    def _validate(self, url: str) -> TrustedChain:
        certs = self._chains.get(url)
        if certs is None:
            raise StirError(
                StirFailure.X5U_UNKNOWN,
                f"the certificate {url} is not in the local certificate store, so it cannot be "
                "dereferenced",
            )
        leaf = certs[0]
        key = leaf.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
            kind = key.curve.name if isinstance(key, ec.EllipticCurvePublicKey) else "non-EC"
            raise StirError(
                StirFailure.CERT_BAD_KEY,
                f"the certificate {_name(leaf)} holds a {kind} key; ES256 needs a P-256 key",
            )
        try:
            tnauth = TNAuthList.of_certificate(leaf)
        except TNAuthListError as error:
            raise StirError(
                StirFailure.CERT_INVALID, f"the certificate's TNAuthList is unreadable: {error}"
            ) from None
        path = _path_to_anchor(leaf, certs[1:], self._anchors)
        not_before = max(c.not_valid_before_utc for c in path)
        not_after = min(c.not_valid_after_utc for c in path)
        return TrustedChain(url, tuple(path), key, tnauth, not_before, not_after)


def _path_to_anchor(
    leaf: x509.Certificate,
    intermediates: Iterable[x509.Certificate],
    anchors: Sequence[x509.Certificate],
) -> list[x509.Certificate]:
    """The certificates from `leaf` to a trust anchor (anchor included); `StirError` if none."""
    path = [leaf]
    pool = list(intermediates)
    current = leaf
    for _ in range(MAX_CHAIN_DEPTH):
        if current in anchors:
            return path
        anchor = _issuer_among(current, anchors)
        if anchor is not None:
            path.append(anchor)
            return path
        issuer = _issuer_among(current, pool)
        if issuer is None:
            raise StirError(
                StirFailure.CERT_NOT_TRUSTED,
                f"the certificate {_name(leaf)} is not chained to a trusted anchor: the issuer "
                f"{current.issuer.rfc4514_string()!r} of {_name(current)} is neither a trust "
                "anchor nor a certificate of the x5u chain that signed it",
            )
        if not _is_ca(issuer):
            raise StirError(
                StirFailure.CERT_INVALID,
                f"the intermediate {_name(issuer)} is not a CA certificate (basicConstraints)",
            )
        path.append(issuer)
        pool.remove(issuer)
        current = issuer
    raise StirError(
        StirFailure.CERT_NOT_TRUSTED,
        f"the chain of {_name(leaf)} is longer than {MAX_CHAIN_DEPTH} certificates",
    )


def _issuer_among(
    cert: x509.Certificate, candidates: Iterable[x509.Certificate]
) -> x509.Certificate | None:
    for candidate in candidates:
        if candidate.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(candidate)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return candidate
    return None


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return constraints.ca


def _date_failure(path: Sequence[x509.Certificate], at: datetime) -> tuple[StirFailure, str]:
    when = at.isoformat(timespec="seconds")
    for cert in path:
        role = "signing certificate" if cert is path[0] else "issuer certificate"
        if at > cert.not_valid_after_utc:
            expired = cert.not_valid_after_utc.isoformat(timespec="seconds")
            return (
                StirFailure.CERT_EXPIRED,
                f"the {role} {_name(cert)} expired on {expired}, before the call at {when}",
            )
        if at < cert.not_valid_before_utc:
            start = cert.not_valid_before_utc.isoformat(timespec="seconds")
            return (
                StirFailure.CERT_NOT_YET_VALID,
                f"the {role} {_name(cert)} is valid only from {start}, after the call at {when}",
            )
    return StirFailure.CERT_EXPIRED, f"the certificate chain is not valid at {when}"


def _name(cert: x509.Certificate) -> str:
    return repr(cert.subject.rfc4514_string() or f"serial {cert.serial_number}")


def _load_pem(data: str | bytes, what: str) -> list[x509.Certificate]:
    raw = data.encode("ascii", errors="replace") if isinstance(data, str) else data
    try:
        certs = x509.load_pem_x509_certificates(raw)
    except ValueError as error:
        raise CertificateStoreError(
            f"{what} is not PEM certificates (-----BEGIN CERTIFICATE-----): {error}"
        ) from None
    if not certs:
        raise CertificateStoreError(f"{what} holds no certificate")
    return certs


def _read_pem(root: Path, name: str, what: str) -> bytes:
    path = root / name
    try:
        return path.read_bytes()
    except OSError as error:
        raise CertificateStoreError(
            f"{path}: cannot read the {what} named in {root / INDEX_FILE} ({error.strerror})"
        ) from None
