"""A per-call verdict: what to do with one call before it rings, and why.

Why an enum with a priority: several rules fire on one call; the verdict is the most severe
outcome among them, and every rule that fired stays listed with its reason, so the subscriber,
the operator and an auditor see why (marble's rule executions work this way).

>>> Outcome.worst([Outcome.LABEL, Outcome.BLOCK, Outcome.ALLOW])
<Outcome.BLOCK: 'block'>
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    """What happens to the call, from least to most severe."""

    ALLOW = "allow"
    """Deliver the call as is."""
    LABEL = "label"
    """Deliver it with a "suspected scam" label shown to the callee."""
    WARN = "warn"
    """Outbound callback protection: play a warning announcement before connecting."""
    VOICEMAIL = "voicemail"
    """Do not ring the callee; send the caller to voicemail."""
    BLOCK = "block"
    """Reject the call."""

    @property
    def priority(self) -> int:
        return _PRIORITY[self]

    @classmethod
    def worst(cls, outcomes: Iterable[Outcome]) -> Outcome:
        """The most severe outcome (ALLOW when there is none)."""
        return max(outcomes, key=lambda o: o.priority, default=cls.ALLOW)


_PRIORITY = {
    Outcome.ALLOW: 0,
    Outcome.LABEL: 1,
    Outcome.WARN: 2,
    Outcome.VOICEMAIL: 3,
    Outcome.BLOCK: 4,
}


@dataclass(frozen=True, slots=True)
class CallSetup:
    """One call as the network sees it when it is set up (before the phone rings).

    `caller` is the CLI as presented (any written form), `at` the event time of the setup.
    """

    caller: str
    callee: str
    at: datetime
    direction: str = "inbound"
    ingress: str = "national"
    carrier: str | None = None
    identity: str | None = None
    """The SIP Identity header (STIR/SHAKEN PASSporT), if any."""
    call_id: str | None = None


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that fired: its name, the outcome it asks for and the reason in words."""

    rule: str
    outcome: Outcome
    reason: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The decision for one call: the worst outcome of the rules that fired, and all of them."""

    outcome: Outcome
    hits: tuple[RuleHit, ...]
    policy_version: str
    call_id: str | None = None
    signals: Mapping[str, Any] = field(default_factory=dict)
    """Facts gathered on the way (verstat, attestation, reputation level...)."""

    @classmethod
    def decide(
        cls,
        hits: Iterable[RuleHit],
        policy_version: str,
        *,
        call_id: str | None = None,
        signals: Mapping[str, Any] | None = None,
    ) -> Verdict:
        chosen = tuple(hits)
        return cls(
            Outcome.worst(h.outcome for h in chosen),
            chosen,
            policy_version,
            call_id,
            dict(signals or {}),
        )

    @property
    def rules(self) -> list[str]:
        return [h.rule for h in self.hits]

    @property
    def reasons(self) -> list[str]:
        return [h.reason for h in self.hits]

    def to_dict(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "outcome": self.outcome.value,
            "rules": self.rules,
            "reasons": self.reasons,
            "hits": [h.to_dict() for h in self.hits],
            "policy_version": self.policy_version,
            "signals": dict(self.signals),
        }
