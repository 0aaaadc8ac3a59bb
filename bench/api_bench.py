"""Load test of the lookup API with wrk on loopback: lookups/s and latency percentiles.

What it does:
1. fills a store (SQLite file or a throw-away PostgreSQL schema) with the FTC Do-Not-Call day
   (13,252 complaints about 11,803 numbers, as evidence rows on each number and its /10 and
   /100 blocks; dated 2021, so their weight has decayed, but a lookup reads and scores them all
   the same), plus a Wangiri finding on +39351 and three fresh citizens' reports;
2. creates a `citizen` API key (keys are exempt from the anonymous per-address limit);
3. starts `python -m ringfence.cli.serve` with N workers;
4. runs wrk with a Lua script that cycles through a sequence of numbers (see `lookup_mixes`):
   uniform over all known numbers (nearly all cache misses), skewed 80/20, and a hot set (nearly
   all cache hits); a worker keeps an answer for --cache-ttl seconds;
5. prints requests/s, p50, p90, p99 and the error count, and writes them to bench/out/.

Run from the repository root:

    .venv/bin/python bench/api_bench.py --store sqlite --workers 2
    .venv/bin/python bench/api_bench.py --store postgresql --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from ringfence.api.keys import create_api_key
from ringfence.domain.clock import FixedClock, SystemClock
from ringfence.domain.findings import Finding, Subject, SubjectRole
from ringfence.reports.desk import ReportDesk
from ringfence.reports.ftc import import_ftc_dnc
from ringfence.reports.model import ReportInput
from ringfence.reputation.findings import FindingsApplier
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import open_store
from ringfence.reputation.store.testing import temporary_schema

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
FTC = Path("/work/shared/data/ftc-dnc-complaints-2021-07-08.csv")

LUA = """
local numbers = {%(numbers)s}
local key = "%(key)s"
local counter = %(offset)d
request = function()
  counter = counter + 1
  local number = numbers[(counter %% #numbers) + 1]
  return wrk.format("GET", "/v1/numbers/" .. number,
                    {["X-API-Key"] = key, ["Accept-Language"] = "fr"})
end
"""


def fill(url: str) -> tuple[list[str], str]:
    """Fill the store; return the numbers it knows and a citizen API key."""
    store = open_store(url)
    import_ftc_dnc(FTC, Reputations(store, FixedClock(datetime(2021, 7, 8, tzinfo=UTC))))
    now = SystemClock()
    reputations = Reputations(store, now)
    wangiri = Finding.create(
        detector="wangiri", kind="one_ring_range", title="One-ring calls from +39351",
        reason="bench", score=0.9, first_seen=now.now() - timedelta(hours=3),
        last_seen=now.now(), counts={"calls": 400},
        subjects=[Subject("+39351", SubjectRole.SOURCE_RANGE)], evidence=["c1"],
    )  # fmt: skip
    FindingsApplier(reputations).apply([wangiri])
    desk = ReportDesk(reputations)
    for i in range(3):
        desk.submit(
            ReportInput.from_mapping({"number": "+393511234567", "category": "one_ring"}),
            client_token=f"bench-reporter-{i:08d}",
        )
    numbers = sorted({row.subject for row in store.iter_evidence() if row.subject_kind == "number"})
    key, _ = create_api_key(store, "bench", ["citizen"], now)
    store.close()
    return numbers, key


def lookup_mixes(numbers: list[str]) -> dict[str, list[str]]:
    """The sequences of numbers the wrk script cycles through.

    - uniform: every known number in turn (each worker meets a number again only after
      thousands of others: nearly every lookup is a cache miss, the worst case);
    - skewed: 80 % of lookups on 200 numbers, 20 % on the rest (a campaign everyone asks about);
    - hot: the same 200 numbers (nearly every lookup answered from the cache).
    """
    randomizer = random.Random(7)
    hot = randomizer.sample(numbers, 200)
    skewed = [
        randomizer.choice(hot) if randomizer.random() < 0.8 else randomizer.choice(numbers)
        for _ in range(20_000)
    ]
    return {"uniform": numbers, "skewed 80/20": skewed, "hot 200": hot}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(url: str, workers: int, cache_ttl: float, data_dir: Path) -> Iterator[int]:
    port = free_port()
    env = {**os.environ, "RINGFENCE_DATA_DIR": str(data_dir)}
    command = [
        sys.executable, "-m", "ringfence.cli.serve", "--store", url, "--port", str(port),
        "--workers", str(workers), "--cache-ttl", str(cache_ttl), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.3)
        time.sleep(1.0 * workers)  # let every worker finish starting
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wrk(port: int, script: Path, threads: int, connections: int, seconds: int) -> dict[str, float]:
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
        f"http://127.0.0.1:{port}",
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    print(output)
    result: dict[str, float] = {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
    }
    for percentile in ("50", "90", "99"):
        match = re.search(rf"\s{percentile}%\s+([\d.]+)(us|ms|s)", output)
        if match:
            factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
            result[f"p{percentile}_ms"] = float(match.group(1)) * factor
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non_2xx"] = float(errors.group(1)) if errors else 0.0
    socket_errors = re.search(r"Socket errors:.*", output)
    result["socket_errors"] = 0.0 if socket_errors is None else 1.0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--cache-ttl", type=float, default=2.0)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with _store(args.store) as url:
        started = time.monotonic()
        numbers, key = fill(url)
        print(f"store filled in {time.monotonic() - started:.1f} s: {len(numbers)} numbers")
        results = {}
        mixes = lookup_mixes(numbers)
        with server(url, args.workers, args.cache_ttl, OUT) as port:
            for name, chosen in mixes.items():
                script = OUT / f"api_bench_{args.store}.lua"
                script.write_text(
                    LUA % {"numbers": ",".join(f'"{n}"' for n in chosen), "key": key, "offset": 0}
                )
                results[name] = wrk(port, script, args.threads, args.connections, args.seconds)
    report = {
        "store": args.store, "workers": args.workers, "threads": args.threads,
        "connections": args.connections, "seconds": args.seconds, "cache_ttl_s": args.cache_ttl,
        "numbers": len(numbers), "load_average": os.getloadavg(), "results": results,
    }  # fmt: skip
    path = OUT / f"api_bench_{args.store}_{args.workers}w_c{args.connections}.json"
    path.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


@contextmanager
def _store(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        path = OUT / "api_bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        return
    with temporary_schema(prefix="rf_bench") as url:
        yield url


if __name__ == "__main__":
    main()
