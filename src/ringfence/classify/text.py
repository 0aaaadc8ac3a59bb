"""Text folding shared by the cues, the spelling check and the model features.

Why fold: scam messages drop or mangle accents (`securite`, `cartao`), change case at random
(`URGENT`, `VeRify`) and use typographic apostrophes; folding to lower case without accents lets
one pattern or one n-gram cover all of them. `fold_with_map` also returns, for each folded
character, the index of the original character, so a cue can quote the original words.

>>> fold("Sécurité URGENTE : réglez l’amende")
"securite urgente : reglez l'amende"
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "«": '"', "»": '"'})
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*", re.UNICODE)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lowered = char.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_APOSTROPHES) or lowered


def fold(text: str) -> str:
    """Lower case, accents removed (NFKD), typographic quotes made plain."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the index of the source character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        positions.extend([index] * len(folded))
    return "".join(out), positions


def words(folded: str) -> list[str]:
    """The alphabetic words of a folded text (letters, inner apostrophes and hyphens)."""
    return _WORD.findall(folded)
