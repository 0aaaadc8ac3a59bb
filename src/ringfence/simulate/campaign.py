"""What the planting modules share: the campaign record, the planting context, size helpers.

A `Campaign` is the description written to campaigns.json (and shown by the CLI) so that a demo
or an evaluator can say what was planted: its kind, parameters, the ranges and numbers it used,
the numbers it *spoofed* (innocent owners), its targets, call counts and time span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ringfence.simulate.batch import KIND_INDEX, CallBatch
from ringfence.simulate.blocks import KindTable
from ringfence.simulate.carriers import Carriers
from ringfence.simulate.config import SimulationConfig
from ringfence.simulate.population import Population
from ringfence.simulate.timeline import Timeline, iso

MAX_LISTED_NUMBERS = 1000
"""Numbers listed per campaign in campaigns.json (the total is always given)."""


@dataclass
class Campaign:
    """One planted campaign."""

    campaign_id: str
    kind: str
    parameters: dict[str, Any]
    ranges: list[str] = field(default_factory=list)
    """Ranges (E.164 prefixes) the campaign's own numbers come from."""
    numbers: list[str] = field(default_factory=list)
    """The campaign's own numbers (at most MAX_LISTED_NUMBERS; see numbers_total)."""
    numbers_total: int = 0
    spoofed_numbers: list[str] = field(default_factory=list)
    """Numbers of innocent owners that the campaign presented: never the scammer's."""
    targets: list[str] = field(default_factory=list)
    """Subscribers singled out (harassment victims)."""
    details: dict[str, Any] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    """Calls per campaign_kind label (callbacks are labelled apart), filled after planting."""
    first_call: str | None = None
    last_call: str | None = None

    def list_numbers(self, digits: np.ndarray) -> None:
        unique = np.unique(digits)
        self.numbers_total = int(unique.size)
        self.numbers = [f"+{d}" for d in unique[:MAX_LISTED_NUMBERS].tolist()]

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign_id,
            "kind": self.kind,
            "calls": self.calls,
            "first_call": self.first_call,
            "last_call": self.last_call,
            "ranges": self.ranges,
            "numbers_total": self.numbers_total,
            "numbers": self.numbers,
            "spoofed_numbers": self.spoofed_numbers,
            "targets": self.targets,
            "parameters": self.parameters,
            "details": self.details,
        }


@dataclass
class PlantContext:
    """Everything a planting module needs, and the campaigns planted so far."""

    config: SimulationConfig
    population: Population
    carriers: Carriers
    timeline: Timeline
    kinds: KindTable
    campaigns: list[Campaign] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Plain-words remarks for the user (e.g. a campaign kind that could not be planted)."""

    def rng(self, kind: str) -> np.random.Generator:
        """The random stream of one campaign kind: independent of the other kinds."""
        return np.random.default_rng([self.config.seed, 1000 + KIND_INDEX[kind]])

    def add(self, campaign: Campaign) -> int:
        self.campaigns.append(campaign)
        return len(self.campaigns) - 1

    def next_id(self, kind: str) -> str:
        count = sum(1 for c in self.campaigns if c.kind == kind)
        return f"{kind}-{count + 1:02d}"

    def campaign_size(self, share: float, min_calls: int) -> int:
        return max(min_calls, round(share * self.config.calls))


def split(total: int, parts: int, rng: np.random.Generator) -> list[int]:
    """`total` split into `parts` unequal positive sizes (fewer parts when total is small)."""
    parts = max(1, min(parts, total))
    weights = rng.uniform(0.7, 1.3, parts)
    sizes = np.floor(weights / weights.sum() * total).astype(np.int64)
    sizes[: total - int(sizes.sum())] += 1
    return [int(s) for s in sizes if s > 0]


def stochastic_round(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """Round to an integer up or down with probability given by the fraction (mean kept)."""
    return np.floor(values + rng.random(values.shape)).astype(np.int64)


def finish(campaigns: list[Campaign], planted: CallBatch, kinds: tuple[str, ...]) -> None:
    """Fill each campaign's call counts and time span from the planted calls."""
    mask = planted.campaign >= 0
    index = planted.campaign[mask]
    labels = planted.label[mask]
    starts = planted.start[mask]
    for i, campaign in enumerate(campaigns):
        mine = index == i
        if not mine.any():
            continue
        campaign.calls = {
            kinds[label]: int(count)
            for label, count in enumerate(np.bincount(labels[mine], minlength=len(kinds)))
            if count
        }
        campaign.first_call = iso(int(starts[mine].min()))
        campaign.last_call = iso(int(starts[mine].max()))
