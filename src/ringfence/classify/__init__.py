"""Scam message classifier: type, calibrated confidence, indicators and reasons.

    >>> from ringfence.classify import classify_text
    >>> result = classify_text("bpost: votre colis est bloqué, payez 1,99 € sur bpost-colis.info")
    >>> result.is_scam, result.type
    (True, 'delivery_fee')

See docs/classify.md for the model, the corpus and the measured figures.
"""

from ringfence.classify.categories import REPORT_CATEGORIES, suggest_report_category
from ringfence.classify.classifier import MessageClassifier, classify_text, default_classifier
from ringfence.classify.embedding import (
    EmbeddingStage,
    EmbeddingUnavailableError,
    load_embedding_stage,
)
from ringfence.classify.indicators import (
    IbanIndicator,
    Indicators,
    PhoneIndicator,
    extract_indicators,
)
from ringfence.classify.inputs import MAX_TEXT_CHARS, ClassificationInputError
from ringfence.classify.language import LANGUAGES, detect_language
from ringfence.classify.model import ModelError, load_model
from ringfence.classify.result import LEGITIMATE, SCAM_TYPES, TYPES, Classification, Reason
from ringfence.classify.wallets import Wallet

__all__ = [
    "LANGUAGES",
    "LEGITIMATE",
    "MAX_TEXT_CHARS",
    "REPORT_CATEGORIES",
    "SCAM_TYPES",
    "TYPES",
    "Classification",
    "ClassificationInputError",
    "EmbeddingStage",
    "EmbeddingUnavailableError",
    "IbanIndicator",
    "Indicators",
    "MessageClassifier",
    "ModelError",
    "PhoneIndicator",
    "Reason",
    "Wallet",
    "classify_text",
    "default_classifier",
    "detect_language",
    "extract_indicators",
    "load_embedding_stage",
    "load_model",
    "suggest_report_category",
]
