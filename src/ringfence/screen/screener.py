"""The per-call screener: stateless rules, reputation, live windows and callback protection.

`Screener.screen(setup)` decides before the phone rings; `Screener.learn(event)` feeds the
live windows with each completed call (its outcome is only known afterwards). The verdict is
the most severe outcome of the rules that fired, and lists all of them with their reasons and
the policy version.

Why no rule here is "the number shown is the scammer": a national CLI from abroad, a
do-not-originate number or a spoofed owner's number is blocked *as presented on that call*,
while the number's owner is named as a victim and calls *to* it are never blocked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ringfence.detect.batch.common import SUBSCRIBER_TYPES
from ringfence.detect.stream.bursts import RotationVictims, SilentBursts
from ringfence.detect.stream.events import CallEvent
from ringfence.detect.stream.one_ring import OneRingRanges
from ringfence.detect.stream.sources import CallCentres, Diallers, SpoofedOwners
from ringfence.domain.numbers import ANONYMOUS, NumberError, Validity, parse_number
from ringfence.domain.verdicts import CallSetup, RuleHit, Verdict
from ringfence.lists import DoNotOriginateEntry
from ringfence.screen.policy import Policy

_NEVER_BLOCK = frozenset({"emergency", "short"})


@dataclass(frozen=True, slots=True)
class ReputationSignal:
    """What the reputation store says about a number: level or state, and why."""

    level: str
    """safe, unknown, suspicious, scam, or the state spoofed."""
    reason: str
    score: float = 0.0


ReputationLookup = Callable[[str], ReputationSignal | None]
IdentityCheck = Callable[[str | None, str, str, datetime], dict[str, Any]]


class Screener:
    def __init__(
        self,
        policy: Policy,
        home_country: str,
        *,
        do_not_originate: Mapping[str, DoNotOriginateEntry] | None = None,
        allowed_from_abroad: frozenset[str] = frozenset(),
        reputation: ReputationLookup | None = None,
        identity_check: IdentityCheck | None = None,
    ) -> None:
        self.policy = policy
        self.home = home_country
        self.dno = dict(do_not_originate or {})
        self.allowed = allowed_from_abroad
        self.reputation = reputation
        self.identity_check = identity_check
        w = policy.window
        self.one_ring = OneRingRanges(
            home_country,
            min_calls=int(w("one_ring_min_calls", 30)),
            min_callees=int(w("one_ring_min_callees", 25)),
        )
        self.silent = SilentBursts(
            min_calls=int(w("silent_min_calls", 20)), min_callees=int(w("silent_min_callees", 20))
        )
        self.rotation = RotationVictims(
            home_country, min_callers=int(w("rotation_min_callers", 15))
        )
        self.diallers = Diallers(recent=int(w("robocall_recent_calls", 30)))
        self.centres = CallCentres(home_country, min_callees=int(w("call_centre_min_callees", 8)))
        self.owners = SpoofedOwners(
            home_country,
            min_callers=int(w("spoofed_owner_min_callers", 5)),
            allowed_from_abroad=allowed_from_abroad,
        )
        self._outcome = {rule: policy.outcome(rule) for rule in _RULES}

    # -- entry points -------------------------------------------------------------------
    def screen(self, setup: CallSetup) -> Verdict:
        """Decide for one call setup (numbers in any written form)."""
        try:
            caller = parse_number(setup.caller, self.home)
        except NumberError as error:
            hit = self._hit(
                "invalid_cli",
                f"the caller ID {setup.caller!r} is not a number: {error.reason}",
                {"presented": setup.caller},
            )
            return Verdict.decide([hit], self.policy.version, call_id=setup.call_id)
        try:
            callee = parse_number(setup.callee, self.home)
        except NumberError as error:
            raise ValueError(f"callee {setup.callee!r}: {error.reason}") from None
        if callee.e164 == ANONYMOUS:
            raise ValueError(f"callee {setup.callee!r}: a call must be to a number")
        event = CallEvent(
            call_id=setup.call_id or "",
            t=setup.at.timestamp(),
            caller=caller.e164,
            callee=callee.e164,
            direction=setup.direction,
            ingress=setup.ingress,
            carrier=setup.carrier or "",
            caller_country=caller.country,
            caller_type=caller.type.value,
            caller_valid=caller.validity is Validity.VALID,
            callee_country=callee.country,
            callee_type=callee.type.value,
        )
        return self.screen_event(event, identity=setup.identity, at=setup.at)

    def screen_event(
        self, ev: CallEvent, *, identity: str | None = None, at: datetime | None = None
    ) -> Verdict:
        """Decide for a call whose numbers are already normalised (the fast path)."""
        hits: list[RuleHit] = []
        signals: dict[str, Any] = {}
        if ev.caller_type in _NEVER_BLOCK or ev.callee_type in _NEVER_BLOCK:
            hit = self._hit(
                "emergency_number", "emergency and short service numbers are never screened", {}
            )
            return Verdict.decide([hit], self.policy.version, call_id=ev.call_id)
        if ev.direction == "outbound":
            self._callbacks(ev, hits)
        else:
            self._stateless(ev, hits)
            if self.identity_check is not None and at is not None:
                if identity is None:
                    signals["verstat"] = "No-TN-Validation"
                else:
                    signals.update(self._stir(ev, identity, at, hits))
            self._live(ev, hits)
        if self.reputation is not None:
            self._reputation(ev, hits, signals)
        return Verdict.decide(hits, self.policy.version, call_id=ev.call_id, signals=signals)

    def learn(self, ev: CallEvent) -> None:
        """Feed a completed call to every live window."""
        self.one_ring.learn_one(ev)
        self.silent.learn_one(ev)
        self.rotation.learn_one(ev)
        self.diallers.learn_one(ev)
        self.centres.learn_one(ev)
        self.owners.learn_one(ev)

    # -- rules --------------------------------------------------------------------------
    def _hit(self, rule: str, reason: str, evidence: Mapping[str, Any]) -> RuleHit:
        return RuleHit(rule, self._outcome[rule], reason, evidence)

    def _stateless(self, ev: CallEvent, hits: list[RuleHit]) -> None:
        caller = ev.caller
        if caller.startswith("+") and not ev.caller_valid:
            hits.append(
                self._hit(
                    "invalid_cli",
                    f"{caller} is not allocated by the numbering "
                    "plan: a caller ID that cannot exist is spoofed",
                    {},
                )
            )
        entry = self.dno.get(caller)
        if entry is not None:
            hits.append(
                self._hit(
                    "do_not_originate",
                    f"{caller} belongs to {entry.holder}, an inbound-only number that never calls: "
                    "someone is impersonating it",
                    {"holder": entry.holder, "category": entry.category},
                )
            )
        national = ev.caller_country == self.home and ev.caller_type in SUBSCRIBER_TYPES
        if national and ev.ingress == "international" and caller not in self.allowed:
            hits.append(
                self._hit(
                    "national_cli_from_abroad",
                    f"a {self.home} number arriving from abroad is spoofed unless roaming "
                    f"({self.policy.preset.source})",
                    {"carrier": ev.carrier},
                )
            )
        if national and ev.attestation == "C" and ev.ingress == "national":
            hits.append(
                self._hit(
                    "attestation_c_national",
                    "national caller ID with STIR/SHAKEN attestation C: nobody vouches for it",
                    {},
                )
            )

    def _stir(
        self, ev: CallEvent, identity: str, at: datetime, hits: list[RuleHit]
    ) -> dict[str, Any]:
        assert self.identity_check is not None
        result = self.identity_check(identity, ev.caller, ev.callee, at)
        if result.get("verstat") == "TN-Validation-Failed":
            hits.append(
                self._hit(
                    "stir_failed",
                    f"the call's PASSporT failed verification: {result.get('reason')}",
                    result,
                )
            )
        return {"verstat": result.get("verstat"), "attestation": result.get("attestation")}

    def _live(self, ev: CallEvent, hits: list[RuleHit]) -> None:
        checks = (
            (
                "one_ring_range",
                self.one_ring,
                "this range is ringing many subscribers with one-ring calls right now (Wangiri)",
            ),
            ("silent_call_source", self.silent, "this source is making silent calls right now"),
            (
                "rotation_harassment",
                self.rotation,
                "this subscriber is being called by many rotating foreign numbers",
            ),
            (
                "robocall_source",
                self.diallers,
                "this source dials numbers in sequence or like a metronome: a robocaller",
            ),
            (
                "foreign_call_centre",
                self.centres,
                "this foreign number holds long calls with many strangers: a scam call centre",
            ),
        )
        for rule, window, words in checks:
            if rule == "silent_call_source" and ev.caller in self.allowed:
                continue  # a roaming subscriber on the same route is not the campaign
            evidence = window.score_one(ev)
            if evidence is not None:
                hits.append(self._hit(rule, words, evidence))

    def _callbacks(self, ev: CallEvent, hits: list[RuleHit]) -> None:
        wangiri = self.one_ring.score_one(ev)
        if wangiri is not None:
            premium = ev.callee_type == "premium_rate"
            rule = "callback_to_wangiri_premium" if premium else "callback_to_wangiri"
            hits.append(
                self._hit(
                    rule,
                    f"{ev.callee} belongs to a range that rings subscribers "
                    "once to make them call back at their cost: do not call back",
                    wangiri,
                )
            )
        owner = self.owners.score_one(ev)
        if owner is not None:
            hits.append(
                self._hit(
                    "callback_to_spoofed_owner",
                    f"{ev.callee} is being spoofed by scammers: its owner did not call you",
                    owner,
                )
            )

    def _reputation(self, ev: CallEvent, hits: list[RuleHit], signals: dict[str, Any]) -> None:
        assert self.reputation is not None
        number = ev.callee if ev.direction == "outbound" else ev.caller
        signal = self.reputation(number)
        if signal is None:
            return
        signals["reputation"] = signal.level
        if ev.direction == "outbound":
            return  # calls *to* a number are protected by the callback rules, not blocked here
        rule = {
            "scam": "reputation_scam",
            "suspicious": "reputation_suspicious",
            "spoofed": "reputation_spoofed",
        }.get(signal.level)
        if rule is not None:
            hits.append(self._hit(rule, signal.reason, {"score": signal.score}))


_RULES = (
    "emergency_number",
    "invalid_cli",
    "national_cli_from_abroad",
    "do_not_originate",
    "stir_failed",
    "attestation_c_national",
    "reputation_scam",
    "reputation_suspicious",
    "reputation_spoofed",
    "one_ring_range",
    "silent_call_source",
    "rotation_harassment",
    "robocall_source",
    "foreign_call_centre",
    "callback_to_wangiri",
    "callback_to_wangiri_premium",
    "callback_to_spoofed_owner",
)
