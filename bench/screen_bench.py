"""In-process screening speed: verdicts per second on one core.

Run by hand, on a simulated day:

    .venv/bin/ringfence simulate --calls 2000000 --seed 1 --out /tmp/day2m
    taskset -c 0 .venv/bin/python bench/screen_bench.py /tmp/day2m/calls.parquet --calls 1000000

The calls are loaded into memory first (as `CallEvent`s, in time order), so the figure is the
screener's own cost: `screen_event` for every call, then `learn` (the live windows), as in a
live deployment. Both are reported: verdicts/s of screen alone and of screen + learn.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb

from ringfence.detect.stream.events import EVENT_FIELDS, CallEvent, events_of
from ringfence.lists import load_do_not_originate
from ringfence.screen.policy import load_policy
from ringfence.screen.screener import Screener


def load_events(path: Path, limit: int) -> list[CallEvent]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    table = con.sql(
        f"SELECT {', '.join(EVENT_FIELDS)} FROM read_parquet('{path}') ORDER BY start, call_id "
        f"LIMIT {limit}"
    ).to_arrow_table()
    return events_of(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("calls_parquet", type=Path)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--home-country", default="BE")
    args = parser.parse_args()
    events = load_events(args.calls_parquet, args.calls)
    screener = Screener(
        load_policy(args.home_country),
        args.home_country,
        do_not_originate=load_do_not_originate(None, args.home_country),
    )
    started = time.perf_counter()
    for event in events:
        screener.screen_event(event)
        screener.learn(event)
    both = time.perf_counter() - started
    started = time.perf_counter()
    for event in events:  # the windows are warm now: a steady-state screen-only pass
        screener.screen_event(event)
    screen_only = time.perf_counter() - started
    print(
        json.dumps(
            {
                "calls": len(events),
                "screen_and_learn_per_s": round(len(events) / both),
                "screen_only_per_s": round(len(events) / screen_only),
                "seconds_screen_and_learn": round(both, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
