"""Foreign call centres: foreign numbers that each hold long conversations with many subscribers.

Why: "dormant crypto wallet" recovery, fake investment and romance scams are run from call
centres abroad that reuse a small pool of mobile numbers. A foreign mobile that talks for
minutes with dozens of different subscribers of one operator in a day is not a person; the
campaign is the set of such numbers in a range. Defaults: `min_callees` 10 distinct callees
a day per number (a person abroad calls a handful of people in a country in a day; 8 gave
false findings on the simulated 2M-call day, 15 missed small call centres), at least
`min_answer_share` 30% answered, mean answered call at least `min_mean_answered_s` 60 s
(social engineering takes time: Wangiri and robocalls do not). Numbers are grouped into a
finding per range of `range_digits` 2 digits after the country code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ibis import _

from ringfence.detect.batch.calls import Calls
from ringfence.detect.batch.common import (
    DetectorOutput,
    Selector,
    as_utc,
    evidence_by_key,
    flagged_table,
    foreign_or_premium_inbound,
    saturating,
    with_enough_calls,
)
from ringfence.domain.findings import Finding, Subject, SubjectRole


@dataclass(frozen=True)
class ForeignFanout:
    min_callees: int = 10
    min_answer_share: float = 0.3
    min_mean_answered_s: float = 60.0
    range_digits: int = 2
    name: str = "foreign_fanout"

    def selectors(self) -> tuple[Selector, ...]:
        return (foreign_or_premium_inbound,)

    def run(self, calls: Calls) -> DetectorOutput:
        engine = calls.engine
        foreign = calls.inbound_foreign().mutate(day=_.start.date().cast("string"))
        # Distinct callees only for numbers with enough calls to reach them.
        per_number = with_enough_calls(foreign, ["caller", "day"], self.min_callees)
        per_number = per_number.group_by(["caller", "day"]).aggregate(
            calls=_.count(),
            callees=_.callee.nunique(),
            answered=_.answered.sum(),
            answered_seconds=(_.duration_s * _.answered.cast("float64")).sum(),
        )
        qualifying = per_number.filter(
            (_.callees >= self.min_callees)
            & (_.answered >= _.calls * self.min_answer_share)
            & (_.answered_seconds >= _.answered * self.min_mean_answered_s)
        ).select("caller", "day")
        chosen = foreign.join(qualifying, ["caller", "day"])
        chosen = engine.materialize(
            chosen.mutate(range=chosen.caller.substr(0, chosen.cc_len + 1 + self.range_digits))
        )
        stats = chosen.group_by("range").aggregate(
            calls=_.count(),
            callees=_.callee.nunique(),
            numbers=_.caller.nunique(),
            answered=_.answered.sum(),
            minutes=(_.duration_s * _.answered.cast("float64")).sum() / 60.0,
            first_seen=_.start.min(),
            last_seen=_.start.max(),
            country=_.caller_country.max(),
        )
        stat_rows = engine.execute(stats).to_pylist()
        if not stat_rows:
            return DetectorOutput.empty()
        flagged = engine.execute(chosen.select("call_id", "range"))
        numbers: dict[str, list[str]] = defaultdict(list)
        for row in engine.execute(
            chosen.select("range", "caller").distinct().order_by(["range", "caller"])
        ).to_pylist():
            numbers[row["range"]].append(row["caller"])
        evidence = evidence_by_key(flagged, "range")
        findings = {
            row["range"]: self._finding(row, numbers[row["range"]], evidence.get(row["range"], []))
            for row in stat_rows
        }
        ids = {r: f.finding_id for r, f in findings.items()}
        return DetectorOutput(
            sorted(findings.values(), key=lambda f: f.finding_id),
            flagged_table(flagged, "range", ids, self.name),
        )

    def _finding(self, row: dict[str, Any], numbers: list[str], evidence: list[str]) -> Finding:
        reason = (
            f"{row['numbers']} number(s) of {row['range']}... ({row['country']}) held "
            f"{row['answered']} answered calls ({float(row['minutes']):.0f} min) with "
            f"{row['callees']} distinct subscribers: each number talked at length with at least "
            f"{self.min_callees} strangers a day, the pattern of a scam call centre (crypto "
            "recovery, investment or romance scams). These numbers can be blocked; warn the "
            "subscribers who answered."
        )
        return Finding.create(
            detector=self.name,
            kind="foreign_call_centre",
            title=f"Foreign call centre using {row['numbers']} number(s) of {row['range']}...",
            reason=reason,
            score=saturating(row["callees"], 50.0),
            first_seen=as_utc(row["first_seen"]),
            last_seen=as_utc(row["last_seen"]),
            counts={
                "calls": int(row["calls"]),
                "distinct_callees": int(row["callees"]),
                "distinct_numbers": int(row["numbers"]),
                "answered": int(row["answered"]),
                "minutes": round(float(row["minutes"]), 1),
            },
            subjects=[Subject(n, SubjectRole.SOURCE_NUMBER) for n in numbers],
            evidence=evidence,
            key=str(row["range"]),
            details={"range": row["range"], "country": row["country"]},
        )
