"""The HTTP API of ringfence: `create_app(settings, store, clock) -> FastAPI`."""

from __future__ import annotations

from ringfence.api.app import create_app
from ringfence.api.config import ApiConfig

__all__ = ["ApiConfig", "create_app"]
