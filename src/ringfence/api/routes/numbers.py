"""`GET /v1/numbers/{number}`: a number's reputation with reasons and advice in the caller's
language; `POST /v1/numbers/{number}/appeals`: its holder contests the level."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Request
from starlette.responses import Response

from ringfence.api.deps import (
    LangQuery,
    LimitedCallerDep,
    ServicesDep,
    identify,
    negotiate,
    services,
    throttle,
)
from ringfence.api.fastpath import lookup_body
from ringfence.api.problems import ProblemError
from ringfence.api.routes.common import (
    PROBLEM_RESPONSES,
    json_response,
    parse_path_number,
)
from ringfence.api.schemas import AppealBody, ModerationOut, NumberOut
from ringfence.reports.model import ReportError
from ringfence.reports.moderation import ModerationError

router = APIRouter(tags=["numbers"])

NumberPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        description="The number in any written form (+32470123456, 0032 470 12 34 56...).",
    ),
]


@router.get(
    "/v1/numbers/{number}",
    response_model=None,
    responses={200: {"model": NumberOut}, **PROBLEM_RESPONSES},
    summary="Reputation of a number",
)
async def get_number(number: NumberPath, request: Request, lang: LangQuery = None) -> Response:
    """Level (safe, unknown, suspicious, scam), score 0-100, state (spoofed), categories,
    counts, first and last seen, reasons and advice in the caller's language
    (`Accept-Language` or `?lang=`: en, fr, nl, pt), and the ranges that contain it.

    Valid lookups are answered by `ringfence.api.fastpath` before routing; this route answers
    the others (its errors) and documents the endpoint. It reads the caller, the rate limit and
    the language with plain calls, as the fast path does."""
    svc = services(request)
    throttle(request, identify(request))
    language = negotiate(request.headers.get("accept-language"), lang)
    body = lookup_body(svc, parse_path_number(svc, number), language)
    return Response(body, media_type="application/json")


@router.post(
    "/v1/numbers/{number}/appeals",
    status_code=201,
    response_model=None,
    responses={201: {"model": ModerationOut}, **PROBLEM_RESPONSES},
    summary="Contest the level of a number (its holder)",
)
def appeal(
    number: NumberPath,
    body: AppealBody,
    svc: ServicesDep,
    who: LimitedCallerDep,
    x_client_token: Annotated[str | None, Header(max_length=256)] = None,
) -> Response:
    """The holder of a number says why its level is wrong; a moderator decides, with the
    evidence as it stands now. One open appeal per number."""
    try:
        item = svc.moderation.appeal(
            number,
            body.statement,
            client_token=x_client_token,
            contact=body.contact,
            pseudonymizer=svc.desk.pseudonymizer,
        )
    except ModerationError as error:
        raise ProblemError(error.status, error.code, str(error)) from None
    except ReportError as error:
        raise ProblemError(error.status, error.code, str(error), field=error.field) from None
    return json_response(
        {
            "id": item.id,
            "kind": item.kind.value,
            "subject": item.subject,
            "status": item.status.value,
            "created_at": item.created_at.isoformat(),
            "updated_at": item.updated_at.isoformat(),
            "details": {"statement": item.details.get("statement")},
            "resolution": None,
            "note": None,
        },
        201,
    )
