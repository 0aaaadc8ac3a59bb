"""Fixtures for detector tests: engines, and running one detector over a CallLog."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ringfence.detect.batch.calls import BatchDetector, Calls
from ringfence.detect.batch.common import DetectionContext, DetectorOutput
from ringfence.detect.engine import DuckDBEngine, Engine, SparkEngine
from tests.detect.builders import CallLog

RunDetector = Callable[..., DetectorOutput]


@pytest.fixture(scope="session")
def duckdb_engine() -> Iterator[Engine]:
    engine = DuckDBEngine(threads=2, memory_limit="1GB")
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def spark_engine() -> Engine:
    if shutil.which("java") is None:
        pytest.skip("no Java runtime: make test installs one (scripts/ensure-services.sh)")
    return SparkEngine("local[2]", conf={"spark.sql.shuffle.partitions": "4"})


@pytest.fixture
def run_detector(tmp_path: Path, duckdb_engine: Engine) -> RunDetector:
    """Run a detector over a CallLog on DuckDB (or the engine given)."""

    def run(
        detector: BatchDetector,
        log: CallLog,
        ctx: DetectionContext | None = None,
        engine: Engine | None = None,
    ) -> DetectorOutput:
        path = log.write(tmp_path / f"calls-{len(list(tmp_path.iterdir()))}")
        chosen = engine or duckdb_engine
        calls = Calls(chosen.calls([path]), ctx or DetectionContext(log.home), chosen)
        return detector.run(calls)

    return run
