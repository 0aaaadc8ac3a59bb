"""Configuration: documented defaults, JSON overrides, and clear errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ringfence.settings import Settings
from ringfence.simulate import ConfigError, SimulationConfig, simulate


def test_defaults_follow_the_issue() -> None:
    config = SimulationConfig()
    assert config.calls == 2_000_000
    assert config.days == 1
    assert config.start == date(2026, 11, 2)
    assert config.silent_calls.share == 0.01
    assert config.wangiri.share == 0.0075
    assert config.wangiri.max_uses == 2
    assert config.cli_spoofing.share == 0.001
    assert config.crypto_scam.share == 0.0015
    assert config.robocall.share == 0.005
    assert 0.03 <= config.silent_calls.callback_share <= 0.05
    assert 0.01 <= config.wangiri.callback_share <= 0.02
    assert config.harassment.calls_per_day == (30, 80)


def test_json_file_overrides_nested_parameters(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(
        json.dumps(
            {
                "_comment": "keys starting with _ are ignored",
                "calls": 50_000,
                "start": "2026-03-29",
                "silent_calls": {"campaigns": 3, "active_hours": [8, 12]},
                "wangiri": {"sources": ["IT:mobile"]},
            }
        ),
        encoding="utf-8",
    )
    config = SimulationConfig.from_json(path)
    assert config.calls == 50_000
    assert config.start == date(2026, 3, 29)
    assert config.silent_calls.campaigns == 3
    assert config.silent_calls.active_hours == (8, 12)
    assert config.wangiri.sources == ("IT:mobile",)
    assert config.robocall == SimulationConfig().robocall
    assert SimulationConfig.from_json(config.to_dict()) == config


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cals": 10}, "unknown parameter 'cals'"),
        ({"wangiri": {"share": "high"}}, "wangiri.share must be a number"),
        ({"wangiri": {"share": 2}}, "wangiri.share: must be a share between 0 and 1"),
        ({"calls": 5}, "calls: must be at least 10000"),
        ({"silent_calls": {"active_hours": [20, 8]}}, "silent_calls.active_hours"),
        ({"start": "02/11/2026"}, "start must be a date YYYY-MM-DD"),
        ({"robocall": 3}, "robocall must be an object"),
        ({"harassment": {"calls_per_day": [30, "x"]}}, "must hold int values"),
    ],
)
def test_bad_values_are_named_in_the_error(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SimulationConfig.from_json(data)


def test_bad_json_says_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"calls": 10000,\n "seed": }', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken.json, line 2: not valid JSON"):
        SimulationConfig.from_json(path)
    with pytest.raises(ConfigError, match="no such file"):
        SimulationConfig.from_json(tmp_path / "missing.json")


def test_campaigns_larger_than_the_traffic_are_refused(tmp_path: Path) -> None:
    config = SimulationConfig.from_json({"calls": 10_000, "silent_calls": {"min_calls": 6_000}})
    with pytest.raises(ConfigError, match="raise --calls"):
        simulate(config, tmp_path / "out", Settings())
    assert not any((tmp_path / "out").iterdir())  # nothing half-written is left


def test_configured_numbers_replace_the_shipped_list(tmp_path: Path) -> None:
    config = SimulationConfig.from_json(
        {"calls": 20_000, "cli_spoofing": {"numbers": ["+3222221111"], "invalid_cli_share": 0}}
    )
    result = simulate(config, tmp_path, Settings())
    campaign = next(c for c in result.campaigns if c.kind == "cli_spoofing")
    assert campaign.spoofed_numbers == ["+3222221111"]


def test_a_country_without_a_do_not_originate_list_is_told(tmp_path: Path) -> None:
    result = simulate(SimulationConfig(calls=20_000), tmp_path, Settings(home_country="NL"))
    assert "cli_spoofing" not in {c.kind for c in result.campaigns}
    assert any("cli_spoofing not planted" in note for note in result.notes)
