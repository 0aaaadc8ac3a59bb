"""Helpers shared by the route modules: JSON bytes, report bodies, the number from a path."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from ringfence.api.deps import Services
from ringfence.api.problems import PROBLEM_JSON, ProblemError
from ringfence.domain.numbers import NumberError, PhoneNumber
from ringfence.reputation.store import ReportRecord

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {PROBLEM_JSON: {"schema": {"type": "object"}}}}
    for status, text in {
        400: "Bad request (malformed JSON, missing or bad client token)",
        401: "Missing or bad API key",
        403: "The API key lacks the scope",
        404: "Not found",
        409: "Conflict (already reported, already resolved)",
        413: "Body too large",
        422: "Invalid input (the problem names the field)",
        429: "Rate limited (see Retry-After)",
        503: "Store or classifier unavailable",
    }.items()
}


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json_bytes(data), status_code=status, media_type="application/json", headers=headers
    )


def parse_path_number(svc: Services, raw: str) -> PhoneNumber:
    try:
        return svc.reputations.parse(raw)
    except NumberError as error:
        raise ProblemError(422, "invalid-number", str(error), field="number") from None


def report_out(report: ReportRecord) -> dict[str, Any]:
    """The public form of a report: no reporter pseudonym, no address hash."""
    return {
        "id": report.id,
        "number": report.number,
        "occurred_at": report.occurred_at.isoformat(),
        "received_at": report.received_at.isoformat(),
        "channel": report.channel,
        "category": report.category,
        "suggested_category": report.suggested_category,
        "text": report.text,
        "called_back": report.called_back,
        "money_lost": report.money_lost,
        "language": report.language,
        "source": report.source,
        "status": report.status.value,
    }
