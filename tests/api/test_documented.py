"""Docs are tested: every route of the API and every command of the reputation CLI modules is
named in docs/reputation.md."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from fastapi.testclient import TestClient

from ringfence.cli import apikey, reports, reputation, serve

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "reputation.md").read_text()
ALL_DOCS = "\n".join(p.read_text() for p in sorted((ROOT / "docs").glob("*.md")))
OWN_PREFIXES = ("/v1/numbers", "/v1/lookup", "/v1/reports", "/v1/moderation", "/v1/findings",
                "/v1/blocklist", "/v1/decisions", "/v1/messages", "/health")  # fmt: skip


def test_every_route_is_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    ours = [p for p in paths if p.startswith(OWN_PREFIXES)]
    assert len(ours) >= 14
    for path, operations in paths.items():
        for method in operations:
            pattern = re.sub(
                r"\\\{[a-z_]+\\\}", r"\\{[a-z_]+\\}", re.escape(f"{method.upper()} {path}")
            )
            # The API's own routes in docs/reputation.md; every other route in some docs page.
            doc = DOC if path.startswith(OWN_PREFIXES) else ALL_DOCS
            assert re.search(pattern, doc), f"{method.upper()} {path} is not documented"


def command_names(app: typer.Typer, prefix: str = "") -> list[str]:
    names = [f"{prefix}{c.name}" for c in app.registered_commands if c.name]
    for group in app.registered_groups:
        if group.typer_instance is not None and group.name:
            names += command_names(group.typer_instance, f"{prefix}{group.name} ")
    return names


def test_every_command_is_documented() -> None:
    app = typer.Typer()
    for module in (serve, reputation, reports, apikey):
        module.register(app)
    names = command_names(app)
    assert {"serve", "lookup", "report", "decide", "reports import", "apikey create"} <= set(names)
    for name in names:
        group, _, command = name.rpartition(" ")
        written = f"ringfence {name}" in DOC or (
            group and re.search(rf"ringfence {group} [a-z|]*\b{command}\b", DOC)
        )
        assert written, f"`ringfence {name}` is not in docs/reputation.md"
