"""The calibration chart: share that happened per band against the band's range, as SVG.

Drawn here from the numbers in the context (never from article text), and put into the HTML
in place of the paragraph the Markdown marks `calibration-chart`; WeasyPrint draws inline SVG
in the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

WIDTH, ROW, LEFT, RIGHT, TOP = 560, 26, 150, 60, 28
_MARKER = re.compile(r'<p id="calibration-chart">(.*?)</p>', re.DOTALL)


def calibration_svg(rows: Sequence[Mapping[str, Any]]) -> str:
    """One row per band: its range as a grey bar, the share that happened as a dot."""
    plot = WIDTH - LEFT - RIGHT
    height = TOP + ROW * len(rows) + 24

    def x(percent: float) -> float:
        return LEFT + plot * percent / 100

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="calibration-chart" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="Calibration: share of resolved forecasts that happened, per band">',
        f'<text x="{LEFT}" y="16" font-size="11">share that happened (dot) against the '
        f"band's range (bar)</text>",
    ]
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{TOP - 6}" x2="{x(tick):.1f}" '
            f'y2="{height - 20}" stroke="#ddd"/>'
            f'<text x="{x(tick):.1f}" y="{height - 6}" font-size="10" '
            f'text-anchor="middle">{tick} %</text>'
        )
    for n, row in enumerate(rows):
        y = TOP + ROW * n
        low, high = float(row["low"]), float(row["high"])
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 14}" font-size="11" text-anchor="end">'
            f"{escape(str(row['label']))}</text>"
            f'<rect x="{x(low):.1f}" y="{y + 5}" width="{max(x(high) - x(low), 1):.1f}" '
            f'height="12" fill="#ccc"/>'
        )
        if row.get("happened") is not None:
            share = float(row["happened"]) * 100
            parts.append(
                f'<circle cx="{x(share):.1f}" cy="{y + 11}" r="5" fill="#1f4e79"/>'
                f'<text x="{WIDTH - RIGHT + 8}" y="{y + 14}" font-size="10">'
                f"{share:.0f} % of {int(row['resolved'])}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def insert_charts(body_html: str, context: Mapping[str, Any]) -> str:
    """The HTML body with the calibration chart in place of its marked paragraph."""
    ledger = context.get("ledger")
    if not ledger or not _MARKER.search(body_html):
        return body_html
    chart = calibration_svg(ledger["calibration"])
    # the caption is the paragraph's own HTML, already escaped by markdown-it
    return _MARKER.sub(
        lambda m: (
            f'<figure id="calibration-chart" class="calibration">{chart}'
            f"<figcaption>{m.group(1)}</figcaption></figure>"
        ),
        body_html,
        count=1,
    )
