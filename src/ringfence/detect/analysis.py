"""Run every batch detector over call records on one engine, and write what they found.

Outputs of an analysis directory (the contract with `evaluate`, the report and the store):
- `findings.jsonl`: one `Finding` a line, sorted by detector then id;
- `flagged_calls.parquet`: `call_id, finding_id, detector` (a call may be in several findings);
- `summary.json`: engine, inputs, call count, seconds per detector (they overlap: detectors run
  side by side) and of the shared passes (`count`, `select`, `revisit`), findings per detector.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from ibis.expr.types import Table

from ringfence.detect.batch.callback_storm import CallbackStorm
from ringfence.detect.batch.calls import (
    BatchDetector,
    Calls,
    Revisit,
    RevisitingDetector,
    Steps,
    advance,
)
from ringfence.detect.batch.common import (
    FLAGGED_SCHEMA,
    DetectionContext,
    DetectorOutput,
    concat_flagged,
)
from ringfence.detect.batch.foreign_fanout import ForeignFanout
from ringfence.detect.batch.robocall_volume import RobocallVolume
from ringfence.detect.batch.rotation_harassment import RotationHarassment
from ringfence.detect.batch.silent_calls import SilentCalls
from ringfence.detect.batch.spoofed_cli import SpoofedCli
from ringfence.detect.batch.wangiri import Wangiri
from ringfence.detect.engine import Engine
from ringfence.domain.findings import Finding


def default_detectors() -> list[BatchDetector]:
    """Every batch detector with its documented default parameters."""
    return [
        SilentCalls(),
        SpoofedCli(),
        Wangiri(),
        RotationHarassment(),
        CallbackStorm(),
        RobocallVolume(),
        ForeignFanout(),
    ]


DETECTOR_NAMES = tuple(d.name for d in default_detectors())


@dataclass
class AnalysisResult:
    engine: str
    sources: list[str]
    calls: int
    findings: list[Finding]
    flagged: pa.Table
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        per_detector: dict[str, int] = {}
        for finding in self.findings:
            per_detector[finding.detector] = per_detector.get(finding.detector, 0) + 1
        return {
            "engine": self.engine,
            "sources": self.sources,
            "calls": self.calls,
            "findings": len(self.findings),
            "findings_per_detector": per_detector,
            "flagged_calls": int(self.flagged.num_rows),
            "distinct_flagged_calls": len(set(self.flagged.column("call_id").to_pylist()))
            if self.flagged.num_rows
            else 0,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def analyze(
    sources: Sequence[Path],
    engine: Engine,
    ctx: DetectionContext,
    *,
    detectors: Sequence[BatchDetector] | None = None,
    on_detector: Callable[[str], None] | None = None,
) -> AnalysisResult:
    """Run `detectors` (default: all) over canonical Parquet `sources` on `engine`."""
    chosen = list(detectors) if detectors is not None else default_detectors()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    # The records stay in their Parquet files: each pass over the whole day reads only the
    # columns it needs from them, and what the detectors read several times (the calls they
    # select, their candidates) is kept in the engine by `Calls` and the detectors. Copying
    # the whole day into the engine first cost more than it saved (10M calls: 2 s, and at
    # 100M calls it spilled 24 GB to disk).
    calls = engine.calls(sources)
    count = int(engine.execute(calls.aggregate(n=calls.count())).column("n")[0].as_py())
    seconds["count"] = time.perf_counter() - started
    selectors = [s for d in chosen for s in d.selectors()]
    shared = Calls(calls, ctx, engine, selectors)
    # After the selection, detectors run side by side (`Engine.detector_workers`): one's
    # Python work overlaps another's queries. Those that select nothing go first (robocall
    # volume starts with a pass of its own). Those that ask to read the day again (`Revisit`)
    # pause there; once every detector has paused or finished, their requests are served
    # together, in one pass a round. (Starting the revisit while the others still ran, or
    # the robocall pass during the selection, measured no faster: both cores are busy.)
    outputs: dict[str, DetectorOutput] = {}
    waiting: dict[str, tuple[Steps, Revisit]] = {}
    workers = max(1, min(len(chosen), engine.detector_workers))
    with ThreadPoolExecutor(workers, thread_name_prefix="ringfence-detector") as pool:
        if selectors:
            started = time.perf_counter()
            shared.select()  # the one pass that every detector's selected calls come from
            seconds["select"] = time.perf_counter() - started
        order = sorted(chosen, key=lambda d: bool(d.selectors()))
        started_steps = {d.name: pool.submit(_start, d, shared, on_detector) for d in order}
        for name, future in started_steps.items():
            steps, step, took = future.result()
            seconds[name] = took
            _sort(name, steps, step, outputs, waiting)
        while waiting:
            started = time.perf_counter()
            answers = shared.revisit([request for _, request in waiting.values()])
            seconds["revisit"] = seconds.get("revisit", 0.0) + time.perf_counter() - started
            resumed = {
                name: (steps, pool.submit(_resume, steps, answer))
                for (name, (steps, _)), answer in zip(waiting.items(), answers, strict=True)
            }
            waiting = {}
            for name, (paused, resuming) in resumed.items():
                step, took = resuming.result()
                seconds[name] += took
                _sort(name, paused, step, outputs, waiting)
    findings = [f for d in chosen for f in outputs[d.name].findings]
    flagged = [outputs[d.name].flagged for d in chosen]
    findings.sort(key=lambda f: (f.detector, f.finding_id))
    return AnalysisResult(
        engine=engine.name,
        sources=[str(s) for s in sources],
        calls=count,
        findings=findings,
        flagged=concat_flagged(flagged).cast(FLAGGED_SCHEMA),
        seconds=seconds,
    )


def _start(
    detector: BatchDetector, calls: Calls, on_detector: Callable[[str], None] | None
) -> tuple[Steps | None, Revisit | DetectorOutput, float]:
    """Run a detector up to its first revisit (or to its end); with the seconds it took."""
    if on_detector is not None:
        on_detector(detector.name)
    started = time.perf_counter()
    if isinstance(detector, RevisitingDetector):
        steps = detector.steps(calls)
        return steps, advance(steps, None), time.perf_counter() - started
    return None, detector.run(calls), time.perf_counter() - started


def _resume(steps: Steps, answer: Table) -> tuple[Revisit | DetectorOutput, float]:
    started = time.perf_counter()
    return advance(steps, answer), time.perf_counter() - started


def _sort(
    name: str,
    steps: Steps | None,
    step: Revisit | DetectorOutput,
    outputs: dict[str, DetectorOutput],
    waiting: dict[str, tuple[Steps, Revisit]],
) -> None:
    """File a detector's step: a revisit to serve, or its output."""
    if isinstance(step, Revisit):
        assert steps is not None  # only a detector with steps can ask to revisit
        waiting[name] = (steps, step)
    else:
        outputs[name] = step


def write_analysis(result: AnalysisResult, out_dir: Path) -> dict[str, Path]:
    """Write findings.jsonl, flagged_calls.parquet and summary.json into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "findings": out_dir / "findings.jsonl",
        "flagged": out_dir / "flagged_calls.parquet",
        "summary": out_dir / "summary.json",
    }
    with paths["findings"].open("w", encoding="utf-8") as handle:
        for finding in result.findings:
            handle.write(finding.to_json() + "\n")
    pq.write_table(result.flagged, paths["flagged"])
    paths["summary"].write_text(json.dumps(result.summary(), indent=2) + "\n", encoding="utf-8")
    return paths


def read_findings(path: Path) -> list[Finding]:
    """Findings from a findings.jsonl file; a bad line is an error naming its line number."""
    findings = []
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                findings.append(Finding.from_json(line))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{line_no}: not a finding ({error})") from None
    return findings
