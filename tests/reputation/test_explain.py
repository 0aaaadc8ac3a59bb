"""Reasons and advice in words: every code in every language, and language negotiation."""

from __future__ import annotations

import string

import pytest

from ringfence.reputation.explain import (
    LANGUAGES,
    advice_codes,
    messages,
    pick_language,
    render,
)
from ringfence.reputation.model import Category, Level, Reason, State, Verdict

REASON_CODES = {
    "emergency", "allowlisted", "allowlisted_reported", "decision", "spoofed", "shown",
    "reports", "imported", "finding", "lure", "range_numbers", "range", "few_reports", "no_data",
}  # fmt: skip
ADVICE_CODES = {
    "never_call_back", "owner_innocent", "hang_up_call_official", "no_codes", "report_it",
    "safe_official", "emergency_ok",
}  # fmt: skip


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_entry_has_every_language_with_the_same_placeholders() -> None:
    catalogue = messages()
    assert set(catalogue["reasons"]) == REASON_CODES
    assert set(catalogue["advice"]) == ADVICE_CODES
    assert set(catalogue["categories"]) == {c.value for c in Category}
    assert set(catalogue["levels"]) == {lvl.value for lvl in Level}
    assert set(catalogue["states"]) == {s.value for s in State}
    assert set(catalogue["verdicts"]) == {v.value for v in Verdict}
    for section in catalogue.values():
        for code, entry in section.items():
            assert set(entry) == set(LANGUAGES), code
            assert len({frozenset(placeholders(t)) for t in entry.values()}) == 1, code
            assert all(t.strip() for t in entry.values()), code


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("", "en"),
        ("fr-BE,fr;q=0.9,en;q=0.8", "fr"),
        ("de-DE,de;q=0.9,nl;q=0.5", "nl"),
        ("en;q=0.2, pt-PT;q=0.9", "pt"),
        ("de, ja", "en"),
        ("*", "en"),
        ("fr;q=abc, nl", "nl"),
        ("pt;q=0", "en"),
    ],
)
def test_language_negotiation(header: str | None, expected: str) -> None:
    assert pick_language(header) == expected


def test_rendering_fills_words_in_the_language() -> None:
    reason = Reason("decision", {"verdict": "scam", "date": "2026-03-01", "note": ""})
    assert (
        render(reason, "nl")
        == "Een moderator markeerde het als een oplichtersnummer op 2026-03-01."
    )
    assert "appels silencieux" in render(
        Reason("reports", {"count": 4, "reporters": 4, "category": "silent_call"}), "fr"
    )


def test_spoofed_numbers_get_the_innocent_owner_advice() -> None:
    codes = advice_codes(
        Level.SCAM,
        categories={"bank_impersonation"},
        spoofed=True,
        shown=True,
        allowlisted=False,
        never_block=False,
    )
    assert codes[:2] == ["owner_innocent", "never_call_back"]
    assert "no_codes" in codes
    assert len(codes) == len(set(codes))
    assert advice_codes(
        Level.SAFE,
        categories=set(),
        spoofed=False,
        shown=False,
        allowlisted=False,
        never_block=True,
    ) == ["emergency_ok"]
