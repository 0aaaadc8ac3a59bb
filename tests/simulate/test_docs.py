"""The user documentation names every parameter, campaign kind, output file and CLI flag."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from ringfence.simulate import CAMPAIGN_KINDS, SimulationConfig
from ringfence.simulate.writer import OUTPUT_NAMES

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulate.md"


def test_every_parameter_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    config = SimulationConfig()
    for field in fields(config):
        assert f'"{field.name}"' in text, field.name
        part = getattr(config, field.name)
        if hasattr(part, "validate"):
            for inner in fields(part):
                assert f'"{inner.name}"' in text, f"{field.name}.{inner.name}"


def test_every_kind_file_and_flag_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for kind in CAMPAIGN_KINDS:
        assert f"`{kind}`" in text, kind
    for name in OUTPUT_NAMES:
        assert f"`{name}" in text, name
    for flag in ("--out", "--calls", "--seed", "--days", "--start", "--home-country",
                 "--config", "--partition-by-day"):  # fmt: skip
        assert f"`{flag}" in text, flag
