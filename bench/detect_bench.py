"""Benchmark of the batch analysis: seconds, rows/s and peak memory, beside the scan floor.

Run by hand (never in the test suite), e.g. for a 10M-call day:

    .venv/bin/ringfence simulate --calls 10000000 --seed 1 --out /tmp/day10m
    /usr/bin/time -v .venv/bin/python bench/detect_bench.py /tmp/day10m/calls.parquet \
        --engine duckdb
    /usr/bin/time -v .venv/bin/python bench/detect_bench.py /tmp/day10m/calls.parquet --scan-only

`--scan-only` measures the physical floor: DuckDB reading every column the detectors read
(a min() per column forces each to be decoded). Peak memory comes from /usr/bin/time -v
("Maximum resident set size"), which includes the Spark JVM child.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import duckdb

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--home-country", default="BE")
    parser.add_argument("--scan-only", action="store_true")
    args = parser.parse_args()
    if args.scan_only:
        result = scan(args.sources)
    else:
        started = time.perf_counter()
        engine = open_engine(args.engine, spark_master=args.spark_master)
        ready = time.perf_counter() - started
        ctx = DetectionContext(
            args.home_country, load_do_not_originate(None, args.home_country), frozenset()
        )
        analysis = analyze(args.sources, engine, ctx)
        total = time.perf_counter() - started
        result = {
            "engine": args.engine,
            "calls": analysis.calls,
            "engine_start_s": round(ready, 2),
            "seconds": round(total, 2),
            "rows_per_s": round(analysis.calls / total),
            "findings": len(analysis.findings),
            "per_detector_s": {k: round(v, 2) for k, v in analysis.seconds.items()},
        }
    result["python_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
