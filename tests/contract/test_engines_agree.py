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
