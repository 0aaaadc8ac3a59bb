"""The reputation model: decay, the confidence bound, levels, and its properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ringfence.reputation.model import (
    Category,
    Evidence,
    EvidenceKind,
    EvidenceSource,
    Level,
    State,
    SubjectKind,
    Verdict,
)
from ringfence.reputation.policy import ScoringPolicy
from ringfence.reputation.scoring import (
    blockable_until,
    decay,
    evaluate,
    score_of,
    wilson_lower,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
NUMBER = "+32470123456"
POLICY = ScoringPolicy()


def row(
    i: int,
    *,
    age_days: float = 0.0,
    source: EvidenceSource = EvidenceSource.REPORT,
    kind: EvidenceKind = EvidenceKind.AGAINST,
    category: str = "one_ring",
    strength: float = 1.0,
    subject: str = NUMBER,
    subject_kind: SubjectKind = SubjectKind.NUMBER,
    via: str | None = None,
    expires_at: datetime | None = None,
) -> Evidence:
    return Evidence(
        subject=subject,
        subject_kind=subject_kind,
        source=source,
        kind=kind,
        category=category,
        strength=strength,
        occurred_at=NOW - timedelta(days=age_days),
        ref=f"ref-{i}",
        via=via,
        reporter=f"r-{i}" if source is EvidenceSource.REPORT else None,
        expires_at=expires_at,
    )


def test_decay_halves_per_half_life() -> None:
    assert decay(0, 30) == 1.0
    assert decay(30, 30) == 0.5
    assert decay(-5, 30) == 1.0


def test_wilson_bound_needs_many_reports() -> None:
    assert wilson_lower(0, 0, 1.96) == 0.0
    assert score_of(2, POLICY) < POLICY.suspicious_at
    assert score_of(3, POLICY) >= POLICY.suspicious_at
    assert score_of(13, POLICY) < POLICY.scam_at <= score_of(14, POLICY)


def test_two_reports_are_not_a_verdict() -> None:
    rep = evaluate(NUMBER, SubjectKind.NUMBER, [row(1), row(2)], NOW, POLICY)
    assert rep.level is Level.UNKNOWN
    assert rep.score == pytest.approx(20.8)
    assert [r.code for r in rep.reasons] == ["reports", "few_reports"]


def test_old_reports_fade() -> None:
    fresh = evaluate(NUMBER, SubjectKind.NUMBER, [row(i) for i in range(20)], NOW, POLICY)
    old = [row(i, age_days=120) for i in range(20)]
    faded = evaluate(NUMBER, SubjectKind.NUMBER, old, NOW, POLICY)
    assert fresh.level is Level.SCAM
    assert faded.level is Level.UNKNOWN
    assert faded.counts["reports"] == 20
    assert faded.first_seen == NOW - timedelta(days=120)


def test_emergency_numbers_are_always_safe() -> None:
    rows = [row(i, subject="112") for i in range(50)]
    rep = evaluate("112", SubjectKind.NUMBER, rows, NOW, POLICY, never_block=True)
    assert rep.level is Level.SAFE
    assert not rep.blockable
    assert rep.reasons[0].code == "emergency"


def test_spoofed_owner_is_never_blockable() -> None:
    rows = [row(i) for i in range(30)] + [
        row(99, source=EvidenceSource.FINDING, kind=EvidenceKind.SPOOFED)
    ]
    rep = evaluate(NUMBER, SubjectKind.NUMBER, rows, NOW, POLICY)
    assert rep.state is State.SPOOFED
    assert rep.level is Level.SCAM
    assert not rep.blockable


def test_shown_evidence_warns_but_never_blocks() -> None:
    rows = [row(1, source=EvidenceSource.FINDING, kind=EvidenceKind.SHOWN)]
    rep = evaluate(NUMBER, SubjectKind.NUMBER, rows, NOW, POLICY)
    assert rep.level is Level.SCAM
    assert rep.shown_by_scammers
    assert not rep.blockable


def test_decisions_override_until_they_expire() -> None:
    rows = [row(i) for i in range(30)] + [
        row(
            50,
            source=EvidenceSource.OPERATOR,
            kind=EvidenceKind.DECISION,
            category=Verdict.SAFE.value,
            expires_at=NOW + timedelta(days=1),
        )
    ]
    assert evaluate(NUMBER, SubjectKind.NUMBER, rows, NOW, POLICY).level is Level.SAFE
    later = NOW + timedelta(days=2)
    rep = evaluate(NUMBER, SubjectKind.NUMBER, rows, later, POLICY)
    assert rep.level is Level.SCAM
    assert rep.decision is None


def test_ranges_need_several_numbers() -> None:
    def ranged(numbers: int, reports: int) -> Level:
        rows = [
            row(
                i,
                subject="+3247012345",
                subject_kind=SubjectKind.RANGE,
                via=f"+3247012345{i % numbers}",
            )
            for i in range(reports)
        ]
        return evaluate("+3247012345", SubjectKind.RANGE, rows, NOW, POLICY).level

    assert ranged(1, 30) is Level.UNKNOWN
    assert ranged(2, 30) is Level.SUSPICIOUS
    assert ranged(3, 30) is Level.SCAM


def test_blockable_until_is_when_the_score_falls_below_scam() -> None:
    rows = [row(i) for i in range(20)]
    until = blockable_until(rows, NOW, POLICY, SubjectKind.NUMBER)
    assert until is not None
    assert until > NOW
    assert evaluate(
        NUMBER, SubjectKind.NUMBER, rows, until - timedelta(minutes=2), POLICY
    ).blockable
    assert not evaluate(NUMBER, SubjectKind.NUMBER, rows, until, POLICY).blockable


# -- properties ------------------------------------------------------------------------------

sources = st.sampled_from([EvidenceSource.REPORT, EvidenceSource.IMPORT, EvidenceSource.FINDING])
kinds = st.sampled_from([EvidenceKind.AGAINST, EvidenceKind.LURE, EvidenceKind.SHOWN])
categories = st.sampled_from([c.value for c in Category])


@st.composite
def evidence_rows(draw: st.DrawFn) -> list[Evidence]:
    count = draw(st.integers(min_value=0, max_value=25))
    return [
        row(
            i,
            age_days=draw(st.floats(min_value=0, max_value=400)),
            source=draw(sources),
            kind=draw(kinds),
            category=draw(categories),
            strength=draw(st.floats(min_value=0, max_value=1)),
        )
        for i in range(count)
    ]


@settings(max_examples=200, deadline=None)
@given(evidence_rows(), evidence_rows())
def test_score_is_monotone_in_evidence(base: list[Evidence], extra: list[Evidence]) -> None:
    more = base + [
        Evidence(**{**{f: getattr(e, f) for f in Evidence.__slots__}, "ref": f"x-{e.ref}"})
        for e in extra
    ]
    before = evaluate(NUMBER, SubjectKind.NUMBER, base, NOW, POLICY)
    after = evaluate(NUMBER, SubjectKind.NUMBER, more, NOW, POLICY)
    assert after.score >= before.score
    assert after.level.rank >= before.level.rank


@settings(max_examples=200, deadline=None)
@given(
    evidence_rows(),
    st.floats(min_value=0, max_value=400),
    st.floats(min_value=0, max_value=400),
)
def test_score_decays_monotonically_in_time(rows: list[Evidence], a: float, b: float) -> None:
    early, late = sorted((a, b))
    at_early = evaluate(NUMBER, SubjectKind.NUMBER, rows, NOW + timedelta(days=early), POLICY)
    at_late = evaluate(NUMBER, SubjectKind.NUMBER, rows, NOW + timedelta(days=late), POLICY)
    assert at_late.score <= at_early.score
    assert at_late.level.rank <= at_early.level.rank


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=500), categories)
def test_reports_alone_never_make_an_allowlisted_number_scam(flood: int, category: str) -> None:
    rows = [row(i, category=category) for i in range(flood)]
    rep = evaluate(NUMBER, SubjectKind.NUMBER, rows, NOW, POLICY, allowlisted="Bank X")
    assert rep.level is not Level.SCAM
    assert not rep.blockable
