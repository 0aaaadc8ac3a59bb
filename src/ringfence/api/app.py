"""`create_app(settings, store, clock) -> FastAPI`: the HTTP API of ringfence.

Why a factory with everything passed in: tests build an app over a temporary store with a
`FixedClock`; `ringfence serve` builds one per worker over the configured store. Nothing is
created at import time.
"""

from __future__ import annotations

from importlib import metadata

from fastapi import FastAPI

from ringfence.api import problems
from ringfence.api.config import ApiConfig
from ringfence.api.deps import Services
from ringfence.api.fastpath import LookupFastPath
from ringfence.api.limits import BodyLimit
from ringfence.api.routes import (
    health,
    lookup,
    messages,
    moderation,
    numbers,
    operator,
    reports,
    screen,
)
from ringfence.domain.clock import Clock
from ringfence.reputation.store import Store
from ringfence.settings import Settings

DESCRIPTION = """
Number reputation, citizens' reports, moderation and blocklists of **ringfence**.

- Citizens: `GET /v1/numbers/{number}` (reasons and advice in en, fr, nl, pt), the
  k-anonymous `GET /v1/lookup?prefix=`, `POST /v1/reports` (send `X-Client-Token`).
- Operators (API key with the `operator` scope): `POST /v1/findings`,
  `GET /v1/blocklist?since=`, `POST /v1/decisions`.
- Moderators: `GET /v1/moderation`, `POST /v1/moderation/{id}/resolve`.

Errors are `application/problem+json` (RFC 9457). A number shown by scammers usually belongs to
an innocent person: lookups say so, and such numbers are never blocklisted.
"""


def _version() -> str:
    try:
        return metadata.version("ringfence")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def create_app(
    settings: Settings, store: Store, clock: Clock, *, config: ApiConfig | None = None
) -> FastAPI:
    """The API over `store`; `config` sets limits and caches (defaults in `ApiConfig`)."""
    config = config or ApiConfig()
    app = FastAPI(
        title="ringfence",
        version=_version(),
        description=DESCRIPTION,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.services = Services.build(settings, store, clock, config)
    problems.install(app)
    for module in (health, numbers, lookup, reports, moderation, operator, messages, screen):
        app.include_router(module.router)
    # Imported here: these modules import ringfence.api.deps, which imports this package.
    from ringfence.alerts.routes import router as alerts_router
    from ringfence.export.routes import router as export_router
    from ringfence.web.routes import router as web_router

    for router in (alerts_router, export_router, web_router):
        app.include_router(router)
    app.add_middleware(LookupFastPath, services=app.state.services)
    app.add_middleware(
        BodyLimit,
        default=config.max_body_bytes,
        larger={
            "/v1/findings": config.max_findings_bytes,
            "/v1/messages/classify": config.max_classify_bytes,
        },
    )
    return app
