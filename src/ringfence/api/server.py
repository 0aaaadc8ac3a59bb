"""Running the API with uvicorn, in one process or several workers.

Why through the environment: uvicorn starts each worker as a fresh process that imports an app
factory by name; the store URL and the API settings reach the workers through two environment
variables set by `ringfence serve` (`RINGFENCE_SERVE_STORE`, `RINGFENCE_SERVE_CONFIG`), and the
usual `RINGFENCE_*` settings. Each worker opens its own store (SQLite: its own connections to
the same file; PostgreSQL: its own pool).
"""

from __future__ import annotations

import dataclasses
import json
import os
from typing import Any

import uvicorn
from fastapi import FastAPI

from ringfence.api.app import create_app
from ringfence.api.config import ApiConfig
from ringfence.domain.clock import SystemClock
from ringfence.reputation.store import open_store
from ringfence.settings import Settings

ENV_STORE = "RINGFENCE_SERVE_STORE"
ENV_CONFIG = "RINGFENCE_SERVE_CONFIG"


def app_from_env() -> FastAPI:
    """The app of one worker, from the environment set by `serve`."""
    url = os.environ.get(ENV_STORE)
    if not url:
        raise RuntimeError(f"{ENV_STORE} is not set: start the server with `ringfence serve`")
    overrides: dict[str, Any] = json.loads(os.environ.get(ENV_CONFIG, "{}"))
    config = dataclasses.replace(ApiConfig(), **overrides)
    settings = Settings.from_env()
    app = create_app(settings, open_store(url), SystemClock(), config=config)
    if settings.blocklist_signing_key:
        from pathlib import Path

        from ringfence.export.routes import configure_signing

        configure_signing(app, Path(settings.blocklist_signing_key).expanduser())
    return app


def serve(
    store_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    config: dict[str, Any] | None = None,
    log_level: str = "info",
    access_log: bool = False,
) -> None:
    """Run the API until interrupted (uvloop and httptools are used when installed)."""
    os.environ[ENV_STORE] = store_url
    os.environ[ENV_CONFIG] = json.dumps(config or {})
    uvicorn.run(
        "ringfence.api.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=access_log,
        loop="auto",
        http="auto",
    )
