"""Helpers of the ingest tests: fixture paths, file writing, and a run that returns everything."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ringfence.ingest import IngestSummary, ReaderOptions, ingest_files
from ringfence.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cdr"


@dataclass
class Run:
    summary: IngestSummary
    table: pa.Table
    rejects: list[dict[str, str]]

    def row(self, call_id: str) -> dict[str, object]:
        rows = [r for r in self.table.to_pylist() if r["call_id"] == call_id]
        assert len(rows) == 1, f"{call_id}: {len(rows)} rows"
        return rows[0]

    def reject_lines(self) -> list[int]:
        return [int(r["line"]) for r in self.rejects]


def run_ingest(
    paths: list[Path],
    out_dir: Path,
    *,
    home: str = "BE",
    fmt: str | None = None,
    strict: bool = False,
    **options: object,
) -> Run:
    """Ingest `paths` into `out_dir/calls.parquet` and read back output and rejects."""
    out = out_dir / "calls.parquet"
    summary = ingest_files(
        paths,
        out,
        Settings(home_country=home),
        fmt=fmt,
        strict=strict,
        options=ReaderOptions(**options),  # type: ignore[arg-type]
    )
    assert summary.read == summary.written + summary.rejected
    for file in summary.files:
        assert file.read == file.written + file.rejected
    assert summary.rejects_path is not None
    with summary.rejects_path.open(encoding="utf-8", newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert len(rejects) == summary.rejected
    table = pq.read_table(out)
    assert table.num_rows == summary.written
    return Run(summary, table, rejects)


def write(path: Path, data: str | bytes) -> Path:
    """Write text (UTF-8, exactly as given) or bytes to `path`."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


HEADER = (
    "call_id,start,caller,callee,direction,ingress,ring_s,answered,duration_s,released_by,"
    "attestation,carrier\n"
)


def good_row(call_id: str = "g1", caller: str = "+32470123456") -> str:
    return (
        f"{call_id},2026-01-15T10:00:00Z,{caller},+3225123456,inbound,national,3,true,10,"
        "caller,none,\n"
    )
