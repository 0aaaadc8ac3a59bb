"""HTTP screening speed: `POST /v1/screen` verdicts per second and latency, with wrk.

Run by hand:

    .venv/bin/python bench/screen_http_bench.py --workers 2 --connections 16 --seconds 15

Starts `ringfence serve` on a temporary SQLite store with an operator key, then wrk (from
Debian) posts call setups cycling through a mix: ordinary national calls, national CLIs from
abroad, a do-not-originate number, foreign callers and outbound calls. Reuses the server and
wrk helpers of bench/api_bench.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_bench import OUT, server, wrk
from ringfence.api.keys import create_api_key
from ringfence.domain.clock import FixedClock
from ringfence.reputation.store import open_store

LUA = """
local bodies = {%(bodies)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", "/v1/screen",
    {["X-API-Key"] = "%(key)s", ["Content-Type"] = "application/json"},
    bodies[(counter %% #bodies) + 1])
end
"""

MIX = [
    {"caller": "0475 11 22 33", "callee": "0470 12 34 56"},
    {"caller": "+32475112233", "callee": "+32470123456", "ingress": "international"},
    {"caller": "+3278170170", "callee": "+32470123456", "ingress": "international"},
    {"caller": "+393511234567", "callee": "+32470123457", "ingress": "international"},
    {"caller": "+32470123458", "callee": "+390612345678", "direction": "outbound"},
    {"caller": "02 513 34 56", "callee": "0470 12 34 59"},
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{OUT / 'screen_http.db'}"
    store = open_store(url)
    key, _ = create_api_key(store, "bench", ["operator"], FixedClock(datetime.now(UTC)))
    store.close()
    bodies = ",".join("[[" + json.dumps(b) + "]]" for b in MIX)
    script = OUT / "screen_http.lua"
    script.write_text(LUA % {"bodies": bodies, "key": key})
    with server(url, args.workers, 2.0, OUT) as port:
        result = wrk(port, script, args.threads, args.connections, args.seconds)
    report = {
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "load_average": os.getloadavg(),
        "result": result,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
