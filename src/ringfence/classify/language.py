"""Language of a message, among the languages the classifier knows (fr, en, nl, pt, es, de).

Why restricted: py3langid knows 97 languages, and on a 40-character SMS an unrestricted guess often
lands on a neighbour (Galician for Portuguese, Afrikaans for Dutch). The classifier's cues exist
for six languages only, so the guess is made among those six; a text too short or too ambiguous to
tell gets `und` (undetermined), and the cues of every language are then tried.

The identifier is loaded once per process on first use (about 0.5 s here); `LanguageGuesser` can be
built eagerly by services that want the cost at start-up.
"""

from __future__ import annotations

import re
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped,unused-ignore]

LANGUAGES: tuple[str, ...] = ("fr", "en", "nl", "pt", "es", "de")
"""Languages with cues and corpus; the order is the order of the documentation tables."""

UNDETERMINED = "und"
"""ISO 639-2 code for "undetermined", returned when the text does not say."""

REGION_OF_LANGUAGE: dict[str, str] = {
    "fr": "FR",
    "en": "GB",
    "nl": "NL",
    "pt": "PT",
    "es": "ES",
    "de": "DE",
}
"""The country whose national number forms a message in that language most likely uses."""

_MIN_PROBABILITY = 0.5
_MIN_LETTERS = 12
_MAX_CHARS = 240
"""Only the start of a long text is read: 240 characters tell the language as well as 20,000."""
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[\d\W_]+")


class LanguageGuesser:
    """py3langid restricted to `LANGUAGES`, with normalised probabilities."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._identifier.set_languages(list(languages))

    def guess(self, text: str) -> tuple[str, float]:
        """(language, probability); `und` when fewer than 12 letters or probability < 0.5.

        Links, addresses and numbers are removed first: a URL says nothing about the language.
        Only the first 240 remaining characters are read.
        """
        letters = _NOISE.sub(" ", text[: 2 * _MAX_CHARS])[:_MAX_CHARS]
        if sum(map(str.isalpha, letters)) < _MIN_LETTERS:
            return UNDETERMINED, 0.0
        language, probability = self._identifier.classify(letters)
        if probability < _MIN_PROBABILITY:
            return UNDETERMINED, float(probability)
        return str(language), float(probability)


@lru_cache(maxsize=1)
def default_guesser() -> LanguageGuesser:
    """The process-wide guesser (built on first use)."""
    return LanguageGuesser()


def detect_language(text: str) -> str:
    """The language code of `text` (`fr`, `en`, `nl`, `pt`, `es`, `de`) or `und`.

    >>> detect_language("Votre colis est en attente de paiement des frais de douane")
    'fr'
    """
    return default_guesser().guess(text)[0]
