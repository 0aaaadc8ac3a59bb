"""Legitimate traffic that looks like a campaign: what keeps detectors honest about precision.

- Roaming subscribers: the operator's own mobile subscribers abroad calling home. Their national
  CLIs arrive on international ingress, exactly like spoofed silent calls, but the calls are
  normal (answered at the usual rate, minutes long) and few per number. Their numbers are what
  an operator's HLR/HSS knows as roaming, written to roaming.csv as an allow-list.
- Notification lines: a bank's and a delivery company's outgoing lines (a few numbers in one
  /100 block of another national operator) calling thousands of distinct subscribers a day on
  national ingress with attestation A, at irregular (Poisson-like) times, with normal answered
  durations: high fan-out without the marks of a dialler or of a silent-call campaign.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ringfence.simulate.batch import (
    ATT_A,
    ATT_NONE,
    FORM_E164,
    FORM_NATIONAL,
    INBOUND,
    INTERNATIONAL,
    NATIONAL,
    TRANSIT,
    CallBatch,
    make_batch,
)
from ringfence.simulate.behaviour import outcome, outcome_n
from ringfence.simulate.campaign import PlantContext
from ringfence.simulate.presets import traffic_shape
from ringfence.simulate.timeline import US_PER_HOUR

NOTIFICATION_HOLDERS = ("bank notification line (fictional)", "parcel delivery line (fictional)")


@dataclass
class Lookalikes:
    """Calls and description of the look-alikes (baseline: not in the truth file)."""

    batches: list[CallBatch] = field(default_factory=list)
    roaming_numbers: list[str] = field(default_factory=list)
    described: list[dict[str, object]] = field(default_factory=list)


def generate(ctx: PlantContext) -> Lookalikes:
    rng = np.random.default_rng([ctx.config.seed, 900])
    found = Lookalikes()
    _roaming(ctx, rng, found)
    _notification_lines(ctx, rng, found)
    return found


def _roaming(ctx: PlantContext, rng: np.random.Generator, found: Lookalikes) -> None:
    cfg = ctx.config.baseline
    pop = ctx.population
    mobiles = np.flatnonzero(pop.mobile_subscriber)
    count = min(mobiles.size, max(10, round(len(pop.subscribers) * cfg.roaming_share)))
    roamers = rng.choice(mobiles, count, replace=False)
    low, high = cfg.roaming_calls
    calls = rng.integers(low, high + 1, count) * ctx.timeline.days
    who = np.repeat(roamers, calls)
    n = who.size
    caller, caller_kind = pop.subscribers.take(who)
    weights = ctx.timeline.traffic_weights(traffic_shape())
    bucket = rng.choice(weights.size, n, p=weights)
    start = ctx.timeline.bucket_starts()[bucket] + rng.integers(0, US_PER_HOUR, n)
    start = np.minimum(start, ctx.timeline.end_us - 1)
    home = rng.random(n) < 0.7
    d1, k1 = pop.subscribers.take(pop.subscriber_index(rng, n))
    d2, k2 = pop.others.draw(rng, n)
    callee = np.where(home, d1, d2)
    callee_kind = np.where(home, k1, k2)
    answered, ring, duration, released = outcome(
        rng, np.full(n, cfg.answer_rate), cfg.median_duration_s, cfg.duration_sigma
    )
    found.batches.append(
        make_batch(
            n,
            start=start,
            caller=caller,
            caller_kind=caller_kind,
            caller_form=FORM_E164,
            callee=callee,
            callee_kind=callee_kind,
            callee_form=FORM_NATIONAL,
            direction=np.where(home, INBOUND, TRANSIT),
            ingress=INTERNATIONAL,
            ring=ring,
            answered=answered,
            duration=duration,
            released=released,
            attestation=ATT_NONE,
            carrier=ctx.carriers.pick_gateway(rng, n),
        )
    )
    found.roaming_numbers = [f"+{d}" for d in sorted(pop.subscribers.digits[roamers].tolist())]
    found.described.append({"kind": "roaming", "numbers": int(count), "calls": int(n)})


def _notification_lines(ctx: PlantContext, rng: np.random.Generator, found: Lookalikes) -> None:
    cfg = ctx.config.baseline
    pop = ctx.population
    per_line = max(150 * ctx.timeline.days, round(cfg.notification_share * ctx.config.calls))
    for line in range(cfg.notification_lines):
        block = pop.reserve[line]
        hundred = int(rng.integers(0, block.size // 100))
        numbers = block.first + hundred * 100 + np.arange(int(rng.integers(1, 6)))
        kind = pop.kinds.code(block.kind)
        windows = [ctx.timeline.local_window(d, (8, 20)) for d in range(ctx.timeline.days)]
        day = rng.integers(0, len(windows), per_line)
        begin = np.array([w[0] for w in windows])[day]
        end = np.array([w[1] for w in windows])[day]
        start = begin + (rng.random(per_line) * (end - begin)).astype(np.int64)
        callee, callee_kind = pop.subscribers.take(pop.subscribers_distinct(rng, per_line))
        answered, ring, duration, released = outcome_n(rng, per_line, 0.7, 40.0, 0.6)
        carrier = ctx.carriers.pick_national(rng, 1)[0]
        found.batches.append(
            make_batch(
                per_line,
                start=start,
                caller=numbers[rng.integers(0, numbers.size, per_line)],
                caller_kind=kind,
                caller_form=FORM_NATIONAL,
                callee=callee,
                callee_kind=callee_kind,
                callee_form=FORM_NATIONAL,
                direction=INBOUND,
                ingress=NATIONAL,
                ring=ring,
                answered=answered,
                duration=duration,
                released=released,
                attestation=ATT_A,
                carrier=carrier,
            )
        )
        found.described.append(
            {
                "kind": "notification_line",
                "holder": NOTIFICATION_HOLDERS[line % len(NOTIFICATION_HOLDERS)],
                "numbers": [f"+{d}" for d in numbers.tolist()],
                "calls": int(per_line),
            }
        )
