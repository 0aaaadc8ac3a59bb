"""A batch of simulated calls as numpy columns of small codes, before any string is built.

Why codes: strings are the expensive part of a call record. Generators work on integers
(numbers as int64 digits, enums as int8, kinds as int16 codes) and `columns.py` turns a whole
batch into Arrow strings at once. The code tables here are the single mapping to the canonical
values of `ringfence.domain.calls`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ringfence.domain.calls import Attestation, Direction, Ingress, ReleasedBy

DIRECTIONS = (Direction.INBOUND.value, Direction.OUTBOUND.value, Direction.TRANSIT.value)
INBOUND, OUTBOUND, TRANSIT = 0, 1, 2
INGRESSES = (Ingress.NATIONAL.value, Ingress.INTERNATIONAL.value)
NATIONAL, INTERNATIONAL = 0, 1
RELEASED = (
    ReleasedBy.CALLER.value,
    ReleasedBy.CALLEE.value,
    ReleasedBy.NETWORK.value,
    ReleasedBy.UNKNOWN.value,
)
BY_CALLER, BY_CALLEE, BY_NETWORK = 0, 1, 2
ATTESTATIONS = (Attestation.A.value, Attestation.B.value, Attestation.C.value, "none")
ATT_A, ATT_B, ATT_C, ATT_NONE = 0, 1, 2, 3

FORM_E164 = 0
"""Raw form `+32470123456`."""
FORM_NATIONAL = 1
"""Raw form in the home country's national format (`0470123456`): home numbers only."""
FORM_00 = 2
"""Raw form `0032470123456`, as dialled internationally."""
FORM_DIGITS = 3
"""The digits as stored (short and emergency numbers)."""

CAMPAIGN_KINDS = (
    "silent_calls",
    "silent_calls_callback",
    "wangiri",
    "wangiri_callback",
    "cli_spoofing",
    "crypto_scam",
    "harassment",
    "robocall",
)
"""The `campaign_kind` labels of the truth file, exactly as the evaluator expects them."""
KIND_INDEX = {kind: i for i, kind in enumerate(CAMPAIGN_KINDS)}
NO_CAMPAIGN = -1


@dataclass
class CallBatch:
    """Columns of `n` calls; every array has length `n`."""

    start: np.ndarray  # int64 microseconds since the epoch, UTC
    caller: np.ndarray  # int64 E.164 digits (0 for anonymous)
    caller_kind: np.ndarray  # int16 KindTable code
    caller_form: np.ndarray  # int8 FORM_*
    callee: np.ndarray
    callee_kind: np.ndarray
    callee_form: np.ndarray
    direction: np.ndarray  # int8
    ingress: np.ndarray  # int8
    ring: np.ndarray  # float32 seconds
    answered: np.ndarray  # bool
    duration: np.ndarray  # float32 seconds (0 when unanswered)
    released: np.ndarray  # int8
    attestation: np.ndarray  # int8
    carrier: np.ndarray  # int16 index into the run's carrier names, -1 for none (on-net)
    campaign: np.ndarray  # int32 index into the run's campaigns, -1 for baseline
    label: np.ndarray  # int8 index into CAMPAIGN_KINDS, -1 for baseline

    def __len__(self) -> int:
        return int(self.start.shape[0])

    def take(self, index: np.ndarray) -> CallBatch:
        return CallBatch(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def sorted(self) -> CallBatch:
        """Rows in time order (stable, so equal times keep a deterministic order)."""
        return self.take(np.argsort(self.start, kind="stable"))

    @classmethod
    def concat(cls, batches: list[CallBatch]) -> CallBatch:
        parts = [b for b in batches if len(b)]
        if not parts:
            return empty_batch()
        return cls(
            **{f.name: np.concatenate([getattr(b, f.name) for b in parts]) for f in fields(cls)}
        )


_DTYPES: dict[str, Any] = {
    "start": np.int64,
    "caller": np.int64,
    "caller_kind": np.int16,
    "caller_form": np.int8,
    "callee": np.int64,
    "callee_kind": np.int16,
    "callee_form": np.int8,
    "direction": np.int8,
    "ingress": np.int8,
    "ring": np.float32,
    "answered": np.bool_,
    "duration": np.float32,
    "released": np.int8,
    "attestation": np.int8,
    "carrier": np.int16,
    "campaign": np.int32,
    "label": np.int8,
}


def make_batch(n: int, **columns: Any) -> CallBatch:
    """A batch of `n` calls; each column is an array of length `n` or a scalar broadcast.

    Every column must be given except `campaign` and `label` (default: baseline).
    """
    columns.setdefault("campaign", NO_CAMPAIGN)
    columns.setdefault("label", NO_CAMPAIGN)
    missing = set(_DTYPES) - set(columns)
    if missing:
        raise ValueError(f"make_batch: missing columns {sorted(missing)}")
    values: dict[str, np.ndarray] = {}
    for name, dtype in _DTYPES.items():
        array = np.asarray(columns[name])
        if array.ndim == 0:
            array = np.full(n, array, dtype=dtype)
        elif array.shape != (n,):
            raise ValueError(f"make_batch: column {name} has shape {array.shape}, expected ({n},)")
        values[name] = array.astype(dtype, copy=False)
    return CallBatch(**values)


def empty_batch() -> CallBatch:
    return make_batch(0, **{name: np.zeros(0, dtype) for name, dtype in _DTYPES.items()})
