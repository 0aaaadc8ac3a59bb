"""Benchmark of the batch analysis: seconds, rows/s and peak memory, beside the scan floor.

Run by hand (never in the test suite), e.g. for a 10M-call day:

    .venv/bin/ringfence simulate --calls 10000000 --seed 1 --out /tmp/day10m
    /usr/bin/time -v .venv/bin/python bench/detect_bench.py /tmp/day10m/calls.parquet \
        --engine duckdb
    /usr/bin/time -v .venv/bin/python bench/detect_bench.py /tmp/day10m/calls.parquet --scan-only

`--scan-only` measures the physical floor: DuckDB reading every column the detectors read
(a min() per column forces each to be decoded). Peak memory comes from /usr/bin/time -v
("Maximum resident set size"), which includes the Spark JVM child.

Both clocks start once the libraries are imported and the engine is open: the scan's after
duckdb.connect(), the analysis's after open_engine() (reported apart as engine_start_s).
pandas is imported with the others: pyarrow imports it at the first conversion of every
analysis (0.2 s), a cost of starting Python, not of the records. `--repeat N` runs N times
(a fresh engine each time) and reports every time, the median, and the details of the run
with the middle time.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

import duckdb
import pandas  # noqa: F401  (imported before the clock, like duckdb and ibis: see above)

from ringfence.detect.analysis import analyze
from ringfence.detect.batch.common import DetectionContext
from ringfence.detect.engine import open_engine
from ringfence.domain.calls import CALL_SCHEMA
from ringfence.lists import load_do_not_originate

READ_COLUMNS = [
    name for name in CALL_SCHEMA.names if name not in ("caller_raw", "callee_raw", "callee_valid")
]


def scan(sources: list[Path]) -> dict[str, float]:
    paths = [str(s / "**" / "*.parquet") if s.is_dir() else str(s) for s in sources]
    con = duckdb.connect()
    started = time.perf_counter()
    select = ", ".join(f"min(epoch_us({c}))" if c == "start" else f"min({c})" for c in READ_COLUMNS)
    rows = con.execute(f"SELECT count(*), {select} FROM read_parquet({paths})").fetchone()
    seconds = time.perf_counter() - started
    calls = int(rows[0]) if rows else 0
    return {"calls": calls, "seconds": round(seconds, 2), "rows_per_s": round(calls / seconds)}


def analyse(args: argparse.Namespace) -> dict[str, object]:
    started = time.perf_counter()
    engine = open_engine(args.engine, spark_master=args.spark_master)
    ready = time.perf_counter()
    ctx = DetectionContext(
        args.home_country, load_do_not_originate(None, args.home_country), frozenset()
    )
    analysis = analyze(args.sources, engine, ctx)
    seconds = time.perf_counter() - ready
    engine.close()
    return {
        "engine": args.engine,
        "calls": analysis.calls,
        "engine_start_s": round(ready - started, 2),
        "seconds": round(seconds, 2),
        "rows_per_s": round(analysis.calls / seconds),
        "findings": len(analysis.findings),
        "per_detector_s": {k: round(v, 2) for k, v in analysis.seconds.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--home-country", default="BE")
    parser.add_argument("--scan-only", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs (median reported)")
    args = parser.parse_args()
    runs = [scan(args.sources) if args.scan_only else analyse(args) for _ in range(args.repeat)]
    times = [float(str(run["seconds"])) for run in runs]
    result = dict(sorted(runs, key=lambda run: float(str(run["seconds"])))[len(runs) // 2])
    if len(runs) > 1:
        result["seconds_each"] = times
        result["seconds_median"] = round(statistics.median(times), 2)
    result["python_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
