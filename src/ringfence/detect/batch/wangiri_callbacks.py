"""Subscribers who call a Wangiri range back: the victims the campaign is fishing for.

A one-ring call costs the fraudster nothing; the money is made when the subscriber calls back
a premium-rate or revenue-share number. A callback is an outbound call from subscriber S to a
number of a flagged range, after a one-ring call from that range reached S (within the
lookback). The finding lists the subscribers at risk (private: for the operator's warning,
never published), the destinations they were lured to (blockable), and for each callback the
call that lured it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import ibis
import pyarrow as pa
from ibis import _
from ibis.expr.types import BooleanValue, Table

from ringfence.detect.batch.calls import Revisit, Steps
from ringfence.detect.batch.common import (
    DetectorOutput,
    as_utc,
    evidence_by_key,
    flagged_table,
    saturating,
    starts_with_any,
)
from ringfence.detect.engine import Engine
from ringfence.domain.findings import Finding, Subject, SubjectRole

MAX_LISTED = 500


def find_callbacks(
    lures: Table,
    ranges: list[str],
    lookback_days: int,
    engine: Engine,
    detector: str,
) -> Steps:
    """Callbacks to `ranges` after a lure (a flagged one-ring call with a `range` column)."""
    if not ranges:
        return DetectorOutput.empty()
    lengths = sorted({len(r) for r in ranges})
    groups = {n: [r for r in ranges if len(r) == n] for n in lengths}

    def dials_a_range(calls: Table) -> BooleanValue:
        # As prefix patterns when there are few (cheaper per call than a substring lookup,
        # see MAX_PREFIX_PATTERNS); each range length is matched exactly afterwards.
        to_ranges = starts_with_any(calls.callee, ranges)
        if to_ranges is None:
            to_ranges = ibis.or_(*(calls.callee.substr(0, n).isin(groups[n]) for n in lengths))
        return (calls.direction == "outbound") & to_ranges

    dialled = yield Revisit(
        dials_a_range, ("call_id", "caller", "callee", "start", "duration_s", "callee_type")
    )
    parts = []
    for length in lengths:
        prefix = dialled.callee.substr(0, length)
        parts.append(dialled.filter(prefix.isin(groups[length])).mutate(cb_range=prefix))
    candidates = parts[0]
    for part in parts[1:]:
        candidates = candidates.union(part)
    lure = lures.select(
        lure_id=lures.call_id,
        lure_from=lures.caller,
        lure_to=lures.callee,
        lure_start=lures.start,
        lure_range=lures.range,
    )
    joined = candidates.join(
        lure,
        [
            candidates.caller == lure.lure_to,
            candidates.cb_range == lure.lure_range,
            candidates.start > lure.lure_start,
            candidates.start <= lure.lure_start + ibis.interval(days=lookback_days),
        ],
    )
    per_callback = joined.group_by(
        ["call_id", "caller", "callee", "start", "cb_range", "duration_s", "callee_type"]
    ).aggregate(
        lure_id=_.lure_id.argmax(_.lure_start),
        last_lure=_.lure_start.max(),
        exact=(_.lure_from == _.callee).any(),
    )
    rows = engine.execute(per_callback.order_by(["cb_range", "call_id"])).to_pylist()
    if not rows:
        return DetectorOutput.empty()
    by_range: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_range[row["cb_range"]].append(row)
    flagged = pa.table(
        {"call_id": [r["call_id"] for r in rows], "range": [r["cb_range"] for r in rows]}
    )
    evidence = evidence_by_key(flagged, "range")
    findings = {
        r: _finding(r, group, evidence.get(r, []), detector) for r, group in by_range.items()
    }
    ids = {r: f.finding_id for r, f in findings.items()}
    return DetectorOutput(list(findings.values()), flagged_table(flagged, "range", ids, detector))


def _finding(
    range_: str, group: list[dict[str, Any]], evidence: list[str], detector: str
) -> Finding:
    subscribers = sorted({r["caller"] for r in group})
    destinations = sorted({r["callee"] for r in group})
    premium = sum(1 for r in group if r["callee_type"] == "premium_rate")
    exact = sum(1 for r in group if r["exact"])
    minutes = sum(float(r["duration_s"]) for r in group) / 60.0
    reason = (
        f"{len(subscribers)} subscriber(s) called back the range {range_} {len(group)} time(s) "
        f"({minutes:.0f} min in all) after a one-ring call from it; {exact} called back the "
        "very number that rang them"
    )
    reason += f", {premium} to premium-rate numbers." if premium else "."
    reason += " Warn these subscribers and block further calls to the range."
    subjects = [Subject(d, SubjectRole.CALLBACK_DESTINATION) for d in destinations[:MAX_LISTED]]
    subjects += [Subject(s, SubjectRole.AT_RISK) for s in subscribers[:MAX_LISTED]]
    lured = [
        {
            "callback_call": r["call_id"],
            "lure_call": r["lure_id"],
            "subscriber": r["caller"],
            "destination": r["callee"],
        }
        for r in group[:MAX_LISTED]
    ]
    return Finding.create(
        detector=detector,
        kind="callback",
        title=f"Subscribers calling back the Wangiri range {range_}...",
        reason=reason,
        score=0.5 + 0.5 * saturating(len(subscribers), 5.0),
        first_seen=as_utc(min(r["start"] for r in group)),
        last_seen=as_utc(max(r["start"] for r in group)),
        counts={
            "callbacks": len(group),
            "subscribers_at_risk": len(subscribers),
            "premium_rate_callbacks": premium,
            "exact_number_callbacks": exact,
            "minutes": round(minutes, 1),
        },
        subjects=subjects,
        evidence=evidence,
        key=f"callback|{range_}",
        details={"range": range_, "lured": lured},
    )
