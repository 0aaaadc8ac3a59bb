"""The words of the pages and the reader's language: `?lang=`, then the `rf_lang` cookie, then
`Accept-Language`, then English.

Why a cookie: a reader who switches to Dutch once should not have to switch again on the next
page; the switch links carry `?lang=` and the page sets the cookie (one year, no other data).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from starlette.requests import Request

from ringfence.reputation.explain import DEFAULT_LANGUAGE, LANGUAGES, pick_language

LANG_COOKIE = "rf_lang"
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "nl": "Nederlands", "pt": "Português"}


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    path = resources.files("ringfence").joinpath("data").joinpath("messages")
    data: dict[str, Any] = json.loads(path.joinpath("web.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def choose_language(request: Request) -> tuple[str, bool]:
    """The reader's language, and whether it was chosen now (then set the cookie)."""
    asked = request.query_params.get("lang", "").strip().lower()[:8]
    if asked in LANGUAGES:
        return asked, True
    saved = request.cookies.get(LANG_COOKIE, "")
    if saved in LANGUAGES:
        return saved, False
    return pick_language(request.headers.get("accept-language")), False


class Words:
    """`words["nav_lookup"]` in the page's language (English, then the key, when missing)."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE

    def __getitem__(self, key: str) -> str:
        entry = strings().get(key)
        if entry is None:
            return key
        return entry.get(self.language) or entry.get(DEFAULT_LANGUAGE) or key
