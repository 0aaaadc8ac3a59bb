"""Spoofed caller IDs: calls whose presented number cannot be genuine.

Four rules, each a fact about the call rather than a guess about the caller:

- `national_cli_from_abroad`: a national fixed or mobile CLI arriving on international
  ingress. Belgium (BIPT, 2023), France (Arcep, Loi Naegelen 2024), the UK (Ofcom, 2022),
  Italy (AGCOM, 2025) and Spain (CNMC/SETID, 2025) require operators to block or flag these;
  roaming subscribers and registered nomadic numbers are the allowed exceptions
  (`DetectionContext.allowed_from_abroad`).
- `invalid_cli`: a CLI that the numbering plan does not allocate (libphonenumber).
- `do_not_originate`: a CLI on the do-not-originate list: inbound-only numbers of banks, police
  and operators' hotlines, which never place calls (the US Industry Traceback Group and Ofcom's
  DNO list work this way). The number's holder is the victim, never the caller.
- `attestation_c`: national subscriber CLIs with STIR/SHAKEN attestation C (the originating
  network vouches for nothing) on national ingress, when they are most of a route's national
  calls that day (`attestation_c_min_share` 50%, at least `attestation_c_min_calls` 20): a
  few C-attested calls are ordinary (gateways, legacy PBXs), a route where C dominates is
  where spoofed calls enter.

Calls are grouped into findings per rule and route (carrier, UTC day) or, for the
do-not-originate rule, per presented number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import ibis
from ibis import _
from ibis.expr.types import BooleanValue, Table

from ringfence.detect.batch.calls import Calls
from ringfence.detect.batch.common import (
    INBOUND_DIRECTIONS,
    DetectionContext,
    DetectorOutput,
    Selector,
    as_utc,
    concat_flagged,
    evidence_by_key,
    flagged_table,
    national_subscriber,
    saturating,
)
from ringfence.detect.engine import Engine
from ringfence.domain.findings import Finding, Subject, SubjectRole

_RULE_TEXT = {
    "national_cli_from_abroad": (
        "presented national {home} numbers but arrived on international ingress: a national "
        "number calling from abroad is spoofed unless its subscriber is roaming"
    ),
    "invalid_cli": "presented numbers that the numbering plan does not allocate",
    "do_not_originate": (
        "presented {number} ({holder}), an inbound-only number that never places calls: "
        "someone is impersonating its holder, who is a victim, not the caller"
    ),
    "attestation_c": (
        "presented national {home} subscriber numbers with STIR/SHAKEN attestation C: the "
        "originating network does not vouch for the number"
    ),
}


_RULE_TITLE = {
    "national_cli_from_abroad": "National caller IDs from abroad",
    "invalid_cli": "Unallocated caller IDs",
    "attestation_c": "National caller IDs nobody vouches for (attestation C)",
}


@dataclass(frozen=True)
class SpoofedCli:
    """Parameters: `min_calls` per route and day before a finding is raised (1: every spoofed
    CLI counts; the score grows with volume); `max_listed` numbers named per finding."""

    min_calls: int = 1
    max_listed: int = 200
    attestation_c_min_share: float = 0.5
    attestation_c_min_calls: int = 20
    name: str = "spoofed_cli"

    def selectors(self) -> tuple[Selector, ...]:
        return (self.is_suspect,)

    def _rules(self, calls: Table, ctx: DetectionContext) -> dict[str, BooleanValue]:
        """Each rule's condition on an inbound call (the do-not-originate rule apart)."""
        national = national_subscriber(calls, ctx.home_country)
        return {
            "from_abroad": national & (calls.ingress == "international"),
            "invalid": (~calls.caller_valid) & calls.caller.startswith("+"),
            "national_c": national & (calls.ingress == "national") & (calls.attestation == "C"),
        }

    def is_suspect(self, calls: Table, ctx: DetectionContext) -> BooleanValue:
        """Inbound calls that one of the rules could flag."""
        rules = self._rules(calls, ctx)
        any_rule = rules["from_abroad"] | rules["invalid"] | rules["national_c"]
        if ctx.do_not_originate:
            any_rule = any_rule | calls.caller.isin(sorted(ctx.do_not_originate))
        return calls.direction.isin(INBOUND_DIRECTIONS) & any_rule

    def run(self, calls: Calls) -> DetectorOutput:
        ctx, engine = calls.ctx, calls.engine
        selected = calls.where(self.is_suspect)
        dno = ctx.dno_table()
        # Kept once with each rule's answer: every rule runs three small queries over it.
        keyed = engine.materialize(
            selected.select(
                "call_id",
                "start",
                "caller",
                "callee",
                "ingress",
                "answered",
                route=selected.carrier.fill_null(""),
                day=selected.start.date(),
                dno=selected.caller.isin(dno.dno_number)
                if ctx.do_not_originate
                else ibis.literal(False),
                **self._rules(selected, ctx),
            ).mutate(key=_.route.concat("|", _.day.cast("string")))
        )
        allowed = ctx.allowed_table()
        abroad = keyed.filter(keyed.from_abroad)
        abroad = abroad.anti_join(allowed, abroad.caller == allowed.allowed_number)
        outputs = [
            self._rule("national_cli_from_abroad", abroad, ctx, engine),
            self._rule("invalid_cli", keyed.filter(keyed.invalid), ctx, engine),
        ]
        attestation_c = self._attestation_c(keyed, calls)
        if attestation_c is not None:
            outputs.append(self._rule("attestation_c", attestation_c, ctx, engine))
        if ctx.do_not_originate:
            presented = keyed.filter(keyed.dno).mutate(
                key=_.caller.concat("|", _.day.cast("string"))
            )
            outputs.append(self._rule("do_not_originate", presented, ctx, engine))
        findings = sorted((f for o in outputs for f in o.findings), key=lambda f: f.finding_id)
        return DetectorOutput(findings, concat_flagged(o.flagged for o in outputs))

    def _attestation_c(self, keyed: Table, calls: Calls) -> Table | None:
        """Attestation-C calls of the routes (carrier, day) where C dominates national calls,
        or None when no route has enough of them.

        The routes with enough C-attested calls come from the suspects; their national calls
        over the day come from the day's inbound profile (`Calls.inbound_profile`).
        """
        engine = calls.engine
        c_calls = keyed.filter(keyed.national_c)
        routes = engine.materialize(
            c_calls.group_by(["route", "day"])
            .aggregate(c_calls=_.count())
            .filter(_.c_calls >= self.attestation_c_min_calls)
        )
        if not engine.execute(routes.limit(1)).num_rows:
            return None
        profile = calls.inbound_profile()
        national = profile.filter(profile.ingress == "national")
        totals = national.group_by(route=national.carrier_key, day=national.hour.date()).aggregate(
            route_calls=_.national_calls.sum()
        )
        dominated = (
            routes.join(totals, ["route", "day"])
            .filter(_.c_calls >= _.route_calls * self.attestation_c_min_share)
            .select("route", "day")
        )
        return c_calls.join(dominated, ["route", "day"])

    def _rule(
        self, rule: str, rows: Table, ctx: DetectionContext, engine: Engine
    ) -> DetectorOutput:
        stats = (
            rows.group_by("key")
            .aggregate(
                calls=_.count(),
                callees=_.callee.nunique(),
                clis=_.caller.nunique(),
                first_seen=_.start.min(),
                last_seen=_.start.max(),
                ingress=_.ingress.max(),
                answered=_.answered.sum(),
            )
            .filter(_.calls >= self.min_calls)
        )
        stats_rows = engine.execute(stats).to_pylist()
        if not stats_rows:
            return DetectorOutput.empty()
        keys = [r["key"] for r in stats_rows]
        chosen = rows.filter(rows.key.isin(keys)) if len(keys) < 500 else rows
        flagged = engine.execute(chosen.select("call_id", "key"))
        listed = engine.execute(
            chosen.group_by(["key", "caller"])
            .aggregate(n=_.count())
            .order_by([ibis.desc("n"), "key", "caller"])
        ).to_pylist()
        numbers: dict[str, list[str]] = defaultdict(list)
        for row in listed:
            if len(numbers[row["key"]]) < self.max_listed:
                numbers[row["key"]].append(row["caller"])
        evidence = evidence_by_key(flagged, "key")
        findings = {
            row["key"]: self._finding(
                rule, row, numbers[row["key"]], evidence.get(row["key"], []), ctx
            )
            for row in stats_rows
        }
        ids = {key: f.finding_id for key, f in findings.items()}
        return DetectorOutput(
            list(findings.values()), flagged_table(flagged, "key", ids, self.name)
        )

    def _finding(
        self,
        rule: str,
        row: dict[str, Any],
        numbers: list[str],
        evidence: list[str],
        ctx: DetectionContext,
    ) -> Finding:
        first, day = str(row["key"]).split("|", 1)
        if rule == "do_not_originate":
            entry = ctx.do_not_originate.get(first)
            holder = entry.holder if entry else "a protected service"
            text = _RULE_TEXT[rule].format(number=first, holder=holder, home=ctx.home_country)
            subjects = [Subject(first, SubjectRole.SPOOFED_OWNER)]
            title = f"Calls impersonating {holder} ({first})"
            where = ""
            details: dict[str, Any] = {
                "rule": rule,
                "day": day,
                "holder": holder,
                "category": entry.category if entry else None,
                "list_source": entry.source if entry else None,
            }
            score = 0.6 + 0.4 * saturating(row["callees"], 5.0)
        else:
            text = _RULE_TEXT[rule].format(home=ctx.home_country)
            # National numbers shown from abroad or with attestation C are presumed spoofed:
            # their owners are probably innocent, so they are named but never blockable.
            spoofed = rule in ("national_cli_from_abroad", "attestation_c")
            subjects = [
                Subject(n, SubjectRole.SOURCE_NUMBER, blockable=not spoofed) for n in numbers
            ]
            where = f" via carrier {first}" if first else ""
            title = f"{_RULE_TITLE[rule]}{where} on {day}"
            details = {"rule": rule, "day": day, "carrier": first or None}
            weight = {"national_cli_from_abroad": 0.8, "invalid_cli": 0.7, "attestation_c": 0.4}
            score = weight[rule] * saturating(row["calls"], 10.0)
        reason = (
            f"{row['calls']} call(s) on {day}{where}, from {row['clis']} number(s) to "
            f"{row['callees']} subscriber(s), {text}."
        )
        return Finding.create(
            detector=self.name,
            kind=rule,
            title=title,
            reason=reason,
            score=score,
            first_seen=as_utc(row["first_seen"]),
            last_seen=as_utc(row["last_seen"]),
            counts={
                "calls": int(row["calls"]),
                "distinct_callees": int(row["callees"]),
                "distinct_clis": int(row["clis"]),
                "answered": int(row["answered"]),
            },
            subjects=subjects,
            evidence=evidence,
            key=f"{rule}|{row['key']}",
            details=details,
        )
