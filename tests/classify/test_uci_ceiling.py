"""scripts/uci_ceiling.py, whose figures back the UCI section of docs/classify.md: its F1 and
"best F1 at any threshold" are computed as documented, and no model sees its own test fold."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture(scope="module")
def ceiling() -> Any:
    sys.path.insert(0, str(SCRIPTS))
    try:
        import uci_ceiling

        yield uci_ceiling
    finally:
        sys.path.remove(str(SCRIPTS))


def test_f1_at_the_threshold_and_the_best_of_any_threshold(ceiling: Any) -> None:
    labels = np.array([1, 1, 0, 0])
    scores = np.array([2.0, -1.0, -2.0, 0.5])
    summary = ceiling.scores_summary(scores, labels, 0.0)
    # At 0: one spam caught, one missed, one legitimate flagged: F1 = 2 / (2 + 1 + 1).
    assert summary == {
        "f1": 0.5,
        "false_positives": 1,
        "false_negatives": 1,
        # At -1: both spam caught, one legitimate flagged: F1 = 4 / 5.
        "best_f1_any_threshold": 0.8,
    }


def test_out_of_fold_scores_come_from_models_that_never_saw_the_message(ceiling: Any) -> None:
    labels = np.array([0, 1] * 10)
    folds = ceiling.folds_of(labels)
    assert sorted(np.concatenate([test for _, test in folds]).tolist()) == list(range(20))

    class Remembering:
        """Scores 1 for a message it was trained on, 0 otherwise."""

        def fit(self, x: np.ndarray, y: np.ndarray) -> Remembering:
            self.seen = set(x.tolist())
            return self

        def decision_function(self, x: np.ndarray) -> np.ndarray:
            return np.array([1.0 if row in self.seen else 0.0 for row in x.tolist()])

    rows = np.arange(20)
    scores = ceiling.out_of_fold(
        folds, labels, lambda train, test: (rows[train], rows[test]), Remembering
    )
    assert scores.tolist() == [0.0] * 20
