"""The pages in a real browser: Playwright driving Debian's Chromium against the app served by
uvicorn on a free loopback port, over a temporary SQLite store. Lookup, report (the form is
filled and sent) and alerts, at phone (390x844) and desktop (1280x800) widths, with a
screenshot of every page in test-artifacts/screenshots/.

Chromium comes from the Debian package (`apt-get install -y chromium`, done by
scripts/ensure-services.sh); Playwright's own browser download is never used.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ringfence.api.keys import create_api_key
from ringfence.domain.clock import FixedClock
from ringfence.reputation.store import open_store
from tests.alerts.helpers import T0
from tests.web.helpers import seeded_app

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
OPERATOR_KEY: list[str] = []
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

if not CHROMIUM.exists():
    pytest.skip(
        "no /usr/bin/chromium: install it with `apt-get install -y chromium` "
        "(make test does, through scripts/ensure-services.sh)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="the playwright Python package is missing: pip install 'playwright>=1.40' "
    "(the package only; the browser is Debian's chromium)",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app's URL; an operator key is in the environment of the test module."""
    import uvicorn

    folder = tmp_path_factory.mktemp("browser")
    store = open_store(f"sqlite:///{folder / 'store.db'}")
    app = seeded_app(store, FixedClock(T0))
    key, _ = create_api_key(store, "analyst", ["operator", "moderator"], FixedClock(T0))
    OPERATOR_KEY.append(key)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="en-GB")
    opened = context.new_page()
    opened.width_name = request.param
    yield opened
    context.close()


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.width_name}.png"), full_page=True)


def _fits(page: Any) -> None:
    """Nothing wider than the screen (no sideways scrolling on a phone)."""
    overflow = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .map(e => e.tagName + '#' + e.id + '.' + e.className);
          return [document.documentElement.scrollWidth - width, wide];
        }"""
    )
    assert overflow[0] <= 0, overflow


def test_lookup(server: str, page: Any) -> None:
    page.goto(f"{server}/lookup")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.get_by_label("Phone number").fill("0039 351 123 4567")
    page.keyboard.press("Enter")
    page.wait_for_selector("section.result")
    assert "+393511234567" in page.inner_text("section.result")
    assert page.locator("section.result .badge").is_visible()
    _fits(page)
    _shot(page, "lookup")


def test_report(server: str, page: Any) -> None:
    page.goto(f"{server}/report?lang=fr")
    assert page.get_attribute("html", "lang") == "fr"
    page.get_by_label("Numéro qui a appelé ou écrit").fill("+32 470 12 34 99")
    page.get_by_role("radio", name="SMS").check()
    page.get_by_label("Texte du message").fill(
        "ING: votre carte est bloquée, confirmez vos codes sur https://ing-secure.example/login"
    )
    page.get_by_label("Quel type d'arnaque ?").select_option("bank_impersonation")
    page.get_by_label("J'ai rappelé le numéro").check()
    _fits(page)
    _shot(page, "report-form")
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_selector("text=Merci : votre signalement est enregistré.")
    assert "Signalez-le aussi ici" in page.inner_text("main")
    _fits(page)
    _shot(page, "report-done")


def test_alerts(server: str, page: Any) -> None:
    page.goto(f"{server}/alerts")
    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_selector("html[lang=nl]")
    text = page.inner_text("main")
    assert "Eén keer overgaan vanaf +39 351…: bel niet terug" in text
    assert "+32470111000" not in text
    _fits(page)
    _shot(page, "alerts")


def test_dashboard(server: str, page: Any) -> None:
    page.goto(f"{server}/dashboard")
    assert page.get_by_label("API key").is_visible()
    _shot(page, "dashboard-login")
    page.get_by_label("API key").fill(OPERATOR_KEY[0])
    page.keyboard.press("Enter")
    page.wait_for_selector("svg.chart")
    assert page.locator("svg.chart").count() == 3
    assert "One-ring (Wangiri) calls from +39351" in page.inner_text("main")
    _fits(page)
    _shot(page, "dashboard")
