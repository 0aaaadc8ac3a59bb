"""API keys with scopes: created by the CLI, stored hashed, checked on each request.

Scopes: `citizen` (an app: lookups and reports without the anonymous rate limit), `operator`
(push findings, read blocklist deltas, record decisions), `moderator` (moderation queue and
appeals) and `admin` (everything). A key is shown once, at creation; the store keeps its
SHA-256 only, so a leaked database does not leak usable keys.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Iterable

from ringfence.domain.clock import Clock
from ringfence.reputation.store import ApiKeyRecord, Store

SCOPES = ("citizen", "operator", "moderator", "admin")
KEY_PREFIX = "rf_"


class ApiKeyError(ValueError):
    """A key request that cannot be done (unknown scope, empty name)."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(
    store: Store, name: str, scopes: Iterable[str], clock: Clock
) -> tuple[str, ApiKeyRecord]:
    """Create a key; return the key (show it once) and its stored record."""
    wanted = tuple(dict.fromkeys(s.strip().lower() for s in scopes if s.strip()))
    unknown = [s for s in wanted if s not in SCOPES]
    if not wanted or unknown:
        raise ApiKeyError(
            f"scopes must be among {', '.join(SCOPES)}; got {', '.join(wanted) or 'none'}"
        )
    if not name.strip():
        raise ApiKeyError("give the key a name (who or what uses it), e.g. --name 'operator-x'")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiKeyRecord(
        id=f"key-{secrets.token_hex(6)}",
        key_hash=hash_key(key),
        name=name.strip()[:200],
        scopes=wanted,
        created_at=clock.now(),
    )
    store.add_api_key(record)
    return key, record


def grants(record: ApiKeyRecord, scope: str) -> bool:
    """True when `record` may act in `scope` (admin may do everything; any key is a citizen)."""
    return "admin" in record.scopes or scope in record.scopes or scope == "citizen"


class KeyChecker:
    """Checks presented keys against the store, remembering answers for `ttl_s` seconds."""

    def __init__(self, store: Store, *, ttl_s: float = 30.0) -> None:
        self.store = store
        self.ttl_s = ttl_s
        self._seen: dict[str, tuple[float, ApiKeyRecord | None]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> ApiKeyRecord | None:
        """The valid (not revoked) record of `key`, or None."""
        digest = hash_key(key)
        now = time.monotonic()
        with self._lock:
            hit = self._seen.get(digest)
        if hit is not None and now - hit[0] < self.ttl_s:
            return hit[1]
        record = self.store.api_key_by_hash(digest)
        if record is not None and record.revoked_at is not None:
            record = None
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[digest] = (now, record)
        return record
