"""Settings of the HTTP API itself (limits and caches), declared once with their reasons.

Why not in `ringfence.settings`: these are properties of one server process (passed to
`create_app` and set by `ringfence serve` flags), not of the whole system.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ringfence.reports.abuse import AbusePolicy


@dataclass(frozen=True, slots=True)
class ApiConfig:
    max_body_bytes: int = 64 * 1024
    """Largest request body (a report with a long e-mail fits in 64 KiB)."""
    max_findings_bytes: int = 8 * 1024 * 1024
    """Largest body of `POST /v1/findings` (a day's findings of a national operator)."""
    max_classify_bytes: int = 256 * 1024
    """Largest body of `POST /v1/messages/classify` (20,000 characters of any script)."""
    anonymous_rate_per_minute: int = 120
    """Requests per minute and per client address without an API key (lookups, reports,
    appeals); clients with a valid key are not limited here (they are known partners)."""
    anonymous_burst: int = 60
    cache_ttl_s: float = 2.0
    """How long a worker reuses a computed lookup answer. Writes through this worker clear the
    cache at once; other workers see them within this delay."""
    cache_entries: int = 100_000
    api_key_ttl_s: float = 30.0
    """How long a worker trusts a checked API key before reading it again (revocation delay)."""
    abuse: AbusePolicy = field(default_factory=AbusePolicy)
