"""Properties: the readers never crash on any bytes, and vectorised parsing agrees with the
row-by-row definitions."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ringfence.domain.numbers import NumberError, parse_number
from ringfence.ingest import IngestError, ReaderOptions, RejectSink, enrich_numbers, iter_calls
from ringfence.ingest.summary import IngestSummary
from ringfence.ingest.values import RowErrors, parse_start
from ringfence.settings import Settings
from tests.ingest.helpers import HEADER, good_row

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIELD = st.one_of(
    st.sampled_from(
        [
            "",
            "c1",
            "2026-01-15T10:00:00Z",
            "2026-01-15 10:00:00",
            "+32470123456",
            "0470 12 34 56",
            "anonymous",
            "inbound",
            "national",
            "true",
            "3.5",
            "-1",
            "none",
            '"',
            '"a,b"',
            "\r",
            "\x00",
            "é",
        ]
    ),
    st.text(max_size=12),
)
LINE = st.lists(FIELD, min_size=0, max_size=14).map(lambda fields: ",".join(fields))
BYTES = st.one_of(
    st.binary(max_size=600), st.binary(max_size=600).map(lambda b: b.replace(b"\0", b""))
)


def _consume(data: bytes, fmt: str | None, chunk_rows: int = 3) -> IngestSummary | None:
    """Run the readers over `data`; return the summary, or None for a clear file error."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        path.write_bytes(data)
        summary = IngestSummary()
        try:
            with RejectSink() as sink:
                for batch in iter_calls(
                    [path],
                    Settings(),
                    fmt=fmt,
                    options=ReaderOptions(chunk_rows=chunk_rows),
                    rejects=sink,
                    summary=summary,
                ):
                    assert batch.num_rows > 0
        except IngestError:
            return None
        assert summary.read == summary.written + summary.rejected
        assert sink.total == summary.rejected
        return summary


@SETTINGS
@given(BYTES)
def test_canonical_csv_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    _consume(data, "csv")


@SETTINGS
@given(BYTES)
def test_rows_after_a_good_header_are_written_or_rejected(data: bytes) -> None:
    summary = _consume(HEADER.encode() + good_row().encode() + data, "csv")
    if summary is not None:
        assert summary.read >= 1


@SETTINGS
@given(st.lists(LINE, max_size=12), st.booleans())
def test_text_lines_are_written_or_rejected(lines: list[str], final_newline: bool) -> None:
    text = HEADER + "\n".join(lines) + ("\n" if final_newline else "")
    _consume(text.encode("utf-8"), "csv")


@SETTINGS
@given(BYTES, st.sampled_from([None, "asterisk", "freeswitch", "jsonl"]))
def test_every_reader_never_raises_on_arbitrary_bytes(data: bytes, fmt: str | None) -> None:
    _consume(data, fmt)


NUMBER = st.one_of(
    st.sampled_from(["", "112", "0470 12 34 56", "+33 6 12 34 56 78", "abc", "+", "1001"]),
    st.text(alphabet="0123456789 +-.()", max_size=18),
)


@SETTINGS
@given(st.lists(NUMBER, max_size=30), st.sampled_from(["BE", "FR", "GB", "US"]))
def test_enrich_numbers_agrees_with_parse_number(raw: list[str], home: str) -> None:
    columns = enrich_numbers(pa.array(raw, pa.string()), home)
    for index, value in enumerate(raw):
        try:
            number = parse_number(value, home)
        except NumberError as error:
            reason = error.reason
            assert (columns.e164[index].as_py(), columns.error[index].as_py()) == (None, reason)
            continue
        assert columns.e164[index].as_py() == number.e164
        assert columns.country[index].as_py() == number.country
        assert columns.type[index].as_py() == number.type.value
        assert columns.error[index].as_py() is None


MOMENT = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1)).map(
    lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000)
)
OFFSET = st.integers(min_value=-14 * 4, max_value=14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)


def _written(moment: datetime, zone: timezone | None, style: int) -> str:
    separator = "T" if style % 2 else " "
    text = moment.strftime(f"%Y-%m-%d{separator}%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    if zone is not None:
        offset = moment.replace(tzinfo=zone).strftime("%z")
        text += "Z" if offset == "+0000" and style % 3 == 0 else offset[:3] + ":" + offset[3:]
    return text


@SETTINGS
@given(
    st.lists(st.tuples(MOMENT, st.one_of(st.none(), OFFSET), st.integers(0, 5)), max_size=20),
    st.sampled_from(["UTC", "Europe/Brussels", "America/New_York"]),
)
def test_timestamps_match_python_in_any_mix(
    values: list[tuple[datetime, timezone | None, int]], zone_name: str
) -> None:
    texts = [_written(moment, zone, style) for moment, zone, style in values]
    errors = RowErrors(len(texts))
    parsed = parse_start(pa.array(texts, pa.string()), "start", zone_name, errors)
    assert not errors.by_row
    for text, (moment, zone, _), got in zip(texts, values, parsed.to_pylist(), strict=True):
        if zone is not None:
            assert got == moment.replace(tzinfo=zone).astimezone(UTC), text
        else:
            # the same value alone in its own chunk gives the same instant
            alone = parse_start(pa.array([text]), "start", zone_name, RowErrors(1))
            assert alone[0].as_py() == got, text
            if zone_name == "UTC":
                assert got == moment.replace(tzinfo=UTC)
