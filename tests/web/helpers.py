"""An app with the API and our routers over a temporary store, seeded with a campaign, a
spoofed number and a reported number."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser

from fastapi import FastAPI

from ringfence.alerts.routes import router as alerts_router
from ringfence.api import create_app
from ringfence.domain.clock import FixedClock
from ringfence.domain.findings import Finding, Subject, SubjectRole
from ringfence.export.routes import router as export_router
from ringfence.reputation.store import Store
from ringfence.settings import Settings
from ringfence.web.routes import router as web_router
from tests.alerts.helpers import push, silent, wangiri

SPOOFED = "+32470999000"


def seeded_app(store: Store, clock: FixedClock) -> FastAPI:
    storm = Finding.create(
        detector="callback_storm",
        kind="spoofed_number_owner",
        title="spoofed",
        reason="callbacks",
        score=0.95,
        first_seen=clock.now(),
        last_seen=clock.now(),
        counts={"callbacks": 30, "distinct_callers": 25},
        subjects=[Subject(SPOOFED, SubjectRole.SPOOFED_OWNER)],
        evidence=["s1"],
        key=SPOOFED,
    )
    push(
        store,
        clock,
        [wangiri("+39351", at=clock.now()), silent(["+32470111000"], at=clock.now()), storm],
    )
    app = create_app(Settings(home_country="BE"), store, clock)
    app.include_router(alerts_router)
    app.include_router(export_router)
    app.include_router(web_router)
    return app


class FormAudit(HTMLParser):
    """Collects what accessibility checks need: labels, controls, the html lang."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, dict[str, str | None]]] = []
        self.inside_label = 0
        self.wrapped: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        if tag == "label":
            self.inside_label += 1
            if found.get("for"):
                self.label_for.add(str(found["for"]))
        if tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.controls.append((tag, found))
            if self.inside_label:
                self.wrapped.append(str(found.get("name")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.inside_label -= 1

    def unlabelled(self) -> list[str]:
        missing = []
        for tag, attrs in self.controls:
            named = attrs.get("aria-label") or attrs.get("id") in self.label_for
            if not named and attrs.get("name") not in self.wrapped:
                missing.append(f"{tag} {attrs.get('name')}")
        return missing


def audit(html: str) -> FormAudit:
    parser = FormAudit()
    parser.feed(html)
    return parser


def form_token(html: str) -> str:
    match = re.search(r'name="form_token" value="([0-9a-f]+)"', html)
    assert match, "the form has no form token"
    return match.group(1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)
