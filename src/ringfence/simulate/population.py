"""Who is on the phone: the operator's subscribers, other operators' subscribers, foreigners.

Built once at start-up from number blocks (see `blocks.py`), sized from the number of calls:
about one subscriber per `calls_per_subscriber_day` calls a day, as many numbers of other
national operators, and a pool of legitimate foreign callers who each call a few times. Blocks of
the home plan are split between the operator, the other operators and a reserve (notification
lines, diallers); foreign blocks are split between the baseline and the campaigns, so that a
planted campaign never shares a block with ordinary foreign callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from ringfence.domain.numbers import NumberType, Validity, parse_number
from ringfence.simulate.behaviour import pick
from ringfence.simulate.blocks import (
    STYLE_DIGITS,
    Block,
    BlockSet,
    Kind,
    KindTable,
    find_blocks,
)
from ringfence.simulate.config import SimulationConfig
from ringfence.simulate.presets import CountryPreset, PresetError, RangeSpec, ServiceNumber

FILL = 0.5
"""Share of a block's numbers that are in service (subscribers drawn without repeats)."""
BASELINE_FOREIGN_BLOCKS = 8
CAMPAIGN_FOREIGN_BLOCKS = 16
ACTIVITY_CLASSES = 64
MAX_SUBSCRIBERS = 5_000_000
"""Beyond 20 million calls a day, subscribers call more rather than being more numerous (a
national plan has room for a few tens of millions of numbers, shared with other operators)."""
RESERVED_HOME_BLOCKS = 12
"""Home fixed blocks kept out of subscriber pools: 2 notification lines, up to 10 diallers."""


@dataclass(frozen=True)
class NumberPool:
    """Numbers (int64 E.164 digits) and their kind codes."""

    digits: np.ndarray
    kinds: np.ndarray

    def __len__(self) -> int:
        return int(self.digits.shape[0])

    def take(self, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.digits[index], self.kinds[index]

    def draw(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        return self.take(rng.integers(0, len(self), n))


class Population:
    """The numbers of a simulation. `rng` only shuffles and draws; blocks are deterministic."""

    def __init__(
        self,
        config: SimulationConfig,
        preset: CountryPreset,
        kinds: KindTable,
        services: tuple[ServiceNumber, ...],
        rng: np.random.Generator,
    ) -> None:
        self.home = preset.country
        self.kinds = kinds
        base = config.baseline
        per_day = config.calls / config.days
        size = min(MAX_SUBSCRIBERS, max(2_000, round(per_day / base.calls_per_subscriber_day)))
        mobiles = round(size * base.mobile_share)
        fixed = size - mobiles
        service_digits = np.array([int(s.e164[1:]) for s in services], dtype=np.int64)

        own_m, other_m, _ = self._home_blocks(NumberType.MOBILE, mobiles)
        taken = frozenset(b.prefix for b in own_m + other_m)
        own_f, other_f, reserve = self._home_blocks(NumberType.FIXED_LINE, fixed, taken)
        self.own_mobile = BlockSet(own_m, kinds)
        self.reserve = reserve
        """Home fixed blocks outside every subscriber pool: notification lines, diallers."""

        sub_m = self._unique(rng, BlockSet(own_m, kinds), mobiles, service_digits)
        sub_f = self._unique(rng, BlockSet(own_f, kinds), fixed, service_digits)
        order = rng.permutation(size)
        self.subscribers = NumberPool(
            np.concatenate([sub_m.digits, sub_f.digits])[order],
            np.concatenate([sub_m.kinds, sub_f.kinds])[order],
        )
        self.mobile_subscriber = np.concatenate(
            [np.ones(mobiles, dtype=np.bool_), np.zeros(fixed, dtype=np.bool_)]
        )[order]
        # Activity classes: subscriber i (in shuffled order) is in class i * K // size; class
        # weights follow a lognormal (some people call far more than others). Drawing a class
        # then a member is exact for this piecewise-constant activity and needs no per-call
        # search over millions of subscribers.
        classes = min(ACTIVITY_CLASSES, size)
        self._class_lo = np.arange(classes, dtype=np.int64) * size // classes
        self._class_size = np.diff(np.append(self._class_lo, size))
        z = _normal_quantiles((np.arange(classes) + 0.5) / classes)
        self._class_weight = np.exp(0.8 * z) * self._class_size

        oth_m = self._unique(rng, BlockSet(other_m, kinds), mobiles, service_digits)
        oth_f = self._unique(rng, BlockSet(other_f, kinds), fixed, service_digits)
        order = rng.permutation(size)
        self.others = NumberPool(
            np.concatenate([oth_m.digits, oth_f.digits])[order],
            np.concatenate([oth_m.kinds, oth_f.kinds])[order],
        )

        self._baseline_blocks: dict[RangeSpec, int] = {}
        self.foreign_countries = tuple(sorted(preset.foreign_mix))
        weights = np.array([preset.foreign_mix[c] for c in self.foreign_countries])
        self.foreign_weights = weights / weights.sum()
        expected = config.calls * (
            base.inbound_share * base.international_inbound_share
            + (1 - base.inbound_share - base.outbound_share) * 0.5
        )
        self.foreign = self._foreign_pool(
            rng, max(200, round(expected / base.foreign_calls_per_number))
        )
        self.foreign_destinations = BlockSet(
            [b for c in self.foreign_countries for b in self._foreign_blocks(c)], kinds
        )
        self.premium = self._optional_blocks(NumberType.PREMIUM_RATE)
        self.tollfree = self._optional_blocks(NumberType.TOLL_FREE)
        emergency_kind = kinds.code(Kind(self.home, NumberType.EMERGENCY.value, True, STYLE_DIGITS))
        self.emergency = NumberPool(
            np.array([int(e) for e in preset.emergency], dtype=np.int64),
            np.full(len(preset.emergency), emergency_kind, dtype=np.int16),
        )
        self.services = services
        self.service = NumberPool(
            service_digits,
            np.array(
                [kinds.code(_kind_of_service(s, self.home)) for s in services], dtype=np.int16
            ),
        )
        self._campaign_blocks_used: dict[RangeSpec, set[int]] = {}

    # --- construction helpers -------------------------------------------------------------

    def _home_blocks(
        self, number_type: NumberType, numbers: int, taken: frozenset[int] = frozenset()
    ) -> tuple[tuple[Block, ...], tuple[Block, ...], tuple[Block, ...]]:
        """The operator's blocks, other operators' blocks and a reserve, all disjoint (and
        apart from `taken`: where fixed and mobile numbers share a plan, as in the US)."""
        spec = RangeSpec(self.home, number_type)
        per_side = max(1, -(-numbers // int(10**4 * FILL)))
        wanted = 2 * per_side + RESERVED_HOME_BLOCKS
        found = find_blocks(spec, wanted + len(taken))
        every = tuple(b for b in found if b.prefix not in taken)[:wanted]
        if len(every) <= 2 * per_side:
            raise PresetError(
                f"the numbering plan gave {len(every)} {spec} blocks; {2 * per_side + 1} are "
                "needed for this many calls: lower --calls"
            )
        return every[:per_side], every[per_side : 2 * per_side], every[2 * per_side :]

    def _unique(
        self, rng: np.random.Generator, blocks: BlockSet, n: int, exclude: np.ndarray
    ) -> NumberPool:
        digits, kinds = blocks.draw_unique(rng, min(len(blocks), n + exclude.size))
        keep = ~np.isin(digits, exclude)
        return NumberPool(digits[keep][:n], kinds[keep][:n])

    def _foreign_blocks(self, country: str, numbers: int = 0) -> tuple[Block, ...]:
        """Baseline blocks of a foreign country (mobile and fixed), enough for `numbers`.

        The count used per range is remembered: campaigns take blocks after it.
        """
        found: list[Block] = []
        per_type = -(-numbers // (2 * int(10**4 * FILL)))
        for number_type in (NumberType.MOBILE, NumberType.FIXED_LINE):
            spec = RangeSpec(country, number_type)
            count = max(BASELINE_FOREIGN_BLOCKS, per_type, self._baseline_blocks.get(spec, 0))
            self._baseline_blocks[spec] = count
            found.extend(find_blocks(spec, count))
        return tuple(found)

    def _foreign_pool(self, rng: np.random.Generator, n: int) -> NumberPool:
        counts = rng.multinomial(n, self.foreign_weights)
        digits: list[np.ndarray] = []
        kinds: list[np.ndarray] = []
        for country, count in zip(self.foreign_countries, counts.tolist(), strict=True):
            if count:
                blocks = BlockSet(self._foreign_blocks(country, count), self.kinds)
                d, k = blocks.draw_unique(rng, min(count, len(blocks)))
                digits.append(d)
                kinds.append(k)
        order = rng.permutation(sum(len(d) for d in digits))
        return NumberPool(np.concatenate(digits)[order], np.concatenate(kinds)[order])

    def _optional_blocks(self, number_type: NumberType) -> BlockSet | None:
        try:
            return BlockSet(find_blocks(RangeSpec(self.home, number_type), 6), self.kinds)
        except PresetError:
            return None  # the home plan has no such numbers: no such calls

    # --- drawing ------------------------------------------------------------------------

    def subscriber_index(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Subscribers weighted by activity (some people call far more than others)."""
        chosen = pick(rng, n, self._class_weight)
        offset = (rng.random(n) * self._class_size[chosen]).astype(np.int64)
        return np.asarray(self._class_lo[chosen] + offset, dtype=np.int64)

    def subscribers_distinct(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Indices of `n` distinct subscribers (repeats only when there are fewer)."""
        size = len(self.subscribers)
        if n <= size:
            return rng.choice(size, n, replace=False).astype(np.int64)
        return rng.integers(0, size, n).astype(np.int64)

    def campaign_blocks(self, spec: RangeSpec, count: int, rng: np.random.Generator) -> list[Block]:
        """`count` blocks of `spec` that no baseline caller and no other campaign uses."""
        split = self._baseline_blocks.get(spec, BASELINE_FOREIGN_BLOCKS)
        used = self._campaign_blocks_used.setdefault(spec, set())
        reserved = find_blocks(spec, split + max(CAMPAIGN_FOREIGN_BLOCKS, len(used) + count))
        free = [b for b in reserved[min(split, len(reserved) // 2) :] if b.prefix not in used]
        if not free:
            raise PresetError(f"no free {spec} block left for another campaign")
        chosen = [free[i] for i in sorted(rng.choice(len(free), min(count, len(free)), False))]
        used.update(b.prefix for b in chosen)
        return chosen


def _normal_quantiles(p: np.ndarray) -> np.ndarray:
    """Standard normal quantiles of the probabilities `p` (stdlib, no scipy)."""
    normal = NormalDist()
    return np.array([normal.inv_cdf(float(x)) for x in p], dtype=np.float64)


def _kind_of_service(service: ServiceNumber, home: str) -> Kind:
    number = parse_number(service.e164, home)
    return Kind(number.country, number.type.value, number.validity is Validity.VALID)
