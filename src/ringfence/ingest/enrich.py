"""Numbers of a column of calls, normalised and described once per distinct value.

Why per distinct value: a day of traffic has millions of rows but far fewer distinct numbers
(subscribers call and are called many times), so the column is dictionary-encoded, each distinct
raw text is parsed once with libphonenumber (`parse_number`, itself cached), and the results are
spread back to the rows with `take`. The result carries, for every row, the E.164 form, the
country, the number type, whether the plan allocates it, and the reason when it is not a number.

>>> import pyarrow as pa
>>> columns = enrich_numbers(pa.array(["0470 12 34 56", "+33 6 12 34 56 78", "abc", ""]), "BE")
>>> columns.e164.to_pylist()
['+32470123456', '+33612345678', None, 'anonymous']
>>> columns.country.to_pylist(), columns.valid.to_pylist()
(['BE', 'FR', None, None], [True, True, None, True])
>>> print(columns.error[2])
it contains characters that are not digits: 'abc'
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from ringfence.domain.numbers import NumberError, Validity, parse_number


@dataclass(frozen=True, slots=True)
class NumberColumns:
    """Per row: `e164`, `country`, `type`, `valid` (null where the text is not a number) and
    `error` (the reason, null where it is)."""

    e164: pa.StringArray
    country: pa.StringArray
    type: pa.StringArray
    valid: pa.BooleanArray
    error: pa.StringArray

    def columns(self, prefix: str) -> dict[str, pa.Array]:
        """The enrichment columns of CALL_SCHEMA for `prefix` (`caller` or `callee`)."""
        return {
            prefix: self.e164,
            f"{prefix}_country": self.country,
            f"{prefix}_type": self.type,
            f"{prefix}_valid": self.valid,
        }


def enrich_numbers(raw: pa.Array, home_country: str) -> NumberColumns:
    """Normalise and describe every number of `raw` (strings; null reads as empty = anonymous)
    relative to `home_country`. Vectorised over the distinct values of the column."""
    if not pa.types.is_string(raw.type):
        raw = raw.cast(pa.string())
    encoded = pc.dictionary_encode(pc.fill_null(raw, ""))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    e164: list[str | None] = []
    country: list[str | None] = []
    kind: list[str | None] = []
    valid: list[bool | None] = []
    error: list[str | None] = []
    for value in encoded.dictionary.to_pylist():
        try:
            number = parse_number(value, home_country)
        except NumberError as problem:
            e164.append(None)
            country.append(None)
            kind.append(None)
            valid.append(None)
            error.append(problem.reason)
            continue
        e164.append(number.e164)
        country.append(number.country)
        kind.append(number.type.value)
        valid.append(number.validity is Validity.VALID)
        error.append(None)
    indices = encoded.indices
    return NumberColumns(
        e164=pa.array(e164, pa.string()).take(indices),
        country=pa.array(country, pa.string()).take(indices),
        type=pa.array(kind, pa.string()).take(indices),
        valid=pa.array(valid, pa.bool_()).take(indices),
        error=pa.array(error, pa.string()).take(indices),
    )
