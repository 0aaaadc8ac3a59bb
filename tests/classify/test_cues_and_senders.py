"""Cues (named patterns per language), claimed senders and their links, spelling, language,
and the report-category suggestion."""

from __future__ import annotations

import pytest

from ringfence.classify import Classification, Indicators, suggest_report_category
from ringfence.classify.categories import REPORT_CATEGORIES
from ringfence.classify.cues import CueBook, CueBookError, default_cue_book
from ringfence.classify.language import LANGUAGES, default_guesser
from ringfence.classify.result import REASON_WORDS, SCAM_TYPES, TYPES
from ringfence.classify.senders import default_brand_book
from ringfence.classify.spelling import check_spelling, lexicon
from ringfence.classify.text import fold, fold_with_map


def hits(text: str, language: str) -> dict[str, int]:
    folded, positions = fold_with_map(text)
    return {h.name: h.count for h in default_cue_book().find(folded, positions, text, language)}


def test_every_cue_speaks_the_required_languages_and_a_known_reason() -> None:
    for cue in default_cue_book().cues:
        assert cue.reason in REASON_WORDS, cue.name
        languages = set(cue.patterns)
        assert {"fr", "en", "nl", "pt"} <= languages or "any" in languages, cue.name


@pytest.mark.parametrize(
    ("text", "language", "cue"),
    [
        (
            "Transférez votre épargne sur un compte sécurisé, n'en parlez à personne",
            "fr",
            "SAFE_ACCOUNT",
        ),
        (
            "Transférez votre épargne sur un compte sécurisé, n'en parlez à personne",
            "fr",
            "SECRECY",
        ),
        ("Please go to anydesk dot com and read me the code", "en", "REMOTE_ACCESS"),
        ("Please go to anydesk dot com and read me the code", "en", "CREDENTIALS"),
        ("Uw pakket wacht, betaal de verzendkosten", "nl", "PARCEL_FEE"),
        ("Convocatória: é acusado de pornografia infantil", "pt", "ACCUSATION"),
        ("URGENTE: responda em 24 horas", "pt", "URGENCY"),
        ("Nunca o partilhe com ninguém", "pt", "REASSURANCE"),
    ],
)
def test_cues_fire_on_their_words(text: str, language: str, cue: str) -> None:
    assert hits(text, language).get(cue, 0) >= 1


def test_cue_snippets_quote_the_original_accented_words() -> None:
    text = "Réglez IMMÉDIATEMENT l’amende"
    folded, positions = fold_with_map(text)
    urgency = next(
        h for h in default_cue_book().find(folded, positions, text, "fr") if h.name == "URGENCY"
    )
    assert urgency.snippets == ["IMMÉDIATEMENT"]


def test_undetermined_language_tries_every_language() -> None:
    assert "SAFE_ACCOUNT" in hits("veilige rekening", "und")


def test_a_bad_pattern_is_reported_with_its_cue() -> None:
    with pytest.raises(CueBookError, match="BROKEN"):
        CueBook({"cues": [{"name": "BROKEN", "reason": "urgency", "patterns": {"en": ["("]}}]})
    with pytest.raises(CueBookError, match="unknown languages"):
        CueBook({"cues": [{"name": "X", "reason": "urgency", "patterns": {"xx": ["a"]}}]})


def test_claimed_sender_with_a_lookalike_link() -> None:
    book = default_brand_book()
    check = book.check("ING: uw pas is geblokkeerd", ["ing-verificatie.com"], [])
    assert check.claimed_ids == ["ing"]
    assert check.mismatched == ["ing-verificatie.com"]
    assert check.lookalikes == ["ing-verificatie.com"]
    assert check.official == []


def test_claimed_sender_with_its_official_link() -> None:
    check = default_brand_book().check("bpost: votre colis arrive", ["track.bpost.cloud"], [])
    assert check.official == ["track.bpost.cloud"]
    assert check.mismatched == []


def test_short_common_words_are_not_brands() -> None:
    # "nos" (Portuguese "we") and "orange" (the fruit) are not the operators NOS and Orange.
    assert default_brand_book().claimed("nos vemos amanhã, traz uma orange") == []
    assert [b.id for b in default_brand_book().claimed("Fatura NOS disponível")] == ["nos"]


def test_freemail_sender_for_an_organisation_is_a_mismatch() -> None:
    check = default_brand_book().check("Belfius: contactez-nous", [], ["gmail.com"])
    assert check.mismatched == ["gmail.com"]


def test_spelling_counts_disguised_and_unknown_words() -> None:
    report = check_spelling("Your PayPa1 acc0unt has been limited, verify the adress", "en")
    assert set(report.errors) == {"PayPa1", "acc0unt", "adress"}
    assert check_spelling("Your account has been limited today", "en").errors == []
    assert report.density > 0.2


def test_spelling_ignores_missing_accents_and_names() -> None:
    assert check_spelling("Votre securite est importante, Mme Dubois", "fr").errors == []


def test_lexicons_are_shipped_for_every_language() -> None:
    for language in LANGUAGES:
        assert len(lexicon(language)) > 40_000
    assert lexicon("xx") == frozenset()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Votre colis est en attente de livraison, merci de confirmer", "fr"),
        ("Your parcel is waiting for delivery, please confirm", "en"),
        ("Uw pakket wacht op bezorging, bevestig alstublieft", "nl"),
        ("A sua encomenda aguarda entrega, por favor confirme", "pt"),
        ("Su paquete está pendiente de entrega, por favor confirme", "es"),
        ("Ihr Paket wartet auf die Zustellung, bitte bestätigen", "de"),
        ("ok", "und"),
        ("https://bit.ly/3xYz 0470123456", "und"),
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert default_guesser().guess(text)[0] == language


def test_fold() -> None:
    assert fold("Sécurité URGENTE : réglez l’amende") == "securite urgente : reglez l'amende"


def _classification(kind: str, claimed: list[str], scam: bool = True) -> Classification:
    return Classification(kind, 0.9, scam, Indicators(), [], "fr", {}, claimed_senders=claimed)


@pytest.mark.parametrize(
    ("kind", "claimed", "category"),
    [
        ("bank_impersonation", [], "bank_impersonation"),
        ("police_impersonation", [], "police_impersonation"),
        ("fake_convocation", [], "fake_convocation"),
        ("crypto_recovery", [], "crypto_scam"),
        ("premium_callback", [], "premium_callback"),
        ("other_scam", ["proximus"], "operator_impersonation"),
        ("tech_support", ["orange"], "operator_impersonation"),
        ("delivery_fee", ["bpost"], "other"),
    ],
)
def test_report_category(kind: str, claimed: list[str], category: str) -> None:
    assert suggest_report_category(_classification(kind, claimed)) == category


def test_every_type_maps_to_a_report_category() -> None:
    for kind in TYPES:
        scam = kind in SCAM_TYPES
        assert suggest_report_category(_classification(kind, [], scam)) in REPORT_CATEGORIES
