"""Charts of the analyst dashboard as inline SVG, drawn on the server.

Why SVG from Python: no front-end build and no chart library to ship; the charts scale with the
screen (a `viewBox`, width 100 %), carry a `<title>` and `role="img"` for screen readers, and
every chart is followed by the same figures as a table, so nothing is said by colour alone.
Built with `xml.etree`, so labels (campaign titles, ranges) are always escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup

_BAR = "#1f5fa8"
_TEXT = "#1b1b1b"
_GRID = "#d0d0d0"
_ROW = 26
_LABEL_W = 170
_WIDTH = 480


def _svg(title: str, height: int, ident: str) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {_WIDTH} {height}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{ident}-title",
            "class": "chart",
        },
    )
    label = ET.SubElement(svg, "title", {"id": f"{ident}-title"})
    label.text = title
    return svg


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs: str) -> None:
    element = ET.SubElement(
        parent,
        "text",
        {"x": f"{x:.1f}", "y": f"{y:.1f}", "fill": _TEXT, "font-size": "15", **attrs},
    )
    element.text = text


def bar_chart(title: str, items: Sequence[tuple[str, float]], ident: str) -> Markup:
    """Horizontal bars, largest first (at most 12)."""
    rows = sorted(items, key=lambda i: -i[1])[:12]
    height = _ROW * max(1, len(rows)) + 10
    svg = _svg(title, height, ident)
    top = max((v for _, v in rows), default=0.0) or 1.0
    span = _WIDTH - _LABEL_W - 60
    for index, (label, value) in enumerate(rows):
        y = 5 + index * _ROW
        _text(svg, _LABEL_W - 6, y + 17, label[:20], **{"text-anchor": "end"})
        width = max(1.0, span * value / top)
        ET.SubElement(
            svg,
            "rect",
            {
                "x": str(_LABEL_W),
                "y": f"{y + 3}",
                "width": f"{width:.1f}",
                "height": "18",
                "fill": _BAR,
            },
        )
        _text(svg, _LABEL_W + width + 4, y + 17, f"{value:,.0f}")
    return Markup(ET.tostring(svg, encoding="unicode"))


def timeline(title: str, items: Sequence[tuple[str, datetime, datetime]], ident: str) -> Markup:
    """One bar per campaign from its first to its last call (at most 15), on a common axis."""
    rows = sorted(items, key=lambda i: i[1])[:15]
    height = _ROW * max(1, len(rows)) + 30
    svg = _svg(title, height, ident)
    if not rows:
        return Markup(ET.tostring(svg, encoding="unicode"))
    start = min(r[1] for r in rows)
    end = max(r[2] for r in rows)
    total = max((end - start).total_seconds(), 1.0)
    span = _WIDTH - _LABEL_W - 20
    for index, (label, first, last) in enumerate(rows):
        y = 5 + index * _ROW
        _text(svg, _LABEL_W - 6, y + 17, label[:20], **{"text-anchor": "end"})
        x = _LABEL_W + span * (first - start).total_seconds() / total
        width = max(2.0, span * (last - first).total_seconds() / total)
        ET.SubElement(
            svg,
            "rect",
            {
                "x": f"{x:.1f}",
                "y": f"{y + 3}",
                "width": f"{width:.1f}",
                "height": "18",
                "fill": _BAR,
            },
        )
    axis_y = height - 20
    ET.SubElement(
        svg,
        "line",
        {
            "x1": str(_LABEL_W),
            "x2": str(_LABEL_W + span),
            "y1": str(axis_y),
            "y2": str(axis_y),
            "stroke": _GRID,
        },
    )
    _text(svg, _LABEL_W, axis_y + 14, start.strftime("%Y-%m-%d %H:%M"))
    _text(
        svg, _LABEL_W + span, axis_y + 14, end.strftime("%Y-%m-%d %H:%M"), **{"text-anchor": "end"}
    )
    return Markup(ET.tostring(svg, encoding="unicode"))
