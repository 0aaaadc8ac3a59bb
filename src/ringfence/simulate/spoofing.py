"""CLI spoofing: calls presenting the inbound-only numbers of banks, police and operators.

Social-engineering gangs call from abroad showing the number of the victim's bank or of the
police, so that the victim trusts the caller; the calls are answered and long (minutes of
persuasion). The presented numbers come from the home country's do-not-originate list (or the
configured `numbers`); their holders are victims of the impersonation, never the callers.

A small configured share (`invalid_cli_share`, default 2%) presents numbers that the home plan
does not allocate, as careless spoofing kits do: the only invalid CLIs the simulator writes.
"""

from __future__ import annotations

import numpy as np

from ringfence.domain.numbers import NumberError, Validity, parse_number
from ringfence.simulate.batch import (
    ATT_NONE,
    FORM_E164,
    FORM_NATIONAL,
    INBOUND,
    INTERNATIONAL,
    KIND_INDEX,
    CallBatch,
    make_batch,
)
from ringfence.simulate.behaviour import outcome_n, pick
from ringfence.simulate.blocks import BlockSet, Kind, find_invalid_blocks
from ringfence.simulate.campaign import Campaign, PlantContext
from ringfence.simulate.overrides import ConfigError
from ringfence.simulate.population import NumberPool

KIND = "cli_spoofing"


def _presented(ctx: PlantContext) -> tuple[NumberPool, list[str]]:
    """The numbers to present and their holders (configured numbers have no holder)."""
    cfg = ctx.config.cli_spoofing
    pop = ctx.population
    if not cfg.numbers:
        return pop.service, [f"{s.holder} ({s.category})" for s in pop.services]
    digits: list[int] = []
    codes: list[int] = []
    for text in cfg.numbers:
        try:
            number = parse_number(text, pop.home)
        except NumberError as error:
            raise ConfigError(f"cli_spoofing.numbers: {error}") from None
        if not number.is_e164:
            raise ConfigError(f"cli_spoofing.numbers: {text!r} has no E.164 form (short number?)")
        digits.append(int(number.digits))
        kind = Kind(number.country, number.type.value, number.validity is Validity.VALID)
        codes.append(pop.kinds.code(kind))
    pool = NumberPool(np.array(digits, np.int64), np.array(codes, np.int16))
    return pool, ["configured number"] * len(digits)


def plant(ctx: PlantContext) -> list[CallBatch]:
    cfg = ctx.config.cli_spoofing
    pop = ctx.population
    presented, holders = _presented(ctx)
    if not len(presented):
        ctx.notes.append(
            f"cli_spoofing not planted: no do-not-originate list ships for {pop.home} and the "
            "configuration gives no cli_spoofing.numbers"
        )
        return []
    rng = ctx.rng(KIND)
    n = ctx.campaign_size(cfg.share, cfg.min_calls)
    invalid = round(n * cfg.invalid_cli_share)
    popularity = 1.0 / np.arange(1, len(presented) + 1)
    which = pick(rng, n - invalid, rng.permutation(popularity))
    caller, caller_kind = presented.take(which)
    if invalid:
        blocks = BlockSet(find_invalid_blocks(pop.home, 2), pop.kinds)
        bad, bad_kind = blocks.draw(rng, invalid)
        caller = np.concatenate([caller, bad])
        caller_kind = np.concatenate([caller_kind, bad_kind])
    else:
        bad = np.zeros(0, np.int64)
    order = rng.permutation(n)
    callee, callee_kind = pop.subscribers.take(pop.subscribers_distinct(rng, n))
    start = ctx.timeline.bursts(rng, n, cfg.active_hours, (2, 4), (2, 4))
    gateways = ctx.carriers.campaign_gateways(rng, 2)
    answered, ring, duration, released = outcome_n(
        rng, n, cfg.answer_rate, cfg.median_duration_s, 0.6, low=60.0
    )
    used = sorted(set(which.tolist()))
    index = ctx.add(
        Campaign(
            campaign_id=ctx.next_id(KIND),
            kind=KIND,
            parameters={
                "answer_rate": cfg.answer_rate,
                "median_duration_s": cfg.median_duration_s,
                "invalid_cli_share": cfg.invalid_cli_share,
                "carriers": [ctx.carriers.names[g] for g in gateways.tolist()],
            },
            spoofed_numbers=[f"+{presented.digits[i]}" for i in used],
            details={
                "holders": {f"+{presented.digits[i]}": holders[i] for i in used},
                "invalid_clis": [f"+{d}" for d in sorted(set(bad.tolist()))],
                "invalid_cli_calls": invalid,
                "note": "presented numbers belong to impersonated banks, police or operators",
            },
        )
    )
    return [
        make_batch(
            n,
            start=start,
            caller=caller[order],
            caller_kind=caller_kind[order],
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
            carrier=gateways[rng.integers(0, gateways.size, n)],
            campaign=index,
            label=KIND_INDEX[KIND],
        )
    ]
