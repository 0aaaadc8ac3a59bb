"""Pseudonymous reporters: a salted hash of a client token, never the token or an IP in clear.

Why: one vote per reporter per number and per-reporter rate limits need a stable identity, but a
reputation service must not hold personal data it does not need. The client (an app, the web
page) generates a random token once and sends it with each report (`X-Client-Token`); the store
keeps HMAC-SHA-256(salt, token). The salt is generated at random when the store is created and
kept in it, so hashes cannot be compared across deployments or reversed by trying tokens. IP
addresses are hashed the same way (with a different label), for per-IP rate limits only.

>>> p = Pseudonymizer(b"0" * 32)
>>> p.reporter("my-app-install-3f9c2a71") == p.reporter("my-app-install-3f9c2a71")
True
>>> p.reporter("my-app-install-3f9c2a71") != p.ip("my-app-install-3f9c2a71")
True
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ringfence.reports.model import ReportError
from ringfence.reputation.store import Store

SALT_KEY = "reporter_salt"
MIN_TOKEN_CHARS = 16
MAX_TOKEN_CHARS = 256


class Pseudonymizer:
    """Hashes client tokens and IP addresses with the store's salt."""

    def __init__(self, salt: bytes) -> None:
        self._salt = salt

    @classmethod
    def for_store(cls, store: Store) -> Pseudonymizer:
        """Use the store's salt, creating it (32 random bytes) the first time."""
        salt = store.set_meta_if_absent(SALT_KEY, secrets.token_hex(32))
        return cls(bytes.fromhex(salt))

    def reporter(self, token: str) -> str:
        """The pseudonym of a client token (checked first: see `check_token`)."""
        check_token(token)
        return "r-" + self._mac("reporter", token)

    def ip(self, address: str) -> str:
        return "i-" + self._mac("ip", address)

    def _mac(self, label: str, value: str) -> str:
        digest = hmac.new(self._salt, f"{label}\x00{value}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]


def check_token(token: str | None) -> str:
    """Return a usable client token or raise `ReportError` (400) saying what a token is."""
    if token is None or not token.strip():
        raise ReportError(
            "a client token is required (header X-Client-Token): a random string of 16 to 256 "
            "characters that your app generates once and sends with every report",
            field="X-Client-Token",
            status=400,
            code="missing-client-token",
        )
    token = token.strip()
    if not MIN_TOKEN_CHARS <= len(token) <= MAX_TOKEN_CHARS or not token.isprintable():
        raise ReportError(
            f"the client token must be {MIN_TOKEN_CHARS} to {MAX_TOKEN_CHARS} printable "
            f"characters (got {len(token)}); generate a random one, e.g. a UUID",
            field="X-Client-Token",
            status=400,
            code="bad-client-token",
        )
    return token
