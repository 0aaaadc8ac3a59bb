"""Silent calls (number validation) and the callbacks their spoofed owners receive.

A validation campaign calls many subscribers through one or a few cheap international gateways,
presenting *national* numbers that belong to real, innocent subscribers (of this operator or of
another national operator); the dialler waits for the answer and hangs up within 1-3 s, which
tells it the number is live. Some people call back the number they saw: its owner B then
receives calls from strangers who each, a little earlier, received a call presenting B (the
callback storm). Callbacks carry the campaign's id and the label `silent_calls_callback`.
"""

from __future__ import annotations

import numpy as np

from ringfence.simulate.batch import (
    ATT_A,
    ATT_NONE,
    BY_CALLER,
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
from ringfence.simulate.behaviour import answered_ring, delays_s, outcome_n, pick
from ringfence.simulate.campaign import Campaign, PlantContext, split, stochastic_round
from ringfence.simulate.carriers import NO_CARRIER

KIND = "silent_calls"
CALLBACK = "silent_calls_callback"


def plant(ctx: PlantContext) -> list[CallBatch]:
    """Plant the silent-call campaigns (and their callbacks); return their calls."""
    cfg = ctx.config.silent_calls
    rng = ctx.rng(KIND)
    batches: list[CallBatch] = []
    for n in split(ctx.campaign_size(cfg.share, cfg.min_calls), cfg.campaigns, rng):
        batches.extend(_campaign(ctx, rng, n))
    return batches


def _campaign(ctx: PlantContext, rng: np.random.Generator, n: int) -> list[CallBatch]:
    cfg = ctx.config.silent_calls
    pop = ctx.population
    n_cli = max(1, round(n / cfg.calls_per_cli))
    own = rng.random(n_cli) < cfg.subscriber_cli_share
    own_idx = pop.subscribers_distinct(rng, int(own.sum()))
    other_idx = rng.choice(len(pop.others), int((~own).sum()), replace=False)
    cli = np.concatenate([pop.subscribers.digits[own_idx], pop.others.digits[other_idx]])
    cli_kind = np.concatenate([pop.subscribers.kinds[own_idx], pop.others.kinds[other_idx]])
    cli_own = np.concatenate([np.ones(own_idx.size, np.bool_), np.zeros(other_idx.size, np.bool_)])

    which = pick(rng, n, rng.uniform(0.5, 1.5, n_cli))
    callee_idx = pop.subscribers_distinct(rng, n)
    callee, callee_kind = pop.subscribers.take(callee_idx)
    clash = callee == cli[which]  # never ring the owner with their own number
    callee_idx[clash] = (callee_idx[clash] + 1) % len(pop.subscribers)
    callee, callee_kind = pop.subscribers.take(callee_idx)

    start = ctx.timeline.bursts(rng, n, cfg.active_hours, cfg.bursts)
    order = rng.permutation(n)
    gateways = ctx.carriers.campaign_gateways(rng, cfg.carriers_per_campaign)
    index = ctx.add(
        Campaign(
            campaign_id=ctx.next_id(KIND),
            kind=KIND,
            parameters={
                "calls_per_cli": cfg.calls_per_cli,
                "callback_share": cfg.callback_share,
                "max_duration_s": 3.0,
                "carriers": [ctx.carriers.names[g] for g in gateways.tolist()],
                "active_hours": list(cfg.active_hours),
            },
            spoofed_numbers=[f"+{d}" for d in sorted(cli.tolist())],
            details={
                "spoofed_ranges": sorted({f"+{d // 10**4}" for d in cli.tolist()}),
                "spoofed_own_subscribers": int(own_idx.size),
                "spoofed_other_operators": int(other_idx.size),
                "note": "CLIs are numbers of innocent national subscribers, presented from abroad",
            },
        )
    )
    calls = make_batch(
        n,
        start=start[order],
        caller=cli[which],
        caller_kind=cli_kind[which],
        caller_form=FORM_E164,
        callee=callee,
        callee_kind=callee_kind,
        callee_form=FORM_NATIONAL,
        direction=INBOUND,
        ingress=INTERNATIONAL,
        ring=answered_ring(rng, n),
        answered=True,
        duration=rng.uniform(0.5, 3.0, n),
        released=BY_CALLER,
        attestation=ATT_NONE,
        carrier=gateways[rng.integers(0, gateways.size, n)],
        campaign=index,
        label=KIND_INDEX[KIND],
    )
    owner_is_ours = cli_own[which]
    return [calls, _callbacks(ctx, rng, calls, which, owner_is_ours, index)]


def _callbacks(
    ctx: PlantContext,
    rng: np.random.Generator,
    calls: CallBatch,
    which: np.ndarray,
    owner_is_ours: np.ndarray,
    index: int,
) -> CallBatch:
    """A share of each spoofed number's recipients call that number back within hours."""
    cfg = ctx.config.silent_calls
    n = len(calls)
    per_cli = np.bincount(which)
    wanted = stochastic_round(rng, per_cli * cfg.callback_share)
    order = np.lexsort((rng.random(n), which))
    group_start = np.concatenate([[0], np.cumsum(per_cli)[:-1]])
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - group_start[which[order]]
    chosen = np.flatnonzero(rank < wanted[which])
    delay = delays_s(rng, chosen.size, cfg.callback_median_delay_min * 60, 60.0,
                     cfg.callback_max_delay_h * 3600)  # fmt: skip
    start = calls.start[chosen] + (delay * 1e6).astype(np.int64)
    inside = start < ctx.timeline.end_us  # callbacks after the span are not in the data
    chosen, start = chosen[inside], start[inside]
    k = chosen.size
    ours = owner_is_ours[chosen]
    answered, ring, duration, released = outcome_n(rng, k, 0.75, 35.0, 0.7)
    carrier = np.where(ours, NO_CARRIER, ctx.carriers.pick_national(rng, k))
    return make_batch(
        k,
        start=start,
        caller=calls.callee[chosen],
        caller_kind=calls.callee_kind[chosen],
        caller_form=FORM_NATIONAL,
        callee=calls.caller[chosen],
        callee_kind=calls.caller_kind[chosen],
        callee_form=FORM_NATIONAL,
        direction=np.where(ours, INBOUND, OUTBOUND),
        ingress=NATIONAL,
        ring=ring,
        answered=answered,
        duration=duration,
        released=released,
        attestation=ATT_A,
        carrier=carrier,
        campaign=index,
        label=KIND_INDEX[CALLBACK],
    )
