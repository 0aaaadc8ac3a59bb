"""Ordinary traffic of one hour: who calls whom, by which route, and how the call goes.

Each call first gets a category (national or international inbound, the kinds of outbound call,
transit), then its numbers, route (ingress, carrier, attestation) and outcome, all vectorised
per category with boolean masks. Look-alikes of campaigns are part of ordinary traffic on
purpose: wrong numbers dropped within 1-3 s, foreign callers whose calls ring briefly and are
not answered, calls to premium-rate and foreign numbers, and (in `lookalikes.py`) roaming
subscribers and high-volume notification lines.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ringfence.simulate.batch import (
    ATT_A,
    ATT_B,
    ATT_C,
    ATT_NONE,
    BY_CALLER,
    FORM_00,
    FORM_DIGITS,
    FORM_E164,
    FORM_NATIONAL,
    INBOUND,
    INTERNATIONAL,
    NATIONAL,
    OUTBOUND,
    TRANSIT,
    CallBatch,
    make_batch,
)
from ringfence.simulate.behaviour import conversation, outcome, pick
from ringfence.simulate.carriers import NO_CARRIER, Carriers
from ringfence.simulate.config import BaselineConfig
from ringfence.simulate.population import Population

(IN_NAT, IN_INTL, OUT_NAT, OUT_FOREIGN, OUT_PREMIUM, OUT_TOLLFREE, OUT_EMERGENCY, OUT_SERVICE,
 TR_NAT, TR_INTL) = range(10)  # fmt: skip
_INTERNATIONAL = (IN_INTL, TR_INTL)
_SPECIAL = {
    # category: (answer rate, median duration s)
    OUT_PREMIUM: (0.9, 150.0),
    OUT_TOLLFREE: (0.9, 200.0),
    OUT_EMERGENCY: (0.98, 120.0),
    OUT_SERVICE: (0.9, 240.0),
}


Drawer = Callable[[np.random.Generator, int], tuple[np.ndarray, np.ndarray]]


class BaselineGenerator:
    """Generates ordinary calls for one time bucket at a time."""

    def __init__(self, config: BaselineConfig, population: Population, carriers: Carriers):
        self.config = config
        self.population = population
        self.carriers = carriers
        self.weights = self._category_weights()

    def _category_weights(self) -> np.ndarray:
        c = self.config
        pop = self.population
        inbound, outbound = c.inbound_share, c.outbound_share
        transit = max(0.0, 1.0 - inbound - outbound)
        premium = c.premium_outbound_share if pop.premium is not None else 0.0
        tollfree = c.tollfree_outbound_share if pop.tollfree is not None else 0.0
        service = c.service_outbound_share if len(pop.service) else 0.0
        special = c.international_outbound_share + premium + tollfree + service
        special += c.emergency_outbound_share
        weights = np.zeros(10)
        weights[IN_NAT] = inbound * (1 - c.international_inbound_share)
        weights[IN_INTL] = inbound * c.international_inbound_share
        weights[OUT_NAT] = outbound * max(0.0, 1 - special)
        weights[OUT_FOREIGN] = outbound * c.international_outbound_share
        weights[OUT_PREMIUM] = outbound * premium
        weights[OUT_TOLLFREE] = outbound * tollfree
        weights[OUT_EMERGENCY] = outbound * c.emergency_outbound_share
        weights[OUT_SERVICE] = outbound * service
        weights[TR_NAT] = transit * 0.5
        weights[TR_INTL] = transit * 0.5
        return weights

    def generate(self, rng: np.random.Generator, n: int, t0: int, t1: int) -> CallBatch:
        """`n` ordinary calls starting in [t0, t1) (microseconds, UTC)."""
        c = self.config
        pop = self.population
        category = pick(rng, n, self.weights)
        start = np.sort(rng.integers(t0, t1, n, dtype=np.int64))  # sorted: cheap final merge

        caller = np.zeros(n, np.int64)
        caller_kind = np.zeros(n, np.int16)
        callee = np.zeros(n, np.int64)
        callee_kind = np.zeros(n, np.int16)
        caller_form = np.full(n, FORM_NATIONAL, np.int8)
        callee_form = np.full(n, FORM_NATIONAL, np.int8)
        carrier = np.full(n, NO_CARRIER, np.int16)
        attestation = np.full(n, ATT_A, np.int8)

        def fill(
            target: tuple[np.ndarray, np.ndarray],
            mask: np.ndarray,
            values: tuple[np.ndarray, np.ndarray],
        ) -> None:
            target[0][mask], target[1][mask] = values

        callers = (caller, caller_kind)
        callees = (callee, callee_kind)

        # The operator's subscribers: callees of inbound calls, callers of outbound calls.
        to_sub = category <= IN_INTL
        fill(callees, to_sub, pop.subscribers.take(pop.subscriber_index(rng, int(to_sub.sum()))))
        from_sub = (category >= OUT_NAT) & (category <= OUT_SERVICE)
        fill(
            callers, from_sub, pop.subscribers.take(pop.subscriber_index(rng, int(from_sub.sum())))
        )

        # National inbound: on-net, other operators, withheld numbers.
        national_in = np.flatnonzero(category == IN_NAT)
        onnet = rng.random(national_in.size) < c.onnet_share
        idx = national_in[onnet]
        fill(callers, idx, pop.subscribers.take(pop.subscriber_index(rng, idx.size)))
        idx = national_in[~onnet]
        fill(callers, idx, pop.others.draw(rng, idx.size))
        carrier[idx] = self.carriers.pick_national(rng, idx.size)
        attestation[idx] = np.array([ATT_A, ATT_B, ATT_C], np.int8)[
            pick(rng, idx.size, [0.85, 0.11, 0.04])
        ]
        hidden = national_in[rng.random(national_in.size) < c.anonymous_share]
        caller[hidden] = 0
        caller_kind[hidden] = pop.kinds.anonymous

        # Foreign callers: international inbound and half the transit.
        foreign_in = np.isin(category, _INTERNATIONAL)
        k = int(foreign_in.sum())
        fill(callers, foreign_in, pop.foreign.draw(rng, k))
        caller_form[foreign_in] = np.where(rng.random(k) < 0.7, FORM_E164, FORM_00)
        carrier[foreign_in] = self.carriers.pick_gateway(rng, k)
        attestation[foreign_in] = np.where(rng.random(k) < 0.96, ATT_NONE, ATT_C)

        # Transit: between other networks, through ours.
        transit = (category == TR_NAT) | (category == TR_INTL)
        fill(callees, transit, pop.others.draw(rng, int(transit.sum())))
        tr_nat = category == TR_NAT
        fill(callers, tr_nat, pop.others.draw(rng, int(tr_nat.sum())))
        carrier[tr_nat] = self.carriers.pick_national(rng, int(tr_nat.sum()))
        attestation[tr_nat] = np.where(rng.random(int(tr_nat.sum())) < 0.9, ATT_A, ATT_B)

        # Outbound destinations.
        self._outbound(rng, category, callees, callee_form, carrier)

        direction = np.full(n, INBOUND, np.int8)
        direction[from_sub] = OUTBOUND
        direction[transit] = TRANSIT
        ingress = np.where(foreign_in, INTERNATIONAL, NATIONAL).astype(np.int8)

        rates = np.full(n, c.answer_rate)
        rates[foreign_in | (category == OUT_FOREIGN)] = c.international_answer_rate
        for cat, (rate, _) in _SPECIAL.items():
            rates[category == cat] = rate
        answered, ring, duration, released = outcome(
            rng, rates, c.median_duration_s, c.duration_sigma
        )
        for cat, (_, median) in _SPECIAL.items():
            chosen = answered & (category == cat)
            duration[chosen] = conversation(rng, int(chosen.sum()), median, 0.8)
        wrong = (
            answered
            & ((category == IN_NAT) | (category == OUT_NAT))
            & (rng.random(n) < c.wrong_number_share)
        )
        duration[wrong] = rng.uniform(1.0, 3.0, int(wrong.sum())).astype(np.float32)
        released[wrong] = BY_CALLER
        return make_batch(
            n,
            start=start,
            caller=caller,
            caller_kind=caller_kind,
            caller_form=caller_form,
            callee=callee,
            callee_kind=callee_kind,
            callee_form=callee_form,
            direction=direction,
            ingress=ingress,
            ring=ring,
            answered=answered,
            duration=duration,
            released=released,
            attestation=attestation,
            carrier=carrier,
        )

    def _outbound(
        self,
        rng: np.random.Generator,
        category: np.ndarray,
        callees: tuple[np.ndarray, np.ndarray],
        callee_form: np.ndarray,
        carrier: np.ndarray,
    ) -> None:
        pop = self.population
        sources: list[tuple[int, Drawer | None]] = [
            (OUT_NAT, pop.others.draw),
            (OUT_FOREIGN, self._foreign_destination),
            (OUT_PREMIUM, pop.premium.draw if pop.premium is not None else None),
            (OUT_TOLLFREE, pop.tollfree.draw if pop.tollfree is not None else None),
            (OUT_EMERGENCY, pop.emergency.draw),
            (OUT_SERVICE, pop.service.draw if len(pop.service) else None),
        ]
        for cat, draw in sources:
            mask = category == cat
            k = int(mask.sum())
            if not k or draw is None:
                continue
            callees[0][mask], callees[1][mask] = draw(rng, k)
            if cat == OUT_FOREIGN:
                callee_form[mask] = FORM_00
                carrier[mask] = self.carriers.pick_gateway(rng, k)
            elif cat == OUT_EMERGENCY:
                callee_form[mask] = FORM_DIGITS
            else:
                carrier[mask] = self.carriers.pick_national(rng, k)

    def _foreign_destination(
        self, rng: np.random.Generator, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Half known foreign correspondents (who also call in), half any foreign number."""
        pop = self.population
        known = rng.random(k) < 0.5
        digits, kinds = pop.foreign_destinations.draw(rng, k)
        d2, k2 = pop.foreign.draw(rng, k)
        return np.where(known, d2, digits), np.where(known, k2, kinds)
