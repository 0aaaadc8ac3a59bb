"""End to end: sipp (the SIP traffic generator) sends real INVITEs to the UDP server.

The screen function is the real `Screener` with the shipped Belgian policy; the blocked
caller is on its do-not-originate list (an inbound-only number presented as caller).
Checks: sipp's exit code (0 = every call went as the scenario says: right status, verdict and
Reason headers matched by regexp), its statistics file, and the server's own counters.
"""

from __future__ import annotations

import csv
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ringfence.lists import DoNotOriginateEntry
from ringfence.screen import Screener, load_policy
from ringfence.sip.handler import SipHandler
from ringfence.sip.server import SipServerThread
from tests.sip.helpers import BLOCKED_CALLER, SCENARIOS

SIPP = shutil.which("sipp")
pytestmark = pytest.mark.skipif(
    SIPP is None,
    reason="sipp is not installed; Debian: apt-get install -y sip-tester "
    "(scripts/ensure-services.sh installs it)",
)
CALLEE = "+3225550100"


@dataclass
class SippRun:
    returncode: int
    successful: int
    failed: int
    output: str
    errors: str


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_sipp(
    server: tuple[str, int], scenario: str, caller: str, calls: int, workdir: Path
) -> SippRun:
    assert SIPP is not None
    stats, errors = workdir / "stats.csv", workdir / "errors.log"
    command = [
        SIPP, f"{server[0]}:{server[1]}",
        "-sf", str(SCENARIOS / scenario),
        "-s", CALLEE, "-key", "caller", caller,
        "-i", "127.0.0.1", "-p", str(free_udp_port()),
        "-m", str(calls), "-r", "50",
        "-nostdin", "-timeout", "20s", "-timeout_error",
        "-trace_stat", "-stf", str(stats), "-fd", "1",
        "-trace_err", "-error_file", str(errors),
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=workdir, capture_output=True, text=True, timeout=60, check=False
    )
    with stats.open(newline="") as handle:
        last = list(csv.DictReader(handle, delimiter=";"))[-1]
    return SippRun(
        done.returncode,
        int(last["SuccessfulCall(C)"]),
        int(last["FailedCall(C)"]),
        done.stdout + done.stderr,
        errors.read_text() if errors.exists() else "",
    )


@pytest.fixture
def server() -> Iterator[SipServerThread]:
    dno = {BLOCKED_CALLER: DoNotOriginateEntry(BLOCKED_CALLER, "Example Bank", "bank", "test")}
    screener = Screener(load_policy("BE"), "BE", do_not_originate=dno)
    with SipServerThread(SipHandler(screener.screen)) as running:
        yield running


def test_allowed_calls_get_302_with_the_verdict(server: SipServerThread, tmp_path: Path) -> None:
    run = run_sipp(server.address, "invite_302.xml", "+3225551234", 5, tmp_path)
    assert run.returncode == 0, run.errors or run.output
    assert (run.successful, run.failed) == (5, 0)
    stats = server.handler.stats()
    assert stats.answered[302] == 5
    assert stats.outcomes["allow"] == 5
    assert stats.acks == 5


def test_blocked_caller_gets_607(server: SipServerThread, tmp_path: Path) -> None:
    run = run_sipp(server.address, "invite_607.xml", BLOCKED_CALLER, 3, tmp_path)
    assert run.returncode == 0, run.errors or run.output
    assert (run.successful, run.failed) == (3, 0)
    assert server.handler.stats().answered[607] == 3


def test_malformed_invites_get_400_and_the_server_goes_on(
    server: SipServerThread, tmp_path: Path
) -> None:
    run = run_sipp(server.address, "invite_400.xml", "+3225551234", 2, tmp_path)
    assert run.returncode == 0, run.errors or run.output
    assert (run.successful, run.failed) == (2, 0)
    after = run_sipp(server.address, "invite_302.xml", "+3225551234", 1, tmp_path)
    assert after.returncode == 0, after.errors or after.output
    stats = server.handler.stats()
    assert stats.malformed == 10
    assert stats.answered[400] == 10
    assert stats.answered[302] == 1
    assert stats.internal_errors == 0


def test_sipp_fails_when_the_answer_is_not_the_expected_one(
    server: SipServerThread, tmp_path: Path
) -> None:
    """The control: the 302 scenario sent for a blocked caller must fail in sipp."""
    run = run_sipp(server.address, "invite_302.xml", BLOCKED_CALLER, 1, tmp_path)
    assert run.returncode != 0
    assert run.failed == 1
    assert "607 Unwanted" in run.errors
