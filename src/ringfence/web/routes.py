"""The citizens' pages: lookup, report, alerts (and the analysts' dashboard from `dashboard`).

`router` is included by the API's `create_app` (`app.include_router(ringfence.web.routes.router)`):
it serves the pages at `/`, `/lookup`, `/report`, `/alerts`, `/dashboard` and their two static
files at `/static/`. The pages use the same services as the API (one store, one reputation
model), so a lookup in the browser says exactly what `GET /v1/numbers/{number}` says.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from ringfence.alerts.publish import alert_to_dict
from ringfence.alerts.routes import alerts_service
from ringfence.api.deps import Services
from ringfence.api.limits import retry_after
from ringfence.domain.numbers import NumberError
from ringfence.reports.model import Channel, ReportError, ReportInput
from ringfence.reports.referrals import countries
from ringfence.reports.suggest import suggest_category
from ringfence.reputation.explain import word
from ringfence.reputation.model import Category, State
from ringfence.settings import SettingsError, validate_country
from ringfence.web import dashboard
from ringfence.web.i18n import Words, choose_language
from ringfence.web.render import ONE_YEAR_S, page
from ringfence.web.security import (
    CLIENT_COOKIE,
    app_services,
    client_token,
    form_token,
    form_token_ok,
)

router = APIRouter(include_in_schema=False)
router.include_router(dashboard.router)

_STATIC = {"ringfence.css": "text/css; charset=utf-8", "ringfence.js": "text/javascript"}
MAX_NUMBER_CHARS = 64


def _limited(request: Request, svc: Services) -> Response | None:
    """A 429 page when this address is over the anonymous rate limit, else None."""
    address = request.client.host if request.client else "unknown"
    wait = svc.limiter.take(address)
    if wait <= 0:
        return None
    lang, _ = choose_language(request)
    response = page(request, "error.html", status=429, message=_too_many(lang))
    response.headers["Retry-After"] = retry_after(wait)
    return response


def _too_many(lang: str) -> str:
    return {
        "fr": "Trop de demandes depuis cette adresse : réessayez dans une minute.",
        "nl": "Te veel aanvragen vanaf dit adres: probeer het over een minuut opnieuw.",
        "pt": "Demasiados pedidos deste endereço: tente de novo dentro de um minuto.",
    }.get(lang, "Too many requests from this address: try again in a minute.")


@router.get("/static/{name}")
def static(name: str) -> Response:
    media = _STATIC.get(name)
    if media is None:
        return Response("not found", status_code=404, media_type="text/plain")
    body = resources.files("ringfence.web").joinpath("static").joinpath(name).read_bytes()
    return Response(body, media_type=media, headers={"Cache-Control": "public, max-age=3600"})


@router.get("/")
@router.get("/lookup")
def lookup_page(request: Request, number: str | None = None) -> Response:
    svc = app_services(request)
    lang, _ = choose_language(request)
    if not number or not number.strip():
        return page(request, "lookup.html", number="", result=None, error=None)
    if len(number) > MAX_NUMBER_CHARS:
        return page(
            request,
            "lookup.html",
            status=422,
            number=number[:MAX_NUMBER_CHARS],
            result=None,
            error=f"at most {MAX_NUMBER_CHARS} characters: type only the number",
        )
    limited = _limited(request, svc)
    if limited is not None:
        return limited
    try:
        parsed = svc.reputations.parse(number)
    except NumberError as error:
        return page(
            request, "lookup.html", status=422, number=number, result=None, error=str(error)
        )
    view = svc.reputations.view(parsed)
    result = view.to_dict(lang)
    categories = sorted(
        ((word("categories", c, lang), n) for c, n in view.own.categories.items()),
        key=lambda item: -item[1],
    )
    spoofed = view.state is State.SPOOFED or view.own.shown_by_scammers
    return page(
        request,
        "lookup.html",
        number=number,
        result=result,
        categories=categories,
        spoofed=spoofed,
        error=None,
    )


def _report_form(
    request: Request,
    svc: Services,
    *,
    status: int = 200,
    values: dict[str, str] | None = None,
    error: str | None = None,
    error_field: str | None = None,
) -> Response:
    lang, _ = choose_language(request)
    client, new = client_token(request)
    known = countries()
    home = svc.settings.home_country
    chosen = dict(values or {})
    chosen.setdefault("number", request.query_params.get("number", "")[:MAX_NUMBER_CHARS])
    chosen.setdefault("country", home if home in known else (known[0] if known else ""))
    response = page(
        request,
        "report.html",
        status=status,
        values=chosen,
        error=error,
        error_field=error_field,
        channels=[c.value for c in Channel],
        categories=[(c.value, word("categories", c.value, lang)) for c in Category],
        countries=known,
        form_token=form_token(svc, client),
    )
    if new:
        response.set_cookie(
            CLIENT_COOKIE, client, max_age=ONE_YEAR_S, httponly=True, samesite="lax"
        )
    return response


@router.get("/report")
def report_page(request: Request) -> Response:
    return _report_form(request, app_services(request))


@router.post("/report")
async def report_submit(request: Request) -> Response:
    svc = app_services(request)
    lang, _ = choose_language(request)
    form = await request.form()
    values = {k: str(v)[:5000] for k, v in form.items() if isinstance(v, str)}
    client = request.cookies.get(CLIENT_COOKIE, "")
    if not client or not form_token_ok(svc, client, values.get("form_token", "")):
        return _report_form(
            request, svc, status=400, values=values, error=_word(lang, "csrf_error")
        )
    limited = _limited(request, svc)
    if limited is not None:
        return limited
    try:
        country = validate_country(values.get("country") or svc.settings.home_country)
    except SettingsError as error:
        return _report_form(
            request, svc, status=422, values=values, error=str(error), error_field="country"
        )
    text = values.get("text", "").strip() or None
    category = values.get("category", "auto")
    if category == "auto":
        category = suggest_category(text, country) or ""
    fields: dict[str, object] = {
        "number": values.get("number", ""),
        "channel": values.get("channel", "call"),
        "category": category or None,
        "text": text,
        "called_back": values.get("called_back") == "on",
        "money_lost": values.get("money_lost") == "on",
        "language": lang,
    }
    try:
        data = ReportInput.from_mapping(fields)
        submission = svc.desk.submit(
            data,
            client_token=client,
            ip=request.client.host if request.client else None,
            country=country,
            reply_language=lang,
        )
    except ReportError as error:
        message = str(error)
        if error.field == "category" and values.get("category") == "auto":
            message = _choose_category(lang)
        return _report_form(
            request,
            svc,
            status=error.status,
            values=values,
            error=message,
            error_field=error.field,
        )
    svc.cache.clear()
    return page(
        request,
        "report_done.html",
        status=201,
        submission=submission,
        result=submission.view.to_dict(lang),
        category=word("categories", submission.report.category, lang),
    )


def _choose_category(lang: str) -> str:
    return {
        "fr": "Choisissez le type d'arnaque : le texte ne suffit pas pour le proposer.",
        "nl": "Kies het soort oplichting: de tekst volstaat niet om het voor te stellen.",
        "pt": "Escolha o tipo de burla: o texto não chega para o sugerir.",
    }.get(lang, "Choose the kind of scam: the text is not enough to suggest one.")


def _word(lang: str, key: str) -> str:
    return Words(lang)[key]


@router.post("/report/suggest")
async def report_suggest(request: Request) -> Response:
    """The category the text suggests (for the form's script); null when none."""
    svc = app_services(request)
    lang, _ = choose_language(request)
    limited = _limited(request, svc)
    if limited is not None:
        return JSONResponse({"category": None}, status_code=429, headers=limited.headers)
    form = await request.form()
    text = str(form.get("text") or "")[:5000]
    suggested = suggest_category(text, svc.settings.home_country)
    return JSONResponse(
        {
            "category": suggested,
            "label": word("categories", suggested, lang) if suggested else None,
        }
    )


@router.get("/alerts")
def alerts_page(request: Request) -> Response:
    svc = app_services(request)
    lang, _ = choose_language(request)
    service = alerts_service(request)
    service.refresh_if_stale()
    home = svc.settings.home_country
    alerts = [alert_to_dict(a, lang, home_country=home) for a in service.current()]
    return page(request, "alerts.html", alerts=alerts)
