"""The category a message text suggests, from `ringfence.classify` when it is installed.

Why guarded: the classifier is another module of ringfence that may be absent (or not yet
built); a report must be accepted without it. When present, its suggestion is stored beside the
reporter's own category (never instead of it), so moderators and the web form can use it.
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

from ringfence.reputation.model import Category

log = logging.getLogger(__name__)


def classifier() -> ModuleType | None:
    """`ringfence.classify`, or None when it cannot be imported."""
    try:
        return importlib.import_module("ringfence.classify")
    except ImportError:
        return None


def suggest_category(text: str | None, home_country: str) -> str | None:
    """The classifier's suggested report category for `text`, or None (no text, no classifier,
    a text it refuses, or no suggestion)."""
    if not text:
        return None
    module = classifier()
    if module is None:
        return None
    try:
        classification = module.classify_text(text, home_country=home_country)
        suggestion = module.suggest_report_category(classification)
    except module.ClassificationInputError:
        return None
    except Exception:  # a suggestion is optional: a classifier failure must not lose a report
        log.exception("ringfence.classify failed on a report text; no category suggested")
        return None
    if suggestion is None:
        return None
    value = str(getattr(suggestion, "value", suggestion))
    return value if value in Category._value2member_map_ else None
