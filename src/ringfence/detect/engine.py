"""Engines that run the batch detectors: DuckDB (embedded default) and Apache Spark.

Why Ibis: a detector is written once as an Ibis expression (relational algebra in Python) and
Ibis compiles it to each engine's SQL. Measured on this project's 20M-call aggregation, the same
Ibis expression ran 12.5 s on DuckDB (hand-written DuckDB SQL: 28 s) and gave identical results
on PySpark. One definition removes the drift two SQL dialects would bring; the contract tests
(tests/contract/) prove that both engines give the same findings on the same records.

An engine only does two things: open canonical Parquet as an Ibis table, and execute an
expression into an Arrow table. Everything after that (turning small aggregates into findings)
is plain Python shared by both engines, so the findings cannot differ.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import ibis
import pyarrow as pa
from ibis.expr.types import Table

from ringfence.domain.calls import CALL_SCHEMA


class EngineError(RuntimeError):
    """The engine cannot run here (e.g. Spark without Java); the message says what to do."""


class Engine(Protocol):
    """What a detector needs from an engine."""

    name: str
    detector_workers: int
    """How many detectors an analysis may run at once on this engine (each from its own
    thread; `execute` and `materialize` must then be safe to call from several threads)."""

    def calls(self, sources: Sequence[Path]) -> Table:
        """The call records of these canonical Parquet files or directories, as one table.

        `start` is a UTC timestamp without a zone inside the engine: on DuckDB, truncating a
        zoned timestamp to the hour or the day goes through ICU's calendar and costs ten times
        more than on a plain one (0.4 s against 0.03 s for 10M calls). Literals compared with
        it must therefore be naive UTC datetimes; `execute` gives results back
        in UTC with the zone.
        """
        ...

    def execute(self, expr: Table) -> pa.Table:
        """Run an expression and return its rows as Arrow, timestamps in UTC."""
        ...

    def materialize(self, expr: Table) -> Table:
        """Compute `expr` once and keep it in the engine (spilling to disk when large).

        Why: an Ibis expression is a recipe, recomputed by every query that uses it. The
        analysis keeps the calls its detectors select, and a detector keeps each intermediate
        result that several of its queries read (a subset, the qualifying groups), so the
        records are read once per question, not once per query.
        """
        ...

    def close(self) -> None: ...


def _parquet_globs(sources: Sequence[Path]) -> list[str]:
    """File paths for the engines: a directory means every Parquet file below it."""
    paths: list[str] = []
    for source in sources:
        if source.is_dir():
            paths.append(str(source / "**" / "*.parquet"))
        elif source.exists():
            paths.append(str(source))
        else:
            raise FileNotFoundError(f"{source}: no such file or directory")
    if not paths:
        raise ValueError("no call records given: pass at least one Parquet file or directory")
    return paths


def parquet_list_sql(sources: Sequence[Path]) -> str:
    """The sources as a DuckDB SQL list literal for `read_parquet([...])` (quotes escaped)."""
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in _parquet_globs(sources)) + "]"


def _utc(table: pa.Table) -> pa.Table:
    """Give every timestamp column the UTC zone (Spark returns naive UTC timestamps)."""
    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_timestamp(field.type):
            column = column.cast(pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC"))
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


_CALL_COLUMNS = CALL_SCHEMA.names


class DuckDBEngine:
    """The embedded default: DuckDB in process, spilling to disk beyond `memory_limit`.

    Several detectors run at once (`detector_workers`), each thread on a connection of its
    own to the one database (a DuckDB connection serves one statement at a time), so that
    one detector's Python work (compiling queries, building findings) overlaps another's
    queries: 10M calls on 2 cores, 5.1-5.2 s against 5.5 s one after the other.
    """

    name = "duckdb"

    def __init__(
        self,
        *,
        threads: int | None = None,
        memory_limit: str = "3GB",
        temp_directory: Path | None = None,
        detector_workers: int = 2,
    ) -> None:
        config: dict[str, Any] = {
            "memory_limit": memory_limit,
            "preserve_insertion_order": False,
            # The analysis writes its intermediate tables once and only reads them after. Past
            # 16 MB of writes DuckDB checkpoints them (rewrites their row groups) inside
            # whatever statement comes next: 0.4 s of a 10M-call analysis, for nothing here.
            "checkpoint_threshold": "1TB",
        }
        if threads:
            config["threads"] = threads
        if temp_directory is not None:
            config["temp_directory"] = str(temp_directory)
        self.detector_workers = detector_workers
        self._con = ibis.duckdb.connect(**config)
        self._con.raw_sql("SET TimeZone = 'UTC'")
        self._owner = threading.get_ident()
        self._cursors: dict[int, Any] = {}  # thread id -> that thread's connection
        self._cursors_lock = threading.Lock()
        self._names = itertools.count(1)

    def _backend(self) -> Any:
        """This thread's connection to the database (the engine's own in its own thread).

        Views and tables are created in the database, not as temporary objects (which
        DuckDB keeps per connection), so that every connection sees them. A connection is
        kept per thread id and handed on to a later thread with the same id; those of threads
        that have ended are closed, so a long-lived engine keeps one per live thread.
        """
        thread = threading.get_ident()
        if thread == self._owner:
            return self._con
        with self._cursors_lock:
            backend = self._cursors.get(thread)
            if backend is None:
                alive = {t.ident for t in threading.enumerate()}
                for ended in [t for t in self._cursors if t not in alive]:
                    self._cursors.pop(ended).disconnect()
                backend = ibis.duckdb.from_connection(self._con.con.cursor())  # UTC
                self._cursors[thread] = backend
        return backend

    def calls(self, sources: Sequence[Path]) -> Table:
        name = f"ringfence_source_{next(self._names)}"
        # epoch_us/make_timestamp drop the zone by arithmetic (a CAST would go through ICU).
        columns = ", ".join(
            'make_timestamp(epoch_us("start")) AS "start"' if c == "start" else f'"{c}"'
            for c in _CALL_COLUMNS
        )
        backend = self._backend()
        backend.raw_sql(
            f'CREATE OR REPLACE VIEW "{name}" AS SELECT {columns} FROM read_parquet('
            f"{parquet_list_sql(sources)}, hive_partitioning = false, union_by_name = true)"
        )
        table: Table = backend.table(name)
        return table

    def execute(self, expr: Table) -> pa.Table:
        return _utc(self._backend().to_pyarrow(expr))

    def materialize(self, expr: Table) -> Table:
        name = f"ringfence_table_{next(self._names)}"
        backend = self._backend()
        # Ibis's create_table() fails on DuckDB 2 ("DROP TABLE IF EXISTS" without a name), so
        # the statement is written here; the pre-execute hook registers the in-memory tables
        # (parameters, lists) that the expression refers to, as executing it would.
        backend._run_pre_execute_hooks(expr)
        sql = ibis.to_sql(expr, dialect="duckdb")
        backend.raw_sql(f'CREATE OR REPLACE TABLE "{name}" AS {sql}')
        table: Table = backend.table(name)
        return table

    def close(self) -> None:
        with self._cursors_lock:
            for backend in self._cursors.values():
                backend.disconnect()
            self._cursors.clear()
        self._con.disconnect()


class SparkEngine:
    """Apache Spark, `local[*]` by default or any cluster by master URL (`spark://host:7077`)."""

    name = "spark"
    detector_workers = 1  # Spark runs each query on the whole cluster already

    def __init__(self, master: str = "local[*]", *, conf: dict[str, str] | None = None) -> None:
        if not _java_available():
            raise EngineError(
                "the Spark engine needs a Java runtime (java on PATH or JAVA_HOME); "
                "install one (apt-get install default-jre-headless) or use --engine duckdb"
            )
        from pyspark.sql import SparkSession

        builder = (
            SparkSession.builder.master(master)
            .appName("ringfence")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")  # the CLI shows its own progress
            .config(
                "spark.sql.shuffle.partitions", os.environ.get("RINGFENCE_SPARK_PARTITIONS", "8")
            )
            .config("spark.driver.memory", os.environ.get("RINGFENCE_SPARK_DRIVER_MEMORY", "4g"))
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        )
        for key, value in (conf or {}).items():
            builder = builder.config(key, value)
        self._spark = builder.getOrCreate()
        self._spark.sparkContext.setLogLevel("ERROR")
        self._con = ibis.pyspark.connect(self._spark)
        self._tables = 0

    def calls(self, sources: Sequence[Path]) -> Table:
        _parquet_globs(sources)  # the same checks and messages as DuckDB
        tables = []
        for source in sources:
            options = {"recursiveFileLookup": "true"} if source.is_dir() else {}
            tables.append(self._con.read_parquet(str(source), **options).select(*_CALL_COLUMNS))
        result = tables[0]
        for table in tables[1:]:
            result = result.union(table)
        return result

    def execute(self, expr: Table) -> pa.Table:
        return _utc(self._con.to_pyarrow(expr))

    def materialize(self, expr: Table) -> Table:
        self._tables += 1
        name = f"ringfence_table_{self._tables}"
        self._con._run_pre_execute_hooks(expr)  # registers the expression's in-memory tables
        frame = self._spark.sql(ibis.to_sql(expr, dialect="pyspark")).persist()
        frame.createOrReplaceTempView(name)
        return self._con.table(name)

    def close(self) -> None:
        """Spark sessions are kept for the process (starting one costs seconds)."""


def _java_available() -> bool:
    import shutil

    home = os.environ.get("JAVA_HOME")
    return shutil.which("java") is not None or bool(home and Path(home, "bin", "java").exists())


def open_engine(name: str, *, spark_master: str = "local[*]") -> Engine:
    """An engine by name: `duckdb` or `spark`."""
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine(spark_master)
    raise ValueError(f"unknown engine {name!r}: use duckdb or spark")
