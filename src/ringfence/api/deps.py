"""What every route needs, built once per app: the services over the store, the caller's
identity (API key, client address) and the anonymous rate limit."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers

from ringfence.api.cache import LookupCache
from ringfence.api.config import ApiConfig
from ringfence.api.keys import KeyChecker, grants
from ringfence.api.limits import TokenBuckets, retry_after
from ringfence.api.problems import ProblemError
from ringfence.domain.clock import Clock
from ringfence.reports.desk import ReportDesk
from ringfence.reports.moderation import Moderation
from ringfence.reputation.blocklist import Blocklist
from ringfence.reputation.explain import pick_language
from ringfence.reputation.findings import FindingsApplier
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import ApiKeyRecord, Store
from ringfence.settings import Settings


@dataclass
class Services:
    settings: Settings
    store: Store
    clock: Clock
    config: ApiConfig
    reputations: Reputations
    desk: ReportDesk
    moderation: Moderation
    blocklist: Blocklist
    findings: FindingsApplier
    keys: KeyChecker
    limiter: TokenBuckets
    cache: LookupCache

    @classmethod
    def build(cls, settings: Settings, store: Store, clock: Clock, config: ApiConfig) -> Services:
        reputations = Reputations(store, clock, home_country=settings.home_country)
        return cls(
            settings=settings,
            store=store,
            clock=clock,
            config=config,
            reputations=reputations,
            desk=ReportDesk(reputations, abuse=config.abuse),
            moderation=Moderation(reputations),
            blocklist=Blocklist(reputations),
            findings=FindingsApplier(reputations),
            keys=KeyChecker(store, ttl_s=config.api_key_ttl_s),
            limiter=TokenBuckets(
                rate_per_minute=config.anonymous_rate_per_minute, burst=config.anonymous_burst
            ),
            cache=LookupCache(ttl_s=config.cache_ttl_s, max_entries=config.cache_entries),
        )


def services(request: Request) -> Services:
    """The app's services (a plain function: call it, or depend on `ServicesDep`)."""
    found: Services = request.app.state.services
    return found


async def _services_dep(request: Request) -> Services:
    return services(request)


ServicesDep = Annotated[Services, Depends(_services_dep)]
"""Dependencies are async so that FastAPI does not hop to a thread for each of them."""

_api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An API key created by `ringfence apikey create`.",
)
_bearer = HTTPBearer(auto_error=False, description="The same API key as a Bearer token.")


@dataclass(frozen=True, slots=True)
class Caller:
    key: ApiKeyRecord | None
    address: str


def presented_key(headers: Headers) -> str | None:
    """The API key sent as `X-API-Key` or `Authorization: Bearer`, if any."""
    key = headers.get("x-api-key")
    if key:
        return key.strip()
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return None


def _check_key(request: Request, presented: str | None) -> Caller:
    address = request.client.host if request.client else "unknown"
    if presented is None:
        return Caller(None, address)
    record = services(request).keys.check(presented)
    if record is None:
        raise ProblemError(
            401,
            "bad-api-key",
            "the API key is unknown or revoked; create one with `ringfence apikey create`",
            headers={"WWW-Authenticate": 'Bearer realm="ringfence"'},
        )
    return Caller(record, address)


THROTTLED = "ringfence_throttled"
"""Key in the ASGI scope's state: the lookup fast path already applied the anonymous limit."""


def identify(request: Request) -> Caller:
    """`caller` as a plain function, for routes that avoid the dependency machinery."""
    return _check_key(request, presented_key(request.headers))


def throttle(request: Request, who: Caller) -> None:
    """The anonymous rate limit as a plain function (clients with a valid key are exempt; a
    token the lookup fast path already took is not taken again)."""
    if who.key is None and request.scope.get("state", {}).get(THROTTLED) != "taken":
        wait = services(request).limiter.take(who.address)
        if wait > 0:
            raise ProblemError(
                429,
                "rate-limited",
                "too many requests from this address; slow down or use an API key",
                headers={"Retry-After": retry_after(wait)},
            )


async def caller(request: Request) -> Caller:
    """Who calls a public endpoint: an optional API key (401 when one is given but unknown or
    revoked). Public endpoints do not declare a security scheme: a key is optional there."""
    return _check_key(request, presented_key(request.headers))


async def key_holder(
    request: Request,
    api_key: Annotated[str | None, Security(_api_key_header)] = None,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
) -> Caller:
    """Who calls a protected endpoint (declares the two security schemes in OpenAPI)."""
    presented = api_key or (bearer.credentials if bearer else None)
    return _check_key(request, presented.strip() if presented else None)


CallerDep = Annotated[Caller, Depends(caller)]


async def limited_caller(request: Request, who: CallerDep) -> Caller:
    """The caller, after the anonymous rate limit (clients with a valid key are exempt)."""
    throttle(request, who)
    return who


LimitedCallerDep = Annotated[Caller, Depends(limited_caller)]


def require(scope: str) -> Any:
    """A dependency that lets through callers whose key grants `scope` (401/403 otherwise)."""

    async def check(who: Annotated[Caller, Depends(key_holder)]) -> Caller:
        if who.key is None:
            raise ProblemError(
                401,
                "api-key-required",
                f"this endpoint needs an API key with the {scope!r} scope "
                "(header X-API-Key or Authorization: Bearer)",
                headers={"WWW-Authenticate": 'Bearer realm="ringfence"'},
            )
        if not grants(who.key, scope):
            raise ProblemError(
                403,
                "missing-scope",
                f"the key {who.key.name!r} has the scopes {', '.join(who.key.scopes)}; "
                f"this endpoint needs {scope!r}",
            )
        return who

    return Depends(check)


@lru_cache(maxsize=4096)
def negotiate(header: str | None, override: str | None) -> str:
    """The reply language from `?lang=` and `Accept-Language` (cached: headers repeat)."""
    return pick_language(override) if override else pick_language(header)


async def language(
    request: Request,
    lang: Annotated[
        str | None, Query(max_length=35, description="Reply language: en, fr, nl or pt.")
    ] = None,
) -> str:
    """The reply language: `?lang=` first, then Accept-Language, then English."""
    return negotiate(request.headers.get("accept-language"), lang)


LanguageDep = Annotated[str, Depends(language)]
LangQuery = Annotated[
    str | None, Query(max_length=35, description="Reply language: en, fr, nl or pt.")
]
