"""A `ringfence` app with only the `sip` command, wired to the test's blocklist screen.

Run by test_cli.py as a subprocess (`python -m tests.sip.cli_app sip --listen ...`): the real
command, flags and signal handling, with a screen function the test controls. The policy
version of each verdict names the home country and policy file the factory was given, so the
test sees that the flags reached the factory.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import typer

from ringfence.cli import sip
from ringfence.domain.verdicts import CallSetup, Verdict
from ringfence.settings import Settings
from ringfence.sip.handler import ScreenFunction
from tests.sip.helpers import BlocklistScreen


def blocklist_factory(
    settings: Settings, store_url: str | None, policy_path: Path | None
) -> ScreenFunction:
    screen = BlocklistScreen()
    version = f"{settings.home_country}:{policy_path.name if policy_path else 'default'}"

    def run(setup: CallSetup) -> Verdict:
        return replace(screen(setup), policy_version=version)

    return run


app = typer.Typer()


@app.callback()
def main() -> None:
    """Test app."""


sip.register(app, screen_factory=blocklist_factory)

if __name__ == "__main__":
    app()
