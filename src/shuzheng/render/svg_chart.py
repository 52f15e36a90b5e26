"""Inline SVG bar charts whose labels are real <text>: the browser's fonts render the Chinese, nothing is raster.

One horizontal bar per target: its completion (coloured by its light), a dark tick at the pace expected by
now, and the percent in a column on the right. Every number is computed here, so the file needs no script.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from wcwidth import wcswidth

from .bulletin import LIGHT_FILL
from .numbers import percent

BAR_H, GAP, LABEL_W, PLOT_W, RIGHT = 22, 8, 190, 430, 70
EMPTY = "D9D9D9"


def shorten(text: str, columns: int) -> str:
    """At most `columns` display columns (a CJK character is two), with … where it was cut."""
    if wcswidth(text) <= columns:
        return text
    out = ""
    for char in text:
        if wcswidth(out + char) > columns - 1:
            break
        out += char
    return out + "…"


def _x(share: Decimal, scale: Decimal) -> str:
    return f"{LABEL_W + float(min(share, scale) / scale) * PLOT_W:.1f}"


def completion_bars(title: str, bars: list[tuple[str, Decimal, Decimal | None, str | None]]) -> str:
    """bars: (label, completion, pace or None, light or None). The axis runs to 100%, or further if one is."""
    if not bars:
        return ""
    scale = max(Decimal(1), *(ratio for _l, ratio, _p, _g in bars))
    height = 36 + len(bars) * (BAR_H + GAP) + 22
    width = LABEL_W + PLOT_W + RIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="18" class="chart-title">{escape(title)}</text>',
    ]
    top = 30
    for tick in (Decimal(0), Decimal("0.5"), Decimal(1)):
        x = _x(tick, scale)
        out.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{height - 20}" class="grid"/>')
        out.append(f'<text x="{x}" y="{height - 6}" text-anchor="middle" class="axis">{percent(tick)}</text>')
    for n, (label, ratio, pace, light) in enumerate(bars):
        y = top + 4 + n * (BAR_H + GAP)
        fill = LIGHT_FILL.get(light or "", EMPTY)
        end = _x(ratio, scale)
        short = shorten(label, 24)
        out.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H - 5}" text-anchor="end" class="label">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        out.append(f'<rect x="{LABEL_W}" y="{y}" width="{float(end) - LABEL_W:.1f}" height="{BAR_H}" fill="#{fill}"/>')
        if pace is not None:
            px = _x(pace, scale)
            out.append(f'<line x1="{px}" y1="{y - 3}" x2="{px}" y2="{y + BAR_H + 3}" class="pace"/>')
        out.append(f'<text x="{width - 4}" y="{y + BAR_H - 5}" text-anchor="end" class="value">{percent(ratio)}</text>')
    out.append("</svg>")
    return "\n".join(out)
