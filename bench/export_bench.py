"""Blocklist exports and alert refreshes on a store of realistic size, timed.

Builds a temporary SQLite store with `--numbers` blocked numbers and `--ranges` blocked ranges
(written straight into the blocklist, as a national operator's list after a month), 200
allow-listed numbers inside those ranges (so carving runs), then times one full export per
format (selection, checks, rendering, Ed25519 signature), a delta export, and one alerts
refresh over `--findings` Wangiri findings and `--reports` citizens' reports.

    .venv/bin/python bench/export_bench.py --numbers 20000 --ranges 2000
"""

from __future__ import annotations

import argparse
import random
import secrets
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ringfence.alerts import Alerts
from ringfence.domain.clock import FixedClock
from ringfence.domain.findings import Finding, Subject, SubjectRole
from ringfence.export import ExportFormat, build_export, generate_keypair, load_private_key
from ringfence.reputation.findings import apply_findings
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import (
    AllowEntry,
    BlockAction,
    BlockChange,
    ReportRecord,
    ReportStatus,
    open_store,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--numbers", type=int, default=20_000)
    parser.add_argument("--ranges", type=int, default=2_000)
    parser.add_argument("--findings", type=int, default=300)
    parser.add_argument("--reports", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="rf-export-bench-"))
    store = open_store(f"sqlite:///{folder / 'bench.db'}")
    clock = FixedClock(NOW)
    started = time.perf_counter()
    ranges = sorted({f"+3935{rng.randrange(10**5):05d}" for _ in range(args.ranges)})
    with store.transaction():
        for index in range(args.numbers):
            subject = f"+32470{index:06d}"
            store.record_block_change(_change(subject, "number"))
        for subject in ranges:
            store.record_block_change(_change(subject, "range"))
        for subject in ranges[:200]:
            store.add_allowed(AllowEntry(subject + "0000", "bench holder", "bench", NOW))
    print(
        f"store: {args.numbers} numbers, {len(ranges)} ranges written in "
        f"{time.perf_counter() - started:.1f} s"
    )
    reputations = Reputations(store, clock, home_country="BE")
    key = load_private_key(generate_keypair(folder / "keys")[0])
    print("| format | entries | bytes | seconds |")
    print("|---|---:|---:|---:|")
    for fmt in ExportFormat:
        began = time.perf_counter()
        made = build_export(reputations, fmt, signing_key=key)
        took = time.perf_counter() - began
        print(f"| {fmt.value} | {len(made.selection.entries)} | {len(made.body):,} | {took:.2f} |")
    version = store.block_version()
    with store.transaction():
        for index in range(1000):
            store.record_block_change(_change(f"+32471{index:06d}", "number"))
    began = time.perf_counter()
    delta = build_export(reputations, ExportFormat.JSON, since=version, signing_key=key)
    print(
        f"| json delta (1000 changes) | {len(delta.selection.entries)} | "
        f"{len(delta.body):,} | {time.perf_counter() - began:.2f} |"
    )

    findings = [_wangiri(f"+2162{i:04d}") for i in range(args.findings)]
    apply_findings(store, findings, clock=clock, home_country="BE")
    _reports(store, args.reports, rng)
    alerts = Alerts(reputations, min_refresh_s=0)
    began = time.perf_counter()
    summary = alerts.refresh()
    took = time.perf_counter() - began
    print(
        f"alerts refresh: {summary.findings_read} findings, {summary.reports_read} reports, "
        f"{len(summary.created)} alerts created in {took:.2f} s"
    )
    began = time.perf_counter()
    again = alerts.refresh()
    print(
        f"second refresh (nothing new): {len(again.updated)} updated in "
        f"{time.perf_counter() - began:.2f} s"
    )
    store.close()


def _change(subject: str, kind: str) -> BlockChange:
    return BlockChange(
        0,
        BlockAction.ADD,
        subject,
        kind,
        "one_ring",
        "bench entry",
        (),
        90.0,
        NOW + timedelta(days=14),
        NOW,
    )


def _wangiri(prefix: str) -> Finding:
    return Finding.create(
        detector="wangiri",
        kind="one_ring_range",
        title=f"One-ring calls from {prefix}",
        reason="bench",
        score=0.9,
        first_seen=NOW - timedelta(hours=2),
        last_seen=NOW,
        counts={"calls": 200, "distinct_callees": 100},
        subjects=[Subject(prefix, SubjectRole.SOURCE_RANGE)],
        evidence=[],
        key=prefix,
        details={"range": prefix, "country": "TN"},
    )


def _reports(store: object, count: int, rng: random.Random) -> None:
    from ringfence.reputation.store import Store

    assert isinstance(store, Store)
    rows = []
    for index in range(count):
        at = NOW - timedelta(minutes=rng.randrange(24 * 60))
        rows.append(
            ReportRecord(
                id=f"rep-bench-{index}",
                number=f"+32472{rng.randrange(10**4):06d}",
                number_raw="bench",
                occurred_at=at,
                received_at=at,
                channel="sms",
                category="bank_impersonation",
                text=f"Your card {index} is blocked: call us",
                called_back=False,
                money_lost=False,
                language="en",
                country="BE",
                source="citizen",
                reporter=secrets.token_hex(8),
                ip_hash=None,
                status=ReportStatus.COUNTED,
            )
        )
    store.add_reports(rows)


if __name__ == "__main__":
    main()
