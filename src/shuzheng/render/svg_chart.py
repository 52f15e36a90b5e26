"""Inline SVG charts whose labels are real <text>: the browser's fonts render the Chinese, nothing is raster.

completion_bars: one horizontal bar per target, its completion (coloured by its light), a dark tick at the
pace expected by now, and the percent in a column on the right. burnup: one target's cumulative actual over
time against the pace and the value to reach. Every coordinate is computed here, so the file needs no script;
the words (titles, legend, dates) come translated from the caller.
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


# --- burn-up -------------------------------------------------------------------------------------

UP_W, UP_H, UP_LEFT, UP_RIGHT, UP_TOP, UP_BOTTOM = 440, 262, 62, 14, 62, 40
ACTUAL, PACE, TARGET = "#1f5fa8", "#000", "#c00000"


def _tick(value: float) -> str:
    """An axis number: 1,417 or 1.5 or 0.25, no trailing zeros."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def burnup(
    title: str,
    points: list[tuple[float, float | None, float | None]],
    value: float,
    ticks: list[tuple[float, str]],
    legend: tuple[str, str, str],
    unit: str = "",
) -> str:
    """A burn-up: the cumulative actual (a line through its points), the pace expected at each point (dashed)
    and the value to reach (a red line). points: (x in 0…1 of the time axis, actual, pace), figures already in
    the axis unit; ticks: (x, label) under the axis; legend: the three series' names; unit: the y axis's."""
    if not points:
        return ""
    top = max([value, *(v for _x, a, p in points for v in (a, p) if v is not None)]) or 1.0
    top *= 1.08
    plot_w, plot_h = UP_W - UP_LEFT - UP_RIGHT, UP_H - UP_TOP - UP_BOTTOM

    def x(share: float) -> str:
        return f"{UP_LEFT + max(0.0, min(share, 1.0)) * plot_w:.1f}"

    def y(amount: float) -> str:
        return f"{UP_TOP + plot_h - max(0.0, amount) / top * plot_h:.1f}"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart burnup" viewBox="0 0 {UP_W} {UP_H}" '
        f'width="{UP_W}" height="{UP_H}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" class="chart-title"><title>{escape(title)}</title>{escape(shorten(title, 50))}</text>',
    ]
    names = list(zip(legend, (ACTUAL, PACE, TARGET), ("", ' stroke-dasharray="5 3"', ""), strict=True))
    lx = 0
    for name, colour, dash in names:
        out.append(f'<line x1="{lx}" y1="32" x2="{lx + 18}" y2="32" stroke="{colour}" stroke-width="2.5"{dash}/>')
        out.append(f'<text x="{lx + 22}" y="37" class="legend">{escape(name)}</text>')
        lx += 30 + wcswidth(name) * 8
    for share in (0.0, 0.5, 1.0):
        amount = value * share
        out.append(f'<line x1="{UP_LEFT}" y1="{y(amount)}" x2="{UP_W - UP_RIGHT}" y2="{y(amount)}" class="grid"/>')
        ty = float(y(amount)) + 5
        out.append(f'<text x="{UP_LEFT - 5}" y="{ty:.1f}" text-anchor="end" class="axis">{_tick(amount)}</text>')
    if unit:
        out.append(f'<text x="{UP_LEFT - 5}" y="{UP_TOP - 9}" text-anchor="end" class="axis">{escape(unit)}</text>')
    bottom = UP_TOP + plot_h
    out.append(f'<line x1="{UP_LEFT}" y1="{bottom}" x2="{UP_W - UP_RIGHT}" y2="{bottom}" class="axis-line"/>')
    for share, text in ticks:
        anchor = "start" if share <= 0 else "end" if share >= 1 else "middle"
        out.append(f'<text x="{x(share)}" y="{bottom + 18}" text-anchor="{anchor}" class="axis">{escape(text)}</text>')
    goal = y(value)
    out.append(
        f'<line x1="{UP_LEFT}" y1="{goal}" x2="{UP_W - UP_RIGHT}" y2="{goal}" stroke="{TARGET}" stroke-width="1.5"/>'
    )
    for index, colour, dash in ((2, PACE, ' stroke-dasharray="5 3"'), (1, ACTUAL, "")):
        line = " ".join(f"{x(p[0])},{y(p[index])}" for p in points if p[index] is not None)  # type: ignore[arg-type]
        if line:
            out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
    last = next((p for p in reversed(points) if p[1] is not None), None)
    if last is not None:
        out.append(f'<circle cx="{x(last[0])}" cy="{y(last[1])}" r="3.5" fill="{ACTUAL}"/>')  # type: ignore[arg-type]
    out.append("</svg>")
    return "\n".join(out)
