"""The SQL store: every `Store` operation in SQL shared by SQLite and PostgreSQL.

The operations live in three mixins by table group (`sql_evidence.py`, `sql_reports.py`,
`sql_lists.py`) over `SqlBase` (the statement runners); `sqlite.py` and `postgres.py` subclass
`SqlStore` with their connections, locks and migrations. The row helpers are re-exported here
for modules that add tables of their own through the same runners.
"""

from __future__ import annotations

from ringfence.reputation.store.rows import (
    EPOCH,
    Row,
    from_us,
    number_hash,
    opt_dt,
    opt_us,
    to_us,
)
from ringfence.reputation.store.sql_evidence import EvidenceSql
from ringfence.reputation.store.sql_lists import ListSql
from ringfence.reputation.store.sql_reports import ReportSql

__all__ = [
    "EPOCH",
    "Row",
    "SqlStore",
    "from_us",
    "number_hash",
    "opt_dt",
    "opt_us",
    "to_us",
]


class SqlStore(EvidenceSql, ReportSql, ListSql):
    """Every `Store` operation in SQL; subclasses supply connections, locking and migrations."""
