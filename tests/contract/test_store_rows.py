"""Contract: the rows a store keeps come back as they went in, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ringfence.reputation.model import (
    Evidence,
    EvidenceKind,
    EvidenceSource,
    SubjectKind,
)
from ringfence.reputation.store import (
    AllowEntry,
    ApiKeyRecord,
    BlockAction,
    BlockChange,
    ModerationItem,
    ModerationKind,
    ModerationStatus,
    ReportRecord,
    ReportStatus,
    Store,
    open_store,
)
from ringfence.reputation.store.migrations import migrations
from ringfence.reputation.store.sql import number_hash

from .conftest import START


def evidence(subject: str, ref: str, **changes: object) -> Evidence:
    values: dict[str, object] = {
        "subject": subject,
        "subject_kind": SubjectKind.NUMBER,
        "source": EvidenceSource.REPORT,
        "kind": EvidenceKind.AGAINST,
        "category": "one_ring",
        "strength": 1.0,
        "occurred_at": START,
        "ref": ref,
        "reporter": "r-1",
    }
    values.update(changes)
    return Evidence(**values)  # type: ignore[arg-type]


def report(report_id: str, number: str = "+32470123456", **changes: object) -> ReportRecord:
    values: dict[str, object] = {
        "id": report_id,
        "number": number,
        "number_raw": number,
        "occurred_at": START,
        "received_at": START,
        "channel": "call",
        "category": "one_ring",
        "text": "Vous avez gagné ! Rappelez le 0899",
        "called_back": False,
        "money_lost": True,
        "language": "fr",
        "country": "BE",
        "source": "citizen",
        "reporter": "r-1",
        "ip_hash": "i-1",
        "status": ReportStatus.COUNTED,
        "details": {"referral_country": "BE", "n": 1},
    }
    values.update(changes)
    return ReportRecord(**values)  # type: ignore[arg-type]


def test_migrations_are_versioned_and_run_once(store_url: str, store: Store) -> None:
    assert store.schema_version() == len(migrations(store.kind)) >= 1
    again = open_store(store_url)
    assert again.schema_version() == store.schema_version()
    again.close()


def test_meta_keeps_the_first_value(store: Store) -> None:
    assert store.get_meta("salt") is None
    assert store.set_meta_if_absent("salt", "a") == "a"
    assert store.set_meta_if_absent("salt", "b") == "a"


def test_evidence_round_trip_and_identity(store: Store) -> None:
    rows = [
        evidence("+32470123456", "rep-1", note="x", expires_at=START + timedelta(days=1)),
        evidence("+3247012345", "rep-1", subject_kind=SubjectKind.RANGE, via="+32470123456"),
        evidence(
            "+32470123456",
            "f-1",
            source=EvidenceSource.FINDING,
            strength=0.75,
            kind=EvidenceKind.SHOWN,
            reporter=None,
            occurred_at=START + timedelta(microseconds=7),
        ),
    ]
    assert store.add_evidence(rows) == 3
    assert store.add_evidence(rows[:1]) == 0
    assert store.evidence_for(["+32470123456", "+3247012345"]) == rows
    assert list(store.iter_evidence()) == rows
    assert store.remove_evidence("rep-1") == [
        ("+3247012345", SubjectKind.RANGE),
        ("+32470123456", SubjectKind.NUMBER),
    ]
    assert store.evidence_for(["+32470123456", "+3247012345"]) == rows[2:]


def test_iter_evidence_pages_through_many_rows(store: Store) -> None:
    rows = [evidence(f"+3247000{i:04d}", f"rep-{i}") for i in range(5003)]
    assert store.add_evidence(rows) == len(rows)
    assert [r.ref for r in store.iter_evidence()] == [r.ref for r in rows]


def test_lookups_of_more_values_than_one_statement_takes_return_every_row(store: Store) -> None:
    """evidence_for and reports_by_ids split their IN lists in chunks of 500 parameters."""
    rows = [evidence(f"+3247000{i:04d}", f"rep-{i}") for i in range(1203)]
    assert store.add_evidence(rows) == len(rows)
    wanted = [r.subject for r in rows] + ["+32470009999", rows[0].subject]
    assert sorted(r.ref for r in store.evidence_for(wanted)) == sorted(r.ref for r in rows)
    reports = [report(f"rep-{i:04d}") for i in range(1203)]
    assert len(store.add_reports(reports)) == len(reports)
    found = store.reports_by_ids([r.id for r in reversed(reports)] + ["nope"])
    assert sorted(r.id for r in found) == sorted(r.id for r in reports)


def test_numbers_are_registered_in_hash_buckets(store: Store) -> None:
    store.add_evidence([evidence("+32470123456", "rep-1")])
    digest = number_hash("+32470123456")
    assert store.subjects_in_bucket(digest[:5]) == [("+32470123456", digest)]
    assert store.subjects_in_bucket(digest[:5].upper()) == [("+32470123456", digest)]
    other = "0" * 5 if digest[:5] != "00000" else "fffff"
    assert store.subjects_in_bucket(other) == []


def test_reports_round_trip_and_queries(store: Store) -> None:
    first = report("rep-1")
    assert store.add_report(first)
    assert not store.add_report(first)
    assert store.get_report("rep-1") == first
    later = report("rep-2", received_at=START + timedelta(minutes=5), reporter="r-2")
    assert store.add_reports([later, first, later]) == ["rep-2"]
    assert [r.id for r in store.reports_by_ids(["rep-2", "rep-1", "nope"])] == ["rep-1", "rep-2"]
    assert store.report_times(reporter="r-1", since=START) == [START]
    assert store.report_times(ip_hash="i-1", since=START) == [START, START + timedelta(minutes=5)]
    assert store.last_report_on("r-2", "+32470123456", START) == START + timedelta(minutes=5)
    assert store.last_report_on("r-2", "+32470000000", START) is None
    assert [r.id for r in store.reports_on("+32470123456", START)] == ["rep-1", "rep-2"]
    store.set_report_status(["rep-2"], ReportStatus.REJECTED, "mod-1")
    moved = store.get_report("rep-2")
    assert moved is not None
    assert moved.status is ReportStatus.REJECTED
    assert moved.moderation_id == "mod-1"
    assert store.last_report_on("r-2", "+32470123456", START) is None
    with pytest.raises(ValueError, match="exactly one"):
        store.report_times(since=START)


def test_reporters_first_seen_stays(store: Store) -> None:
    assert store.reporter_first_seen("r-1") is None
    store.touch_reporter("r-1", START)
    store.touch_reporter("r-1", START + timedelta(hours=3))
    assert store.reporter_first_seen("r-1") == START


def test_findings_and_private_subjects(store: Store) -> None:
    assert store.finding_digest("f-1") is None
    store.save_finding("f-1", "d1", '{"a": 1}', [("+32470000001", "target")], START)
    store.save_finding("f-1", "d2", '{"a": 2}', [("+32470000002", "at_risk")], START)
    assert store.finding_digest("f-1") == "d2"
    assert store.get_finding("f-1") == ('{"a": 2}', [("+32470000002", "at_risk")])
    assert store.get_finding("nope") is None


def test_moderation_items(store: Store) -> None:
    item = ModerationItem(
        "mod-1",
        ModerationKind.FLOOD,
        "+32470123456",
        ModerationStatus.OPEN,
        START,
        START,
        {"reports": ["rep-1"], "reason": "burst"},
    )
    store.add_moderation(item)
    assert store.get_moderation("mod-1") == item
    assert store.open_moderation("flood", "+32470123456") == item
    assert store.open_moderation("appeal", "+32470123456") is None
    done = ModerationItem(
        "mod-1",
        ModerationKind.FLOOD,
        "+32470123456",
        ModerationStatus.REJECTED,
        START,
        START + timedelta(hours=1),
        {"reports": ["rep-1"]},
        "reject by m",
        "scripted",
    )
    store.update_moderation(done)
    assert store.get_moderation("mod-1") == done
    assert store.open_moderation("flood", "+32470123456") is None
    assert store.list_moderation(ModerationStatus.OPEN, 10) == []
    assert store.list_moderation(None, 10) == [done]


def test_blocklist_versions_increase_by_one(store: Store) -> None:
    def change(action: BlockAction, subject: str, hours: int) -> BlockChange:
        return BlockChange(
            0,
            action,
            subject,
            "number",
            "one_ring",
            "reason",
            ("finding:f-1",),
            80.0,
            START + timedelta(hours=hours),
            START,
        )

    stored = [
        store.record_block_change(change(BlockAction.ADD, "+32470000001", 1)),
        store.record_block_change(change(BlockAction.ADD, "+32470000002", 5)),
        store.record_block_change(change(BlockAction.REMOVE, "+32470000001", 1)),
    ]
    assert [c.version for c in stored] == [1, 2, 3]
    assert store.block_version() == 3
    assert [c.version for c in store.block_changes(1, 10)] == [2, 3]
    assert store.block_changes(0, 10)[0] == stored[0]
    entries = store.block_entries()
    assert [e.subject for e in entries] == ["+32470000002"]
    assert entries[0].version == 2
    assert entries[0].sources == ("finding:f-1",)
    assert store.block_entries_due(START + timedelta(hours=4)) == []
    assert [e.subject for e in store.block_entries_due(START + timedelta(hours=5))] == [
        "+32470000002"
    ]


def test_api_keys_are_kept_hashed_and_revocable(store: Store) -> None:
    key = ApiKeyRecord("key-1", "h" * 64, "op", ("operator", "citizen"), START)
    store.add_api_key(key)
    assert store.api_key_by_hash("h" * 64) == key
    assert store.api_keys() == [key]
    assert store.revoke_api_key("key-1", START)
    assert not store.revoke_api_key("key-1", START)
    revoked = store.api_key_by_hash("h" * 64)
    assert revoked is not None
    assert revoked.revoked_at == START


def test_allowlist_entries(store: Store) -> None:
    store.add_allowed(AllowEntry("+3225551234", "Bank", "https://bank.example", START))
    assert [e.holder for e in store.allowed()] == ["Bank"]
    assert store.remove_allowed("+3225551234")
    assert not store.remove_allowed("+3225551234")


def test_transaction_rolls_back_everything(store: Store) -> None:
    def fail_midway() -> None:
        with store.transaction():
            store.add_report(report("rep-1"))
            store.add_evidence([evidence("+32470123456", "rep-1")])
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_midway()
    assert store.get_report("rep-1") is None
    assert store.evidence_for(["+32470123456"]) == []
