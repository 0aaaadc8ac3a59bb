"""Acknowledged writes survive a kill -9: start the real server in a subprocess, send reports,
wait for each 201, kill the process with SIGKILL, restart it on the same store and read every
acknowledged report back. On SQLite (WAL, synchronous=FULL) and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ringfence.reputation.store.testing import temporary_schema

REPORTS = 25


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(store_url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RINGFENCE_DATA_DIR": str(data_dir), "RINGFENCE_HOME_COUNTRY": "BE"}
    command = [
        sys.executable, "-m", "ringfence.cli.serve", "--store", store_url, "--port", str(port),
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not answer /health within 60 s")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'durable.db'}"
        return
    with temporary_schema(prefix="rf_durable") as url:
        yield url


def test_acknowledged_reports_survive_kill_9(store_url: str, tmp_path: Path) -> None:
    port = free_port()
    server = start(store_url, tmp_path, port)
    acknowledged = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for i in range(REPORTS):
                response = client.post(
                    "/v1/reports",
                    json={"number": f"+3247055{i:04d}", "category": "silent_call"},
                    headers={"X-Client-Token": f"durability-token-{i:06d}"},
                )
                assert response.status_code == 201, response.text
                acknowledged.append(response.json()["report"]["id"])
        os.kill(server.pid, signal.SIGKILL)
        assert server.wait(timeout=10) == -signal.SIGKILL
    finally:
        if server.poll() is None:
            server.kill()
    port = free_port()
    again = start(store_url, tmp_path, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for report_id in acknowledged:
                response = client.get(f"/v1/reports/{report_id}")
                assert response.status_code == 200, report_id
                assert response.json()["status"] == "counted"
            last = client.get(f"/v1/numbers/+3247055{REPORTS - 1:04d}").json()
            assert last["counts"]["reports"] == 1
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=20)
    assert len(acknowledged) == REPORTS
