"""Simulator speed and peak memory, run by hand (not part of the tests).

Why a child process per size: the peak RSS (`ru_maxrss`) of a process only grows, so each
measured simulation runs alone in a fresh interpreter that reports its own peak. Running several
sizes shows whether memory grows with the number of calls (it should stay nearly flat: calls are
generated and written a chunk at a time; only the planted campaigns, a few percent of the calls,
and the subscriber population are held for the whole run).

    .venv/bin/python bench/simulate_bench.py --calls 2000000 10000000
    .venv/bin/python bench/simulate_bench.py --calls 10000000 --partition-by-day --days 7

Timing covers everything `simulate()` does: building number blocks (libphonenumber), planting
the campaigns, generating, converting to Arrow and writing Parquet (interpreter start-up and
imports excluded). "CPU s" is the user + system time of the whole process (both threads,
start-up included): on a shared machine it varies less than the wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

CHILD = """
import json, resource, sys, time
began_imports = time.perf_counter()
from pathlib import Path
from ringfence.settings import Settings
from ringfence.simulate import SimulationConfig, simulate
imports = time.perf_counter() - began_imports
calls, days, parted, out, home = (int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1",
                                  Path(sys.argv[4]), sys.argv[5])
config = SimulationConfig(calls=calls, seed=7, days=days, partition_by_day=parted)
began = time.perf_counter()
result = simulate(config, out, Settings(home_country=home))
seconds = time.perf_counter() - began
size = sum(p.stat().st_size for p in result.files)
usage = resource.getrusage(resource.RUSAGE_SELF)
peak = usage.ru_maxrss / 1024
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"calls": result.calls, "seconds": seconds, "imports_s": imports, "cpu_s": cpu,
                  "peak_rss_mib": peak, "parquet_mib": size / 2**20, "files": len(result.files)}))
"""


def run(calls: int, days: int, partition: bool, home: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="simulate-bench-") as out:
        completed = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                str(calls),
                str(days),
                "1" if partition else "0",
                out,
                home,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    figures: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, nargs="+", default=[2_000_000, 10_000_000])
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--partition-by-day", action="store_true")
    parser.add_argument("--home-country", default="BE")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; cpus: {os.cpu_count()}")
    print(
        "| calls | days | seconds | calls/s | CPU s (all threads) | peak RSS (MiB) "
        "| Parquet (MiB) | files |"
    )
    print("|------:|-----:|--------:|--------:|------:|------:|------:|------:|")
    for calls in args.calls:
        r = run(calls, args.days, args.partition_by_day, args.home_country)
        print(
            f"| {int(r['calls']):,} | {args.days} | {r['seconds']:.1f} | "
            f"{r['calls'] / r['seconds']:,.0f} | {r['cpu_s']:.1f} | {r['peak_rss_mib']:,.0f} | "
            f"{r['parquet_mib']:,.0f} | {int(r['files'])} |"
        )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
