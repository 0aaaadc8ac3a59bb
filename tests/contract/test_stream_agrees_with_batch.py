"""Streaming windows and batch detectors flag the same campaigns on the same records."""

from __future__ import annotations

from pathlib import Path

from ringfence.detect.analysis import analyze
from ringfence.detect.engine import Engine
from ringfence.domain.findings import SubjectRole
from ringfence.screen.policy import load_policy
from ringfence.screen.replay import replay
from ringfence.screen.screener import Screener
from tests.detect.scenario import mixed_day


def test_replay_flags_the_campaigns_the_batch_finds(tmp_path: Path, duckdb_engine: Engine) -> None:
    log, ctx = mixed_day()
    source = log.write(tmp_path / "calls")
    batch = analyze([source], duckdb_engine, ctx)
    screener = Screener(load_policy("BE"), "BE", do_not_originate=ctx.do_not_originate)
    replay([source], screener, tmp_path / "replay")

    def found(detector: str, role: SubjectRole) -> set[str]:
        return {v for f in batch.findings if f.detector == detector for v in f.subjects_with(role)}

    batch_ranges = found("wangiri", SubjectRole.SOURCE_RANGE)
    stream_ranges = set(screener.one_ring.flags.ever())
    assert batch_ranges
    for r in batch_ranges:  # every batch range is flagged live at the same or a broader depth
        assert any(r.startswith(s) or s.startswith(r) for s in stream_ranges), (r, stream_ranges)

    silent_sources = {f.details["cli_range"] + "|" + f.details["ingress"] + "|"
                      + (f.details["carrier"] or "")
                      for f in batch.findings if f.detector == "silent_calls"}  # fmt: skip
    assert silent_sources == set(screener.silent.flags.ever())

    victims = found("rotation_harassment", SubjectRole.TARGET)
    assert victims == set(screener.rotation.flags.ever())

    owners = found("callback_storm", SubjectRole.SPOOFED_OWNER)
    assert owners == set(screener.owners.flags.ever())

    blocks = {f.details["block"][:-2] for f in batch.findings if f.detector == "robocall_volume"}
    assert blocks == set(screener.diallers.flags.ever())

    centres = found("foreign_fanout", SubjectRole.SOURCE_NUMBER)
    live = set(screener.centres.flags.ever())  # numbers, or the pools (blocks) they belong to
    assert centres
    for number in centres:
        assert number in live or number[:-4] in live, (number, live)
