"""docs/web.md documents every route, export format, alert kind and blocklist command."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute

from ringfence.alerts import AlertKind
from ringfence.alerts.routes import router as alerts_router
from ringfence.cli.blocklist import group
from ringfence.export import ExportFormat
from ringfence.export.routes import router as export_router
from ringfence.web.routes import router as web_router

DOC = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every route, including those of routers included in a router (kept lazily by FastAPI)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes)


def test_every_route_is_documented() -> None:
    found = list(_routes([*alerts_router.routes, *export_router.routes, *web_router.routes]))
    assert len(found) >= 15
    for route in found:
        path = route.path.replace("{name}", "").replace("{item_id}", "{id}")
        path = path.replace("{alert_id}", "{id}")
        assert path.rstrip("/") in DOC or path == "/", path


def test_every_format_kind_and_command_is_documented() -> None:
    for fmt in ExportFormat:
        assert f"`{fmt.value}`" in DOC, fmt
    for kind in AlertKind:
        assert f"`{kind.value}`" in DOC, kind
    for command in group.registered_commands:
        assert f"ringfence blocklist {command.name}" in DOC, command.name
