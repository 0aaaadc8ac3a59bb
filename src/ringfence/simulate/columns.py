"""Turn a `CallBatch` of codes into an Arrow table with exactly `CALL_SCHEMA`, vectorised.

Why Arrow compute: numbers become text with one cast of the int64 digits, then `+`, `00` or the
national trunk prefix are joined element-wise; enrichment and enum columns are a `take` from
small dictionaries. No Python loop runs per call.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from ringfence.domain.calls import CALL_SCHEMA, TIMESTAMP_TYPE, TRUTH_SCHEMA
from ringfence.simulate.batch import (
    ATTESTATIONS,
    CAMPAIGN_KINDS,
    DIRECTIONS,
    FORM_00,
    FORM_DIGITS,
    FORM_E164,
    FORM_NATIONAL,
    INGRESSES,
    RELEASED,
    CallBatch,
)
from ringfence.simulate.blocks import STYLE_ANONYMOUS, STYLE_DIGITS, STYLE_E164, KindTable

CALL_ID_PREFIX = "C"
CALL_ID_DIGITS = 10


def call_ids(first: int, n: int) -> pa.Array:
    """`C0000000001`-style ids: sequential in output (time) order, unique within a dataset."""
    numbers = pa.array(np.arange(first, first + n, dtype=np.int64)).cast(pa.string())
    padded = pc.utf8_lpad(numbers, width=CALL_ID_DIGITS, padding="0")
    return pc.binary_join_element_wise(CALL_ID_PREFIX, padded, "")


class ColumnBuilder:
    """Builds Arrow tables of calls for one simulation (its kinds, carriers and home country)."""

    def __init__(self, kinds: KindTable, carriers: tuple[str, ...], home: str) -> None:
        table = kinds.kinds
        self.kind_count = len(table)
        self.country = pa.array([k.country for k in table], pa.string())
        self.type = pa.array([k.type for k in table], pa.string())
        self.valid = pa.array([k.valid for k in table], pa.bool_())
        self.style = np.array([k.style for k in table], np.int8)
        self.home_kind = np.array([k.country == home for k in table], np.bool_)
        self.carriers = pa.array(carriers, pa.string())
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(home)
        if metadata is None:
            raise ValueError(f"libphonenumber has no metadata for {home}")
        self.country_code_digits = len(str(metadata.country_code))
        self.trunk = metadata.national_prefix or ""

    def _numbers(
        self, digits: np.ndarray, kinds: np.ndarray, forms: np.ndarray
    ) -> tuple[pa.Array, pa.Array]:
        """The canonical (E.164) and raw written forms of a column of numbers."""
        if kinds.size and int(kinds.max()) >= self.kind_count:
            raise ValueError("a number kind was registered after the column builder was made")
        text = pa.array(digits).cast(pa.string())
        style = self.style[kinds]
        canonical = _compose(
            text,
            style.astype(np.int8),
            {
                STYLE_E164: lambda t: pc.utf8_replace_slice(t, 0, 0, "+"),
                STYLE_DIGITS: lambda t: t,
                STYLE_ANONYMOUS: _anonymous,
            },
        )
        written = forms.astype(np.int8)
        written[(written == FORM_NATIONAL) & ~self.home_kind[kinds]] = FORM_E164
        written[style == STYLE_DIGITS] = FORM_DIGITS
        written[style == STYLE_ANONYMOUS] = _FORM_ANONYMOUS
        raw = _compose(
            text,
            written,
            {
                FORM_NATIONAL: lambda t: pc.utf8_replace_slice(
                    t, 0, self.country_code_digits, self.trunk
                ),
                FORM_E164: lambda t: pc.utf8_replace_slice(t, 0, 0, "+"),
                FORM_00: lambda t: pc.utf8_replace_slice(t, 0, 0, "00"),
                FORM_DIGITS: lambda t: t,
                _FORM_ANONYMOUS: _anonymous,
            },
        )
        return canonical, raw

    def table(self, batch: CallBatch, first_id: int) -> pa.Table:
        """The calls of `batch` with ids from `first_id`, as a table with `CALL_SCHEMA`."""
        n = len(batch)
        caller, caller_raw = self._numbers(batch.caller, batch.caller_kind, batch.caller_form)
        callee, callee_raw = self._numbers(batch.callee, batch.callee_kind, batch.callee_form)
        caller_kind = pa.array(batch.caller_kind.astype(np.int32))
        callee_kind = pa.array(batch.callee_kind.astype(np.int32))
        carrier_index = pa.array(batch.carrier.astype(np.int32), mask=batch.carrier < 0)
        columns = {
            "call_id": call_ids(first_id, n),
            "start": pa.array(batch.start, TIMESTAMP_TYPE),
            "caller": caller,
            "callee": callee,
            "direction": _take(DIRECTIONS, batch.direction),
            "ingress": _take(INGRESSES, batch.ingress),
            "ring_s": pa.array(batch.ring, pa.float32()),
            "answered": pa.array(batch.answered, pa.bool_()),
            "duration_s": pa.array(batch.duration, pa.float32()),
            "released_by": _take(RELEASED, batch.released),
            "attestation": _take(ATTESTATIONS, batch.attestation),
            "carrier": self.carriers.take(carrier_index),
            "caller_raw": caller_raw,
            "callee_raw": callee_raw,
            "caller_country": self.country.take(caller_kind),
            "caller_type": self.type.take(caller_kind),
            "caller_valid": self.valid.take(caller_kind),
            "callee_country": self.country.take(callee_kind),
            "callee_type": self.type.take(callee_kind),
            "callee_valid": self.valid.take(callee_kind),
        }
        return pa.Table.from_arrays(
            [columns[name] for name in CALL_SCHEMA.names], schema=CALL_SCHEMA
        )

    @staticmethod
    def truth(table: pa.Table, batch: CallBatch, campaign_ids: pa.Array) -> pa.Table:
        """Truth rows (`TRUTH_SCHEMA`) of the planted calls of `batch` (rows of `table`)."""
        planted = batch.label >= 0
        if not planted.any():
            return TRUTH_SCHEMA.empty_table()
        rows = np.flatnonzero(planted)
        return pa.Table.from_arrays(
            [
                table.column("call_id").take(pa.array(rows)),
                campaign_ids.take(pa.array(batch.campaign[rows].astype(np.int32))),
                _take(CAMPAIGN_KINDS, batch.label[rows]),
            ],
            schema=TRUTH_SCHEMA,
        )


_FORM_ANONYMOUS = 9


def _anonymous(text: pa.Array) -> pa.Array:
    return pc.utf8_replace_slice(text, 0, 64, "anonymous")


def _compose(
    text: pa.Array, codes: np.ndarray, builders: dict[int, Callable[[pa.Array], pa.Array]]
) -> pa.Array:
    """Row i is `builders[codes[i]]` applied to `text[i]`; each builder runs once.

    Why: building every variant for every row and picking with `if_else` costs a pass per
    variant. Here the most common variant is built on all rows and the few other rows are built
    on their own, then put in place with one `replace_with_mask`.
    """
    present, counts = np.unique(codes, return_counts=True)
    major = int(present[int(np.argmax(counts))])
    result = builders[major](text)
    if present.size == 1:
        return result
    minority = codes != major
    rows = np.flatnonzero(minority)
    others = text.take(pa.array(rows))
    other_codes = codes[rows]
    position = np.empty(rows.size, np.int64)
    parts: list[pa.Array] = []
    offset = 0
    for code in present.tolist():
        if code == major:
            continue
        chosen = np.flatnonzero(other_codes == code)
        position[chosen] = offset + np.arange(chosen.size)
        parts.append(builders[code](others.take(pa.array(chosen))))
        offset += chosen.size
    replacement = pa.concat_arrays(parts).take(pa.array(position))
    return pc.replace_with_mask(result, pa.array(minority), replacement)


def _take(values: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(codes.astype(np.int32)))
