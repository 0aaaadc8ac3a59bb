"""Benchmark: INVITEs per second answered by the SIP front, driven by sipp on loopback.

For each target rate, a fresh server (the `ringfence sip` handler on a UDP socket in a thread
of this process) answers sipp's `tests/sip/scenarios/invite_302.xml` scenario: INVITE -> 302
with the verdict header checked by regexp -> ACK. Each rate runs for `--seconds`; reported per
rate: sipp's successful / failed calls and retransmissions, the achieved call rate, sipp's
INVITE -> 302 response times (`-trace_rtt`; sipp's clock ticks in whole milliseconds), and the
server's own time to handle one INVITE (parse, screen, build the answer), in microseconds.

The screen function is a small rule (block one caller, allow the rest), so the figures are the
cost of the SIP front itself; `--screener default` uses `ringfence.screen` once it is wired.

Run (2 cores: sipp takes one, the server the other):

    .venv/bin/python bench/sip_bench.py --rates 1000,2000,4000,6000,8000 --seconds 5
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ringfence.domain.verdicts import CallSetup, Outcome, RuleHit, Verdict
from ringfence.settings import Settings
from ringfence.sip.handler import ScreenFunction, SipHandler
from ringfence.sip.server import SipServerThread, default_screen_factory

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "sip" / "scenarios" / "invite_302.xml"
BLOCKED = frozenset({"+3225559999"})


def rule_screen(setup: CallSetup) -> Verdict:
    """Block a fixed caller, allow the rest (a real rule, no I/O)."""
    hits = (
        [RuleHit("bench-blocklist", Outcome.BLOCK, "caller on the blocklist")]
        if setup.caller in BLOCKED
        else []
    )
    return Verdict.decide(hits, "bench-1", call_id=setup.call_id)


class TimedHandler(SipHandler):
    """The real handler, timing each INVITE it handles."""

    def __init__(self, screen: ScreenFunction) -> None:
        super().__init__(screen)
        self.invite_ns: list[int] = []

    def handle(self, data: bytes, source: tuple[str, int]) -> bytes | None:
        if not data.startswith(b"INVITE"):
            return super().handle(data, source)
        start = time.perf_counter_ns()
        answer = super().handle(data, source)
        self.invite_ns.append(time.perf_counter_ns() - start)
        return answer


@dataclass
class RateResult:
    target: int
    calls: int
    successful: int
    failed: int
    retransmissions: int
    achieved: float
    rtt_ms: list[float]
    invite_us: list[float]
    answered_302: int


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_rate(sipp: str, screen: ScreenFunction, rate: int, seconds: float) -> RateResult:
    calls = int(rate * seconds)
    handler = TimedHandler(screen)
    with SipServerThread(handler) as server, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        host, port = server.address
        command = [
            sipp, f"{host}:{port}", "-sf", str(SCENARIO),
            "-s", "+3225550100", "-key", "caller", "+3225551234",
            "-i", "127.0.0.1", "-r", str(rate), "-m", str(calls), "-l", str(max(rate, 100)),
            "-nostdin", "-timeout", f"{int(seconds * 4 + 30)}s", "-timeout_error",
            "-trace_stat", "-stf", str(work / "stats.csv"), "-fd", "1",
            "-trace_rtt", "-rtt_freq", "200",
        ]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(command, cwd=work, capture_output=True, check=False)
        elapsed = time.perf_counter() - started
        with (work / "stats.csv").open(newline="") as handle:
            last = list(csv.DictReader(handle, delimiter=";"))[-1]
        rtt: list[float] = []
        for path in work.glob("*_rtt.csv"):
            with path.open(newline="") as handle:
                rtt += [
                    float(row["response_time_ms"]) for row in csv.DictReader(handle, delimiter=";")
                ]
        stats = handler.stats()
    successful = int(last["SuccessfulCall(C)"])
    return RateResult(
        rate,
        calls,
        successful,
        int(last["FailedCall(C)"]),
        int(last["Retransmissions(C)"]),
        successful / elapsed,
        rtt,
        [ns / 1000 for ns in handler.invite_ns],
        stats.answered[302],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="1000,2000,4000,6000,8000")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--screener", choices=["rule", "default"], default="rule")
    args = parser.parse_args()
    sipp = shutil.which("sipp")
    if sipp is None:
        sys.exit("sipp is not installed: apt-get install -y sip-tester")
    screen: ScreenFunction = rule_screen
    if args.screener == "default":
        screen = default_screen_factory(Settings.from_env(), None, None)
    version = subprocess.run([sipp, "-v"], capture_output=True, text=True, check=False).stdout
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at start"
    )
    print(
        f"sipp: {' '.join(version.split()[:2])}; scenario {SCENARIO.name}; "
        f"{args.seconds} s per rate"
    )
    print()
    print(
        "| target cps | calls | ok | failed | sipp retrans | achieved cps "
        "| sipp RTT p50/p99/max ms | server INVITE p50/p99 µs |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---|")
    for rate in (int(r) for r in args.rates.split(",")):
        r = run_rate(sipp, screen, rate, args.seconds)
        print(
            f"| {r.target} | {r.calls} | {r.successful} | {r.failed} | {r.retransmissions} "
            f"| {r.achieved:.0f} | {percentile(r.rtt_ms, 0.5):.0f} / "
            f"{percentile(r.rtt_ms, 0.99):.0f} / {max(r.rtt_ms, default=float('nan')):.0f} "
            f"| {statistics.median(r.invite_us):.0f} / {percentile(r.invite_us, 0.99):.0f} |",
            flush=True,
        )
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
