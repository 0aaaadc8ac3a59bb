"""`simulate()`: plant the campaigns, generate the baseline hour by hour, write everything.

Order of work: build the number population; plant every campaign and look-alike for the whole
span (a few percent of the calls, held in memory); then for each UTC hour (cut in pieces of at
most `PIECE_ROWS` calls) generate the baseline, merge the planted calls of that interval, sort by
time, number the calls and write them. Every random stream is seeded from (seed, purpose, hour,
piece), so the output depends only on the configuration and the home country, never on timing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ringfence.domain.calls import TRUTH_SCHEMA
from ringfence.settings import Settings
from ringfence.simulate import foreign, lookalikes, robocall, silent, spoofing, wangiri
from ringfence.simulate.baseline import BaselineGenerator
from ringfence.simulate.batch import CAMPAIGN_KINDS, CallBatch
from ringfence.simulate.blocks import KindTable
from ringfence.simulate.campaign import Campaign, PlantContext, finish
from ringfence.simulate.carriers import Carriers
from ringfence.simulate.columns import ColumnBuilder
from ringfence.simulate.config import SimulationConfig
from ringfence.simulate.overrides import ConfigError
from ringfence.simulate.population import Population
from ringfence.simulate.presets import country_preset, service_numbers, traffic_shape
from ringfence.simulate.timeline import Timeline, iso
from ringfence.simulate.writer import BackgroundWriter, CallsWriter, clear_previous

PIECE_ROWS = 250_000
"""Largest number of baseline calls generated at once (bounds memory at any scale)."""
FORMAT = "ringfence-simulate/1"


@dataclass(frozen=True)
class SimulationResult:
    """What a simulation wrote and planted."""

    out_dir: Path
    calls_path: Path
    """calls.parquet, or the calls/ directory when partitioned by day."""
    truth_path: Path
    campaigns_path: Path
    roaming_path: Path
    files: tuple[Path, ...]
    """Every Parquet file of calls written."""
    calls: int
    calls_by_kind: dict[str, int]
    """Calls per campaign_kind, plus `baseline` (look-alikes included)."""
    campaigns: tuple[Campaign, ...]
    lookalikes: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]
    span: tuple[str, str]
    """First and last instant of the simulated span (ISO UTC)."""


def simulate(
    config: SimulationConfig,
    out_dir: Path,
    settings: Settings,
    *,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Simulate `config.calls` calls of an operator in `settings.home_country` into `out_dir`.

    Writes `calls.parquet` (or `calls/day=.../part-....parquet`), `truth.parquet`,
    `campaigns.json` and `roaming.csv`, replacing the outputs of an earlier run there.
    `progress` is called with the number of calls written since its previous call.
    Raises ConfigError when the configuration cannot fit (campaigns larger than the traffic).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clear_previous(out_dir)
    try:
        return _simulate(config, out_dir, settings, progress)
    except BaseException:
        clear_previous(out_dir)  # never leave a half-written dataset behind
        raise


def _simulate(
    config: SimulationConfig,
    out_dir: Path,
    settings: Settings,
    progress: Callable[[int], None] | None,
) -> SimulationResult:
    home = settings.home_country
    preset = country_preset(home)
    kinds = KindTable()
    carriers = Carriers.of(preset)
    timeline = Timeline(config.start, config.days, preset.timezone)
    population = Population(
        config, preset, kinds, service_numbers(home), np.random.default_rng([config.seed, 1])
    )
    ctx = PlantContext(config, population, carriers, timeline, kinds)
    batches = [
        *silent.plant(ctx),
        *wangiri.plant(ctx),
        *spoofing.plant(ctx),
        *foreign.plant_crypto(ctx),
        *foreign.plant_harassment(ctx),
        *robocall.plant(ctx),
    ]
    look = lookalikes.generate(ctx)
    planted = CallBatch.concat(batches + look.batches).sorted()
    finish(ctx.campaigns, planted, CAMPAIGN_KINDS)
    baseline_calls = config.calls - len(planted)
    if baseline_calls < config.calls // 2:
        raise ConfigError(
            f"the planted campaigns and look-alikes take {len(planted)} of {config.calls} calls; "
            "raise --calls or lower the campaign shares and floors (min_calls)"
        )

    generator = BaselineGenerator(config.baseline, population, carriers)
    builder = ColumnBuilder(kinds, carriers.names, home)
    campaign_ids = pa.array([c.campaign_id for c in ctx.campaigns], pa.string())
    counts = np.random.default_rng([config.seed, 2]).multinomial(
        baseline_calls, timeline.traffic_weights(traffic_shape())
    )
    writer = BackgroundWriter(CallsWriter(out_dir, config.partition_by_day, config.rows_per_chunk))
    truth_parts: list[pa.Table] = []
    next_id = 1
    try:
        for lo, hi, count, rng in _pieces(config.seed, timeline, counts):
            base = generator.generate(rng, count, lo, hi)
            first, last = np.searchsorted(planted.start, [lo, hi])
            batch = CallBatch.concat([base, planted.take(np.arange(first, last))]).sorted()
            table = builder.table(batch, next_id)
            truth_parts.append(builder.truth(table, batch, campaign_ids))
            writer.add(table)
            next_id += len(batch)
            if progress is not None:
                progress(len(batch))
    except BaseException:
        writer.abandon()
        raise
    files = writer.close()
    written = next_id - 1
    if written != config.calls:
        raise RuntimeError(f"internal error: wrote {written} calls, {config.calls} configured")

    truth = pa.concat_tables(truth_parts) if truth_parts else TRUTH_SCHEMA.empty_table()
    truth_path = out_dir / "truth.parquet"
    pq.write_table(truth.cast(TRUTH_SCHEMA), truth_path)
    by_kind = {"baseline": written - truth.num_rows}
    for kind in CAMPAIGN_KINDS:
        by_kind[kind] = sum(c.calls.get(kind, 0) for c in ctx.campaigns)
    result = SimulationResult(
        out_dir=out_dir,
        calls_path=writer.writer.path,
        truth_path=truth_path,
        campaigns_path=out_dir / "campaigns.json",
        roaming_path=out_dir / "roaming.csv",
        files=tuple(files),
        calls=written,
        calls_by_kind=by_kind,
        campaigns=tuple(ctx.campaigns),
        lookalikes=tuple(look.described),
        notes=tuple(ctx.notes),
        span=(iso(timeline.start_us), iso(timeline.end_us)),
    )
    _write_campaigns(result, config, home, timeline)
    _write_roaming(result.roaming_path, look.roaming_numbers, home)
    return result


def _pieces(
    seed: int, timeline: Timeline, counts: np.ndarray
) -> Iterator[tuple[int, int, int, np.random.Generator]]:
    """(start, end, baseline calls, random stream) of each piece of each UTC hour, in order.

    An hour with more than PIECE_ROWS baseline calls is cut into equal sub-intervals.
    """
    for bucket, (begin, end) in enumerate(
        zip(timeline.bucket_starts().tolist(), timeline.bucket_ends().tolist(), strict=True)
    ):
        count = int(counts[bucket])
        pieces = max(1, -(-count // PIECE_ROWS))
        edges = [begin + (end - begin) * j // pieces for j in range(pieces + 1)]
        split = np.random.default_rng([seed, 3, bucket]).multinomial(
            count, np.full(pieces, 1.0 / pieces)
        )
        for piece in range(pieces):
            rng = np.random.default_rng([seed, 4, bucket, piece])
            yield edges[piece], edges[piece + 1], int(split[piece]), rng


def _write_campaigns(
    result: SimulationResult, config: SimulationConfig, home: str, timeline: Timeline
) -> None:
    document = {
        "format": FORMAT,
        "home_country": home,
        "timezone": timeline.timezone.key,
        "span": {"start": result.span[0], "end": result.span[1]},
        "calls": result.calls,
        "calls_by_kind": result.calls_by_kind,
        "campaigns": [c.to_dict() for c in result.campaigns],
        "lookalikes": list(result.lookalikes),
        "notes": list(result.notes),
        "config": config.to_dict(),
    }
    result.campaigns_path.write_text(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _write_roaming(path: Path, numbers: list[str], home: str) -> None:
    lines = [
        f"# Subscribers of the simulated {home} operator who were roaming abroad: their national",
        "# numbers legitimately arrive on international ingress (an HLR/HSS allow-list).",
        "number",
        *numbers,
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
