"""`GET /v1/alerts` (JSON), `GET /v1/alerts/{id}`, `GET /alerts.atom` (Atom 1.0, public) and
`POST /v1/alerts/refresh` (operator scope: build alerts from new findings and reports now).

Readers trigger a refresh at most every 30 s per worker (`Alerts.refresh_if_stale`), so alerts
follow pushed findings and citizens' reports without a scheduler.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from ringfence.alerts.publish import alert_to_dict, atom_feed
from ringfence.alerts.service import Alerts
from ringfence.api.deps import LanguageDep, LimitedCallerDep, Services, ServicesDep, require
from ringfence.api.problems import ProblemError
from ringfence.api.routes.common import PROBLEM_RESPONSES, json_response

router = APIRouter(tags=["alerts"])
_BUILD = threading.Lock()


def alerts_service(request: Request) -> Alerts:
    """The app's `Alerts` service, built on first use over the app's reputation service."""
    found: Alerts | None = getattr(request.app.state, "alerts", None)
    if found is None:
        with _BUILD:
            found = getattr(request.app.state, "alerts", None)
            if found is None:
                svc: Services = request.app.state.services
                found = Alerts(svc.reputations)
                request.app.state.alerts = found
    return found


@router.get(
    "/v1/alerts",
    response_model=None,
    responses={200: {"description": "Current public alerts"}, **PROBLEM_RESPONSES},
    summary="Current public alerts (campaigns), with advice in en, fr, nl, pt",
)
def list_alerts(
    request: Request,
    svc: ServicesDep,
    lang: LanguageDep,
    who: LimitedCallerDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Active alerts, latest first. Each names the ranges or numbers involved (never the
    innocent owners of spoofed numbers, nor private subscribers) and says what to do."""
    alerts = alerts_service(request)
    alerts.refresh_if_stale()
    home = svc.settings.home_country
    return json_response(
        {
            "generated_at": svc.clock.now().isoformat(),
            "language": lang,
            "alerts": [
                alert_to_dict(a, lang, home_country=home) for a in alerts.current(limit=limit)
            ],
        }
    )


# Declared before /v1/alerts/{alert_id}: the first route that matches a path decides the
# `Allow` header of a 405, and "refresh" must not be taken for an alert id.
@router.post(
    "/v1/alerts/refresh",
    response_model=None,
    responses={200: {"description": "What the refresh did"}, **PROBLEM_RESPONSES},
    dependencies=[require("operator")],
    summary="Build alerts from new findings and report bursts now",
)
def refresh(request: Request) -> Response:
    return json_response(alerts_service(request).refresh().to_dict())


@router.get(
    "/v1/alerts/{alert_id}",
    response_model=None,
    responses={200: {"description": "One alert"}, **PROBLEM_RESPONSES},
    summary="One alert by its id (stable per campaign)",
)
def get_alert(
    request: Request,
    svc: ServicesDep,
    lang: LanguageDep,
    who: LimitedCallerDep,
    alert_id: Annotated[str, Path(min_length=1, max_length=100)],
) -> Response:
    found = alerts_service(request).get(alert_id)
    if found is None:
        raise ProblemError(404, "not-found", f"no alert {alert_id!r}")
    return json_response(alert_to_dict(found, lang, home_country=svc.settings.home_country))


@router.get(
    "/alerts.atom",
    response_model=None,
    responses={
        200: {
            "description": "Atom 1.0 feed of the alerts of the last 30 days",
            "content": {"application/atom+xml": {"schema": {"type": "string"}}},
        },
        **PROBLEM_RESPONSES,
    },
    summary="Alerts as an Atom feed",
)
def atom(request: Request, svc: ServicesDep, lang: LanguageDep, who: LimitedCallerDep) -> Response:
    alerts = alerts_service(request)
    alerts.refresh_if_stale()
    body = atom_feed(
        alerts.recent(days=30),
        language=lang,
        home_country=svc.settings.home_country,
        base_url=str(request.base_url).rstrip("/"),
        now=svc.clock.now(),
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")
