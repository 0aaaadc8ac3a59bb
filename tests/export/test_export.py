"""Blocklist exports: every format against its grammar (and its blocker's matching rule), the
protected numbers never exported whatever the store holds, deltas, carving."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ringfence.domain.clock import FixedClock
from ringfence.domain.findings import Finding, Subject, SubjectRole
from ringfence.export import ExportError, ExportFormat, build_export
from ringfence.export.plan import carve, dialled_form, patterns, plan_lengths
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import (
    AllowEntry,
    BlockAction,
    BlockChange,
    Store,
    open_store,
)
from tests.alerts.helpers import T0, push, reputations, wangiri

ALLOWED = "+3225557777"
VICTIM = "+32470999000"
SCAMMER = "+447700900123"
FORBIDDEN_NUMBERS = (ALLOWED, VICTIM, "112", "1813", "+32 470 99 90 00")


def _inject(store: Store, subject: str, kind: str = "number") -> None:
    store.record_block_change(
        BlockChange(
            0, BlockAction.ADD, subject, kind, "other", "put here by hand", (), 99.0, None, T0
        )
    )


def _storm(owner: str) -> Finding:
    return Finding.create(
        detector="callback_storm",
        kind="spoofed_number_owner",
        title="spoofed",
        reason="callbacks",
        score=0.95,
        first_seen=T0,
        last_seen=T0,
        counts={"callbacks": 30, "distinct_callers": 25},
        subjects=[Subject(owner, SubjectRole.SPOOFED_OWNER)],
        evidence=["s1"],
        key=owner,
    )


def _centre() -> Finding:
    return Finding.create(
        detector="foreign_fanout",
        kind="foreign_call_centre",
        title="call centre",
        reason="long calls",
        score=0.95,
        first_seen=T0 - timedelta(hours=4),
        last_seen=T0,
        counts={"calls": 300, "distinct_callees": 90},
        subjects=[Subject(SCAMMER, SubjectRole.SOURCE_NUMBER)],
        evidence=["f1"],
        key="+4477009",
    )


@pytest.fixture
def reps(tmp_path: Path) -> Iterator[Reputations]:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    clock = FixedClock(T0)
    store.add_allowed(AllowEntry(ALLOWED, "Example Bank", "test", T0))
    push(store, clock, [wangiri("+39351"), _centre(), _storm(VICTIM)])
    for subject in (ALLOWED, VICTIM, "112", "1813"):
        _inject(store, subject)
    _inject(store, "+3225557", "range")  # contains the allow-listed bank number
    _inject(store, "+39", "range")  # all of Italy: too broad
    yield reputations(store, clock)
    store.close()


def _body(reps: Reputations, fmt: ExportFormat) -> str:
    return build_export(reps, fmt).body.decode("utf-8")


def test_the_store_holds_what_the_tests_need(reps: Reputations) -> None:
    subjects = {e.subject for e in reps.store.block_entries()}
    assert {"+39351", SCAMMER, ALLOWED, VICTIM, "112", "+3225557", "+39"} <= subjects


def test_protected_numbers_are_in_no_format(reps: Reputations) -> None:
    for fmt in ExportFormat:
        made = build_export(reps, fmt)
        text = made.body.decode()
        digits = re.sub(r"[^0-9\n]", "", text)
        for number in (ALLOWED, VICTIM):
            assert number not in text, fmt
            assert dialled_form(number, "BE") not in digits.split("\n"), fmt
        assert "\n112\n" not in f"\n{text}", fmt
        assert "1813" not in text, fmt
        counts = made.selection.excluded_counts()
        assert counts["allow-listed"] == 1
        assert counts["spoofing victim: the owner is innocent"] == 1
        assert counts["emergency or short number"] == 2
        assert counts["too broad: covers a whole country code"] == 1


def test_e164_lines(reps: Reputations) -> None:
    lines = _body(reps, ExportFormat.E164).splitlines()
    assert all(re.fullmatch(r"\+[1-9][0-9]{6,14}", line) for line in lines)
    assert SCAMMER in lines
    # the carved pieces of +3225557 small enough to expand are there, the bank is not
    assert "+3225557000" in lines
    assert ALLOWED not in lines
    assert lines == sorted(set(lines))
    made = build_export(reps, ExportFormat.E164)
    assert made.selection.excluded_counts()["range too large for e164: use patterns or callblocker"]


def test_patterns_cover_the_plan_lengths(reps: Reputations) -> None:
    lines = _body(reps, ExportFormat.PATTERNS).splitlines()
    assert all(re.fullmatch(r"\+[0-9]+#*", line) for line in lines)
    for pattern in patterns("+39351"):
        assert pattern in lines
    assert "+3225557###" in lines or "+32255570##" in lines
    assert not any(_pattern_matches(p, ALLOWED) for p in lines)
    assert any(_pattern_matches(p, "+393511234567") for p in lines)


def _pattern_matches(pattern: str, number: str) -> bool:
    return len(pattern) == len(number) and all(
        p == "#" or p == n for p, n in zip(pattern, number, strict=True)
    )


def test_csv_and_json(reps: Reputations) -> None:
    rows = list(csv.DictReader(io.StringIO(_body(reps, ExportFormat.CSV))))
    assert {r["subject"] for r in rows} >= {SCAMMER, "+39351"}
    assert all(r["kind"] in ("number", "range") for r in rows)
    carved = [r for r in rows if r["carved_from"] == "+3225557"]
    assert carved
    assert all(r["kind"] == "range" for r in carved)
    document = json.loads(_body(reps, ExportFormat.JSON))
    assert document["format"] == "ringfence-blocklist"
    assert document["since"] is None
    assert document["version"] == reps.store.block_version()
    entry = next(e for e in document["entries"] if e["subject"] == "+39351")
    assert entry["kind"] == "range"
    assert entry["category"] == "one_ring"
    assert set(entry) >= {"reason", "expires_at", "version", "added_at", "score"}


def test_callblocker_grammar_and_prefix_matching(reps: Reputations) -> None:
    document = json.loads(_body(reps, ExportFormat.CALLBLOCKER))
    assert set(document) == {"name", "last_update", "entries"}
    date = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000")
    for entry in document["entries"]:
        assert set(entry) == {"name", "number", "date_created", "date_modified"}
        assert re.fullmatch(r"\+[0-9]{4,15}", entry["number"])
        assert 0 < len(entry["name"]) <= 200
        assert date.fullmatch(entry["date_created"])
        assert date.fullmatch(entry["date_modified"])
    numbers = [e["number"] for e in document["entries"]]

    def blocked(caller: str) -> bool:  # callblocker's FileList::hasNumber: entry is a prefix
        return any(caller.startswith(n) for n in numbers)

    assert blocked("+393511234567")
    assert blocked(SCAMMER)
    assert blocked("+3225557000")
    assert not blocked(ALLOWED)
    assert not blocked(VICTIM)


def test_ncid_blacklist_grammar_and_matching(reps: Reputations) -> None:
    text = _body(reps, ExportFormat.NCID)
    expressions: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        body, _, comment = stripped.partition("#")
        assert comment.startswith("="), line
        assert comment[1:].strip(), line
        for expression in shlex.split(body):
            assert re.fullmatch(r"\^[0-9]+", expression), line
            expressions.append(expression)

    def blocked(shown: str) -> bool:  # '^' anchors at the start; a partial number matches
        return any(shown.startswith(e[1:]) for e in expressions)

    assert blocked("00393511234567")
    assert blocked("00447700900123")
    assert not blocked(dialled_form(ALLOWED, "BE"))
    assert not blocked(dialled_form(VICTIM, "BE"))
    assert dialled_form(ALLOWED, "BE") == "025557777"


def test_deltas(reps: Reputations) -> None:
    version = reps.store.block_version()
    _inject(reps.store, "+447700900999")
    reps.store.record_block_change(
        BlockChange(0, BlockAction.REMOVE, SCAMMER, "number", "other", "appeal", (), 0.0, None, T0)
    )
    document = json.loads(build_export(reps, ExportFormat.JSON, since=version).body)
    assert document["since"] == version
    assert document["version"] == version + 2
    assert [e["subject"] for e in document["entries"]] == ["+447700900999"]
    assert [r["subject"] for r in document["removed"]] == [SCAMMER]
    rows = list(
        csv.DictReader(
            io.StringIO(build_export(reps, ExportFormat.CSV, since=version).body.decode())
        )
    )
    assert [(r["action"], r["subject"]) for r in rows] == [
        ("add", "+447700900999"),
        ("remove", SCAMMER),
    ]
    for fmt in (ExportFormat.E164, ExportFormat.PATTERNS, ExportFormat.CALLBLOCKER):
        with pytest.raises(ExportError, match="full list"):
            build_export(reps, fmt, since=version)


def test_plan_lengths_come_from_the_numbering_plan() -> None:
    assert plan_lengths("+3247012") == (11,)
    assert 12 in plan_lengths("+39351")
    assert plan_lengths("+33612") == (11,)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text("0123456789", min_size=4, max_size=4), min_size=1, max_size=4),
    st.lists(st.text("0123456789", min_size=4, max_size=4), min_size=1, max_size=20),
)
def test_carving_blocks_everything_but_the_protected(
    protected_tails: list[str], probes: list[str]
) -> None:
    prefix = "+3247012"
    protected = sorted({prefix + t for t in protected_tails})
    pieces = carve(prefix, protected)
    for number in protected:
        assert not any(number.startswith(p) for p in pieces)
    for tail in probes:
        number = prefix + tail
        assert any(number.startswith(p) for p in pieces) == (number not in protected)
