"""Shared simulated datasets: simulated once per test session, read by many tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ringfence.settings import Settings
from ringfence.simulate import SimulationConfig, SimulationResult, simulate

CALLS = 60_000
SEED = 3


@dataclass
class Dataset:
    result: SimulationResult
    calls: pa.Table
    truth: pa.Table
    campaigns: dict[str, Any]

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        """Run SQL over views `calls`, `truth` and `labelled` (calls left-joined to truth)."""
        con = duckdb.connect()
        con.register("calls", self.calls)
        con.register("truth", self.truth)
        con.execute(
            "create view labelled as select c.*, t.campaign_id, t.campaign_kind "
            "from calls c left join truth t using (call_id)"
        )
        rows = con.execute(query).fetchall()
        con.close()
        return rows


def load(result: SimulationResult) -> Dataset:
    calls = pq.read_table(result.calls_path)
    if "day" in calls.column_names:  # hive partition column added by the reader
        calls = calls.drop_columns(["day"])
    return Dataset(
        result,
        calls,
        pq.read_table(result.truth_path),
        json.loads(result.campaigns_path.read_text(encoding="utf-8")),
    )


MakeDataset = Callable[..., Dataset]


@pytest.fixture(scope="session")
def make_dataset(tmp_path_factory: pytest.TempPathFactory) -> MakeDataset:
    """Simulate (once per distinct arguments) and load a dataset."""
    cache: dict[str, Dataset] = {}

    def make(home: str = "BE", **overrides: Any) -> Dataset:
        key = json.dumps([home, overrides], sort_keys=True, default=str)
        if key not in cache:
            values = {"calls": CALLS, "seed": SEED, **overrides}
            config = SimulationConfig().with_overrides(values)
            out = tmp_path_factory.mktemp(f"sim-{home}")
            cache[key] = load(simulate(config, out, Settings(home_country=home)))
        return cache[key]

    return make


@pytest.fixture(scope="session")
def day(make_dataset: MakeDataset) -> Dataset:
    """One simulated day of 60,000 calls of a Belgian operator."""
    return make_dataset()


@pytest.fixture(scope="session")
def week(make_dataset: MakeDataset) -> Dataset:
    """Three days, partitioned by day: multi-day behaviour (late callbacks, daily rhythm)."""
    return make_dataset(calls=90_000, days=3, partition_by_day=True, seed=11)
