"""The corpus in the repository: splits by template, no duplicate across splits, every type in
every required language, the UCI copy intact, and the shipped model small and in sync."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from ringfence.classify.result import TYPES

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "messages.jsonl"
UCI = ROOT / "corpus" / "uci" / "sms-spam-collection.tsv"
MODEL = ROOT / "src" / "ringfence" / "data" / "classify" / "model"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", re.sub(r"\d", "0", text)))


def test_templates_and_clusters_never_straddle_splits(rows: list[dict[str, str]]) -> None:
    splits: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        splits[row["cluster"]].add(row["split"])
        splits[row["group"]].add(row["split"])
    assert all(len(s) == 1 for s in splits.values())


def test_no_duplicate_text_across_splits(rows: list[dict[str, str]]) -> None:
    seen: dict[str, str] = {}
    for row in rows:
        key = normalise(row["text"])
        assert seen.setdefault(key, row["split"]) == row["split"], row["id"]


def test_every_type_in_both_splits_for_the_required_languages(rows: list[dict[str, str]]) -> None:
    present = {(r["lang"], r["type"], r["split"]) for r in rows}
    for lang in ("fr", "en", "nl", "pt"):
        for kind in TYPES:
            assert (lang, kind, "train") in present, (lang, kind)
            assert (lang, kind, "test") in present, (lang, kind)


def test_several_hundred_messages_per_required_language(rows: list[dict[str, str]]) -> None:
    for lang in ("fr", "en", "nl", "pt"):
        assert sum(r["lang"] == lang for r in rows) >= 300


def test_uci_copy_is_complete() -> None:
    lines = UCI.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Label\tSMS"
    labels = [line.split("\t", 1)[0] for line in lines[1:]]
    assert len(labels) == 5574
    assert labels.count("spam") == 747


def test_shipped_model_is_small_and_trained_on_this_corpus() -> None:
    size = sum(p.stat().st_size for p in MODEL.iterdir())
    assert size < 5_000_000
    info = json.loads((MODEL / "model.json").read_text())
    assert info["trained_on"]["corpus_sha256"] == hashlib.sha256(CORPUS.read_bytes()).hexdigest()
