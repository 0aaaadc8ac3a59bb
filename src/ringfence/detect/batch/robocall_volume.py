"""Robocall volume: a source dialling very many numbers, in sequence or like a metronome.

Why these three signs together: high fan-out alone also describes a bank's notification line
or a delivery company; what a person or a legitimate platform does not do is dial callee
numbers one after the other (+32470000101, ...102, ...103) or at perfectly regular intervals.
A source is a /100 block (the CLI without its last two digits), so a dialler that rotates its
last digits is still one source. Windows are UTC days.

Defaults: `min_calls` 30 and `min_callees` 25 a day (the live twin decides on the last 30
calls, so both see the same sources; fan-out alone is not the criterion, the signs below are);
sequential when at least `min_sequential_share` 50% of consecutive calls go to a callee within
`max_step` 10 of the previous one; regular when the coefficient of variation of the gaps
between calls is at most `max_gap_cv` 0.3 (human or queue-driven traffic is near 1, the value
of a Poisson process); robocalls are short: mean duration at most `max_mean_duration_s` 60 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
from ibis import _
from ibis.expr.types import BooleanValue, StringValue, Table

from ringfence.detect.batch.calls import Calls, Revisit, Steps
from ringfence.detect.batch.common import (
    DetectorOutput,
    Selector,
    as_utc,
    epoch_seconds,
    evidence_by_key,
    flagged_table,
    saturating,
)
from ringfence.domain.findings import Finding, Subject, SubjectRole


@dataclass(frozen=True)
class RobocallVolume:
    min_calls: int = 30
    min_callees: int = 25
    max_step: int = 10
    min_sequential_share: float = 0.5
    max_gap_cv: float = 0.3
    max_mean_duration_s: float = 60.0
    name: str = "robocall_volume"

    def selectors(self) -> tuple[Selector, ...]:
        """None: a robocaller is found from the volume of all its calls, not from a subset."""
        return ()

    def run(self, calls: Calls) -> DetectorOutput:
        return calls.drive(self.steps(calls))

    def steps(self, calls: Calls) -> Steps:
        engine, table = calls.engine, calls.table
        sourced = _with_block(table.filter(_has_block(table)))
        # Cheap aggregates first: most sources fail on volume or call length, so the
        # distinct count and the ordered window below run on a handful of candidates.
        # Two passes, not one query: in one query the engine keeps every call with its block
        # between the two steps (100M calls: 52.7 s, spilling), where two streaming passes
        # keep only the busy blocks.
        busy = engine.materialize(
            sourced.group_by(["block", "day"])
            .aggregate(n=_.count(), mean_duration=_.duration_s.mean())
            .filter((_.n >= self.min_calls) & (_.mean_duration <= self.max_mean_duration_s))
            .select("block", "day")
        )
        if not engine.execute(busy.limit(1)).num_rows:
            return DetectorOutput.empty()
        # The calls of the busy blocks are read again (the block tested while scanning; the
        # day on the few calls kept).
        columns = ("call_id", "caller", "callee", "start", "duration_s", "answered")
        revisited = yield Revisit(
            lambda records: _has_block(records) & _block(records.caller).isin(busy.block), columns
        )
        rows = _with_block(revisited).join(busy, ["block", "day"])
        rows = engine.materialize(
            rows.mutate(source=rows.block.concat("|", rows.day.date().cast("string"))).select(
                "call_id", "source", "caller", "callee", "start", "duration_s", "answered"
            )
        )
        window = ibis.window(group_by=rows.source, order_by=[rows.start, rows.call_id])
        millis = epoch_seconds(rows.start) * 1000 + rows.start.millisecond()
        number = ibis.ifelse(
            rows.callee.startswith("+"), rows.callee.substr(1).cast("int64"), ibis.null("int64")
        )
        stepped = rows.mutate(at_ms=millis, callee_n=number).mutate(
            prev_ms=_.at_ms.lag().over(window), prev_n=_.callee_n.lag().over(window)
        )
        stepped = stepped.mutate(
            gap_s=(stepped.at_ms - stepped.prev_ms).cast("float64") / 1000.0,
            sequential=(
                (stepped.callee_n - stepped.prev_n).abs().between(1, self.max_step)
            ).fill_null(False),
        )
        stats = stepped.group_by("source").aggregate(
            calls=_.count(),
            callees=_.callee.nunique(),
            sequential=_.sequential.sum(),
            gap_mean=_.gap_s.mean(),
            gap_std=_.gap_s.std(how="sample"),
            mean_duration=_.duration_s.mean(),
            first_seen=_.start.min(),
            last_seen=_.start.max(),
            clis=_.caller.nunique(),
            answered=_.answered.sum(),
        )
        stats = stats.mutate(
            seq_share=_.sequential.cast("float64") / (_.calls - 1).cast("float64"),
            gap_cv=ibis.ifelse(_.gap_mean > 0, _.gap_std / _.gap_mean, 99.0),
        ).filter(
            ((_.seq_share >= self.min_sequential_share) | (_.gap_cv <= self.max_gap_cv))
            & (_.mean_duration <= self.max_mean_duration_s)
            & (_.callees >= self.min_callees)
        )
        stats = engine.materialize(stats)
        stat_rows = engine.execute(stats).to_pylist()
        if not stat_rows:
            return DetectorOutput.empty()
        flagged = engine.execute(
            rows.join(stats.select("source"), "source").select("call_id", "source")
        )
        evidence = evidence_by_key(flagged, "source")
        findings = {
            row["source"]: self._finding(row, evidence.get(row["source"], [])) for row in stat_rows
        }
        ids = {source: f.finding_id for source, f in findings.items()}
        return DetectorOutput(
            sorted(findings.values(), key=lambda f: f.finding_id),
            flagged_table(flagged, "source", ids, self.name),
        )

    def _finding(self, row: dict[str, Any], evidence: list[str]) -> Finding:
        block, day = str(row["source"]).split("|", 1)
        seq_share = round(float(row["seq_share"]), 4)
        gap_cv = round(float(row["gap_cv"]), 4)
        signs = []
        if seq_share >= self.min_sequential_share:
            signs.append(
                f"{seq_share:.0%} of consecutive calls went to the next numbers in sequence"
            )
        if gap_cv <= self.max_gap_cv:
            signs.append(
                f"calls followed each other every {float(row['gap_mean']):.1f} s with almost no "
                f"variation (coefficient of variation {gap_cv:.2f})"
            )
        reason = (
            f"On {day} the block {block}xx placed {row['calls']} calls to {row['callees']} "
            f"distinct numbers; {' and '.join(signs)}: a machine dialling, not a person. "
            f"Mean call length {float(row['mean_duration']):.0f} s."
        )
        return Finding.create(
            detector=self.name,
            kind="sequential_dialling"
            if seq_share >= self.min_sequential_share
            else "regular_dialling",
            title=f"Automated dialling from {block}xx on {day}",
            reason=reason,
            score=saturating(row["callees"], 300.0)
            * (0.7 + 0.3 * max(seq_share, 1.0 - min(gap_cv, 1.0))),
            first_seen=as_utc(row["first_seen"]),
            last_seen=as_utc(row["last_seen"]),
            counts={
                "calls": int(row["calls"]),
                "distinct_callees": int(row["callees"]),
                "distinct_clis": int(row["clis"]),
                "sequential_share": seq_share,
                "gap_cv": gap_cv,
                "answered": int(row["answered"]),
            },
            subjects=[Subject(f"{block}", SubjectRole.SOURCE_RANGE)],
            evidence=evidence,
            key=str(row["source"]),
            details={
                "block": f"{block}xx",
                "day": day,
                "mean_gap_s": round(float(row["gap_mean"]), 3),
            },
        )


def _has_block(calls: Table) -> BooleanValue:
    """A caller that belongs to a /100 block: an E.164 number of 8 characters or more."""
    return calls.caller.startswith("+") & (calls.caller.length() >= 8)


def _block(caller: StringValue) -> StringValue:
    """The /100 block of a number: the number without its last two digits."""
    return caller.substr(0, caller.length() - 2)


def _with_block(calls: Table) -> Table:
    return calls.mutate(block=_block(calls.caller), day=calls.start.truncate("D"))
