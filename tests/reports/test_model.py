"""A report's fields: exactly those of issue 4, each checked with a message naming it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ringfence.reports.model import Channel, ReportError, ReportInput
from ringfence.reputation.model import Category


def test_defaults_and_types() -> None:
    data = ReportInput.from_mapping(
        {"number": "0470 12 34 56", "category": "one_ring", "occurred_at": "2026-03-01T10:00:00Z"}
    )
    assert data.channel is Channel.CALL
    assert data.category is Category.ONE_RING
    assert data.occurred_at == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert not data.called_back
    assert not data.money_lost


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"number": "1", "category": "one_ring", "categroy": "x"}, "categroy"),
        ({"category": "one_ring"}, "number"),
        ({"number": "1"}, "category"),
        ({"number": "1", "category": "spam"}, "category"),
        ({"number": "1", "category": "other", "channel": "fax"}, "channel"),
        ({"number": "1", "category": "other", "occurred_at": "yesterday"}, "occurred_at"),
        ({"number": "1", "category": "other", "called_back": "yes"}, "called_back"),
        ({"number": "1", "category": "other", "text": "x" * 5001}, "text"),
        ({"number": "1", "category": "other", "language": "x"}, "language"),
    ],
)
def test_bad_fields_are_named(fields: dict[str, object], field: str) -> None:
    with pytest.raises(ReportError) as caught:
        ReportInput.from_mapping(fields)
    assert caught.value.field == field
    assert caught.value.status == 422
    assert field in str(caught.value)
