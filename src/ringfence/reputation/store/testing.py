"""Helpers for tests that need a real PostgreSQL store: a throw-away schema per store.

Why schemas: tests of several engineers run at once against the same server; each store lives
in its own schema (`search_path` set in the URL), created empty and dropped afterwards, so runs
never see each other's rows. The server is `$RINGFENCE_TEST_PG`, by default
`postgresql://postgres@127.0.0.1:5432/test` (trust authentication on this machine).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

DEFAULT_TEST_PG = "postgresql://postgres@127.0.0.1:5432/test"
TEST_PG_ENV = "RINGFENCE_TEST_PG"


def pg_test_url() -> str:
    """The PostgreSQL server tests use."""
    return os.environ.get(TEST_PG_ENV, DEFAULT_TEST_PG)


def with_search_path(url: str, schema: str) -> str:
    """`url` with its search_path set to `schema` (libpq `options` parameter)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@contextmanager
def temporary_schema(base_url: str | None = None, *, prefix: str = "rf_test") -> Iterator[str]:
    """Create an empty schema, yield a store URL that uses it, drop it (with its tables) after."""
    url = base_url or pg_test_url()
    schema = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
