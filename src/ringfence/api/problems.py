"""Errors as `application/problem+json` (RFC 9457): what went wrong, where, and how to fix it.

Why one format: a citizen's app, an operator's script and a browser all get the same shape for
every error (`type`, `title`, `status`, `detail`, `instance`, plus `errors` naming fields), and
no error ever leaks a stack trace. Invalid input is 4xx, never 500.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from ringfence.reputation.store import StoreError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class ProblemError(Exception):
    """Raise anywhere in a route to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


_FASTAPI_UNPARSABLE_BODY = "There was an error parsing the body"
"""FastAPI's detail for a body it could not decode (not the JSON decode errors, handled apart)."""


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": f"urn:ringfence:problem:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return Response(
        json.dumps(body, ensure_ascii=False, default=str),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def install(app: FastAPI) -> None:
    """Register the problem handlers on `app`."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError) -> Response:
        return problem_response(
            error.status,
            error.code,
            error.detail,
            instance=request.url.path,
            headers=error.headers,
            **error.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        errors = sorted(
            (_field_error(e) for e in error.errors()), key=lambda e: e["type"] != "extra_forbidden"
        )
        if any(e["type"] == "json_invalid" for e in errors):
            return problem_response(
                400,
                "invalid-json",
                "the request body is not valid JSON",
                instance=request.url.path,
                errors=errors,
            )
        first = errors[0] if errors else {"field": "?", "message": "invalid request"}
        detail = f"{first['field']}: {first['message']}"
        if first.get("type") == "extra_forbidden":
            detail = (
                f"unknown field {first['field'].split('.')[-1]!r}: remove it or check its spelling"
            )
        return problem_response(
            422, "invalid-request", detail, instance=request.url.path, errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        code = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
        detail = str(error.detail) if error.detail else HTTPStatus(error.status_code).phrase
        if error.status_code == 404 and detail == "Not Found":
            detail = f"no resource at {request.url.path}; see /docs for the API"
        if error.status_code == 400 and detail == _FASTAPI_UNPARSABLE_BODY:
            # FastAPI's words when the body cannot even be decoded (bytes that are not UTF-8):
            # the same problem as malformed JSON, said with what to send instead.
            code = "invalid-json"
            detail = "the request body is not JSON text: send a JSON object encoded in UTF-8"
        return problem_response(
            error.status_code,
            code,
            detail,
            instance=request.url.path,
            headers=dict(error.headers or {}),
        )

    @app.exception_handler(StoreError)
    async def _store(request: Request, error: StoreError) -> Response:
        log.error("store error on %s: %s", request.url.path, error)
        return problem_response(
            503,
            "store-unavailable",
            "the reputation store is unavailable; try again later",
            instance=request.url.path,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return problem_response(
            500,
            "internal-error",
            "an unexpected error occurred; it has been logged",
            instance=request.url.path,
        )


def _field_error(error: Any) -> dict[str, Any]:
    location = [str(part) for part in error.get("loc", ())]
    return {
        "field": ".".join(location) or "body",
        "message": str(error.get("msg", "invalid")),
        "type": str(error.get("type", "")),
    }
