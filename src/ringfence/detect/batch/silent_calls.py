"""Silent calls: answered calls that the caller drops within seconds, to validate live numbers.

Why this shape: a number-validation campaign dials many subscribers, waits for the answer and
hangs up. One such call is an accident (a wrong number); hundreds from the same *source* in an
hour, to distinct callees, making up most of that source's calls, are a campaign. The source is
what the campaign cannot change cheaply: the route it enters by (ingress and carrier) and the
broad range of the CLIs it presents. The CLIs themselves are usually the numbers of innocent
national subscribers, presented from abroad: the finding reports that share and never treats
those numbers as the scammer's.

Reference for the default drop time: Ofcom's statement of policy on persistent misuse
(2016 revision) treats a call answered and dropped within a few seconds, with no message, as a
silent call; `max_duration_s` = 3 s follows the simulator's and police reports' 1-3 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ibis import _
from ibis.expr.types import Table

from ringfence.detect.batch.common import (
    DetectionContext,
    DetectorOutput,
    as_utc,
    evidence_by_key,
    flagged_table,
    ratio,
    saturating,
)
from ringfence.detect.engine import Engine
from ringfence.domain.findings import Finding, Subject, SubjectRole

MAX_LISTED_CLIS = 200


@dataclass(frozen=True)
class SilentCalls:
    """Parameters (defaults and why):

    - `max_duration_s` 3.0: answered and dropped by the caller within 3 s (Ofcom; see above).
    - `prefix_digits` 3: the CLI range of a source is its first 3 E.164 digits (+324: Belgian
      mobiles): broad, because spoofed CLIs are spread over the national plan.
    - `min_calls` 20, `min_callees` 20 per hour: well above what one mistaken caller does.
    - `min_share` 0.5: silent calls must be most of the source's calls in that hour, which keeps
      busy legitimate routes (where 1-3% of calls are dropped early) out.
    """

    max_duration_s: float = 3.0
    prefix_digits: int = 3
    min_calls: int = 20
    min_callees: int = 20
    min_share: float = 0.5
    name: str = "silent_calls"

    def _sourced(self, calls: Table) -> Table:
        inbound = calls.filter(calls.direction.isin(["inbound", "transit"]))
        return inbound.mutate(
            source=inbound.caller[: self.prefix_digits + 1].concat(
                "|", inbound.ingress, "|", inbound.carrier.fill_null("")
            ),
            hour=inbound.start.truncate("h"),
            silent=inbound.answered
            & (inbound.released_by == "caller")
            & (inbound.duration_s <= self.max_duration_s),
        )

    def run(self, calls: Table, ctx: DetectionContext, engine: Engine) -> DetectorOutput:
        sourced = self._sourced(calls)
        hourly = sourced.group_by(["source", "hour"]).aggregate(
            calls=_.count(),
            silent=_.silent.sum(),
        )
        silent_rows = sourced.filter(sourced.silent)
        silent_hourly = silent_rows.group_by(["source", "hour"]).aggregate(
            callees=_.callee.nunique()
        )
        qualifying = hourly.join(silent_hourly, ["source", "hour"]).filter(
            (_.silent >= self.min_calls)
            & (_.callees >= self.min_callees)
            & (_.silent >= _.calls * self.min_share)
        )
        spans = qualifying.group_by("source").aggregate(
            first_hour=_.hour.min(), last_hour=_.hour.max(), hours=_.count()
        )
        spans_rows = engine.execute(spans).to_pylist()
        if not spans_rows:
            return DetectorOutput.empty()

        in_span = silent_rows.join(spans, "source").filter(
            (_.hour >= _.first_hour) & (_.hour <= _.last_hour)
        )
        home = ctx.home_country
        stats = in_span.group_by("source").aggregate(
            calls=_.count(),
            callees=_.callee.nunique(),
            clis=_.caller.nunique(),
            first_seen=_.start.min(),
            last_seen=_.start.max(),
            ingress=_.ingress.max(),
            carrier=_.carrier.max(),
        )
        spoofed = (
            in_span.filter((in_span.ingress == "international") & (in_span.caller_country == home))
            .group_by("source")
            .aggregate(spoofed_clis=_.caller.nunique())
        )
        stats = stats.left_join(spoofed, "source").select(
            *[stats[c] for c in stats.columns], spoofed_clis=_.spoofed_clis.fill_null(0)
        )
        flagged = engine.execute(in_span.select("call_id", "source"))
        clis = engine.execute(
            in_span.group_by(["source", "caller"])
            .aggregate(n=_.count())
            .order_by([_.source, _.n.desc(), _.caller])
        ).to_pylist()
        by_source_clis: dict[str, list[str]] = {}
        for row in clis:
            listed = by_source_clis.setdefault(row["source"], [])
            if len(listed) < MAX_LISTED_CLIS:
                listed.append(row["caller"])
        span_by_source = {row["source"]: row for row in spans_rows}
        evidence = evidence_by_key(flagged, "source")
        findings: dict[str, Finding] = {}
        for row in engine.execute(stats).to_pylist():
            findings[row["source"]] = self._finding(
                row,
                span_by_source[row["source"]],
                by_source_clis.get(row["source"], []),
                evidence.get(row["source"], []),
                home,
            )
        ids = {source: finding.finding_id for source, finding in findings.items()}
        return DetectorOutput(
            sorted(findings.values(), key=lambda f: f.finding_id),
            flagged_table(flagged, "source", ids, self.name),
        )

    def _finding(
        self,
        row: dict[str, Any],
        span: dict[str, Any],
        clis: list[str],
        evidence: list[str],
        home: str,
    ) -> Finding:
        cli_range, ingress, carrier = str(row["source"]).split("|", 2)
        spoofed_share = ratio(row["spoofed_clis"], row["clis"])
        likely_spoofed = spoofed_share >= 0.5
        carrier_text = f" via carrier {carrier}" if carrier else ""
        reason = (
            f"{row['calls']} calls presenting {row['clis']} numbers of {cli_range}... arrived on "
            f"{ingress} ingress{carrier_text}, were answered and dropped by the caller within "
            f"{self.max_duration_s:g} s, reaching {row['callees']} distinct subscribers in "
            f"{span['hours']} hour(s) where such calls were most of this source's traffic: "
            "the pattern of number validation before later fraud."
        )
        if likely_spoofed:
            reason += (
                f" {spoofed_share:.0%} of the numbers shown are {home} numbers arriving from "
                "abroad, so they are spoofed: their owners are innocent and will be called back "
                "by puzzled people; do not block or blame them."
            )
        subjects = [
            Subject(number, SubjectRole.SOURCE_NUMBER, blockable=not likely_spoofed)
            for number in clis
        ]
        score = saturating(row["callees"], 100.0) * (0.6 + 0.4 * spoofed_share)
        return Finding.create(
            detector=self.name,
            kind="number_validation",
            title=(
                f"Silent calls presenting {cli_range}... numbers on {ingress} ingress{carrier_text}"
            ),
            reason=reason,
            score=score,
            first_seen=as_utc(row["first_seen"]),
            last_seen=as_utc(row["last_seen"]),
            counts={
                "calls": int(row["calls"]),
                "distinct_callees": int(row["callees"]),
                "distinct_clis": int(row["clis"]),
                "spoofed_cli_share": round(spoofed_share, 4),
                "active_hours": int(span["hours"]),
            },
            subjects=subjects,
            evidence=evidence,
            key=str(row["source"]),
            details={
                "cli_range": cli_range,
                "ingress": ingress,
                "carrier": carrier or None,
                "likely_spoofed": likely_spoofed,
                "max_duration_s": self.max_duration_s,
            },
        )
