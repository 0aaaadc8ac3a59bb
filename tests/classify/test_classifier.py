"""The classifier end to end: model loaded from the package data, verdict, reasons, JSON, and
properties (never crashes; the combiner only lets cues add evidence in their direction)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ringfence.classify import (
    LEGITIMATE,
    SCAM_TYPES,
    TYPES,
    Classification,
    ClassificationInputError,
    MessageClassifier,
    classify_text,
    default_classifier,
    load_model,
)
from ringfence.classify.analysis import meta_names
from ringfence.classify.cues import default_cue_book
from ringfence.classify.result import REASON_WORDS


def test_model_loads_from_package_data() -> None:
    model = load_model()
    assert model.types == list(SCAM_TYPES)
    assert len(model.vocabulary) > 10_000
    assert model.meta_names == meta_names(default_cue_book())
    assert 0.5 <= model.threshold < 1.0


# Clear-cut messages, written for these tests (not in the corpus).
SCAMS = [
    (
        "fr",
        "BNP Paribas : votre compte est suspendu. Confirmez votre identité sous 24h sur "
        "https://bnp-paribas-verif.top/login sinon il sera clôturé.",
    ),
    (
        "en",
        "Royal Mail: your parcel is held due to an unpaid shipping fee of £1.45. Pay now at "
        "royalmail-redeliver.info/pay or it will be returned.",
    ),
    (
        "nl",
        "ING: uw betaalpas wordt vandaag geblokkeerd. Bevestig direct uw gegevens via "
        "https://ing-pasvervanging.com/nl om blokkering te voorkomen.",
    ),
    (
        "pt",
        "CTT: a sua encomenda está retida. Pague a taxa de 1,99 EUR em "
        "https://ctt-entregas-pt.online/pagar para receber o envio.",
    ),
    (
        "en",
        "This is officer Daniels from the fraud squad. Your bank account is compromised, "
        "move your savings to the safe account we opened for you and tell no one.",
    ),
]
LEGITIMATE_MESSAGES = [
    (
        "en",
        "Your verification code is 482913. Never share this code with anyone, we will never "
        "ask for it.",
    ),
    (
        "fr",
        "Rappel : rendez-vous chez le dentiste jeudi à 14h30. En cas d'empêchement merci de "
        "prévenir le cabinet.",
    ),
    ("nl", "Hoi! Zin om zaterdag samen te eten? Ik kan om zeven uur bij jou zijn."),
    ("pt", "Olá, o jantar de sábado está confirmado, levo a sobremesa. Até lá!"),
]


@pytest.mark.parametrize(("language", "text"), SCAMS)
def test_clear_scams_are_flagged_with_reasons(language: str, text: str) -> None:
    result = classify_text(text)
    assert result.is_scam
    assert result.type in SCAM_TYPES
    assert result.language == language
    assert any(r.weight > 0 for r in result.reasons)


@pytest.mark.parametrize(("language", "text"), LEGITIMATE_MESSAGES)
def test_clear_legitimate_messages_pass(language: str, text: str) -> None:
    result = classify_text(text)
    assert not result.is_scam
    assert result.type == LEGITIMATE
    assert result.language == language


def test_confidence_is_the_probability_of_the_returned_type() -> None:
    result = classify_text(SCAMS[1][1])
    expected = result.scam_probability * result.type_probabilities[result.type]
    assert math.isclose(result.confidence, expected, rel_tol=1e-6)
    assert math.isclose(sum(result.type_probabilities.values()), 1.0, rel_tol=1e-4)
    legit = classify_text(LEGITIMATE_MESSAGES[0][1])
    assert math.isclose(legit.confidence, 1 - legit.scam_probability, rel_tol=1e-6)


def test_reasons_quote_the_message_and_use_known_codes() -> None:
    text = SCAMS[0][1]
    result = classify_text(text)
    assert {r.code for r in result.reasons} <= set(REASON_WORDS)
    assert result.reasons == sorted(result.reasons, key=lambda r: -r.weight)
    mismatch = next(r for r in result.reasons if r.code == "sender_link_mismatch")
    assert "bnp-paribas-verif.top" in mismatch.evidence
    assert result.claimed_senders == ["bnp_paribas"]
    assert result.cues["URGENCY"] >= 1


def test_to_dict_is_json_ready() -> None:
    result = classify_text(SCAMS[3][1])
    data = json.loads(json.dumps(result.to_dict()))
    assert data["type"] == result.type
    assert set(data) >= {
        "type",
        "confidence",
        "is_scam",
        "indicators",
        "reasons",
        "language",
        "cues",
    }
    assert data["indicators"]["amounts"][0]["currency"] == "EUR"


def test_home_country_reads_national_numbers() -> None:
    text = "Rappelez d'urgence le 0899 23 45 67 pour votre colis"
    be = classify_text(text, home_country="BE")
    fr = classify_text(text, home_country="FR")
    assert [p.e164 for p in fr.indicators.phones] == ["+33899234567"]
    assert be.language == fr.language == "fr"


def test_a_bad_home_country_is_refused() -> None:
    with pytest.raises(ValueError, match="country"):
        classify_text("hello there, how are you", home_country="XX")


def test_the_shared_classifier_is_loaded_once() -> None:
    assert default_classifier() is default_classifier()


def test_combiner_weights_keep_their_sign() -> None:
    """Scam cues and scam signals may only add evidence for scam; reassurance only against."""
    model = default_classifier().model
    weights = dict(zip(model.meta_names, model.meta_bin[1:], strict=True))
    assert model.meta_bin[0] >= 0
    for name, weight in weights.items():
        if name in ("cue:REASSURANCE", "sig:official_link"):
            assert weight <= 0, name
        elif name.startswith("cue:"):
            assert weight >= 0, name


def test_more_cues_never_lower_the_scam_probability() -> None:
    classifier = default_classifier()
    analysis = classifier.analyser.analyse("Please pay the fee today", "BE")
    meta = analysis.meta(classifier.cue_book)
    base = classifier.model.score(analysis.tokens, meta).scam_probability
    for index, name in enumerate(classifier.model.meta_names):
        if name.startswith("cue:") and name != "cue:REASSURANCE":
            more = list(meta)
            more[index] += 1.0
            assert classifier.model.score(analysis.tokens, more).scam_probability >= base - 1e-9


def test_a_classifier_refuses_a_model_trained_with_other_cues() -> None:
    model = load_model()
    model.meta_names = [*model.meta_names[:-1], "sig:something_else"]
    with pytest.raises(Exception, match="rebuild"):
        MessageClassifier(model)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=300))
def test_classification_never_crashes(text: str) -> None:
    try:
        result = classify_text(text)
    except ClassificationInputError:
        return
    assert isinstance(result, Classification)
    assert result.type in TYPES
    assert 0.0 <= result.confidence <= 1.0
    assert 0.0 <= result.scam_probability <= 1.0
    json.dumps(result.to_dict())
