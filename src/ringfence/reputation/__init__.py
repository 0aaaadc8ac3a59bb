"""Reputation of numbers and ranges: evidence in, a level with reasons out.

Public API (see docs/reputation.md):

- `open_store(url) -> Store`: `sqlite:///path.db` or `postgresql://...`, migrated at open;
- `Reputations(store, clock, ...)`: `.view(number) -> NumberView` (level, score, state,
  reasons, advice, ranges);
- `apply_findings(store, findings, *, clock) -> ApplySummary`: detector findings in, by role;
- `ReputationSnapshot.build(store, clock=...)`: every reputation in memory, for the screener;
- `Blocklist(reputations)`: `.changes(since)`, `.sweep()`, `.entries()`;
- `decide(reputations, subject, verdict, ...)`: operators' decisions.
"""

from __future__ import annotations

from ringfence.reputation.allowlist import Allowlist, AllowlistEntry
from ringfence.reputation.blocklist import Blocklist, BlocklistDelta
from ringfence.reputation.decisions import Decision, decide
from ringfence.reputation.findings import ApplySummary, FindingsApplier, apply_findings
from ringfence.reputation.model import (
    Category,
    Evidence,
    EvidenceKind,
    EvidenceSource,
    Level,
    Reason,
    Reputation,
    State,
    SubjectKind,
    Verdict,
)
from ringfence.reputation.policy import ScoringPolicy
from ringfence.reputation.service import Reputations
from ringfence.reputation.snapshot import ReputationSnapshot
from ringfence.reputation.store import Store, StoreError, default_store_url, open_store
from ringfence.reputation.view import NumberView

__all__ = [
    "Allowlist",
    "AllowlistEntry",
    "ApplySummary",
    "Blocklist",
    "BlocklistDelta",
    "Category",
    "Decision",
    "Evidence",
    "EvidenceKind",
    "EvidenceSource",
    "FindingsApplier",
    "Level",
    "NumberView",
    "Reason",
    "Reputation",
    "ReputationSnapshot",
    "Reputations",
    "ScoringPolicy",
    "State",
    "Store",
    "StoreError",
    "SubjectKind",
    "Verdict",
    "apply_findings",
    "decide",
    "default_store_url",
    "open_store",
]
