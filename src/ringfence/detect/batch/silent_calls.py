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
from ibis.expr.types import BooleanValue, Table

from ringfence.detect.batch.calls import Calls
from ringfence.detect.batch.common import (
    DEFAULT_RANGE_DIGITS,
    INBOUND_DIRECTIONS,
    DetectionContext,
    DetectorOutput,
    Selector,
    as_utc,
    cli_range,
    evidence_by_key,
    flagged_table,
    ratio,
    saturating,
)
from ringfence.domain.findings import Finding, Subject, SubjectRole

MAX_LISTED_CLIS = 200


def with_source(keyed: Table) -> Table:
    """The source key of a finding: "CLI range|ingress|carrier"."""
    return keyed.mutate(source=_.cli_range.concat("|", _.ingress, "|", _.carrier_key))


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
    prefix_digits: int = DEFAULT_RANGE_DIGITS
    min_calls: int = 20
    min_callees: int = 20
    min_share: float = 0.5
    name: str = "silent_calls"

    def selectors(self) -> tuple[Selector, ...]:
        return (self.is_silent,)

    def is_silent(self, calls: Table, ctx: DetectionContext) -> BooleanValue:
        """Answered inbound calls that the caller dropped within `max_duration_s`."""
        return (
            calls.direction.isin(INBOUND_DIRECTIONS)
            & calls.answered
            & (calls.released_by == "caller")
            & (calls.duration_s <= self.max_duration_s)
        )

    def _keyed(self, calls: Table) -> Table:
        """A source is (CLI range, ingress, carrier), kept as three columns for the passes over
        the whole day and joined into one key (`source`) only on the few calls that qualify."""
        return calls.mutate(
            cli_range=cli_range(calls.caller, self.prefix_digits),
            carrier_key=calls.carrier.fill_null(""),
            hour=calls.start.truncate("h"),
        )

    def run(self, calls: Calls) -> DetectorOutput:
        engine, home = calls.engine, calls.ctx.home_country
        source_keys = ["cli_range", "ingress", "carrier_key", "hour"]
        silent = with_source(self._keyed(calls.where(self.is_silent)))
        # First the hours where a source made enough silent calls (over the silent calls
        # only), then that source's other calls in those hours for the share.
        candidates = engine.materialize(
            silent.group_by(source_keys)
            .aggregate(silent=_.count(), callees=_.callee.nunique())
            .filter((_.silent >= self.min_calls) & (_.callees >= self.min_callees))
        )
        if not engine.execute(candidates.limit(1)).num_rows:
            return DetectorOutput.empty()
        # The share: the source's calls of every kind in that hour, from the day's inbound
        # profile (shared with the attestation-C rule: one pass for both).
        profile = calls.inbound_profile(self.prefix_digits)
        totals = profile.group_by(source_keys).aggregate(calls=_.calls.sum())
        qualifying = with_source(
            candidates.join(totals, source_keys).filter(_.silent >= _.calls * self.min_share)
        )
        spans = engine.materialize(
            qualifying.group_by("source").aggregate(
                first_hour=_.hour.min(), last_hour=_.hour.max(), hours=_.count()
            )
        )
        spans_rows = engine.execute(spans).to_pylist()
        if not spans_rows:
            return DetectorOutput.empty()

        in_span = engine.materialize(
            silent.join(spans, "source")
            .filter((_.hour >= _.first_hour) & (_.hour <= _.last_hour))
            .mutate(spoofed=(_.ingress == "international") & (_.caller_country == home))
            .select(
                "call_id", "source", "caller", "callee", "start", "ingress", "carrier", "spoofed"
            )
        )
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
            in_span.filter(in_span.spoofed)
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
