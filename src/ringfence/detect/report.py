"""report.html: one self-contained page (inline SVG, no scripts, no network) for analysts.

Why SVG drawn here rather than a charting library: the page must open anywhere, offline, from
an e-mail attachment or a case file, and still print; a few hundred lines of SVG do that.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ringfence.detect.analysis import AnalysisResult
from ringfence.detect.report_data import ReportData, collect

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
DETECTOR_LABEL = {
    "silent_calls": "Silent calls",
    "spoofed_cli": "Spoofed caller ID",
    "wangiri": "Wangiri / one-ring",
    "rotation_harassment": "Rotation harassment",
    "callback_storm": "Spoofed-number victims",
    "robocall_volume": "Robocalls",
    "foreign_fanout": "Foreign call centres",
}


def line_chart(hours: list[str], series: dict[str, list[int]], labels: dict[str, str]) -> Markup:
    """Calls per hour, one line per finding, with a legend."""
    width, height, left, bottom, top = 860, 300, 50, 40, 10
    if not hours:
        return Markup("<p>No flagged calls.</p>")
    peak = max((max(v) for v in series.values() if v), default=1) or 1
    step = (width - left - 10) / max(len(hours) - 1, 1)

    def y(value: int) -> float:
        return top + (height - top - bottom) * (1 - value / peak)

    parts = [
        f'<svg viewBox="0 0 {width} {height + 20 * len(series)}" role="img" '
        'aria-label="Flagged calls per hour per campaign" class="chart">'
    ]
    for tick in range(5):
        value = round(peak * tick / 4)
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value}</text>'
        )
    every = max(1, len(hours) // 7)
    for i, hour in enumerate(hours):
        if i % every == 0:
            label = hour[11:16] if i and hour[:10] == hours[i - every][:10] else hour[5:16]
            parts.append(
                f'<text x="{left + i * step:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    for n, (key, values) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{left + i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
        legend_y = height + 14 + 20 * n
        parts.append(
            f'<rect x="{left}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(f'<text x="{left + 18}" y="{legend_y}">{escape(labels.get(key, key))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(pairs: Sequence[tuple[str, int]], label: str, *, wide: bool = False) -> Markup:
    """Horizontal bars, largest first (`wide` for a full-width section: same font size)."""
    if not pairs:
        return Markup("<p>Nothing to show.</p>")
    width, row, left = (860, 22, 380) if wide else (420, 22, 190)
    peak = max(v for _, v in pairs) or 1
    parts = [
        f'<svg viewBox="0 0 {width} {row * len(pairs) + 6}" role="img" '
        f'aria-label="{escape(label)}" class="chart">'
    ]
    for i, (name, value) in enumerate(pairs):
        bar = (width - left - 60) * value / peak
        limit = 60 if wide else 30
        short = name if len(name) <= limit else name[: limit - 1] + "…"
        parts.append(
            f'<text x="{left - 6}" y="{i * row + 15}" text-anchor="end">{escape(short)}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{i * row + 3}" width="{bar:.1f}" height="{row - 7}" '
            'fill="#1f77b4"/>'
        )
        parts.append(f'<text x="{left + bar + 4:.1f}" y="{i * row + 15}">{value:,}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def render_report(result: AnalysisResult, data: ReportData) -> str:
    env = Environment(
        loader=PackageLoader("ringfence.detect", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    labels = {f.finding_id: f.title for f in result.findings}
    findings = sorted(result.findings, key=lambda f: (-f.score, f.detector, f.finding_id))
    per_detector: dict[str, int] = {}
    for finding in findings:
        per_detector[finding.detector] = per_detector.get(finding.detector, 0) + 1
    context: dict[str, Any] = {
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "summary": result.summary(),
        "findings": findings,
        "labels": DETECTOR_LABEL,
        "per_detector": sorted(per_detector.items()),
        "timeline": line_chart(data.hours, data.per_hour, labels),
        "countries": bar_chart(data.countries, "Origin countries of flagged calls"),
        "ranges": bar_chart(data.ranges, "Caller ranges of flagged calls"),
        "fanout": bar_chart(data.fanout, "Distinct subscribers reached per campaign", wide=True),
    }
    return env.get_template("report.html").render(**context)


def write_report(result: AnalysisResult, sources: Sequence[Path], out_dir: Path) -> Path:
    data = collect(sources, result.flagged, result.findings)
    path = out_dir / "report.html"
    path.write_text(render_report(result, data), encoding="utf-8")
    return path
