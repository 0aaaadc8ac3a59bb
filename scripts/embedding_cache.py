"""e5 embeddings of the training and evaluation messages, computed once and cached outside the repo.

Why a cache: multilingual-e5-small runs at about 25 to 40 messages per second on one core, so the
8,000 messages of the corpus, the UCI collection and the blind sets take minutes; training and
every evaluation re-use the same vectors. The cache lives in `$RINGFENCE_E5_CACHE` (default
`/tmp/ringfence-e5-cache`), never in the repository; it is keyed by the exact text that the
package's embedding stage feeds to the model (`ringfence.classify.embedding.embedding_input`), so
a change there invalidates it.

Run on its own to fill the cache (resumable; saves every 256 messages):
    OMP_NUM_THREADS=1 .venv/bin/python scripts/embedding_cache.py
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ringfence.classify.embedding import (  # noqa: E402
    E5Embedder,
    embedding_input,
)

CACHE = Path(os.environ.get("RINGFENCE_E5_CACHE", "/tmp/ringfence-e5-cache"))
_SAVE_EVERY = 256


def _key(text: str) -> str:
    return hashlib.sha1(embedding_input(text).encode("utf-8")).hexdigest()


class CachedEmbedder:
    """An embedder that reads vectors from the cache and computes (and stores) missing ones."""

    def __init__(self, cache: Path = CACHE) -> None:
        self.cache = cache
        self.cache.mkdir(parents=True, exist_ok=True)
        self.vectors: dict[str, np.ndarray] = {}
        for shard in sorted(self.cache.glob("shard-*.npz")):
            with np.load(shard) as data:
                for key, vector in zip(data["keys"].tolist(), data["vectors"], strict=True):
                    self.vectors[key] = vector
        self._model: E5Embedder | None = None
        self._pending: dict[str, np.ndarray] = {}

    def _e5(self) -> E5Embedder:
        if self._model is None:
            self._model = E5Embedder()
        return self._model

    def embed(self, text: str) -> np.ndarray:
        key = _key(text)
        found = self.vectors.get(key)
        if found is None:
            found = self._e5().embed(text)
            self.vectors[key] = found
            self._pending[key] = found
            if len(self._pending) >= _SAVE_EVERY:
                self.flush()
        return found

    def embed_many(self, texts: Iterable[str], label: str = "") -> np.ndarray:
        texts = list(texts)
        missing = len({_key(t) for t in texts} - set(self.vectors))
        if missing:
            print(f"  e5: embedding {missing} new messages {label}(cache {self.cache})", flush=True)
        started = time.time()
        out = []
        for i, text in enumerate(texts):
            out.append(self.embed(text))
            if missing and (i + 1) % 1000 == 0:
                print(f"  e5: {i + 1}/{len(texts)} ({time.time() - started:.0f} s)", flush=True)
        self.flush()
        return np.vstack(out) if out else np.zeros((0, 384), dtype=np.float32)

    def flush(self) -> None:
        if not self._pending:
            return
        keys = sorted(self._pending)
        name = f"shard-{time.time_ns()}.npz"
        tmp = self.cache / (name + ".tmp")
        with tmp.open("wb") as handle:
            np.savez(
                handle,
                keys=np.array(keys),
                vectors=np.vstack([self._pending[k] for k in keys]).astype(np.float32),
            )
        tmp.rename(self.cache / name)
        self._pending.clear()


def all_texts() -> list[str]:
    """Every message that training and evaluation embed: corpus, UCI, blind sets."""
    texts = [
        json.loads(line)["text"]
        for line in (ROOT / "corpus" / "messages.jsonl").read_text("utf-8").splitlines()
    ]
    lines = (ROOT / "corpus" / "uci" / "sms-spam-collection.tsv").read_text("utf-8").splitlines()
    texts += [line.split("\t", 1)[1] for line in lines[1:] if "\t" in line]
    for name in ("blind.txt", "blind2.txt"):
        for line in (ROOT / "corpus" / "blind" / name).read_text("utf-8").splitlines():
            if line.strip() and not line.startswith(("#", "@")):
                texts.append(line.strip())
    return [t for t in texts if t.strip()]


def main() -> None:
    embedder = CachedEmbedder()
    texts = all_texts()
    embedder.embed_many(texts, "(corpus, UCI, blind) ")
    print(f"cache holds {len(embedder.vectors)} vectors in {embedder.cache}")


if __name__ == "__main__":
    main()
