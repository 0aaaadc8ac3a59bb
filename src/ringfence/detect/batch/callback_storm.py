"""Callback storms: the innocent owner of a spoofed number, called back by puzzled strangers.

When scammers present B's number, the people they reach see B in their missed or dropped
calls and call B back. B then receives calls from many distinct people who, in the previous
24 hours, each received a call *presenting* B. That pattern says B's number is being spoofed:
the finding names B as a victim (role `spoofed_owner`) so that B is never blocklisted and a
lookup of B tells citizens that its owner is not the caller.

To stay precise, the presenting calls must look spoofed themselves (`require_suspect`):
national CLI on international ingress, attestation C, or a silent call (answered and dropped
by the caller within 3 s). A business whose genuine calls are returned is not a victim.
Defaults: `min_callers` 4 distinct callers within `window_h` 24 h of the presenting call
(on the simulated day, 4 finds every spoofed owner with no false one; 5 missed 5% of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
from ibis import _
from ibis.expr.types import BooleanValue, Table

from ringfence.detect.batch.calls import Calls, Revisit, Steps
from ringfence.detect.batch.common import (
    DetectionContext,
    DetectorOutput,
    Selector,
    as_utc,
    evidence_by_key,
    flagged_table,
    saturating,
)
from ringfence.domain.findings import Finding, Subject, SubjectRole


@dataclass(frozen=True)
class CallbackStorm:
    min_callers: int = 4
    window_h: int = 24
    require_suspect: bool = True
    silent_max_duration_s: float = 3.0
    name: str = "callback_storm"

    def selectors(self) -> tuple[Selector, ...]:
        return (self.presents_number,)

    def presents_number(self, calls: Table, ctx: DetectionContext) -> BooleanValue:
        """Calls presenting a number to a subscriber, that look spoofed (`require_suspect`)."""
        presented = calls.caller.startswith("+") & (calls.direction != "outbound")
        if not self.require_suspect:
            return presented
        national = calls.caller_country == ctx.home_country
        silent = (
            calls.answered
            & (calls.released_by == "caller")
            & (calls.duration_s <= self.silent_max_duration_s)
        )
        suspect = (
            (national & (calls.ingress == "international")) | (calls.attestation == "C") | silent
        )
        return presented & suspect

    def run(self, calls: Calls) -> DetectorOutput:
        return calls.drive(self.steps(calls))

    def steps(self, calls: Calls) -> Steps:
        ctx, engine = calls.ctx, calls.engine
        presented = calls.where(self.presents_number)
        if self.require_suspect:
            allowed = ctx.allowed_table()
            presented = presented.anti_join(allowed, presented.caller == allowed.allowed_number)
        shown = presented.select(
            owner=presented.caller,
            recipient=presented.callee,
            shown_at=presented.start,
            shown_id=presented.call_id,
        )
        # Only numbers shown to at least `min_callers` people can be called back by that many:
        # the others (most spoofed numbers are shown once) are left out before the join.
        owners = engine.materialize(
            shown.group_by("owner")
            .aggregate(recipients=_.recipient.nunique())
            .filter(_.recipients >= self.min_callers)
            .select("owner")
        )
        if not engine.execute(owners.limit(1)).num_rows:
            return DetectorOutput.empty()
        shown = engine.materialize(shown.semi_join(owners, "owner"))
        # The day's calls to those few numbers are read again (one column looked up in a
        # small set), then joined with the presentations.
        back = yield Revisit(
            lambda table: table.callee.isin(owners.owner), ("call_id", "caller", "callee", "start")
        )
        joined = back.join(
            shown,
            [
                back.callee == shown.owner,
                back.caller == shown.recipient,
                back.start > shown.shown_at,
                back.start <= shown.shown_at + ibis.interval(hours=self.window_h),
            ],
        )
        callbacks = engine.materialize(
            joined.group_by(["call_id", "callee", "caller", "start"]).aggregate(
                shown_id=_.shown_id.argmax(_.shown_at)
            )
        )
        owners = engine.materialize(
            callbacks.group_by("callee")
            .aggregate(
                callbacks=_.count(),
                callers=_.caller.nunique(),
                first_seen=_.start.min(),
                last_seen=_.start.max(),
            )
            .filter(_.callers >= self.min_callers)
        )
        owner_rows = engine.execute(owners).to_pylist()
        if not owner_rows:
            return DetectorOutput.empty()
        flagged_expr = callbacks.join(owners.select("callee"), "callee")
        flagged = engine.execute(flagged_expr.select("call_id", "callee", "shown_id"))
        owner_keys = owners.select(owner=owners.callee)
        shown_counts = engine.execute(
            shown.join(owner_keys, "owner")
            .group_by("owner")
            .aggregate(presentations=_.count(), recipients=_.recipient.nunique())
        ).to_pylist()
        shown_by_owner = {r["owner"]: r for r in shown_counts}
        evidence = evidence_by_key(flagged, "callee")
        findings = {
            row["callee"]: self._finding(
                row, shown_by_owner.get(row["callee"], {}), evidence.get(row["callee"], [])
            )
            for row in owner_rows
        }
        ids = {owner: f.finding_id for owner, f in findings.items()}
        return DetectorOutput(
            sorted(findings.values(), key=lambda f: f.finding_id),
            flagged_table(flagged, "callee", ids, self.name),
        )

    def _finding(self, row: dict[str, Any], shown: dict[str, Any], evidence: list[str]) -> Finding:
        owner = str(row["callee"])
        presentations = int(shown.get("presentations", 0))
        reason = (
            f"{owner} was called {row['callbacks']} times by {row['callers']} different people "
            f"who had each received, less than {self.window_h} h before, a suspicious call "
            f"presenting {owner} ({presentations} such calls in all). The number is being "
            "spoofed: its owner is a victim, not the caller. Never block or report this "
            "number for the calls; tell the people who call it back that it was not its owner."
        )
        return Finding.create(
            detector=self.name,
            kind="spoofed_number_owner",
            title=f"{owner} is being spoofed: its owner gets the callbacks",
            reason=reason,
            score=saturating(row["callers"], 10.0),
            first_seen=as_utc(row["first_seen"]),
            last_seen=as_utc(row["last_seen"]),
            counts={
                "callbacks": int(row["callbacks"]),
                "distinct_callers": int(row["callers"]),
                "suspicious_presentations": presentations,
                "recipients_of_presentations": int(shown.get("recipients", 0)),
            },
            subjects=[Subject(owner, SubjectRole.SPOOFED_OWNER)],
            evidence=evidence,
            key=owner,
            details={"window_h": self.window_h},
        )
