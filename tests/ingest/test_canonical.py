"""The canonical CSV reader: values, normalisation, rejects with lines and reasons."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ringfence.domain.calls import CALL_SCHEMA
from ringfence.ingest import IngestError, StrictIngestError
from tests.ingest.helpers import FIXTURES, HEADER, good_row, run_ingest, write


def test_values_are_converted_and_numbers_normalised(tmp_path: Path) -> None:
    run = run_ingest([FIXTURES / "canonical.csv"], tmp_path)
    assert run.table.schema == CALL_SCHEMA
    assert (run.summary.read, run.summary.written, run.summary.rejected) == (4, 4, 0)
    c1 = run.row("c1")
    assert c1["start"] == datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    assert c1["caller"] == "+32470123456"
    assert c1["caller_raw"] == "0470 12 34 56"
    assert c1["caller_country"] == "BE"
    assert c1["caller_type"] == "mobile"
    assert c1["caller_valid"] is True
    assert c1["callee"] == "+3225123456"
    assert c1["callee_type"] == "fixed_line"
    assert (c1["direction"], c1["ingress"]) == ("inbound", "national")
    assert (c1["ring_s"], c1["answered"], c1["duration_s"]) == (4.5, True, 62.0)
    assert (c1["released_by"], c1["attestation"], c1["carrier"]) == ("callee", "A", "Proximus")
    c2 = run.row("c2")
    # an offset is converted to UTC; an empty carrier is null; "none" attestation kept
    assert c2["start"] == datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    assert c2["caller"] == "+393511234567"
    assert c2["caller_country"] == "IT"
    assert c2["carrier"] is None
    assert c2["answered"] is False
    c3 = run.row("c3")
    # empty caller = withheld; "yes" is true; a quoted comma stays in the value
    assert (c3["caller"], c3["caller_type"], c3["caller_raw"]) == ("anonymous", "anonymous", "")
    assert c3["answered"] is True
    assert c3["carrier"] == "Orange, Belgium"
    assert c3["start"] == datetime(2026, 1, 15, 10, 2, 3, 250000, tzinfo=UTC)
    c4 = run.row("c4")
    # emergency numbers keep their digits and count as valid; empty attestation = none
    assert (c4["caller"], c4["caller_type"], c4["caller_valid"]) == ("112", "emergency", True)
    assert c4["attestation"] == "none"
    assert run.rejects == []


def test_home_country_reads_national_forms(tmp_path: Path) -> None:
    path = write(
        tmp_path / "fr.csv",
        HEADER + good_row("f1", caller="06 12 34 56 78") + good_row("f2", caller="0470 12 34 56"),
    )
    run = run_ingest([path], tmp_path / "fr", home="FR")
    assert run.row("f1")["caller"] == "+33612345678"
    assert run.row("f1")["caller_country"] == "FR"
    assert run.row("f1")["caller_raw"] == "06 12 34 56 78"
    # a Belgian national form read in France is not a Belgian mobile
    assert run.row("f2")["caller"] != "+32470123456"
    be = run_ingest([path], tmp_path / "be", home="BE")
    assert be.row("f2")["caller"] == "+32470123456"


def test_unallocated_numbers_are_kept_not_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", HEADER + good_row("u1", caller="+32 999 99 99 99"))
    run = run_ingest([path], tmp_path)
    assert run.summary.rejected == 0
    assert run.row("u1")["caller_valid"] is False
    assert run.row("u1")["caller"] == "+32999999999"


def test_malformed_rows_are_rejected_with_line_and_reason(tmp_path: Path) -> None:
    run = run_ingest([FIXTURES / "canonical_bad.csv"], tmp_path)
    assert (run.summary.read, run.summary.written, run.summary.rejected) == (9, 2, 7)
    assert sorted(run.table.column("call_id").to_pylist()) == ["ok1", "ok2"]
    by_line = {int(r["line"]): r for r in run.rejects}
    assert run.reject_lines() == sorted(run.reject_lines())
    assert set(by_line) == {3, 4, 5, 6, 7, 8, 11}
    assert "start '15/01/2026 10:00' is not an ISO 8601 date and time" in by_line[3]["reason"]
    assert "caller 'BANK-CALLING' is not a phone number" in by_line[4]["reason"]
    assert "direction 'incoming' is not one of inbound, outbound, transit" in by_line[5]["reason"]
    assert "answered 'maybe' is not a yes/no value" in by_line[5]["reason"]
    assert "duration_s -10.0 is negative" in by_line[6]["reason"]
    assert "5 field(s) but the header has 12" in by_line[7]["reason"]
    assert "first missing is 'ingress'" in by_line[7]["reason"]
    assert "13 fields but the header has 12" in by_line[8]["reason"]
    assert "no line end" in by_line[11]["reason"]
    assert by_line[4]["raw"].startswith("bad-number,2026-01-15T10:00:00Z,BANK-CALLING")
    assert all(r["file"].endswith("canonical_bad.csv") for r in run.rejects)
    assert any("1 blank line" in note for note in run.summary.files[0].describe())


def test_strict_stops_at_the_first_bad_row(tmp_path: Path) -> None:
    with pytest.raises(StrictIngestError) as caught:
        run_ingest([FIXTURES / "canonical_bad.csv"], tmp_path, strict=True)
    assert caught.value.line == 3
    assert "canonical_bad.csv:3: start" in str(caught.value)
    assert not (tmp_path / "calls.parquet").exists()
    assert not list(tmp_path.glob(".*partial"))


def test_missing_columns_is_a_file_error_naming_them(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "call_id,start,caller,callee\nc1,2026-01-15T10:00:00Z,1,2\n")
    with pytest.raises(IngestError) as caught:
        run_ingest([path], tmp_path)
    message = str(caught.value)
    assert "lacks the column(s) direction, ingress, ring_s, answered" in message
    assert "call_id, start, caller, callee, direction" in message
    assert not (tmp_path / "calls.parquet").exists()


def test_columns_in_any_order_extra_ones_noted(tmp_path: Path) -> None:
    text = (
        "Callee,CALL_ID,start,caller,direction,ingress,ring_s,answered,duration_s,"
        "released_by,attestation,comment\n"
        "+3225123456,x1,2026-01-15T10:00:00Z,+32470123456,inbound,national,1,0,0,,,hi\n"
    )
    run = run_ingest([write(tmp_path / "a.csv", text)], tmp_path)
    row = run.row("x1")
    assert (row["callee"], row["released_by"], row["carrier"]) == ("+3225123456", "unknown", None)
    assert any("columns ignored: comment" in n for n in run.summary.files[0].describe())


def test_naive_timestamps_use_the_timezone_option(tmp_path: Path) -> None:
    text = HEADER + good_row("n1").replace("2026-01-15T10:00:00Z", "2026-07-01 12:00:00")
    path = write(tmp_path / "a.csv", text)
    utc = run_ingest([path], tmp_path / "utc")
    assert utc.row("n1")["start"] == datetime(2026, 7, 1, 12, tzinfo=UTC)
    brussels = run_ingest([path], tmp_path / "bru", timezone="Europe/Brussels")
    assert brussels.row("n1")["start"] == datetime(2026, 7, 1, 10, tzinfo=UTC)


def test_mixed_and_impossible_timestamps_in_one_chunk(tmp_path: Path) -> None:
    rows = [
        good_row("z1"),
        good_row("n1").replace("2026-01-15T10:00:00Z", "2026-01-15 10:00:00"),
        good_row("o1").replace("2026-01-15T10:00:00Z", "2026-01-15T11:00:00+0100"),
        good_row("bad").replace("2026-01-15T10:00:00Z", "2026-02-30T10:00:00Z"),
    ]
    run = run_ingest([write(tmp_path / "a.csv", HEADER + "".join(rows))], tmp_path)
    expected = datetime(2026, 1, 15, 10, tzinfo=UTC)
    assert [run.row(c)["start"] for c in ("z1", "n1", "o1")] == [expected] * 3
    assert run.reject_lines() == [5]
    assert "not a real date and time" in run.rejects[0]["reason"]


def test_quoted_newline_keeps_the_first_line_number(tmp_path: Path) -> None:
    text = (
        HEADER
        + good_row("a").replace(",caller,none,", ',caller,none,"two\nlines"')
        + ("b,notadate,+32470123456,+3225123456,inbound,national,3,true,10,caller,none,\n")
    )
    run = run_ingest([write(tmp_path / "a.csv", text)], tmp_path)
    assert run.row("a")["carrier"] == "two\nlines"
    assert run.reject_lines() == [4]


def test_header_only_and_empty_files(tmp_path: Path) -> None:
    header_only = write(tmp_path / "h.csv", HEADER)
    empty = write(tmp_path / "e.csv", "")
    run = run_ingest([header_only, empty], tmp_path, fmt="csv")
    assert (run.summary.read, run.summary.written) == (0, 0)
    assert any("empty file" in n for n in run.summary.files[1].describe())
    detected = run_ingest([empty], tmp_path / "d")
    assert detected.summary.files[0].format == "empty"


def test_utf8_bom_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.csv", b"\xef\xbb\xbf" + (HEADER + good_row("b1")).encode())
    assert run_ingest([path], tmp_path).row("b1")["callee"] == "+3225123456"


def test_latin1_line_is_rejected_unless_the_encoding_is_given(tmp_path: Path) -> None:
    data = (HEADER + good_row("l1") + good_row("l2").replace(",none,", ",none,Téléphonie")).encode(
        "latin-1"
    )
    path = write(tmp_path / "latin1.csv", data)
    run = run_ingest([path], tmp_path / "utf8")
    assert run.reject_lines() == [3]
    assert "not valid utf-8" in run.rejects[0]["reason"]
    assert "--encoding" in run.rejects[0]["reason"]
    fixed = run_ingest([path], tmp_path / "latin", encoding="latin-1")
    assert fixed.row("l2")["carrier"] == "Téléphonie"


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    data = (HEADER + good_row("u1").replace(",none,", ",none,Téléphonie")).encode("utf-16")
    run = run_ingest([write(tmp_path / "u16.csv", data)], tmp_path)
    assert run.row("u1")["carrier"] == "Téléphonie"


def test_broken_utf16_is_a_clear_file_error(tmp_path: Path) -> None:
    data = (HEADER + good_row("u1")).encode("utf-16") + b"\x00\xd8\x41\x00"
    with pytest.raises(IngestError, match="cannot be decoded as utf-16"):
        run_ingest([write(tmp_path / "u16.csv", data)], tmp_path)


def test_binary_garbage_is_a_clear_file_error(tmp_path: Path) -> None:
    integers = b"".join(i.to_bytes(4, "little") for i in range(5000))
    path = write(tmp_path / "garbage.csv", integers)
    with pytest.raises(IngestError, match="are NUL"):
        run_ingest([path], tmp_path, fmt="csv")
    with pytest.raises(IngestError, match="are NUL"):
        run_ingest([path], tmp_path)


def test_compressed_file_is_a_clear_file_error(tmp_path: Path) -> None:
    path = write(tmp_path / "calls.csv.gz", gzip.compress((HEADER + good_row()).encode()))
    with pytest.raises(IngestError, match="gzip-compressed; decompress it first"):
        run_ingest([path], tmp_path)


def test_garbage_lines_become_rejects(tmp_path: Path) -> None:
    data = (
        HEADER.encode()
        + b"\xff\xfa garbage \x81\n"
        + good_row("g1").encode()
        + good_row("nul").encode().replace(b"inbound", b"in\x00bound")
    )
    run = run_ingest([write(tmp_path / "g.csv", data)], tmp_path)
    assert run.reject_lines() == [2, 4]
    assert "NUL" in run.rejects[1]["reason"]
    assert run.row("g1")["call_id"] == "g1"


def test_an_overlong_line_is_rejected_without_reading_it_whole(tmp_path: Path) -> None:
    data = HEADER + "x" * (3 << 20) + "\n" + good_row("g1")
    run = run_ingest([write(tmp_path / "long.csv", data)], tmp_path)
    assert run.reject_lines() == [2]
    assert "bytes long" in run.rejects[0]["reason"]
    assert len(run.rejects[0]["raw"]) < 5000
    assert run.row("g1")["call_id"] == "g1"


def test_unbalanced_quote_is_one_reject_naming_its_lines(tmp_path: Path) -> None:
    short = HEADER + 'q1,"2026-01-15T10:00:00Z,+32470123456\n' + good_row("g1") * 3
    run = run_ingest([write(tmp_path / "q.csv", short)], tmp_path / "short")
    assert run.reject_lines() == [2]
    assert run.rejects[0]["raw"].count("\n") == 3  # the swallowed rows are all in view
    # a quote never closed stops at the CSV field limit (128 KiB); reading resumes after it
    long = HEADER + 'q1,"2026-01-15T10:00:00Z\n' + good_row("g1") * 3000 + good_row("after")
    run = run_ingest([write(tmp_path / "q.csv", long)], tmp_path / "long")
    assert run.reject_lines() == [2]
    assert "a quote opened on line 2 is never closed, so lines 2-" in run.rejects[0]["reason"]
    assert run.table.column("call_id").to_pylist()[-1] == "after"
