"""Ingest speed and peak memory on a generated call file, run by hand (not part of the tests).

Why a child process: the peak RSS (`ru_maxrss`) of a process only grows, so each measured ingest
runs alone in a fresh interpreter that reports its own peak at the end. Running it for several
file sizes shows whether memory grows with the file (it must not: reading is chunked).

    .venv/bin/python bench/ingest_bench.py --rows 500000 2000000 --format csv asterisk

The generated file has `--distinct` distinct callers (national and international written forms,
as switches write them) and as many distinct callees (the operator's subscribers), and one bad
row in 1,000 (an unparsable timestamp), so the reject path is exercised too. Ingest time is
dominated by libphonenumber, once per distinct number (cached across chunks).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from ringfence.ingest import DEFAULT_CHUNK_ROWS

HEADER = (
    "call_id,start,caller,callee,direction,ingress,ring_s,answered,duration_s,released_by,"
    "attestation,carrier\n"
)
CHILD = """
import json, resource, sys, time
from pathlib import Path
from ringfence.ingest import ReaderOptions, ingest_files
from ringfence.settings import Settings
source, out, chunk = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
began = time.perf_counter()
summary = ingest_files([source], out, Settings(), options=ReaderOptions(chunk_rows=chunk))
seconds = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "read": summary.read, "written": summary.written,
                  "rejected": summary.rejected, "peak_rss_mib": peak}))
"""


def _numbers(rng: np.random.Generator, count: int) -> list[str]:
    """Distinct caller numbers in the written forms found in CDRs."""
    values = rng.choice(10**7, size=count, replace=False)
    forms = rng.integers(0, 4, size=count)
    out = []
    for value, form in zip(values.tolist(), forms.tolist(), strict=True):
        six = f"{value % 10**6:06d}"
        if form == 0:
            out.append(f"0470 {six[:2]} {six[2:4]} {six[4:]}")  # national, home country BE
        elif form == 1:
            out.append(f"+32470{six}")
        elif form == 2:
            out.append(f"0039351{value:07d}")  # international with 00
        else:
            out.append(f"+336{value:08d}")
    return out


def generate(path: Path, rows: int, distinct: int, fmt: str, seed: int = 7) -> None:
    """Write `rows` calls in `fmt` (csv or asterisk), 100k rows at a time."""
    rng = np.random.default_rng(seed)
    callers = _numbers(rng, distinct)
    subscribers = rng.choice(10**7, size=distinct, replace=False)
    base = np.datetime64("2026-01-15T00:00:00")
    with path.open("w", encoding="utf-8") as handle:
        if fmt == "csv":
            handle.write(HEADER)
        for first in range(0, rows, 100_000):
            size = min(100_000, rows - first)
            who = rng.integers(0, distinct, size=size)
            callee = subscribers[rng.integers(0, distinct, size=size)]
            seconds = np.sort(rng.integers(0, 86_400, size=size))
            ring = rng.integers(0, 30, size=size)
            talk = np.where(rng.random(size) < 0.6, rng.lognormal(4, 1, size).astype(int), 0)
            lines = []
            for i in range(size):
                n = first + i
                start = str(base + np.timedelta64(int(seconds[i]), "s"))
                if n % 1000 == 999:
                    start = "yesterday"
                caller = callers[who[i]]
                dialled = f"+3247{callee[i]:07d}"
                if fmt == "csv":
                    lines.append(
                        f"id{n},{start}Z,{caller},{dialled},inbound,national,{ring[i]},"
                        f"{'true' if talk[i] else 'false'},{talk[i]},caller,none,\n"
                    )
                else:
                    local = start.replace("T", " ")
                    lines.append(
                        f'"","{caller}","{dialled}","from-trunk","","SIP/t-{n}","","Dial","",'
                        f'"{local}","","{local}",{ring[i] + talk[i]},{talk[i]},'
                        f'"{"ANSWERED" if talk[i] else "NO ANSWER"}","DOCUMENTATION",'
                        f'"1768435200.{n}",""\n'
                    )
            handle.write("".join(lines))


def measure(source: Path, chunk: int) -> dict[str, float]:
    out = source.with_suffix(".parquet")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(source), str(out), str(chunk)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    result["input_mib"] = source.stat().st_size / 2**20
    result["output_mib"] = out.stat().st_size / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[500_000, 2_000_000])
    parser.add_argument("--format", nargs="+", default=["csv"], choices=["csv", "asterisk"])
    parser.add_argument("--distinct", type=int, default=200_000)
    parser.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ringfence-ingest-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print("format  rows       input MiB  seconds  rows/s    peak RSS MiB  rejected  out MiB")
    for fmt in args.format:
        for rows in args.rows:
            source = workdir / f"{fmt}-{rows}.csv"
            generate(source, rows, min(args.distinct, rows), fmt)
            result = measure(source, args.chunk_rows)
            assert result["read"] == rows, result
            assert result["read"] == result["written"] + result["rejected"], result
            print(
                f"{fmt:<7} {rows:<10,} {result['input_mib']:>9.1f}  {result['seconds']:>7.1f}  "
                f"{rows / result['seconds']:>8,.0f}  {result['peak_rss_mib']:>12.0f}  "
                f"{int(result['rejected']):>8,}  {result['output_mib']:>7.1f}",
                flush=True,
            )
            source.unlink()
            source.with_suffix(".parquet").unlink()


if __name__ == "__main__":
    main()
