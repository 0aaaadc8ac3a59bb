"""Wangiri (one-ring) campaigns, profiled by number *range*, and the subscribers who call back.

Why ranges: a Wangiri campaign changes its number with every call, so no number repeats and
per-number counting sees nothing. The numbers come from a few blocks the fraudster rents
(often premium rate or international revenue-share ranges), so a range that rings many distinct
subscribers for a second or two and is almost never answered is a campaign even when every
number in it appears once. Ranges are searched at several depths (1 to `max_depth` 6 digits
after the country code: fraudsters rent blocks inside ordinary mobile ranges, so a block is
often only separable from legitimate callers five or six digits deep) and the most specific
ranges that still hold the campaign are reported, so the blocklist is as narrow as the
evidence allows.

Defaults: `max_ring_s` 3 s (one ring is about 2-3 s; the GSMA and CFCA describe Wangiri as
calls that ring once); `min_calls` 30 and `min_callees` 25 one-ring calls per range;
`max_answer_share` 5% (legitimate ranges are answered 60-75% of the time);
`min_one_ring_share` 70% of the range's calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import pyarrow as pa
from ibis import _
from ibis.expr.types import Table

from ringfence.detect.batch.calls import Calls, Steps
from ringfence.detect.batch.common import (
    DetectorOutput,
    Selector,
    as_utc,
    concat_flagged,
    evidence_by_key,
    flagged_table,
    foreign_or_premium_inbound,
    ratio,
    saturating,
)
from ringfence.detect.batch.wangiri_callbacks import find_callbacks
from ringfence.domain.findings import Finding, Subject, SubjectRole


@dataclass(frozen=True)
class Wangiri:
    max_ring_s: float = 3.0
    max_depth: int = 6
    min_calls: int = 30
    min_callees: int = 25
    max_answer_share: float = 0.05
    min_one_ring_share: float = 0.7
    refine_share: float = 0.9
    max_split: int = 3
    callback_lookback_days: int = 30
    name: str = "wangiri"

    def selectors(self) -> tuple[Selector, ...]:
        return (foreign_or_premium_inbound,)

    def run(self, calls: Calls) -> DetectorOutput:
        return calls.drive(self.steps(calls))

    def steps(self, calls: Calls) -> Steps:
        engine = calls.engine
        inbound = calls.inbound_foreign_or_premium().mutate(
            one_ring=(~_.answered) & (_.ring_s <= self.max_ring_s)
        )
        levels = ibis.memtable(
            pa.table({"depth": pa.array(range(1, self.max_depth + 1), pa.int64())})
        )
        # Counted first per deepest range, then summed up to the shallower ones: foreign
        # numbers come in few deep ranges (10M calls: 15,000 for 340,000 calls), so every
        # depth costs a few thousand rows instead of every call again.
        deepest = inbound.mutate(deep=_.caller.substr(0, _.cc_len + 1 + self.max_depth))
        per_deep = deepest.group_by(["cc_len", "deep"]).aggregate(
            calls=_.count(), answered=_.answered.sum(), one_ring=_.one_ring.sum()
        )
        expanded = per_deep.cross_join(levels)
        expanded = expanded.mutate(prefix=_.deep.substr(0, _.cc_len + 1 + _.depth))
        stats = (
            expanded.group_by(["depth", "prefix"])
            .aggregate(
                calls=_.calls.sum(),
                answered=_.answered.sum(),
                one_ring=_.one_ring.sum(),
            )
            .filter(
                (_.one_ring >= self.min_calls)
                & (_.answered <= _.calls * self.max_answer_share)
                & (_.one_ring >= _.calls * self.min_one_ring_share)
            )
        )
        # Distinct callees and numbers call by call, for the ranges that pass on counts only.
        rung = inbound.filter(inbound.one_ring).cross_join(levels)
        rung = rung.mutate(prefix=_.caller.substr(0, _.cc_len + 1 + _.depth))
        callees = (
            rung.semi_join(stats, ["depth", "prefix"])
            .group_by(["depth", "prefix"])
            .aggregate(callees=_.callee.nunique(), numbers=_.caller.nunique())
        )
        qualifying = stats.join(callees, ["depth", "prefix"]).filter(_.callees >= self.min_callees)
        candidates = {row["prefix"]: row for row in engine.execute(qualifying).to_pylist()}
        ranges = self._cover(candidates)
        if not ranges:
            return DetectorOutput.empty()

        one_ring = inbound.filter(inbound.one_ring)
        flagged_expr = engine.materialize(
            _in_ranges(
                one_ring.select(
                    "call_id",
                    "caller",
                    "callee",
                    "start",
                    "ring_s",
                    "caller_type",
                    "caller_country",
                ),
                "caller",
                ranges,
            )
        )
        detail = flagged_expr.group_by("range").aggregate(
            calls=_.count(),
            callees=_.callee.nunique(),
            numbers=_.caller.nunique(),
            premium=(_.caller_type == "premium_rate").sum(),
            first_seen=_.start.min(),
            last_seen=_.start.max(),
            max_ring=_.ring_s.max(),
            country=_.caller_country.max(),
        )
        flagged = engine.execute(flagged_expr.select("call_id", "range"))
        evidence = evidence_by_key(flagged, "range")
        findings = {
            row["range"]: self._finding(
                row, candidates[row["range"]], evidence.get(row["range"], [])
            )
            for row in engine.execute(detail).to_pylist()
        }
        ids = {r: f.finding_id for r, f in findings.items()}
        callbacks = yield from find_callbacks(
            flagged_expr,
            sorted(findings),
            self.callback_lookback_days,
            engine,
            self.name,
        )
        all_findings = sorted([*findings.values(), *callbacks.findings], key=lambda f: f.finding_id)
        return DetectorOutput(
            all_findings,
            concat_flagged([flagged_table(flagged, "range", ids, self.name), callbacks.flagged]),
        )

    def _cover(self, candidates: dict[str, dict[str, Any]]) -> list[str]:
        """The most specific qualifying ranges that still hold each campaign."""
        roots = [p for p in candidates if not any(p[:k] in candidates for k in range(2, len(p)))]
        chosen: list[str] = []

        def refine(prefix: str) -> None:
            children = [c for c in candidates if len(c) == len(prefix) + 1 and c.startswith(prefix)]
            covered = sum(candidates[c]["one_ring"] for c in children)
            if (
                children
                and len(children) <= self.max_split
                and (covered >= self.refine_share * candidates[prefix]["one_ring"])
            ):
                for child in children:
                    refine(child)
            else:
                chosen.append(prefix)

        for root in roots:
            refine(root)
        return sorted(chosen)

    def _finding(self, row: dict[str, Any], stats: dict[str, Any], evidence: list[str]) -> Finding:
        answer_share = ratio(stats["answered"], stats["calls"])
        premium = int(row["premium"])
        reason = (
            f"{row['calls']} calls from {row['numbers']} different numbers of the range "
            f"{row['range']} rang {row['callees']} distinct subscribers for at most "
            f"{float(row['max_ring']):.0f} s and hung up; only {answer_share:.1%} of the range's "
            "calls were ever answered. The numbers change with every call, so blocking one "
            "number is useless: block the range and warn subscribers not to call back"
        )
        reason += (
            f" ({premium} of these numbers are premium rate)."
            if premium
            else " (calling back usually reaches an international premium-rate line)."
        )
        return Finding.create(
            detector=self.name,
            kind="one_ring_range",
            title=f"One-ring (Wangiri) calls from {row['range']}...",
            reason=reason,
            score=saturating(row["callees"], 60.0) * (1.0 - answer_share),
            first_seen=as_utc(row["first_seen"]),
            last_seen=as_utc(row["last_seen"]),
            counts={
                "calls": int(row["calls"]),
                "distinct_callees": int(row["callees"]),
                "distinct_numbers": int(row["numbers"]),
                "premium_rate_calls": premium,
                "range_calls": int(stats["calls"]),
                "range_answer_share": round(answer_share, 4),
            },
            subjects=[Subject(str(row["range"]), SubjectRole.SOURCE_RANGE)],
            evidence=evidence,
            key=str(row["range"]),
            details={
                "range": row["range"],
                "country": row["country"],
                "max_ring_s": self.max_ring_s,
            },
        )


def _in_ranges(table: Table, column: str, ranges: list[str]) -> Table:
    """Rows whose `column` starts with one of `ranges`, with the matching range as `range`.

    One equality test per distinct prefix length keeps this a hash lookup on every engine.
    """
    parts: list[Table] = []
    for length in sorted({len(r) for r in ranges}):
        group = [r for r in ranges if len(r) == length]
        prefix = table[column].substr(0, length)
        parts.append(table.filter(prefix.isin(group)).mutate(range=prefix))
    result = parts[0]
    for part in parts[1:]:
        result = result.union(part)
    return result
