"""Lexical features of a message: word unigrams and bigrams, character n-grams, indicator tokens.

Why these: character n-grams (3 to 5 letters inside words) survive misspellings, missing accents
and the inflections of six languages; word bigrams catch set phrases ("safe account", "compte
sécurisé"); indicator tokens (`i:premium_rate`, `i:shortener`) carry what was validated, not just
what was written. Digits are mapped to `0` so that every amount and number reads alike. The same
function serves training (scripts/train_classifier.py) and inference, so they cannot drift.

Weights are sublinear term frequency (1 + log tf) times the inverse document frequency learned at
training, normalised to unit length (as scikit-learn's TfidfVectorizer with `sublinear_tf`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

_DIGITS = str.maketrans("123456789", "000000000")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_MAX_CHAR_WORD = 24
_CHAR_SIZES = (3, 4, 5)


FAMILIES = ("w:", "b:", "c:", "i:")
"""Prefixes of the feature families in the vocabulary: words, bigrams, characters, indicators."""


def char_grams(word: str) -> list[str]:
    """Character n-grams (3 to 5) of one word padded with spaces; none for very long words."""
    if len(word) > _MAX_CHAR_WORD:
        return []
    padded = " " + word + " "
    length = len(padded)
    grams: list[str] = []
    for size in _CHAR_SIZES:
        if length < size:
            break
        grams += [padded[i : i + size] for i in range(length - size + 1)]
    return grams


@dataclass(frozen=True, slots=True)
class TokenCounts:
    """The words of a message (digits mapped to 0, in order) and its indicator tokens.

    Inference maps words to vocabulary indices through a per-word cache (a word's character
    n-grams never change); training expands them into prefixed feature counts with `prefixed()`.
    """

    words: list[str]
    indicators: list[str]

    def bigrams(self) -> list[str]:
        words = self.words
        return [a + " " + b for a, b in pairwise(words)]

    def prefixed(self) -> Counter[str]:
        """Prefixed feature counts (`w:colis`, `b:votre colis`, `c:col`, `i:url`)."""
        out: Counter[str] = Counter("w:" + w for w in self.words)
        out.update("b:" + b for b in self.bigrams())
        out.update("c:" + g for w in self.words for g in char_grams(w))
        out.update("i:" + t for t in self.indicators)
        return out


def token_counts(folded: str, indicator_tokens: list[str] | None = None) -> TokenCounts:
    """Words and indicator tokens of a folded text (see `ringfence.classify.text.fold`)."""
    return TokenCounts(_TOKEN.findall(folded.translate(_DIGITS)), list(indicator_tokens or ()))


def lexical_tokens(folded: str, indicator_tokens: list[str] | None = None) -> Counter[str]:
    """Prefixed feature counts of a folded text (the training form of `token_counts`)."""
    return token_counts(folded, indicator_tokens).prefixed()
