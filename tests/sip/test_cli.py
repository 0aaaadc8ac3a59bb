"""`ringfence sip`: flags, clear errors, serving until Ctrl-C, counters on exit."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ringfence.cli import sip
from ringfence.settings import Settings
from ringfence.sip.config import SipConfigError
from ringfence.sip.server import default_screen_factory
from tests.sip.helpers import BLOCKED_CALLER, UdpClient, header, request, status_of

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def app_with(factory: sip.ScreenFactory | None = None) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    if factory is None:
        sip.register(app)
    else:
        sip.register(app, screen_factory=factory)
    return app


def test_help_has_examples() -> None:
    result = runner.invoke(app_with(), ["sip", "--help"])
    assert result.exit_code == 0
    assert "ringfence sip --listen 127.0.0.1:5070" in result.output
    assert "--international-gateway" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--listen", "5070"], "is not HOST:PORT"),
        (["--international-gateway", "gw-1"], "not an IP address or CIDR range"),
        (["--voicemail-uri", "box 1"], "is not a URI"),
        (["--policy", "no-such-policy.toml"], "no such file"),
        (["--home-country", "XX"], "is not a country code"),
    ],
)
def test_bad_flags_are_clear_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app_with(lambda s, u, p: lambda setup: None), ["sip", *args])  # type: ignore[arg-type,return-value]
    assert result.exit_code == 2
    assert message in result.output.replace("\n", " ")


def screener_is_wired() -> bool:
    if importlib.util.find_spec("ringfence.screen") is None:
        return False
    return hasattr(importlib.import_module("ringfence.screen"), "build_screener")


def test_default_factory_without_the_screener_is_a_clear_error() -> None:
    if screener_is_wired():
        screen = default_screen_factory(Settings(), None, None)
        assert callable(screen)
        return
    with pytest.raises(SipConfigError, match=r"ringfence\.screen"):
        default_screen_factory(Settings(), None, None)
    result = runner.invoke(app_with(), ["sip", "--listen", "127.0.0.1:0", "--duration", "0"])
    assert result.exit_code == 2
    assert "ringfence.screen" in result.output.replace("\n", " ")


def test_serves_until_interrupted_and_prints_counters(tmp_path: Path) -> None:
    policy = tmp_path / "policy-test.toml"
    policy.write_text("version = 'test'\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    command = [sys.executable, "-m", "tests.sip.cli_app", "sip", "--listen", "127.0.0.1:0",
               "--home-country", "fr", "--policy", str(policy), "--duration", "60"]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"udp:127\.0\.0\.1:(\d+)", first)
        assert match, first + (process.stderr.read() if process.stderr else "")
        client = UdpClient(("127.0.0.1", int(match.group(1))))
        assert status_of(client.ask(request("OPTIONS", "sip:127.0.0.1"))) == 200
        blocked = client.ask(request(caller=BLOCKED_CALLER))
        assert status_of(blocked) == 607
        assert blocked is not None
        assert header(blocked, "X-Ringfence-Verdict") == [
            'block;rules=test-blocklist;policy="FR:policy-test.toml"'
        ]
        client.send(b"\x00junk")
        assert status_of(client.ask(request("OPTIONS", "sip:127.0.0.1", call_id="o2"))) == 200
        client.close()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "SIP front counters" in out
    assert re.search(r"answered 607\s*│\s*1", out), out
    assert re.search(r"answered 200\s*│\s*2", out), out
    assert re.search(r"datagrams received\s*│\s*4", out), out
    assert re.search(r"dropped\s*│\s*1", out), out
