"""The interconnect carriers of a simulation: national carriers and international gateways.

A call's `carrier` is the interconnect it came in by (or left by); on-net calls have none. Names
come from the country preset and are fictional (see data/simulate/countries.json).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringfence.simulate.behaviour import pick
from ringfence.simulate.presets import CountryPreset

NO_CARRIER = -1


@dataclass(frozen=True)
class Carriers:
    names: tuple[str, ...]
    national: np.ndarray
    gateways: np.ndarray
    gateway_weights: np.ndarray

    @classmethod
    def of(cls, preset: CountryPreset) -> Carriers:
        names = preset.national_carriers + preset.international_gateways
        national = np.arange(len(preset.national_carriers), dtype=np.int16)
        gateways = np.arange(len(national), len(names), dtype=np.int16)
        return cls(names, national, gateways, np.array(preset.gateway_weights, dtype=np.float64))

    def pick_national(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """National interconnects, the first ones busier (market shares are unequal)."""
        weights = 1.0 / np.arange(1, self.national.size + 1)
        return np.asarray(self.national[pick(rng, n, weights)])

    def pick_gateway(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.asarray(self.gateways[pick(rng, n, self.gateway_weights)])

    def campaign_gateways(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """Gateways a campaign buys from: the cheaper, smaller ones are more likely."""
        weights = 1.0 / self.gateway_weights
        count = min(count, self.gateways.size)
        chosen = rng.choice(self.gateways.size, count, replace=False, p=weights / weights.sum())
        return self.gateways[np.sort(chosen)]
