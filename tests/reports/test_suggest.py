"""The classifier's suggested category is stored beside the reporter's (when installed)."""

from __future__ import annotations

import pytest

from ringfence.reports.desk import ReportDesk
from ringfence.reports.model import ReportInput
from ringfence.reports.suggest import suggest_category
from ringfence.reputation.service import Reputations


def test_no_text_no_suggestion() -> None:
    assert suggest_category(None, "BE") is None
    assert suggest_category("", "BE") is None


def test_suggestion_is_stored_with_the_report(services: Reputations) -> None:
    classify = pytest.importorskip("ringfence.classify")
    try:
        classify.classify_text("Your parcel is waiting", home_country="BE")
    except classify.ModelError as error:
        pytest.skip(f"ringfence.classify cannot load its model here: {error}")
    text = "Votre carte bancaire est bloquée, appelez le 0899 123 456 pour la réactiver"
    expected = classify.suggest_report_category(classify.classify_text(text, home_country="BE"))
    data = ReportInput.from_mapping(
        {"number": "+32470123456", "category": "other", "channel": "sms", "text": text}
    )
    submission = ReportDesk(services).submit(data, client_token="suggest-test-token-1")
    assert submission.report.suggested_category == expected
    assert submission.report.category == "other"
