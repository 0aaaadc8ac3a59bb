"""The reputation store: one interface (`Store`), two implementations (SQLite, PostgreSQL).

>>> import tempfile, pathlib
>>> with open_store(f"sqlite:///{tempfile.mkdtemp()}/r.db") as store:
...     store.kind, store.schema_version() >= 1
('sqlite', True)
"""

from __future__ import annotations

from pathlib import Path

from ringfence.reputation.store.base import Store, StoreError
from ringfence.reputation.store.records import (
    AllowEntry,
    ApiKeyRecord,
    BlockAction,
    BlockChange,
    BlockEntry,
    ModerationItem,
    ModerationKind,
    ModerationStatus,
    ReportRecord,
    ReportStatus,
)

__all__ = [
    "AllowEntry",
    "ApiKeyRecord",
    "BlockAction",
    "BlockChange",
    "BlockEntry",
    "ModerationItem",
    "ModerationKind",
    "ModerationStatus",
    "ReportRecord",
    "ReportStatus",
    "Store",
    "StoreError",
    "default_store_url",
    "open_store",
]


def default_store_url(data_dir: Path) -> str:
    """The embedded default: `sqlite:///<data_dir>/ringfence.db`."""
    return f"sqlite:///{Path(data_dir).expanduser() / 'ringfence.db'}"


def open_store(url: str) -> Store:
    """Open (and migrate) the store at `url`: `sqlite:///path/to.db` or `postgresql://...`.

    As in SQLAlchemy, `sqlite:///data/r.db` is relative to the working directory and
    `sqlite:////var/lib/r.db` (four slashes) is absolute.

    Raises `StoreError` with a hint for an unknown scheme or a store that cannot be opened.
    """
    text = url.strip()
    if text.startswith("sqlite:///"):
        path = text.removeprefix("sqlite:///")
        if not path:
            raise StoreError("sqlite:/// needs a file path, e.g. sqlite:///data/ringfence.db")
        from ringfence.reputation.store.sqlite import SQLiteStore

        return SQLiteStore(Path(path), url=text)
    if text.startswith(("postgresql://", "postgres://")):
        from ringfence.reputation.store.postgres import PostgresStore

        return PostgresStore(text)
    raise StoreError(
        f"unknown store URL {url!r}: use sqlite:///relative/path.db or sqlite:////absolute/path.db "
        "(a file) or postgresql://user@host:5432/database"
    )
