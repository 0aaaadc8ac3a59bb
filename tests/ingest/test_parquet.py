"""Parquet inputs: canonical pass-through, hive-partitioned directories, input-column files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ringfence.domain.calls import CALL_SCHEMA
from ringfence.ingest import (
    IngestError,
    canonical_parquet_sources,
    is_canonical_parquet,
    parquet_glob,
)
from ringfence.settings import Settings
from tests.ingest.helpers import FIXTURES, run_ingest, write


@pytest.fixture
def canonical(tmp_path: Path) -> Path:
    """A canonical Parquet file written by ingest itself."""
    run = run_ingest([FIXTURES / "canonical.csv"], tmp_path / "first")
    assert run.summary.written == 4
    return tmp_path / "first" / "calls.parquet"


def test_round_trip_passes_through_unchanged(tmp_path: Path, canonical: Path) -> None:
    again = run_ingest([canonical], tmp_path / "again")
    assert again.summary.files[0].format == "parquet"
    assert again.table.equals(pq.read_table(canonical))


def test_pass_through_does_not_renormalise(tmp_path: Path, canonical: Path) -> None:
    # the raw column is what the file says; in France "0470 12 34 56" would not be Belgian,
    # but a canonical file is already normalised and is not read again through libphonenumber
    again = run_ingest([canonical], tmp_path / "fr", home="FR")
    assert again.row("c1")["caller"] == "+32470123456"


def test_hive_partitioned_directory(tmp_path: Path, canonical: Path) -> None:
    table = pq.read_table(canonical)
    root = tmp_path / "calls"
    for day, ids in (("2026-01-15", ["c1", "c2"]), ("2026-01-16", ["c3", "c4"])):
        folder = root / f"day={day}"
        folder.mkdir(parents=True)
        part = table.filter(pa.compute.is_in(table["call_id"], pa.array(ids)))
        pq.write_table(part, folder / "part-0.parquet")
    (root / "_SUCCESS").write_text("")
    (root / ".part-0.parquet.crc").write_text("")
    assert is_canonical_parquet(root)
    run = run_ingest([root], tmp_path / "out")
    assert sorted(run.table.column("call_id").to_pylist()) == ["c1", "c2", "c3", "c4"]
    assert run.summary.files[0].path == root
    assert parquet_glob(root) == f"{root}/**/*.parquet"


def test_bad_rows_of_a_canonical_file_are_rejected(tmp_path: Path, canonical: Path) -> None:
    table = pq.read_table(canonical)
    direction = table["direction"].to_pylist()
    direction[1] = "sideways"
    ring = table["ring_s"].to_pylist()
    ring[2] = -1.0
    broken = table.set_column(
        table.schema.get_field_index("direction"), "direction", pa.array(direction)
    ).set_column(table.schema.get_field_index("ring_s"), "ring_s", pa.array(ring, pa.float32()))
    path = tmp_path / "broken.parquet"
    pq.write_table(broken, path)
    run = run_ingest([path], tmp_path / "out")
    assert run.reject_lines() == [2, 3]
    assert "direction 'sideways' is not one of inbound" in run.rejects[0]["reason"]
    assert "ring_s -1.0 is not a duration >= 0 seconds" in run.rejects[1]["reason"]
    assert '"call_id": "c2"' in run.rejects[0]["raw"]


def test_parquet_with_input_columns_is_converted(tmp_path: Path) -> None:
    table = pa.table(
        {
            "call_id": ["p1", "p2"],
            "start": pa.array(
                [datetime(2026, 1, 15, 10, tzinfo=UTC), None], pa.timestamp("ms", tz="UTC")
            ),
            "caller": ["0470 12 34 56", "+33612345678"],
            "callee": ["+3225123456", "+3225123456"],
            "direction": ["inbound", "inbound"],
            "ingress": ["national", "international"],
            "ring_s": pa.array([3, 1], pa.int32()),
            "answered": [True, False],
            "duration_s": [12.5, 0.0],
            "released_by": ["callee", "caller"],
            "attestation": ["A", "none"],
        }
    )
    path = tmp_path / "input.parquet"
    pq.write_table(table, path)
    run = run_ingest([path], tmp_path / "out")
    p1 = run.row("p1")
    assert (p1["caller"], p1["ring_s"], p1["duration_s"]) == ("+32470123456", 3.0, 12.5)
    assert p1["start"] == datetime(2026, 1, 15, 10, tzinfo=UTC)
    assert run.reject_lines() == [2]
    assert "start is empty" in run.rejects[0]["reason"]


def test_parquet_without_the_columns_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"call_id": ["x"], "when": ["now"]}), path)
    with pytest.raises(IngestError, match="lacks the column"):
        run_ingest([path], tmp_path / "out")


def test_truncated_parquet_is_a_file_error(tmp_path: Path, canonical: Path) -> None:
    path = write(tmp_path / "cut.parquet", canonical.read_bytes()[:200])
    with pytest.raises(IngestError, match="not a readable Parquet file"):
        run_ingest([path], tmp_path / "out")


def test_canonical_parquet_sources(tmp_path: Path, canonical: Path) -> None:
    sources, summary = canonical_parquet_sources(
        [canonical, FIXTURES / "freeswitch_Master.csv"], tmp_path / "work", Settings()
    )
    assert sources[0] == canonical
    assert sources[1] == tmp_path / "work" / "ingested.parquet"
    assert summary is not None
    assert (summary.written, summary.rejected) == (3, 2)
    assert pq.read_schema(sources[1]).equals(CALL_SCHEMA)
    only, none = canonical_parquet_sources([canonical], tmp_path / "w2", Settings())
    assert (only, none) == ([canonical], None)
    assert not (tmp_path / "w2").exists()
