"""Alerts in words: title, summary and advice in English, French, Dutch and Portuguese.

Why a data file: translators edit `ringfence/data/messages/alerts.json`, not Python; a test
checks that every kind has every text in every language. Numbers are written the way people
read them (`+39 351 123 4567`), ranges as their prefix with an ellipsis (`+39 351…`), countries
by their name in the reader's language (from libphonenumber's geocoding data).
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import phonenumbers
from phonenumbers import geocoder

from ringfence.alerts.model import Alert, AlertSubject
from ringfence.domain.numbers import NumberRange
from ringfence.reputation.explain import DEFAULT_LANGUAGE, LANGUAGES, word

MAX_SUBJECTS_IN_TEXT = 3


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, dict[str, str]]]:
    """Sections (titles, summaries, advice) -> alert kind -> language -> template."""
    path = resources.files("ringfence").joinpath("data").joinpath("messages")
    data: dict[str, Any] = json.loads(path.joinpath("alerts.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


@dataclass(frozen=True, slots=True)
class AlertText:
    title: str
    summary: str
    advice: str

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "summary": self.summary, "advice": self.advice}


def plain_subject(subject: AlertSubject) -> str:
    """A number or range as people read it: `+39 351 123 4567`, `+39 351…`."""
    if subject.kind == "range":
        try:
            rng = NumberRange.parse(subject.value)
        except ValueError:
            return subject.value
        code = rng.country_code
        if code is None:
            return f"{rng}…"
        rest = rng.prefix[len(str(code)) :]
        return f"+{code} {rest}…" if rest else f"+{code}…"
    try:
        parsed = phonenumbers.parse(subject.value, None)
    except phonenumbers.NumberParseException:
        return subject.value
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def country_name(region: str, language: str) -> str:
    """The name of `region` (ISO code) in `language`, or the code when unknown."""
    example = phonenumbers.example_number(region.upper())
    if example is None:
        return region.upper()
    name = str(geocoder.country_name_for_number(example, language))
    return name or region.upper()


def render(alert: Alert, language: str, *, home_country: str) -> AlertText:
    """The alert's texts in `language` (English when the language is not one of ours)."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    params = _params(alert, lang, home_country)
    texts = catalogue()
    return AlertText(
        title=_format(_pick(texts["titles"], alert.kind.value, lang), params),
        summary=_format(_pick(texts["summaries"], alert.kind.value, lang), params),
        advice=_format(_pick(texts["advice"], alert.kind.value, lang), params),
    )


def _params(alert: Alert, language: str, home_country: str) -> dict[str, str]:
    counts = alert.counts
    shown = [plain_subject(s) for s in alert.subjects[:MAX_SUBJECTS_IN_TEXT]]
    more = len(alert.subjects) - len(shown)
    subjects = ", ".join(shown) + (f" (+{more})" if more > 0 else "")
    country = str(alert.params.get("country") or "")
    people = counts.get("people") or counts.get("reporters") or 0
    return {
        "subjects": subjects or "?",
        "country": country_name(country, language) if country else "",
        "home": country_name(home_country, language),
        "holder": str(alert.params.get("holder") or ""),
        "excerpt": str(alert.params.get("excerpt") or ""),
        "category": word("categories", alert.category, language),
        "people": str(people),
        "calls": str(counts.get("calls", 0)),
        "reports": str(counts.get("reports", 0)),
        "called_back": str(counts.get("called_back", 0)),
    }


def _pick(section: Mapping[str, Mapping[str, str]], kind: str, language: str) -> str:
    entry = section.get(kind, {})
    return entry.get(language) or entry.get(DEFAULT_LANGUAGE) or kind


def _format(template: str, params: Mapping[str, str]) -> str:
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    text = template.format(**{name: params.get(name, "") for name in fields})
    return text.replace(" ()", "").replace("  ", " ").strip()
