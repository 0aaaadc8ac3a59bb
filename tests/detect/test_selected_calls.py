"""The calls the detectors select (`Calls.where`): one shared pass, and the same findings."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from ibis.expr.types import BooleanValue, Table

from ringfence.detect.analysis import analyze, default_detectors
from ringfence.detect.batch.common import (
    Calls,
    DetectionContext,
    concat_flagged,
    foreign_or_premium_inbound,
    in_values,
    starts_with_any,
)
from ringfence.detect.engine import Engine
from tests.detect.scenario import mixed_day


class CountingEngine:
    """The DuckDB engine, counting what it keeps (each kept table costs one pass)."""

    def __init__(self, engine: Engine) -> None:
        self.inner = engine
        self.name = engine.name
        self.kept = 0

    def calls(self, sources: list[Path]) -> Table:
        return self.inner.calls(sources)

    def execute(self, expr: Table) -> pa.Table:
        return self.inner.execute(expr)

    def materialize(self, expr: Table) -> Table:
        self.kept += 1
        return self.inner.materialize(expr)

    def close(self) -> None:
        self.inner.close()


def answered(calls: Table, ctx: DetectionContext) -> BooleanValue:
    return calls.answered


def ids(table: pa.Table) -> list[str]:
    return sorted(table.column("call_id").to_pylist())


def test_each_selection_is_exactly_its_calls_and_is_read_once(
    tmp_path: Path, duckdb_engine: Engine
) -> None:
    log, ctx = mixed_day()
    engine = CountingEngine(duckdb_engine)
    table = engine.calls([log.write(tmp_path)])
    calls = Calls(table, ctx, engine, [foreign_or_premium_inbound, answered])

    foreign = engine.execute(calls.where(foreign_or_premium_inbound))
    picked = engine.execute(calls.where(answered))

    assert engine.kept == 1  # both selectors were given up front: one pass
    expected = engine.execute(table.filter(foreign_or_premium_inbound(table, ctx)))
    assert foreign.num_rows > 0
    assert ids(foreign) == ids(expected)
    assert ids(picked) == ids(engine.execute(table.filter(table.answered)))


def test_a_selector_added_later_reads_the_calls_again_and_stays_exact(
    tmp_path: Path, duckdb_engine: Engine
) -> None:
    log, ctx = mixed_day()
    engine = CountingEngine(duckdb_engine)
    table = engine.calls([log.write(tmp_path)])
    calls = Calls(table, ctx, engine, [answered])
    calls.where(answered)

    late = engine.execute(calls.where(foreign_or_premium_inbound))

    assert engine.kept == 2
    expected = engine.execute(table.filter(foreign_or_premium_inbound(table, ctx)))
    assert ids(late) == ids(expected)


def test_sharing_the_selection_gives_the_findings_of_each_detector_alone(
    tmp_path: Path, duckdb_engine: Engine
) -> None:
    """A detector's findings never depend on which other detectors share the pass."""
    log, ctx = mixed_day()
    source = log.write(tmp_path)
    together = analyze([source], duckdb_engine, ctx)
    alone = [analyze([source], duckdb_engine, ctx, detectors=[d]) for d in default_detectors()]

    assert [f.to_dict() for f in together.findings] == sorted(
        (f.to_dict() for result in alone for f in result.findings),
        key=lambda f: (f["detector"], f["finding_id"]),
    )
    flagged = concat_flagged(result.flagged for result in alone)
    assert together.flagged.sort_by([("call_id", "ascending"), ("finding_id", "ascending")]).equals(
        flagged.sort_by([("call_id", "ascending"), ("finding_id", "ascending")])
    )


def test_in_values_treats_the_empty_key_as_a_missing_value(duckdb_engine: Engine) -> None:
    import ibis

    table = ibis.memtable(pa.table({"carrier": ["A", None, "B", "C"], "n": [1, 2, 3, 4]}))
    picked = duckdb_engine.execute(table.filter(in_values(table.carrier, ["", "A"])))
    assert sorted(picked.column("n").to_pylist()) == [1, 2]
    named = duckdb_engine.execute(table.filter(in_values(table.carrier, ["B"])))
    assert named.column("n").to_pylist() == [3]
    assert duckdb_engine.execute(table.filter(in_values(table.carrier, []))).num_rows == 0


def test_prefix_patterns_match_exactly_or_step_aside(duckdb_engine: Engine) -> None:
    import ibis

    numbers = ["+3933100", "+39331", "+3933", "+4477001", "+44770"]
    table = ibis.memtable(pa.table({"callee": numbers}))
    condition = starts_with_any(table.callee, ["+39331", "+447700"])
    assert condition is not None
    picked = duckdb_engine.execute(table.filter(condition)).column("callee").to_pylist()
    assert sorted(picked) == ["+39331", "+3933100", "+4477001"]
    # Pattern characters or too many prefixes: no pre-filter (the caller matches exactly).
    assert starts_with_any(table.callee, ["+39_1"]) is None
    assert starts_with_any(table.callee, ["50%"]) is None
    assert starts_with_any(table.callee, [f"+39{n}" for n in range(100)]) is None
    assert starts_with_any(table.callee, []) is None


def test_selecting_with_no_selector_is_an_error(tmp_path: Path, duckdb_engine: Engine) -> None:
    import pytest

    log, ctx = mixed_day()
    calls = Calls(duckdb_engine.calls([log.write(tmp_path)]), ctx, duckdb_engine)
    with pytest.raises(ValueError, match="no selector"):
        calls.select()
