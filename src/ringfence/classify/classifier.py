"""The classifier: analysis, model and combiner put together into a `Classification`.

Why a class with a process-wide default: loading the language identifier, the cues, the brands and
the model takes about a second; a service builds one `MessageClassifier` at start-up (or uses the
shared `default_classifier()`), and every call after that is pure and fast.

Reasons are built from the combiner: every cue and signal that fired contributes
weight x value to the log-odds of "scam"; contributions are summed per reason code, and the
lexical model's share is the `wording` reason, with the words that weighed most as evidence.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from pathlib import Path

from ringfence.classify.analysis import SIGNALS, Analyser, Analysis, meta_names
from ringfence.classify.cues import CueBook, default_cue_book
from ringfence.classify.indicators import Indicators, extract_indicators
from ringfence.classify.inputs import validate_text
from ringfence.classify.language import LanguageGuesser, default_guesser
from ringfence.classify.model import LexicalModel, ModelError, Scores, load_model
from ringfence.classify.result import (
    LEGITIMATE,
    REASON_WORDS,
    SCAM_TYPES,
    Classification,
    Reason,
)
from ringfence.classify.senders import BrandBook, default_brand_book
from ringfence.settings import validate_country

_MIN_REASON_WEIGHT = 0.05
_SIGNAL_REASON = dict(SIGNALS)


class MessageClassifier:
    """Classifies texts with one loaded model. Thread-safe: `classify` keeps no state."""

    def __init__(
        self,
        model: LexicalModel | None = None,
        *,
        guesser: LanguageGuesser | None = None,
        cue_book: CueBook | None = None,
        brands: BrandBook | None = None,
        model_dir: Path | None = None,
    ) -> None:
        self.cue_book = cue_book or default_cue_book()
        self.model = model or load_model(model_dir)
        expected = meta_names(self.cue_book)
        if self.model.meta_names != expected:
            raise ModelError(
                "the model was trained with other cues or signals than the ones installed "
                f"({len(self.model.meta_names)} vs {len(expected)} combiner inputs); rebuild it "
                "with `make train-classifier`"
            )
        if tuple(self.model.types) != SCAM_TYPES:
            raise ModelError(f"model types {self.model.types} are not {SCAM_TYPES}")
        self.analyser = Analyser(
            guesser or default_guesser(), self.cue_book, brands or default_brand_book()
        )
        self._cue_reason = {cue.name: cue.reason for cue in self.cue_book.cues}

    def classify(self, text: str, *, home_country: str = "BE") -> Classification:
        """Classify one message (raises `ClassificationInputError` on unusable input)."""
        validate_text(text)
        region = validate_country(home_country)
        analysis = self.analyser.analyse(text, region)
        tokens = analysis.counts if analysis.counts is not None else analysis.tokens
        scores = self.model.score(tokens, analysis.meta(self.cue_book))
        return self._verdict(analysis, scores)

    def _verdict(self, analysis: Analysis, scores: Scores) -> Classification:
        p_scam = scores.scam_probability
        type_probabilities = dict(zip(SCAM_TYPES, scores.type_probabilities.tolist(), strict=True))
        is_scam = p_scam >= self.model.threshold
        if is_scam:
            best = max(type_probabilities, key=lambda k: type_probabilities[k])
            kind, confidence = best, p_scam * type_probabilities[best]
        else:
            kind, confidence = LEGITIMATE, 1.0 - p_scam
        return Classification(
            type=kind,
            confidence=float(confidence),
            is_scam=is_scam,
            indicators=analysis.indicators,
            reasons=self._reasons(analysis, scores),
            language=analysis.language,
            cues={hit.name: hit.count for hit in analysis.cues},
            scam_probability=float(p_scam),
            type_probabilities=type_probabilities,
            claimed_senders=analysis.senders.claimed_ids,
        )

    def _reasons(self, analysis: Analysis, scores: Scores) -> list[Reason]:
        weight: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[str]] = defaultdict(list)
        names = self.model.meta_names
        hits = {hit.name: hit for hit in analysis.cues}
        contributions = scores.meta_contributions
        for position in contributions.nonzero()[0].tolist():
            name, contribution = names[position], contributions[position]
            kind, _, key = name.partition(":")
            if kind == "cue" and key in hits:
                code = self._cue_reason.get(key)
                items = hits[key].snippets
            else:
                code = _SIGNAL_REASON.get(key)
                items = analysis.signal_evidence.get(key, [])
            if code is None:
                continue
            weight[code] += float(contribution)
            evidence[code].extend(i for i in items if i not in evidence[code])
        if scores.top_terms:
            weight["wording"] += scores.lexical_contribution
            evidence["wording"] = [term for term, _ in scores.top_terms]
        reasons = [
            Reason(code, REASON_WORDS.get(code, code), evidence[code][:5], w)
            for code, w in weight.items()
            if abs(w) >= _MIN_REASON_WEIGHT
        ]
        return sorted(reasons, key=lambda r: -r.weight)


_DEFAULT: MessageClassifier | None = None
_LOCK = threading.Lock()


def default_classifier() -> MessageClassifier:
    """The shared classifier of this process, loaded on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                _DEFAULT = MessageClassifier()
    return _DEFAULT


def classify_text(text: str, *, home_country: str = "BE") -> Classification:
    """Classify an SMS, e-mail or call transcript with the shipped model.

    Raises `ClassificationInputError` for empty, huge (> MAX_TEXT_CHARS) or binary text.
    """
    return default_classifier().classify(text, home_country=home_country)


def indicators_of(text: str, *, home_country: str = "BE") -> Indicators:
    """Alias of `extract_indicators` kept next to the classifier for discoverability."""
    return extract_indicators(text, home_country=home_country)
