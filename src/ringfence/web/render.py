"""Rendering pages: one Jinja2 environment (autoescaped), the page frame's common values, and the
language cookie.

Why autoescape everywhere: the pages show what citizens typed (numbers, message texts) and what
the store holds; escaping by default means no template can forget it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ringfence.web.i18n import LANG_COOKIE, LANGUAGE_NAMES, Words, choose_language

ONE_YEAR_S = 365 * 24 * 3600


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("ringfence.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(
    request: Request,
    template: str,
    *,
    status: int = 200,
    language: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render `template` in the reader's language; remember a language chosen with ?lang=."""
    chosen, switched = choose_language(request)
    lang = language or chosen
    html = (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            t=Words(lang),
            languages=LANGUAGE_NAMES,
            path=request.url.path,
            query=_query_without_lang(request),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Language"] = lang
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    )
    if switched:
        response.set_cookie(LANG_COOKIE, lang, max_age=ONE_YEAR_S, samesite="lax")
    return response


def _query_without_lang(request: Request) -> str:
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return urlencode(pairs)
