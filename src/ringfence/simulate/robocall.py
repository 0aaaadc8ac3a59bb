"""Robocalls: a dialler working through consecutive numbers like a metronome.

The dialler owns one number or a few in one /100 block (used in turn) and calls the operator's
numbers in sequence (+32470120000, ...001, ...002: `step` apart) at a fixed pace with a little
jitter, through the business hours of each day. Most calls are short: unanswered, not in service,
or answered by a person who hangs up on the recording.
"""

from __future__ import annotations

import numpy as np

from ringfence.simulate.batch import (
    ATT_B,
    BY_CALLEE,
    BY_CALLER,
    BY_NETWORK,
    FORM_NATIONAL,
    INBOUND,
    KIND_INDEX,
    NATIONAL,
    CallBatch,
    make_batch,
)
from ringfence.simulate.behaviour import answered_ring, lognormal, pick
from ringfence.simulate.campaign import Campaign, PlantContext, split
from ringfence.simulate.presets import PresetError

KIND = "robocall"
RESERVE_OFFSET = 2
"""Reserve blocks 0-1 hold the notification lines; diallers use the next ones."""


def plant(ctx: PlantContext) -> list[CallBatch]:
    cfg = ctx.config.robocall
    rng = ctx.rng(KIND)
    batches: list[CallBatch] = []
    sizes = split(ctx.campaign_size(cfg.share, cfg.min_calls), cfg.campaigns, rng)
    for i, n in enumerate(sizes):
        batches.append(_campaign(ctx, rng, n, i))
    return batches


def _times(ctx: PlantContext, rng: np.random.Generator, n: int) -> tuple[np.ndarray, float]:
    """`n` times at a regular pace through each day's active window; the mean gap (s)."""
    cfg = ctx.config.robocall
    days = ctx.timeline.days
    per_day = np.full(days, n // days)
    per_day[: n - int(per_day.sum())] += 1
    times: list[np.ndarray] = []
    gaps: list[float] = []
    for day, k in enumerate(per_day.tolist()):
        if not k:
            continue
        begin, end = ctx.timeline.local_window(day, cfg.active_hours)
        gap = (end - begin) / (k + 1)
        jitter = rng.uniform(1 - cfg.gap_jitter, 1 + cfg.gap_jitter, k)
        offsets = np.cumsum(gap * jitter)
        offsets *= min(1.0, (end - begin - 1) / offsets[-1])
        times.append(begin + offsets.astype(np.int64))
        gaps.append(gap / 1e6)
    return np.concatenate(times), float(np.mean(gaps))


def _campaign(ctx: PlantContext, rng: np.random.Generator, n: int, number: int) -> CallBatch:
    cfg = ctx.config.robocall
    pop = ctx.population
    reserve = pop.reserve
    if len(reserve) <= RESERVE_OFFSET + number:
        raise PresetError("not enough reserved fixed-line blocks for another dialler")
    block = reserve[RESERVE_OFFSET + number]
    hundred = int(rng.integers(0, block.size // 100))
    first_line = int(rng.integers(0, 100 - cfg.source_numbers + 1))
    lines = block.first + hundred * 100 + first_line + np.arange(cfg.source_numbers)
    line_kind = pop.kinds.code(block.kind)

    dialled = pop.own_mobile
    span = n * cfg.step
    if span >= len(dialled):
        raise PresetError(f"a dialler of {n} calls needs more numbers than the operator has")
    first = int(rng.integers(0, len(dialled) - span))
    callee, callee_kind = dialled.number(first + np.arange(n, dtype=np.int64) * cfg.step)
    start, gap_s = _times(ctx, rng, n)

    answered = rng.random(n) < cfg.answer_rate
    unanswered = ~answered
    failed = unanswered & (rng.random(n) < 0.2)  # numbers not in service
    ring = rng.uniform(12.0, 20.0, n).astype(np.float32)
    ring[failed] = rng.uniform(0.0, 1.0, int(failed.sum()))
    ring[answered] = answered_ring(rng, int(answered.sum()))
    duration = np.zeros(n, np.float32)
    duration[answered] = lognormal(rng, int(answered.sum()), 12.0, 0.5, 3.0, 60.0)
    released = np.full(n, BY_CALLER, np.int8)
    released[answered] = np.array([BY_CALLEE, BY_CALLER], np.int8)[
        pick(rng, int(answered.sum()), [0.7, 0.3])
    ]
    released[failed] = BY_NETWORK
    carrier = ctx.carriers.pick_national(rng, 1)[0]
    index = ctx.add(
        Campaign(
            campaign_id=ctx.next_id(KIND),
            kind=KIND,
            parameters={
                "lines": cfg.source_numbers,
                "step": cfg.step,
                "mean_gap_s": round(gap_s, 3),
                "gap_jitter": cfg.gap_jitter,
                "active_hours": list(cfg.active_hours),
                "carrier": ctx.carriers.names[int(carrier)],
            },
            ranges=[f"+{int(lines[0]) // 100}"],
            details={"first_callee": f"+{int(callee[0])}", "last_callee": f"+{int(callee[-1])}"},
        )
    )
    ctx.campaigns[index].list_numbers(lines)
    return make_batch(
        n,
        start=start,
        caller=lines[np.arange(n) % lines.size],
        caller_kind=line_kind,
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
        attestation=ATT_B,
        carrier=carrier,
        campaign=index,
        label=KIND_INDEX[KIND],
    )
