"""Replay call records through the screener in event-time order, as if live.

Each call is screened at its setup (only setup fields are read), then learned when it ends,
exactly as a live deployment would see it. With the simulator's ground truth, the summary says
which planted campaigns were stopped and after how many of their calls, and what share of the
baseline traffic would have been blocked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ringfence.detect.engine import parquet_list_sql
from ringfence.detect.stream.events import EVENT_FIELDS, events_of
from ringfence.domain.verdicts import Outcome
from ringfence.screen.screener import Screener

VERDICT_SCHEMA = pa.schema(
    [
        pa.field("call_id", pa.string(), nullable=False),
        pa.field("outcome", pa.string(), nullable=False),
        pa.field("rules", pa.list_(pa.string()), nullable=False),
        pa.field("policy_version", pa.string(), nullable=False),
    ]
)
_STOPPING = {Outcome.LABEL, Outcome.WARN, Outcome.VOICEMAIL, Outcome.BLOCK}


@dataclass
class CampaignStop:
    kind: str
    calls: int = 0
    stopped: int = 0
    first_stopped_at: int | None = None
    """1-based position, in time order, of the first campaign call that was stopped."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "calls": self.calls,
            "stopped": self.stopped,
            "first_stopped_at_call": self.first_stopped_at,
        }


@dataclass
class ReplaySummary:
    calls: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    campaigns: dict[str, CampaignStop] = field(default_factory=dict)
    baseline_calls: int = 0
    baseline_blocked: int = 0
    baseline_labelled: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "outcomes": dict(self.outcomes),
            "rules": dict(self.rules),
            "campaigns": {k: v.to_dict() for k, v in sorted(self.campaigns.items())},
            "baseline_calls": self.baseline_calls,
            "baseline_blocked": self.baseline_blocked,
            "baseline_blocked_share": self.baseline_blocked / self.baseline_calls
            if self.baseline_calls
            else 0.0,
            "baseline_labelled": self.baseline_labelled,
            "seconds": round(self.seconds, 2),
            "verdicts_per_second": round(self.calls / self.seconds) if self.seconds else None,
        }


def replay(
    sources: Sequence[Path],
    screener: Screener,
    out_dir: Path,
    *,
    truth: Path | None = None,
    batch_rows: int = 100_000,
    progress: Callable[[int], None] | None = None,
) -> ReplaySummary:
    """Screen then learn every call of `sources` in time order; write DIR/verdicts.parquet."""
    out_dir.mkdir(parents=True, exist_ok=True)
    kinds = _truth_kinds(truth)
    summary = ReplaySummary()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    relation = con.sql(
        f"SELECT {', '.join(EVENT_FIELDS)} FROM read_parquet({parquet_list_sql(sources)}, "
        "union_by_name=true) ORDER BY start, call_id"
    )
    reader: pa.RecordBatchReader = relation.to_arrow_reader(batch_rows)
    started = datetime.now(UTC)
    with pq.ParquetWriter(out_dir / "verdicts.parquet", VERDICT_SCHEMA) as writer:
        for batch in reader:
            writer.write_table(_replay_batch(batch, screener, summary, kinds))
            if progress is not None:
                progress(batch.num_rows)
    summary.seconds = (datetime.now(UTC) - started).total_seconds()
    con.close()
    return summary


def _replay_batch(
    batch: pa.RecordBatch, screener: Screener, summary: ReplaySummary, kinds: dict[str, str]
) -> pa.Table:
    ids: list[str] = []
    outcomes: list[str] = []
    rules: list[list[str]] = []
    version = screener.policy.version
    for event in events_of(batch):
        verdict = screener.screen_event(event)
        screener.learn(event)
        ids.append(event.call_id)
        outcomes.append(verdict.outcome.value)
        fired = verdict.rules
        rules.append(fired)
        summary.calls += 1
        summary.outcomes[verdict.outcome.value] += 1
        summary.rules.update(fired)
        kind = kinds.get(event.call_id)
        if kind is None:
            summary.baseline_calls += 1
            summary.baseline_blocked += verdict.outcome is Outcome.BLOCK
            summary.baseline_labelled += verdict.outcome is Outcome.LABEL
        else:
            stop = summary.campaigns.get(kind)
            if stop is None:
                stop = summary.campaigns[kind] = CampaignStop(kind)
            stop.calls += 1
            if verdict.outcome in _STOPPING:
                stop.stopped += 1
                if stop.first_stopped_at is None:
                    stop.first_stopped_at = stop.calls
    return pa.table(
        {
            "call_id": ids,
            "outcome": outcomes,
            "rules": rules,
            "policy_version": [version] * len(ids),
        },
        schema=VERDICT_SCHEMA,
    )


def _truth_kinds(truth: Path | None) -> dict[str, str]:
    if truth is None:
        return {}
    table = pq.read_table(truth, columns=["call_id", "campaign_kind"])
    return dict(
        zip(
            table.column("call_id").to_pylist(),
            table.column("campaign_kind").to_pylist(),
            strict=True,
        )
    )
