"""Campaigns from genuine foreign numbers: crypto-investment call centres and rotation harassment.

`crypto_scam`: a boiler room abroad works a small pool of foreign mobile numbers, each reused
for hundreds of calls to distinct subscribers during office hours; calls are answered half the
time and then last minutes (the pitch). `harassment`: a few subscribers are each called tens of
times a day (default 30-80), every call from a different foreign number, from several
countries, so that blocking numbers one by one is useless; one campaign per victim.
"""

from __future__ import annotations

import numpy as np

from ringfence.simulate.batch import (
    ATT_NONE,
    FORM_00,
    FORM_E164,
    FORM_NATIONAL,
    INBOUND,
    INTERNATIONAL,
    KIND_INDEX,
    CallBatch,
    make_batch,
)
from ringfence.simulate.behaviour import outcome_n, pick
from ringfence.simulate.blocks import BlockSet
from ringfence.simulate.campaign import Campaign, PlantContext, split
from ringfence.simulate.presets import campaign_sources

CRYPTO = "crypto_scam"
HARASSMENT = "harassment"


def plant_crypto(ctx: PlantContext) -> list[CallBatch]:
    cfg = ctx.config.crypto_scam
    pop = ctx.population
    rng = ctx.rng(CRYPTO)
    sources = campaign_sources(CRYPTO, cfg.sources, pop.home)
    batches: list[CallBatch] = []
    sizes = split(ctx.campaign_size(cfg.share, cfg.min_calls), cfg.campaigns, rng)
    for i, n in enumerate(sizes):
        spec = sources[(int(rng.integers(0, len(sources))) + i) % len(sources)]
        blocks = pop.campaign_blocks(spec, 1, rng)
        numbers, kinds = BlockSet(blocks, pop.kinds).draw_unique(rng, cfg.numbers_per_campaign)
        which = pick(rng, n, rng.uniform(0.5, 1.5, numbers.size))
        callee, callee_kind = pop.subscribers.take(pop.subscribers_distinct(rng, n))
        start = ctx.timeline.bursts(rng, n, cfg.active_hours, (2, 3), (2, 5))
        gateway = ctx.carriers.campaign_gateways(rng, 1)
        answered, ring, duration, released = outcome_n(
            rng, n, cfg.answer_rate, cfg.median_duration_s, 0.7, low=60.0
        )
        index = ctx.add(
            Campaign(
                campaign_id=ctx.next_id(CRYPTO),
                kind=CRYPTO,
                parameters={
                    "source": str(spec),
                    "numbers": cfg.numbers_per_campaign,
                    "answer_rate": cfg.answer_rate,
                    "median_duration_s": cfg.median_duration_s,
                    "carrier": ctx.carriers.names[int(gateway[0])],
                },
                ranges=[b.range_text for b in blocks],
            )
        )
        ctx.campaigns[index].list_numbers(numbers)
        batches.append(
            make_batch(
                n,
                start=start,
                caller=numbers[which],
                caller_kind=kinds[which],
                caller_form=FORM_E164,
                callee=callee,
                callee_kind=callee_kind,
                callee_form=FORM_NATIONAL,
                direction=INBOUND,
                ingress=INTERNATIONAL,
                ring=ring,
                answered=answered,
                duration=duration,
                released=released,
                attestation=ATT_NONE,
                carrier=gateway[0],
                campaign=index,
                label=KIND_INDEX[CRYPTO],
            )
        )
    return batches


def plant_harassment(ctx: PlantContext) -> list[CallBatch]:
    cfg = ctx.config.harassment
    pop = ctx.population
    rng = ctx.rng(HARASSMENT)
    sources = campaign_sources(HARASSMENT, cfg.sources, pop.home)
    victims = pop.subscribers_distinct(rng, cfg.victims)
    batches: list[CallBatch] = []
    for victim in victims.tolist():
        count = min(cfg.countries_per_victim, len(sources))
        specs = [sources[i] for i in rng.choice(len(sources), count, replace=False)]
        blocks = [b for spec in specs for b in pop.campaign_blocks(spec, 1, rng)]
        per_day = rng.integers(cfg.calls_per_day[0], cfg.calls_per_day[1] + 1, ctx.timeline.days)
        starts = [
            rng.integers(begin, end, int(k), dtype=np.int64)
            for (begin, end), k in zip(ctx.timeline.day_bounds(), per_day.tolist(), strict=True)
        ]
        start = np.sort(np.concatenate(starts))
        n = start.size
        numbers, kinds = BlockSet(blocks, pop.kinds).draw_unique(rng, n)
        answered, ring, duration, released = outcome_n(rng, n, cfg.answer_rate, 20.0, 0.8, 2.0)
        target, target_kind = pop.subscribers.take(np.array([victim]))
        index = ctx.add(
            Campaign(
                campaign_id=ctx.next_id(HARASSMENT),
                kind=HARASSMENT,
                parameters={
                    "sources": [str(s) for s in specs],
                    "calls_per_day": per_day.tolist(),
                    "answer_rate": cfg.answer_rate,
                },
                ranges=sorted(b.range_text for b in blocks),
                targets=[f"+{int(target[0])}"],
            )
        )
        ctx.campaigns[index].list_numbers(numbers)
        batches.append(
            make_batch(
                n,
                start=start,
                caller=numbers,
                caller_kind=kinds,
                caller_form=np.where(rng.random(n) < 0.7, FORM_E164, FORM_00),
                callee=target[0],
                callee_kind=target_kind[0],
                callee_form=FORM_NATIONAL,
                direction=INBOUND,
                ingress=INTERNATIONAL,
                ring=ring,
                answered=answered,
                duration=duration,
                released=released,
                attestation=ATT_NONE,
                carrier=ctx.carriers.pick_gateway(rng, n),
                campaign=index,
                label=KIND_INDEX[HARASSMENT],
            )
        )
    return batches
