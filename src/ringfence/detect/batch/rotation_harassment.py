"""Rotation harassment: one subscriber called by many different foreign numbers within a day.

Why: a subscriber cannot block numbers that change with every call; the operator can, for that
subscriber, block the few ranges or countries the calls come from. The finding therefore ends
with the smallest set of ranges (or whole country codes) that would have stopped the calls.

Windows: 24 h windows starting every 12 h (hopping), keyed by event time, so a burst of up to
12 h is always inside one window whatever the hour it starts. Defaults: at least
`min_callers` 15 distinct foreign numbers in a window, and "ever-changing" numbers: at least
`min_distinct_ratio` 0.5 distinct numbers per call (a relative abroad calling ten times is not
rotation).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import ibis
import pyarrow as pa
from ibis import _

from ringfence.detect.batch.calls import Calls
from ringfence.detect.batch.common import (
    DetectorOutput,
    Selector,
    as_utc,
    epoch_seconds,
    evidence_by_key,
    flagged_table,
    foreign_or_premium_inbound,
    saturating,
    with_enough_calls,
)
from ringfence.domain.findings import Finding, Subject, SubjectRole
from ringfence.domain.numbers import NumberRange

WINDOW_S = 24 * 3600
HOP_S = 12 * 3600


@dataclass(frozen=True)
class RotationHarassment:
    min_callers: int = 15
    min_distinct_ratio: float = 0.5
    block_coverage: float = 0.95
    name: str = "rotation_harassment"

    def selectors(self) -> tuple[Selector, ...]:
        return (foreign_or_premium_inbound,)

    def run(self, calls: Calls) -> DetectorOutput:
        engine = calls.engine
        foreign = calls.inbound_foreign()
        epoch = epoch_seconds(foreign.start)
        foreign = foreign.mutate(epoch=epoch, hop=(epoch // HOP_S) * HOP_S)
        windows = ibis.memtable(pa.table({"back": pa.array([0, HOP_S], pa.int64())}))
        in_windows = foreign.cross_join(windows).mutate(window=_.hop - _.back)
        # Distinct callers only where there are enough calls to hold them.
        in_windows = with_enough_calls(in_windows, ["callee", "window"], self.min_callers)
        qualifying = (
            in_windows.group_by(["callee", "window"])
            .aggregate(calls=_.count(), callers=_.caller.nunique())
            .filter(
                (_.callers >= self.min_callers) & (_.callers >= _.calls * self.min_distinct_ratio)
            )
        )
        spans = engine.materialize(
            qualifying.group_by("callee").aggregate(
                first_window=_.window.min(), last_window=_.window.max()
            )
        )
        if not engine.execute(spans.limit(1)).num_rows:
            return DetectorOutput.empty()
        flagged_expr = foreign.join(spans, "callee").filter(
            (_.epoch >= _.first_window) & (_.epoch < _.last_window + WINDOW_S)
        )
        rows = engine.execute(
            flagged_expr.select("call_id", "callee", "caller", "caller_country", "start")
        )
        flagged = rows.select(["call_id", "callee"])
        evidence = evidence_by_key(flagged, "callee")
        per_victim: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows.to_pylist():
            per_victim[row["callee"]].append(row)
        findings = {
            victim: self._finding(victim, group, evidence.get(victim, []))
            for victim, group in per_victim.items()
        }
        ids = {victim: f.finding_id for victim, f in findings.items()}
        return DetectorOutput(
            sorted(findings.values(), key=lambda f: f.finding_id),
            flagged_table(flagged, "callee", ids, self.name),
        )

    def recommend_blocks(self, callers: list[str]) -> list[dict[str, Any]]:
        """Smallest ranges that together cover `block_coverage` of the calls.

        Per calling country, the common range of its numbers (a whole country code when they
        share nothing more), largest first, until the coverage is reached.
        """
        by_country: dict[str, list[str]] = defaultdict(list)
        for number in callers:
            cc = NumberRange.parse(number).country_code
            by_country[str(cc) if cc else number[1:2]].append(number)
        blocks: list[tuple[int, str]] = []
        for numbers in by_country.values():
            blocks.append((len(numbers), str(NumberRange.common(numbers))))
        blocks.sort(key=lambda b: (-b[0], b[1]))
        chosen: list[dict[str, Any]] = []
        covered = 0
        for calls, block in blocks:
            if covered >= self.block_coverage * len(callers):
                break
            chosen.append({"range": block, "calls": calls})
            covered += calls
        return chosen

    def _finding(self, victim: str, group: list[dict[str, Any]], evidence: list[str]) -> Finding:
        callers = [r["caller"] for r in group]
        distinct = sorted(set(callers))
        countries = Counter(str(r["caller_country"]) for r in group)
        blocks = self.recommend_blocks(callers)
        block_text = ", ".join(f"{b['range']} ({b['calls']} calls)" for b in blocks)
        reason = (
            f"{victim} received {len(group)} calls from {len(distinct)} different foreign "
            f"numbers in {len(countries)} countries ({', '.join(sorted(countries))}) within "
            "24 hours: numbers this changing cannot be blocked one by one. Blocking "
            f"{block_text} for this subscriber would have stopped "
            f"{sum(int(b['calls']) for b in blocks)} of them."
        )
        return Finding.create(
            detector=self.name,
            kind="rotating_foreign_numbers",
            title=f"A subscriber harassed by {len(distinct)} rotating foreign numbers",
            reason=reason,
            score=saturating(len(distinct), 25.0),
            first_seen=as_utc(min(r["start"] for r in group)),
            last_seen=as_utc(max(r["start"] for r in group)),
            counts={
                "calls": len(group),
                "distinct_callers": len(distinct),
                "countries": len(countries),
            },
            subjects=[Subject(victim, SubjectRole.TARGET)]
            + [Subject(b["range"], SubjectRole.SOURCE_RANGE, blockable=False) for b in blocks],
            evidence=evidence,
            key=victim,
            details={"recommended_blocks": blocks, "countries": dict(sorted(countries.items()))},
        )
