"""CPU cost of one lookup inside the app (no HTTP server, no network): cache hits and misses.

Why beside the wrk run: on a shared machine wrk's figures move with other people's jobs; the
cost of one request in the app tells what a core can do. The app is driven through its ASGI
interface (as uvicorn does), on the store filled by bench/api_bench.py (SQLite) or a fresh one.

Run from the repository root, after `bench/api_bench.py --store sqlite` has filled the store:

    .venv/bin/python bench/api_inprocess.py --requests 3000
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from typing import Any

from ringfence.api import ApiConfig, create_app
from ringfence.api.keys import create_api_key
from ringfence.domain.clock import SystemClock
from ringfence.reputation.model import SubjectKind
from ringfence.reputation.store import open_store
from ringfence.settings import Settings

STORE = Path(__file__).resolve().parent / "out" / "api_bench.db"


async def drive(app: Any, key: str, paths: list[str]) -> float:
    """Seconds per request over `paths`, each sent through the app's ASGI interface."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise RuntimeError(f"status {message['status']}")

    started = time.perf_counter()
    for path in paths:
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
            "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
            "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
            "headers": [(b"host", b"x"), (b"x-api-key", key.encode()),
                        (b"accept-language", b"fr")],
        }  # fmt: skip
        await app(scope, receive, send)
    return (time.perf_counter() - started) / len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    if not STORE.exists():
        raise SystemExit(f"{STORE} is missing: run bench/api_bench.py --store sqlite first")
    store = open_store(f"sqlite:///{STORE}")
    key, _ = create_api_key(store, "inprocess", ["citizen"], SystemClock())
    numbers = sorted(
        {r.subject for r in store.iter_evidence() if r.subject_kind is SubjectKind.NUMBER}
    )
    paths = [f"/v1/numbers/{n}" for n in numbers[: args.requests]]
    results = {}
    for name, ttl, chosen in (
        ("miss (cache off, every lookup reads and scores)", 0.0, paths),
        ("hit (the same 100 numbers, cache on)", 600.0, paths[:100] * (args.requests // 100)),
    ):
        app = create_app(Settings(), store, SystemClock(), config=ApiConfig(cache_ttl_s=ttl))
        asyncio.run(drive(app, key, chosen[:200]))  # warm up: parsing caches, connections
        results[name] = asyncio.run(drive(app, key, chosen))
    for name, seconds in results.items():
        print(f"{name}: {seconds * 1e6:.0f} µs per lookup, {1 / seconds:,.0f} per second per core")
    store.close()


if __name__ == "__main__":
    main()
