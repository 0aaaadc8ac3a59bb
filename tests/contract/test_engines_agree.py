"""One definition, every engine: DuckDB and Spark give the same findings on the same records."""

from __future__ import annotations

from pathlib import Path

import pytest

from ringfence.detect.analysis import analyze
from ringfence.detect.engine import Engine
from tests.detect.scenario import mixed_day

pytestmark = pytest.mark.spark


def test_duckdb_and_spark_give_identical_findings(
    tmp_path: Path, duckdb_engine: Engine, spark_engine: Engine
) -> None:
    log, ctx = mixed_day()
    source = log.write(tmp_path)
    on_duckdb = analyze([source], duckdb_engine, ctx)
    on_spark = analyze([source], spark_engine, ctx)
    detectors = {f.detector for f in on_duckdb.findings}
    assert detectors == {
        "silent_calls", "spoofed_cli", "wangiri", "rotation_harassment", "callback_storm",
        "robocall_volume", "foreign_fanout",
    }  # fmt: skip
    assert on_duckdb.calls == on_spark.calls == len(log.rows)
    assert [f.to_dict() for f in on_duckdb.findings] == [f.to_dict() for f in on_spark.findings]
    assert on_duckdb.flagged.equals(on_spark.flagged)


def test_partitioned_directories_read_the_same_on_both_engines(
    tmp_path: Path, duckdb_engine: Engine, spark_engine: Engine
) -> None:
    import pyarrow.parquet as pq

    log, ctx = mixed_day()
    table = log.table()
    half = table.num_rows // 2
    for day, part in (("2026-11-02", table.slice(0, half)), ("2026-11-03", table.slice(half))):
        folder = tmp_path / "calls" / f"day={day}"
        folder.mkdir(parents=True)
        pq.write_table(part, folder / "part-0000.parquet")
    single = log.write(tmp_path / "single")
    expected = analyze([single], duckdb_engine, ctx)
    for engine in (duckdb_engine, spark_engine):
        result = analyze([tmp_path / "calls"], engine, ctx)
        assert result.calls == table.num_rows
        assert [f.to_dict() for f in result.findings] == [f.to_dict() for f in expected.findings]


def test_engines_agree_on_times_with_fractions_of_a_second(
    tmp_path: Path, duckdb_engine: Engine, spark_engine: Engine
) -> None:
    """Gaps and windows computed from times like 11:59:59.6 are the same on both engines."""
    from datetime import timedelta

    from ringfence.detect.batch.common import DetectionContext
    from ringfence.detect.batch.robocall_volume import RobocallVolume
    from ringfence.detect.batch.rotation_harassment import RotationHarassment
    from tests.detect.builders import CallLog, be_mobile

    log = CallLog()
    for i in range(120):  # a dialler every 0.6 s, callees in no order
        log.add("+3225550300", be_mobile((i * 104729) % 900_000), timedelta(seconds=0.6 * i),
                duration_s=4)  # fmt: skip
    for i in range(20):  # rotation harassment straddling the 12:00 window boundary by 0.6 s
        log.add(f"+34612{i * 17:06d}", be_mobile(3),
                timedelta(hours=11, minutes=59, seconds=59.4 + 0.6 * (i % 2), milliseconds=i),
                ingress="international", answered=False, ring_s=10)  # fmt: skip
    source = log.write(tmp_path)
    ctx = DetectionContext(log.home)
    detectors = [RobocallVolume(), RotationHarassment()]
    on_duckdb = analyze([source], duckdb_engine, ctx, detectors=detectors)
    on_spark = analyze([source], spark_engine, ctx, detectors=detectors)
    assert {f.detector for f in on_duckdb.findings} == {"robocall_volume", "rotation_harassment"}
    assert [f.to_dict() for f in on_duckdb.findings] == [f.to_dict() for f in on_spark.findings]
    assert on_duckdb.flagged.equals(on_spark.flagged)
