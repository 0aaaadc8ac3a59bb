"""Reputations in words: reasons and advice in English, French, Dutch and Portuguese.

Why message codes and a data file: the scoring code says *why* (a code and its figures); the
words for a citizen live in `ringfence/data/messages/reputation.json`, one entry per language, so
a translator edits text, not Python, and a test checks that every code has every language.

>>> pick_language("nl-BE,nl;q=0.9,en;q=0.8")
'nl'
>>> render(Reason("reports", {"count": 3, "reporters": 3, "category": "one_ring"}), "fr")
'3 signalement(s) par 3 personne(s), surtout pour appels à une sonnerie.'
"""

from __future__ import annotations

import json
import string
from functools import lru_cache
from importlib import resources
from typing import Any

from ringfence.reputation.model import Category, Level, Reason

LANGUAGES = ("en", "fr", "nl", "pt")
DEFAULT_LANGUAGE = "en"
_IMPERSONATION = frozenset(
    {
        Category.BANK_IMPERSONATION.value,
        Category.POLICE_IMPERSONATION.value,
        Category.OPERATOR_IMPERSONATION.value,
        Category.FAKE_CONVOCATION.value,
    }
)
_CALLBACK = frozenset({Category.ONE_RING.value, Category.PREMIUM_CALLBACK.value})


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, dict[str, str]]]:
    """The message catalogue (sections -> code -> language -> text)."""
    path = resources.files("ringfence").joinpath("data").joinpath("messages")
    data: dict[str, Any] = json.loads(path.joinpath("reputation.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def pick_language(accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The best of fr/en/nl/pt for an `Accept-Language` header (RFC 9110 weights)."""
    if not accept_language:
        return default
    best, best_q = default, -1.0
    for position, part in enumerate(accept_language.split(",")[:32]):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = tag.split("-")[0]
        if language == "*":
            language = default
        if language in LANGUAGES and quality > 0 and quality - position * 1e-6 > best_q:
            best, best_q = language, quality - position * 1e-6
    return best


def word(section: str, code: str, language: str) -> str:
    """One entry of the catalogue in `language` (English when missing, the code itself last)."""
    entry = messages().get(section, {}).get(code)
    if not entry:
        return code
    return entry.get(language) or entry.get(DEFAULT_LANGUAGE) or code


def render(reason: Reason, language: str) -> str:
    """A reason as a sentence in `language`."""
    template = word("reasons", reason.code, language)
    params = dict(reason.params)
    if "category" in params:
        params["category"] = word("categories", str(params["category"]), language)
    if "verdict" in params:
        params["verdict"] = word("verdicts", str(params["verdict"]), language)
    if "level" in params:
        params["level"] = word("levels", str(params["level"]), language)
    return _format(template, params).strip()


def _format(template: str, params: dict[str, Any]) -> str:
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return template.format(**{name: params.get(name, "") for name in fields})


def advice_codes(
    level: Level,
    *,
    categories: set[str],
    spoofed: bool,
    shown: bool,
    allowlisted: bool,
    never_block: bool,
) -> list[str]:
    """Which advice to give, most important first."""
    if never_block:
        return ["emergency_ok"]
    codes: list[str] = []
    if allowlisted:
        if shown or level is not Level.SAFE:
            codes += ["hang_up_call_official", "owner_innocent", "no_codes"]
        else:
            codes.append("safe_official")
        return codes
    if spoofed or shown:
        codes += ["owner_innocent", "never_call_back"]
    if categories & _IMPERSONATION:
        codes += ["hang_up_call_official", "no_codes"]
    if categories & _CALLBACK or level in (Level.SUSPICIOUS, Level.SCAM, Level.UNKNOWN):
        codes.append("never_call_back")
    if level is not Level.SAFE:
        codes.append("report_it")
    return list(dict.fromkeys(codes))
