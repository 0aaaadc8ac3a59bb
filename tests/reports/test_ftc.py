"""Import of the FTC Do-Not-Call complaint data."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ringfence.domain.numbers import NumberError, NumberType, Validity, parse_number
from ringfence.ingest.rejects import RejectSink
from ringfence.reports.ftc import (
    FTC_COLUMNS,
    ImportFormatError,
    import_ftc_dnc,
    subject_categories,
)
from ringfence.reputation.model import SubjectKind
from ringfence.reputation.service import Reputations

from .conftest import FIXTURES

SAMPLE = FIXTURES / "ftc-dnc-sample.csv"
FULL = Path("/work/shared/data/ftc-dnc-complaints-2021-07-08.csv")


def expected(path: Path) -> tuple[Counter[str], int, Counter[str]]:
    """Independent count: numbers that parse as valid or possible US numbers, rejects, subjects."""
    numbers: Counter[str] = Counter()
    subjects: Counter[str] = Counter()
    rejected = 0
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                number = parse_number(row["Company_Phone_Number"], "US")
                ok = (
                    bool(row["Company_Phone_Number"].strip())
                    and number.validity is not Validity.INVALID
                    and number.type is not NumberType.ANONYMOUS
                )
            except NumberError:
                ok = False
            if ok:
                numbers[number.e164] += 1
                subjects[row["Subject"]] += 1
            else:
                rejected += 1
    return numbers, rejected, subjects


def test_sample_import_summary(services: Reputations, tmp_path: Path) -> None:
    numbers, rejected, subjects = expected(SAMPLE)
    rejects = tmp_path / "rejects.csv"
    sink = RejectSink(rejects)
    summary = import_ftc_dnc(SAMPLE, services, rejects=sink)
    sink.close()
    assert summary.rows_read == sum(numbers.values()) + rejected
    assert summary.imported == sum(numbers.values())
    assert summary.rejected_total == rejected > 0
    assert summary.rejected["empty phone number"] >= 1
    assert summary.distinct_numbers == len(numbers)
    assert summary.numbers_seen_once == sum(1 for c in numbers.values() if c == 1)
    assert summary.subjects == subjects
    assert summary.numbers.most_common(1) == [("+13152328257", numbers["+13152328257"])]
    with rejects.open() as handle:
        assert len(list(csv.DictReader(handle))) == rejected
    mapping, default = subject_categories()
    assert summary.categories["silent_call"] == subjects["Dropped call or no message"]
    assert set(summary.categories) <= set(mapping.values()) | {default}


def test_imported_complaints_are_their_own_weaker_source(services: Reputations) -> None:
    import_ftc_dnc(SAMPLE, services)
    view = services.view(services.parse("+13152328257"))
    assert view.own.counts["imported"] >= 12
    assert view.own.counts["reports"] == 0
    since = datetime(2021, 1, 1, tzinfo=UTC)
    assert services.store.reports_on("+13152328257", since) == []  # not citizens' votes
    rows = services.store.evidence_for(["+13152328257"])
    assert {r.source.value for r in rows} == {"import"}
    assert {r.subject_kind for r in services.store.evidence_for(["+1315232825"])} == {
        SubjectKind.RANGE
    }


def test_reimport_adds_nothing(services: Reputations) -> None:
    first = import_ftc_dnc(SAMPLE, services)
    again = import_ftc_dnc(SAMPLE, services)
    assert again.imported == 0
    assert again.already_present == first.imported
    assert len(list(services.store.iter_evidence())) == 3 * first.imported


def test_withheld_and_malformed_rows_are_rejected(services: Reputations, tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    header = ",".join(FTC_COLUMNS)
    path.write_text(
        f"{header}\n"
        "0,2021-07-07 00:01:15,2021-07-06 11:48:00,,Ohio,440,Other,Y\n"
        "2125551234,2021-07-07 00:01:15,,,Ohio,440,Other,Y\n"
        "2125551234,bad,bad,,Ohio,440,Other,Y\n"
        "2125551234,2021-07-07\n"
    )
    summary = import_ftc_dnc(path, services)
    assert summary.rows_read == 4
    assert summary.imported == 1
    assert set(summary.rejected) == {
        "no number: '0' means a withheld caller",
        "no readable Violation_Date or Created_Date",
        "malformed row: 2 fields, the header has 8",
    }


def test_not_an_ftc_file(services: Reputations, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ImportFormatError, match="Company_Phone_Number"):
        import_ftc_dnc(path, services)


@pytest.mark.skipif(not FULL.exists(), reason="the shared FTC day is not on this machine")
def test_full_day(services: Reputations) -> None:
    summary = import_ftc_dnc(FULL, services)
    assert summary.rows_read == 14_034
    assert summary.imported + summary.rejected_total == summary.rows_read
    assert summary.rejected["empty phone number"] == 669
    assert summary.numbers_seen_once < summary.distinct_numbers < summary.imported
    assert "anonymous" not in summary.numbers
