"""`POST /v1/reports` (a citizen's report) and `GET /v1/reports/{id}`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request
from starlette.responses import Response

from ringfence.api.deps import LanguageDep, LimitedCallerDep, ServicesDep
from ringfence.api.problems import ProblemError
from ringfence.api.routes.common import PROBLEM_RESPONSES, json_response, report_out
from ringfence.api.schemas import ReportBody, ReportOut, SubmissionOut
from ringfence.reports.model import ReportError, ReportInput
from ringfence.settings import SettingsError, validate_country

router = APIRouter(tags=["reports"])


@router.post(
    "/v1/reports",
    status_code=201,
    response_model=None,
    responses={201: {"model": SubmissionOut}, **PROBLEM_RESPONSES},
    summary="Report a scam call or message",
)
def post_report(
    body: ReportBody,
    request: Request,
    svc: ServicesDep,
    lang: LanguageDep,
    who: LimitedCallerDep,
    x_client_token: Annotated[
        str | None,
        Header(
            max_length=256,
            description="A random string (16-256 characters) your app generates once and "
            "sends with every report; stored only as a salted hash.",
        ),
    ] = None,
    country: Annotated[
        str | None,
        Query(
            min_length=2,
            max_length=2,
            description="The reporter's country for the referrals (default: the server's).",
        ),
    ] = None,
) -> Response:
    """Store a report (counted at once, or held for a moderator when it is part of a flood),
    and answer with the number's reputation and where else to report it, pre-filled."""
    try:
        home = validate_country(country, source="country") if country else None
    except SettingsError as error:
        raise ProblemError(422, "invalid-country", str(error), field="country") from None
    try:
        data = ReportInput.from_mapping(body.model_dump(exclude_unset=True, mode="json"))
        submission = svc.desk.submit(
            data,
            client_token=x_client_token,
            ip=who.address,
            country=home,
            reply_language=lang,
        )
    except ReportError as error:
        headers = {"Retry-After": str(error.retry_after_s)} if error.retry_after_s else None
        raise ProblemError(
            error.status, error.code, str(error), headers=headers, field=error.field
        ) from None
    svc.cache.clear()
    report = submission.report
    return json_response(
        {
            "report": report_out(report),
            "held_for_moderation": submission.held,
            "reputation": submission.view.to_dict(lang),
            "referrals": [r.to_dict() for r in submission.referrals],
        },
        201,
        headers={"Location": str(request.url_for("get_report", report_id=report.id))},
    )


@router.get(
    "/v1/reports/{report_id}",
    response_model=None,
    responses={200: {"model": ReportOut}, **PROBLEM_RESPONSES},
    summary="A report by its id",
)
def get_report(
    report_id: Annotated[str, Path(min_length=1, max_length=100)],
    svc: ServicesDep,
    who: LimitedCallerDep,
) -> Response:
    """The report as stored (without the reporter's pseudonym), with its status: counted,
    held (waiting for a moderator) or rejected."""
    report = svc.desk.get(report_id)
    if report is None:
        raise ProblemError(404, "not-found", f"no report {report_id!r}")
    return json_response(report_out(report))
