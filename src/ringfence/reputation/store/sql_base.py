"""The base of the SQL stores: the two statement runners every operation uses.

Why: SQLite (3.35+) and PostgreSQL both speak `INSERT ... ON CONFLICT DO NOTHING` and the subset
of SQL used here, so each operation is written once, with `?` placeholders, in the mixins
`EvidenceSql`, `ReportSql` and `ListSql`; the two stores differ only in how they run a statement,
connect, lock and migrate (sqlite.py, postgres.py).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection, Sequence
from typing import Any

from ringfence.reputation.store.base import Store
from ringfence.reputation.store.rows import CHUNK, Row, marks


class SqlBase(Store):
    # -- dialect ---------------------------------------------------------------------------
    @abstractmethod
    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Execute one statement (in the current transaction if any) and fetch its rows."""

    @abstractmethod
    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Execute one statement for many parameter rows; return the rows changed."""

    def _run_in_chunks(self, sql: str, values: Collection[str]) -> list[Row]:
        """Run `sql`, whose `{marks}` is an `IN (...)` list, for the distinct `values` in
        chunks of `CHUNK` (the databases bound the parameters of one statement); the rows of
        each chunk follow those of the one before, each in the statement's own order."""
        wanted = sorted(set(values))
        rows: list[Row] = []
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            rows.extend(self._run(sql.format(marks=marks(len(chunk))), chunk))
        return rows
