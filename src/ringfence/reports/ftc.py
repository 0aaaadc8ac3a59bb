"""Import of the US FTC Do-Not-Call complaint data as reports of their own source, `ftc-dnc`.

Why its own source: public complaints cannot be moderated, mix telemarketing with scams, and
name the number *presented* to the consumer, often spoofed. They count as evidence with a lower
weight than a citizen's report (see `ScoringPolicy`) and never as a citizen's vote.

The file: `Company_Phone_Number, Created_Date, Violation_Date, Consumer_City, Consumer_State,
Consumer_Area_Code, Subject, Recorded_Message_Or_Robocall`. Numbers are parsed as US numbers
whatever the home country. The call time is `Violation_Date` (else `Created_Date`), read as UTC
(the files do not say their time zone). The subject maps to a category through
`ringfence/data/ftc_dnc_subjects.json`; the subject and the robocall flag are kept in the
report's details. A row is rejected (and kept, with its reason, in the rejects file) when its
number is empty, is not a number, is a withheld caller (`0`, `anonymous`...) or is invalid in
the US numbering plan, or when it has no readable date. Re-importing a file adds nothing:
report ids derive from the line and its text.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ringfence.domain.numbers import NumberError, NumberType, Validity, parse_number
from ringfence.ingest.rejects import RejectSink
from ringfence.reputation.blocklist import Blocklist
from ringfence.reputation.service import Reputations, SubjectKey
from ringfence.reputation.store import ReportRecord, ReportStatus

SOURCE = "ftc-dnc"
FTC_COLUMNS = (
    "Company_Phone_Number",
    "Created_Date",
    "Violation_Date",
    "Consumer_City",
    "Consumer_State",
    "Consumer_Area_Code",
    "Subject",
    "Recorded_Message_Or_Robocall",
)
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%m/%d/%Y %H:%M", "%m/%d/%Y")


class ImportFormatError(ValueError):
    """The file is not an FTC DNC complaint CSV; the message says what is missing."""


@dataclass(slots=True)
class ImportSummary:
    """What an import read, kept and rejected."""

    file: str
    rows_read: int = 0
    imported: int = 0
    already_present: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    subjects: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    robocall: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)
    blocklist_changes: int = 0
    rejects_file: str | None = None

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    @property
    def distinct_numbers(self) -> int:
        return len(self.numbers)

    @property
    def numbers_seen_once(self) -> int:
        return sum(1 for count in self.numbers.values() if count == 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "already_present": self.already_present,
            "rejected": self.rejected_total,
            "rejected_by_reason": dict(self.rejected.most_common()),
            "distinct_numbers": self.distinct_numbers,
            "numbers_seen_once": self.numbers_seen_once,
            "top_numbers": self.numbers.most_common(10),
            "subjects": dict(self.subjects.most_common()),
            "categories": dict(self.categories.most_common()),
            "robocall": dict(self.robocall.most_common()),
            "blocklist_changes": self.blocklist_changes,
            "rejects_file": self.rejects_file,
        }


@lru_cache(maxsize=1)
def subject_categories() -> tuple[dict[str, str], str]:
    """The FTC subject -> category mapping and the default category (from the data file)."""
    path = resources.files("ringfence").joinpath("data").joinpath("ftc_dnc_subjects.json")
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return dict(data["subjects"]), str(data["default"])


def import_ftc_dnc(
    path: Path,
    reputations: Reputations,
    *,
    rejects: RejectSink | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 2000,
) -> ImportSummary:
    """Import the complaints of `path` into the store of `reputations`; see the module doc."""
    summary = ImportSummary(file=str(path))
    sink = rejects or RejectSink()
    summary.rejects_file = str(sink.path) if sink.path else None
    store = reputations.store
    touched: set[SubjectKey] = set()
    pending: list[ReportRecord] = []

    def flush() -> None:
        new = set(store.add_reports(pending))
        summary.imported += len(new)
        summary.already_present += len(pending) - len(new)
        rows = [row for r in pending if r.id in new for row in reputations.report_evidence(r)]
        store.add_evidence(rows)
        touched.update(reputations.subjects_of(rows))
        if progress is not None:
            progress(len(pending))
        pending.clear()

    now = reputations.clock.now()
    for line, row, raw in _rows(path):
        summary.rows_read += 1
        report, reason = _report(row, line, raw, now)
        if report is None:
            summary.rejected[reason] += 1
            sink.add(str(path), line, reason, raw)
            continue
        summary.subjects[row["Subject"].strip() or "(empty)"] += 1
        summary.categories[report.category] += 1
        summary.robocall[row.get("Recorded_Message_Or_Robocall", "").strip() or "(empty)"] += 1
        summary.numbers[report.number] += 1
        pending.append(report)
        if len(pending) >= batch_size:
            flush()
    if pending:
        flush()
    summary.blocklist_changes = len(Blocklist(reputations).reconcile(touched))
    return summary


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str], str]]:
    """(physical line, row, raw text) of each record; checks the header first."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ImportFormatError(f"{path} is empty: an FTC DNC CSV starts with a header row")
        missing = [c for c in ("Company_Phone_Number", "Subject") if c not in header]
        if missing:
            raise ImportFormatError(
                f"{path} is not an FTC DNC complaint CSV: its header lacks {missing}; expected "
                f"the columns {', '.join(FTC_COLUMNS)}"
            )
        for values in reader:
            line = reader.line_num
            raw = ",".join(values)
            if len(values) != len(header):
                yield line, {"__bad__": f"{len(values)} fields, the header has {len(header)}"}, raw
                continue
            yield line, dict(zip(header, values, strict=True)), raw


def _report(
    row: dict[str, str], line: int, raw: str, now: datetime
) -> tuple[ReportRecord | None, str]:
    if "__bad__" in row:
        return None, f"malformed row: {row['__bad__']}"
    text = row["Company_Phone_Number"].strip()
    if not text:
        return None, "empty phone number"
    try:
        number = parse_number(text, "US")
    except NumberError as error:
        return None, f"not a phone number: {error.reason}"
    if number.type is NumberType.ANONYMOUS:
        return None, f"no number: {text!r} means a withheld caller"
    if number.validity is Validity.INVALID:
        return None, "invalid number in the US numbering plan"
    occurred = _date(row.get("Violation_Date", "")) or _date(row.get("Created_Date", ""))
    if occurred is None:
        return None, "no readable Violation_Date or Created_Date"
    subject = row["Subject"].strip()
    mapping, default = subject_categories()
    digest = hashlib.sha256(f"{line}|{raw}".encode()).hexdigest()[:24]
    robocall = row.get("Recorded_Message_Or_Robocall", "").strip()
    return (
        ReportRecord(
            id=f"{SOURCE}-{digest}",
            number=number.e164,
            number_raw=text,
            occurred_at=occurred,
            received_at=now,
            channel="call",
            category=mapping.get(subject, default),
            text=None,
            called_back=False,
            money_lost=False,
            language="en",
            country=number.country,
            source=SOURCE,
            reporter=None,
            ip_hash=None,
            status=ReportStatus.COUNTED,
            details={
                "ftc_subject": subject,
                "robocall": robocall == "Y",
                "consumer_state": row.get("Consumer_State", "").strip(),
                "consumer_area_code": row.get("Consumer_Area_Code", "").strip(),
                "line": line,
            },
        ),
        "",
    )


def _date(text: str) -> datetime | None:
    value = text.strip()
    if not value:
        return None
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(value, form).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None
