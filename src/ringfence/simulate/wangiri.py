"""Wangiri (one-ring) campaigns and the subscribers who call the lure back.

A campaign rents a few foreign ranges (mobile, fixed, premium-rate or personal numbers) and rings
many subscribers once (<= 3 s, hung up before an answer), each number used once or twice, so no
number repeats enough to be noticed: only the *range* gives it away. A share of the people rung
call the number back (outbound, answered, long: the revenue-share cost is the point), most
within hours, some days later. Callbacks carry the campaign's id and the label
`wangiri_callback`.
"""

from __future__ import annotations

import numpy as np

from ringfence.simulate.batch import (
    ATT_A,
    ATT_NONE,
    BY_CALLEE,
    BY_CALLER,
    FORM_00,
    FORM_E164,
    FORM_NATIONAL,
    INBOUND,
    INTERNATIONAL,
    KIND_INDEX,
    NATIONAL,
    OUTBOUND,
    CallBatch,
    make_batch,
)
from ringfence.simulate.behaviour import answered_ring, delays_s, lognormal
from ringfence.simulate.blocks import BlockSet
from ringfence.simulate.campaign import Campaign, PlantContext, split, stochastic_round
from ringfence.simulate.presets import RangeSpec, campaign_sources
from ringfence.simulate.timeline import US_PER_HOUR, US_PER_S

KIND = "wangiri"
CALLBACK = "wangiri_callback"
BLOCK_FILL = 0.8
"""Share of a rented block the campaign's numbers may use."""


def plant(ctx: PlantContext) -> list[CallBatch]:
    cfg = ctx.config.wangiri
    rng = ctx.rng(KIND)
    sources = campaign_sources(KIND, cfg.sources, ctx.population.home)
    batches: list[CallBatch] = []
    for n in split(ctx.campaign_size(cfg.share, cfg.min_calls), cfg.campaigns, rng):
        batches.extend(_campaign(ctx, rng, n, sources))
    return batches


def _uses(rng: np.random.Generator, n: int, max_uses: int) -> np.ndarray:
    """How many calls each number makes (1..max_uses), summing to exactly `n`."""
    uses = rng.integers(1, max_uses + 1, n)
    total = np.cumsum(uses)
    count = int(np.searchsorted(total, n)) + 1
    uses = uses[:count]
    uses[-1] -= int(uses.sum()) - n
    return uses


def _campaign(
    ctx: PlantContext, rng: np.random.Generator, n: int, sources: tuple[RangeSpec, ...]
) -> list[CallBatch]:
    cfg = ctx.config.wangiri
    pop = ctx.population
    chosen = rng.choice(len(sources), min(cfg.ranges_per_campaign, len(sources)), replace=False)
    chosen = rng.choice(len(sources), min(cfg.ranges_per_campaign, len(sources)), replace=False)
    specs = [sources[i] for i in chosen]
    uses = _uses(rng, n, cfg.max_uses)
    per_spec = -(-uses.size // len(specs))
    blocks = []
    for spec in specs:
        blocks.extend(pop.campaign_blocks(spec, max(1, -(-per_spec // int(10**4 * BLOCK_FILL))),
                                          rng))  # fmt: skip
    numbers, kinds = BlockSet(blocks, pop.kinds).draw_unique(rng, uses.size)
    caller = np.repeat(numbers, uses)
    caller_kind = np.repeat(kinds, uses)
    order = rng.permutation(n)
    callee, callee_kind = pop.subscribers.take(pop.subscribers_distinct(rng, n))
    start = ctx.timeline.bursts(rng, n, cfg.active_hours, (2, 5), (1, 4))
    gateways = ctx.carriers.campaign_gateways(rng, 2)
    index = ctx.add(
        Campaign(
            campaign_id=ctx.next_id(KIND),
            kind=KIND,
            parameters={
                "sources": [str(s) for s in specs],
                "max_ring_s": 3.0,
                "max_uses": cfg.max_uses,
                "callback_share": cfg.callback_share,
                "carriers": [ctx.carriers.names[g] for g in gateways.tolist()],
            },
            ranges=sorted(b.range_text for b in blocks),
        )
    )
    ctx.campaigns[index].list_numbers(numbers)
    calls = make_batch(
        n,
        start=start,
        caller=caller[order],
        caller_kind=caller_kind[order],
        caller_form=np.where(rng.random(n) < 0.7, FORM_E164, FORM_00),
        callee=callee,
        callee_kind=callee_kind,
        callee_form=FORM_NATIONAL,
        direction=INBOUND,
        ingress=INTERNATIONAL,
        ring=rng.uniform(0.5, 3.0, n),
        answered=False,
        duration=0.0,
        released=BY_CALLER,
        attestation=ATT_NONE,
        carrier=gateways[rng.integers(0, gateways.size, n)],
        campaign=index,
        label=KIND_INDEX[KIND],
    )
    return [calls, _callbacks(ctx, rng, calls, index, gateways)]


def _callbacks(
    ctx: PlantContext, rng: np.random.Generator, calls: CallBatch, index: int, gateways: np.ndarray
) -> CallBatch:
    """Recipients who call the number that rang them, within hours or days later."""
    cfg = ctx.config.wangiri
    n = len(calls)
    k = int(stochastic_round(rng, np.array([n * cfg.callback_share]))[0])
    chosen = np.sort(rng.choice(n, min(k, n), replace=False))
    lure = calls.start[chosen]
    remaining = ctx.timeline.end_us - lure
    soon = (delays_s(rng, chosen.size, 20 * 60.0, 30.0, 12 * 3600.0) * US_PER_S).astype(np.int64)
    late = rng.random(chosen.size) < cfg.late_callback_share
    room = remaining > 24 * US_PER_HOUR
    days_later = 24 * US_PER_HOUR + rng.random(chosen.size) * (remaining - 24 * US_PER_HOUR)
    delay = np.where(late & room, days_later.astype(np.int64), soon)
    start = lure + delay
    inside = start < ctx.timeline.end_us
    chosen, start = chosen[inside], start[inside]
    k = chosen.size
    return make_batch(
        k,
        start=start,
        caller=calls.callee[chosen],
        caller_kind=calls.callee_kind[chosen],
        caller_form=FORM_NATIONAL,
        callee=calls.caller[chosen],
        callee_kind=calls.caller_kind[chosen],
        callee_form=FORM_00,
        direction=OUTBOUND,
        ingress=NATIONAL,
        ring=answered_ring(rng, k),
        answered=True,
        duration=lognormal(rng, k, 150.0, 0.7, 20.0, 3600.0),
        released=np.where(rng.random(k) < 0.6, BY_CALLEE, BY_CALLER),
        attestation=ATT_A,
        carrier=gateways[rng.integers(0, gateways.size, k)],
        campaign=index,
        label=KIND_INDEX[CALLBACK],
    )
