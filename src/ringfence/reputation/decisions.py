"""Operators' and moderators' decisions about a number or a range.

Why decisions are evidence rows: they sit beside reports and findings, are kept with who and
why, and expire on their own; the latest unexpired decision overrides the score (see
`scoring.current_decision`), and `clear` hands the verdict back to the score.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from ringfence.domain.numbers import NumberRange
from ringfence.reputation.blocklist import Blocklist
from ringfence.reputation.model import (
    Evidence,
    EvidenceKind,
    EvidenceSource,
    SubjectKind,
    Verdict,
)
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import BlockChange


@dataclass(frozen=True, slots=True)
class Decision:
    decision_id: str
    subject: str
    subject_kind: SubjectKind
    verdict: Verdict
    changes: tuple[BlockChange, ...]


def canonical_subject(reputations: Reputations, text: str, kind: SubjectKind) -> str:
    """The stored form of a subject written by an operator; raises ValueError with a hint."""
    if kind is SubjectKind.RANGE:
        return str(NumberRange.parse(text))
    return reputations.parse(text).e164


def decide(
    reputations: Reputations,
    subject: str,
    verdict: Verdict,
    *,
    kind: SubjectKind = SubjectKind.NUMBER,
    reason: str,
    expires_at: datetime | None = None,
    actor: str = "operator",
) -> Decision:
    """Record a decision and bring the blocklist in step. A `scam` decision on a spoofed owner,
    an allow-listed or an emergency number still never blocklists it."""
    value = canonical_subject(reputations, subject, kind)
    now = reputations.clock.now()
    if expires_at is not None and expires_at <= now:
        raise ValueError("the decision would expire before it starts: give a future expiry")
    decision_id = f"decision-{secrets.token_hex(8)}"
    row = Evidence(
        subject=value,
        subject_kind=kind,
        source=EvidenceSource.OPERATOR,
        kind=EvidenceKind.DECISION,
        category=verdict.value,
        strength=1.0,
        occurred_at=now,
        ref=decision_id,
        expires_at=expires_at,
        note=f"{actor}: {reason}"[:500],
    )
    store = reputations.store
    with store.transaction():
        store.add_evidence([row])
        changes = Blocklist(reputations).reconcile([(value, kind)])
    return Decision(decision_id, value, kind, verdict, tuple(changes))
