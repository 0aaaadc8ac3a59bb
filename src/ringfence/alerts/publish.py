"""Alerts as published: JSON objects and an Atom 1.0 feed (RFC 4287).

Why Atom: every feed reader, newsroom tool and many municipal websites can follow it; an entry
keeps its id (`urn:ringfence:alert:<id>`) while its `updated` moves, so readers update the alert
instead of showing it twice. The feed is built with `xml.etree`, so the text of an alert can
never break the XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ringfence.alerts.model import Alert
from ringfence.alerts.texts import plain_subject, render
from ringfence.reputation.explain import LANGUAGES

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:ringfence:alerts"


def alert_to_dict(alert: Alert, language: str, *, home_country: str) -> dict[str, Any]:
    """The JSON form of `alert`, with its texts in `language` and in every language."""
    texts = {lang: render(alert, lang, home_country=home_country).to_dict() for lang in LANGUAGES}
    chosen = texts.get(language, texts["en"])
    return {
        "id": alert.id,
        "kind": alert.kind.value,
        "category": alert.category,
        "language": language if language in texts else "en",
        "title": chosen["title"],
        "summary": chosen["summary"],
        "advice": chosen["advice"],
        "numbers": alert.numbers(),
        "ranges": alert.ranges(),
        "subjects": [{**s.to_dict(), "display": plain_subject(s)} for s in alert.subjects],
        "numbers_withheld": alert.withheld,
        "counts": dict(alert.counts),
        "started_at": alert.started_at.isoformat(),
        "updated_at": alert.updated_at.isoformat(),
        "last_seen": alert.last_seen.isoformat(),
        "expires_at": alert.expires_at.isoformat(),
        "revision": alert.revision,
        "texts": texts,
    }


def atom_feed(
    alerts: Sequence[Alert],
    *,
    language: str,
    home_country: str,
    base_url: str,
    now: datetime,
) -> bytes:
    """An Atom 1.0 document of `alerts` in `language`; `base_url` ends without a slash."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    sub(feed, "id", FEED_ID)
    sub(feed, "title", _FEED_TITLE.get(language, _FEED_TITLE["en"]))
    updated = max((a.updated_at for a in alerts), default=now)
    sub(feed, "updated", _rfc3339(updated))
    author = sub(feed, "author")
    sub(author, "name", "ringfence")
    sub(feed, "link", rel="self", href=f"{base_url}/alerts.atom?lang={language}")
    sub(feed, "link", rel="alternate", href=f"{base_url}/alerts?lang={language}")
    sub(feed, "generator", "ringfence")
    for alert in alerts:
        text = render(alert, language, home_country=home_country)
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:ringfence:alert:{alert.id}")
        sub(entry, "title", text.title)
        sub(entry, "updated", _rfc3339(alert.updated_at))
        sub(entry, "published", _rfc3339(alert.started_at))
        sub(entry, "link", rel="alternate", href=f"{base_url}/alerts?lang={language}#{alert.id}")
        sub(entry, "category", term=alert.kind.value)
        sub(entry, "summary", f"{text.summary} {text.advice}", type="text")
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


def _rfc3339(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


_FEED_TITLE = {
    "en": "ringfence: current scam alerts",
    "fr": "ringfence : alertes aux arnaques en cours",
    "nl": "ringfence: actuele oplichtingswaarschuwingen",
    "pt": "ringfence: alertas de burla em curso",
}
