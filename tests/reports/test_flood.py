"""Flood detection, as a property: however many fresh reporters report an allow-listed number,
it never becomes `scam` nor blocklisted, even when a moderator confirms every held report."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ringfence.domain.clock import FixedClock
from ringfence.reports.desk import ReportDesk
from ringfence.reports.model import ReportInput
from ringfence.reports.moderation import Moderation
from ringfence.reputation.model import Category, Level
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import ReportStatus, open_store

ALLOWLISTED = ["+3270344344", "+33805805817", "+443001232040", "+351211967000"]


@settings(max_examples=12, deadline=None)
@given(
    flood=st.integers(min_value=1, max_value=40),
    number=st.sampled_from(ALLOWLISTED),
    category=st.sampled_from([c.value for c in Category]),
    spacing_s=st.integers(min_value=1, max_value=600),
    confirm=st.booleans(),
)
def test_fresh_reporters_never_make_an_allowlisted_number_scam(
    flood: int, number: str, category: str, spacing_s: int, confirm: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'r.db'}")
        clock = FixedClock(datetime(2026, 3, 1, tzinfo=UTC))
        reputations = Reputations(store, clock)
        desk = ReportDesk(reputations)
        data = ReportInput.from_mapping({"number": number, "category": category})
        statuses = []
        for i in range(flood):
            submission = desk.submit(data, client_token=f"fresh-token-{i:08d}", ip=f"10.1.{i}.1")
            statuses.append(submission.report.status)
            clock.advance(timedelta(seconds=spacing_s))
        if flood >= 3 and spacing_s * 2 < 3600:
            assert ReportStatus.HELD in statuses
        moderation = Moderation(reputations)
        if confirm:
            for item in moderation.queue():
                moderation.resolve(item.id, "confirm", note="confirmed", actor="m")
        view = reputations.view(reputations.parse(number))
        assert view.level is not Level.SCAM
        assert not view.blockable
        assert store.block_entries() == []
        store.close()
