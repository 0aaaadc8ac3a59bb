"""Spelling-error density: the share of a message's words that look misspelt or disguised.

Why: smishing is often written by non-natives or deliberately mangled to slip past filters
(`acc0unt`, `PayPa1`, Cyrillic letters inside Latin words, `veuiller`, `adress`). A high density
is a weak cue on its own (friends' messages are informal too), so it is one input of the combiner
whose weight is learned, and a reason only when it pushes towards "scam".

A word counts as an error when it is
- disguised: a digit standing for a letter inside a word (`acc0unt`, `b4nk`), or letters of two
  scripts mixed (Latin with Cyrillic or Greek look-alikes);
- or, in a language with a lexicon, absent from it after folding (lower case, no accents, so a
  missing accent is not an error), at least 4 letters long, not capitalised in mid-sentence (names)
  and not a brand or slug known to `data/classify/brands.json`. Capitalised words (names, brands,
  sentence starts) are not checked: a cheap rule that keeps names out of the count.
Lexicons: `data/classify/lexicon/<lang>.txt.gz`, built by `scripts/build_lexicons.py`.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ringfence.classify.text import fold

_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_HOMOGLYPH = re.compile(r"^[a-z]+[013457@$][a-z]+[a-z0-9]*$|^[a-z]{3,}[0135]$", re.IGNORECASE)
_MIN_LETTERS = 4


@dataclass(frozen=True, slots=True)
class SpellingReport:
    """How many words were checked, which looked wrong, and their share."""

    checked: int
    errors: list[str] = field(default_factory=list)

    @property
    def density(self) -> float:
        return len(self.errors) / self.checked if self.checked else 0.0


@lru_cache(maxsize=8)
def lexicon(language: str) -> frozenset[str]:
    """The folded lexicon of `language`, or an empty set when none is shipped."""
    path = resources.files("ringfence.data").joinpath(f"classify/lexicon/{language}.txt.gz")
    if not path.is_file():
        return frozenset()
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _mixed_scripts(word: str) -> bool:
    """True when letters of two scripts meet in one word (Latin with Cyrillic or Greek...)."""
    if word.isascii():
        return False
    names = set()
    for char in word:
        if char.isalpha():
            names.add("LATIN" if char.isascii() else unicodedata.name(char, "").split(" ", 1)[0])
    return len(names) > 1


def check_spelling(text: str, language: str, known: frozenset[str] = frozenset()) -> SpellingReport:
    """Spelling report of `text` read as `language` (`und`: only disguised words are counted).

    `known` holds extra folded words that are never errors (brand names, slugs).
    """
    words = lexicon(language) if language != "und" else frozenset()
    checked = 0
    errors: list[str] = []
    for token in _TOKEN.findall(text):
        if token.isalpha():
            if len(token) < 3:
                continue
            checked += 1
            if not token.isascii() and _mixed_scripts(token):
                errors.append(token)
                continue
            # Capitalised words are names, brands or sentence starts: not checked.
            if not words or len(token) < _MIN_LETTERS or token[0].isupper():
                continue
            folded = fold(token)
            if folded in words or folded in known:
                continue
            errors.append(token)
            continue
        if sum(c.isalpha() for c in token) < 3:
            continue
        checked += 1
        if any(c.isdigit() for c in token):
            if _HOMOGLYPH.match(token) and not token.lower().endswith(("st", "nd", "rd", "th")):
                errors.append(token)
            continue
        if _mixed_scripts(token):
            errors.append(token)
            continue
        if not words or token[0].isupper():
            continue
        parts = re.split(r"['-]", fold(token))
        if not all(p in words or p in known or len(p) < 3 for p in parts):
            errors.append(token)
    return SpellingReport(checked, errors)
