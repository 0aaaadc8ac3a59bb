"""Call-level precision and recall of an analysis against the simulator's ground truth.

Each finding kind answers for one planted campaign kind (`CAMPAIGN_OF`). For a campaign kind K,
the predicted calls are those flagged by findings that answer for K; precision is the share of
them that truly belong to K, recall the share of K's calls that were flagged. Findings that
answer for no campaign kind (spoofing signals such as attestation C) are reported apart, with
the share of their calls that belong to any campaign. A finding is "false" when fewer than half
of its calls belong to any planted campaign.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ringfence.domain.findings import Finding

CAMPAIGN_OF: dict[tuple[str, str], str] = {
    ("silent_calls", "number_validation"): "silent_calls",
    ("callback_storm", "spoofed_number_owner"): "silent_calls_callback",
    ("wangiri", "one_ring_range"): "wangiri",
    ("wangiri", "callback"): "wangiri_callback",
    ("spoofed_cli", "do_not_originate"): "cli_spoofing",
    ("spoofed_cli", "invalid_cli"): "cli_spoofing",
    ("foreign_fanout", "foreign_call_centre"): "crypto_scam",
    ("rotation_harassment", "rotating_foreign_numbers"): "harassment",
    ("robocall_volume", "sequential_dialling"): "robocall",
    ("robocall_volume", "regular_dialling"): "robocall",
}
"""Which planted campaign kind each (detector, finding kind) answers for."""


@dataclass(frozen=True)
class KindScore:
    kind: str
    truth_calls: int
    flagged_calls: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.flagged_calls if self.flagged_calls else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.truth_calls if self.truth_calls else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "truth_calls": self.truth_calls,
            "flagged_calls": self.flagged_calls,
            "true_positives": self.true_positives,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
        }


@dataclass(frozen=True)
class Evaluation:
    kinds: list[KindScore]
    findings: int
    false_findings: list[dict[str, Any]]
    signals: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kinds": [k.to_dict() for k in self.kinds],
            "findings": self.findings,
            "false_findings": self.false_findings,
            "signals": self.signals,
        }


def evaluate(truth: pa.Table, flagged: pa.Table, findings: list[Finding]) -> Evaluation:
    """Score `flagged` (call_id, finding_id, detector) against `truth` (call_id, campaign_kind)."""
    kind_of_finding = {f.finding_id: CAMPAIGN_OF.get((f.detector, f.kind)) for f in findings}
    truth_kind = dict(
        zip(
            truth.column("call_id").to_pylist(),
            truth.column("campaign_kind").to_pylist(),
            strict=True,
        )
    )
    predicted: dict[str, set[str]] = {}
    per_finding_calls: dict[str, list[str]] = {}
    for call_id, finding_id in zip(
        flagged.column("call_id").to_pylist(), flagged.column("finding_id").to_pylist(), strict=True
    ):
        per_finding_calls.setdefault(finding_id, []).append(call_id)
        kind = kind_of_finding.get(finding_id)
        if kind is not None:
            predicted.setdefault(kind, set()).add(call_id)
    truth_counts = pc.value_counts(truth.column("campaign_kind")).to_pylist()
    kinds = []
    for entry in sorted(truth_counts, key=lambda e: str(e["values"])):
        kind = str(entry["values"])
        predicted_calls = predicted.get(kind, set())
        hits = sum(1 for c in predicted_calls if truth_kind.get(c) == kind)
        kinds.append(KindScore(kind, int(entry["counts"]), len(predicted_calls), hits))
    false_findings, signals = [], []
    by_id = {f.finding_id: f for f in findings}
    signal_calls: dict[str, list[str]] = {}
    for finding_id, calls in per_finding_calls.items():
        in_campaign = sum(1 for c in calls if c in truth_kind)
        finding = by_id.get(finding_id)
        if finding is not None and in_campaign * 2 < len(calls):
            false_findings.append(
                {
                    "finding_id": finding_id,
                    "detector": finding.detector,
                    "kind": finding.kind,
                    "calls": len(calls),
                    "campaign_calls": in_campaign,
                    "title": finding.title,
                }
            )
        if finding is not None and kind_of_finding.get(finding_id) is None:
            signal_calls.setdefault(f"{finding.detector}/{finding.kind}", []).extend(calls)
    for name, signal in sorted(signal_calls.items()):
        unique = set(signal)
        signals.append(
            {
                "signal": name,
                "calls": len(unique),
                "campaign_share": round(sum(1 for c in unique if c in truth_kind) / len(unique), 4),
            }
        )
    return Evaluation(kinds, len(findings), false_findings, signals)


def evaluate_paths(truth_path: Path, analysis_dir: Path) -> Evaluation:
    """Evaluate the analysis written in `analysis_dir` against a truth Parquet file."""
    from ringfence.detect.analysis import read_findings

    for needed in (analysis_dir / "flagged_calls.parquet", analysis_dir / "findings.jsonl"):
        if not needed.exists():
            raise FileNotFoundError(
                f"{needed} is missing: run `ringfence analyze ... --out {analysis_dir}` first"
            )
    truth = pq.read_table(truth_path, columns=["call_id", "campaign_kind"])
    flagged = pq.read_table(analysis_dir / "flagged_calls.parquet")
    return evaluate(truth, flagged, read_findings(analysis_dir / "findings.jsonl"))


def write_evaluation(evaluation: Evaluation, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "evaluation.json"
    path.write_text(json.dumps(evaluation.to_dict(), indent=2) + "\n", encoding="utf-8")
    return path
