"""Chunked reading: a file many times the chunk size is read chunk by chunk, all rows counted."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from ringfence.ingest import ReaderOptions, RejectSink, iter_calls
from ringfence.ingest.summary import IngestSummary
from ringfence.settings import Settings
from tests.ingest.helpers import HEADER, run_ingest, write

ROWS = 20_000
CHUNK = 1_000


def _generated(tmp_path: Path) -> Path:
    """ROWS rows; every 997th row has a bad timestamp, so rejects fall in many chunks."""
    lines = [HEADER]
    for i in range(ROWS):
        start = (
            "not-a-time"
            if i % 997 == 0
            else f"2026-01-15T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z"
        )
        lines.append(
            f"id{i},{start},+3247{i % 10_000_000:07d},+322{i % 1000:03d}0000,inbound,"
            f"national,{i % 7},{'true' if i % 2 else 'false'},{i % 300},caller,none,\n"
        )
    return write(tmp_path / "big.csv", "".join(lines))


def test_a_file_many_chunks_long_is_read_in_chunks(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    bad = len(range(0, ROWS, 997))
    sizes: list[int] = []
    summary = IngestSummary()
    with RejectSink() as sink:
        for batch in iter_calls(
            [path],
            Settings(),
            options=ReaderOptions(chunk_rows=CHUNK),
            rejects=sink,
            summary=summary,
        ):
            sizes.append(batch.num_rows)
    assert len(sizes) == ROWS // CHUNK
    assert max(sizes) <= CHUNK
    assert sum(sizes) == ROWS - bad
    assert (summary.read, summary.written, summary.rejected) == (ROWS, ROWS - bad, bad)
    assert [r.line for r in sink.examples] == [i + 2 for i in range(0, ROWS, 997)]


def test_small_chunks_are_gathered_into_row_groups(tmp_path: Path) -> None:
    run = run_ingest([_generated(tmp_path)], tmp_path, chunk_rows=CHUNK)
    metadata = pq.ParquetFile(tmp_path / "calls.parquet").metadata
    assert metadata.num_row_groups == 1
    assert metadata.num_rows == run.summary.written
    assert run.summary.read == ROWS
    with_groups = pq.read_table(tmp_path / "calls.parquet").column("call_id").to_pylist()
    assert with_groups[:2] == ["id1", "id2"]  # id0 has a bad timestamp; order is kept


def test_progress_reports_every_byte_once(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    seen: list[int] = []
    with RejectSink() as sink:
        for _ in iter_calls(
            [path],
            Settings(),
            options=ReaderOptions(chunk_rows=CHUNK),
            rejects=sink,
            progress=seen.append,
        ):
            pass
    assert sum(seen) == path.stat().st_size
    assert len(seen) > 1


def test_jsonl_is_read_in_chunks(tmp_path: Path) -> None:
    row = {
        "start": "2026-01-15T10:00:00Z",
        "caller": "+32470123456",
        "callee": "+3225123456",
        "direction": "inbound",
        "ingress": "national",
        "ring_s": 1,
        "answered": True,
        "duration_s": 2,
        "released_by": "caller",
        "attestation": "none",
    }
    lines = [json.dumps({"call_id": f"j{i}", **row}) + "\n" for i in range(5000)]
    path = write(tmp_path / "calls.jsonl", "".join(lines))
    run = run_ingest([path], tmp_path, chunk_rows=700)
    assert (run.summary.read, run.summary.written) == (5000, 5000)
    assert run.table.column("call_id").to_pylist()[-1] == "j4999"
