"""The fast path of `GET /v1/numbers/{number}`: answers sent straight from ASGI.

Why: the lookup is the endpoint citizens' apps call most. Going through routing, dependency
resolution and a `Request` object costs more than computing a cached answer, and about as much
as computing a new one. This middleware checks the same things as the route (a presented API
key must be valid; without one, the anonymous rate limit applies; the language from `?lang=` or
Accept-Language; the number must parse), answers from the worker's cache or computes and caches
the answer exactly as the route does (`Reputations.view(...).to_dict(language)`). Anything else
(an invalid number or key, a limited client, another path or method) goes on to FastAPI, whose
route produces the error and the OpenAPI documentation; a rate-limit token taken here is not
taken twice.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import Headers

from ringfence.api.deps import THROTTLED, Services, negotiate, presented_key
from ringfence.api.limits import ASGIApp, Receive, Scope, Send
from ringfence.api.routes.common import json_bytes
from ringfence.domain.numbers import NumberError, PhoneNumber
from ringfence.reputation.store import StoreError

PREFIX = "/v1/numbers/"


class LookupFastPath:
    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            path: str = scope["path"]
            if path.startswith(PREFIX) and "/" not in path[len(PREFIX) :]:
                body = self._answer(scope, path[len(PREFIX) :])
                if body is not None:
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 200,
                            "headers": [
                                (b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)

    def _answer(self, scope: Scope, raw: str) -> bytes | None:
        if not 0 < len(raw) <= 64:
            return None
        headers = Headers(scope=scope)
        svc = self.services
        key = presented_key(headers)
        if key is not None:
            if svc.keys.check(key) is None:
                return None  # the route answers 401
        else:
            client = scope.get("client")
            if svc.limiter.take(client[0] if client else "unknown") > 0:
                scope.setdefault("state", {})[THROTTLED] = "limited"
                return None  # the route answers 429
            scope.setdefault("state", {})[THROTTLED] = "taken"
        lang = None
        query = scope.get("query_string", b"")
        if query:
            lang = dict(parse_qsl(query.decode("latin-1"))).get("lang")
            if lang is not None and len(lang) > 35:
                return None
        language = negotiate(headers.get("accept-language"), lang)
        try:
            return lookup_body(svc, svc.reputations.parse(raw), language)
        except (NumberError, StoreError):
            return None  # the route answers 422 or 503 (problem+json)


def lookup_body(svc: Services, number: PhoneNumber, language: str) -> bytes:
    """The JSON answer of a lookup, from the worker's cache or computed and cached."""
    key = (number.e164, language)
    body = svc.cache.get(key)
    if body is None:
        body = json_bytes(svc.reputations.view(number).to_dict(language))
        svc.cache.put(key, body)
    return body
