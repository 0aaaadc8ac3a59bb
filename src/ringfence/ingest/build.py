"""The last step of every reader: checked columns in, a CALL_SCHEMA batch and rejects out.

Why one place: whatever the format, a row is written only when every column converted and both
numbers parsed; otherwise all its reasons are joined into one reject, reported in line order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ringfence.domain.calls import CALL_SCHEMA, ENRICHMENT_COLUMNS
from ringfence.ingest.context import ReadContext
from ringfence.ingest.enrich import NumberColumns
from ringfence.ingest.values import RowErrors

VALUE_COLUMNS = tuple(
    name
    for name in CALL_SCHEMA.names
    if name not in ENRICHMENT_COLUMNS and name not in ("caller", "callee")
)
"""Columns a reader converts itself; `caller`, `callee` and their enrichment come from
`enrich_numbers`."""


def add_number_errors(
    errors: RowErrors, values: Mapping[str, pa.Array], caller: NumberColumns, callee: NumberColumns
) -> None:
    """Reject rows whose caller or callee is not a number, and rows without a callee."""
    for role, numbers in (("caller", caller), ("callee", callee)):
        errors.add_where(
            pc.is_valid(numbers.error), _number_reason(role, values[f"{role}_raw"], numbers)
        )
    errors.add_where(
        pc.equal(callee.type, "anonymous"),
        lambda _: "callee is empty; a call record needs the dialled number",
    )


def _number_reason(role: str, raw: pa.Array, numbers: NumberColumns) -> Callable[[int], str]:
    def reason(row: int) -> str:
        return f"{role} {raw[row].as_py()!r} is not a phone number: {numbers.error[row].as_py()}"

    return reason


def assemble(
    ctx: ReadContext,
    source: Path,
    errors: RowErrors,
    values: Mapping[str, pa.Array],
    caller: NumberColumns,
    callee: NumberColumns,
    *,
    line_of: Callable[[int], int],
    raw_of: Callable[[int], str],
) -> pa.RecordBatch:
    """Report the rejected rows of a chunk (in order) and return the good ones as a batch."""
    add_number_errors(errors, values, caller, callee)
    for row in sorted(errors.by_row):
        ctx.reject(source, line_of(row), errors.reason(row), raw_of(row))
    columns: dict[str, pa.Array] = {name: values[name] for name in VALUE_COLUMNS}
    columns.update(caller.columns("caller"))
    columns.update(callee.columns("callee"))
    arrays = [columns[name] for name in CALL_SCHEMA.names]
    if errors.by_row:
        keep = errors.valid_mask()
        arrays = [pc.filter(array, keep) for array in arrays]
    arrays = [
        array.cast(field.type) if array.type != field.type else array
        for array, field in zip(arrays, CALL_SCHEMA, strict=True)
    ]
    batch = pa.RecordBatch.from_arrays(arrays, schema=CALL_SCHEMA)
    ctx.accept(batch.num_rows)
    return batch
