"""How people and networks behave on a call: ring times, durations and who hangs up.

Shared by the baseline and the campaigns so that a campaign differs from ordinary traffic only in
what defines it (a silent call is answered and dropped within 3 s; everything else about it looks
like any call). Figures are plausible values chosen for the simulation, not measurements:
answered calls ring a few seconds to ~20 s (median 6 s); an unanswered call rings until the
network's no-answer timeout (~25-32 s), or the caller gives up, or the callee rejects it, or it
fails at once (busy, unreachable); conversations are lognormal (heavy right tail).
"""

from __future__ import annotations

import numpy as np

from ringfence.simulate.batch import BY_CALLEE, BY_CALLER, BY_NETWORK

MAX_CALL_S = 4 * 3600.0


def pick(rng: np.random.Generator, n: int, weights: np.ndarray | list[float]) -> np.ndarray:
    """`n` indices drawn with the given (unnormalised) weights."""
    w = np.asarray(weights, dtype=np.float64)
    cdf = np.cumsum(w / w.sum())
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int64)


def lognormal(
    rng: np.random.Generator, n: int, median: float, sigma: float, low: float, high: float
) -> np.ndarray:
    """Lognormal values with the given median, clipped to [low, high]."""
    values = rng.lognormal(np.log(median), sigma, n)
    return np.clip(values, low, high)


def answered_ring(rng: np.random.Generator, n: int) -> np.ndarray:
    """Ring time before an answer: a few seconds to ~20 s."""
    return lognormal(rng, n, 6.0, 0.5, 1.0, 20.0).astype(np.float32)


def unanswered(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Ring time and releasing party of unanswered calls."""
    outcome = pick(rng, n, [0.45, 0.37, 0.10, 0.08])
    ring = np.empty(n, dtype=np.float64)
    released = np.full(n, BY_CALLER, dtype=np.int8)
    timeout = outcome == 0
    ring[timeout] = rng.uniform(25.0, 32.0, int(timeout.sum()))
    released[timeout] = np.where(rng.random(int(timeout.sum())) < 0.6, BY_NETWORK, BY_CALLER)
    give_up = outcome == 1
    ring[give_up] = lognormal(rng, int(give_up.sum()), 9.0, 0.5, 2.5, 25.0)
    rejected = outcome == 2
    ring[rejected] = rng.uniform(2.0, 15.0, int(rejected.sum()))
    released[rejected] = BY_CALLEE
    failed = outcome == 3
    ring[failed] = rng.uniform(0.0, 1.0, int(failed.sum()))
    released[failed] = BY_NETWORK
    return ring.astype(np.float32), released


def answered_release(rng: np.random.Generator, n: int) -> np.ndarray:
    """Who ends an answered call: either party, rarely the network (dropped call)."""
    parties = np.array([BY_CALLER, BY_CALLEE, BY_NETWORK], dtype=np.int8)
    return np.asarray(parties[pick(rng, n, [0.52, 0.46, 0.02])])


def conversation(
    rng: np.random.Generator, n: int, median_s: float, sigma: float, low: float = 4.0
) -> np.ndarray:
    """Durations of answered calls (seconds)."""
    return lognormal(rng, n, median_s, sigma, low, MAX_CALL_S).astype(np.float32)


def outcome(
    rng: np.random.Generator,
    answer_rate: float | np.ndarray,
    median_s: float,
    sigma: float,
    low: float = 4.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """answered, ring, duration, released for calls with the given answer rate(s).

    `answer_rate` is a scalar or one rate per call; the number of calls is its length (or 1).
    """
    rates = np.atleast_1d(np.asarray(answer_rate, dtype=np.float64))
    n = rates.shape[0]
    answered = rng.random(n) < rates
    ring, released = unanswered(rng, n)
    duration = np.zeros(n, dtype=np.float32)
    k = int(answered.sum())
    ring[answered] = answered_ring(rng, k)
    duration[answered] = conversation(rng, k, median_s, sigma, low)
    released[answered] = answered_release(rng, k)
    return answered, ring, duration, released


def outcome_n(
    rng: np.random.Generator, n: int, answer_rate: float, median_s: float, sigma: float,
    low: float = 4.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """`outcome` for `n` calls sharing one answer rate."""
    return outcome(rng, np.full(n, answer_rate), median_s, sigma, low)


def delays_s(
    rng: np.random.Generator, n: int, median_s: float, low_s: float, high_s: float
) -> np.ndarray:
    """Delays before a callback (lognormal, clipped)."""
    return lognormal(rng, n, median_s, 1.0, low_s, high_s)


__all__ = [
    "BY_CALLEE",
    "BY_CALLER",
    "BY_NETWORK",
    "answered_release",
    "answered_ring",
    "conversation",
    "delays_s",
    "lognormal",
    "outcome",
    "outcome_n",
    "pick",
    "unanswered",
]
