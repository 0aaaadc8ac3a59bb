"""Property-based fuzzing of the whole API from its own OpenAPI document (Schemathesis, in
process over ASGI): whatever the input, no answer is a server error and every answer matches
the documented status codes, media types and schemas.

The app is built when this module is imported (Schemathesis needs the schema to generate the
tests); its store is a SQLite file in a temporary directory removed at the end of the session.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ringfence.api import ApiConfig, create_app
from ringfence.api.keys import create_api_key
from ringfence.domain.clock import FixedClock
from ringfence.reports.suggest import classifier
from ringfence.reputation.store import open_store
from ringfence.settings import Settings

_FOLDER = Path(tempfile.mkdtemp(prefix="ringfence-fuzz-"))
_STORE = open_store(f"sqlite:///{_FOLDER / 'fuzz.db'}")
_CLOCK = FixedClock(datetime(2026, 3, 1, 12, tzinfo=UTC))
_KEY, _ = create_api_key(_STORE, "fuzz", ["admin"], _CLOCK)
_APP = create_app(
    Settings(data_dir=_FOLDER), _STORE, _CLOCK, config=ApiConfig(anonymous_rate_per_minute=0)
)
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


def _classifier_usable() -> bool:
    """True when `ringfence.classify` is installed and its model loads. Without it the classify
    endpoint rightly answers 503 (tested in test_classify_api.py), so it is left out here."""
    module = classifier()
    if module is None:
        return False
    try:
        module.classify_text("Your parcel is waiting", home_country="BE")
    except Exception:
        return False
    return True


if not _classifier_usable():
    schema = schema.exclude(path="/v1/messages/classify")


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> object:
    yield None
    _STORE.close()
    shutil.rmtree(_FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    # Every built-in check runs except `positive_data_acceptance`: it expects any request that
    # matches the JSON Schema to succeed, but "a string that is a phone number" or "a country
    # libphonenumber knows" cannot be said in JSON Schema; such input rightly gets 422.
    case.call_and_validate(
        headers={"X-API-Key": _KEY, "X-Client-Token": "fuzz-client-token-01"},
        excluded_checks=[positive_data_acceptance],
    )
