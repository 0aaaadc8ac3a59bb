"""The parameters of the reputation model, declared once with their reasons.

Why a frozen dataclass: the model is tuned by an operator, never by editing code in several
places; tests build a policy with other values to check properties. The formulas that use these
parameters are in `scoring.py` and written out in docs/reputation.md.

Defaults and their reasons:
- half-lives: a report fades by half in 30 days (scam numbers rotate within weeks; a report of
  last year says little about the number today); a detector finding in 14 days (campaign ranges
  rotate faster, and the next analysis re-asserts a live campaign); imported complaints 30 days.
- weights: a citizen's report counts 1, an imported complaint 0.5 (public complaint data mixes
  telemarketing with scams and cannot be moderated), `other` and `harassment` reports 0.5
  (harassment is often personal, not a campaign), a finding 25 x its score (a finding summarises
  hundreds of calls seen in the network, not one person's impression).
- confidence: z = 1.96 (95 % Wilson lower bound) with one clean pseudo-observation, so that two
  fresh reports give a score of 21 (`unknown`), about 3 give `suspicious` and about 15 distinct
  reporters, or one strong finding, give `scam`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ringfence.reputation.model import Category, EvidenceSource

DAY_S = 86_400.0


def _default_half_lives() -> dict[EvidenceSource, float]:
    return {
        EvidenceSource.REPORT: 30.0,
        EvidenceSource.IMPORT: 30.0,
        EvidenceSource.FINDING: 14.0,
        EvidenceSource.OPERATOR: 30.0,
    }


def _default_source_weights() -> dict[EvidenceSource, float]:
    return {
        EvidenceSource.REPORT: 1.0,
        EvidenceSource.IMPORT: 0.5,
        EvidenceSource.FINDING: 25.0,
        EvidenceSource.OPERATOR: 0.0,
    }


def _default_category_weights() -> dict[str, float]:
    return {Category.OTHER.value: 0.5, Category.HARASSMENT.value: 0.5}


@dataclass(frozen=True, slots=True)
class ScoringPolicy:
    """Weights, half-lives and thresholds of the reputation model (see the module docstring)."""

    half_life_days: Mapping[EvidenceSource, float] = field(default_factory=_default_half_lives)
    source_weight: Mapping[EvidenceSource, float] = field(default_factory=_default_source_weights)
    category_weight: Mapping[str, float] = field(default_factory=_default_category_weights)
    """Multiplier for report and import categories not listed: 1.0."""
    z: float = 1.96
    """Normal quantile of the confidence bound (1.96: 95 %)."""
    clean_prior: float = 1.0
    """Pseudo-observations of clean behaviour: most numbers belong to honest people."""
    suspicious_at: float = 25.0
    scam_at: float = 70.0
    range_min_numbers: int = 3
    """A range is `scam` from reports only when at least this many distinct numbers in it were
    reported (otherwise it is capped at `suspicious`): one reported number says nothing about
    its neighbours."""
    range_cuts: tuple[int, ...] = (1, 2)
    """Ranges every reported number feeds: all but the last 1 digit (/10) and 2 digits (/100)."""
    spoofed_min_mass: float = 1.0
    """Decayed weight of spoofed-owner evidence above which the state is `spoofed`."""
    shown_min_mass: float = 0.05
    """Decayed weight of shown-by-scammers evidence above which a lookup says so."""

    def weight(self, source: EvidenceSource, category: str) -> float:
        """The base weight of one piece of evidence (before its strength and its decay)."""
        base = self.source_weight.get(source, 0.0)
        if source in (EvidenceSource.REPORT, EvidenceSource.IMPORT):
            base *= self.category_weight.get(category, 1.0)
        return base

    def half_life_s(self, source: EvidenceSource) -> float:
        return self.half_life_days.get(source, 30.0) * DAY_S
