"""What the detectors read from the day through `Calls`: the calls they select (`where`), the
calls they revisit (`revisit`) and the inbound profile, each in one shared pass, exactly."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from ibis.expr.types import BooleanValue, Table

from ringfence.detect.analysis import analyze, default_detectors
from ringfence.detect.batch.calls import Calls, Revisit
from ringfence.detect.batch.common import (
    DetectionContext,
    Selector,
    concat_flagged,
    foreign_or_premium_inbound,
    national_subscriber,
    starts_with_any,
)
from ringfence.detect.engine import Engine
from tests.detect.scenario import mixed_day


class CountingEngine:
    """The DuckDB engine, counting what it keeps (each kept table costs one pass)."""

    def __init__(self, engine: Engine) -> None:
        self.inner = engine
        self.name = engine.name
        self.detector_workers = 1
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


def mixed_day_calls(
    tmp_path: Path, duckdb_engine: Engine, selectors: list[Selector] | None = None
) -> tuple[CountingEngine, Table, Calls, DetectionContext]:
    """The mixed day on a counting engine: the engine, the records, `Calls` over them, ctx."""
    log, ctx = mixed_day()
    engine = CountingEngine(duckdb_engine)
    table = engine.calls([log.write(tmp_path)])
    return engine, table, Calls(table, ctx, engine, selectors or []), ctx


def answered(calls: Table, ctx: DetectionContext) -> BooleanValue:
    return calls.answered


def ids(table: pa.Table) -> list[str]:
    return sorted(table.column("call_id").to_pylist())


def test_each_selection_is_exactly_its_calls_and_is_read_once(
    tmp_path: Path, duckdb_engine: Engine
) -> None:
    engine, table, calls, ctx = mixed_day_calls(
        tmp_path, duckdb_engine, [foreign_or_premium_inbound, answered]
    )

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
    engine, table, calls, ctx = mixed_day_calls(tmp_path, duckdb_engine, [answered])
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


def test_revisits_asked_together_are_read_in_one_pass_and_stay_exact(
    tmp_path: Path, duckdb_engine: Engine
) -> None:
    engine, table, calls, _ctx = mixed_day_calls(tmp_path, duckdb_engine)
    outbound = Revisit(lambda t: t.direction == "outbound", ("call_id", "callee"))
    short = Revisit(lambda t: t.answered & (t.duration_s < 5), ("call_id", "caller", "start"))

    parts = calls.revisit([outbound, short])

    assert engine.kept == 1
    assert [part.columns for part in parts] == [
        ("call_id", "callee"),
        ("call_id", "caller", "start"),
    ]
    got_outbound, got_short = (engine.execute(part) for part in parts)
    assert got_outbound.num_rows > 0
    assert got_short.num_rows > 0
    assert ids(got_outbound) == ids(engine.execute(table.filter(table.direction == "outbound")))
    expected = table.filter(table.answered & (table.duration_s < 5))
    assert ids(got_short) == ids(engine.execute(expected))
    assert calls.revisit([]) == []


def test_the_inbound_profile_counts_every_inbound_call_once_per_route_and_hour(
    tmp_path: Path, duckdb_engine: Engine
) -> None:
    engine, table, calls, ctx = mixed_day_calls(tmp_path, duckdb_engine)

    profile = engine.execute(calls.inbound_profile(3))
    again = calls.inbound_profile()  # any range length will do: the one already counted

    assert engine.kept == 1
    assert engine.execute(again).equals(profile)
    inbound = table.filter(table.direction.isin(["inbound", "transit"]))
    assert (
        sum(profile.column("calls").to_pylist())
        == engine.execute(inbound.count().as_table())[0][0].as_py()
    )
    national = inbound.filter(
        national_subscriber(inbound, ctx.home_country) & (inbound.carrier == "be-nat-1")
    )
    expected = engine.execute(national.count().as_table())[0][0].as_py()
    rows = profile.to_pylist()
    assert expected > 0
    assert sum(r["national_calls"] for r in rows if r["carrier_key"] == "be-nat-1") == (expected)
    assert {len(r["cli_range"]) for r in rows if r["cli_range"].startswith("+")} == {4}


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


def test_detectors_run_side_by_side_give_the_findings_of_one_at_a_time(tmp_path: Path) -> None:
    """DuckDB runs detectors in several threads (one connection each): same output."""
    from ringfence.detect.engine import DuckDBEngine

    log, ctx = mixed_day()
    source = log.write(tmp_path)
    results = []
    for workers in (1, 3):
        engine = DuckDBEngine(threads=2, memory_limit="1GB", detector_workers=workers)
        try:
            for _ in range(3):
                result = analyze([source], engine, ctx)
            # one connection per live worker thread, not one per thread ever started
            assert len(engine._cursors) <= workers
            results.append(result)
        finally:
            engine.close()
    one, several = results
    assert len(one.findings) >= 7
    assert [f.to_dict() for f in several.findings] == [f.to_dict() for f in one.findings]
    assert several.flagged.equals(one.flagged)
