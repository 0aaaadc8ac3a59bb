"""Column converters: text (or typed) Arrow arrays to canonical values, with per-row reasons.

Why vectorised: a chunk has ~100k rows; checking each value in Python would cost more than
reading the file. Each converter checks a whole column with Arrow compute (regular expressions,
set membership, casts) and records, for the few rows that fail, a reason a person understands:
which column, what the value was, what was expected. Only those rows are looked at in Python.

The converters accept text columns (CSV, JSON Lines) and typed columns (Parquet) alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ringfence.domain.calls import TIMESTAMP_TYPE

NUMBER_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$"
ZONE_PATTERN = r"(Z|[+-]\d{2}(:?\d{2})?)$"
TIMESTAMP_EXAMPLE = "2026-01-15T10:00:00Z or 2026-01-15 11:00:00+01:00"
TRUE_WORDS = ("true", "1", "yes", "t", "y")
FALSE_WORDS = ("false", "0", "no", "f", "n")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class RowErrors:
    """The reasons why rows of one chunk are rejected, by row index (several per row possible)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.by_row: dict[int, list[str]] = {}
        self._final: set[int] = set()

    def add(self, row: int, reason: str) -> None:
        if row not in self._final:
            self.by_row.setdefault(row, []).append(reason)

    def set_final(self, row: int, reason: str) -> None:
        """Reject `row` for `reason` alone: its fields are not what the columns expect (a
        truncated line, an undecodable one), so further complaints about them would be noise."""
        self.by_row[row] = [reason]
        self._final.add(row)

    def add_where(self, mask: pa.Array, reason: Callable[[int], str]) -> None:
        """Add `reason(row)` for every row where `mask` is true (null counts as false)."""
        if mask.null_count:
            mask = pc.fill_null(mask, False)
        if not pc.any(mask).as_py():
            return
        for row in pc.indices_nonzero(mask).to_pylist():
            self.add(row, reason(row))

    def valid_mask(self) -> pa.BooleanArray:
        keep = np.ones(self.size, dtype=bool)
        if self.by_row:
            keep[list(self.by_row)] = False
        return pa.array(keep)

    def reason(self, row: int) -> str:
        return "; ".join(self.by_row[row])


def text(values: Sequence[str | None]) -> pa.StringArray:
    """A string array from Python values (None stays null)."""
    return pa.array(values, type=pa.string())


def _clean(array: pa.Array) -> pa.Array:
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    return pc.utf8_trim_whitespace(array)


def _blank(array: pa.Array) -> pa.Array:
    """True where the value is null or an empty string."""
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return pc.or_kleene(pc.is_null(array), pc.equal(array, ""))
    return pc.is_null(array)


def _show(array: pa.Array, row: int) -> str:
    value = array[row].as_py()
    return repr(value if not isinstance(value, str) or len(value) <= 60 else value[:60] + "...")


def parse_required_text(array: pa.Array, column: str, errors: RowErrors) -> pa.Array:
    """A text column that must not be empty (call_id): trimmed."""
    cleaned = _clean(array)
    errors.add_where(_blank(cleaned), lambda _: f"{column} is empty; every call needs one")
    return cleaned


def parse_optional_text(array: pa.Array) -> pa.Array:
    """A text column that may be empty (carrier): trimmed, empty becomes null."""
    cleaned = _clean(array)
    return pc.if_else(pc.equal(cleaned, ""), pa.scalar(None, pa.string()), cleaned)


def parse_seconds(array: pa.Array, column: str, errors: RowErrors) -> pa.FloatArray:
    """A duration in seconds: a finite number >= 0, as float32."""
    if pa.types.is_integer(array.type) or pa.types.is_floating(array.type):
        values = array.cast(pa.float64())
        errors.add_where(pc.is_null(values), lambda _: f"{column} is empty; expected seconds")
    else:
        cleaned = _clean(array)
        blank = _blank(cleaned)
        ok = pc.match_substring_regex(cleaned, NUMBER_PATTERN)
        errors.add_where(blank, lambda _: f"{column} is empty; expected seconds (a number >= 0)")
        errors.add_where(
            pc.and_kleene(pc.invert(ok), pc.invert(blank)),
            lambda row: (
                f"{column} {_show(cleaned, row)} is not a number; expected seconds such as 3 or 2.5"
            ),
        )
        values = pc.if_else(ok, cleaned, "0").cast(pa.float64())
    single = values.cast(pa.float32(), safe=False)
    errors.add_where(
        pc.invert(pc.is_finite(single)),
        lambda row: f"{column} {_show(values, row)} is not a finite number of seconds",
    )
    errors.add_where(
        pc.less(values, 0),
        lambda row: f"{column} {_show(values, row)} is negative; a duration is >= 0 seconds",
    )
    return single


def parse_answered(array: pa.Array, column: str, errors: RowErrors) -> pa.BooleanArray:
    """true/false, also 1/0, yes/no, t/f, y/n (any case)."""
    if pa.types.is_boolean(array.type):
        errors.add_where(pc.is_null(array), lambda _: f"{column} is empty; expected true or false")
        return array
    if pa.types.is_integer(array.type):
        array = array.cast(pa.string())
    cleaned = pc.utf8_lower(_clean(array))
    true = pc.is_in(cleaned, value_set=pa.array(TRUE_WORDS))
    false = pc.is_in(cleaned, value_set=pa.array(FALSE_WORDS))
    errors.add_where(
        pc.invert(pc.or_(true, false)),
        lambda row: (
            f"{column} is empty; expected true or false"
            if not cleaned[row].as_py()
            else f"{column} {_show(cleaned, row)} is not a yes/no value; expected true or "
            "false (also 1/0, yes/no)"
        ),
    )
    return true


def parse_choice(
    array: pa.Array,
    column: str,
    choices: Mapping[str, str],
    errors: RowErrors,
    *,
    empty: str | None = None,
) -> pa.StringArray:
    """One of `choices` (keys in lower case -> canonical value); `empty` fills blank values
    (None makes a blank value an error)."""
    cleaned = pc.utf8_lower(_clean(array))
    if empty is not None:
        cleaned = pc.if_else(pc.equal(cleaned, ""), empty.lower(), cleaned)
    keys = pa.array(list(choices), pa.string())
    position = pc.index_in(cleaned, value_set=keys)
    expected = ", ".join(dict.fromkeys(choices.values()))
    errors.add_where(
        pc.is_null(position),
        lambda row: (
            f"{column} is empty; expected one of {expected}"
            if not cleaned[row].as_py()
            else f"{column} {_show(cleaned, row)} is not one of {expected}"
        ),
    )
    values = pa.array(list(choices.values()), pa.string())
    return values.take(pc.fill_null(position, 0))


def parse_start(array: pa.Array, column: str, timezone: str, errors: RowErrors) -> pa.Array:
    """An ISO 8601 date and time to a UTC timestamp (us). A value with an offset (`Z`, `+01:00`)
    is converted to UTC; a value without one is local time in `timezone`. At a daylight-saving
    change, an ambiguous local time is read as the earlier instant and a non-existent one as
    the first instant after the gap."""
    if pa.types.is_timestamp(array.type):
        errors.add_where(pc.is_null(array), lambda _: f"{column} is empty; expected a date-time")
        if array.type.tz is None:
            array = _assume(array.cast(pa.timestamp("us")), timezone)
        return array.cast(TIMESTAMP_TYPE)
    cleaned = pc.utf8_upper(_clean(array))
    blank = _blank(cleaned)
    shaped = pc.fill_null(pc.match_substring_regex(cleaned, TIMESTAMP_PATTERN), False)
    errors.add_where(
        blank, lambda _: f"{column} is empty; expected a date and time such as {TIMESTAMP_EXAMPLE}"
    )
    errors.add_where(
        pc.and_(pc.invert(shaped), pc.invert(pc.fill_null(blank, True))),
        lambda row: (
            f"{column} {_show(cleaned, row)} is not an ISO 8601 date and time; "
            f"expected e.g. {TIMESTAMP_EXAMPLE}"
        ),
    )
    zoned = pc.and_(shaped, pc.fill_null(pc.match_substring_regex(cleaned, ZONE_PATTERN), False))
    naive = pc.and_(shaped, pc.invert(zoned))
    micros = np.zeros(len(cleaned), dtype=np.int64)
    for mask, has_zone in ((zoned, True), (naive, False)):
        rows = pc.indices_nonzero(mask)
        if len(rows) == 0:
            continue
        parsed, failed = _to_utc(cleaned.take(rows), has_zone, timezone)
        micros[rows.to_numpy()] = parsed
        for position in failed:
            row = rows[position].as_py()
            errors.add(
                row,
                f"{column} {_show(cleaned, row)} is not a real date and time (day, month or "
                "hour out of range)",
            )
    return pa.array(micros, type=TIMESTAMP_TYPE)


def _to_utc(values: pa.Array, has_zone: bool, timezone: str) -> tuple[np.ndarray, list[int]]:
    """UTC microseconds of well-shaped values; the positions that are not real dates."""
    try:
        if has_zone:
            stamps = values.cast(TIMESTAMP_TYPE)
        else:
            stamps = _assume(values.cast(pa.timestamp("us")), timezone)
        return stamps.cast(pa.int64()).to_numpy(zero_copy_only=False), []
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    out = np.zeros(len(values), dtype=np.int64)
    failed: list[int] = []
    naive_rows: list[int] = []
    naive_values: list[datetime] = []
    for position, value in enumerate(values.to_pylist()):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            failed.append(position)
            continue
        if moment.tzinfo is None:
            naive_rows.append(position)
            naive_values.append(moment)
        else:
            out[position] = (moment - _EPOCH) // _MICROSECOND
    if naive_rows:
        local = _assume(pa.array(naive_values, type=pa.timestamp("us")), timezone)
        out[naive_rows] = local.cast(pa.int64()).to_numpy(zero_copy_only=False)
    return out, failed


_MICROSECOND = datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC) - _EPOCH


def _assume(naive: pa.Array, timezone: str) -> pa.Array:
    if timezone == "UTC":
        return naive.cast(TIMESTAMP_TYPE)
    return pc.assume_timezone(naive, timezone, ambiguous="earliest", nonexistent="latest")


def parse_count(array: pa.Array, column: str, errors: RowErrors) -> pa.Array:
    """A whole number of seconds >= 0 (Asterisk/FreeSWITCH duration and billsec), as int64."""
    cleaned = _clean(array)
    ok = pc.fill_null(pc.match_substring_regex(cleaned, r"^\d{1,12}$"), False)
    errors.add_where(
        pc.invert(ok),
        lambda row: (
            f"{column} is empty; expected whole seconds"
            if not cleaned[row].as_py()
            else f"{column} {_show(cleaned, row)} is not a whole number of seconds >= 0"
        ),
    )
    return pc.if_else(ok, cleaned, "0").cast(pa.int64())
