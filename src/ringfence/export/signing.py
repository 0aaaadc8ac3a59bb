"""Ed25519 signatures of exported blocklists: the receiver checks the list came from us intact.

Why detached signatures over the exact bytes: every format (plain lines, CSV, JSON, NCID) is
signed the same way, without canonicalising anything: the receiver verifies the file exactly as
downloaded, before parsing it. Why Ed25519: small keys and signatures (32 and 64 bytes), fast,
deterministic, no parameters to get wrong (RFC 8032), in `cryptography`.

Files:
- private key: PKCS#8 PEM, unencrypted, mode 0600 (`blocklist-signing.key`); keep it on the
  exporting machine only;
- public key: SubjectPublicKeyInfo PEM (`blocklist-signing.pub`), published at
  `GET /v1/blocklist/public-key` and given to receivers out of band;
- signature: one line, the base64 of the 64 signature bytes (`<file>.sig`).

The key id is the first 16 hex digits of SHA-256 of the raw public key: receivers holding several
keys (rotation) pick the right one.

>>> import tempfile, pathlib
>>> key, pub = generate_keypair(pathlib.Path(tempfile.mkdtemp()))
>>> signature = sign(b"+393511234567\\n", load_private_key(key))
>>> verify(b"+393511234567\\n", signature, load_public_key(pub.read_bytes()))
True
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PRIVATE_NAME = "blocklist-signing.key"
PUBLIC_NAME = "blocklist-signing.pub"


class SigningError(ValueError):
    """A key or signature that cannot be read or used; the message says how to fix it."""


def generate_keypair(out_dir: Path, *, overwrite: bool = False) -> tuple[Path, Path]:
    """Write a new key pair into `out_dir`; return (private key path, public key path)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    private_path, public_path = out_dir / PRIVATE_NAME, out_dir / PUBLIC_NAME
    existing = [p for p in (private_path, public_path) if p.exists()]
    if existing and not overwrite:
        raise SigningError(
            f"{existing[0]} exists already: a new key would make every receiver's copy of the "
            "public key useless; choose another --out directory (or pass --force to replace it)"
        )
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem)
    os.chmod(private_path, 0o600)
    public_path.write_bytes(public_pem(key.public_key()))
    return private_path, public_path


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningError(f"cannot read the signing key {path}: {error.strerror}") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise SigningError(
            f"{path} is not an unencrypted PEM private key; create one with "
            "`ringfence blocklist keygen --out DIR`"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path} is not an Ed25519 key; create one with `blocklist keygen`")
    return key


def load_public_key(data: bytes, *, where: str = "the public key") -> Ed25519PublicKey:
    """A public key from PEM, or from the base64 of its 32 raw bytes."""
    text = data.strip()
    if text.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text)
        except ValueError:
            raise SigningError(f"{where} is not a valid PEM public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise SigningError(f"{where} is not an Ed25519 public key")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error:
        raw = b""
    if len(raw) != 32:
        raise SigningError(
            f"{where} is neither a PEM public key nor the base64 of 32 raw Ed25519 bytes"
        )
    return Ed25519PublicKey.from_public_bytes(raw)


def sign(data: bytes, key: Ed25519PrivateKey) -> str:
    """The detached signature of `data`: base64 of the 64 bytes, plus a newline."""
    return base64.b64encode(key.sign(data)).decode("ascii") + "\n"


def decode_signature(text: str | bytes, *, where: str = "the signature") -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    try:
        signature = base64.b64decode(raw.strip(), validate=True)
    except binascii.Error:
        signature = b""
    if len(signature) != 64:
        raise SigningError(f"{where} is not the base64 of a 64-byte Ed25519 signature")
    return signature


def verify(data: bytes, signature: str | bytes, key: Ed25519PublicKey) -> bool:
    """True when `signature` (base64 text) signs exactly `data` with `key`."""
    raw = decode_signature(signature)
    try:
        key.verify(raw, data)
    except InvalidSignature:
        return False
    return True
