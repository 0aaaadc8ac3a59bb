"""The trained lexical model and combiner, as numpy arrays: loading and scoring.

Why numpy only: the model is trained with scikit-learn (`make train-classifier`), but inference
is a few dot products, so the package ships plain arrays (`data/classify/model/`) and needs neither
scikit-learn nor a download at run time. Loading takes a fraction of a second.

Stages (see docs/classify.md):
1. lexical: tf-idf features -> a binary logistic regression (scam vs legitimate, margin `m`) and a
   multinomial one over the scam types (log-probabilities `t`);
2. combiner: a logistic regression on [m, cues, signals] gives the calibrated P(scam); a multinomial
   one on [t, cues, signals] gives P(type | scam). Both were fitted on out-of-fold predictions, so
   their probabilities are calibrated on text the lexical stage had not seen.
"""

from __future__ import annotations

import gzip
import io
import json
import math
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ringfence.classify.features import FAMILIES, TokenCounts, char_grams

FloatArray = npt.NDArray[np.float32]
MODEL_PACKAGE_DIR = "classify/model"
FORMAT_VERSION = 1
_WORD_CACHE_SIZE = 200_000


class ModelError(RuntimeError):
    """The model files are missing or inconsistent; the message says how to rebuild them."""


@dataclass(frozen=True)
class Scores:
    """Raw outputs for one message, before the classifier turns them into a verdict."""

    scam_probability: float
    type_probabilities: FloatArray
    lexical_margin: float
    meta_contributions: FloatArray
    lexical_contribution: float
    top_terms: list[tuple[str, float]]


class LexicalModel:
    """Arrays of a trained model; build with `load_model()`."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        arrays: dict[str, FloatArray],
        info: dict[str, Any],
    ) -> None:
        self.vocabulary = vocabulary
        self.info = info
        self.types: list[str] = list(info["types"])
        self.meta_names: list[str] = list(info["meta_names"])
        self.idf = arrays["idf"]
        self.w_bin = arrays["w_bin"]
        self.b_bin = float(arrays["b_bin"][0])
        self.w_type = arrays["w_type"]
        self.b_type = arrays["b_type"]
        self.meta_bin = arrays["meta_bin"]
        self.meta_bin_b = float(arrays["meta_bin_b"][0])
        self.meta_type = arrays["meta_type"]
        self.meta_type_b = arrays["meta_type_b"]
        self.threshold = float(info.get("threshold", 0.5))
        # Binary and type weights side by side: one gather and one product per message.
        self._w_all = np.ascontiguousarray(np.column_stack([self.w_bin, self.w_type]))
        self._b_all = np.concatenate([[self.b_bin], self.b_type]).astype(np.float32)
        vocab_size = len(vocabulary)
        checks = {
            "idf": self.idf.shape == (vocab_size,),
            "w_bin": self.w_bin.shape == (vocab_size,),
            "w_type": self.w_type.shape == (vocab_size, len(self.types)),
            "meta_bin": self.meta_bin.shape == (1 + len(self.meta_names),),
            "meta_type": self.meta_type.shape
            == (len(self.types) + len(self.meta_names), len(self.types)),
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise ModelError(
                f"model arrays {bad} do not match the vocabulary ({vocab_size}) or the "
                "combiner inputs; rebuild with `make train-classifier`"
            )
        # Words and word pairs that can be quoted as evidence (not bare digits or stubs).
        self._word_cache: dict[str, list[int]] = {}
        self._by_family: dict[str, dict[str, int]] = {prefix: {} for prefix in FAMILIES}
        for term, index in vocabulary.items():
            family = self._by_family.get(term[:2])
            if family is not None:
                family[term[2:]] = index
        self._terms = {
            i: t
            for t, i in vocabulary.items()
            if t.startswith(("w:", "b:")) and sum(c.isalpha() for c in t[2:]) >= 3
        }

    def vectorise(
        self, tokens: TokenCounts | Counter[str]
    ) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """Indices and unit-length tf-idf values of the known tokens."""
        if isinstance(tokens, TokenCounts):
            return self._vectorise_words(tokens)
        get = self.vocabulary.get
        pairs = [(i, c) for t, c in tokens.items() if (i := get(t)) is not None]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        index = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        counts = np.fromiter((p[1] for p in pairs), dtype=np.float32, count=len(pairs))
        return self._weigh(index, counts)

    def _word_indices(self, word: str) -> list[int]:
        """Vocabulary indices of a word's own features (the word, its character n-grams)."""
        found = self._word_cache.get(word)
        if found is None:
            words, grams = self._by_family["w:"], self._by_family["c:"]
            found = [i for g in char_grams(word) if (i := grams.get(g)) is not None]
            if (i := words.get(word)) is not None:
                found.append(i)
            if len(self._word_cache) >= _WORD_CACHE_SIZE:
                self._word_cache.clear()
            self._word_cache[word] = found
        return found

    def _vectorise_words(self, tokens: TokenCounts) -> tuple[npt.NDArray[np.int64], FloatArray]:
        found: list[int] = []
        for word in tokens.words:
            found += self._word_indices(word)
        bigrams, indicators = self._by_family["b:"], self._by_family["i:"]
        words = tokens.words
        for a, b in pairwise(words):
            if (i := bigrams.get(a + " " + b)) is not None:
                found.append(i)
        for token in tokens.indicators:
            if (i := indicators.get(token)) is not None:
                found.append(i)
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        tally = Counter(found)
        index = np.fromiter(tally.keys(), dtype=np.int64, count=len(tally))
        counts = np.fromiter(tally.values(), dtype=np.float32, count=len(tally))
        return self._weigh(index, counts)

    def _weigh(
        self, index: npt.NDArray[np.int64], counts: FloatArray
    ) -> tuple[npt.NDArray[np.int64], FloatArray]:
        values = (1.0 + np.log(counts)) * self.idf[index]
        norm = float(np.sqrt(np.dot(values, values)))
        return index, (values / norm if norm else values).astype(np.float32)

    def score(self, tokens: TokenCounts | Counter[str], meta: list[float]) -> Scores:
        """Calibrated P(scam), P(type | scam) and the parts that explain them."""
        index, values = self.vectorise(tokens)
        rows = self._w_all[index]
        outputs = values @ rows + self._b_all
        margin = float(outputs[0])
        type_logits = outputs[1:]
        type_log_probs = type_logits - _logsumexp(type_logits)
        meta_vec = np.asarray(meta, dtype=np.float32)
        contributions = self.meta_bin[1:] * meta_vec
        lexical_part = float(self.meta_bin[0]) * margin
        z = lexical_part + float(contributions.sum()) + self.meta_bin_b
        scam_probability = 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
        type_in = np.concatenate([type_log_probs.astype(np.float32), meta_vec])
        type_z = type_in @ self.meta_type + self.meta_type_b
        type_probabilities = np.exp(type_z - _logsumexp(type_z)).astype(np.float32)
        term_weights = values * rows[:, 0]
        if len(term_weights) > 12:
            top = np.argpartition(-term_weights, 12)[:12]
            top = top[np.argsort(-term_weights[top])]
        else:
            top = np.argsort(-term_weights)
        terms = []
        for k in top.tolist():
            weight = float(term_weights[k])
            term = self._terms.get(int(index[k]))
            if weight > 0 and term is not None:
                terms.append((term[2:], weight))
                if len(terms) == 5:
                    break
        return Scores(
            scam_probability, type_probabilities, margin, contributions, lexical_part, terms
        )


def _logsumexp(values: FloatArray) -> float:
    top = float(values.max())
    return top + math.log(float(np.exp(values - top).sum()))


def _read(folder: Traversable | Path, name: str) -> bytes:
    item = folder / name
    if not item.is_file():
        raise ModelError(
            f"model file {name} is missing in {folder}; build the model with "
            "`make train-classifier` (or reinstall ringfence)"
        )
    return item.read_bytes()


def read_model_info(
    folder: Path | None, package_dir: str, version: int, what: str
) -> tuple[Traversable | Path, dict[str, Any]]:
    """The folder of a trained model (`folder`, or the one shipped in the package) and its
    `model.json`, checked to be of the `version` this code reads."""
    base: Traversable | Path = (
        folder if folder is not None else resources.files("ringfence.data") / package_dir
    )
    info: dict[str, Any] = json.loads(_read(base, "model.json"))
    if info.get("format") != version:
        raise ModelError(
            f"{what} format {info.get('format')} is not {version}; rebuild with "
            "`make train-classifier`"
        )
    return base, info


def load_model(folder: Path | None = None) -> LexicalModel:
    """Load the model shipped in the package (or from `folder`, as written by the trainer)."""
    base, info = read_model_info(folder, MODEL_PACKAGE_DIR, FORMAT_VERSION, "model")
    words = gzip.decompress(_read(base, "vocabulary.txt.gz")).decode("utf-8").split("\n")
    vocabulary = {w: i for i, w in enumerate(words[: int(info["vocabulary_size"])])}
    with np.load(io.BytesIO(_read(base, "weights.npz"))) as data:
        arrays = {name: np.asarray(data[name], dtype=np.float32) for name in data.files}
    return LexicalModel(vocabulary, arrays, info)
