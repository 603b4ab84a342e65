"""The "To watch" timeline: each forecast's horizon as a bar on a date axis, inline SVG.

Made in Python from the context (Markdown has raw HTML off); every label is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

WIDTH, LABEL, ROW, TOP = 640, 150, 12, 22
BAND_SHADE = {  # darker for more likely
    "almost_no_chance": "#d9dee4",
    "very_unlikely": "#c3cbd4",
    "unlikely": "#a7b3c0",
    "roughly_even_chance": "#8596a8",
    "likely": "#5f7690",
    "very_likely": "#3f5a78",
    "almost_certain": "#243f5f",
}


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def timeline_svg(forecasts: Sequence[Mapping[str, Any]], today: date) -> str:
    """One row per forecast with a horizon: the source, and a bar from start to end."""
    rows = [f for f in forecasts if f.get("horizon")]
    if not rows:
        return ""
    last = max(_day(f["horizon"]["end"]) for f in rows)
    span = max((last - today).days, 1)
    plot = WIDTH - LABEL - 10

    def x(value: Any) -> float:
        return LABEL + plot * min(max((_day(value) - today).days, 0), span) / span

    height = TOP + ROW * len(rows) + 6
    parts = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}"'
        f' width="100%" role="img" aria-label="When the forecasts fall due">',
        f'<line x1="{LABEL}" y1="{TOP - 6}" x2="{WIDTH - 10}" y2="{TOP - 6}" stroke="#5b6673"/>',
    ]
    for n in range(5):  # five dates on the axis
        day = today.fromordinal(today.toordinal() + round(span * n / 4))
        parts.append(
            f'<text x="{x(day):.1f}" y="{TOP - 10}" font-size="8" fill="#5b6673" '
            f'text-anchor="{"start" if n == 0 else "end" if n == 4 else "middle"}">'
            f"{day.day} {day:%b} {day:%y}</text>"
        )
    for i, f in enumerate(rows):
        y = TOP + ROW * i
        start, end = x(f["horizon"]["start"]), x(f["horizon"]["end"])
        band = (f.get("likelihood") or {}).get("band", "")
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 9}" font-size="8" text-anchor="end" '
            f'fill="#1d232b">{escape(str(f["source"])[:28])}</text>'
            f'<rect x="{start:.1f}" y="{y + 2}" width="{max(end - start, 3):.1f}" height="8" '
            f'rx="2" fill="{BAND_SHADE.get(band, "#b8860b")}"><title>{escape(str(f["text"]))}'
            "</title></rect>"
        )
    parts.append("</svg>")
    return "".join(parts)
