"""The analysts' dashboard (operator scope): campaigns of the latest analysis with charts, and,
for moderators, the moderation queue and the appeals with their decisions.

"The latest analysis" is every finding applied within `ANALYSIS_WINDOW_S` (6 hours) of the most
recent one: an analysis pushes its findings together, so this groups one run without needing a
run id. Operators see the campaigns' own titles and figures (they run the network); the queue
and appeals hold citizens' statements and contacts, so they need the moderator scope.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from typing import Any

import phonenumbers
from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from ringfence.alerts.storage import AlertStore
from ringfence.api.deps import Services
from ringfence.api.keys import grants
from ringfence.domain.findings import Finding, SubjectRole
from ringfence.domain.numbers import NumberRange
from ringfence.reports.moderation import ModerationError
from ringfence.reputation.store import ModerationKind, ModerationStatus
from ringfence.web.charts import bar_chart, timeline
from ringfence.web.i18n import choose_language
from ringfence.web.render import page
from ringfence.web.security import KEY_COOKIE, analyst, app_services

router = APIRouter(include_in_schema=False)

ANALYSIS_WINDOW_S = 6 * 3600
MAX_CAMPAIGNS = 200


@router.get("/dashboard")
def dashboard_page(request: Request) -> Response:
    svc = app_services(request)
    record = analyst(request, svc, "operator")
    if record is None:
        presented = bool(request.cookies.get(KEY_COOKIE) or request.headers.get("x-api-key"))
        return page(request, "login.html", status=401 if presented else 200, bad=presented)
    moderator = analyst(request, svc, "moderator") is not None
    context = campaigns_context(svc)
    if moderator:
        items = svc.moderation.queue(ModerationStatus.OPEN, 200)
        context["floods"] = [i for i in items if i.kind is ModerationKind.FLOOD]
        context["appeals"] = [i for i in items if i.kind is ModerationKind.APPEAL]
        context["form_token"] = _key_token(request)
    return page(request, "dashboard.html", who=record.name, moderator=moderator, **context)


def campaigns_context(svc: Services) -> dict[str, Any]:
    """Campaigns of the latest analysis, their charts and table rows."""
    rows = AlertStore(svc.store).latest_findings(ANALYSIS_WINDOW_S, MAX_CAMPAIGNS)
    findings = [(Finding.from_json(body), at) for body, at in rows]
    by_range: Counter[str] = Counter()
    by_country: Counter[str] = Counter()
    for finding, _ in findings:
        calls = int(finding.counts.get("calls", finding.counts.get("callbacks", 0)))
        rng = _range_of(finding)
        if rng:
            by_range[rng] += calls
        country = _country_of(finding, rng)
        if country:
            by_country[country] += calls
    spans = [(f.title, f.first_seen, f.last_seen) for f, _ in findings]
    return {
        "campaigns": [
            {
                "detector": f.detector,
                "kind": f.kind,
                "title": f.title,
                "score": f.score,
                "calls": int(f.counts.get("calls", f.counts.get("callbacks", 0))),
                "people": int(
                    f.counts.get("distinct_callees", f.counts.get("subscribers_at_risk", 0))
                ),
                "first": f.first_seen,
                "last": f.last_seen,
            }
            for f, _ in sorted(findings, key=lambda item: -item[0].score)
        ],
        "analysis_at": max((at for _, at in findings), default=None),
        "chart_timeline": timeline("timeline", spans, "chart-timeline"),
        "chart_ranges": bar_chart("ranges", list(by_range.items()), "chart-ranges"),
        "chart_countries": bar_chart("countries", list(by_country.items()), "chart-countries"),
        "by_range": by_range.most_common(12),
        "by_country": by_country.most_common(12),
    }


def _range_of(finding: Finding) -> str | None:
    for key in ("range", "cli_range"):
        value = finding.details.get(key)
        if isinstance(value, str) and value.startswith("+"):
            return value
    ranges = finding.subjects_with(SubjectRole.SOURCE_RANGE)
    return ranges[0] if ranges else None


def _country_of(finding: Finding, rng: str | None) -> str | None:
    country = finding.details.get("country")
    if isinstance(country, str) and len(country) == 2:
        return country.upper()
    if rng:
        try:
            code = NumberRange.parse(rng).country_code
        except ValueError:
            return None
        if code is not None:
            return str(phonenumbers.region_code_for_country_code(code))
    return None


def _key_token(request: Request) -> str:
    """A form token bound to the analyst's key: a page elsewhere cannot know it."""
    key = request.cookies.get(KEY_COOKIE) or request.headers.get("x-api-key") or ""
    return hmac.new(key.encode(), b"ringfence-dashboard", hashlib.sha256).hexdigest()[:32]


@router.post("/dashboard/login")
async def login(request: Request) -> Response:
    form = await request.form()
    key = str(form.get("api_key") or "").strip()
    svc = app_services(request)
    record = svc.keys.check(key) if key and len(key) <= 256 else None
    if record is None or not grants(record, "operator"):
        return page(request, "login.html", status=401, bad=True)
    response = RedirectResponse("/dashboard", status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(KEY_COOKIE, key, httponly=True, samesite="strict", secure=secure)
    return response


@router.post("/dashboard/logout")
def logout() -> Response:
    response = RedirectResponse("/dashboard", status_code=303)
    response.delete_cookie(KEY_COOKIE)
    return response


@router.post("/dashboard/moderation/{item_id}")
async def resolve(request: Request, item_id: str) -> Response:
    svc = app_services(request)
    record = analyst(request, svc, "moderator")
    lang, _ = choose_language(request)
    if record is None:
        return page(request, "login.html", status=401, bad=True)
    form = await request.form()
    if not hmac.compare_digest(_key_token(request), str(form.get("form_token") or "")):
        return page(request, "error.html", status=400, message="reload the dashboard and retry")
    action = str(form.get("action") or "")
    note = str(form.get("note") or "").strip()[:2000] or f"{action} from the dashboard"
    try:
        svc.moderation.resolve(item_id[:100], action, note=note, actor=record.name)
    except ModerationError as error:
        return page(request, "error.html", status=error.status, message=str(error))
    svc.cache.clear()
    return RedirectResponse(f"/dashboard?lang={lang}#moderation", status_code=303)
